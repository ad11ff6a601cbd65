"""render_pdf: page size, metadata, tagging, bookmarks, fonts, text layer, safety."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pypdf
import pytest
import weasyprint
from PIL import Image

from pipeline.config import LeafletConfig, Paper, load_config
from pipeline.model import ListBlock, Section
from pipeline.render import render_pdf, warm_up
from pipeline.render.fonts import ATKINSON
from pipeline.render.pdf import STATIC_DIR, LocalFetcher, RefusedURLError, page_rule

from .helpers import (
    SAMPLE_SUBSECTIONS,
    SAMPLE_TITLE,
    SAMPLE_TOP,
    document_words,
    outline_titles,
    paragraph,
    pdf_text,
    reader,
    sample_document,
    sample_pdf,
    small_document,
)

BOOKMARKS = [SAMPLE_TITLE, *SAMPLE_TOP[:1], SAMPLE_TOP[1], *SAMPLE_SUBSECTIONS]
BOOKMARKS += ["Abbreviations in this leaflet", "Contact us", "About this leaflet"]
LOOKALIKES = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")  # Greek and Cyrillic blocks


@pytest.mark.parametrize(
    ("paper", "size"),
    [("A4", (595.28, 841.89)), ("A5", (419.53, 595.28)), ("letter", (612.0, 792.0))],
)
def test_page_size(paper: Paper, size: tuple[float, float]) -> None:
    pages = reader(sample_pdf(paper)).pages
    assert len(pages) >= 2
    assert {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pages
    } == {size}


def test_metadata() -> None:
    pdf = reader(sample_pdf())
    assert pdf.metadata is not None
    assert pdf.metadata.title == SAMPLE_TITLE
    assert pdf.metadata.author == "Riverside Surgery"
    assert pdf.metadata["/CreationDate"].startswith("D:20250305")
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_tagged_for_accessibility() -> None:
    pdf = reader(sample_pdf())
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


@pytest.mark.parametrize("paper", ["A4", "A5", "letter"])
def test_bookmarks_are_the_headings(paper: Paper) -> None:
    pdf = reader(sample_pdf(paper))
    assert list(outline_titles(pdf.outline)) == BOOKMARKS
    title, children = pdf.outline[0], pdf.outline[1]
    assert title.title == SAMPLE_TITLE and isinstance(children, list)


def test_fonts_are_embedded() -> None:
    fonts: dict[str, Any] = {}
    for page in reader(sample_pdf()).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = descriptor.get_object()
    assert fonts and all("/FontFile2" in d for d in fonts.values())
    assert any("Atkinson-Hyperlegible" in name for name in fonts)
    assert any("Atkinson-Hyperlegible-Bold" in name for name in fonts)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_text_layer_has_every_word_in_order(paper: Paper, tmp_path: Path) -> None:
    words = iter(pdf_text(sample_pdf(paper), tmp_path).split())
    missing = [w for w in document_words(sample_document()) if w not in words]
    assert missing == []


def test_text_layer_has_no_lookalikes(tmp_path: Path) -> None:
    text = pdf_text(sample_pdf(), tmp_path)
    assert LOOKALIKES.findall(text) == []
    assert "Page 2 of" in text and "Riverside Surgery" in text


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_running_header_and_footer(paper: Paper, tmp_path: Path) -> None:
    pdf = sample_pdf(paper)
    pages = pdf_text(pdf, tmp_path).split("\f")[:-1]
    total = len(reader(pdf).pages)
    assert len(pages) == total
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {total}" in page
        assert "Riverside Surgery" in page  # the masthead on page 1, the header after


def font_sizes(pdf: bytes) -> Counter[float]:
    """Points of text drawn in each size, over all pages (tm and cm scale the size)."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            sizes[round(size * abs(tm[3] * cm[3]), 1)] += len(text)

    for page in reader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize(("large_print", "body_pt"), [(False, 14.0), (True, 18.0)])
