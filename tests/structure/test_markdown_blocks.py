"""Markdown tables, block quotes and figures: read into the model's Table, Quote and
Figure blocks, and a front matter title used when the text has none of its own."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipeline.model import (
    ArticleMeta,
    Figure,
    ImageFile,
    ListBlock,
    Paragraph,
    Quote,
    Table,
)
from pipeline.structure import structure
from pipeline.structure.body import body_texts
from pipeline.structure.convert import table_cells

CHART = ImageFile("chart.png", "/articles/chart.png", "image/png", 280, 150)


def blocks(text: str, **options: object) -> list[object]:
    document = structure(text, markdown=True, **options)  # type: ignore[arg-type]
    return [block for section in document.walk() for block in section.blocks]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "| Age | Dose |\n| --- | ---: |\n| 16 | 300 **mg** |\n| 65 | 75 mg |",
            Table(("Age", "Dose"), (("16", "300 mg"), ("65", "75 mg"))),
        ),
        (
            "Age | Dose\n--- | ---\n16 | 300 mg\n\nTable: Doses *by* age",
            Table(("Age", "Dose"), (("16", "300 mg"),), "Doses by age"),
        ),
        (  # rows cut or padded to the header's width; \| is a | in a cell
            "| a | b |\n|---|---|\n| 1 |\n| 2 | 3 \\| 4 | 5 |",
            Table(("a", "b"), (("1", ""), ("2", "3 | 4"))),
        ),
        ("| a | b |\n|---|---|", Table(("a", "b"), ())),
    ],
)
def test_tables(markdown: str, expected: Table) -> None:
    assert blocks(f"# T\n\n{markdown}\n\nAfter.") == [
        expected,
        Paragraph("After.", ("After.",)),
    ]


@pytest.mark.parametrize(
    "markdown",
    [
        "a | b\nc | d",  # no rule row: a paragraph
        "| a | b |\n\n|---|---|",  # a blank line between
        "Costs 5 | 10 pounds.",
    ],
)
def test_pipes_without_a_rule_row_are_text(markdown: str) -> None:
    assert all(isinstance(block, Paragraph) for block in blocks(f"# T\n\n{markdown}"))


def test_quotes() -> None:
    text = "# T\n\n> It *helped* me.\n> A lot.\n>\n> Second part.\n\n> Another quote\nlazy line"
    assert blocks(text) == [
        Quote(
            (
                Paragraph("It helped me. A lot.", ("It helped me.", "A lot.")),
                Paragraph("Second part.", ("Second part.",)),
            )
        ),
        Quote((Paragraph("Another quote lazy line", ("Another quote lazy line",)),)),
    ]


@pytest.mark.parametrize(
    ("line", "images", "expected"),
    [
        ("![A *chart*](chart.png)", (CHART,), Figure(CHART, "A chart")),
        ('![A chart](chart.png "Doses")', (CHART,), Figure(CHART, "A chart", "Doses")),
        ("![A chart](chart.png)", (), Paragraph("A chart", ("A chart",))),
        ("See ![a chart](chart.png).", (CHART,), Paragraph("See a chart.", ("See a chart.",))),
    ],
)
def test_figures_only_for_checked_images(
    line: str, images: tuple[ImageFile, ...], expected: object
) -> None:
    assert blocks(f"# T\n\n{line}", images=images) == [expected]


@pytest.mark.parametrize(
    ("text", "title", "first"),
    [
        ("Aspirin stops clots.\n\n## Uses\n\nPain.", "Low-dose aspirin", None),
        ("# Aspirin\n\nIt stops clots.", "Aspirin", None),  # the text's own title wins
        ("## Uses\n\nPain.", "Low-dose aspirin", "Uses"),
    ],
)
def test_front_matter_title(text: str, title: str, first: str | None) -> None:
    meta = ArticleMeta(title="Low-dose aspirin", published=date(2025, 3, 1))
    document = structure(text, markdown=True, meta=meta)
    assert document.title == title and document.meta == meta
    assert document.sections[0].heading == first


FIGURE = Figure(CHART, "A chart")
TEXT = Paragraph("It stops clots.", ("It stops clots.",))


@pytest.mark.parametrize(
    ("text", "title", "lead"),
    [
        # A banner before the # title: the title was the image's markup (or the quote),
        # and "Aspirin" a section of the lead.
        ("![A chart](chart.png)\n\n# Aspirin\n\nIt stops clots.", "Aspirin", [FIGURE, TEXT]),
        ("> Words.\n\n![A chart](chart.png)\n\n# Aspirin\n\nIt stops clots.", "Aspirin",
         [Quote((Paragraph("Words.", ("Words.",)),)), FIGURE, TEXT]),
        ("![Logo](https://a.org/l.png)\n\n# Aspirin\n\nIt stops clots.", "Aspirin",
         [Paragraph("Logo", ("Logo",)), TEXT]),  # not a file beside it: its description
        # An image and no # title: its description is the title, not its markup.
        ("![A chart](chart.png)\n\nIt stops clots.", "A chart", [FIGURE, TEXT]),
        ("![A chart](chart.png)", "A chart", [FIGURE]),
        # A byline or a heading between the banner and the # title (a probe's finding: the
        # image's description was the title, and the # title a section).
        ("![A chart](chart.png)\n\nBy Dr Smith, 2024\n\n# Aspirin\n\nIt stops clots.",
         "Aspirin", [FIGURE, Paragraph("By Dr Smith, 2024", ("By Dr Smith, 2024",)), TEXT]),
        # A second probe's: several logos and a four-line byline; a bold or ## title
        # after a logo; a picture, a paragraph and then # for sections (the article has
        # begun: the picture's description is the title, the # a section).
        ("![A chart](chart.png)\n\n![A chart](chart.png)\n\nBy Dr Smith\n\nPublished 2024"
         "\n\nReview due 2026\n\nLeaflet 12\n\n# Aspirin\n\nIt stops clots.", "Aspirin",
         [FIGURE, FIGURE] + [Paragraph(t, (t,)) for t in
                             ("By Dr Smith", "Published 2024", "Review due 2026", "Leaflet 12")]
         + [TEXT]),
        ("![A chart](chart.png)\n\n**Aspirin for adults**\n\nIt stops clots.",
         "Aspirin for adults", [FIGURE, TEXT]),
        ("![A chart](chart.png)\n\n## Aspirin for adults\n\nIt stops clots.",
         "Aspirin for adults", [FIGURE, TEXT]),
        ("![A chart](chart.png)\n\n" + "It stops clots. " * 8 + "\n\n# Uses\n\nPain.", "A chart",
         [FIGURE, Paragraph(("It stops clots. " * 8).strip(), ("It stops clots.",) * 8)]),
        # Text first: the first line is the title, as before; the # line a heading.
        ("Aspirin leaflet\n\n# Aspirin\n\nIt stops clots.", "Aspirin leaflet", [TEXT]),
        ("# Aspirin\n\n![A chart](chart.png)\n\nIt stops clots.", "Aspirin", [FIGURE, TEXT]),
    ],
)  # fmt: skip
def test_the_title_stands_first_whatever_banner_is_before_it(
    text: str, title: str, lead: list[object]
) -> None:
    document = structure(text, markdown=True, images=(CHART,))
    assert document.title == title
    assert list(document.sections[0].blocks) == lead  # the lead, or the first section


def test_a_front_matter_title_over_a_banner_is_the_title_alone() -> None:
    """A probe's finding: the banner's description became a section heading under it."""
    meta = ArticleMeta(title="Low-dose aspirin")
    document = structure("![A chart](chart.png)\n\nIt stops clots.", markdown=True,
                         meta=meta, images=(CHART,))  # fmt: skip
    assert document.title == "Low-dose aspirin"
    assert [(s.heading, list(s.blocks)) for s in document.sections] == [(None, [FIGURE, TEXT])]


def test_tables_and_figures_are_not_running_text() -> None:
    text = "# T\n\n| a |\n|---|\n| cell |\n\n> Quoted words.\n\n![Chart](chart.png)\n\n- item"
    document = structure(text, markdown=True, images=(CHART,))
    assert list(body_texts(document.sections)) == ["Quoted words.", "item"]
    assert [type(b) for s in document.walk() for b in s.blocks] == [Table, Quote, Figure, ListBlock]


def test_json_holds_the_new_blocks_without_local_paths() -> None:
    text = "# T\n\n| a |\n|---|\n| b |\nTable: Cap\n\n> Q.\n\n![Chart](chart.png)"
    data = structure(text, markdown=True, images=(CHART,)).to_dict()
    assert data["sections"][0]["blocks"] == [
        {"type": "table", "caption": "Cap", "header": ["a"], "rows": [["b"]]},
        {"type": "quote", "paragraphs": [{"type": "paragraph", "text": "Q.", "sentences": ["Q."]}]},
        {"type": "figure", "alt": "Chart", "caption": None, "src": "chart.png",
         "media_type": "image/png", "width": 280, "height": 150},
    ]  # fmt: skip
    assert "/articles" not in json.dumps(data)


@pytest.mark.parametrize(
    ("row", "cells"),
    [
        ("| a | b |", ("a", "b")),
        ("a | b", ("a", "b")),
        ("| `x|y` |", ("`x", "y`")),  # as GitHub: a pipe in code needs its backslash too
        ("| a \\| b |", ("a | b",)),
        ("|", ("",)),
    ],
)
def test_table_cells(row: str, cells: tuple[str, ...]) -> None:
    assert table_cells(row) == cells
