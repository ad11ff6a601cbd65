"""PDF/UA, checked by walking the structure tree (veraPDF is not available here): every
marked-content sequence is an artifact or reachable, the running header and footer are
artifacts, elements split by page breaks are whole again, headings in order, lists with
their numbering, tables with headers, figures with alternative text, /Lang and a title."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from pipeline.config import LeafletConfig, Paper
from pipeline.model import Document, ListBlock, Paragraph, Section, Table
from pipeline.render import render_pdf
from pipeline.render.tagging import fix_tags

from .helpers import (
    SAMPLE_SUBSECTIONS,
    SAMPLE_TITLE,
    SAMPLE_TOP,
    SIGNED,
    document_words,
    paragraph,
    signed_document,
    small_document,
)
from .pdfwalk import Element, Tagged, read
from .test_article_blocks import document as blocks_document


@cache
def sample(paper: Paper = "A5") -> tuple[bytes, Tagged]:
    """The signed sample: on A5 its sections, paragraphs and boxes run over page breaks."""
    pdf = render_pdf(signed_document(), replace(SIGNED, paper=paper))
    return pdf, read(pdf)


def lists_document() -> Document:
    steps = (
        ListBlock(("Wash your hands.", "Dry them."), True),
        paragraph("Then wait a minute."),
        ListBlock(("Apply the cream.", "Rest."), True, start=3),
        ListBlock(("Fruit", "Vegetables")),
    )
    return replace(small_document(), sections=(Section("Steps", 2, steps),))


def long_table_document() -> Document:
    rows = tuple((f"{age} years", f"{age * 5} mg") for age in range(1, 61))
    table = Table(("Age", "Dose"), rows, caption="Doses by age")
    return replace(small_document(), sections=(Section("Doses", 2, (table,)),))


def owned(tagged: Tagged) -> list[tuple[int, int]]:
    return [key for element in tagged.elements() for key in element.content]


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_every_marked_content_is_an_artifact_or_in_the_tree(paper: Paper) -> None:
    _, tagged = sample(paper)
    mine = owned(tagged)
    assert len(mine) == len(set(mine))  # no content in two elements
    assert set(mine) == set(tagged.text)  # every MCID drawn is reachable, and only those
    assert all(loose == [] for loose in tagged.untagged)  # no text outside marked content


def blocks_with_logo(folder: Path) -> tuple[Document, LeafletConfig]:
    """A table, a quote, a figure and links (tests/render/test_article_blocks.py), with
    the clinic's logo."""
    logo = folder / "logo.png"
    Image.new("RGB", (120, 40), "navy").save(logo)
    config = replace(SIGNED, clinic=replace(SIGNED.clinic, logo=logo), paper="A5")
    return blocks_document(folder), config


@pytest.mark.parametrize(
    "make",
    [
        lambda folder: (lists_document(), SIGNED),
        lambda folder: (long_table_document(), replace(SIGNED, paper="A5")),
        blocks_with_logo,
    ],
    ids=["lists", "long-table", "blocks-with-logo"],
)
def test_every_leaflet_is_wholly_tagged(make: Any, tmp_path: Path) -> None:
    doc, config = make(tmp_path)
    tagged = read(render_pdf(doc, config))
    mine = owned(tagged)
    assert len(mine) == len(set(mine)) and set(mine) == set(tagged.text)
    assert all(loose == [] for loose in tagged.untagged)
    alts = [str(figure.obj.Alt) for figure in tagged.elements("Figure")]
    assert len(alts) == len(tagged.elements("Figure")) and all(alts)
    if config.clinic.logo:
        assert alts[:2] == ["Riverside Surgery logo", "A bar chart of doses"]


def test_every_structure_element_in_the_file_is_in_the_tree() -> None:
    """WeasyPrint's elements for the header and footer (in no tree) are gone."""
    _, tagged = sample()
    in_file = {
        obj.objgen
        for obj in tagged.pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"
    }
    assert in_file == {element.obj.objgen for element in tagged.elements()[1:]}


