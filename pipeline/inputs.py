"""Finding a batch's inputs: the articles in the files and folders named, and everything
else found there, so that nothing is passed over without a word.

:func:`gather` walks each folder (following links to folders, once each), and sorts
what it finds into articles (by :func:`pipeline.read.article_kind`, the one test of what
leaflet reads), other files (listed as "not an article" with their type) and problems (a
missing input, a broken link, a link loop, a folder that cannot be read). Hidden files and
folders (``.git``, ``.DS_Store``), an article's :data:`COMPANIONS` (its ``.meta.toml``
sidecar, read with it) and the output folder itself are not looked at.
"""

from __future__ import annotations

import errno
import mimetypes
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import is_control
from pipeline.errors import InputError
from pipeline.read import KINDS, LINK_LOOP, Kind, article_kind, read_bytes
from pipeline.readers.sidecar import SUFFIX as SIDECAR
from pipeline.review import SIDECAR_SUFFIX as REVIEW

COMPANIONS: tuple[str, ...] = (SIDECAR, REVIEW)
"""Files beside an article that belong to it, by what is added to the article's file name:
its sign-off details (``aspirin.docx.meta.toml``) and an editor's decisions
(``aspirin.docx.review.json``). The runner reads them with the article; they are part of
its key (editing one rebuilds the article), and never listed or built as articles."""


@dataclass(frozen=True, slots=True)
class Source:
    """An article to read, and the name it is shown and filed under (its path from the
    folder it was found in, or its file name)."""

    path: Path
    name: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Other:
    """A file found in an input folder that is not an article, and what it is."""

    path: Path
    what: str  # e.g. "image/png", "a .rtf file"


@dataclass(frozen=True)
class Problem:
    """An input that cannot be looked at, and a one-line message saying why."""

    path: Path
    message: str


@dataclass(frozen=True)
class Found:
    """What :func:`gather` found."""

    articles: tuple[Source, ...] = ()
    others: tuple[Other, ...] = ()
    problems: tuple[Problem, ...] = ()
    folders: tuple[Path, ...] = field(default=())  # the folders named, for the record


def is_companion(path: Path) -> bool:
    """Whether ``path`` is named as one of an article's :data:`COMPANIONS`.

    >>> is_companion(Path("a.txt.meta.toml")), is_companion(Path("leaflet.toml"))
    (True, False)
    """
    return path.name.lower().endswith(COMPANIONS)


def read_companions(article: Path, max_size: int) -> dict[str, bytes]:
    """The bytes of each companion ``article`` has, by suffix (a missing one is left out;
    one that cannot be read is an :class:`InputError`)."""
    found = {}
    for suffix in COMPANIONS:
        path = article.with_name(article.name + suffix)
        if os.path.lexists(path):
            found[suffix] = read_bytes(path, max_size)
    return found


def display(path: Path | str) -> str:
    """A path (or a message naming one) as text that can be printed and written anywhere,
    showing what it holds: bytes of a file name that are not UTF-8 are shown as
    ``\\xNN``, and control characters and direction overrides (a newline, ESC, U+202E:
    :func:`pipeline.config.is_control`), which could disguise a name or drive a terminal,
    as ``\\n``, ``\\x1b``, ``\\u202e``.

    >>> display(Path("caf\\udce9.txt")), display("\\ud800")
    ('caf\\\\xe9.txt', '\\\\ud800')
    >>> print(display("invoice\\u202etxt.exe"), display("a\\nb\\x1b[31m.txt"), display("café.txt"))
    invoice\\u202etxt.exe a\\nb\\x1b[31m.txt café.txt
    """
    text = os.fspath(path)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name can hold
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if text.isprintable():  # the usual case, at C speed
        return text
    return "".join(ch.encode("unicode_escape").decode() if is_control(ch) else ch for ch in text)


