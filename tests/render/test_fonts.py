"""pipeline.render.fonts: subsets, coverage, @font-face rules."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from pipeline.render import render_html
from pipeline.render.fonts import (
    ATKINSON,
    DEJAVU,
    available_faces,
    characters_missing,
    cmap,
    font_files,
    pdf_font_faces,
    subset_font,
)

from .helpers import parse, sample_document, small_document


@pytest.mark.parametrize("text", ["Botox", "Ωμ 5 mg – “quoted”", "ÀÉÎÕÜ çñ"])
def test_subset_keeps_only_what_is_asked(text: str) -> None:
    wanted = frozenset(map(ord, text))
    data = subset_font(ATKINSON[0].path, wanted)
    assert frozenset(TTFont(io.BytesIO(data)).getBestCmap()) == wanted & cmap(ATKINSON[0].path)
    assert len(data) < len(ATKINSON[0].path.read_bytes()) / 2


def test_subset_is_reproducible() -> None:
    wanted = frozenset(map(ord, "Reproducible"))
    first = subset_font(ATKINSON[1].path, wanted)
    subset_font.cache_clear()
    assert subset_font(ATKINSON[1].path, wanted) == first


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Plain Latin, café – “quoted”", ""),  # negative: Atkinson has all of it
        ("Борис, α, well\u2010known", ""),  # DejaVu covers what Atkinson lacks
        ("\u4e2d\u6587 and \u0915", "\u4e2d\u6587\u0915"),  # neither has Chinese, Devanagari
        ("tab\tand\nnewline", ""),  # control characters are not drawn
    ],
)
def test_characters_missing(text: str, missing: str) -> None:
    if not DEJAVU[0].path.is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    assert characters_missing(text) == frozenset(missing)


def test_pdf_font_faces_point_at_the_allowed_files() -> None:
    rules = pdf_font_faces()
    assert rules.count("@font-face") == len(available_faces()) >= 4
    for face in available_faces():
        assert face.path.resolve().as_uri() in rules
    assert font_files() == frozenset(f.path.resolve() for f in available_faces())
    assert 'font-family: "Atkinson Hyperlegible"; ' in rules
    assert "font-weight: 700; font-style: italic;" in rules


# Pages whose every character the embedded fonts must draw: Latin, the sample, and text
# that needs DejaVu (Greek, Cyrillic, U+2010 HYPHEN, arrows, maths).
PAGES = [
    ("plain", "Take one tablet & drink water."),
    ("accents", "Café, naïve, Ångström, Łódź – “quoted” ‘single’ … 5 °C ±2 µg ½"),
    ("fallback", "Борис says α-blockers are well\u2010known → fine; x ≤ 3 ≠ 4 ∑ ∞"),
    ("sample", None),
]


@pytest.mark.parametrize("text", [p[1] for p in PAGES], ids=[p[0] for p in PAGES])
def test_the_page_fonts_draw_every_character_of_the_page(text: str | None, config: Any) -> None:
    if not DEJAVU[0].path.is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    doc = sample_document() if text is None else small_document(text=text)
    page = render_html(doc, config)
    root = parse(page)
    body = next(root.iter("body"))
    shown = {ch for ch in "".join(body.itertext()) if not ch.isspace()}
    by_weight: dict[str, set[int]] = {"400": set(), "700": set()}
    for weight, data in _faces(page):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        drawn = {cp for cp, name in font.getBestCmap().items() if _has_outline(font, name)}
        by_weight[weight] |= drawn
    for weight, drawn in by_weight.items():
        assert {ch for ch in shown if ord(ch) not in drawn} == set(), weight


def _faces(page: str) -> list[tuple[str, str]]:
    """(font-weight, base64 data) of each ``@font-face`` rule in the page."""
    rules = re.findall(r'src: url\("data:font/ttf;base64,([^"]+)"\); font-weight: (\d+)', page)
    return [(weight, data) for data, weight in rules]


def _has_outline(font: TTFont, name: str) -> bool:
    glyph = font["glyf"][name]
    return bool(glyph.numberOfContours) or name == "space"


def test_subsets_are_cut_the_same_in_a_new_process() -> None:
    wanted = frozenset(map(ord, "Reproducible Борис"))
    here = subset_font(DEJAVU[0].path, wanted) if DEJAVU[0].path.is_file() else b""
    code = (
        "import sys; from pipeline.render.fonts import DEJAVU, subset_font; "
        f"sys.stdout.buffer.write(subset_font(DEJAVU[0].path, frozenset({sorted(wanted)})) "
        "if DEJAVU[0].path.is_file() else b'')"
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert here == there
