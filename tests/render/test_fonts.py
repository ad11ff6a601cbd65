"""pipeline.render.fonts: subsets, coverage, @font-face rules."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

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
