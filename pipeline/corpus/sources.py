"""Finding a corpus: files, folders (recursively) and glob patterns, in a stable order.

:func:`is_corpus` tells the ``leaflet clean`` command whether its inputs are a corpus
(JSON Lines or Parquet) or articles; it reads no file, and imports nothing heavy.

A folder that holds any corpus file is a corpus: the other files in it (a dataset's
``README.md`` and ``.gitattributes``, articles) are not read, and :func:`find_corpus`
names them, so a run can say what it left alone.

A link found there is followed only while it leads inside the folder named (or the
folder a glob pattern starts from, :func:`pattern_folder`): ``crawl/x.jsonl ->
/etc/x.jsonl`` is listed and never read, as in a batch of articles
(:mod:`pipeline.inputs`). Only a file named itself is read wherever its link leads.
A pipe, a broken link or a link loop named as a corpus file is reported as unreadable,
never opened.
"""

from __future__ import annotations

import errno
import glob
import itertools
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.corpus.formats import SUFFIX_LIST, corpus_format
from pipeline.corpus.plan import shown
from pipeline.errors import InputError
from pipeline.files import LINK_LOOP, cannot_read, link_to_nothing, under, within


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
    """What is under ``folder`` and ``wanted``, by path (files, links, pipes: by name
    alone, nothing is opened), looked for as deep as a batch looks
    (:func:`~pipeline.files.under`): a folder nested deeper is not read, so the question
    "is this a corpus?" never stops ``leaflet clean``."""
    return (p for p in sorted(under(folder)) if wanted(p) and not _real_folder(p))


def _real_folder(path: Path) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


@dataclass(frozen=True)
class Found:
    """The corpus files the inputs name, the other files their folders hold (or their
    patterns match), which are left alone, and the links there that lead outside their
    input folder, which are never read: paths as messages show them. ``unreadable`` says
    in one line why each thing named as a corpus file cannot be read (a pipe, a broken
    link, a link loop). ``inside`` names the folder each file found in a folder or by a
    pattern must stay inside, as an absolute path (a file named itself is not in it: it
    is read wherever its link leads); each task checks it again as it opens the file."""

    files: tuple[Path, ...]
    left_alone: tuple[str, ...]
    links_outside: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    inside: dict[Path, Path] = field(default_factory=dict)


def find_corpus(inputs: Sequence[str], out: Path) -> Found:
    """Every corpus file the inputs name, in the order given (a folder's and a pattern's
    files sorted by path), each once, leaving out anything inside ``out``; the other
    files of those folders and patterns; the links there that lead outside the folder
    named (or the folder a pattern starts from), which are not read, as a batch's are
    not (:mod:`pipeline.inputs`); and what is named as a corpus file but is none.

    Errors (one line each): an input inside the output folder, a pattern that matches
    nothing, a path that does not exist, a named file that is not a corpus file, and a
    corpus with no file at all.
    """
    found = _Sorting()
    for given in inputs:
        _expand(given, out.resolve(), found)
    if not found.files:
        raise InputError(_nothing_found(inputs, found))
    inside = {path: folder for path, folder in found.files.items() if folder is not None}
    return Found(
        tuple(found.files), _shown(found.others), _shown(found.outside),
        tuple(found.unreadable), inside,
    )  # fmt: skip


def _shown(paths: Iterable[Path]) -> tuple[str, ...]:
    return tuple(shown(str(path)) for path in paths)


def _nothing_found(inputs: Sequence[str], found: _Sorting) -> str:
    """The error for inputs that hold no corpus file to read, with the first reason why
    one was not read, if one was found."""
    message = f"{' '.join(inputs)}: no corpus files ({SUFFIX_LIST}) found"
    if found.outside:
        first = shown(str(next(iter(found.outside))))
        return f"{message}; {first} is a link that leads outside its folder, so it is not read"
    if found.unreadable:
        return f"{message}; {next(iter(found.unreadable))}"
    return message


