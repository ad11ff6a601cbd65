"""The dev articles: every damaged version sections like its original."""

from __future__ import annotations

import pytest

from pipeline.model import Document
from pipeline.structure import structure

from .data import DEV_ARTICLES, PROFILES, clean, dev_text

Shape = list[tuple[bool, int, int, int]]


def shape(document: Document) -> Shape:
    """(has a heading, level, paragraphs, subsections) of every section in reading order."""
    return [
        (s.heading is not None, s.level, len(s.paragraphs), len(s.sections))
        for s in document.walk()
    ]


def headings(document: Document) -> list[str | None]:
    return [s.heading for s in document.walk()]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "01-aspirin-beyond-pain-relief.txt",
            [
                (None, 2, 1, 0),
                ("Medical Applications of Aspirin", 2, 0, 5),
                ("Preventing Heart Attacks and Strokes", 3, 1, 0),
                ("After Stents and Heart Surgery", 3, 1, 0),
                ("Colorectal Cancer Risk", 3, 1, 0),
                ("Pre-eclampsia in High-Risk Pregnancies", 3, 1, 0),
                ("Inflammatory Conditions", 3, 1, 0),
                # a standard leaflet heading: back at the top after the subsections
                ("Risks and Precautions", 2, 2, 0),
                (None, 2, 1, 0),
            ],
        ),
        (
            "05-lidocaine-more-than-numbing.txt",
            [
                (None, 2, 1, 0),
                ("How Lidocaine Works", 2, 1, 0),
                ("Medical Uses of Lidocaine", 2, 0, 4),
                ("Local and Regional Anaesthesia", 3, 1, 0),
                ("Heart Rhythm Emergencies", 3, 1, 0),
                ("Nerve Pain and Chronic Pain", 3, 1, 0),
                ("Soothing Irritated Tissues", 3, 1, 0),
                ("Safety Considerations", 2, 1, 0),
                (None, 2, 1, 0),
            ],
        ),
    ],
)
def test_original_outline(name: str, expected: list[tuple[str | None, int, int, int]]) -> None:
    document = structure(dev_text("original", name))
    assert [
        (s.heading, s.level, len(s.paragraphs), len(s.sections)) for s in document.walk()
    ] == expected


@pytest.mark.parametrize(
    ("name", "abbreviations"),
    [
        (
            "01-aspirin-beyond-pain-relief.txt",
            [
                ("COX", "cyclooxygenases"),
                ("TIA", "transient ischaemic attack"),
                ("NSAIDs", "non-steroidal anti-inflammatory drugs"),
            ],
        ),
        (
            "05-lidocaine-more-than-numbing.txt",
            [("VF", "ventricular fibrillation"), ("LAST", "local anaesthetic systemic toxicity")],
        ),
    ],
)
def test_original_abbreviations(name: str, abbreviations: list[tuple[str, str]]) -> None:
    found = structure(dev_text("original", name)).abbreviations
    assert [(a.short, a.expansion) for a in found] == abbreviations


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", DEV_ARTICLES)
def test_spun_text_has_the_original_shape(name: str, profile: str) -> None:
    """The spinner keeps every line where it was, so even uncleaned text sections alike."""
    original = structure(dev_text("original", name))
    spun = structure(dev_text(f"spun/{profile}", name))
    assert shape(spun) == shape(original)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", DEV_ARTICLES)
def test_perfectly_cleaned_text_sections_like_the_original(name: str, profile: str) -> None:
    original = structure(dev_text("original", name))
    cleaned = structure(dev_text(f"expected/{profile}", name))
    assert shape(cleaned) == shape(original)
    assert headings(cleaned) == headings(original)
    assert cleaned.abbreviations == original.abbreviations


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", DEV_ARTICLES)
def test_cleaned_spun_text_has_the_original_shape(name: str, profile: str) -> None:
    """The stages together: structure(clean(spun).text) is shaped like the original."""
    original = structure(dev_text("original", name))
    cleaned = structure(clean(dev_text(f"spun/{profile}", name)).text)
    assert shape(cleaned) == shape(original)
