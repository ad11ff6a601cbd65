"""Images beside a Markdown article: which the article shows as figures, checked.

A line of its own that is just an image (``![A chart of doses](chart.png)``) is a
figure when the file it names is beside the article (in its folder or below) and is
really a PNG, JPEG or GIF of at most :data:`MAX_PIXELS` pixels each way. The file's
own bytes say what it is, never its name. An image that is not there stays in the
text as its description (as every image inside a paragraph does); one that is there
but is not such an image is an error that names it.

>>> image_size(b"GIF89a\\x10\\x00\\x20\\x00" + bytes(8))
('image/gif', 16, 32)
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
import struct
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from pipeline.errors import InputError
from pipeline.files import LOOP, TooLarge, link_to_nothing, read_regular, within
from pipeline.model import ImageFile

LOGGER = logging.getLogger(__name__)
MAX_PIXELS = 4000
"""An image may be at most this many pixels wide and high."""
MAX_IMAGE_BYTES = 10_000_000
"""An image file may be at most this many bytes."""
MAX_FIGURE_BYTES = 50_000_000
"""The figures of one article may come to at most this many bytes in all (each is
embedded in its web page, and a figure shown again counts again)."""

FIGURE_LINE = re.compile(
    r"!\[(?P<alt>[^\[\]]*)\]\((?P<src>[^\s()]+)(?:\s+\"(?P<title>[^\"]*)\")?\)"
)
"""A Markdown image alone on its line (stripped): ``![alt](src "title")``."""

_JPEG_SIZE_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def find_images(text: str, folder: Path, name: str) -> tuple[ImageFile, ...]:
    """The checked images that figure lines of ``text`` name, found in ``folder``; an
    :class:`InputError` if they come to over :data:`MAX_FIGURE_BYTES` in all."""
    found: dict[str, tuple[ImageFile, int] | None] = {}
    total = 0
    for src in figure_sources(text):
        if src not in found:
            found[src] = load_image(src, folder, name)
        loaded = found[src]
        total += loaded[1] if loaded is not None else 0
        if total > MAX_FIGURE_BYTES:
            raise InputError(
                f"{name}: its figures come to over {MAX_FIGURE_BYTES:,} bytes in all (a "
                "figure shown again counts again); show fewer or smaller images"
            )
    return tuple(loaded[0] for loaded in found.values() if loaded is not None)


def figure_sources(text: str) -> Iterator[str]:
    """The address of each figure line of ``text``, in order, whether or not it names a
    file (what a build's key looks at: see :func:`pipeline.inputs.read_figures`).

    >>> list(figure_sources("# T\\n\\n![A](a.png)\\nSee ![B](b.png).\\n  ![C](c.gif \\"Cap\\")"))
    ['a.png', 'c.gif']
    """
    for line in text.split("\n"):
        match = FIGURE_LINE.fullmatch(line.strip())
        if match:
            yield match["src"]


def load_image(src: str, folder: Path, name: str) -> tuple[ImageFile, int] | None:
    """The image ``src`` names in ``folder``, and its size in bytes; ``None`` if it is
    not a file there."""
    path = local_file(src, folder)
    if path is None:
        problem = figure_problem(src, folder)
        if problem:
            raise InputError(f"{name}: image {src} {problem}")
        LOGGER.warning("%s: image %s is not beside the article; its text is shown", name, src)
        return None
    try:
        data = read_regular(path, MAX_IMAGE_BYTES)  # never waits on a pipe put there since
    except TooLarge:
        raise InputError(
            f"{name}: image {src} is over {MAX_IMAGE_BYTES:,} bytes; make it smaller"
        ) from None
    except OSError as error:
        raise InputError(f"{name}: image {src} cannot be read ({error.strerror})") from None
    found = image_size(data)
    if found is None:
        raise InputError(f"{name}: image {src} is not a PNG, JPEG or GIF image; replace it")
    media_type, width, height = found
    if not (0 < width <= MAX_PIXELS and 0 < height <= MAX_PIXELS):
        raise InputError(
            f"{name}: image {src} is {width} x {height} pixels, over {MAX_PIXELS} x "
            f"{MAX_PIXELS}; make it smaller"
        )
    return ImageFile(src, str(path), media_type, width, height), len(data)


def local_file(src: str, folder: Path) -> Path | None:
    """The regular file ``src`` names relative to ``folder``, inside it; else ``None``.

    Addresses with a scheme (``https:``, ``file:``, ``data:``), absolute paths, and
    paths that lead out of the folder (``..``, or a link pointing elsewhere) are never
    read.

    >>> local_file("https://example.org/a.png", Path(".")) is None
    True
    """
    path = _beside(src, folder, lexically=False)
    try:
        if path is not None and within(folder, path) and path.is_file():
            return Path(os.path.realpath(path))
    except (OSError, ValueError):  # a name too long, or one the system cannot say
        pass
    return None


def figure_problem(src: str, folder: Path) -> str | None:
    """Why what stands at the name ``src`` gives in ``folder`` cannot be a figure, when
    something does and :func:`local_file` found no image file there: a link leading out
    of the folder, a link to nothing, a folder, a pipe. ``None`` when nothing stands
    there, or ``src`` names no place in the folder (a web address, an absolute path, a
    path whose ``..`` climbs out): then the image's description is shown, as for an
    image that is missing. Nothing outside the folder is read.

    >>> [figure_problem(src, Path(".")) for src in ("https://example.org/a.png", "../a.png")]
    [None, None]
    """
    path = _beside(src, folder, lexically=True)
    if path is None:
        return None
    try:
        if not within(folder, path):
            return (
                "leads outside the article's folder through a link, so it is not read; "
                "put the image itself there"
            )
        if not os.path.lexists(path):
            return None
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as error:
        return _broken(path, error)
    if stat.S_ISDIR(mode):
        return "is a folder; give the image's file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe or device); put the image itself there"
    return None


def _beside(src: str, folder: Path, *, lexically: bool) -> Path | None:
    """The path ``src`` (an address, ``%``-escapes decoded) names in ``folder``, if it
    names one: no scheme, not absolute, no NUL; and, ``lexically``, whose ``..`` do not
    climb out before any link is followed."""
    text = unquote(src)
    if ":" in text or text.startswith(("/", "\\")) or "\x00" in text:
        return None
    if lexically and os.path.normpath(text).split(os.sep)[0] == os.pardir:
        return None
    return folder / text


def _broken(path: Path, error: Exception) -> str:
    """What a figure's path that :func:`os.stat` refused is."""
    if isinstance(error, OSError) and error.errno == errno.ELOOP:
        return "; ".join(LOOP)
    dangling = link_to_nothing(path) if isinstance(error, FileNotFoundError) else None
    if dangling:
        return f"{dangling}; fix or remove the link"
    return f"cannot be read ({getattr(error, 'strerror', None) or error})"


def image_size(head: bytes) -> tuple[str, int, int] | None:
    """The media type and pixel size an image's first bytes declare, or ``None``.

    >>> png = b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR"
    >>> image_size(png + struct.pack(">II", 640, 480))
    ('image/png', 640, 480)
    >>> image_size(b"root:x:0:0:root:/root:/bin/bash") is None
    True
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR" and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return "image/png", width, height
    if head.startswith((b"GIF87a", b"GIF89a")) and len(head) >= 10:
        width, height = struct.unpack("<HH", head[6:10])
        return "image/gif", width, height
    if head.startswith(b"\xff\xd8"):
        size = _jpeg_size(head)
        return ("image/jpeg", *size) if size else None
    return None


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments to the start-of-frame, which holds the size."""
    i = 2
    while i + 9 <= len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker in _JPEG_SIZE_MARKERS:
            height, width = struct.unpack(">HH", head[i + 5 : i + 9])
            return width, height
        (length,) = struct.unpack(">H", head[i + 2 : i + 4])
        i += 2 + length
    return None
