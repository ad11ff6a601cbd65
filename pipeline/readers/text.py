"""Text files: bytes to text, with the encoding found per file and clear errors.

Accepted: UTF-8 with or without a BOM, UTF-16 and UTF-32 with a BOM, and any other
encoding, which is detected (charset-normalizer) or named by the caller
(``--encoding cp1252``); CRLF and CR line endings become LF. The :class:`Layout`
remembers the line endings and a UTF-8 BOM, so ``leaflet clean`` can write a clean
Windows file back byte for byte (as UTF-8: other encodings are not kept).

Detection is trusted only when it is sure: among the encodings that read the bytes
equally well, Windows-1252 (what English text that is not UTF-8 almost always is) is
chosen if it is one of them, else the only one; otherwise the file's name and
"pass --encoding" are the error.

>>> decode(b"\\xef\\xbb\\xbfHello\\r\\nworld\\r", "a.txt")
'Hello\\nworld\\n'
>>> decode("Café “au lait” – naïve.\\n".encode("cp1252"), "a.txt")
'Café “au lait” – naïve.\\n'
"""

from __future__ import annotations

import codecs
import warnings
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import regex
from charset_normalizer import from_bytes

from pipeline.errors import InputError, echo
from pipeline.model import ArticleMeta, ImageFile

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")
_PREFERRED = "cp1252"
_WIDE = ("utf_16", "utf_32")  # the encodings whose text has NUL bytes
_DETECT_BYTES = 1_000_000  # detection reads at most this much of a file
_SAME_SCORE = 0.01

TextKind = Literal["text", "markdown"]
"""What the cleaner and the sectioner receive: plain text, or Markdown (every rich
format is read into Markdown)."""


@dataclass(frozen=True)
class Layout:
    """How an input file wrote what its text does not show: line endings, a BOM, and a
    header (Markdown front matter) that is kept but not part of the article's text."""

    newline: str = "\n"
    bom: bool = False
    header: str = ""

    def restore(self, text: str) -> str:
        r"""``text`` written the input's way.

        >>> Layout("\r\n", bom=True, header="---\nx: 1\n---\n").restore("a\nb\n")
        '\ufeff---\r\nx: 1\r\n---\r\na\r\nb\r\n'
        """
        text = self.header + text
        body = text.replace("\n", self.newline) if self.newline != "\n" else text
        return ("\ufeff" if self.bom else "") + body


@dataclass(frozen=True)
class Article:
    """An input as the cleaner receives it: plain article text (Markdown for ``markdown``
    articles), what the file says about itself, the images beside it that it shows,
    and how to write it back.

    Every change the cleaner records is an offset into ``text``.
    """

    text: str
    kind: TextKind = "text"
    layout: Layout = field(default_factory=Layout)
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    images: tuple[ImageFile, ...] = ()

    @property
    def markdown(self) -> bool | None:
        """``True`` for Markdown; ``None`` for text files (the sectioner looks at the text)."""
        return True if self.kind == "markdown" else None


def read_text_article(data: bytes, name: str, encoding: str | None = None) -> Article:
    """A ``.txt`` file: its text and layout."""
    text, layout = decode_with_layout(data, name, encoding)
    return Article(text, "text", layout)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode an article's bytes; ``name`` is what error messages call it."""
    return decode_with_layout(data, name, encoding)[0]


def decode_with_layout(data: bytes, name: str, encoding: str | None = None) -> tuple[str, Layout]:
    """Decode an article's bytes, and note the layout to write it back the same way."""
    raw = _decode(data, name, encoding)
    text = normalise_newlines(raw.removeprefix("\ufeff"))
    refuse_blank(text, name)  # a byte-order mark alone too: the file is not empty
    return text, Layout(_newline(raw), data.startswith(codecs.BOM_UTF8))


BLANK = "only blank space or invisible characters"
"""What an article that holds no text has in it: spaces, tabs and line breaks of every
kind (what ``str.strip`` removes: NEL, the line and paragraph separators too), the
characters no one sees (:data:`pipeline.chardata.INVISIBLE`: zero-width ones, soft
hyphens, word joiners, byte-order marks, Hangul fillers...), the braille blank (a
pattern of no dots, which shows as a space) and nonspacing marks (an accent alone has
no letter to sit on; an enclosing circle shows, and is text)."""
NO_TEXT = f"holds no text ({BLANK})"
GIVE_TEXT = "give it the article's text"


def holds_text(text: str) -> bool:
    """Whether ``text`` has a character a reader would see (see :data:`BLANK`). A soft
    hyphen shows only where a word breaks, so soft hyphens alone are no text (the
    cleaner keeps them, so the rule cannot be "nothing left once cleaned"). A control
    character counts here; the cleaner deletes it, and :func:`refuse_blank` is asked
    again of the cleaned text.

    >>> blank = ("", " \\n\\t\\u2028\\x85", "\\u200b\\xad\\u2060\\ufeff", "\\u2800 \\u0301\\u3164")
    >>> seen = ("\\u200bA", "\\u200b 5 mg", "\\u2800\\u2801", "e\\u0301", "\\u0301\\u20dd")
    >>> [holds_text(t) for t in (*blank, *seen)]
    [False, False, False, False, True, True, True, True, True]
    """
    stripped = text.strip()
    if stripped[:1].isascii() and stripped[:1].isalnum():
        return True  # at once for an article, which starts with a letter
    return _something_to_see().search(stripped) is not None


@cache
def _something_to_see() -> regex.Pattern[str]:
    """A character that is not in :data:`BLANK` (here: reading a file needs no cleaner's
    tables until an article starts with something else than an ASCII letter or digit)."""
    from pipeline.chardata import INVISIBLE

    return regex.compile(rf"[^\s\u2800\p{{Mn}}{INVISIBLE.pattern}]")