@dataclass
class _Sorting:
    """What the inputs hold, sorted as it is found (each once, in order): corpus files,
    other files (left alone), links leading outside their input folder (not read), and
    why each thing named as a corpus file that is not one cannot be read."""

    files: dict[Path, Path | None] = field(default_factory=dict)  # and the folder found in
    others: dict[Path, None] = field(default_factory=dict)
    outside: dict[Path, None] = field(default_factory=dict)
    unreadable: dict[str, None] = field(default_factory=dict)

    def add(self, path: Path, folder: Path | None) -> None:
        """One thing found in ``folder`` (``None``: named itself, read wherever it leads):
        a link that leads outside ``folder`` is never read; a regular file is a corpus
        file or left alone; a folder nested too deep is left alone, and a link to a
        folder inside is not followed (its files are read where they are); anything else
        named as a corpus file (a pipe, a broken link) is unreadable."""
        path = path.absolute()
        if folder is not None and not within(folder, path):
            self.outside[path] = None
            return
        problem = not_a_file(path)
        if problem is None and is_corpus_file(path):
            self.files.setdefault(path, None if folder is None else folder.absolute())
        elif problem is None:
            self.others[path] = None
        elif os.path.isdir(path):
            if not os.path.islink(path):
                self.others[path] = None
        elif is_corpus_file(path):
            self.unreadable[f"{shown(str(path))}: {problem}"] = None
        else:
            self.others[path] = None


def not_a_file(path: Path) -> str | None:
    """Why ``path`` (links followed) is not a regular file to read, in one line, or None
    if it is one. Nothing is opened, so a pipe never hangs."""
    try:
        info = os.stat(path)
    except OSError as error:
        return _missing(path, error)
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        return "is a folder"
    return "is not a regular file (a pipe, a socket or a device); give a file"


def _missing(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return LINK_LOOP
    nothing = link_to_nothing(path)
    if nothing is not None:
        return f"{nothing}; fix or remove it"
    return "; ".join(cannot_read(error))


def _expand(given: str, out: Path, found: _Sorting) -> None:
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
        for match in matches:
            _expand_existing(match, out, pattern_folder(given), found)
        return
    if not os.path.lexists(path):
        raise InputError(f"{given}: no such file or folder; check the path")
    if os.path.isfile(path) and corpus_format(path) is None:
        raise InputError(f"{given}: is not a corpus file; leaflet reads {SUFFIX_LIST}")
    _expand_existing(path, out, None, found)


def pattern_folder(pattern: str) -> Path:
    """The folder a glob pattern starts from: its matches, and what they lead to, must
    be inside it, as a folder's files must be inside the folder.

    >>> [pattern_folder(p).as_posix() for p in ("crawl/**/*.jsonl", "*.parquet", "/d/x*/a")]
    ['crawl', '.', '/d']
    """
    parts = Path(pattern).parts[:-1]
    fixed = list(itertools.takewhile(lambda part: not glob.has_magic(part), parts))
    return Path(*fixed) if fixed else Path(".")


def _expand_existing(path: Path, out: Path, folder: Path | None, found: _Sorting) -> None:
    """A corpus file itself, or what is under a folder; nothing inside ``out``. A named
    folder is the one its files must stay inside; a pattern's matches stay in ``folder``."""
    if Path(os.path.realpath(path)).is_relative_to(out):
        return
    if not os.path.isdir(path) or (folder is not None and not within(folder, path)):
        found.add(path, folder)
        return
    for entry in _within(path, out):
        found.add(entry, folder or path)


def _within(folder: Path, out: Path) -> Iterator[Path]:
    """Everything under ``folder``, by path, as :func:`~pipeline.files.under` gives it
    (files, links, each folder nested too deep to be read); nothing inside ``out``."""
    for path in sorted(under(folder)):
        if not Path(os.path.realpath(path)).is_relative_to(out):
            yield path
