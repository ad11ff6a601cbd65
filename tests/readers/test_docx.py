"""Word documents: Word's heading styles, lists, quotes, tables and hyperlinks as
Markdown; files that are not Word documents, zip bombs and entity bombs are one-line
errors or read without expanding anything."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.errors import InputError
from pipeline.readers import docx as docx_reader
from pipeline.readers.docx import read_docx
from pipeline.readers.emit import table_lines


def add_link(paragraph: docx.text.paragraph.Paragraph, text: str, url: str) -> None:
    """python-docx has no call for a hyperlink: write the XML Word writes."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def document_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Aspirin: what to know", style="Title")
    intro = document.add_paragraph("Aspirin is a painkiller. See ")
    add_link(intro, "the NHS page", "https://www.nhs.uk/aspirin/")
    intro.add_run(".")
    document.add_heading("Who can take it", level=1)
    document.add_paragraph("Most adults can take it:")
    document.add_paragraph("adults over 16", style="List Bullet")
    document.add_paragraph("people with no *ulcers*", style="List Bullet")
    document.add_heading("Doses", level=2)
    document.add_paragraph("Take one tablet.", style="List Number")
    document.add_paragraph("Wait 4 hours.", style="List Number")
    document.add_heading("By age", level=3)
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Age", (0, 1): "Dose", (1, 0): "65+", (1, 1): "75 mg"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("Aspirin saved my life.", style="Quote")
    document.add_paragraph("I take it daily.", style="Quote")
    document.add_paragraph("")
    document.add_paragraph("1. Not a list, just a line.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_styles_become_markdown() -> None:
    assert read_docx(document_bytes(), Path("a.docx")).text.split("\n\n") == [
        "# Aspirin: what to know",
        "Aspirin is a painkiller. See [the NHS page](https://www.nhs.uk/aspirin/).",
        "## Who can take it",
        "Most adults can take it:",
        "- adults over 16\n- people with no \\*ulcers\\*",
        "### Doses",
        "1. Take one tablet.\n2. Wait 4 hours.",
        "#### By age",
        "| Age | Dose |\n| --- | --- |\n| 65+ | 75 mg |",
        "> Aspirin saved my life.\n>\n> I take it daily.",
        "1\\. Not a list, just a line.\n",
    ]


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_body(xml: bytes) -> bytes:
    """The test document with its ``word/document.xml`` replaced."""
    with zipfile.ZipFile(io.BytesIO(document_bytes())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = xml
    return zip_of(parts)


ENTITY_BOMB = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>Title &g;&g;&g;&g;</w:t></w:r></w:p>
<w:p><w:r><w:t>Text of the article.</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize(
    ("label", "data", "message"),
    [
        ("not a zip", b"Plain text saved as .docx", "is not a Word document"),
        ("old binary .doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "is not a Word"),
        ("empty zip", zip_of({}), "can be read (a part Word writes is missing)"),
        ("zip of other files", zip_of({"a.txt": b"hello"}), "is not a Word document"),
        ("broken XML", with_body(b"<w:document><w:body>"), "is not a Word document"),
        ("no text", with_body(b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                              b'wordprocessingml/2006/main"><w:body/></w:document>'),
         "the file is empty"),
        ("only invisible characters",
         with_body(b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                   b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                   + "\u200b\u00ad\u2060".encode() + b'</w:t></w:r></w:p><w:p><w:r>'
                   b'<w:t xml:space="preserve">   </w:t></w:r></w:p></w:body></w:document>'),
         "holds no text (only blank space or invisible characters); give it the article's text"),
    ],
)
def test_malformed_documents_are_one_line_errors(label: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError) as raised:
        read_docx(data, Path("inbox/a.docx"))
    text = str(raised.value)
    assert text.startswith("inbox/a.docx: ") and message in text and "\n" not in text


def test_a_zip_of_very_many_files_is_refused_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    """A .docx of thousands of empty entries is refused for their number, not for a size
    it does not have."""
    monkeypatch.setattr(docx_reader, "MAX_PARTS", 50)
    many = zip_of({f"part{n}.xml": b"" for n in range(60)})
    with pytest.raises(InputError, match="holds more than 50 files, where Word writes a few"):
        read_docx(many, Path("a.docx"))


def test_zip_bomb_is_refused_before_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 1_000_000)
    bomb = zip_of({"word/document.xml": b"<" + b" " * 2_000_000 + b">"})
    assert len(bomb) < 10_000
    with pytest.raises(InputError, match="unpacks to more than 1,000,000 bytes"):
        read_docx(bomb, Path("a.docx"))


def test_entities_in_the_xml_are_never_expanded() -> None:
    try:
        text = read_docx(with_body(ENTITY_BOMB), Path("a.docx")).text
    except InputError as error:
        assert str(error).startswith("a.docx: ")
    else:
        assert len(text) < 1000


W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def body_of(*paragraphs: bytes) -> bytes:
    return b"<w:document " + W_NS + b"><w:body>" + b"".join(paragraphs) + b"</w:body></w:document>"


def cell(text: bytes = b"", props: bytes = b"") -> bytes:
    run = b"<w:r><w:t>" + text + b"</w:t></w:r>" if text else b""
    return b"<w:tc><w:tcPr>" + props + b"</w:tcPr><w:p>" + run + b"</w:p></w:tc>"


def table(*rows: list[bytes]) -> bytes:
    return b"<w:tbl>" + b"".join(b"<w:tr>" + b"".join(r) + b"</w:tr>" for r in rows) + b"</w:tbl>"


TEXT = b"<w:p><w:r><w:t>Text of the article.</w:t></w:r></w:p>"
ITEM = b'<w:p><w:pPr><w:numPr><w:ilvl w:val="%s"/><w:numId w:val="%s"/></w:numPr></w:pPr>'


@pytest.mark.parametrize(
    ("label", "xml", "expected"),
    [
        (
            "a cell merged down 5,000 rows",
            table(
                [cell(b"Top", b'<w:vMerge w:val="restart"/>'), cell(b"a")],
                *[[cell(props=b"<w:vMerge/>"), cell(b"b")]] * 5000,
            ),
            "| Top | a |\n| --- | --- |\n" + "|  | b |\n" * 5000,
        ),
        (
            "a cell that says it spans 99,999 columns",
            table([cell(b"Wide", b'<w:gridSpan w:val="99999"/>')], [cell(b"x"), cell(b"y")]),
            "\n".join(table_lines([["Wide", *[""] * 62], ["x", "y"]])),  # 63 columns at most
        ),
        (
            "a span and a merge that are not numbers",
            table([cell(b"A", b'<w:gridSpan w:val="two"/><w:vMerge w:val="??"/>'), cell(b"B")]),
            "| A | B |\n| --- | --- |\n",
        ),
        (
            "list numbering that is not numbers",
            ITEM % (b"abc", b"x") + b"<w:r><w:t>Odd item</w:t></w:r></w:p>",
            "- Odd item\n",
        ),
        (
            "a style that is not in the document",
            b'<w:p><w:pPr><w:pStyle w:val="Nope"/></w:pPr><w:r><w:t>Styled</w:t></w:r></w:p>',
            "Styled\n",
        ),
    ],
)
def test_hostile_tables_lists_and_styles_are_read_as_written(
    label: str, xml: bytes, expected: str
) -> None:
    text = read_docx(with_body(body_of(xml, TEXT)), Path("a.docx")).text
    assert text == expected.rstrip("\n") + "\n\nText of the article.\n"


def test_styles_and_cells_are_read_once_not_per_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx looks through every style for each paragraph's style, and through every
    row above for each merged cell: a 150 KB document of 20,000 list items took minutes.
    The reader reads the styles, the numbering and the cells once, itself."""

    def refused(*_: object) -> None:
        raise AssertionError("a python-docx lookup that costs the whole document each time")

    data = document_bytes()
    expected = read_docx(data, Path("a.docx")).text
    setter = docx.text.paragraph.Paragraph.style.fset
    monkeypatch.setattr(docx.text.paragraph.Paragraph, "style", property(refused, setter))
    monkeypatch.setattr(docx.table._Row, "cells", property(refused))
    assert read_docx(data, Path("a.docx")).text == expected
    assert "| Age | Dose |" in expected and "## Who can take it" in expected