@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_body_text_size(paper: Paper, large_print: bool, body_pt: float) -> None:
    sizes = font_sizes(sample_pdf(paper, large_print))
    assert sizes.most_common(1)[0][0] == body_pt
    assert min(sizes) >= (16.0 if large_print else 12.0)  # incl. header, footer, notes


def test_same_input_same_bytes(config: LeafletConfig) -> None:
    doc = sample_document()
    assert render_pdf(doc, config) == render_pdf(doc, config)


def test_source_date_epoch_sets_the_dates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01 00:00 UTC
    first = render_pdf(small_document(), load_config(None))
    second = render_pdf(small_document(), load_config(None))
    assert first == second
    assert reader(first).metadata["/CreationDate"].startswith("D:20250101")


def test_logo_is_drawn(tmp_path: Path, config: LeafletConfig) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), "navy").save(logo)
    pdf = render_pdf(small_document(), replace(config, clinic=replace(config.clinic, logo=logo)))
    first = reader(pdf).pages[0]
    images = first["/Resources"].get("/XObject", {})
    assert any(x.get_object()["/Subtype"] == "/Image" for x in images.values())


def test_article_markup_is_text_not_a_request(tmp_path: Path, config: LeafletConfig) -> None:
    text = '<img src="http://evil.example/x.png"> <script>alert(1)</script> & done'
    pdf = render_pdf(replace(small_document(text=text), abbreviations=()), config)
    assert text in " ".join(pdf_text(pdf, tmp_path).split())


# -- the URL fetcher ----------------------------------------------------------------


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    Image.new("RGB", (4, 4), "red").save(path)
    return path


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "data:text/plain,hello",
        "file:///etc/passwd",
        "file://remote.example/etc/passwd",
        (STATIC_DIR / ".." / "pdf.py").as_uri(),  # .. out of the static folder
        (STATIC_DIR / "no-such-file.css").as_uri(),
        (STATIC_DIR.parent).as_uri(),  # a folder
        "/etc/passwd",
    ],
)
def test_fetcher_refuses(url: str, logo: Path) -> None:
    with pytest.raises(RefusedURLError, match="refused"):
        LocalFetcher(logo).fetch(url)


def test_fetcher_serves_only_the_data_urls_it_was_given() -> None:
    png = b"\x89PNG\r\n\x1a\nnot really"
    fetcher = LocalFetcher(generated={"data:image/png;base64,QR": ("image/png", png)})
    response = fetcher.fetch("data:image/png;base64,QR")
    assert response.read() == png and response.content_type == "image/png"
    with pytest.raises(RefusedURLError):
        fetcher.fetch("data:image/png;base64,QRX")  # negative: any other data: URL


def test_fetcher_refuses_a_symlink_out(tmp_path: Path) -> None:
    link = tmp_path / "innocent.png"
    link.symlink_to("/etc/passwd")
    with pytest.raises(RefusedURLError):
        LocalFetcher().fetch(link.as_uri())


@pytest.mark.parametrize(
    ("make_url", "mime"),
    [
        (lambda logo: (STATIC_DIR / "leaflet.css").as_uri(), "text/css"),
        (lambda logo: ATKINSON[0].path.as_uri(), "font/ttf"),
        (lambda logo: logo.as_uri(), "image/png"),
        (lambda logo: logo.as_uri() + "?v=1#x", "image/png"),
    ],
)
def test_fetcher_serves_our_files(make_url: Any, mime: str, logo: Path) -> None:
    response = LocalFetcher(logo).fetch(make_url(logo))
    assert response.read()[:1] and response.content_type == mime


