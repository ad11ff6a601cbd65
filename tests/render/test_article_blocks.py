"""Tables, quotes, figures and links on the leaflet: real HTML elements on the web page,
the same in the PDF with link annotations and the image read through the local fetcher;
the PDF's limits (long words, long articles)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import LeafletConfig, Paper
from pipeline.errors import InputError
from pipeline.model import (
    Abbreviation,
    Block,
    Document,
    Figure,
    ImageFile,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Table,
)
from pipeline.render import pdf as pdf_module
from pipeline.render import render_html, render_pdf
from pipeline.render.html import render_print_html
from pipeline.render.links import breakable, linkify
from pipeline.signoff import resolve_signoff

from .helpers import paragraph, parse, pdf_text, reader, texts

CHART = Path(__file__).resolve().parents[1] / "data" / "readers" / "doses-chart.png"


def image(folder: Path) -> ImageFile:
    path = folder / "chart.png"
    shutil.copy(CHART, path)
    return ImageFile("chart.png", str(path.resolve()), "image/png", 280, 150)


def document(folder: Path, cell: str = "75 mg") -> Document:
    blocks = (
        paragraph("Read more at https://www.nhs.uk/aspirin/ or email gp@example.org."),
        Table(("Who", "Dose"), (("Adults", cell), ("Children", "None"))),
        Table(("Age",), (("65+",),), caption="Doses by age"),
        Quote((paragraph("It helped me."), paragraph("A lot."))),
        Figure(image(folder), "A bar chart of doses", "How many take each dose"),
    )
    return Document("Aspirin", "aspirin", (Section("How to take it", 2, blocks),))


def test_web_page_has_real_elements(tmp_path: Path, config: LeafletConfig) -> None:
    root = parse(render_html(document(tmp_path), config))
    main = root.find("body/main")
    assert main is not None
    first, second = main.iter("table")
    assert [th.get("scope") for th in first.iter("th")] == ["col", "col"]
    assert texts(first, "th") == ["Who", "Dose"] and texts(first, "td")[:2] == ["Adults", "75 mg"]
    assert first.get("aria-label") == "How to take it"  # no caption: named by its section
    assert texts(second, "caption") == ["Doses by age"] and second.get("aria-label") is None
    assert texts(root, "blockquote") == ["It helped me. A lot."]
    (figure,) = root.iter("figure")
    img = figure.find("img")
    assert img is not None and img.get("alt") == "A bar chart of doses"
    assert (img.get("src") or "").startswith("data:image/png;base64,iVBOR")
    assert texts(figure, "figcaption") == ["How many take each dose"]
    links = {a.get("href"): "".join(a.itertext()) for a in root.iter("a")}
    assert links["https://www.nhs.uk/aspirin/"] == "https://www.nhs.uk/aspirin/"
    assert links["mailto:gp@example.org"] == "gp@example.org"


def test_cells_are_escaped(tmp_path: Path, config: LeafletConfig) -> None:
    page = render_html(document(tmp_path, cell="<script>alert(1)</script>"), config)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_print_markup_names_the_image_file(tmp_path: Path, config: LeafletConfig) -> None:
    markup = render_print_html(document(tmp_path), config)
    assert f'src="{(tmp_path / "chart.png").resolve().as_uri()}"' in markup


def test_an_image_that_changed_since_it_was_read_is_refused(
    tmp_path: Path, config: LeafletConfig
) -> None:
    doc = document(tmp_path)
    (tmp_path / "chart.png").write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    with pytest.raises(InputError, match="the image changed"):
        render_html(doc, config)


def test_pdf_has_links_tables_and_the_image(tmp_path: Path, config: LeafletConfig) -> None:
    pdf = render_pdf(document(tmp_path), config)
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader(pdf).pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    }
    assert {"https://www.nhs.uk/aspirin/", "mailto:gp@example.org"} <= uris
    images = {image.name for page in reader(pdf).pages for image in page.images}
    assert len(images) == 1  # the pages share one resource dictionary
    text = pdf_text(pdf, tmp_path)
    for words in ("Who Dose", "Adults 75 mg", "Doses by age", "It helped me.", "How many take"):
        assert words in " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("See https://a.org/x.", ["https://a.org/x"]),
        ("NHS (https://www.nhs.uk/a_b)", ["https://www.nhs.uk/a_b"]),
        ("“https://a.org/q?x=1&y=2”", ["https://a.org/q?x=1&amp;y=2"]),
        ("Mail a.b+c@example.co.uk, please", ["mailto:a.b+c@example.co.uk"]),
        ("javascript:alert(1) and ftp://a.org", []),
        ("user@localhost and @handle", []),
        ("https:// alone", []),
    ],
)
def test_linkify(text: str, links: list[str]) -> None:
    found = str(linkify(text))
    assert [part.split('"')[0] for part in found.split('href="')[1:]] == links


def test_long_words_get_break_opportunities_only_in_the_pdf(
    tmp_path: Path, config: LeafletConfig
) -> None:
    word = "x" * 40_000
    doc = Document("Long", "long", (Section(None, 2, (Paragraph(word, (word,)),)),))
    assert word in render_html(doc, config)
    assert word not in render_print_html(doc, config)
    assert breakable(word).replace("\u200b", "") == word
    assert len(reader(render_pdf(doc, config)).pages) >= 5


def test_pdf_refuses_articles_over_the_limit(
    monkeypatch: pytest.MonkeyPatch, config: LeafletConfig
) -> None:
    _most, says, advice = pdf_module.PDF_LIMITS["characters"]
    monkeypatch.setitem(pdf_module.PDF_LIMITS, "characters", (100, says, advice))
    doc = Document("T", "t", (Section(None, 2, (paragraph("word " * 30),)),), source="in/a.md")
    with pytest.raises(InputError) as raised:
        render_pdf(doc, config)
    assert str(raised.value) == (
        "in/a.md: is 151 characters, over the PDF limit of 100; "
        "split the article, or build only --format json,html"
    )
    render_pdf(replace(doc, sections=()), config)  # within the limit


def _items(count: int) -> Document:
    items = ListBlock(tuple(f"item {number}" for number in range(count)))
    return Document("T", "t", (Section("Steps", 2, (items,)),), source="in/list.md")


@pytest.mark.parametrize(
    ("blocks", "count"),
    [
        ((ListBlock(("a", "b", "c")),), 4),  # the heading and each item
        ((paragraph("One."), Quote((paragraph("Two."), paragraph("Three."))),), 4),
        ((Table(("Age", "Dose"), (("16", "1"), ("65", "2"))),), 4),  # its head and rows
        ((), 1),
    ],
)
def test_block_count_counts_what_fills_the_pages(blocks: tuple[Block, ...], count: int) -> None:
    doc = Document("T", "t", (Section("Uses", 2, blocks), Section(None, 2, ())))
    assert pdf_module.block_count(doc) == count


def test_pdf_refuses_articles_of_too_many_blocks(config: LeafletConfig) -> None:
    """60,000 short list items are 420,000 characters, under the character limit, and
    took WeasyPrint eight minutes: refused at once, before any layout."""
    doc = _items(pdf_module.MAX_PDF_BLOCKS)  # with its heading, one over
    assert pdf_module.text_length(doc) < pdf_module.MAX_PDF_CHARACTERS
    with pytest.raises(InputError) as raised:
        render_pdf(doc, config)
    assert str(raised.value) == (
        "in/list.md: has 5,001 headings, paragraphs, list items, table rows, figures, "
        "abbreviations and sources, over the PDF limit of 5,000; split the article, or build "
        "only --format json,html"
    )


def _measured(blocks: tuple[Block, ...] = (), **more: object) -> dict[str, int]:
    doc = Document("T", "t", (Section(None, 2, blocks),), **more)  # type: ignore[arg-type]
    return pdf_module.pdf_measures(doc, resolve_signoff(doc, LeafletConfig()))


def _figure(number: int, side: int = 4000) -> Figure:
    return Figure(ImageFile(f"f{number}.png", f"/in/f{number}.png", "image/png", side, side), "A")


ROWS = tuple(("r" * 5, "x" * 100) for _ in range(1000))
GLOSSARY = range(5001)
NARROW = Table(("h" * 10,) * 12, (("w" * 20,) * 12,) * 300)  # 3,612 cells in 12 columns


@pytest.mark.parametrize(
    ("blocks", "more", "measure", "count"),
    [
        # What a probe built under the character and block limits, each taking minutes:
        # 25,000 abbreviations (a glossary table), 60,000 e-mail addresses, 150 images
        # of 16 million pixels, a table of long cells.
        ((), {"abbreviations": tuple(Abbreviation(f"A{n}", "a b") for n in range(9))},
         "blocks", 9),
        ((paragraph("a@b.io, c@d.org and https://e.net/x " * 3),), {}, "links", 9),
        (tuple(_figure(n) for n in range(3)), {}, "pixels", 48_000_000),
        ((_figure(1), _figure(1), _figure(2, 10)), {}, "pixels", 16_000_100),  # each file once
        ((Table(("Age", "Dose"), ROWS),), {}, "table characters", 105_007),
        ((Table(("Age", "Dose"), ROWS),), {}, "cells", 2002),
        ((Table(("Age", "Dose"), ROWS),), {}, "table size", 2 * 105_007),  # chars x columns
        ((Table(("A", "B", "C"), (("ab", "c"),)),), {}, "columns", 3),  # a row may be short
    ],
)  # fmt: skip
def test_pdf_measures(
    blocks: tuple[Block, ...], more: dict[str, object], measure: str, count: int
) -> None:
    assert _measured(blocks, **more)[measure] == count


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (Document("T", "t", (Section(None, 2, (paragraph("a@b.io " * 1001),)),)),
         "has 1,001 web and e-mail addresses, over the PDF limit of 1,000; split the article"),
        (Document("T", "t", (Section(None, 2, tuple(_figure(n) for n in range(13))),)),
         "its figures hold 208,000,000 pixels, over the PDF limit of 200,000,000; make the "
         "images smaller (2,000 pixels across is plenty for print)"),
        (Document("T", "t", (Section(None, 2, (Table(("A", "B"), ROWS),)),)),
         "its tables hold 105,002 characters, over the PDF limit of 100,000; split them"),
        # 4,000 cells of a short sentence took 62 s in 12 columns (a probe's finding)
        (Document("T", "t", (Section(None, 2, (NARROW,)),)),
         "a table's characters times its columns come to 865,440, over the PDF limit of "
         "400,000; split it into smaller or narrower tables"),
        (Document("T", "t", (), abbreviations=tuple(Abbreviation(str(n), "b") for n in GLOSSARY)),
         "has 5,001 headings, paragraphs, list items, table rows, figures, abbreviations and "
         "sources, over the PDF limit of 5,000; split the article"),
    ],
)  # fmt: skip
def test_pdf_refuses_what_would_take_minutes_before_any_layout(
    doc: Document, message: str, config: LeafletConfig
) -> None:
    with pytest.raises(InputError) as raised:
        render_pdf(replace(doc, source="in/a.md"), config)
    assert str(raised.value) == f"in/a.md: {message}, or build only --format json,html"


def test_pdf_counts_the_sources_among_its_blocks(config: LeafletConfig) -> None:
    doc = Document("T", "t", (Section(None, 2, (paragraph("Text."),)),), source="in/a.md")
    signed = replace(resolve_signoff(doc, config), references=tuple(["A source."] * 5000))
    with pytest.raises(InputError, match="has 5,001 headings"):
        render_pdf(doc, config, signoff=signed)


def test_pdf_lays_out_an_article_at_the_block_limit(
    monkeypatch: pytest.MonkeyPatch, config: LeafletConfig
) -> None:
    _most, says, advice = pdf_module.PDF_LIMITS["blocks"]
    monkeypatch.setitem(pdf_module.PDF_LIMITS, "blocks", (301, says, advice))
    assert len(reader(render_pdf(_items(300), config)).pages) >= 5  # a list over pages


def _table_document(columns: int, word: str, last: str = "ZZZ", rows: int = 2) -> Document:
    """A table of ``columns`` columns of ``word``; the last column's header is ``last``."""
    header = (*[f"{word}{n}" for n in range(columns - 1)], last)
    cells = tuple(tuple(f"{word}{n}" for n in range(columns)) for _ in range(rows))
    blocks = (paragraph("Before the table."), Table(header, cells), paragraph("After the table."))
    return Document("Wide", "wide", (Section("Doses", 2, blocks),), source="in/wide.md")


