"""Finding a corpus: files, folders (recursively) and glob patterns, in a stable order.

:func:`is_corpus` tells the ``leaflet clean`` command whether its inputs are a corpus
(JSON Lines or Parquet) or articles; it reads no file, and imports nothing heavy.

A folder that holds any corpus file is a corpus: the other files in it (a dataset's
``README.md`` and ``.gitattributes``, articles) are not read, and :func:`find_corpus`
names them, so a run can say what it left alone.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.corpus.formats import SUFFIX_LIST, corpus_format
from pipeline.corpus.plan import shown
from pipeline.errors import InputError
from pipeline.files import under


def is_pattern(given: str) -> bool:
    """Whether an input is a glob pattern (and not a file whose name has a ``*`` in it)."""
    return glob.has_magic(given) and not os.path.exists(given)


def is_corpus(inputs: Sequence[str]) -> bool:
    """Whether ``leaflet clean`` was given a corpus: a corpus file (``.jsonl``,
    ``.parquet``, ...), a glob pattern, or a folder holding at least one corpus file
    (whatever else it holds). A folder of articles alone is not a corpus."""
    return any(_names_corpus(given) for given in inputs)


def _names_corpus(given: str) -> bool:
    path = Path(given)
    if is_pattern(given) or corpus_format(path) is not None:
        return True
    return os.path.isdir(path) and next(_files(path, is_corpus_file), None) is not None


def is_corpus_file(path: Path) -> bool:
    return corpus_format(path) is not None


def _files(folder: Path, wanted: Callable[[Path], bool]) -> Iterator[Path]:
    """The files under ``folder`` that are ``wanted``, by path, looked for as deep as a
    batch looks (:func:`~pipeline.files.under`): a folder nested deeper is not read, so
    the question "is this a corpus?" never stops ``leaflet clean``."""
    return (p for p in sorted(under(folder)) if os.path.isfile(p) and wanted(p))


@dataclass(frozen=True)
class Found:
    """The corpus files the inputs name, and the other files their folders hold (or
    their patterns match), which are left alone: paths as messages show them."""

    files: tuple[Path, ...]
    left_alone: tuple[str, ...]


def find_corpus(inputs: Sequence[str], out: Path) -> Found:
    """Every corpus file the inputs name, in the order given (a folder's and a pattern's
    files sorted by path), each once, leaving out anything inside ``out``; and the other
    files of those folders and patterns.

    Errors (one line each): an input inside the output folder, a pattern that matches
    nothing, a path that does not exist, a named file that is not a corpus file, and a
    corpus with no file at all.
    """
    found: dict[Path, None] = {}
    others: dict[Path, None] = {}
    for given in inputs:
        files, left = _expand(given, out.resolve())
        found.update(dict.fromkeys(files))
        others.update(dict.fromkeys(left))
    if not found:
        raise InputError(f"{' '.join(inputs)}: no corpus files ({SUFFIX_LIST}) found")
    return Found(tuple(found), tuple(shown(str(p)) for p in others))


Expanded = tuple[list[Path], list[Path]]  # corpus files, other files


def _expand(given: str, out: Path) -> Expanded:
    path = Path(given)
    if os.path.exists(path) and path.resolve().is_relative_to(out):
        raise InputError(
            f"{given}: is inside the output folder {out}; "
            "choose an output folder outside the inputs"
        )
    if is_pattern(given):
        matches = [Path(m) for m in sorted(glob.glob(given, recursive=True))]
        if not matches:
            raise InputError(f"{given}: matches no file; check the pattern")
        expanded = [_expand_existing(match, out) for match in matches]
        return [f for e in expanded for f in e[0]], [f for e in expanded for f in e[1]]
    if not os.path.exists(path):
        raise InputError(f"{given}: no such file or folder; check the path")
    if os.path.isfile(path) and corpus_format(path) is None:
        raise InputError(f"{given}: is not a corpus file; leaflet reads {SUFFIX_LIST}")
    return _expand_existing(path, out)


def _expand_existing(path: Path, out: Path) -> Expanded:
    """A corpus file itself, or the corpus files under a folder, and the other files
    there; nothing inside ``out``."""
    if path.resolve().is_relative_to(out):
        return [], []
    if os.path.isdir(path):
        return _sorted_out(p.absolute() for p in _within(path, out))
    return _sorted_out([path.absolute()] if os.path.isfile(path) else [])


def _within(folder: Path, out: Path) -> Iterator[Path]:
    """The files under ``folder``, by path, and each folder there nested too deep to be
    read (:func:`~pipeline.files.under`), which is left alone as they are; nothing
    inside ``out``."""
    for path in sorted(under(folder)):
        too_deep = os.path.isdir(path) and not os.path.islink(path)
        if (os.path.isfile(path) or too_deep) and not path.resolve().is_relative_to(out):
            yield path


def _sorted_out(paths: Iterable[Path]) -> Expanded:
    """Corpus files, and the others."""
    files: Expanded = ([], [])
    for path in paths:
        files[0 if is_corpus_file(path) else 1].append(path)
    return files
