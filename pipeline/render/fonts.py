"""The leaflet's typefaces: Atkinson Hyperlegible, with DejaVu Sans for what it lacks.

Atkinson Hyperlegible (Braille Institute, SIL OFL 1.1) was drawn for readers with low
vision, but it has no Greek, no Cyrillic and no U+2010 HYPHEN; DejaVu Sans (Debian's
``fonts-dejavu-core``) covers those. The PDF points ``@font-face`` rules at the font
files themselves (:func:`pdf_font_faces`); the web page embeds subsets holding only the
characters it uses (:func:`inline_font_faces`), so it stays one small file.
"""

from __future__ import annotations

import base64
import io
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from fontpkg_atkinson_hyperlegible import ROOT as _ATKINSON_ROOT
from fontTools import subset
from fontTools.ttLib import TTFont

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
# Blocks a health article may plausibly need from DejaVu: Latin Extended, Greek, Cyrillic,
# punctuation (U+2010 HYPHEN), super- and subscripts, letter-like symbols, arrows, maths.
# DejaVu is cut down to these once per process, so each page's subset is quick to make.
_FALLBACK_POOL = frozenset([*range(0x0100, 0x0250), *range(0x0370, 0x0530), *range(0x2000, 0x2300)])


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
        rules += [_fallback_rule(f, missing) for f in _INLINE_FALLBACK if f.path.is_file()]
    return "\n".join(rules)


def _drawable(ch: str) -> bool:
    return unicodedata.category(ch)[0] not in "CZ" or ch == " "


def _inline_rule(face: Face, codepoints: frozenset[int]) -> str:
    return _data_rule(face, subset_font(face.path, codepoints))


def _fallback_rule(face: Face, codepoints: frozenset[int]) -> str:
    if codepoints <= _FALLBACK_POOL:
        return _data_rule(face, subset_font(face.path, codepoints, _fallback_pool(face.path)))
    return _inline_rule(face, codepoints)


def _data_rule(face: Face, font: bytes) -> str:
    return face.rule(f"data:font/ttf;base64,{base64.b64encode(font).decode('ascii')}")


@cache
def _fallback_pool(path: Path) -> bytes:
    return subset_font(path, _FALLBACK_POOL - cmap(ATKINSON[0].path))


@cache
def cmap(path: Path) -> frozenset[int]:
    """The code points a font file maps to glyphs."""
    return frozenset(TTFont(path, lazy=True).getBestCmap())


@lru_cache(maxsize=64)
def subset_font(path: Path, codepoints: frozenset[int], data: bytes | None = None) -> bytes:
    """A TrueType subset of ``path`` (or of ``data``, a font made from it) with only
    ``codepoints``; the same input gives the same bytes.

    ``recalcTimestamp=False`` keeps the head table's date, so the page is reproducible.
    """
    options = subset.Options()
    options.hinting = False  # screens rasterise well without it, and it halves the size
    options.drop_tables += ["DSIG", "FFTM"]
    font = TTFont(io.BytesIO(data) if data else path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def warm_up_fonts() -> None:
    """Read the cmaps and cut DejaVu down to its pool now rather than on the first page."""
    for face in _INLINE_FALLBACK:
        if face.path.is_file():
            _fallback_pool(face.path)


def characters_missing(text: Iterable[str]) -> frozenset[str]:
    """Characters of ``text`` that no available face can draw (for warnings and tests).

    >>> sorted(characters_missing("Botox"))
    []
    """
    covered = frozenset().union(*(cmap(face.path) for face in available_faces()))
    return frozenset(ch for ch in text if _drawable(ch) and ord(ch) not in covered)
