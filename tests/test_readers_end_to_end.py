"""Real files through the command line: a saved web page and a Word document give the
same cleaned article as the text file they came from; a folder of text files in three
encodings builds without any option; Markdown with front matter, a table, a quote and a
figure builds; ``explain`` and ``clean`` work on every format."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from pipeline.article import prepare
from pipeline.cli import main
from pipeline.model import Document, ListBlock, Paragraph
from pipeline.normalise import clean
from pipeline.read import load_article

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "raw" / "botox-beyond-beauty.txt"
READERS = ROOT / "tests" / "data" / "readers"
ENGLISH = "Café visits – a “naïve” résumé\n\nCoffee costs £3 at the café. It is nice.\n"


def article_blocks(doc: Document) -> list[tuple[str, str]]:
    """The leaflet's text in reading order, whatever its sections: title, headings,
    paragraphs and list items."""
    found = [("title", doc.title)]
    for section in doc.walk():
        if section.heading:
            found.append(("heading", section.heading))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                found.append(("paragraph", block.text))
            elif isinstance(block, ListBlock):
                found += [("item", item) for item in block.items]
    return found


def prepared(path: Path) -> Document:
    return prepare(load_article(path), source=str(path))


def repairs(path: Path) -> Counter[tuple[str, str, str, str]]:
    cleaned = clean(load_article(path).text)
    return Counter((c.stage, c.rule, c.before, c.after) for c in cleaned.changes)


@pytest.mark.parametrize("suffix", ["html", "docx"])
def test_the_sample_saved_as_html_or_docx_cleans_as_the_text_file(suffix: str) -> None:
    saved = READERS / f"botox-beyond-beauty.{suffix}"
    assert article_blocks(prepared(saved)) == article_blocks(prepared(SAMPLE))
    assert repairs(saved) == repairs(SAMPLE)


def test_a_folder_of_three_encodings_builds_without_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "windows.txt").write_bytes(ENGLISH.replace("Café", "Windows café").encode("cp1252"))
    (inbox / "notepad.txt").write_bytes(ENGLISH.replace("Café", "Notepad café").encode("utf-16"))
    (inbox / "modern.txt").write_bytes(ENGLISH.replace("Café", "Modern café").encode())
    shutil.copy(SAMPLE, inbox / "botox.txt")
    out = tmp_path / "out"
    assert main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json"]) == 0
    titles = {json.loads(p.read_text("utf-8"))["title"] for p in out.glob("[!.]*.json")}
    assert {
        "Windows café visits – a “naïve” résumé",
        "Notepad café visits – a “naïve” résumé",
        "Modern café visits – a “naïve” résumé",
    } < titles
    assert "built 4, skipped 0, failed 0" in capsys.readouterr().out


def test_markdown_with_front_matter_table_quote_and_figure_builds(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(READERS, inbox, ignore=shutil.ignore_patterns("botox-*"))
    out = tmp_path / "out"
    assert main(["build", str(inbox / "aspirin.md"), "-o", str(out), "-j", "1"]) == 0
    data = json.loads((out / "low-dose-aspirin.json").read_text("utf-8"))
    assert data["title"] == "Low-dose aspirin" and data["meta"]["version"] == "1.10"
    kinds = [block["type"] for s in data["sections"] for block in s["blocks"]]
    assert {"table", "quote", "figure"} <= set(kinds)
    page = (out / "low-dose-aspirin.html").read_text("utf-8")
    assert "<table" in page and "<blockquote>" in page and "data:image/png;base64," in page
    # the front matter is not printed as text; the leaflet's sign-off shows what it says
    assert "reviewer:" not in page and "review-date" not in page
    assert "Reviewed by</th> <td>Dr Ben Jones, consultant cardiologist" in page
    assert 'lang="en-GB"' in page and '<time datetime="2027-03-01">' in page
    assert '<a href="https://www.nhs.uk/medicines/low-dose-aspirin/">' in page


@pytest.mark.parametrize("name", ["botox-beyond-beauty.docx", "botox-beyond-beauty.html"])
def test_explain_points_into_the_text_the_reader_produced(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = READERS / name
    assert main(["explain", str(path)]) == 0
    report = capsys.readouterr().out
    assert report.startswith(f"{path}: ") and "homoglyphs" in report
    text = load_article(path).text
    first = clean(text).changes[0]
    assert text[first.start : first.end] == first.before


def test_clean_keeps_the_front_matter(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("---\nauthor: Dr Who\n---\n# Tіtle\n\nSome tеxt.\n", "utf-8")
    out = tmp_path / "b.md"
    assert main(["clean", str(source), "-o", str(out)]) == 0
    assert out.read_text("utf-8") == "---\nauthor: Dr Who\n---\n# Title\n\nSome text.\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.docx", b"not a zip", "is not a Word document"),
        ("a.html", b"<html><body><nav>Home</nav></body></html>", "no article found"),
        ("a.md", b"---\nreviwer: Dr Who\n---\nText\n", "key 'reviwer' is not one leaflet knows"),
    ],
)
def test_malformed_files_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    assert main(["build", str(bad), "-o", str(tmp_path / "out"), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: " in err and message in err and "Traceback" not in err


def test_a_folder_of_every_format_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(READERS, inbox)
    shutil.copy(SAMPLE, inbox / "botox.txt")
    out = tmp_path / "out"
    assert main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json,html"]) == 0
    assert "built 4, skipped 0, failed 0" in capsys.readouterr().out
    sources = sorted(json.loads(p.read_text("utf-8"))["source"] for p in out.glob("[!.]*.json"))
    assert [Path(source).name for source in sources] == [
        "aspirin.md",
        "botox-beyond-beauty.docx",
        "botox-beyond-beauty.html",
        "botox.txt",
    ]
