"""The sample article, raw/botox-beyond-beauty.txt, sectioned exactly as expected."""

from __future__ import annotations

import pytest

from pipeline.model import Abbreviation, Document, Paragraph
from pipeline.structure import structure

from .data import CYRILLIC_IE, clean

TITLE = "Exploring the Uses of Botox Beyond Beauty: Medical Applications and Treatments"
SUBSECTIONS = (
    "Chronic Migraines",
    "Hyperhidrosis (Excessive Sweating)",
    "Muscle Spasms and Dystonia",
    "Overactive Bladder",
    "Temporomandibular Joint Disorder (TMJ)",
    "Strabismus (Crossed Eyes) and Eye Twitching",
    "Chronic Pain Conditions",
)


@pytest.fixture(scope="module")
def document(sample_text: str) -> Document:
    return structure(sample_text, source="raw/botox-beyond-beauty.txt")


def outline(document: Document) -> list[tuple[str | None, int, int, int]]:
    """(heading, level, paragraphs, subsections) of every section in reading order."""
    return [(s.heading, s.level, len(s.paragraphs), len(s.sections)) for s in document.walk()]


def test_title_and_slug(document: Document) -> None:
    assert document.title == TITLE
    assert document.slug == (
        "exploring-the-uses-of-botox-beyond-beauty-medical-applications-and-treatments"
    )


def test_outline(document: Document) -> None:
    assert outline(document) == [
        (None, 2, 1, 0),
        ("Understanding Botox", 2, 1, 0),
        ("Medical Applications of Botox", 2, 0, 7),
        *[(heading, 3, 1, 0) for heading in SUBSECTIONS],
        (None, 2, 1, 0),
    ]


def test_closing_words_are_a_top_level_section(document: Document) -> None:
    closing = document.sections[-1]
    assert (closing.heading, closing.level) == (None, 2)
    assert closing.paragraphs[0].startswith("The expandin’ repertoire of medical applications")
    chronic_pain = document.sections[2].sections[-1]
    assert chronic_pain.heading == "Chronic Pain Conditions"
    assert len(chronic_pain.paragraphs) == 1
    assert chronic_pain.paragraphs[0].startswith("Botox injections have emerged")


def test_ten_paragraphs_in_total(document: Document) -> None:
    paragraphs = [b for s in document.walk() for b in s.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) == 10
    assert all(p.sentences and all(s in p.text for s in p.sentences) for p in paragraphs)
    assert not any(b for s in document.walk() for b in s.blocks if not isinstance(b, Paragraph))


def test_sentences_of_the_lead(document: Document) -> None:
    (lead,) = document.sections[0].blocks
    assert isinstance(lead, Paragraph)
    assert [s[:40] for s in lead.sentences] == [
        "Botox originally celebrated for its cosm",
        "While its aesthetic uses continue to be ",
        "In this comprehensive exploration and we",
    ]


def test_abbreviations(document: Document) -> None:
    assert document.abbreviations == (
        Abbreviation("OAB", "Overactive bladder"),
        Abbreviation("TMJ", "Temporomandibular joint disorder"),
    )


def test_reading_level(document: Document) -> None:
    level = document.reading_level
    assert level is not None
    assert (level.words, level.sentences) == (745, 29)
    assert level.flesch_reading_ease < 30  # "very difficult": the spun text is jargon-heavy
    assert level.grade > 16


def test_text_and_source_are_kept(document: Document, sample_text: str) -> None:
    assert document.text == sample_text
    assert document.source == "raw/botox-beyond-beauty.txt"


def test_cleaned_raw_file_has_exactly_this_outline(
    document: Document, raw_sample_text: str
) -> None:
    """The stages together, on the article as it reached us."""
    cleaned = structure(clean(raw_sample_text).text)
    assert cleaned.title == TITLE
    assert outline(cleaned) == outline(document)
    assert cleaned.abbreviations == document.abbreviations


def test_raw_file_has_the_same_outline(document: Document, raw_sample_text: str) -> None:
    raw = structure(raw_sample_text)
    assert raw.title.replace(CYRILLIC_IE, "e") == TITLE
    assert [
        (None if h is None else h.replace(CYRILLIC_IE, "e"), *rest) for h, *rest in outline(raw)
    ] == outline(document)
