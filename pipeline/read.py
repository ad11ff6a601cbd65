"""Reading: bytes to text, with clear errors for what is not a text article.

Accepted: UTF-8 with or without a BOM, UTF-16 and UTF-32 with a BOM, any other encoding
named by the caller (``--encoding cp1252``); CRLF and CR line endings become LF. The
:class:`Layout` remembers the line endings and a UTF-8 BOM, so ``leaflet clean`` can write
a clean Windows file back byte for byte (as UTF-8: other encodings are not kept).

>>> decode(b"\\xef\\xbb\\xbfHello\\r\\nworld\\r", "a.txt")
'Hello\\nworld\\n'
"""

from __future__ import annotations

import codecs
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.errors import InputError
from pipeline.model import ArticleMeta

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")

MAX_SIZE = 20_000_000
"""The largest input read by default, in bytes (``--max-size`` changes it)."""

Kind = Literal["text", "markdown"]
"""What kind of article a file holds, by its name: the one list of what leaflet reads."""

KINDS: dict[str, Kind] = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}


def article_kind(path: Path) -> Kind | None:
    """The kind of article ``path`` holds, by its suffix; ``None``: not an article.

    >>> article_kind(Path("a/Botox.TXT")), article_kind(Path("x.md")), article_kind(Path("x.png"))
    ('text', 'markdown', None)
    """
    return KINDS.get(path.suffix.lower())


@dataclass(frozen=True)
class Layout:
    """How an input file wrote what its text does not show: line endings and a BOM."""

    newline: str = "\n"
    bom: bool = False

    def restore(self, text: str) -> str:
        r"""``text`` written the input's way.

        >>> Layout("\r\n", bom=True).restore("a\nb\n")
        '\ufeffa\r\nb\r\n'
        """
        body = text.replace("\n", self.newline) if self.newline != "\n" else text
        return ("\ufeff" if self.bom else "") + body


@dataclass(frozen=True)
class Article:
    """An input as the cleaner receives it: plain article text (Markdown for ``markdown``
    articles), what the file says about itself, and how to write it back.

    Every change the cleaner records is an offset into ``text``.
    """

    text: str
    kind: Kind = "text"
    layout: Layout = field(default_factory=Layout)
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    @property
    def markdown(self) -> bool | None:
        """``True`` for Markdown; ``None`` for text files (the sectioner looks at the text)."""
        return True if self.kind == "markdown" else None


def read_bytes(path: Path, max_size: int = MAX_SIZE) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_size`` of them.

    A FIFO, device or socket is refused before it is opened (reading one could hang),
    and a file larger than ``max_size`` before it is read, so memory stays bounded.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a folder; give a file, or use `leaflet build`")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: is not a regular file (a pipe or device); give a file")
        if info.st_size > max_size:
            raise InputError(_too_large(path, info.st_size, max_size))
        with path.open("rb") as handle:
            data = handle.read(max_size + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"{path}: cannot be read ({reason}); check its permissions") from None
    if len(data) > max_size:  # grew while we read it
        raise InputError(_too_large(path, len(data), max_size))
    return data


def _too_large(path: Path, size: int, max_size: int) -> str:
    return (
        f"{path}: is {size:,} bytes, over the limit of {max_size:,}; "
        "split the article, or raise the limit with --max-size"
    )


def read_article(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """The article in ``data``, read from ``path`` (whose name says its kind)."""
    text, layout = decode_with_layout(data, str(path), encoding)
    return Article(text, article_kind(path) or "text", layout)


def load_article(
    path: Path, encoding: str | None = None, max_size: int = MAX_SIZE
) -> Article:
    """Read and decode the article at ``path``; :class:`InputError` if it is not one."""
    return read_article(read_bytes(path, max_size), path, encoding)


def read_text(path: Path, encoding: str | None = None) -> str:
    """The text of the article at ``path``; :class:`InputError` if it is not one."""
    return read_with_layout(path, encoding)[0]


def read_with_layout(path: Path, encoding: str | None = None) -> tuple[str, Layout]:
    """The article's text and its :class:`Layout`; :class:`InputError` if it is not one."""
    return decode_with_layout(read_bytes(path), str(path), encoding)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode an article's bytes; ``name`` is what error messages call it."""
    return decode_with_layout(data, name, encoding)[0]


def decode_with_layout(data: bytes, name: str, encoding: str | None = None) -> tuple[str, Layout]:
    """Decode an article's bytes, and note the layout to write it back the same way."""
    raw = _decode(data, name, encoding)
    text = normalise_newlines(raw.removeprefix("\ufeff"))
    if not text.strip():
        raise InputError(f"{name}: the file is empty; give it the article's text")
    return text, Layout(_newline(raw), data.startswith(codecs.BOM_UTF8))


def _newline(raw: str) -> str:
    """CRLF or CR when every line break in the file is one; otherwise LF."""
    crlf, cr, lf = raw.count("\r\n"), raw.count("\r"), raw.count("\n")
    if crlf and crlf == cr == lf:
        return "\r\n"
    return "\r" if cr and not lf else "\n"


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give it the article's text")
    chosen = encoding or _encoding_from_bom(data)
    if chosen is None:
        _refuse_binary(data, name)
        chosen = "utf-8"
    try:
        return data.decode(_codec(chosen, name))
    except UnicodeDecodeError as error:
        raise InputError(_undecodable(name, error, chosen)) from None


def normalise_newlines(text: str) -> str:
    r"""CRLF and lone CR to LF: ``"a\r\nb\rc"`` becomes ``"a\nb\nc"``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _encoding_from_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _refuse_binary(data: bytes, name: str) -> None:
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise InputError(
            f"{name}: looks like a binary file, not a text article; "
            "give a .txt or .md file (export the article as plain text)"
        )


def _codec(encoding: str, name: str) -> str:
    """The codec's name; an unknown one, or one that is no text encoding (``rot13``,
    ``base64``), is an :class:`InputError`."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"{name}: unknown encoding {encoding!r}; use a text encoding like utf-8 or cp1252"
        )
    return info.name


def _undecodable(name: str, error: UnicodeDecodeError, encoding: str) -> str:
    byte = error.object[error.start : error.start + 1].hex()
    hint = "--encoding cp1252" if encoding.startswith("utf") else "--encoding utf-8"
    return (
        f"{name}: byte 0x{byte} at offset {error.start} is not valid {encoding}; "
        f"if the file uses another encoding, say which, e.g. {hint}"
    )
