"""Articles pasted or uploaded in the studio, and the names people know them by.

An article made on the home page is kept in ``OUTPUT/studio/`` under a name made from
its bytes (``913e286992b63df9.html``), so the same article pasted or uploaded again
finds the same decisions, and ``leaflet build`` reads it as the studio does. Beside it,
a small hidden *name file* (``.913e286992b63df9.html.name.json``) holds the name the
user's own file had (``{"leaflet_kept": 1, "name": "hayfever.html"}``; ``null`` for
pasted text), written again each time the article is kept, so the last name given is
the one shown. Hidden, it is the studio's own: ``leaflet build OUTPUT/studio`` passes
over it as over any hidden file, rather than listing it as a file that is no article.

What the studio then calls the article (:func:`shown`): an upload by its file name, and
pasted text (or an article of the folder) by its title, in the review's heading, the
page's title and the list of articles made before; its downloads are named after it
(``hayfever.pdf``, or the title's slug). A file name is only ever shown as made safe by
:func:`safe_name` (read back from the name file, it is made safe again), and always
escaped by the templates.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.config import LeafletConfig
from pipeline.errors import InputError, NoPdfError, OutputError
from pipeline.files import write_atomic
from pipeline.read import KINDS, article_kind, read_article, read_bytes
from pipeline.studio import articles
from pipeline.studio.articles import Prepared, Studio, Where
from pipeline.studio.security import NotFound, TooLarge

NAME_SUFFIX = ".name.json"
MAX_NAME = 100
"""The longest file name shown, in characters; a longer one is cut short, its suffix kept."""
_NAME_FILE_SIZE = 4096  # bytes: a name file is never more than a few hundred
_UNSEEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})  # controls, bidi, invisibles
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*]+')  # refused by some systems when saving
NO_TITLE = "Untitled article"
_KEPT_NAME = re.compile(r"[0-9a-f]{16}\.[a-z]+")  # what _keep names an article


@dataclass(frozen=True)
class Shown:
    """What the studio calls one article: its heading, the file name it was uploaded
    under (``""`` for pasted text and the folder's articles), and the name (without a
    suffix) its downloads take."""

    heading: str
    uploaded_as: str
    download: str


def safe_name(filename: str) -> str:
    """A file name as sent by a browser (or anyone), made fit to show and to name files
    by: its last part only, without control, bidi or invisible characters, spaces
    squeezed, no leading dots, and at most :data:`MAX_NAME` characters (its suffix kept).

    >>> safe_name("../../etc/hay fever.txt"), safe_name("C:\\\\Users\\\\Sam\\\\notes.md")
    ('hay fever.txt', 'notes.md')
    >>> safe_name("evil\\u202etxt.exe.html"), safe_name("  a\\tb\\u200b.txt\\n"), safe_name(".x.md")
    ('eviltxt.exe.html', 'a b.txt', 'x.md')
    >>> cut = safe_name("a" * 10_000 + ".html"); len(cut), cut[-8:]
    (100, 'aa….html')
    """
    name = _visible(re.split(r"[\\/]", filename)[-1]).lstrip(". ")
    if len(name) <= MAX_NAME:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 10 else ""
    return name[: MAX_NAME - len(suffix) - 1] + "…" + suffix


def _visible(text: str) -> str:
    """``text`` without the characters that cannot be seen or turn text round, and with
    each run of spaces (tabs, new lines) one space."""
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join(c for c in text if c.isspace() or _seen(c)).split())


def _seen(char: str) -> bool:
    return unicodedata.category(char) not in _UNSEEN


def download_name(name: str) -> str:
    """The name downloads take after a file name (without its suffix), with no
    character a system refuses in a file's name.

    >>> download_name("hayfever.html"), download_name('What "works"? a|b.docx')
    ('hayfever', 'What -works- a-b')
    """
    from pipeline.structure.slug import UNTITLED  # here: the studio starts without spaCy

    stem = Path(name).stem if Path(name).suffix else name
    return _NOT_IN_FILE_NAMES.sub("-", stem).strip(" .-") or UNTITLED


def prepare(studio: Studio, where: Where, name: str) -> Prepared:
    """:func:`~pipeline.studio.articles.prepare`, whose messages name a pasted or uploaded
    article as people know it (``pasted.txt``, or the name it was uploaded under), never
    by the file the studio keeps it in (text that holds no text only once cleaned is
    refused there, not when it is pasted)."""
    try:
        return articles.prepare(studio, where, name)
    except InputError as error:
        if where != "pasted":
            raise
        path = articles.locate(studio, where, name)
        known = read_name(path) or _PASTED
        raise _named(error, path, known) from None


def render(prepared: Prepared, config: LeafletConfig, fmt: str) -> bytes:
    """:func:`~pipeline.studio.articles.render`, whose messages (a PDF over a limit) name
    a pasted or uploaded article as people know it, as :func:`prepare`'s do."""
    try:
        return articles.render(prepared, config, fmt)
    except InputError as error:
        if prepared.where != "pasted":
            raise
        raise _named(error, prepared.path, read_name(prepared.path) or _PASTED) from None


def _named(error: InputError, path: Path, name: str) -> InputError:
    """``error`` with the file an article is kept in (or read as) called ``name``, as
    people know it."""
    if isinstance(error, NoPdfError):
        return NoPdfError(error.name.replace(str(path), name), error.reason)
    return InputError(str(error).replace(str(path), name))


