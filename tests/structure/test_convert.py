"""Turning an annotated outline Doc into the model (pipeline.structure.convert).

The Docs here are built by hand: labels, lists, sections and sentences are set directly,
so these tests check the conversion alone, not the rules that predict them.
"""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.model import Abbreviation, Change, ListBlock, Paragraph, Section
from pipeline.structure.blocks import Label, ListRun
from pipeline.structure.components import (
    load_nlp,
    outline_doc,
    set_blocks,
    set_sections,
    set_sentences,
)
from pipeline.structure.convert import to_document
from pipeline.structure.lines import Line
from pipeline.structure.sections import SectionSpan

LINES = (
    Line("## Botox:", "markdown_heading", depth=2),  # the title, its marks dropped
    Line("Botox is a toxin. It relaxes muscles.", "text"),
    Line("Uses:", "label"),
    Line("Overactive bladder (OAB)", "label"),
    Line("It calms an overactive bladder (OAB).", "text"),
    Line("- rest", "bullet"),
    Line("- water", "bullet"),
    Line("3. See a GP.", "numbered"),  # continues a list: it starts at 3
    Line("Thanks for reading.", "text", gap=2),
)
LABELS: tuple[Label, ...] = (
    "title", "paragraph", "heading", "heading", "paragraph",
    "list_item", "list_item", "list_item", "paragraph",
)  # fmt: skip


def hand_built_doc() -> Doc:
    doc = outline_doc(load_nlp(), LINES)
    set_blocks(doc, LABELS, [ListRun(5, 7, ordered=False), ListRun(7, 8, ordered=True)])
    spans = [SectionSpan(1, 2, 2), SectionSpan(2, 8, 2), SectionSpan(3, 8, 3), SectionSpan(8, 9, 2)]
    set_sections(doc, spans)
    set_sentences(
        doc,
        [1, 4, 8],
        [
            ("Botox is a toxin.", "It relaxes muscles."),
            ("It calms an overactive bladder (OAB).",),
            ("Thanks for reading.",),
        ],
    )
    return doc


def test_to_document_builds_the_model() -> None:
    change = Change("homoglyphs", "cyrillic", 0, 1, "\u0435", "e")
    document = to_document(hand_built_doc(), text="raw", changes=(change,), source="a.md")
    assert document.title == "Botox"
    assert document.slug == "botox"
    assert (document.text, document.changes, document.source) == ("raw", (change,), "a.md")
    assert document.sections == (
        Section(None, 2, (Paragraph(LINES[1].text, ("Botox is a toxin.", "It relaxes muscles.")),)),
        Section(
            "Uses",
            2,
            (),
            (
                Section(
                    "Overactive bladder (OAB)",
                    3,
                    (
                        Paragraph(LINES[4].text, (LINES[4].text,)),
                        ListBlock(("rest", "water"), ordered=False),
                        ListBlock(("See a GP.",), ordered=True, start=3),
                    ),
                ),
            ),
        ),
        Section(None, 2, (Paragraph("Thanks for reading.", ("Thanks for reading.",)),)),
    )


def test_to_document_derives_abbreviations_and_reading_level_from_the_body() -> None:
    document = to_document(hand_built_doc(), text="")
    assert document.abbreviations == (Abbreviation("OAB", "overactive bladder"),)
    assert document.reading_level is not None
    assert document.reading_level.sentences == 4 + 3  # paragraphs' sentences + list items
    assert document.reading_level.words == 7 + 6 + 2 + 3 + 3


def test_to_document_of_an_empty_outline() -> None:
    doc = outline_doc(load_nlp(), ())
    set_blocks(doc, (), ())
    set_sections(doc, ())
    document = to_document(doc, text="")
    assert (document.title, document.slug, document.sections) == ("", "untitled", ())
    assert document.reading_level is None
