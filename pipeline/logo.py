"""The clinic's logo: what the file really is, how large, and the copy a leaflet embeds.

A logo is judged by its bytes, never by its name alone, and its size is read from its
header, so a file of a few kilobytes that claims 12,000 x 12,000 pixels is refused
before anything is decoded:

- PNG: the signature, the ``IHDR`` header's width and height, and every chunk's CRC
  up to ``IEND`` (a damaged or cut-off file is refused, not half drawn);
- JPEG: the start-of-image marker, the frame header's width and height, an end marker;
- SVG: well-formed XML with an ``<svg>`` root, no entity declarations, and nothing that
  could fetch or run anything: only drawing elements (no ``<script>``,
  ``<foreignObject>``, ``<image>``, ``<a>`` or animation), no ``on...`` attributes, links
  (``href``, ``url(...)``) only to ``#ids`` inside the file, no ``@import``, and a
  bounded drawing once ``<use>`` references are expanded.

:func:`inspect_logo` does those checks; :func:`fit_logo` gives the copy the leaflet
embeds: the file as it is when it is small enough, else a copy scaled down (with
Pillow) to fit :data:`FIT`, about 300 dpi at the largest size the leaflet prints it.
Nothing here reads files: :mod:`pipeline.config` does, and caches the result.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree
from xml.parsers import expat

LogoKind = Literal["png", "jpeg", "svg"]
KIND_OF_SUFFIX: dict[str, LogoKind] = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".svg": "svg",
}
MIME: dict[LogoKind, str] = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}
NAME: dict[LogoKind, str] = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG"}
MAX_SIDE = 4000  # pixels, either way
MAX_BYTES = 5_000_000
MAX_SHAPES = 20_000  # SVG elements, counting each <use> as a copy of what it shows
# The largest box the leaflet draws a logo in (CSS: 3.5em high, 40% of the text wide,
# large print on A4) is about 63 x 190 points: these pixels give 300 dpi or more.
FIT = (1200, 600)
EMBED_AS_IS = 200_000  # bytes: a logo within FIT and this size is embedded unchanged

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_START = b"\xff\xd8\xff"
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_DRAWING = frozenset((
    "svg", "g", "defs", "symbol", "use", "switch", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "title", "desc", "metadata",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "style", "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
    "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
    "feSpotLight", "feTile", "feTurbulence",
))  # fmt: skip
# CSS that can load a file: url() other than url(#id), @import, image() and a CSS escape
# (which could spell "url" without the letters).
_FOREIGN_URL = re.compile(r"url\(\s*+(?!['\"]?#)|@import|image(?:-set)?\(|\\", re.IGNORECASE)
# What a file that is not the logo its name says looks like, for the message.
_LOOKS_LIKE = (
    (b"GIF8", "it is a GIF image"),
    (b"%PDF", "it is a PDF document"),
    (b"PK\x03\x04", "it is a ZIP archive or an office document"),
    (b"\x00\x00\x01\x00", "it is an icon file"),
)


class LogoError(ValueError):
    """Why a logo cannot be used, phrased to follow its name: ``'x.png' <reason>``."""


@dataclass(frozen=True)
class LogoInfo:
    """What a logo file really is: its kind, and its size in pixels (``None`` for SVG)."""

    kind: LogoKind
    width: int | None = None
    height: int | None = None

    @property
    def mime(self) -> str:
        """The media type, for a ``data:`` URL or an HTTP header."""
        return MIME[self.kind]


@dataclass(frozen=True)
class LogoImage:
    """The bytes a leaflet embeds for the logo, and their media type."""

    mime: str
    data: bytes


def inspect_logo(data: bytes, suffix: str) -> LogoInfo:
    """The kind and size of a logo whose file name ends in ``suffix``; :class:`LogoError`
    if the bytes are not that kind of image, are damaged, too large or unsafe.

    >>> inspect_logo(b"root:x:0:0:root:/root:/bin/bash", ".png")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pipeline.logo.LogoError: is not a PNG image (it looks like text); save the logo as a real ...
    """
    kind = KIND_OF_SUFFIX.get(suffix.lower())
    if kind is None:
        raise LogoError(
            "is not named as a PNG, JPEG or SVG file (.png, .jpg, .jpeg or .svg); name one"
        )
    if len(data) > MAX_BYTES:
        raise LogoError(
            f"is {len(data):,} bytes, over the limit of {MAX_BYTES:,}; save a smaller copy"
        )
    found = sniff(data)
    if found is not None and found != kind:
        raise LogoError(f"is a {NAME[found]} image named {suffix}; rename it to match")
    if found is None and kind != "svg":
        raise LogoError(
            f"is not a {NAME[kind]} image ({looks_like(data)}); "
            "save the logo as a real PNG, JPEG or SVG file"
        )
    return {"png": _png, "jpeg": _jpeg, "svg": _svg}[kind](data)


def sniff(data: bytes) -> LogoKind | None:
    """``"png"`` or ``"jpeg"`` by the file's first bytes, else ``None`` (SVG is text).

    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff(b"\\xff\\xd8\\xff\\xe0"), sniff(b"<svg/>")
    ('png', 'jpeg', None)
    """
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    if data.startswith(_JPEG_START):
        return "jpeg"
    return None


def looks_like(data: bytes) -> str:
    """A few words on what ``data`` seems to be, for a message.

    >>> looks_like(b""), looks_like(b"GIF89a..."), looks_like(b"hello\\n")
    ('it is empty', 'it is a GIF image', 'it looks like text')
    """
    if not data:
        return "it is empty"
    for magic, words in _LOOKS_LIKE:
        if data.startswith(magic):
            return words
    head = data[:512]
    # An incremental decoder does not count a character cut off at the end as an error.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return "its bytes are not an image"
    return "its bytes are not an image" if b"\x00" in head else "it looks like text"


def _check_pixels(width: int, height: int, kind: LogoKind) -> LogoInfo:
    if width < 1 or height < 1:
        raise LogoError(
            f"is a damaged {NAME[kind]} file (its size is {width} x {height}); export it again"
        )
    if width > MAX_SIDE or height > MAX_SIDE:
        raise LogoError(
            f"is {width:,} x {height:,} pixels, over the limit of {MAX_SIDE:,} x {MAX_SIDE:,}; "
            "save a smaller copy"
        )
    return LogoInfo(kind, width, height)


def _png(data: bytes) -> LogoInfo:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise LogoError("is a damaged PNG file (it has no header); export it again")
    width, height = struct.unpack(">II", data[16:24])
    info = _check_pixels(width, height, "png")
    kinds = set(_png_chunks(data))
    if b"IDAT" not in kinds or b"IEND" not in kinds:
        raise LogoError("is a damaged PNG file (it is cut short); export it again")
    return info


def _png_chunks(data: bytes) -> Iterator[bytes]:
    """Each chunk's type up to ``IEND``, after checking its CRC."""
    view, pos = memoryview(data), len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", view[pos : pos + 4])
        end = pos + 8 + length
        if end + 4 > len(data):
            return
        (crc,) = struct.unpack(">I", view[end : end + 4])
        if zlib.crc32(view[pos + 4 : end]) != crc:
            raise LogoError("is a damaged PNG file (a checksum does not match); export it again")
        kind = bytes(view[pos + 4 : pos + 8])
        yield kind
        if kind == b"IEND":
            return
        pos = end + 4


