"""The stage's public entry point, pipeline.structure.structure."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from pipeline.model import (
    Abbreviation,
    ArticleMeta,
    Change,
    Document,
    ListBlock,
    Paragraph,
    ReadingLevel,
    Section,
    Suspect,
)
from pipeline.structure import structure
from pipeline.structure.body import body_texts
from tests.structure.data import trained_pipeline_or_skip

MODEL_TYPES = (
    Document, Section, Paragraph, ListBlock, Abbreviation, ReadingLevel, Change, Suspect,
    ArticleMeta,
)  # fmt: skip
PLAIN_TYPES = (str, int, float, bool, type(None), tuple)


def leaves(value: Any) -> list[Any]:
    """Every value inside a model object, depth first."""
    if dataclasses.is_dataclass(value):
        return [value] + [
            leaf for f in dataclasses.fields(value) for leaf in leaves(getattr(value, f.name))
        ]
    if isinstance(value, tuple):
        return [value] + [leaf for item in value for leaf in leaves(item)]
    return [value]


def test_no_spacy_type_leaves_the_stage(sample_text: str) -> None:
    document = structure(sample_text)
    assert all(isinstance(leaf, MODEL_TYPES + PLAIN_TYPES) for leaf in leaves(document))
    json.dumps(document.to_dict())


def test_changes_text_and_source_pass_through() -> None:
    changes = (Change("homoglyphs", "cyrillic", 5, 6, "\u0435", "e"),)
    text = "Aspirin\n\nIt helps."
    document = structure(text, changes=changes, source="in/aspirin.txt")
    assert (document.changes, document.source, document.text) == (changes, "in/aspirin.txt", text)


def test_structure_is_deterministic(sample_text: str) -> None:
    assert structure(sample_text) == structure(sample_text)


MARKDOWN = "# Aspirin\n\nIntro text\nwrapped.\n\n## Uses\n\nShort line\n\n### Pain\n\n- a\n- b"


def outline(document: Document) -> list[tuple[str | None, int, int]]:
    return [(s.heading, s.level, len(s.blocks)) for s in document.walk()]


@pytest.mark.parametrize(
    ("text", "options", "expected_title", "expected"),
    [
        # detected from '#' lines
        (MARKDOWN, {}, "Aspirin", [(None, 2, 1), ("Uses", 2, 1), ("Pain", 3, 1)]),
        (MARKDOWN, {"markdown": True}, "Aspirin", [(None, 2, 1), ("Uses", 2, 1), ("Pain", 3, 1)]),
        # detected from the file name: nothing is guessed to be a heading
        ("Aspirin\n\nUses\n\nText.", {"source": "a.md"}, "Aspirin", [(None, 2, 2)]),
        ("Aspirin\n\nUses\n\nText.", {"source": "a.txt"}, "Aspirin", [("Uses", 2, 1)]),
        # forced off: '#' lines are just text
        ("# Aspirin\n\n## Uses\n\nText.", {"markdown": False}, "# Aspirin", [("## Uses", 2, 1)]),
    ],
)
def test_markdown(
    text: str,
    options: dict[str, Any],
    expected_title: str,
    expected: list[tuple[str | None, int, int]],
) -> None:
    document = structure(text, **options)
    assert document.title == expected_title
    assert outline(document) == expected


def test_markdown_joins_wrapped_lines() -> None:
    lead = structure(MARKDOWN).sections[0].blocks[0]
    assert lead == Paragraph("Intro text wrapped.", ("Intro text wrapped.",))


def test_lists_become_list_blocks() -> None:
    text = (
        "Aspirin\n\nSide effects include:\n- a headache\n- feeling sick"
        "\n\nWhat to do\n\n1. Rest.\n2. Drink water."
    )
    lead, what_to_do = structure(text).sections
    assert lead.blocks == (
        Paragraph("Side effects include:", ("Side effects include:",)),
        ListBlock(("a headache", "feeling sick"), ordered=False),
    )
    assert what_to_do.heading == "What to do"
    assert what_to_do.blocks == (ListBlock(("Rest.", "Drink water."), ordered=True),)


def test_question_headings() -> None:
    text = "Botox\n\nWhat is Botox?\n\nA toxin.\n\nIs it safe?\n\nMostly.\n\nAny questions?"
    document = structure(text)
    assert outline(document) == [("What is Botox?", 2, 1), ("Is it safe?", 2, 2)]
    assert document.sections[1].paragraphs == ("Mostly.", "Any questions?")


def test_trained_model_gives_the_same_outline(sample_text: str) -> None:
    trained_pipeline_or_skip()
    assert outline(structure(sample_text, model="en_core_web_sm")) == outline(
        structure(sample_text)
    )


STEPS = "Aspirin\n\nHow to take it\n\n1. Wash.\n2. Dry.\n\nThen wait.\n\n3. Apply.\n4. Rest."


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        # a numbered list continued after a paragraph keeps counting
        (STEPS, "a.txt", [(("Wash.", "Dry."), True, 1), (("Apply.", "Rest."), True, 3)]),
        (STEPS, "a.md", [(("Wash.", "Dry."), True, 1), (("Apply.", "Rest."), True, 3)]),
        # a lone numbered item in Markdown keeps its number
        ("# Steroids\n\nText.\n\n2. Side effects of steroids\n\nMore text.", "a.md",
         [(("Side effects of steroids",), True, 2)]),
        ("Aspirin\n\nYou should:\n\n5) Rest.\n6) Drink.", "a.txt",
         [(("Rest.", "Drink."), True, 5)]),
        # negative rows: lists from 1, and bullets, start at 1
        ("Aspirin\n\nDo this:\n1. Rest.\n2. Drink.", "a.txt", [(("Rest.", "Drink."), True, 1)]),
        ("Aspirin\n\nSide effects:\n- 3 days of rash\n- 4 of fever", "a.txt",
         [(("3 days of rash", "4 of fever"), False, 1)]),
    ],
)  # fmt: skip
def test_numbered_lists_keep_their_first_number(
    text: str, source: str, expected: list[tuple[tuple[str, ...], bool, int]]
) -> None:
    document = structure(text, source=source)
    lists = [b for s in document.walk() for b in s.blocks if isinstance(b, ListBlock)]
    assert [(b.items, b.ordered, b.start) for b in lists] == expected


def test_json_has_each_lists_start_and_the_full_source() -> None:
    data = structure(STEPS, source="/tmp/x/in/a.txt").to_dict()
    (how,) = data["sections"]
    assert [(b["type"], b.get("start")) for b in how["blocks"]] == [
        ("list", 1),
        ("paragraph", None),
        ("list", 3),
    ]
    assert [(lst["ordered"], lst["start"]) for lst in how["lists"]] == [(True, 1), (True, 3)]
    assert data["source"] == "/tmp/x/in/a.txt"


MARKED = (
    "# Aspirin *tablets*\n\n**Important:** read this *leaflet* and the `PIL`.\n\n"
    "## Side _effects_\n\n- see [NHS](https://www.nhs.uk)\n- 5 * 3 mg, my_file_name"
)


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("a.md", ["Aspirin tablets", "Side effects", "Important: read this leaflet and the PIL.",
                  "see NHS (https://www.nhs.uk)", "5 * 3 mg, my_file_name"]),
        # negative row: plain text keeps every character as written
        ("a.txt", ["# Aspirin *tablets*", "## Side _effects_",
                   "**Important:** read this *leaflet* and the `PIL`.",
                   "see [NHS](https://www.nhs.uk)", "5 * 3 mg, my_file_name"]),
    ],
)  # fmt: skip
def test_markdown_inline_markup_is_taken_out_in_markdown_only(
    source: str, shown: list[str]
) -> None:
    document = structure(MARKED, source=source, markdown=source.endswith(".md"))
    headings = [s.heading for s in document.walk() if s.heading]
    assert [document.title, *headings, *body_texts(document.sections)] == shown
