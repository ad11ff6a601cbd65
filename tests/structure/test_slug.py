"""Slugs from titles (pipeline.structure.slug)."""

from __future__ import annotations

import pytest

from pipeline.structure.slug import MAX_SLUG, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Exploring the Uses of Botox Beyond Beauty: Medical Applications and Treatments",
            "exploring-the-uses-of-botox-beyond-beauty-medical-applications-and-treatments",
        ),
        ("Lidocaine: More Than a Numbing Agent", "lidocaine-more-than-a-numbing-agent"),
        ("Löfgren’s Lidocaine", "lofgren-s-lidocaine"),
        # Cyrillic е and о transliterate to e and o; other look-alikes are the cleaner's job
        ("Bоtох Bеyond Bеauty", "botokh-beyond-beauty"),
        ("  --Aspirin!!  ", "aspirin"),
        ("COVID-19 & You", "covid-19-you"),
        ("Ｆｕｌｌ width", "full-width"),
        # negative rows: nothing usable
        ("", "untitled"),
        ("   ", "untitled"),
        ("!!! ???", "untitled"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("word " * 30, "-".join(["word"] * 16)),
        ("a" * 100, "a" * 80),
        ("a" * 79 + " bc", "a" * 79),
        ("a" * 78 + " b", "a" * 78 + "-b"),
    ],
)
def test_slugify_cuts_long_titles_at_a_hyphen(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= MAX_SLUG


@pytest.mark.parametrize("title", ["Aspirin: a Wonder Drug", "Bоtох", ""])
def test_slugify_is_stable(title: str) -> None:
    assert slugify(title) == slugify(title) == slugify(slugify(title).replace("-", " "))
