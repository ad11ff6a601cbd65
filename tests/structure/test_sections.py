"""Sections and heading levels (pipeline.structure.sections, ``leaflet_sections``)."""

from __future__ import annotations

import pytest

from pipeline.structure.blocks import predict_labels
from pipeline.structure.lines import read_lines
from pipeline.structure.sections import (
    MAX_LEVEL,
    SectionSpan,
    closing_start,
    heading_levels,
    predict_sections,
    same_series,
)


def levels(text: str, *, markdown: bool = False) -> list[tuple[str, int]]:
    """Each heading's text and level."""
    lines = read_lines(text, markdown=markdown)
    found = heading_levels(lines, predict_labels(lines))
    return [(lines[i].text, level) for i, level in sorted(found.items())]


def sections(text: str) -> list[tuple[str, int, int]]:
    """Each section as (its first line, its level, how many lines it spans)."""
    lines = read_lines(text)
    spans = predict_sections(lines, predict_labels(lines))
    return [(lines[s.start].text, s.level, s.end - s.start) for s in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # siblings after running text
        ("T\n\nA\n\nx.\n\nB\n\ny.", [("A", 2), ("B", 2)]),
        # a heading directly above another is its parent
        ("T\n\nA\n\nB\n\nx.\n\nC\n\ny.", [("A", 2), ("B", 3), ("C", 3)]),
        ("T\n\nA\n\nB\n\nC\n\nx.", [("A", 2), ("B", 3), ("C", 4)]),
        # a new run of headings climbs back to the previous run's level
        ("T\n\nA\n\nB\n\nx.\n\nC\n\nD\n\ny.", [("A", 2), ("B", 3), ("C", 2), ("D", 3)]),
        ("T\n\nL\n\nx.\n\nA\n\nB\n\ny.\n\nC\n\nz.", [("L", 2), ("A", 2), ("B", 3), ("C", 3)]),
        # numbered labels of one series are siblings, not parent and child
        ("T\n\nStep 1: Wash\n\nStep 2: Dry\n\nx.", [("Step 1: Wash", 2), ("Step 2: Dry", 2)]),
        ("T\n\nCare\n\nStep 1: Wash\n\nStep 2: Dry\n\nx.",
         [("Care", 2), ("Step 1: Wash", 3), ("Step 2: Dry", 3)]),
        ("T\n\nStep 1: Wash\n\nPart 2: Dry\n\nx.", [("Step 1: Wash", 2), ("Part 2: Dry", 3)]),
        # questions as headings
        ("T\n\nWhat is it?\n\nx.\n\nWho is it?\n\ny.", [("What is it?", 2), ("Who is it?", 2)]),
    ],
)  # fmt: skip
def test_heading_levels(text: str, expected: list[tuple[str, int]]) -> None:
    assert levels(text) == expected


USES = "T\n\nUses\n\nMigraine\n\nx.\n\nSweating\n\ny.\n\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a standard leaflet heading after running text goes back to the top
        (USES + "Risks and Precautions\n\nz.",
         [("Uses", 2), ("Migraine", 3), ("Sweating", 3), ("Risks and Precautions", 2)]),
        (USES + "Safety Considerations\n\nz.\n\nBleeding\n\nw.",
         [("Uses", 2), ("Migraine", 3), ("Sweating", 3), ("Safety Considerations", 2),
          ("Bleeding", 2)]),
        ("T\n\nA\n\nB\n\nC\n\nx.\n\nWhen to get help\n\ny.",
         [("A", 2), ("B", 3), ("C", 4), ("When to get help", 2)]),
        (USES + "Side effects\n\nRash\n\nz.",
         [("Uses", 2), ("Migraine", 3), ("Sweating", 3), ("Side effects", 2), ("Rash", 3)]),
        ("T\n\nSummary\n\nx.", [("Summary", 2)]),
        # negative rows: "Risk" and "Riskier" are not "Risks"; other headings stay siblings
        (USES + "Risk Factors in Smokers\n\nz.",
         [("Uses", 2), ("Migraine", 3), ("Sweating", 3), ("Risk Factors in Smokers", 3)]),
        (USES + "Riskier Procedures\n\nz.",
         [("Uses", 2), ("Migraine", 3), ("Sweating", 3), ("Riskier Procedures", 3)]),
        (USES + "Common side effects\n\nz.",
         [("Uses", 2), ("Migraine", 3), ("Sweating", 3), ("Common side effects", 3)]),
        # negative row: directly under another heading, a standard heading is its child
        ("T\n\nUses\n\nSide effects\n\nx.", [("Uses", 2), ("Side effects", 3)]),
    ],
)  # fmt: skip
def test_standard_headings_return_to_the_top(text: str, expected: list[tuple[str, int]]) -> None:
    assert levels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # negative rows: Markdown's levels are explicit, standard headings included
        ("# T\n\n## Uses\n\n### Pain\n\nx\n\n### Side effects\n\ny",
         [("## Uses", 2), ("### Pain", 3), ("### Side effects", 3)]),
        ("# T\n\n## Uses\n\n### Pain\n\nx\n\n## Risks\n\ny",
         [("## Uses", 2), ("### Pain", 3), ("## Risks", 2)]),
    ],
)  # fmt: skip
def test_markdown_keeps_its_levels_for_standard_headings(
    text: str, expected: list[tuple[str, int]]
) -> None:
    assert levels(text, markdown=True) == expected