def shown(prepared: Prepared) -> Shown:
    """What the studio calls ``prepared`` (see the module docstring)."""
    doc = prepared.document
    uploaded_as = read_name(prepared.path) if prepared.where == "pasted" else ""
    if uploaded_as:
        return Shown(uploaded_as, uploaded_as, download_name(uploaded_as))
    return Shown(doc.title or NO_TITLE, "", doc.slug)


# ---------------------------------------------------------------- keeping


def kinds_text() -> str:
    """The suffixes of :data:`~pipeline.read.KINDS`, for messages and the upload's hint.

    >>> kinds_text()
    '.txt, .md, .markdown, .html, .htm or .docx'
    """
    *most, last = KINDS
    return f"{', '.join(most)} or {last}" if most else last


def keep_upload(studio: Studio, data: bytes, filename: str) -> str:
    """Keep an uploaded article in the studio's folder; the name it is kept under.
    :class:`InputError` for a file leaflet cannot read, checked before keeping."""
    name = safe_name(filename)
    if article_kind(Path(name)) is None:
        shown = name or "This file"
        raise InputError(f"{shown}: is not an article leaflet reads; choose a {kinds_text()} file")
    return _keep(studio, data, name, uploaded=True)


def keep_pasted(studio: Studio, text: str) -> str:
    """Keep pasted text as an article of kind ``text``; the name it is kept under."""
    return _keep(studio, text.encode("utf-8"), _PASTED, uploaded=False)


_PASTED = "pasted" + next(suffix for suffix, kind in KINDS.items() if kind == "text")
"""What messages call pasted text (as a file of text)."""


def _keep(studio: Studio, data: bytes, name: str, *, uploaded: bool) -> str:
    """Read ``data`` as the command line will read it once kept (a Markdown article's
    images are looked for where it will be, never in the studio's working folder), then
    keep it under a name made from its bytes, with ``name`` beside it if ``uploaded``.
    Messages name the file as ``name``; :class:`TooLarge` for more than the studio
    takes, which it could not open again."""
    if len(data) > studio.max_upload:
        raise TooLarge(len(data), studio.max_upload)
    there = studio.pasted / name
    try:
        read_article(data, there)
    except InputError as error:
        raise _named(error, there, name) from None
    kept = hashlib.sha256(data).hexdigest()[:16] + Path(name).suffix.lower()
    path = studio.pasted / kept
    if not os.path.exists(path):
        write_atomic(path, data)
    record = {"leaflet_kept": 1, "name": name if uploaded else None}
    write_atomic(name_path(path), json.dumps(record) + "\n")
    return kept


def remove(studio: Studio, name: str) -> None:
    """Delete an article pasted or uploaded in the studio: its file, its name file and
    the decisions made on it (its ``.review.json``), so text with a patient's details in
    it does not stay on the computer. Nothing else is ever deleted: :class:`NotFound` for
    a name the studio did not make, or one that is not a plain file of its own folder (a
    link is never followed). :class:`OutputError` when the system refuses."""
    from pipeline.review import sidecar_path  # here: the home page starts without it

    path = studio.pasted / name
    if not _KEPT_NAME.fullmatch(name) or article_kind(path) is None:
        raise NotFound(name)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise NotFound(name)
    except FileNotFoundError:
        raise NotFound(name) from None
    for file in (path, name_path(path), sidecar_path(path)):  # (a plain file: no link)
        try:  # the article first: the other two mean nothing without it
            os.unlink(file)
        except FileNotFoundError:
            continue
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise OutputError(
                f"{file}: cannot be removed ({reason}); check the permissions of its folder"
            ) from None
    _title.cache_clear()


# ---------------------------------------------------------------- reading back


def name_path(article: Path) -> Path:
    """``studio/913e….html`` -> ``studio/.913e….html.name.json``."""
    return article.with_name("." + article.name + NAME_SUFFIX)


def read_name(article: Path) -> str:
    """The file name ``article`` was last uploaded under, made safe; ``""`` for pasted
    text, or a name file that is missing or is not one (it is never trusted)."""
    try:
        record = json.loads(read_bytes(name_path(article), _NAME_FILE_SIZE))
    except (InputError, ValueError, RecursionError):
        return ""
    if not isinstance(record, dict) or record.get("leaflet_kept") != 1:
        return ""
    name = record.get("name")
    return safe_name(name) if isinstance(name, str) else ""


def recent(studio: Studio, count: int = 10) -> list[tuple[str, str, bool]]:
    """The articles pasted or uploaded most recently: ``(kept name, heading, whether the
    heading is a file name)`` each."""
    if not os.path.isdir(studio.pasted):
        return []
    found = [p for p in studio.pasted.iterdir() if article_kind(p) and os.path.isfile(p)]
    found.sort(key=_kept_at, reverse=True)
    names = [(p, read_name(p)) for p in found[:count]]
    return [(p.name, name or _title(p, studio.max_upload), bool(name)) for p, name in names]


def _kept_at(article: Path) -> float:
    """When the article was last kept: its name file is written each time."""
    try:
        return name_path(article).stat().st_mtime
    except OSError:
        return article.stat().st_mtime


@lru_cache(maxsize=256)
def _title(path: Path, max_size: int) -> str:
    """The article's title, or its first line, as its reader gives it (the name is made
    from the bytes, so it always names the same article)."""
    try:
        article = read_article(read_bytes(path, max_size), path)
    except InputError:
        return NO_TITLE
    lines = (_visible(line.lstrip("#")) for line in article.text.splitlines())
    return (article.meta.title or next((line for line in lines if line), NO_TITLE))[:80]