def refuse_empty(text: str, name: str | None, what: str = "file") -> None:
    """:class:`InputError` for an article with no text: nothing at all ("the file is
    empty", or the ``what`` named), or nothing a reader would see (:func:`refuse_blank`).
    ``name`` is what the message calls the article (``None``: the article itself).

    >>> refuse_empty("", "a.docx")
    Traceback (most recent call last):
    pipeline.errors.InputError: a.docx: the file is empty; give it the article's text
    """
    if not text:
        where = f"{name}: " if name else ""
        raise InputError(f"{where}the {what} is empty; {GIVE_TEXT}")
    refuse_blank(text, name)


def refuse_blank(text: str, name: str | None) -> None:
    """:class:`InputError` for an article that holds no text (:func:`holds_text`), as it
    is read and again once cleaned: the one rule of every way in (a file, a batch, the
    studio, :func:`pipeline.build_document`; a corpus record says it as its error).

    >>> refuse_blank("\\u200b\\u200b\\n", "zw.txt")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    pipeline.errors.InputError: zw.txt: holds no text (only blank space or invisible
    characters); give it the article's text
    """
    if not holds_text(text):
        where = f"{name}: " if name else "the article "
        raise InputError(f"{where}{NO_TEXT}; {GIVE_TEXT}")


def _newline(raw: str) -> str:
    """CRLF or CR when every line break in the file is one; otherwise LF."""
    crlf, cr, lf = raw.count("\r\n"), raw.count("\r"), raw.count("\n")
    if crlf and crlf == cr == lf:
        return "\r\n"
    return "\r" if cr and not lf else "\n"


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    if not data:
        refuse_empty("", name)
    chosen = encoding or _encoding_from_bom(data)
    if chosen is None:
        chosen = _detect(data, name)
    try:
        return data.decode(codec_name(chosen, name))
    except UnicodeDecodeError as error:
        raise InputError(_undecodable(name, error, chosen)) from None
    except UnicodeError as error:  # a codec that fails otherwise than on a byte
        raise InputError(
            f"{name}: cannot be read as {chosen} ({error.__cause__ or error}); "
            "if the file uses another encoding, say which, e.g. --encoding cp1252"
        ) from None


def normalise_newlines(text: str) -> str:
    r"""CRLF and lone CR to LF: ``"a\r\nb\rc"`` becomes ``"a\nb\nc"``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _encoding_from_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _detect(data: bytes, name: str) -> str:
    """UTF-8 if the bytes are valid UTF-8 text, else the detected encoding (see the
    module docstring); binary files and unsure detections are an :class:`InputError`."""
    if data.startswith(_BINARY_SIGNATURES):
        raise InputError(_binary(name))
    if b"\x00" not in data[:8192] and is_utf8(data):
        return "utf-8"
    found = _detected(data[:_DETECT_BYTES])
    if b"\x00" in data[:8192] and not (found or "").startswith(_WIDE):
        raise InputError(_binary(name))
    if found is None:
        raise InputError(
            f"{name}: is not UTF-8 and its encoding cannot be told for sure; "
            "say which it is, e.g. --encoding cp1252"
        )
    return found


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detected_encoding(data: bytes) -> str | None:
    """The encoding the detection is sure of for ``data`` (its first bytes), if any."""
    return _detected(data[:_DETECT_BYTES])


def _detected(data: bytes) -> str | None:
    """The one encoding charset-normalizer is sure of, Windows-1252 first; ``None``."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    level = [
        match
        for match in matches
        if match.chaos <= best.chaos + _SAME_SCORE
        and match.coherence >= best.coherence - _SAME_SCORE
    ]
    if any(_PREFERRED in match.could_be_from_charset for match in level):
        return _PREFERRED
    if len(level) == 1 and (best.coherence > 0 or best.encoding.startswith(_WIDE)):
        return str(best.encoding)
    return None


def _binary(name: str) -> str:
    return (
        f"{name}: looks like a binary file, not a text article; "
        "give a .txt, .md, .html or .docx file (or export the article as plain text)"
    )


def codec_name(encoding: str, name: str) -> str:
    """The codec's name; an unknown one, or one that is no text encoding (``rot13``,
    ``base64``, or one that cannot decode text: ``undefined``, ``punycode``), is an
    :class:`InputError`.

    >>> codec_name("CP1252", "a.txt"), _reads("undefined"), _reads("punycode")
    ('cp1252', False, False)
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True) or not _reads(info.name):
        raise InputError(
            f"{name}: unknown encoding {echo(encoding)}; use a text encoding like utf-8 or cp1252"
        )
    return info.name


_PROBES = (b"a", b"Title\n\nText, 5 mg: see www.xn--a.example.\n", bytes(range(256)))


@cache
def _reads(codec: str) -> bool:
    """Whether ``codec`` decodes bytes to text, failing only on a byte it cannot read (a
    :class:`UnicodeDecodeError`, which names the byte), never otherwise: ``undefined``
    refuses everything, ``punycode`` and ``idna`` anything that is not a domain name."""
    for probe in _PROBES:
        try:
            with warnings.catch_warnings():  # unicode_escape warns of "\]"; no matter here
                warnings.simplefilter("ignore")
                probe.decode(codec)
        except UnicodeDecodeError:
            continue
        except (UnicodeError, ValueError, TypeError, LookupError):
            return False
    return True


def _undecodable(name: str, error: UnicodeDecodeError, encoding: str) -> str:
    byte = error.object[error.start : error.start + 1].hex()
    hint = "--encoding cp1252" if encoding.startswith("utf") else "--encoding utf-8"
    return (
        f"{name}: byte 0x{byte} at offset {error.start} is not valid {encoding}; "
        f"if the file uses another encoding, say which, e.g. {hint}"
    )
