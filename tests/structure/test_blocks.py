"""Labelling lines and grouping lists (pipeline.structure.blocks, ``leaflet_blocks``)."""

from __future__ import annotations

import pytest

from pipeline.structure.blocks import ListRun, predict_labels, predict_lists
from pipeline.structure.lines import read_lines


def labels(text: str, *, markdown: bool = False) -> list[str]:
    return list(predict_labels(read_lines(text, markdown=markdown)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the first non-empty line is the title, whatever it looks like
        ("\n\nAspirin", ["title"]),
        ("Is aspirin safe? A long look.\n\nText.", ["title", "paragraph"]),
        # heading-shaped lines are headings; a stray trailing colon is allowed
        ("T\n\nUnderstanding Botox\n\nText.", ["title", "heading", "paragraph"]),
        ("T\n\nJoint Disorder (TMJ):\n\nText.", ["title", "heading", "paragraph"]),
        ("T\n\nRisks, benefits and costs\n\nText.", ["title", "heading", "paragraph"]),
        ("T\n\nSIDE EFFECTS\n\nText.", ["title", "heading", "paragraph"]),
        # decision: a label line with an inner colon is a heading
        ("T\n\nStep 1: Clean the skin\n\nUse soap.", ["title", "heading", "paragraph"]),
        # decision: a short question followed by a paragraph or a list is a heading ...
        ("T\n\nWhat is Botox?\n\nA toxin.", ["title", "heading", "paragraph"]),
        ("T\n\nWho can have it?\n\n- adults", ["title", "heading", "list_item"]),
        # ... but not at the end, or above a heading
        ("T\n\nText.\n\nAny questions?", ["title", "paragraph", "paragraph"]),
        ("T\n\nWhat next?\n\nTreatment\n\nText.", ["title", "paragraph", "heading", "paragraph"]),
        # negative rows: one-line paragraphs
        ("T\n\nBotox is safe.\n\nText.", ["title", "paragraph", "paragraph"]),
        ("T\n\nDO NOT DRIVE AFTER TREATMENT.\n\nText.", ["title", "paragraph", "paragraph"]),
        ("T\n\nWhat is it? Who is it for?\n\nText.", ["title", "paragraph", "paragraph"]),
        ("T\n\n" + "word " * 16 + "\n\nText.", ["title", "paragraph", "paragraph"]),
        # numbered headings stand alone; numbered lines together are a list
        ("T\n\n2. Side effects\n\nText.", ["title", "heading", "paragraph"]),
        ("T\n\n1. Wash your hands\n2. Dry the skin", ["title", "list_item", "list_item"]),
        ("T\n\n1. Wash your hands\n\n2. Dry the skin", ["title", "list_item", "list_item"]),
        ("T\n\n1. Rest well.\n\nText.", ["title", "list_item", "paragraph"]),
        # a lead-in ending in ":" directly above a list stays a paragraph
        ("T\n\nSide effects include:\n- headache", ["title", "paragraph", "list_item"]),
        ("T\n\nYou should:\n\n1. Rest", ["title", "paragraph", "list_item"]),
        ("T\n\nSide effects:\n\nMost are mild.", ["title", "heading", "paragraph"]),
        # bullets are always items
        ("T\n\n- Short\n* Shorter\n• Shortest", ["title", "list_item", "list_item", "list_item"]),
        # no blank lines at all: still one block per line
        ("T\nLead.\nUses\nText.", ["title", "paragraph", "heading", "paragraph"]),
    ],
)  # fmt: skip
def test_predict_labels(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\n\n## Uses\n\nShort line\n\n- item", ["title", "heading", "paragraph", "list_item"]),
        ("# T\n\nWhat is Botox?\n\nA toxin.", ["title", "paragraph", "paragraph"]),
        ("# T\n\n1. Side effects\n\nText.", ["title", "list_item", "paragraph"]),
    ],
)
def test_predict_labels_markdown(text: str, expected: list[str]) -> None:
    assert labels(text, markdown=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T\n- a\n- b", [ListRun(1, 3, ordered=False)]),
        ("T\n\n- a\n\n- b", [ListRun(1, 3, ordered=False)]),
        ("T\n1. a.\n2) b.", [ListRun(1, 3, ordered=True)]),
        ("T\n- a\n1. b.", [ListRun(1, 2, ordered=False), ListRun(2, 3, ordered=True)]),
        ("T\n- a\n\n\n- b", [ListRun(1, 2, ordered=False), ListRun(2, 3, ordered=False)]),
        ("T\n- a\nText.\n- b", [ListRun(1, 2, ordered=False), ListRun(3, 4, ordered=False)]),
        ("T\n- a\nHeading\n- b", [ListRun(1, 2, ordered=False), ListRun(3, 4, ordered=False)]),
        # negative rows
        ("T\nText.", []),
        ("- a title that looks like an item", []),
    ],
)
def test_predict_lists(text: str, expected: list[ListRun]) -> None:
    lines = read_lines(text)
    assert list(predict_lists(lines, predict_labels(lines))) == expected