_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg(data: bytes) -> LogoInfo:
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            if b"\xff\xd9" not in data[-1024:]:
                raise LogoError("is a damaged JPEG file (it is cut short); export it again")
            return _check_pixels(width, height, "jpeg")
        if marker == 0xDA or length < 2:  # image data before any frame header
            break
        pos += 2 + length
    raise LogoError("is a damaged JPEG file (it has no frame header); export it again")


def _svg(data: bytes) -> LogoInfo:
    root = _parse_svg(data)
    if root.tag != _SVG + "svg":
        raise LogoError(
            f"is not an SVG image (its outer element is <{_local(root.tag)}>, not <svg>); "
            "export it as SVG, PNG or JPEG"
        )
    for element in root.iter():
        _check_element(element)
    _count_shapes(root)
    return LogoInfo("svg")


def _parse_svg(data: bytes) -> ElementTree.Element:
    """The XML tree; :class:`LogoError` for XML that is not well formed or declares
    entities (the "billion laughs"; no DTD is ever fetched either)."""
    checker = expat.ParserCreate()
    checker.StartDoctypeDeclHandler = _refuse_internal_subset
    checker.EntityDeclHandler = _refuse_entities
    try:
        checker.Parse(data, True)
        return ElementTree.fromstring(data)
    except (expat.ExpatError, ElementTree.ParseError) as error:
        raise LogoError(
            f"is not an SVG image (it is not well-formed XML: {error}); "
            "export it as SVG, PNG or JPEG"
        ) from None


