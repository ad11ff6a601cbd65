"""Shared by the publishing tests: Documents built by hand, a fixed config, the sample
PDF rendered once per setting, and readers for HTML and PDF output."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pypdf
import pytest
import tinyhtml5

from pipeline.config import Clinic, LeafletConfig, Paper, SignOff
from pipeline.model import (
    Abbreviation,
    ArticleMeta,
    Document,
    ListBlock,
    Paragraph,
    ReadingLevel,
    Section,
)
from pipeline.render import render_pdf

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "botox-beyond-beauty.txt"
# The cleaning stage's expected output for the sample, when that test data is present.
SAMPLE_CLEANED = ROOT / "tests" / "data" / "sample" / "botox-beyond-beauty.expected.txt"

SAMPLE_TITLE = "Exploring the Uses of Botox Beyond Beauty: Medical Applications and Treatments"
SAMPLE_TOP = ("Understanding Botox", "Medical Applications of Botox")
SAMPLE_SUBSECTIONS = (
    "Chronic Migraines",
    "Hyperhidrosis (Excessive Sweating)",
    "Muscle Spasms and Dystonia",
    "Overactive Bladder",
    "Temporomandibular Joint Disorder (TMJ)",
    "Strabismus (Crossed Eyes) and Eye Twitching",
    "Chronic Pain Conditions",
)


def rough_clean(text: str) -> str:
    """The brief's stand-in for the cleaning stage: enough to make the sample Latin."""
    return text.replace("\u0435", "e").replace("an\u2019", "and").replace("in\u2019", "ing")


def paragraph(text: str) -> Paragraph:
    sentences = tuple(s if s.endswith(".") else s + "." for s in text.split(". ") if s)
    return Paragraph(text=text, sentences=sentences)


def sample_text() -> str:
    """The sample, cleaned: the cleaning stage's expected output, else a rough stand-in."""
    if SAMPLE_CLEANED.is_file():
        return SAMPLE_CLEANED.read_text("utf-8")
    return rough_clean(SAMPLE.read_text("utf-8"))


def sample_document() -> Document:
    """The sample article, sectioned by hand as the structure stage should section it."""
    chunks = [c.strip() for c in sample_text().split("\n\n")]
    title, lead, top1, under, top2, *rest = [c for c in chunks if c]
    subsections = []
    for heading, body in zip(rest[0:14:2], rest[1:14:2], strict=True):
        subsections.append(Section(heading.rstrip(":"), 3, (paragraph(body),)))
    return Document(
        title=title,
        slug="botox-beyond-beauty",
        sections=(
            Section(None, 2, (paragraph(lead),)),
            Section(top1, 2, (paragraph(under),)),
            Section(top2, 2, (), tuple(subsections)),
            Section(None, 2, (paragraph(rest[14]),)),
        ),
        abbreviations=(
            Abbreviation("OAB", "Overactive bladder"),
            Abbreviation("TMJ", "Temporomandibular joint disorder"),
        ),
        reading_level=ReadingLevel(12.4, 17.8, 610, 24, 1190),
        source="raw/botox-beyond-beauty.txt",
    )


def small_document(
    text: str = "Take one tablet & drink water.", title: str = "Aspirin"
) -> Document:
    """A tiny leaflet with every kind of block: a paragraph, both lists, a subsection."""
    return Document(
        title=title,
        slug="small",
        sections=(
            Section(None, 2, (paragraph(text),)),
            Section(
                "How to take it",
                2,
                (ListBlock(("With food", "With water")), ListBlock(("Swallow", "Wait"), True)),
                (Section("Side effects", 3, (paragraph("Rarely, a rash."),)),),
            ),
        ),
    )


CONFIG = LeafletConfig(
    clinic=Clinic(
        name="Riverside Surgery",
        address="1 River Lane\nExampletown EX1 2AB",
        phone="01632 960 000",
        website="https://riverside.example",
    ),
    published=date(2025, 3, 5),
)


SIGNED = replace(
    CONFIG,
    base_url="https://riverside.example/leaflets/",
    signoff=SignOff(
        author="Dr Amira Patel, GP",
        reviewer="Dr Ben Jones, consultant neurologist",
        version="1.2",
        feedback_email="leaflets@riverside.example",
        feedback_phone="01632 960 001",
        other_formats="Ask at reception for this leaflet in large print, another language "
        "or easy read.",
    ),
)
"""The test clinic with every sign-off default set, and a web address for QR codes."""
REFERENCES = (
    "NHS. Botulinum toxin. https://www.nhs.uk/conditions/botox/",
    "Simpson DM et al. Practice guideline update summary: botulinum neurotoxin. "
    "Neurology 2016;86:1818-26.",
)


def signed_document() -> Document:
    """The sample with its own sources and language, as front matter would give them."""
    meta = ArticleMeta(references=REFERENCES, language="en-GB")
    return replace(sample_document(), meta=meta)


@cache
def sample_pdf(paper: Paper = "A4", large_print: bool = False) -> bytes:
    """The sample leaflet as a PDF, rendered once per session and setting.

    Called from inside tests (not a session fixture) so the warning guard sees the
    first, real rendering.
    """
    return render_pdf(sample_document(), replace(CONFIG, paper=paper, large_print=large_print))


def parse(page: str) -> Element:
    """An HTML page as an element tree (tags without namespaces)."""
    root: Element = tinyhtml5.parse(page, namespace_html_elements=False)
    return root


def texts(root: Element, tag: str) -> list[str]:
    """The whitespace-normalised text of every ``tag`` element, in document order."""
    return [" ".join("".join(e.itertext()).split()) for e in root.iter(tag)]


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text layer as poppler's pdftotext reads it (what a screen reader gets)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return done.stdout.decode("utf-8")


def document_words(doc: Document) -> Iterator[str]:
    """Every word of the article in reading order: title, headings, paragraphs, items."""
    yield from doc.title.split()
    for section in doc.walk():
        yield from (section.heading or "").split()
        for block in section.blocks:
            text = block.text if isinstance(block, Paragraph) else " ".join(block.items)
            yield from text.split()


def outline_titles(outline: list[Any]) -> Iterator[str]:
    """The PDF's bookmark titles, depth first."""
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item)
        else:
            yield item.title