def test_a_standard_heading_closes_the_sections_before_it() -> None:
    assert sections(USES + "Risks\n\nz.") == [
        ("Uses", 2, 5),
        ("Migraine", 3, 2),
        ("Sweating", 3, 2),
        ("Risks", 2, 2),
    ]


def test_levels_stop_at_six() -> None:
    text = "T\n\n" + "\n\n".join(f"Heading {chr(65 + i)}" for i in range(8)) + "\n\nText."
    assert [level for _, level in levels(text)] == [2, 3, 4, 5, 6, 6, 6, 6]
    assert MAX_LEVEL == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\n\n## A\n\nx\n\n### B\n\ny\n\n## C\n\nz", [("## A", 2), ("### B", 3), ("## C", 2)]),
        # '#' after the title counts as '##'
        ("# T\n\n# A\n\nx\n\n## B\n\ny", [("# A", 2), ("## B", 2)]),
        # never more than one level below the heading before
        ("# T\n\n## A\n\n#### B\n\nx", [("## A", 2), ("#### B", 3)]),
        ("# T\n\n### A\n\nx", [("### A", 2)]),
    ],
)
def test_markdown_levels(text: str, expected: list[tuple[str, int]]) -> None:
    assert levels(text, markdown=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lead, heading sections, closing words
        ("T\n\nLead.\n\nA\n\nx.\n\n\nBye.", [("Lead.", 2, 1), ("A", 2, 2), ("Bye.", 2, 1)]),
        # closing words are not part of the deepest section
        ("T\n\nA\n\nB\n\nx.\n\n\nBye.", [("A", 2, 3), ("B", 3, 2), ("Bye.", 2, 1)]),
        ("T\n\nA\n\nx.\n\n\nBye.\n\nReally.", [("A", 2, 2), ("Bye.", 2, 2)]),
        # negative rows: one blank line, or the gap right under the heading
        ("T\n\nA\n\nx.\n\nNot closing.", [("A", 2, 3)]),
        ("T\n\nA\n\n\nx.", [("A", 2, 2)]),
        # no headings: everything is the lead, nothing is closing
        ("T\n\nx.\n\n\ny.", [("x.", 2, 2)]),
        # a gap before a later heading is not closing
        ("T\n\nA\n\nx.\n\n\ny.\n\nB\n\nz.", [("A", 2, 3), ("B", 2, 2)]),
        # no lead
        ("T\n\nA\n\nx.", [("A", 2, 2)]),
        ("T", []),
        ("", []),
    ],
)
def test_predict_sections(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert sections(text) == expected


def test_sections_come_parents_first() -> None:
    lines = read_lines("T\n\nA\n\nB\n\nx.\n\nC\n\ny.")
    assert predict_sections(lines, predict_labels(lines)) == (
        SectionSpan(1, 6, 2),
        SectionSpan(2, 4, 3),
        SectionSpan(4, 6, 3),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T\n\nA\n\nx.\n\n\ny.", 3),
        ("T\n\nA\n\nx.\n\ny.\n\n\n\nz.", 4),
        ("T\n\nA\n\nx.\n\ny.", None),
        ("T\n\nx.\n\n\ny.", None),
    ],
)
def test_closing_start(text: str, expected: int | None) -> None:
    lines = read_lines(text)
    assert closing_start(lines, predict_labels(lines)) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Step 1: Wash", "Step 2: Dry", True),
        ("STEP 1", "step 2", True),
        ("1. Uses", "2. Risks", True),
        ("Type 2 diabetes", "Type 1 diabetes", True),
        ("Step 1: Wash", "Part 2: Dry", False),
        ("1. Uses", "Step 2", False),
        ("Uses", "Risks", False),
    ],
)
def test_same_series(first: str, second: str, expected: bool) -> None:
    assert same_series(first, second) is expected
