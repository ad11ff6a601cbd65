"""Publishing what the structure stage really produces: the sample and the dev articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import LeafletConfig
from pipeline.model import Document
from pipeline.render import render_html, render_pdf

from .helpers import (
    ROOT,
    SAMPLE,
    SAMPLE_SUBSECTIONS,
    SAMPLE_TOP,
    document_words,
    outline_titles,
    parse,
    pdf_text,
    reader,
    rough_clean,
    sample_text,
    texts,
)

structure = pytest.importorskip("pipeline.structure").structure
DEV = sorted((ROOT / "tests" / "data" / "dev" / "original").glob("*.txt"))
ARTICLES = [
    ("sample-rough", rough_clean(SAMPLE.read_text("utf-8"))),
    ("sample", sample_text()),
] + [(path.stem, path.read_text("utf-8")) for path in DEV]


def headings(doc: Document, level: int) -> list[str]:
    return [s.heading for s in doc.walk() if s.level == level and s.heading]


@pytest.mark.parametrize(("name", "text"), ARTICLES, ids=[a[0] for a in ARTICLES])
def test_structured_article_publishes(
    name: str, text: str, config: LeafletConfig, tmp_path: Path
) -> None:
    doc = structure(text, source=f"{name}.txt")
    root = parse(render_html(doc, config))
    assert texts(root, "h1") == [doc.title]
    assert texts(root, "h2")[: len(headings(doc, 2))] == headings(doc, 2)
    assert texts(root, "h3") == headings(doc, 3)
    pdf = render_pdf(doc, config)
    words = iter(pdf_text(pdf, tmp_path).split())
    assert [w for w in document_words(doc) if w not in words] == []
    outline = list(outline_titles(reader(pdf).outline))
    assert outline[0] == doc.title and headings(doc, 2)[0] in outline


def test_sample_sections_as_expected() -> None:
    doc = structure(sample_text())
    assert headings(doc, 2) == list(SAMPLE_TOP)
    assert headings(doc, 3) == list(SAMPLE_SUBSECTIONS)


@pytest.mark.parametrize(
    ("name", "top", "not_top"),
    [
        ("01-aspirin-beyond-pain-relief", "Risks and Precautions", "Inflammatory Conditions"),
        ("05-lidocaine-more-than-numbing", "Safety Considerations", "Soothing Irritated Tissues"),
    ],
)
def test_standard_headings_print_at_the_top(
    name: str, top: str, not_top: str, config: LeafletConfig
) -> None:
    """After a run of subsections, "Risks ..." and "Safety ..." are h2 and top bookmarks;
    the subsection before them (a negative row) stays an h3, a nested bookmark."""
    doc = structure(dict(ARTICLES)[name], source=f"/tmp/in/{name}.txt")
    root = parse(render_html(doc, config))
    assert top in texts(root, "h2") and not_top in texts(root, "h3")
    top_level = reader(render_pdf(doc, config)).outline[1]
    top_titles = [item.title for item in top_level if not isinstance(item, list)]
    assert top in top_titles and not_top not in top_titles