def _refuse_internal_subset(
    name: str, system: str | None, public: str | None, has_subset: int
) -> None:
    if has_subset:
        _refuse_entities()


def _refuse_entities(*_: object) -> None:
    raise LogoError("declares XML entities, which a logo may not; export it again as plain SVG")


def _check_element(element: ElementTree.Element) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if (tag.startswith(_SVG) and _local(tag) not in _DRAWING) or tag.startswith(_XHTML):
        raise LogoError(
            f"contains <{_local(tag)}>, which a logo may not (scripts, links, embedded images, "
            "animation and web content are refused); export it again as a plain drawing"
        )
    for name, value in element.attrib.items():
        _check_attribute(_local(name), name, value)
    if _local(tag) == "style" and _FOREIGN_URL.search(element.text or ""):
        raise LogoError(
            "has a style that may load another file; remove @import, url(...) and \\ from it"
        )


def _check_attribute(local: str, name: str, value: str) -> None:
    if local.lower().startswith("on"):
        raise LogoError(f"has an {local} attribute (a script), which a logo may not; remove it")
    if name in ("href", _XLINK_HREF) and not value.strip().startswith("#"):
        raise LogoError(f"links to {value[:60]!r}; a logo may only refer to parts of itself (#id)")
    if _FOREIGN_URL.search(value):
        raise LogoError(
            f"has a {local} that may load another file; use only url(#id) inside the SVG"
        )


def _count_shapes(root: ElementTree.Element) -> None:
    """Refuse a drawing of more than :data:`MAX_SHAPES` elements once every ``<use>`` is
    replaced by what it shows (nested ``<use>`` can multiply a small file a billionfold),
    or nested more than 100 deep (a ``<use>`` that shows its own ancestor never ends)."""
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    sizes: dict[int, int] = {}

    def size(element: ElementTree.Element, depth: int) -> int:
        if depth > 100:
            raise LogoError(
                "nests more than 100 deep, or a <use> shows itself; "
                "export it again as a plain drawing"
            )
        if id(element) not in sizes:
            total = 1 + sum(size(child, depth + 1) for child in element)
            href = element.get("href") or element.get(_XLINK_HREF) or ""
            target = ids.get(href.strip()[1:]) if element.tag == _SVG + "use" else None
            total += size(target, depth + 1) if target is not None else 0
            if total > MAX_SHAPES:
                raise LogoError(
                    f"draws more than {MAX_SHAPES:,} shapes; simplify it or export it as PNG"
                )
            sizes[id(element)] = total
        return sizes[id(element)]

    size(root, 0)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def fit_logo(data: bytes, info: LogoInfo) -> LogoImage:
    """The logo as the leaflet embeds it: unchanged when it is SVG, or within :data:`FIT`
    and :data:`EMBED_AS_IS` bytes; else scaled down to fit (the same input gives the
    same bytes). ``data`` must have passed :func:`inspect_logo`.

    >>> fit_logo(b"<svg/>", LogoInfo("svg")).mime
    'image/svg+xml'
    """
    fits = (info.width or 0) <= FIT[0] and (info.height or 0) <= FIT[1]
    if info.kind == "svg" or (fits and len(data) <= EMBED_AS_IS):
        return LogoImage(info.mime, data)
    return LogoImage(info.mime, _scaled(data, info))


def _scaled(data: bytes, info: LogoInfo) -> bytes:
    from PIL import Image  # only for the rare large logo, and once per process

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", FIT)  # JPEG: decode at a fraction of the size, quicker
            image.load()
            picture = (
                image if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK") else image.convert("RGBA")
            )
            picture.thumbnail(FIT, Image.Resampling.LANCZOS)
            out = io.BytesIO()
            if info.kind == "png":
                picture.save(out, "PNG")
            else:
                picture.convert("RGB" if picture.mode in ("RGBA", "LA") else picture.mode).save(
                    out, "JPEG", quality=90
                )
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise LogoError(f"is a damaged {NAME[info.kind]} file ({error}); export it again") from None
    return out.getvalue()