def test_refused_resource_is_left_out(
    no_weasyprint_warnings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a real layout the refusal is logged by WeasyPrint, and no request is made."""

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("WeasyPrint's own fetcher was used")

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", no_network)
    html = '<p>x</p><img src="http://example.org/x.png"><img src="file:///etc/passwd">'
    weasyprint.HTML(string=html, url_fetcher=LocalFetcher()).write_pdf()
    messages = [r.getMessage() for r in no_weasyprint_warnings.records]
    no_weasyprint_warnings.records.clear()  # expected: do not fail the test
    assert len(messages) == 2 and all("refused" in m for m in messages)


@pytest.mark.parametrize(
    ("paper", "large_print", "rule"),
    [
        ("A4", False, "size: A4; margin: 22mm 20mm 22mm;"),
        ("A5", False, "size: A5; margin: 18mm 14mm 18mm;"),
        ("letter", False, "size: letter; margin: 0.85in 0.8in 0.85in;"),
        ("A4", True, "@bottom-right { font-size: 16pt; content: "),
        ("A4", False, "@bottom-right { font-size: 12pt; content: "),
    ],
)
def test_page_rule(paper: Paper, large_print: bool, rule: str) -> None:
    assert rule in page_rule(paper, large_print)


def test_lists_render(config: LeafletConfig, tmp_path: Path) -> None:
    doc = small_document()
    items = [i for s in doc.walk() for b in s.blocks if isinstance(b, ListBlock) for i in b.items]
    text = pdf_text(render_pdf(doc, config), tmp_path)
    assert all(item in text for item in items)
    assert "1." in text and "•" in text


@pytest.mark.parametrize(
    ("lists", "numbers"),
    [
        # a list continued after a paragraph goes on counting; a lone item keeps its number
        ((ListBlock(("Wash.", "Dry."), True), ListBlock(("Apply.", "Rest."), True, start=3)),
         ["1. Wash.", "2. Dry.", "3. Apply.", "4. Rest."]),
        ((ListBlock(("Side effects of steroids",), True, start=2),),
         ["2. Side effects of steroids"]),
        # negative row: two lists that both start at 1 both count from 1
        ((ListBlock(("Wash.",), True), ListBlock(("Rest.",), True)), ["1. Wash.", "1. Rest."]),
    ],
)  # fmt: skip
def test_numbered_lists_print_their_numbers(
    lists: tuple[ListBlock, ...], numbers: list[str], config: LeafletConfig, tmp_path: Path
) -> None:
    blocks = tuple(block for numbered in lists for block in (numbered, paragraph("Then wait.")))
    doc = replace(small_document(), sections=(Section("Steps", 2, blocks),))
    lines = pdf_text(render_pdf(doc, config), tmp_path).splitlines()
    assert [" ".join(line.split()) for line in lines if re.match(r"\d+\. ", line)] == numbers


@pytest.mark.parametrize("source", ["/tmp/x/in/aspirin.txt", "C:\\Leaflets\\aspirin.md"])
def test_source_file_is_not_on_the_patients_copy(
    source: str, config: LeafletConfig, tmp_path: Path
) -> None:
    text = pdf_text(render_pdf(replace(small_document(), source=source), config), tmp_path)
    assert "aspirin." not in text and "Source" not in text


@pytest.mark.parametrize(
    ("text", "warned"),
    [("Plain text, NF-κB, Б", ""), ("中文 text", "U+4E2D U+6587")],
)
def test_characters_no_font_has_are_reported(
    text: str,
    warned: str,
    config: LeafletConfig,
    caplog: pytest.LogCaptureFixture,
    no_weasyprint_warnings: Any,
) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline.render.pdf"):
        render_pdf(small_document(text=text), config)
    # WeasyPrint reports each character it draws as an empty box: expected here, unless
    # the machine has a system font that draws it (a CJK font installed by something else).
    records = no_weasyprint_warnings.records
    assert all(".notdef glyph" in r.getMessage() for r in records)
    assert len(records) <= (len(warned.split()) if warned else 0)
    records.clear()
    messages = [r.getMessage() for r in caplog.records if r.name == "pipeline.render.pdf"]
    assert messages == (
        [f"small: no leaflet font has {warned}; check the text or add a font"] if warned else []
    )


def test_warm_up_then_render(config: LeafletConfig) -> None:
    warm_up()
    assert render_pdf(small_document(), config).startswith(b"%PDF-1.7")