def test_the_parent_tree_agrees_with_the_tree() -> None:
    _, tagged = sample()
    nums = list(tagged.pdf.Root.StructTreeRoot.ParentTree.Nums)
    pages = dict(zip(nums[0::2], nums[1::2], strict=True))
    for element in tagged.elements():
        for page, mcid in element.content:
            assert pages[page][mcid].objgen == element.obj.objgen
    for number, page in enumerate(tagged.pdf.pages):
        assert int(page.StructParents) == number
        for annotation in page.get("/Annots", []):  # each link's element knows it
            parent = pages[int(annotation.StructParent)]
            assert parent.S == "/Link"


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_running_header_and_footer_are_artifacts(paper: Paper) -> None:
    pdf, tagged = sample(paper)
    total = len(tagged.pdf.pages)
    for number, artifacts in enumerate(tagged.artifacts, 1):
        header = ["Riverside Surgery"] if number > 1 else []  # page 1 has the masthead
        assert artifacts == [*header, f"Page {number} of {total}"]
    assert not any("Page 1 of" in text for text in tagged.text.values())


def test_the_tagged_text_has_every_word_in_order() -> None:
    _, tagged = sample()
    words = iter(tagged.text_of(tagged.root).split())
    assert [word for word in document_words(signed_document()) if word not in words] == []


def test_a_section_over_a_page_break_is_one_section() -> None:
    _, tagged = sample()
    sections = {tagged.text_of(e.children[0]): e for e in tagged.elements("Sect")}
    assert list(sections) == [
        *SAMPLE_TOP, *SAMPLE_SUBSECTIONS, "Abbreviations in this leaflet", "Contact us",
        "Sources used for this leaflet", "About this leaflet",
    ]  # fmt: skip
    medical = sections[SAMPLE_TOP[1]]
    assert medical.kinds() == ["H2"] + ["Sect"] * len(SAMPLE_SUBSECTIONS)
    pages = {page for e in medical.walk() for page, _ in e.content}
    assert len(pages) >= 3  # it really runs over page breaks
    assert [e.type for e in tagged.root.children] == ["Document"]
    assert tagged.root.children[0].kinds() == ["Div", "Part", "Sect"]  # masthead, main, about


def test_a_paragraph_over_a_page_break_is_one_paragraph() -> None:
    _, tagged = sample()
    paragraphs = Counter(tagged.text_of(p) for p in tagged.elements("P"))
    doc = signed_document()
    texts = [b.text for s in doc.walk() for b in s.blocks if isinstance(b, Paragraph)]
    assert [text for text in texts if paragraphs[" ".join(text.split())] != 1] == []


def test_headings_are_in_order() -> None:
    _, tagged = sample()
    levels = [int(e.type[1]) for e in tagged.elements() if re.fullmatch(r"H[1-6]", e.type)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))
    assert tagged.text_of(tagged.elements("H1")[0]) == SAMPLE_TITLE


def test_lists_carry_their_numbering() -> None:
    tagged = read(render_pdf(lists_document(), SIGNED))
    lists = tagged.elements("L")
    assert [str(e.obj.A.ListNumbering) for e in lists] == ["/Decimal", "/Decimal", "/Disc"]
    assert all(e.obj.A.O == "/List" for e in lists)
    for element in lists:
        assert set(element.kinds()) == {"LI"}
        assert all(item.kinds() == ["Lbl", "LBody"] for item in element.children)
    labels = [[tagged.text_of(item.children[0]) for item in e.children] for e in lists]
    assert labels == [["1.", "2."], ["3.", "4."], ["•", "•"]]
    bodies = [tagged.text_of(item.children[1]) for item in lists[1].children]
    assert bodies == ["Apply the cream.", "Rest."]


def test_a_list_over_many_pages_is_one_list_with_every_item() -> None:
    """Its pieces on each page are joined into the first (in place: the list's children
    were once copied again for every page it runs over)."""
    items = tuple(f"Item {number}." for number in range(1, 301))
    doc = replace(small_document(), sections=(Section("Steps", 2, (ListBlock(items, True),)),))
    tagged = read(render_pdf(doc, SIGNED))
    (element,) = [e for e in tagged.elements("L") if len(e.children) > 2]  # not the about box's
    assert len({page for e in element.walk() for page, _ in e.content}) >= 5
    assert [tagged.text_of(item.children[1]) for item in element.children] == list(items)
    assert len(tagged.elements("LI")) == 300 + sum(
        len(e.children) for e in tagged.elements("L") if e is not element
    )


