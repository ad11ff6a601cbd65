"""Reading: a file's bytes to the article the cleaner receives, with clear errors.

:data:`KINDS` is the one table of what leaflet reads, by file suffix; each kind has its
reader in :mod:`pipeline.readers`. :func:`read_bytes` reads a file bounded in size, and
:func:`read_article` hands the bytes to the file's reader.

>>> decode(b"\\xef\\xbb\\xbfHello\\r\\nworld\\r", "a.txt")
'Hello\\nworld\\n'
"""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

from pipeline.errors import InputError
from pipeline.files import (
    LINK_LOOP,
    LOOP,
    LeadsOut,
    NotRegular,
    TooLarge,
    beside,
    cannot_read,
    itself,
    link_to_nothing,
    read_limited,
    read_regular,
    within,
)
from pipeline.readers import Reader, read_docx, read_html, read_markdown, read_text_file
from pipeline.readers.sidecar import MAX_SIZE as MAX_META
from pipeline.readers.sidecar import SUFFIX as META
from pipeline.readers.sidecar import merge_meta, parse_sidecar, sidecar_path
from pipeline.readers.text import (
    Article,
    Layout,
    TextKind,
    decode,
    decode_with_layout,
    normalise_newlines,
)

MAX_SIZE = 20_000_000
"""The largest input read by default, in bytes (``--max-size`` changes it)."""

Kind = Literal["text", "markdown", "html", "docx"]
"""What kind of article a file holds, by its name: the one list of what leaflet reads."""

KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}
READERS: dict[Kind, Reader] = {
    "text": read_text_file,
    "markdown": read_markdown,
    "html": read_html,
    "docx": read_docx,
}

__all__ = [
    "FIX_OR_DELETE",
    "KINDS",
    "LINK_LOOP",
    "MAX_SIZE",
    "Article",
    "Kind",
    "Layout",
    "TextKind",
    "article_kind",
    "decode",
    "decode_with_layout",
    "left_beside_link",
    "load_article",
    "normalise_newlines",
    "read_article",
    "read_beside",
    "read_bytes",
    "read_limited",
    "read_text",
    "read_with_layout",
    "refuse_link_out",
    "unreadable",
    "with_sidecar",
]


def article_kind(path: Path) -> Kind | None:
    """The kind of article ``path`` holds, by its suffix; ``None``: not an article.

    >>> article_kind(Path("a/Botox.TXT")), article_kind(Path("x.htm")), article_kind(Path("x.png"))
    ('text', 'html', None)
    """
    return KINDS.get(path.suffix.lower())


