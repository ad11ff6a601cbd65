"""The corpus files leaflet reads and writes: one table of name endings.

A corpus file is JSON Lines (one JSON object a line, optionally gzip- or
zstd-compressed) or Parquet. ``.json.gz`` and ``.json.zst`` are read as JSON Lines too,
as C4 and Dolma name their shards.

>>> corpus_format("shard-00001.JSONL.zst")
Format(kind='jsonl', compression='zstd')
>>> corpus_format("notes.txt") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

Kind = Literal["jsonl", "parquet"]
Compression = Literal["gzip", "zstd"]


@dataclass(frozen=True)
class Format:
    """How a corpus file is stored: JSON Lines or Parquet, and the compression around it."""

    kind: Kind
    compression: Compression | None = None

    @property
    def suffix(self) -> str:
        """The name ending leaflet gives an output part of this format."""
        return next(s for s, f in FORMATS.items() if f == self)


# The one table of what leaflet reads as a corpus, by name ending (checked longest first).
FORMATS: dict[str, Format] = {
    ".jsonl": Format("jsonl"),
    ".jsonl.gz": Format("jsonl", "gzip"),
    ".jsonl.zst": Format("jsonl", "zstd"),
    ".json.gz": Format("jsonl", "gzip"),
    ".json.zst": Format("jsonl", "zstd"),
    ".parquet": Format("parquet"),
}

# The first bytes of each kind of file, to tell a user when a name does not fit the data.
MAGIC: dict[str, bytes] = {"gzip": b"\x1f\x8b", "zstd": b"\x28\xb5\x2f\xfd", "parquet": b"PAR1"}

SUFFIX_LIST = ", ".join(FORMATS)  # for messages


def corpus_format(path: str | PurePath) -> Format | None:
    """The format a file's name says it holds, or None if it is not a corpus file."""
    name = PurePath(path).name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return FORMATS[suffix]
    return None


def output_format(out: str | PurePath) -> Format:
    """The format of an output folder's parts, from the folder's name: ``cleaned.jsonl``
    (or ``.jsonl.gz``, ``.jsonl.zst``) gives JSON Lines parts, any other name Parquet.

    >>> output_format("cleaned.jsonl.gz")
    Format(kind='jsonl', compression='gzip')
    >>> output_format("cleaned")
    Format(kind='parquet', compression=None)
    """
    return corpus_format(out) or FORMATS[".parquet"]


_NAMES = {"gzip": "gzip-compressed", "zstd": "zstd-compressed", "parquet": "a Parquet file"}


def disguise(head: bytes, expected: Format) -> str | None:
    """How a file's first bytes contradict its name, or None if they do not.

    >>> disguise(b"PAR1....", Format("jsonl"))
    'is a Parquet file, not JSON Lines as its name says'
    >>> disguise(b'{"text": 1}', Format("jsonl", "gzip"))
    'is not gzip-compressed, as its name says'
    >>> disguise(b'{"text": 1}', Format("jsonl")) is None
    True
    """
    wanted = expected.compression or ("parquet" if expected.kind == "parquet" else None)
    if wanted is not None and not head.startswith(MAGIC[wanted]):
        return f"is not {_NAMES[wanted]}, as its name says"
    found = next((kind for kind, magic in MAGIC.items() if head.startswith(magic)), None)
    if wanted is None and found is not None:
        return f"is {_NAMES[found]}, not JSON Lines as its name says"
    return None
