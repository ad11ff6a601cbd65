"""Reading level of the body text (pipeline.structure.readability)."""

from __future__ import annotations

import pytest

from pipeline.model import ListBlock, Paragraph, ReadingLevel, Section
from pipeline.structure.readability import count_syllables, flesch, reading_level, words_in


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("cat", 1), ("the", 1), ("eye", 1), ("eyes", 1), ("heart", 1), ("stroke", 1),
        ("make", 1), ("makes", 1), ("used", 1), ("loved", 1), ("cause", 1), ("these", 1),
        ("table", 2), ("tables", 2), ("people", 2), ("muscle", 2), ("wrinkles", 2),
        ("little", 2), ("wanted", 2), ("uses", 2), ("changes", 2), ("watches", 2),
        ("bodies", 2), ("being", 2), ("going", 2), ("seeing", 2), ("migraines", 2),
        ("special", 2), ("nation", 2), ("botox", 2), ("chronic", 2), ("treatment", 2),
        ("medicine", 3), ("beautiful", 3), ("aspirin", 3), ("surgery", 3), ("media", 3),
        ("idea", 3), ("area", 3), ("serious", 3), ("infectious", 3), ("delicious", 3),
        ("recognized", 3), ("lidocaine", 3), ("radio", 3), ("syllable", 3),
        ("toxicity", 4), ("anaesthetic", 4), ("applications", 4), ("ibuprofen", 4),
        ("therapeutic", 4), ("dystonia", 4), ("paracetamol", 5), ("hyperhidrosis", 5),
        # hyphens, apostrophes, numbers, capitals
        ("non-steroidal", 4), ("don't", 1), ("Botox", 2), ("NSAIDs", 1), ("2024", 1),
        ("x", 1),
    ],
)  # fmt: skip
def test_count_syllables(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The cat sat.", ["The", "cat", "sat"]),
        ("Non-steroidal drugs don’t suit 1 in 10.",
         ["Non-steroidal", "drugs", "don’t", "suit", "1", "in", "10"]),
        ("smoothin’ wrinkles", ["smoothin", "wrinkles"]),
        ("— … ()", []),
        ("NF-κB and 5 μg/mL", ["NF-κB", "and", "5", "μg", "mL"]),
    ],
)  # fmt: skip
def test_words_in(text: str, expected: list[str]) -> None:
    assert words_in(text) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((100, 5, 150), (59.6, 9.9)),
        ((3, 1, 3), (119.2, -2.6)),
        ((20, 1, 40), (17.3, 15.8)),
    ],
)
def test_flesch(counts: tuple[int, int, int], expected: tuple[float, float]) -> None:
    assert flesch(*counts) == expected


def paragraph(*sentences: str) -> Paragraph:
    return Paragraph(" ".join(sentences), sentences)


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        (
            [Section(None, 2, (paragraph("The cat sat.", "The dog ran."),))],
            ReadingLevel(119.2, -2.6, 6, 2, 6),
        ),
        # list items count as one sentence each; headings are not body text
        (
            [Section("Complicated heading", 2, (ListBlock(("rest", "drink water")),))],
            ReadingLevel(92.5, 0.7, 3, 2, 4),
        ),
        # subsections count
        (
            [Section("A", 2, (), (Section("B", 3, (paragraph("The cat sat."),)),))],
            ReadingLevel(119.2, -2.6, 3, 1, 3),
        ),
    ],
)
def test_reading_level(sections: list[Section], expected: ReadingLevel) -> None:
    assert reading_level(sections) == expected


@pytest.mark.parametrize(
    "sections",
    [
        [],
        [Section("Only a heading", 2)],
        [Section(None, 2, (paragraph("— …"),))],
    ],
)
def test_reading_level_without_body_is_none(sections: list[Section]) -> None:
    assert reading_level(sections) is None
