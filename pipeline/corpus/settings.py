"""What a corpus run does to every record: one frozen object, the same in every worker."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pipeline.corpus.formats import FORMATS, Format

if TYPE_CHECKING:
    from pipeline.normalise import CleanOptions

Engine = Literal["local", "dask"]
ENGINES: tuple[Engine, ...] = ("local", "dask")
"""Where a corpus is cleaned: this machine's cores, or a Dask cluster."""

MAX_RECORD_SIZE = 4_000_000
"""The largest text cleaned by default, in UTF-8 bytes: a long book is about 3 MB."""

PART_SIZE = 4_000_000
"""How much input, in bytes, goes into one output part by default: a few seconds of
cleaning on one core, so even a small corpus spreads over the workers and a crash loses
little; a 10 GB corpus is 2,500 parts (``--part-size`` sets it)."""

BATCH_RECORDS = 1000
"""Records cleaned between two progress reports (and, for JSONL, written together)."""


def show_size(size: int) -> str:
    """A size in the form :func:`parse_size` reads.

    >>> show_size(4_000_000), show_size(65_536), show_size(1234)
    ('4MB', '64KiB', '1234')
    """
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3), ("GiB", 2**30),
                         ("MiB", 2**20), ("KiB", 2**10)):  # fmt: skip
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9}
_UNITS |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30}


def parse_size(value: str) -> int:
    """A size as people write it: ``4MB``, ``64 KiB``, ``1.5GB`` or plain bytes.

    >>> parse_size("4MB"), parse_size("64KiB"), parse_size("1000")
    (4000000, 65536, 1000)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _UNITS or float(match.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a size; write it as 4MB, 64KiB or a number of bytes")
    return int(float(match.group(1)) * _UNITS[unit])


@dataclass(frozen=True)
class CorpusSettings:
    """Everything about a run that every task needs.

    ``text_field`` names the column to clean; ``id_field``, if given, the column that
    identifies a record in the report; ``with_changes`` adds each record's full change
    list as JSON; a text over ``max_record_size`` UTF-8 bytes is kept as it is, with an
    error; ``part_size`` is the input bytes per output part; ``output`` is the parts'
    format.
    """

    text_field: str = "text"
    id_field: str | None = None
    with_changes: bool = False
    max_record_size: int = MAX_RECORD_SIZE
    part_size: int = PART_SIZE
    output: Format = FORMATS[".parquet"]
    options: CleanOptions = field(default_factory=lambda: _all_stages())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _all_stages() -> CleanOptions:
    """Every cleaning stage on (imported here, so declaring options loads no cleaner)."""
    from pipeline.normalise import CleanOptions

    return CleanOptions()