@pytest.mark.parametrize(
    ("columns", "word", "paper", "large_print", "broken"),
    [
        (8, "Paracetamol", "A5", True, True),  # cut off at the fifth column, before
        (12, "Ibuprofen", "A4", False, True),
        (3, "Dose", "A5", True, False),  # fits: laid out as it always was, words whole
        (6, "mg", "A4", False, False),
    ],
)
def test_a_table_wider_than_the_page_breaks_its_words_never_its_columns_off(
    columns: int, word: str, paper: Paper, large_print: bool, broken: bool, tmp_path: Path
) -> None:
    config = LeafletConfig(paper=paper, large_print=large_print)
    text = pdf_text(render_pdf(_table_document(columns, word), config), tmp_path)
    assert "Z" in text  # the last column is on the page (its header repeated on each)
    whole = [f"{word}{n}" in text for n in range(columns - 1)]
    assert not all(whole) if broken else all(whole)


@pytest.mark.parametrize(
    ("columns", "rows", "words"),
    [
        (
            20,
            1,
            "in/wide.md: a table of 20 columns is wider than a page of A4, even with its "
            "words broken; split it into narrower tables, or build only --format json,html",
        ),
        (
            21,
            1,
            "in/wide.md: its widest table has 21 columns, over the PDF limit of 20; split it "
            "into narrower tables, or build only --format json,html",
        ),
        (10_000, 1, "in/wide.md: its tables have 20,000 cells, over the PDF limit of 4,000"),
        (20, 200, "its tables have 4,020 cells"),
    ],
)
def test_a_table_that_cannot_be_printed_is_refused(
    columns: int, rows: int, words: str, config: LeafletConfig
) -> None:
    doc = _table_document(columns, "c", rows=rows)
    with pytest.raises(InputError) as raised:
        render_pdf(doc, config)
    assert words in str(raised.value) and "\n" not in str(raised.value)
    render_html(doc, config)  # the web page scrolls it sideways: still made
