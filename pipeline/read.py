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
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")


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


def read_text(path: Path, encoding: str | None = None) -> str:
    """The text of the article at ``path``; :class:`InputError` if it is not one."""
    return read_with_layout(path, encoding)[0]


def read_with_layout(path: Path, encoding: str | None = None) -> tuple[str, Layout]:
    """The article's text and its :class:`Layout`; :class:`InputError` if it is not one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a file, or use `leaflet build`") from None
    except OSError as error:
        raise InputError(
            f"{path}: cannot be read ({error.strerror}); check its permissions"
        ) from None
    return decode_with_layout(data, str(path), encoding)


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
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            f"{name}: unknown encoding {encoding!r}; use a name like utf-8 or cp1252"
        ) from None


def _undecodable(name: str, error: UnicodeDecodeError, encoding: str) -> str:
    byte = error.object[error.start : error.start + 1].hex()
    hint = "--encoding cp1252" if encoding.startswith("utf") else "--encoding utf-8"
    return (
        f"{name}: byte 0x{byte} at offset {error.start} is not valid {encoding}; "
        f"if the file uses another encoding, say which, e.g. {hint}"
    )
