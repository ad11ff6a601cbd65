"""Reading: bytes to text, with clear errors for what is not a text article.

Accepted: UTF-8 with or without a BOM, UTF-16 and UTF-32 with a BOM, any other encoding
named by the caller (``--encoding cp1252``); CRLF and CR line endings become LF.

>>> decode(b"\\xef\\xbb\\xbfHello\\r\\nworld\\r", "a.txt")
'Hello\\nworld\\n'
"""

from __future__ import annotations

import codecs
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


def read_text(path: Path, encoding: str | None = None) -> str:
    """The text of the article at ``path``; :class:`InputError` if it is not one."""
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
    return decode(data, str(path), encoding)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode an article's bytes; ``name`` is what error messages call it."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give it the article's text")
    chosen = encoding or _encoding_from_bom(data)
    if chosen is None:
        _refuse_binary(data, name)
        chosen = "utf-8"
    try:
        text = data.decode(_codec(chosen, name))
    except UnicodeDecodeError as error:
        raise InputError(_undecodable(name, error, chosen)) from None
    return normalise_newlines(text.removeprefix("\ufeff"))


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
