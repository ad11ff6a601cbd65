"""The sign-off: resolved per article (its own details, the remembered first publication,
the clinic's defaults), shown in the HTML, the PDF's text layer and the JSON, nothing
shown for a missing field, every field escaped, and a QR code that scans."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from pipeline.article import render
from pipeline.config import LeafletConfig, SignOff
from pipeline.errors import InputError
from pipeline.files import write_output
from pipeline.model import ArticleMeta, Document
from pipeline.render import render_html, render_pdf
from pipeline.signoff import LeafletSignOff, resolve_signoff

from .helpers import (
    CONFIG,
    REFERENCES,
    SIGNED,
    parse,
    pdf_text,
    reader,
    signed_document,
    small_document,
    texts,
)

pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="needs pyzbar and libzbar0 (make test)")

ADDRESS = "https://riverside.example/leaflets/botox-beyond-beauty.html"
# What the signed sample's leaflet must show, as the page's text has it.
SHOWN = [
    "Written by Dr Amira Patel, GP",
    "Reviewed by Dr Ben Jones, consultant neurologist",
    "Version 1.2",
    "Published 5 March 2025",
    "Next review 5 March 2026",
    "Tell us what you think of this leaflet",
    "Email: leaflets@riverside.example",
    "Phone: 01632 960 001",
    "Other formats",
    "Ask at reception for this leaflet in large print, another language or easy read.",
    "Read this leaflet online",
    ADDRESS,
    "Sources used for this leaflet",
    *REFERENCES,
    "Contact us",
    "Phone: 01632 960 000",
]
LABELS = [
    "Written by", "Reviewed by", "Version", "Tell us what you think", "Email:",
    "Other formats", "Read this leaflet online", "Sources used", "QR code",
]  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    """Text without spaces, break opportunities or hyphens: the PDF wraps long addresses
    at a ``-``, and pdftotext joins the lines without it."""
    return "".join(text.replace("\u200b", "").replace("-", "").split())


def page_text(page: str) -> str:
    return flat("".join(parse(page).itertext()))


# -- resolving --------------------------------------------------------------------------

DAY = date(2025, 3, 5)  # the clinic's published date in CONFIG


@pytest.mark.parametrize(
    ("own", "remembered", "published", "review"),
    [
        # the article's own date wins over everything
        (ArticleMeta(published=date(2024, 6, 1)), date(2023, 1, 1), date(2024, 6, 1),
         date(2025, 6, 1)),
        # then the date remembered from its first build: a rebuild does not re-date it
        (ArticleMeta(), date(2023, 1, 31), date(2023, 1, 31), date(2024, 1, 31)),
        # then the clinic's published date
        (ArticleMeta(), None, DAY, date(2026, 3, 5)),
        # an own review date wins over published + review_months
        (ArticleMeta(review_date=date(2027, 1, 1)), None, DAY, date(2027, 1, 1)),
    ],
)  # fmt: skip
def test_dates(own: ArticleMeta, remembered: date | None, published: date, review: date) -> None:
    doc = replace(small_document(), meta=own)
    signed = resolve_signoff(doc, CONFIG, first_published=remembered)
    assert (signed.published, signed.review_date) == (published, review)


@pytest.mark.parametrize(
    ("own", "field", "value"),
    [
        (ArticleMeta(author="Dr Own"), "author", "Dr Own"),
        (ArticleMeta(), "author", "Dr Amira Patel, GP"),  # the clinic's default
        (ArticleMeta(reviewer="Dr R"), "reviewer", "Dr R"),
        (ArticleMeta(version="3.0"), "version", "3.0"),
        (ArticleMeta(), "version", "1.2"),
        (ArticleMeta(references=("A",)), "references", ("A",)),
        (ArticleMeta(), "references", ()),  # no clinic-wide sources
        (ArticleMeta(language="en-gb"), "language", "en-GB"),
        (ArticleMeta(), "language", "en"),
    ],
)
def test_the_article_wins_over_the_clinic(own: ArticleMeta, field: str, value: object) -> None:
    signed = resolve_signoff(replace(small_document(), meta=own), SIGNED)
    assert getattr(signed, field) == value


@pytest.mark.parametrize(
    ("base_url", "name", "address"),
    [
        ("https://gp.example/l/", None, "https://gp.example/l/small.html"),
        ("https://gp.example/l/", "small-3f2a", "https://gp.example/l/small-3f2a.html"),
        ("", "small", ""),  # negative row: no base_url, no web address and no QR code
    ],
)
def test_web_address(base_url: str, name: str | None, address: str) -> None:
    config = replace(CONFIG, base_url=base_url)
    assert resolve_signoff(small_document(), config, name=name).web_address == address


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (
            ArticleMeta(published=date(2025, 3, 1), review_date=date(2025, 2, 1)),
            "in/a.md: the review date 2025-02-01 is before the publication date 2025-03-01",
        ),
        (ArticleMeta(language="fr"), "in/a.md: language 'fr' is not available"),
    ],
)
def test_what_cannot_be_signed_off(meta: ArticleMeta, message: str) -> None:
    doc = replace(small_document(), meta=meta, source="in/a.md")
    with pytest.raises(InputError, match=message) as caught:
        resolve_signoff(doc, CONFIG)
    assert "\n" not in str(caught.value)


# -- every field everywhere ----------------------------------------------------------------


def test_every_field_in_the_html() -> None:
    page = parse(render_html(signed_document(), SIGNED))
    body = flat("".join(page.itertext()))
    assert [shown for shown in SHOWN if shown not in body] == []
    assert page.get("lang") == "en-GB"
    assert [t.get("datetime") for t in page.iter("time")] == ["2025-03-05", "2026-03-05"]
    links = {a.get("href") for a in page.iter("a")}
    assert {"mailto:leaflets@riverside.example", "tel:01632960001", ADDRESS} <= links
    last = ["Contact us", "Sources used for this leaflet", "About this leaflet"]
    assert texts(page, "h2")[-3:] == last


def test_every_field_in_the_pdf_text_layer(tmp_path: Path) -> None:
    pdf = render_pdf(signed_document(), SIGNED)
    text = squash(pdf_text(pdf, tmp_path))
    assert [shown for shown in SHOWN if squash(shown) not in text] == []
    assert reader(pdf).metadata["/CreationDate"].startswith("D:20250305")


def test_every_field_in_the_json(tmp_path: Path) -> None:
    doc = signed_document()
    signed = resolve_signoff(doc, SIGNED, name="botox-2")
    for fmt in ("json", "html"):
        write_output(tmp_path / f"botox-2.{fmt}", render(doc, fmt, SIGNED, signed))
    data = json.loads((tmp_path / "botox-2.json").read_text("utf-8"))
    assert data["signoff"] == {
        "published": "2025-03-05",
        "review_date": "2026-03-05",
        "language": "en-GB",
        "author": "Dr Amira Patel, GP",
        "reviewer": "Dr Ben Jones, consultant neurologist",
        "version": "1.2",
        "references": list(REFERENCES),
        "feedback_email": "leaflets@riverside.example",
        "feedback_phone": "01632 960 001",
        "other_formats": SIGNED.signoff.other_formats,
        "web_address": "https://riverside.example/leaflets/botox-2.html",  # its file's name
    }
    assert data["meta"]["references"] == list(REFERENCES)  # what the article itself said
    page = (tmp_path / "botox-2.html").read_text("utf-8")
    assert 'href="https://riverside.example/leaflets/botox-2.html"' in page


def test_a_remembered_date_is_kept_after_a_settings_change(tmp_path: Path) -> None:
    """The build layer passes the first build's date; a new logo or published default
    in leaflet.toml does not re-date the leaflet."""
    changed = replace(SIGNED, published=date(2026, 1, 1))
    signed = resolve_signoff(signed_document(), changed, first_published=date(2025, 3, 5))
    page = render_html(signed_document(), changed, signoff=signed)
    assert "Published 5 March 2025" in page_text(page)
    pdf = render_pdf(signed_document(), changed, signoff=signed)
    assert reader(pdf).metadata["/CreationDate"].startswith("D:20250305")


# -- missing fields are not shown ------------------------------------------------------------


def bare_config() -> LeafletConfig:
    return replace(CONFIG, signoff=SignOff(), base_url="")


def test_missing_fields_are_not_shown(tmp_path: Path) -> None:
    doc = replace(small_document(), meta=ArticleMeta())
    root = parse(render_html(doc, bare_config()))
    body = flat("".join(root.itertext()))
    assert [label for label in LABELS if label in body] == []
    assert list(root.iter("img")) == []
    assert [s.get("class") for s in root.iter("section") if s.get("class")] == ["box contact"]
    shown = ("th", "td", "h2", "h3", "p", "li", "a", "div", "section", "table")
    empty = [e.tag for e in root.iter() if e.tag in shown and not flat("".join(e.itertext()))]
    assert empty == []  # no label, heading or box without something in it
    text = flat(pdf_text(render_pdf(doc, bare_config()), tmp_path))
    assert [label for label in LABELS if label in text] == []
    assert "Published 5 March 2025" in body and "Published 5 March 2025" in text


@pytest.mark.parametrize(
    ("signoff", "shown", "hidden"),
    [
        (SignOff(author="Dr A"), "Written by Dr A", ["Reviewed by", "Version", "Tell us"]),
        (SignOff(reviewer="Dr R"), "Reviewed by Dr R", ["Written by", "Version"]),
        (SignOff(version="2.1"), "Version 2.1", ["Written by", "Reviewed by"]),
        (SignOff(feedback_email="a@b.example"), "Email: a@b.example", ["Phone: 0"]),
        (SignOff(feedback_phone="01632 960 999"), "Phone: 01632 960 999", ["Email:"]),
        (SignOff(other_formats="Ask us."), "Other formats Ask us.", ["Tell us"]),
    ],
)
def test_each_field_alone(signoff: SignOff, shown: str, hidden: list[str]) -> None:
    page = render_html(small_document(), replace(bare_config(), signoff=signoff))
    footer = texts(parse(page), "footer")[0]
    assert shown in footer
    assert [label for label in hidden if label in footer] == []


# -- escaping --------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & <b>bold</b> "quoted"'


def hostile_signoff() -> tuple[Document, LeafletConfig]:
    """Every field holds markup. Config checks would refuse some of it; a library user
    building a config by hand gets no such checks, so the page must escape it anyway."""
    meta = ArticleMeta(
        author=HOSTILE, reviewer=HOSTILE, version=HOSTILE, references=(HOSTILE, HOSTILE)
    )
    signoff = SignOff(
        feedback_email=f"{HOSTILE}@x.example", feedback_phone=HOSTILE, other_formats=HOSTILE
    )
    config = replace(CONFIG, signoff=signoff, base_url='https://x.example/"><script>/')
    return replace(small_document(), meta=meta), config


def test_every_field_is_escaped_in_the_html() -> None:
    doc, config = hostile_signoff()
    page = render_html(doc, config)
    root = parse(page)
    assert list(root.iter("script")) == [] and list(root.iter("b")) == []
    body = flat("".join(root.itertext()))
    assert body.count(flat(HOSTILE)) >= 7  # author, reviewer, version, 2 sources, phone, formats
    (qr,) = [img for img in root.iter("img")]
    assert qr.get("alt", "").endswith('https://x.example/"><script>/small.html')
    assert {a.get("href") for a in root.iter("a")} >= {'https://x.example/"><script>/small.html'}


def test_every_field_is_escaped_in_the_pdf(tmp_path: Path) -> None:
    doc, config = hostile_signoff()
    text = squash(pdf_text(render_pdf(doc, config), tmp_path))
    assert text.count(squash(HOSTILE)) >= 7


# -- the QR code -----------------------------------------------------------------------------


def decoded(image: Image.Image) -> list[str]:
    return [found.data.decode("utf-8") for found in pyzbar.decode(image)]


def test_the_web_page_qr_code_scans() -> None:
    root = parse(render_html(signed_document(), SIGNED))
    (qr,) = [img for img in root.iter("img") if img.get("alt", "").startswith("QR code")]
    alt = f"QR code: scan it with a phone camera to open this leaflet online at {ADDRESS}"
    assert qr.get("alt") == alt
    prefix = "data:image/png;base64,"
    src = qr.get("src", "")
    assert src.startswith(prefix)
    assert decoded(Image.open(io.BytesIO(base64.b64decode(src[len(prefix):])))) == [ADDRESS]


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_the_printed_qr_code_scans(paper: str, tmp_path: Path) -> None:
    """The code as printed: the PDF's last page rasterised at 150 dpi, then scanned."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    pdf = render_pdf(signed_document(), replace(SIGNED, paper=paper))
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(pdf)
    last = str(len(reader(pdf).pages))
    page = ["-f", last, "-l", last, str(path), str(tmp_path / "page")]
    subprocess.run(["pdftoppm", "-png", "-r", "150", *page], check=True)
    (png,) = tmp_path.glob("page*.png")
    assert decoded(Image.open(png)) == [ADDRESS]


def test_no_qr_code_without_a_web_address() -> None:
    root = parse(render_html(signed_document(), replace(SIGNED, base_url="")))
    assert [img for img in root.iter("img") if "QR" in img.get("alt", "")] == []
    assert "Read this leaflet online" not in flat("".join(root.itertext()))


def test_signoff_objects_are_frozen() -> None:
    signed = resolve_signoff(small_document(), CONFIG)
    assert isinstance(signed, LeafletSignOff)
    with pytest.raises(AttributeError):
        signed.author = "x"  # type: ignore[misc]
