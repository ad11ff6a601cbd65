"""The spaCy side: the nlp object, our components and the outline Doc (components.py)."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.structure.blocks import ListRun
from pipeline.structure.components import (
    BLOCKS_KEY,
    LISTS_KEY,
    OUTLINE_COMPONENTS,
    SECTIONS_KEY,
    annotate,
    block_labels,
    load_nlp,
    outline_doc,
    outline_lines,
    set_blocks,
)
from pipeline.structure.lines import Line, read_lines
from tests.structure.data import trained_pipeline_or_skip

ARTICLE = "Title\n\nLead.\n\nUses\n\nSkin\n\nIt helps. It is safe.\n\n- rest\n- water\n\n\nBye."


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def spans(doc: Doc, key: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label_) for s in doc.spans[key]]


def test_nlp_is_built_once() -> None:
    assert load_nlp() is load_nlp()
    assert load_nlp(None) is load_nlp()


def test_pipeline_is_blank_english_with_our_components(nlp: Language) -> None:
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["sentencizer", *OUTLINE_COMPONENTS]
    assert not nlp.meta.get("vectors", {}).get("width")


@pytest.mark.parametrize(
    ("name", "requires", "assigns"),
    [
        ("leaflet_blocks", [], ["doc.spans"]),
        ("leaflet_sections", ["doc.spans"], ["doc.spans"]),
        ("leaflet_sentences", ["doc.spans"], ["token._.leaflet_sentences"]),
    ],
)
def test_components_declare_what_they_need_and_set(
    nlp: Language, name: str, requires: list[str], assigns: list[str]
) -> None:
    meta = nlp.get_pipe_meta(name)
    assert (meta.requires, meta.assigns) == (requires, assigns)


def test_outline_doc_has_one_token_per_line(nlp: Language) -> None:
    lines = read_lines("Title\n\nSome text.\n\n- an item")
    doc = outline_doc(nlp, lines)
    assert [t.text for t in doc] == ["label", "text", "bullet"]
    assert [t._.leaflet_text for t in doc] == ["Title", "Some text.", "- an item"]
    assert outline_lines(doc) == lines


def test_outline_does_not_grow_the_vocabulary(nlp: Language) -> None:
    heading = "Zyxwvutsrq Qwertyuiop Heading"
    annotate(nlp, read_lines(f"Title\n\n{heading}\n\nText."))
    assert heading not in nlp.vocab.strings


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            BLOCKS_KEY,
            [
                (0, 1, "title"),
                (1, 2, "paragraph"),
                (2, 3, "heading"),
                (3, 4, "heading"),
                (4, 5, "paragraph"),
                (5, 6, "list_item"),
                (6, 7, "list_item"),
                (7, 8, "paragraph"),
            ],
        ),
        (LISTS_KEY, [(5, 7, "unordered")]),
        (SECTIONS_KEY, [(1, 2, "2"), (2, 7, "2"), (3, 7, "3"), (7, 8, "2")]),
    ],
)
def test_annotate_sets_span_groups(
    nlp: Language, key: str, expected: list[tuple[int, int, str]]
) -> None:
    assert spans(annotate(nlp, read_lines(ARTICLE)), key) == expected


def test_sentences_are_set_on_paragraphs_only(nlp: Language) -> None:
    doc = annotate(nlp, read_lines(ARTICLE))
    assert [t._.leaflet_sentences for t in doc] == [
        (),
        ("Lead.",),
        (),
        (),
        ("It helps.", "It is safe."),
        (),
        (),
        ("Bye.",),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nSide effects\n\nmild. rare.", {2: ("mild.", "rare.")}),
        ("Title\nSide effects\nMost are mild.", {2: ("Most are mild.",)}),
        ("Title\n\nWhat is it?\n\nIt is a toxin.", {2: ("It is a toxin.",)}),
        ("Title\n\nSide effects\n\nWhat is it?\n\nUses", {2: ("What is it?",)}),
    ],
)  # fmt: skip
def test_headings_are_never_sentenced(
    nlp: Language, text: str, expected: dict[int, tuple[str, ...]]
) -> None:
    doc = annotate(nlp, read_lines(text))
    assert {t.i: t._.leaflet_sentences for t in doc if t._.leaflet_sentences} == expected


def test_components_run_on_a_hand_built_doc(nlp: Language) -> None:
    lines = (Line("T", "label"), Line("x", "text"), Line("- a", "bullet"))
    doc = outline_doc(nlp, lines)
    nlp.get_pipe("leaflet_blocks")(doc)
    assert block_labels(doc) == ("title", "paragraph", "list_item")
    nlp.get_pipe("leaflet_sections")(doc)
    assert spans(doc, SECTIONS_KEY) == [(1, 3, "2")]


def test_set_blocks_applies_given_labels(nlp: Language) -> None:
    doc = outline_doc(nlp, (Line("T", "label"), Line("x", "text"), Line("y", "text")))
    set_blocks(doc, ("title", "list_item", "list_item"), [ListRun(1, 3, ordered=True)])
    assert spans(doc, BLOCKS_KEY)[1:] == [(1, 2, "list_item"), (2, 3, "list_item")]
    assert spans(doc, LISTS_KEY) == [(1, 3, "ordered")]


def test_empty_outline(nlp: Language) -> None:
    doc = annotate(nlp, ())
    assert len(doc) == 0
    assert [len(doc.spans[key]) for key in (BLOCKS_KEY, LISTS_KEY, SECTIONS_KEY)] == [0, 0, 0]


def test_trained_pipeline_splits_sentences_with_its_parser() -> None:
    trained_pipeline_or_skip()
    nlp = load_nlp("en_core_web_sm")
    assert set(OUTLINE_COMPONENTS) <= set(nlp.pipe_names)
    doc = annotate(nlp, read_lines("Title\n\nUses\n\nIt helps. It is safe."))
    assert doc[2]._.leaflet_sentences == ("It helps.", "It is safe.")
