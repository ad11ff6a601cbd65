"""The leaflet's typefaces: Atkinson Hyperlegible, with DejaVu Sans for what it lacks.

Atkinson Hyperlegible (Braille Institute, SIL OFL 1.1) was drawn for readers with low
vision, but it has no Greek, no Cyrillic and no U+2010 HYPHEN; DejaVu Sans (Debian's
``fonts-dejavu-core``) covers those. The PDF points ``@font-face`` rules at the font
files themselves (:func:`pdf_font_faces`); the web page embeds subsets holding only the
characters it uses (:func:`inline_font_faces`), so it stays one small file.

Subsets are cut by HarfBuzz's subsetter (through ``uharfbuzz``, pinned, so the same page
gives the same bytes on every machine): well under a millisecond a face, where fontTools
took 0.2-0.3 s, so a batch of distinct articles pays nothing much per page.
"""

from __future__ import annotations

import base64
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import uharfbuzz as hb
from fontpkg_atkinson_hyperlegible import ROOT as _ATKINSON_ROOT

PRIMARY_FAMILY = "Atkinson Hyperlegible"
FALLBACK_FAMILY = "DejaVu Sans"
ATKINSON_DIR = Path(_ATKINSON_ROOT) / "files"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Face:
    """One font file and the CSS ``font-family``/``font-weight``/``font-style`` it provides."""

    family: str
    path: Path
    weight: int = 400
    style: str = "normal"

    def rule(self, src: str) -> str:
        """The ``@font-face`` rule for this face, loading it from ``src`` (a URL)."""
        return (
            f'@font-face {{ font-family: "{self.family}"; src: url("{src}"); '
            f"font-weight: {self.weight}; font-style: {self.style}; }}"
        )


ATKINSON: tuple[Face, ...] = (
    Face(PRIMARY_FAMILY, ATKINSON_DIR / "AtkinsonHyperlegible-Regular.ttf"),
    Face(PRIMARY_FAMILY, ATKINSON_DIR / "AtkinsonHyperlegible-Bold.ttf", 700),
    Face(PRIMARY_FAMILY, ATKINSON_DIR / "AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
    Face(PRIMARY_FAMILY, ATKINSON_DIR / "AtkinsonHyperlegible-BoldItalic.ttf", 700, "italic"),
)
DEJAVU: tuple[Face, ...] = (
    Face(FALLBACK_FAMILY, DEJAVU_DIR / "DejaVuSans.ttf"),
    Face(FALLBACK_FAMILY, DEJAVU_DIR / "DejaVuSans-Bold.ttf", 700),
)
# Only upright faces are embedded in the web page: the template sets no italics.
_INLINE_FACES = (ATKINSON[0], ATKINSON[1])
_INLINE_FALLBACK = DEJAVU
_ALWAYS = frozenset(map(ord, string.printable.strip() + " "))
# Tables a web page's font has no use for (a signature and a tool's time stamp).
_DROP_TABLES = (b"DSIG", b"FFTM")


def available_faces() -> tuple[Face, ...]:
    """Every face whose file exists: Atkinson always (a dependency), DejaVu if installed."""
    return tuple(face for face in ATKINSON + DEJAVU if face.path.is_file())


def font_files() -> frozenset[Path]:
    """The font files a renderer may read (the URL fetcher's allow-list)."""
    return frozenset(face.path.resolve() for face in available_faces())


def pdf_font_faces() -> str:
    """``@font-face`` rules pointing at the font files, for WeasyPrint."""
    return "\n".join(face.rule(face.path.resolve().as_uri()) for face in available_faces())


def inline_font_faces(text: str) -> str:
    """``@font-face`` rules with ``data:`` URLs holding just the glyphs ``text`` needs.

    Atkinson gets the characters it has; DejaVu (if installed) gets only the rest, and
    is left out when nothing is missing.
    """
    wanted = frozenset(ord(ch) for ch in text if _drawable(ch)) | _ALWAYS
    primary = wanted & cmap(ATKINSON[0].path)
    missing = wanted - primary
    rules = [_inline_rule(face, primary) for face in _INLINE_FACES]
    if missing:
        rules += [_inline_rule(f, missing) for f in _INLINE_FALLBACK if f.path.is_file()]
    return "\n".join(rules)


def _drawable(ch: str) -> bool:
    return unicodedata.category(ch)[0] not in "CZ" or ch == " "


def _inline_rule(face: Face, codepoints: frozenset[int]) -> str:
    return _data_rule(face, subset_font(face.path, codepoints))


def _data_rule(face: Face, font: bytes) -> str:
    return face.rule(f"data:font/ttf;base64,{base64.b64encode(font).decode('ascii')}")


@cache
def _hb_face(path: Path) -> Any:  # uharfbuzz is untyped: an hb.Face
    return hb.Face(hb.Blob.from_file_path(str(path)))


@cache
def cmap(path: Path) -> frozenset[int]:
    """The code points a font file maps to glyphs."""
    return frozenset(_hb_face(path).unicodes)


@lru_cache(maxsize=64)
def subset_font(path: Path, codepoints: frozenset[int]) -> bytes:
    """A TrueType subset of the font at ``path`` with only ``codepoints`` (and what its
    layout features need for them), unhinted; the same input gives the same bytes.

    The ``head`` table keeps the font's own dates, so the page is reproducible.
    """
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(sorted(codepoints))
    wanted.flags = hb.SubsetFlags.NO_HINTING  # screens rasterise well without; half the size
    for tag in _DROP_TABLES:
        wanted.drop_table_tag_set.add(int.from_bytes(tag, "big"))
    font: bytes = hb.subset(_hb_face(path), wanted).blob.data
    return font


def warm_up_fonts() -> None:
    """Load the font files and read their character maps now rather than on the first page."""
    for face in available_faces():
        cmap(face.path)


def characters_missing(text: Iterable[str]) -> frozenset[str]:
    """Characters of ``text`` that no available face can draw (for warnings and tests).

    >>> sorted(characters_missing("Botox"))
    []
    """
    covered = frozenset().union(*(cmap(face.path) for face in available_faces()))
    return frozenset(ch for ch in text if _drawable(ch) and ord(ch) not in covered)