def test_the_sources_are_a_numbered_list() -> None:
    _, tagged = sample()
    (sources,) = tagged.elements("L")
    assert str(sources.obj.A.ListNumbering) == "/Decimal"
    assert [tagged.text_of(item.children[0]) for item in sources.children] == ["1.", "2."]


def header_cells(tagged: Tagged) -> dict[str, Element]:
    names = list(tagged.pdf.Root.StructTreeRoot.IDTree.Names)
    by_objgen = {e.obj.objgen: e for e in tagged.elements()}
    pairs = zip(names[0::2], names[1::2], strict=True)
    return {str(key): by_objgen[obj.objgen] for key, obj in pairs}


def test_the_abbreviations_are_a_table_with_row_headers() -> None:
    _, tagged = sample()
    cells = header_cells(tagged)
    abbreviations = [t for t in tagged.elements("Table") if "OAB" in tagged.text_of(t)]
    (table,) = abbreviations
    rows = [row for row in table.walk() if row.type == "TR"]
    assert [row.kinds() for row in rows] == [["TH", "TD"], ["TH", "TD"]]
    for row in rows:
        header, data = row.children
        (key,) = data.obj.A.Headers
        assert cells[str(key)] is header
    assert [tagged.text_of(row) for row in rows] == [
        "OAB Overactive bladder",
        "TMJ Temporomandibular joint disorder",
    ]


def test_a_table_over_a_page_break_is_one_table_with_one_head() -> None:
    tagged = read(render_pdf(long_table_document(), replace(SIGNED, paper="A5")))
    doses = [t for t in tagged.elements("Table") if "Doses by age" in tagged.text_of(t)]
    (table,) = doses
    assert table.kinds() == ["Caption", "THead", "TBody"]
    rows = [row for row in table.walk() if row.type == "TR"]
    assert len(rows) == 61 and len({page for row in rows for page, _ in row.content}) == 0
    pages = {page for e in table.walk() for page, _ in e.content}
    assert len(pages) >= 2
    cells = header_cells(tagged)
    cells_of_rows = [td for td in table.walk() if td.type == "TD"]
    heads = [cells[str(key)] for td in cells_of_rows for key in td.obj.A.Headers]
    assert {tagged.text_of(head) for head in heads} == {"Age", "Dose"}
    assert all(head.obj.P.P.P.objgen == table.obj.objgen for head in heads)  # the first head
    repeated = [text for page in tagged.artifacts[1:] for text in page]
    assert "Age" in repeated and "Dose" in repeated  # the head drawn again: an artifact


def test_figures_have_alternative_text() -> None:
    _, tagged = sample()
    figures = tagged.elements("Figure")
    assert [str(f.obj.Alt) for f in figures] == [
        "QR code: scan it with a phone camera to open this leaflet online at "
        "https://riverside.example/leaflets/botox-beyond-beauty.html"
    ]


def test_language_and_title() -> None:
    pdf, tagged = sample()
    catalog = tagged.pdf.Root
    assert str(catalog.Lang) == "en-GB"  # the article's own language
    assert bool(catalog.ViewerPreferences.DisplayDocTitle) is True
    assert str(tagged.pdf.docinfo.Title) == SAMPLE_TITLE
    with tagged.pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == SAMPLE_TITLE
        assert xmp["pdfuaid:part"] == "1"
    assert bool(catalog.MarkInfo.Marked) is True


def test_no_private_keys_are_left() -> None:
    _, tagged = sample()
    keys = {
        str(key)
        for obj in tagged.pdf.objects
        if isinstance(obj, pikepdf.Dictionary)
        for key in obj
    }
    assert "/S" in keys and not any(key.startswith("/Leaflet") for key in keys)


def test_fixing_is_deterministic() -> None:
    pdf, _ = sample()
    assert fix_tags(pdf) == fix_tags(pdf)