def read_bytes(
    path: Path, max_size: int = MAX_SIZE, inside: str | os.PathLike[str] | None = None
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_size`` of them
    (:func:`~pipeline.files.read_regular`): a FIFO, device or socket, or a file larger
    than ``max_size``, is refused before it is read, so nothing waits and memory stays
    bounded; an :class:`InputError` naming the file says what it is and what to do.
    With ``inside``, the file opened must be in that folder (a link found there may have
    changed since).
    """
    try:
        return read_regular(path, max_size, inside)
    except OSError as error:
        what, todo = unreadable(path, error)
        raise InputError(f"{path}: {what}; {todo}") from None


def read_beside(article: Path, suffix: str, limit: int) -> bytes | None:
    """The bytes of the file that belongs to ``article`` with ``suffix`` added to its
    name (a sidecar: its sign-off details, an editor's decisions), at most ``limit`` of
    them; ``None`` when nothing stands at that name. It stands beside the article's own
    file (:func:`~pipeline.files.beside`): for a link, beside the file the link leads to.
    Whatever stands there and cannot be read (a link leading out of the article's
    folder, a link to nothing, a folder, a pipe, a file too large), and a sidecar left
    beside a link (:func:`left_beside_link`), is an :class:`InputError` naming it and
    saying what to do: what it says is never left out, so the article is not made
    without it."""
    left = left_beside_link(article, suffix)
    if left:
        raise InputError(left)
    path = beside(article, suffix)
    if not os.path.lexists(path):
        return None
    refuse_link_out(path, itself(article))
    try:
        return read_regular(path, limit)
    except OSError as error:
        raise InputError(f"{path}: {unreadable(path, error)[0]}; {FIX_OR_DELETE}") from None


def left_beside_link(article: Path, suffix: str) -> str | None:
    """The message for a sidecar that stands beside ``article`` when ``article`` is a
    link to a file with sidecars of its own elsewhere (``None``: there is none, or it is
    the same file). Its sidecars are the file's, so it is never read, nor left unsaid.
    """
    left = article.with_name(article.name + suffix)
    own = beside(article, suffix)
    if left == own or not os.path.lexists(left):
        return None
    try:
        if os.path.samefile(left, own):
            return None  # a link to the file's own sidecar
    except OSError:
        pass
    return (
        f"{left}: is beside a link to {itself(article)}, so it is not read (an article's "
        f"sidecars are beside the file itself); move it to {own}, or delete it"
    )


FIX_OR_DELETE = "fix it or delete it"
"""What to do about a sidecar that cannot be used."""


def unreadable(path: Path, error: OSError) -> tuple[str, str]:
    """What stands at ``path``, which :func:`~pipeline.files.read_regular` refused with
    ``error``, and what to do about it, as an article's message says them.

    >>> from pipeline.files import TooLarge
    >>> unreadable(Path("a.txt"), TooLarge(25_000_000, 20_000_000))[0]
    'is 25,000,000 bytes, over the limit of 20,000,000'
    """
    if isinstance(error, LeadsOut):
        return "has become a link that leads outside the folder it was found in", "it is not read"
    if isinstance(error, TooLarge):
        return (f"is {error.size:,} bytes, over the limit of {error.limit:,}",
                "split the article, or raise the limit with --max-size")  # fmt: skip
    if error.errno == errno.ELOOP:
        return LOOP
    if isinstance(error, FileNotFoundError):
        dangling = link_to_nothing(path)
        return (dangling, "fix or remove it") if dangling else ("no such file", "check the path")
    if isinstance(error, IsADirectoryError):
        return "is a folder", "give a file"
    if isinstance(error, NotRegular) or error.errno == errno.ENXIO:  # ENXIO: a socket
        return "is not a regular file (a pipe or device)", "give a file"
    return cannot_read(error)


def refuse_link_out(path: Path, article: Path) -> None:
    """:class:`InputError` if ``path``, a file beside ``article`` (one of its sidecars),
    is a link that leads out of the article's folder, every link followed: as a figure's
    image, it is read only from there, and as an input folder's link that leads out, it
    is never read. Call it right before reading ``path``.

    >>> refuse_link_out(Path("inbox/a.txt.meta.toml"), Path("inbox/a.txt"))  # no link
    """
    if os.path.islink(path) and not within(article.parent, path):
        shown = str(article.parent).rstrip(os.sep) + os.sep
        raise InputError(
            f"{path}: is a link that leads outside the article's folder {shown}, so it is "
            "not read; put the file itself there, or delete the link"
        )


def read_article(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """The article in ``data``, read from ``path`` by the reader for its kind (a file
    whose suffix is not in :data:`KINDS` is read as text)."""
    return READERS[article_kind(path) or "text"](data, path, encoding)


def load_article(
    path: Path,
    encoding: str | None = None,
    max_size: int = MAX_SIZE,
    inside: str | os.PathLike[str] | None = None,
) -> Article:
    """Read and decode the article at ``path``, with what its sidecar file says (see
    :mod:`pipeline.readers.sidecar`); :class:`InputError` if it is not one. With
    ``inside``, the file opened must be in that folder (:func:`read_bytes`)."""
    article = read_article(read_bytes(path, max_size, inside), path, encoding)
    return with_sidecar(article, read_beside(path, META, MAX_META), path)


def with_sidecar(article: Article, sidecar: bytes | None, path: Path) -> Article:
    """``article`` (read from ``path``) with what its sidecar's bytes say, if it has one;
    :class:`InputError` naming the sidecar if they are not a sidecar leaflet can use."""
    if sidecar is None:
        return article
    name = str(sidecar_path(path))
    return replace(article, meta=merge_meta(article.meta, parse_sidecar(sidecar, name), name))


def read_text(path: Path, encoding: str | None = None) -> str:
    """The text of the article at ``path``; :class:`InputError` if it is not one."""
    return load_article(path, encoding).text


def read_with_layout(path: Path, encoding: str | None = None) -> tuple[str, Layout]:
    """The article's text and its :class:`Layout`; :class:`InputError` if it is not one."""
    article = load_article(path, encoding)
    return article.text, article.layout
