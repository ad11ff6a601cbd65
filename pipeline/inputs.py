"""Finding a batch's inputs: the articles in the files and folders named, and everything
else found there, so that nothing is passed over without a word.

:func:`gather` walks each folder (following links to folders, once each), and sorts
what it finds into articles (by :func:`pipeline.read.article_kind`, the one test of what
leaflet reads), other files (listed as "not an article" with their type) and problems (a
missing input, a broken link, a link loop, a folder that cannot be read). Hidden files and
folders (``.git``, ``.DS_Store``), an article's :data:`COMPANIONS` (its ``.meta.toml``
sidecar, read with it) and the output folder itself are not looked at.

A link found in a folder (to a file or a folder) is followed only when what it leads
to, every link followed, is inside the folder named: a link leading anywhere else
(``passwd.txt -> /etc/passwd``) is listed as "a link that leads outside" and never
read, as the studio refuses it too; one leading into the output folder (inside the
folder named) is listed too, never read back, nor its file written over by the output
made of it. A link to what the walk also reads as itself (a file or a folder) is listed
as such, not read twice: an article is its file, read under its own name, with the
sidecars beside it (:func:`pipeline.files.beside`); a link is read as the article only
when it is the one way in (of two such links, the first). A file named itself is read
even if it is a link: the user chose it.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import mimetypes
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.config import is_control
from pipeline.errors import InputError
from pipeline.files import DEEPEST, cannot_read, itself, link_to_nothing, within
from pipeline.read import (
    KINDS,
    LINK_LOOP,
    Kind,
    article_kind,
    left_beside_link,
    read_beside,
    read_bytes,
)
from pipeline.readers.images import MAX_IMAGE_BYTES, figure_problem, figure_sources, local_file
from pipeline.readers.sidecar import MAX_SIZE as MAX_META
from pipeline.readers.sidecar import SUFFIX as SIDECAR
from pipeline.readers.text import decode
from pipeline.record import record_in
from pipeline.review import MAX_SIDECAR as MAX_REVIEW
from pipeline.review import SIDECAR_SUFFIX as REVIEW

COMPANIONS: dict[str, int] = {SIDECAR: MAX_META, REVIEW: MAX_REVIEW}
"""Files beside an article that belong to it, by what is added to the article's file name,
and the most bytes each may hold: its sign-off details (``aspirin.docx.meta.toml``) and an
editor's decisions (``aspirin.docx.review.json``). The runner reads them with the article;
they are part of its key (editing one rebuilds the article), and never listed or built as
articles."""


@dataclass(frozen=True, slots=True)
class Source:
    """An article to read, and the name it is shown and filed under (its path from the
    folder it was found in, or its file name); ``within``: the real path of the folder
    it was found in, which it must still be inside when it is read (``""``: named
    itself)."""

    path: Path
    name: str
    kind: Kind = "text"
    within: str = ""


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
    notes: tuple[str, ...] = ()  # warnings, once each: a sidecar misnamed (see misnamed)


@dataclass(frozen=True)
class Note:
    """Something a batch says once, before it runs, and goes on: a warning."""

    message: str


def is_companion(path: Path) -> bool:
    """Whether ``path`` is named as one of an article's :data:`COMPANIONS`.

    >>> is_companion(Path("a.txt.meta.toml")), is_companion(Path("leaflet.toml"))
    (True, False)
    """
    return path.name.lower().endswith(tuple(COMPANIONS))


def misnamed(folder: Path, names: Iterable[str]) -> Iterator[str]:
    """A warning for each of ``names`` (files in ``folder``) that would be one of the
    :data:`COMPANIONS` of an article among them but for the letter case of its name
    (``a.txt.META.toml`` or ``A.TXT.Review.JSON`` for ``a.txt``): it is not read, and the
    warning says what to rename it.

    >>> [w[-40:] for w in misnamed(Path("in"), ["a.txt", "a.txt.META.toml", "b.txt.Review.json"])]
    ['these letters; rename it a.txt.meta.toml']
    """
    names = sorted(names)
    own = {name for name in names if article_kind(Path(name))}
    articles = {name.lower(): name for name in own}
    for name in names:
        for suffix in COMPANIONS:
            lowered = name.lower()
            if not lowered.endswith(suffix) or name.removesuffix(suffix) in own:
                continue  # not a sidecar's name, or the right one (a.txt and A.txt both there)
            stem = articles.get(lowered.removesuffix(suffix))
            if stem is not None:
                yield (f"{display(folder / name)}: is not read: a sidecar is named its "
                       f"article's name followed by {suffix}, in these letters; rename it "
                       f"{display(stem + suffix)}")  # fmt: skip


def misnamed_beside(article: Path, listing: Callable[[Path], list[str]] | None = None) -> list[str]:
    """The warnings of :func:`misnamed` for ``article``'s own sidecars, beside its file
    (``listing``: the names in a folder, which a caller may keep)."""
    own = itself(article)
    try:
        names = (listing or _names_in)(own.parent)
    except OSError:
        return []  # the article's own reading says why
    prefix = own.name.lower()
    return list(misnamed(own.parent, [name for name in names if name.lower().startswith(prefix)]))


def _names_in(folder: Path) -> list[str]:
    return os.listdir(folder)


def read_companions(article: Path) -> dict[str, bytes]:
    """The bytes of each companion ``article`` has, by suffix (a missing one is left out;
    one that cannot be read is an :class:`InputError`, :func:`~pipeline.read.read_beside`:
    a sign-off or decisions not read never make a leaflet)."""
    found = {}
    for suffix, limit in COMPANIONS.items():
        data = read_beside(article, suffix, limit)
        if data is not None:
            found[suffix] = data
    return found


def read_figures(source: Source, data: bytes, encoding: str | None = None) -> dict[str, str]:
    """What each image the figure lines of a Markdown article (``data``, read with
    ``encoding``) name is now, by address: the SHA-256 of the file the reader would show,
    ``"none"`` when there is no such file beside the article (missing, on the web, or
    leading out of its folder), or why it cannot be read (over the size limit, a pipe or a
    link to nothing at its name: :func:`~pipeline.readers.images.figure_problem`). Part of
    the article's key: editing, adding or deleting an image it shows rebuilds it.

    The lines are found as the reader finds them, without sectioning. An article that
    cannot be decoded shows none: it fails in its worker before its images count, and
    whatever goes wrong here (a codec that raises what no codec should) is reported
    there, for that article alone, never stopping the batch.
    """
    files = _figure_files(source, data, encoding)
    states = {path: image_state(path) for path in set(files.values()) if path is not None}
    folder = source.path.parent
    return {
        src: (figure_problem(src, folder) or "none") if path is None else states[path]
        for src, path in files.items()
    }


def _figure_files(source: Source, data: bytes, encoding: str | None) -> dict[str, Path | None]:
    """The file each figure line of a Markdown article names, by address (``None``: no
    file the reader would show), found as :func:`read_figures` says."""
    if source.kind != "markdown":
        return {}  # only Markdown articles show images (pipeline.readers.markdown)
    try:
        text = decode(data, display(source.path), encoding)
    except Exception:  # noqa: BLE001 - the worker meets it again and reports it
        return {}
    if "![" not in text:  # the usual article: one search in C
        return {}
    folder = source.path.parent
    return {src: local_file(src, folder) for src in dict.fromkeys(figure_sources(text))}


def without_figures(found: Found, max_size: int, encoding: str | None = None) -> Found:
    """``found`` without the files its Markdown articles show as figures: like sidecars,
    they are part of an article, not files that are no article.

    Only what could be a figure is looked for: a file found beside or below a Markdown
    article's folder (a figure must be there). Each such article is read once more, here
    (its bytes are read again, from the system's cache, when it is built); a folder with
    nothing but articles costs nothing. An article that cannot be read shows none (it
    fails when it is built, with its message).
    """
    markdown = [source for source in found.articles if source.kind == "markdown"]
    if not found.others or not markdown:
        return found
    reals = [Path(os.path.realpath(other.path)) for other in found.others]
    holding = {str(folder) for real in reals for folder in real.parents}  # could show one
    shown: set[Path] = set()
    for source in markdown:
        if os.path.realpath(source.path.parent) not in holding:
            continue
        try:
            data = read_bytes(source.path, max_size)
        except InputError:
            continue
        shown.update(p for p in _figure_files(source, data, encoding).values() if p is not None)
    if not shown:
        return found
    others = zip(found.others, reals, strict=True)
    return replace(found, others=tuple(other for other, real in others if real not in shown))


def image_state(path: Path) -> str:
    """What an image file is now: the SHA-256 of its bytes, or why it cannot be read (the
    reader refuses it too; another reason is another key)."""
    try:
        return hashlib.sha256(read_bytes(path, MAX_IMAGE_BYTES)).hexdigest()
    except InputError as error:
        return str(error)


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
    out = os.path.realpath(exclude)
    articles: list[Source] = []
    others: list[Other] = []
    problems: list[Problem] = []
    notes: list[Note] = []
    folders: list[Path] = []
    listing = functools.cache(_names_in)  # a folder's names, for the files named in it
    for given in inputs:
        if os.path.lexists(given) and within(out, given):
            raise InputError(
                f"{display(given)}: is inside the output folder {display(exclude)}; "
                "choose an output folder outside the inputs"
            )
        for item in _look(given, out, folders, listing):
            bucket = {Source: articles, Other: others, Problem: problems, Note: notes}[type(item)]
            bucket.append(item)  # type: ignore[attr-defined]
    read = _unique(articles)
    for item in _links_left(articles, read):
        if isinstance(item, Other):
            others.append(item)
        else:
            problems.append(item)
    said = tuple(dict.fromkeys(note.message for note in notes))  # once each
    return Found(  # each once, for a folder named twice (or inside another named)
        tuple(read), tuple(dict.fromkeys(others)), tuple(dict.fromkeys(problems)),
        tuple(dict.fromkeys(folders)), said,
    )  # fmt: skip


Item = Source | Other | Problem | Note


def _look(
    given: Path, out: str, folders: list[Path], listing: Callable[[Path], list[str]]
) -> Iterator[Item]:
    """What one named input holds (a file named is read even if it is a link: the user
    named it)."""
    info = _stat(given)
    if isinstance(info, Problem):
        yield info
    elif stat.S_ISDIR(info.st_mode):
        folders.append(given)
        walk = _Walk(given, os.path.realpath(given), out, {(info.st_dev, info.st_ino)})
        yield from walk.folder(Path())
    elif article_kind(given) is None:
        yield Problem(given, not_an_article(given))
    else:
        yield Source(given, given.name, article_kind(given) or "text")
        yield from (Note(note) for note in misnamed_beside(given, listing))


def not_an_article(path: Path) -> str:
    """The message for a file named as an article that leaflet does not read."""
    return (
        f"{display(path)}: is not an article leaflet reads ({_what(path)}); "
        f"give a file ending in {', '.join(KINDS)}"
    )


@dataclass
class _Walk:
    """One named folder being walked: its real path as the walk began (``real``), the
    output folder's (``out``), and the folders read so far (``seen``)."""

    root: Path
    real: str
    out: str
    seen: set[tuple[int, int]]

    def folder(self, relative: Path) -> Iterator[Item]:
        folder = self.root / relative
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            yield Problem(folder, f"{display(folder)}: {'; '.join(cannot_read(error))}")
            return
        shown = [entry for entry in entries if not entry.name.startswith(".")]
        yield from (Note(note) for note in misnamed(folder, [entry.name for entry in shown]))
        for entry in shown:
            if not is_companion(Path(entry.name)):
                yield from self.entry(relative / entry.name, entry.is_symlink())

    def entry(self, name: Path, link: bool) -> Iterator[Item]:
        """One thing found in the folder; a link is followed only while it stays inside,
        and only to what the walk does not read as itself (:meth:`reached`)."""
        path = self.root / name
        if link and not within(self.real, path):
            yield Other(path, f"a link that leads outside {_folder_name(self.root)}")
            return
        if link and within(self.out, path):  # never read back, nor written over as read
            yield Other(path, "a link into the output folder")
            return
        info = _stat(path)
        if isinstance(info, Problem):
            yield info if article_kind(path) else Other(path, _dangling(path))
        elif stat.S_ISDIR(info.st_mode):
            yield from self.subfolder(name, info, link)
        elif article_kind(path) is None:
            yield Other(path, _what(path))
        elif link and (own := self.reached(path, article=True)) is not None:
            yield Other(path, f"a link to an article read as {display(own)}")
            yield from _left_beside(path)
        else:
            yield Source(path, name.as_posix(), article_kind(path) or "text", self.real)

    def subfolder(self, name: Path, info: os.stat_result, link: bool) -> Iterator[Item]:
        path = self.root / name
        if within(self.out, path):
            return  # the output folder: not read back
        if record_in(path):  # another run's: its index and cleaned copies are no articles
            yield Other(path, "another leaflet output folder (it holds a build record)")
            return
        if len(name.parts) > DEEPEST:  # the walk goes down a level a call: bounded
            yield Other(path, f"a folder nested more than {DEEPEST} deep; not read")
            return
        if (info.st_dev, info.st_ino) in self.seen:
            yield Other(path, "a link to a folder already read")
            return
        if link and (own := self.reached(path, article=False)) is not None:
            yield Other(path, f"a link to a folder read as {display(own)}")
            return
        self.seen.add((info.st_dev, info.st_ino))
        yield from self.folder(name)

    def reached(self, link: Path, *, article: bool) -> Path | None:
        """Where the walk reads what ``link`` (inside the folder and outside the output
        folder, every link followed) leads to as itself, not through a link: ``None`` when
        it does not (it is hidden, too deep), so the link is the way in. Something reached
        both ways is read once, under its own name, whichever comes first."""
        real = os.path.realpath(link)
        parts = Path(os.path.relpath(real, self.real)).parts
        folders = parts[:-1] if article else parts
        hidden = any(part.startswith(".") or is_companion(Path(part)) for part in parts)
        read = article_kind(Path(real)) is not None if article else True
        if hidden or not read or len(folders) > DEEPEST:
            return None
        return self.root.joinpath(*parts)


def _left_beside(link: Path) -> Iterator[Problem]:
    """A sidecar left beside a link to an article read under another name: never read
    (:func:`~pipeline.read.left_beside_link`), so never passed over either."""
    for suffix in COMPANIONS:
        left = left_beside_link(link, suffix)
        if left:
            yield Problem(link.with_name(link.name + suffix), left)


def _folder_name(folder: Path) -> str:
    """A folder's name as messages show it, ending in a separator.

    >>> _folder_name(Path("inbox")), _folder_name(Path("/"))
    ('inbox/', '/')
    """
    return display(folder).rstrip(os.sep) + os.sep


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
        return f"{display(link_to_nothing(path) or 'is a link')}; fix or remove it"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder; check the path"
    return "; ".join(cannot_read(error))


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


def _links_left(found: list[Source], read: list[Source]) -> Iterator[Other | Problem]:
    """Each link of ``found`` to an article ``read`` under another name (two links the
    only ways in to one file), listed as a link to it is, with any sidecar left beside it
    (:func:`_left_beside`): never passed over without a word."""
    names = {os.path.realpath(source.path): source.path for source in read}
    for source in found:
        own = names[os.path.realpath(source.path)]
        if source.path != own and os.path.islink(source.path):
            yield Other(source.path, f"a link to an article read as {display(own)}")
            yield from _left_beside(source.path)


def _unique(sources: list[Source]) -> list[Source]:
    """Each file once, however many ways it was named: under a name that is not a link
    to it if it has one (the file itself), else under the first."""
    chosen: dict[str, Source] = {}
    for source in sources:
        real = os.path.realpath(source.path)
        if real not in chosen or (os.path.islink(chosen[real].path)
                                  and not os.path.islink(source.path)):  # fmt: skip
            chosen[real] = source
    kept = {id(source) for source in chosen.values()}
    return [source for source in sources if id(source) in kept]
