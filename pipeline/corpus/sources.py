"""Finding a corpus: files, folders (recursively) and glob patterns, in a stable order.

:func:`is_corpus` tells the ``leaflet clean`` command whether its inputs are a corpus
(JSON Lines or Parquet) or articles; it reads no file, and imports nothing heavy.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pipeline.corpus.formats import SUFFIX_LIST, corpus_format
from pipeline.errors import InputError

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


def is_pattern(given: str) -> bool:
    """Whether an input is a glob pattern (and not a file whose name has a ``*`` in it)."""
    return glob.has_magic(given) and not Path(given).exists()


def is_corpus(inputs: Sequence[str]) -> bool:
    """Whether ``leaflet clean`` was given a corpus: a corpus file (``.jsonl``,
    ``.parquet``, ...), a glob pattern, or a folder holding corpus files and no articles.

    A folder with both is an error: the user must say which they mean.
    """
    return any(_names_corpus(given) for given in inputs)


def _names_corpus(given: str) -> bool:
    path = Path(given)
    if is_pattern(given) or corpus_format(path) is not None:
        return True
    if not path.is_dir():
        return False
    corpus = next(_files(path, lambda p: corpus_format(p) is not None), None)
    if corpus is None:
        return False
    article = next(_files(path, lambda p: p.suffix.lower() in ARTICLE_SUFFIXES), None)
    if article is not None:
        raise InputError(
            f"{given}: holds both articles ({article.name}) and corpus files ({corpus.name}); "
            f"name the ones to clean, e.g. '{Path(given) / '*.jsonl'}'"
        )
    return True


def _files(folder: Path, wanted: Callable[[Path], bool]) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file() and wanted(p))


def find_corpus(inputs: Sequence[str], out: Path) -> list[Path]:
    """Every corpus file the inputs name, in the order given (a folder's and a pattern's
    files sorted by path), each once, leaving out anything inside ``out``.

    Errors (one line each): an input inside the output folder, a pattern that matches
    nothing, a path that does not exist, a named file that is not a corpus file, and a
    corpus with no file at all.
    """
    found: dict[Path, None] = {}
    for given in inputs:
        for path in _expand(given, out.resolve()):
            found.setdefault(path, None)
    if not found:
        raise InputError(f"{' '.join(inputs)}: no corpus files ({SUFFIX_LIST}) found")
    return list(found)


def _expand(given: str, out: Path) -> list[Path]:
    path = Path(given)
    if path.exists() and path.resolve().is_relative_to(out):
        raise InputError(
            f"{given}: is inside the output folder {out}; "
            "choose an output folder outside the inputs"
        )
    if is_pattern(given):
        matches = [Path(m) for m in sorted(glob.glob(given, recursive=True))]
        if not matches:
            raise InputError(f"{given}: matches no file; check the pattern")
        return [f for match in matches for f in _expand_existing(match, out)]
    if not path.exists():
        raise InputError(f"{given}: no such file or folder; check the path")
    if path.is_file() and corpus_format(path) is None:
        raise InputError(f"{given}: is not a corpus file; leaflet reads {SUFFIX_LIST}")
    return _expand_existing(path, out)


def _expand_existing(path: Path, out: Path) -> list[Path]:
    """A corpus file itself, or the corpus files under a folder; nothing inside ``out``."""
    if path.resolve().is_relative_to(out):
        return []
    if path.is_dir():
        wanted = _files(path, lambda p: corpus_format(p) is not None)
        return [p.absolute() for p in wanted if not p.resolve().is_relative_to(out)]
    if path.is_file() and corpus_format(path) is not None:
        return [path.absolute()]
    return []
