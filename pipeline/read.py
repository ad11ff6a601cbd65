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
from pipeline.files import NotRegular, TooLarge, read_limited, read_regular, within
from pipeline.readers import Reader, read_docx, read_html, read_markdown, read_text_file
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
LINK_LOOP = "is a link that leads back to itself (a loop); fix or remove the link"
"""What is said of a link that leads back to itself, wherever it is met."""

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
    "load_article",
    "normalise_newlines",
    "read_article",
    "read_bytes",
    "read_limited",
    "read_text",
    "read_with_layout",
    "refuse_link_out",
    "with_sidecar",
]


def article_kind(path: Path) -> Kind | None:
    """The kind of article ``path`` holds, by its suffix; ``None``: not an article.

    >>> article_kind(Path("a/Botox.TXT")), article_kind(Path("x.htm")), article_kind(Path("x.png"))
    ('text', 'html', None)
    """
    return KINDS.get(path.suffix.lower())


def read_bytes(path: Path, max_size: int = MAX_SIZE) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_size`` of them
    (:func:`~pipeline.files.read_regular`): a FIFO, device or socket, or a file larger
    than ``max_size``, is refused before it is read, so nothing waits and memory stays
    bounded; an :class:`InputError` naming the file says what it is and what to do.
    """
    try:
        return read_regular(path, max_size)
    except TooLarge as error:
        raise InputError(_too_large(path, error.size, max_size)) from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError(f"{path}: {LINK_LOOP}") from None
        if isinstance(error, NotRegular) or error.errno == errno.ENXIO:  # ENXIO: a socket
            raise InputError(f"{path}: {_NOT_A_FILE}") from None
        reason = error.strerror or type(error).__name__
        raise InputError(f"{path}: cannot be read ({reason}); check its permissions") from None


_NOT_A_FILE = "is not a regular file (a pipe or device); give a file"


def _too_large(path: Path, size: int, max_size: int) -> str:
    return (
        f"{path}: is {size:,} bytes, over the limit of {max_size:,}; "
        "split the article, or raise the limit with --max-size"
    )


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
    path: Path, encoding: str | None = None, max_size: int = MAX_SIZE
) -> Article:
    """Read and decode the article at ``path``, with what its sidecar file says (see
    :mod:`pipeline.readers.sidecar`); :class:`InputError` if it is not one."""
    article = read_article(read_bytes(path, max_size), path, encoding)
    sidecar = sidecar_path(path)
    if not sidecar.exists() and not sidecar.is_symlink():
        return article
    refuse_link_out(sidecar, path)
    return with_sidecar(article, read_bytes(sidecar, max_size), path)


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
