"""Very long addresses: shown shortened, linked whole, on the web page and in the PDF.

A link's text takes a line box per line, and WeasyPrint writes a link annotation holding
the whole address for each, so an address printed whole cost the square of its length
(160,000 characters: 71 s and 1.8 GB). These tests check what keeps it in step with the
length: the shown text is bounded, the link target is exact, and the shown text can break.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import LeafletConfig
from pipeline.model import ArticleMeta, Document, ListBlock, Section, Table
from pipeline.render import render_html, render_pdf
from pipeline.render.html import render_print_html
from pipeline.render.links import LONG_ADDRESS, PIECE, linkify

from .helpers import paragraph, parse, pdf_text, reader

# The middle varies, so "in order" means something; the ends are what the reader needs.
MIDDLE = "abcdefghij" * 4_000
LONG_WEB = f"https://example.com/{MIDDLE}/leaflet.pdf"
LONG_MAILTO = f"mailto:{MIDDLE}@example.com"
LONG_EMAIL = "b" * 64 + "@" + ".".join(["c" * 63] * 8) + ".com"  # the longest we link
EXACT = "https://example.com/" + "x" * (LONG_ADDRESS - 20)  # as long as is shown whole
ENDS = {  # address -> what its shown text must start and end with
    LONG_WEB: ("https://example.com/abcdefghij", "/leaflet.pdf"),
    LONG_MAILTO: ("mailto:abcdefghij", "@example.com"),
    LONG_EMAIL: ("b" * 64 + "@cccc", "cccc.com"),
    EXACT: (EXACT, EXACT),
    f"{EXACT}y": ("https://example.com/xxx", "xxxy"),  # one character too long
}


def _href(address: str) -> str:
    return address if ":" in address else f"mailto:{address}"


def _document(placement: str, address: str) -> Document:
    """A leaflet with ``address`` in a paragraph, a list item, a table cell or a source."""
    text = f"See {address} today."
    blocks = {
        "paragraph": (paragraph(text),),
        "list item": (ListBlock((text, "Ask at reception.")),),
        "table cell": (Table(("Where", "What"), ((address, "Advice"), ("Reception", "Help"))),),
        "source": (paragraph("Some advice."),),
    }[placement]
    doc = Document("Links", "links", (Section("Read more", 2, blocks),))
    if placement == "source":
        return replace(doc, meta=ArticleMeta(references=(f"NHS. {address}",)))
    return doc


def _shows(shown: str, address: str) -> bool:
    """Whether ``shown`` is ``address`` whole when short enough, else its two ends
    around "…"."""
    if len(address) <= LONG_ADDRESS:
        return shown == address
    head, _, tail = shown.partition("…")
    ends = address.startswith(head) and address.endswith(tail)
    return bool(tail) and len(shown) <= LONG_ADDRESS and ends


def _check_shown(shown: str, address: str) -> None:
    start, end = ENDS[address]
    assert shown.startswith(start) and shown.endswith(end)
    assert _shows(shown, address)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (f"See {LONG_WEB}.", LONG_WEB),
        (f"({LONG_MAILTO})", LONG_MAILTO),
        (f"Write to {LONG_EMAIL}, please", LONG_EMAIL),
        (f"See {EXACT}.", EXACT),
        (f"See {EXACT}y.", f"{EXACT}y"),
        (f"A word of {MIDDLE} and no address", None),  # words are never shortened
    ],
)
def test_linkify_shows_a_long_address_shortened(text: str, address: str | None) -> None:
    markup = str(linkify(text))
    found = re.findall(r'<a href="([^"]*)">([^<]*)</a>', markup)
    if address is None:
        assert found == [] and markup == text
        return
    ((href, shown),) = found
    assert href == _href(address)
    _check_shown(shown, address)


PLACEMENTS = ["paragraph", "list item", "table cell", "source"]
CASES = [
    *((placement, LONG_WEB) for placement in PLACEMENTS),
    ("paragraph", LONG_MAILTO),
    ("list item", LONG_EMAIL),
    ("table cell", EXACT),
]


def _links(markup: str, address: str) -> list[str]:
    """The text of every link to exactly ``address`` in an HTML page."""
    found = parse(markup).iter("a")
    return ["".join(a.itertext()) for a in found if a.get("href") == _href(address)]


@pytest.mark.parametrize(("placement", "address"), CASES)
def test_the_web_page_links_the_whole_address(
    placement: str, address: str, config: LeafletConfig
) -> None:
    page = render_html(_document(placement, address), config)
    (shown,) = _links(page, address)
    _check_shown(shown, address)
    assert page.count(address) == (1 if len(address) > LONG_ADDRESS else 2)  # target, text


@pytest.mark.parametrize(("placement", "address"), CASES)
def test_the_pdf_links_the_whole_address_and_prints_its_ends(
    placement: str, address: str, config: LeafletConfig, tmp_path: Path
) -> None:
    doc = _document(placement, address)
    (shown,) = _links(render_print_html(doc, config), address)
    assert max(map(len, shown.split("\u200b"))) <= PIECE  # it can break like a long word
    _check_shown(shown.replace("\u200b", ""), address)
    pdf = render_pdf(doc, config)
    links = [
        annotation.get_object()
        for page in reader(pdf).pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    ours = [link for link in links if link["/A"]["/URI"] == _href(address)]
    # One annotation for each line the link's text takes: a few, not one per line of
    # the whole address (1,250 for 40,000 characters).
    assert 1 <= len(ours) <= 12
    # What a screen reader says for the link: the address as shown, not all of it.
    assert all(_shows(link["/Contents"], _href(address)) for link in ours)
    printed = re.sub(r"[\s\u200b]", "", pdf_text(pdf, tmp_path))
    assert shown.replace("\u200b", "") in printed
