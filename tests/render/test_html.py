"""render_html: structure, escaping, self-containment, fonts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from PIL import Image

from pipeline.config import Clinic, LeafletConfig
from pipeline.model import Document, ListBlock, Section
from pipeline.render import render_html
from pipeline.render.html import (
    heading_tag,
    long_date,
    phone_href,
    render_print_html,
)

from .helpers import (
    SAMPLE_SUBSECTIONS,
    SAMPLE_TITLE,
    SAMPLE_TOP,
    parse,
    sample_document,
    small_document,
    texts,
)

BOX_HEADINGS = ("Abbreviations in this leaflet", "Contact us", "About this leaflet")


def body_text(root: Element) -> str:
    body = root.find("body")
    assert body is not None
    return " ".join("".join(body.itertext()).split())


@pytest.mark.parametrize("doc", [sample_document()], ids=["sample"])
def test_headings_match_the_sections(doc: Document, config: LeafletConfig) -> None:
    root = parse(render_html(doc, config))
    assert texts(root, "h1") == [SAMPLE_TITLE]
    assert texts(root, "h2") == [*SAMPLE_TOP, *BOX_HEADINGS]
    assert texts(root, "h3") == list(SAMPLE_SUBSECTIONS)
    assert texts(root, "title") == [SAMPLE_TITLE]


@pytest.mark.parametrize("doc", [sample_document(), small_document()], ids=["sample", "small"])
def test_page_is_semantic_and_script_free(doc: Document, config: LeafletConfig) -> None:
    page = render_html(doc, config)
    root = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert root.get("lang") == "en"
    assert [e.tag for e in root.iter() if e.tag in ("header", "main", "footer")] == [
        "header",
        "main",
        "footer",
    ]
    assert list(root.iter("script")) == []
    assert "Riverside Surgery" in texts(root, "header")[0]
    viewport = [m.get("content") for m in root.iter("meta") if m.get("name") == "viewport"]
    assert viewport == ["width=device-width, initial-scale=1"]


def test_lists_keep_their_kind(config: LeafletConfig) -> None:
    root = parse(render_html(small_document(), config))
    assert texts(root, "ul") == ["With food With water"]
    assert texts(root, "ol") == ["Swallow Wait"]
    assert texts(root, "li") == ["With food", "With water", "Swallow", "Wait"]


@pytest.mark.parametrize(
    ("level", "tag"),
    [(2, "h2"), (3, "h3"), (4, "h4"), (6, "h6"), (9, "h6"), (1, "h2"), (0, "h2")],
)
def test_heading_tag(level: int, tag: str) -> None:
    assert heading_tag(level) == tag


def test_deep_sections_nest(config: LeafletConfig) -> None:
    deep = Section("Deep", 4, (small_document().sections[0].blocks))
    doc = replace(
        small_document(), sections=(Section("Top", 2, (), (Section("Mid", 3, (), (deep,)),)),)
    )
    root = parse(render_html(doc, config))
    assert (texts(root, "h2")[0], texts(root, "h3"), texts(root, "h4")) == (
        "Top",
        ["Mid"],
        ["Deep"],
    )
    assert len([s for s in root.iter("section") if s.get("class") is None]) == 3


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script> after",
        "Fish & chips &amp; peas",
        '"Quoted" <b>not bold</b> <img src="http://evil.example/x.png">',
        "It's 5 < 6 > 4",
        "Plain text stays plain.",  # negative row: nothing to escape
    ],
)
def test_article_text_is_escaped(text: str, config: LeafletConfig) -> None:
    doc = small_document(text=text, title=text)
    page = render_html(doc, config)
    root = parse(page)
    assert list(root.iter("script")) == []
    assert list(root.iter("b")) == []
    assert [i for i in root.iter("img")] == []
    assert texts(root, "h1") == [" ".join(text.split())]
    assert " ".join(text.split()) in texts(root, "p")


def test_clinic_details_are_escaped() -> None:
    clinic = Clinic(name="<i>A&B</i> Surgery", address="<b>1</b> Road", phone="<x>")
    root = parse(render_html(small_document(), LeafletConfig(clinic=clinic)))
    assert list(root.iter("i")) == [] and list(root.iter("b")) == [] and list(root.iter("x")) == []
    assert "<i>A&B</i> Surgery" in body_text(root)


def test_no_external_requests(config: LeafletConfig) -> None:
    page = render_html(sample_document(), config)
    root = parse(page)
    sources = [e.get("src") for e in root.iter() if e.get("src") is not None]
    links = [e.get("href") for e in root.iter() if e.get("href") is not None]
    assert all(src.startswith("data:") for src in sources)
    assert links == ["tel:01632960000", "https://riverside.example"]
    style = "".join(texts(root, "style"))
    assert re.findall(r"url\(\"?(\w+):", style) == ["data"] * len(re.findall(r"url\(", style))
    assert list(root.iter("link")) == []


def test_about_box(config: LeafletConfig) -> None:
    root = parse(render_html(sample_document(), config))
    footer = texts(root, "footer")[0]
    for expected in (
        "About this leaflet",
        "Published 5 March 2025",
        "Next review 5 March 2026",
        config.disclaimer,
    ):
        assert expected in footer
    contact = texts(root, "address")[0]
    for expected in (
        "Riverside Surgery",
        "Address: 1 River Lane, Exampletown EX1 2AB",
        "Phone: 01632 960 000",
        "Website: https://riverside.example",
    ):
        assert expected in contact
    assert "For staff" not in footer  # the reading level is for editors, off by default
    with_note = replace(config, reading_level_note=True)
    noted = texts(parse(render_html(sample_document(), with_note)), "footer")[0]
    assert "For staff: Flesch reading ease 12, grade 17.8, 610 words." in noted
    times = [t.get("datetime") for t in root.iter("time")]
    assert times == ["2025-03-05", "2026-03-05"]


@pytest.mark.parametrize(
    "source", ["/tmp/x/in/a-secret-folder/aspirin.txt", "C:\\Leaflets\\aspirin.md", "aspirin.txt"]
)
def test_source_file_is_not_on_the_patients_copy(source: str, config: LeafletConfig) -> None:
    page = render_html(replace(small_document(), source=source), config)
    assert "aspirin." not in page and "secret" not in page and "Source" not in page


@pytest.mark.parametrize(
    ("lists", "expected"),
    [
        ((ListBlock(("a", "b"), True, start=3),), [("ol", "3")]),
        ((ListBlock(("a",), True, start=2),), [("ol", "2")]),
        ((ListBlock(("a",), True, start=0),), [("ol", "0")]),
        # negative rows: lists from 1, and bullets, carry no start
        ((ListBlock(("a", "b"), True),), [("ol", None)]),
        ((ListBlock(("a", "b")),), [("ul", None)]),
        (
            (ListBlock(("a",), True), ListBlock(("c", "d"), True, start=3)),
            [("ol", None), ("ol", "3")],
        ),
    ],
)
def test_numbered_lists_keep_their_numbers(
    lists: tuple[ListBlock, ...], expected: list[tuple[str, str | None]], config: LeafletConfig
) -> None:
    doc = replace(small_document(), sections=(Section("Steps", 2, lists),))
    root = parse(render_html(doc, config))
    assert [(e.tag, e.get("start")) for e in root.iter() if e.tag in ("ol", "ul")] == expected


def test_optional_parts_are_left_out() -> None:
    doc = replace(small_document(), source=None, reading_level=None, abbreviations=())
    root = parse(render_html(doc, LeafletConfig(published=date(2025, 1, 31))))
    footer = texts(root, "footer")[0]
    assert "For staff" not in footer and "Website" not in texts(root, "address")[0]
    assert texts(root, "aside") == []
    # a visible placeholder, no tel: link
    assert "Clinic phone number not set" in texts(root, "address")[0]
    assert [e.get("href") for e in root.iter("a")] == []


def test_abbreviations_box(config: LeafletConfig) -> None:
    root = parse(render_html(sample_document(), config))
    abbrs = {a.text: a.get("title") for a in root.iter("abbr")}
    assert abbrs == {"OAB": "Overactive bladder", "TMJ": "Temporomandibular joint disorder"}
    (aside,) = root.iter("aside")
    assert [th.get("scope") for th in aside.iter("th")] == ["row", "row"]
    assert texts(aside, "th") == ["OAB", "TMJ"]
    assert texts(aside, "td") == ["Overactive bladder", "Temporomandibular joint disorder"]


@pytest.mark.parametrize(("large_print", "cls"), [(True, "large-print"), (False, None)])
def test_large_print_class(large_print: bool, cls: str | None, config: LeafletConfig) -> None:
    root = parse(render_html(small_document(), replace(config, large_print=large_print)))
    assert root.get("class") == cls


def test_fonts_are_embedded_and_small(config: LeafletConfig) -> None:
    page = render_html(sample_document(), config)
    faces = re.findall(r'font-family: "([^"]+)"; src: url\("data:font/ttf;base64,', page)
    assert faces == ["Atkinson Hyperlegible", "Atkinson Hyperlegible"]
    assert len(page.encode("utf-8")) < 80_000


@pytest.mark.parametrize(
    ("text", "fallback"),
    [
        ("Plain Latin, café, naïve – “quoted”", False),
        ("Борис (Cyrillic)", True),
        ("well\u2010known (U+2010 HYPHEN)", True),
        ("5 μg, Δ and Ω: the Greek letters Atkinson has", False),
        ("α and β blockers", True),
    ],
)
def test_dejavu_only_when_atkinson_lacks_a_character(
    text: str, fallback: bool, config: LeafletConfig
) -> None:
    if fallback and not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    page = render_html(small_document(text=text), config)
    assert ('font-family: "DejaVu Sans"; src: url("data:' in page) is fallback


def test_logo_is_a_data_url(tmp_path: Path, config: LeafletConfig) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "navy").save(logo)
    with_logo = replace(config, clinic=replace(config.clinic, logo=logo))
    imgs = list(parse(render_html(small_document(), with_logo)).iter("img"))
    assert [(i.get("src", "")[:22], i.get("alt")) for i in imgs] == [
        ("data:image/png;base64,", "Riverside Surgery logo")
    ]
    print_imgs = list(parse(render_print_html(small_document(), with_logo)).iter("img"))
    assert [i.get("src") for i in print_imgs] == [logo.resolve().as_uri()]


def test_same_input_same_page(config: LeafletConfig) -> None:
    assert render_html(sample_document(), config) == render_html(sample_document(), config)


def test_print_page_has_no_inline_styles(config: LeafletConfig) -> None:
    root = parse(render_print_html(sample_document(), config))
    assert list(root.iter("style")) == []
    assert texts(root, "h1") == [SAMPLE_TITLE]


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2025, 3, 5), "5 March 2025"), (date(2024, 12, 31), "31 December 2024")],
)
def test_long_date(day: date, text: str) -> None:
    assert long_date(day) == text


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("01632 960 000", "tel:01632960000"),
        ("+44 1632 960000", "tel:+441632960000"),
        ("Clinic phone number not set (add it to leaflet.toml)", ""),
        ("", ""),
    ],
)
def test_phone_href(phone: str, href: str) -> None:
    assert phone_href(phone) == href
