"""Whole articles: the sample, the dev articles in every damage profile, and clean text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import clean

DATA = Path(__file__).parent.parent / "data"
RAW = Path(__file__).parent.parent.parent / "raw"
DEV = DATA / "dev"
SPUN = sorted(DEV.glob("spun/*/*.txt"))
MULTILINGUAL = sorted(DATA.glob("multilingual/*.txt"))
CLEAN_TEXTS = (
    sorted([*DEV.glob("original/*.txt"), *DATA.glob("legit/*.txt"), *DATA.glob("prose/*.txt")])
    + MULTILINGUAL
)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_sample_comes_out_as_its_author_wrote_it() -> None:
    expected = _read(DATA / "sample" / "botox-beyond-beauty.expected.txt")
    assert clean(_read(RAW / "botox-beyond-beauty.txt")).text == expected


@pytest.mark.parametrize("spun", SPUN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_dev_article_is_restored_exactly(spun: Path) -> None:
    expected = DEV / "expected" / spun.parent.name / spun.name
    assert clean(_read(spun)).text == _read(expected)


def test_there_are_eight_spun_dev_articles() -> None:
    assert len(SPUN) == 8


@pytest.mark.parametrize("path", CLEAN_TEXTS, ids=lambda p: p.name)
def test_clean_text_is_left_exactly_as_it_is(path: Path) -> None:
    text = _read(path)
    result = clean(text)
    assert result.changes == ()
    assert result.text == text


def test_real_prose_corpus_is_large_enough() -> None:
    assert len(list(DATA.glob("prose/*.txt"))) >= 20


def test_multilingual_corpus_has_ten_languages_and_their_sources() -> None:
    languages = {path.name.split("-")[0] for path in MULTILINGUAL} - {"en", "science", "maths"}
    assert len(languages) >= 10
    readme = (DATA / "multilingual" / "README.md").read_text("utf-8")
    for path in MULTILINGUAL:
        assert path.name in readme or path.name.split("-")[1] == "spacy"