def gather(inputs: Iterable[Path], exclude: Path) -> Found:
    """Every article named or under a named folder, leaving out anything under
    ``exclude`` (the output folder); an input that is the output folder, or inside it,
    is an :class:`InputError` (nothing is written before it)."""
    out = os.path.realpath(exclude) + os.sep
    articles: list[Source] = []
    others: list[Other] = []
    problems: list[Problem] = []
    folders: list[Path] = []
    for given in inputs:
        if os.path.lexists(given) and (os.path.realpath(given) + os.sep).startswith(out):
            raise InputError(
                f"{display(given)}: is inside the output folder {display(exclude)}; "
                "choose an output folder outside the inputs"
            )
        for item in _look(given, out, folders):
            bucket = {Source: articles, Other: others, Problem: problems}[type(item)]
            bucket.append(item)  # type: ignore[attr-defined]
    return Found(tuple(_unique(articles)), tuple(others), tuple(problems), tuple(folders))


Item = Source | Other | Problem


def _look(given: Path, out: str, folders: list[Path]) -> Iterator[Item]:
    """What one named input holds."""
    info = _stat(given)
    if isinstance(info, Problem):
        yield info
    elif stat.S_ISDIR(info.st_mode):
        folders.append(given)
        yield from _walk(given, Path(), out, {(info.st_dev, info.st_ino)})
    elif article_kind(given) is None:
        yield Problem(given, not_an_article(given))
    else:
        yield Source(given, given.name, article_kind(given) or "text")


def not_an_article(path: Path) -> str:
    """The message for a file named as an article that leaflet does not read."""
    return (
        f"{display(path)}: is not an article leaflet reads ({_what(path)}); "
        f"give a file ending in {', '.join(KINDS)}"
    )


def _walk(root: Path, relative: Path, out: str, seen: set[tuple[int, int]]) -> Iterator[Item]:
    folder = root / relative
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as error:
        yield Problem(folder, f"{display(folder)}: cannot be read ({error.strerror}); "
                      "check its permissions")  # fmt: skip
        return
    for entry in entries:
        if entry.name.startswith(".") or is_companion(Path(entry.name)):
            continue
        path, name = folder / entry.name, relative / entry.name
        info = _stat(path)
        if isinstance(info, Problem):
            yield info if article_kind(path) else Other(path, _dangling(path))
        elif stat.S_ISDIR(info.st_mode):
            yield from _folder(root, name, out, seen, info)
        elif article_kind(path) is None:
            yield Other(path, _what(path))
        else:
            yield Source(path, name.as_posix(), article_kind(path) or "text")


def _folder(
    root: Path, name: Path, out: str, seen: set[tuple[int, int]], info: os.stat_result
) -> Iterator[Item]:
    path = root / name
    if (os.path.realpath(path) + os.sep).startswith(out):
        return  # the output folder: not read back
    if (info.st_dev, info.st_ino) in seen:
        yield Other(path, "a link to a folder already read")
        return
    seen.add((info.st_dev, info.st_ino))
    yield from _walk(root, name, out, seen)


def _stat(path: Path) -> os.stat_result | Problem:
    """The file's details, following links; a :class:`Problem` if there is nothing."""
    try:
        return os.stat(path)
    except OSError as error:
        return Problem(path, f"{display(path)}: {_missing(path, error)}")


def _missing(path: Path, error: OSError) -> str:
    if os.path.islink(path):
        if error.errno == errno.ELOOP:
            return LINK_LOOP
        return f"is a link to {display(os.readlink(path))}, which does not exist; fix or remove it"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder; check the path"
    return f"cannot be read ({error.strerror}); check its permissions"


def _dangling(path: Path) -> str:
    """What a link that leads to no file is, when its name is not an article's."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a link loop"
    return "a broken link"


def _what(path: Path) -> str:
    """What a file seems to be, from its name: ``image/png``, or ``a .rtf file``."""
    guessed = mimetypes.guess_type(path.name, strict=False)[0]
    if guessed:
        return guessed
    return f"a {path.suffix} file" if path.suffix else "a file with no suffix"


def _unique(sources: list[Source]) -> list[Source]:
    """Each file once, however many ways it was named."""
    seen: set[str] = set()
    unique = []
    for source in sources:
        real = os.path.realpath(source.path)
        if real not in seen:
            seen.add(real)
            unique.append(source)
    return unique
