"""Word documents as a probe wrote them: text in wrappers python-docx does not open
(tracked changes, content controls, fields, text boxes, tables in cells) is read as
Word shows it, once; a link to an address the file does not hold keeps its text; a
zip part that unpacks past its declared size is refused before python-docx reads it."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from pipeline.errors import InputError
from pipeline.readers.docx import read_docx
from tests.readers.test_docx import TEXT, W_NS, body_of, document_bytes, with_body

NAMESPACES = (
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    b' xmlns:v="urn:schemas-microsoft-com:vml"'
    b' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)
LINK = b"rId9"
"""The test document's relationship to https://www.nhs.uk/aspirin/."""


def read_body(*xml: bytes) -> str:
    """The article of the test document with this body, the namespaces Word declares."""
    body = body_of(*xml, TEXT).replace(W_NS, W_NS + NAMESPACES, 1)
    return read_docx(with_body(body), Path("a.docx")).text


def run(text: bytes) -> bytes:
    return b'<w:r><w:t xml:space="preserve">' + text + b"</w:t></w:r>"


def para(*inline: bytes, style: bytes = b"") -> bytes:
    props = b'<w:pPr><w:pStyle w:val="' + style + b'"/></w:pPr>' if style else b""
    return b"<w:p>" + props + b"".join(inline) + b"</w:p>"


def wrap(tag: bytes, *inner: bytes, attrs: bytes = b"") -> bytes:
    return b"<w:" + tag + attrs + b">" + b"".join(inner) + b"</w:" + tag + b">"


def control(*inner: bytes) -> bytes:
    """A content control (``w:sdt``) around ``inner``."""
    return wrap(b"sdt", b"<w:sdtPr><w:alias w:val='Dose'/></w:sdtPr>", wrap(b"sdtContent", *inner))


def one_cell_table(*inner: bytes) -> bytes:
    return b"<w:tbl><w:tr><w:tc>" + b"".join(inner) + b"</w:tc></w:tr></w:tbl>"


def text_box(*paragraphs: bytes, choice: bool = True) -> bytes:
    """A run holding a text box as Word saves it: a drawing for new versions of Word and
    a VML shape for old ones, each with the text box's paragraphs (the drawing left
    empty if not ``choice``)."""
    content = wrap(b"txbxContent", *paragraphs)
    drawing = b"<w:drawing><wps:wsp><wps:txbx>" + content + b"</wps:txbx></wps:wsp></w:drawing>"
    vml = b"<w:pict><v:shape><v:textbox>" + content + b"</v:textbox></v:shape></w:pict>"
    return (
        b'<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        + (drawing if choice else b"<w:drawing/>")
        + b"</mc:Choice><mc:Fallback>"
        + vml
        + b"</mc:Fallback></mc:AlternateContent></w:r>"
    )


TRACKED = b' w:id="1" w:author="Dr A" w:date="2024-01-01T00:00:00Z"'


@pytest.mark.parametrize(
    ("label", "xml", "expected"),
    [
        (
            "a tracked insertion kept, a tracked deletion left out",
            para(
                run(b"Take one tablet "),
                wrap(b"del", b"<w:r><w:delText>twice </w:delText></w:r>", attrs=TRACKED),
                wrap(b"ins", run(b"only after food "), attrs=TRACKED),
                run(b"every day."),
            ),
            "Take one tablet only after food every day.",
        ),
        (
            "moved text where it was moved to, not where it was",
            para(
                wrap(b"moveFrom", run(b"Daily: "), attrs=TRACKED),
                run(b"Take one tablet"),
                wrap(b"moveTo", run(b" daily"), attrs=TRACKED),
                run(b"."),
            ),
            "Take one tablet daily.",
        ),
        (
            "an inserted word in a heading",
            para(run(b"Side "), wrap(b"ins", run(b"effects"), attrs=TRACKED), style=b"Heading1"),
            "## Side effects",
        ),
        (
            "a paragraph in a content control",
            control(para(run(b"Do not take with alcohol."))),
            "Do not take with alcohol.",
        ),
        (
            "a phone number in a content control inside a paragraph",
            para(run(b"Call "), control(run(b"0800 123 456")), run(b" today.")),
            "Call 0800 123 456 today.",
        ),
        (
            "list items in a content control",
            control(
                para(run(b"Rest"), style=b"ListBullet"), para(run(b"Drink"), style=b"ListBullet")
            ),
            "- Rest\n- Drink",
        ),
        (
            "a link in a content control keeps its address",
            para(run(b"See "), control(wrap(b"hyperlink", run(b"the NHS"), attrs=b' r:id="rId9"'))),
            "See [the NHS](https://www.nhs.uk/aspirin/)",
        ),
        (
            "a field's result and a smart tag",
            para(
                wrap(b"smartTag", run(b"London clinic"), attrs=b' w:uri="x" w:element="place"'),
                run(b": see page "),
                wrap(b"fldSimple", run(b"42"), attrs=b' w:instr="PAGE"'),
                run(b"."),
            ),
            "London clinic: see page 42.",
        ),
        (
            "custom XML around a paragraph and around a run",
            wrap(b"customXml", para(run(b"Dose: "), wrap(b"customXml", run(b"10 mg")))),
            "Dose: 10 mg",
        ),
        (
            "right-to-left text",
            para(
                run(b"Arabic: "),
                wrap(b"dir", run(b"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85"), attrs=b' w:val="rtl"'),
            ),
            "Arabic: \u0633\u0644\u0627\u0645",
        ),
        (
            "a table in a cell is the cell's text",
            one_cell_table(
                para(run(b"Outer")),
                b"<w:tbl><w:tr><w:tc>"
                + para(run(b"Age"))
                + b"</w:tc><w:tc>"
                + para(run(b"Dose"))
                + b"</w:tc></w:tr><w:tr><w:tc>"
                + para(run(b"65+"))
                + b"</w:tc><w:tc>"
                + para(run(b"10 mg"))
                + b"</w:tc></w:tr></w:tbl>",
            ),
            "| Outer Age; Dose; 65+; 10 mg |\n| --- |",
        ),
        (
            "rows and cells in content controls",
            b"<w:tbl>"
            + control(
                b"<w:tr><w:tc>"
                + para(run(b"A"))
                + b"</w:tc>"
                + control(b"<w:tc>" + para(run(b"B")) + b"</w:tc>")
                + b"</w:tr>"
            )
            + b"</w:tbl>",
            "| A | B |\n| --- | --- |",
        ),
        (
            "a text box after its paragraph, once (not once per version Word saves)",
            para(run(b"Anchor "), text_box(para(run(b"Do not exceed the dose."))), run(b"text.")),
            "Anchor text.\n\nDo not exceed the dose.",
        ),
        (
            "a text box only in the version for old versions of Word",
            para(text_box(para(run(b"Boxed warning.")), choice=False)),
            "Boxed warning.",
        ),
        (
            "a text box in a cell",
            one_cell_table(para(run(b"Dose"), text_box(para(run(b"10 mg"))))),
            "| Dose 10 mg |\n| --- |",
        ),
        (
            "a text box in a tracked deletion is left out",
            para(
                run(b"Kept"),
                wrap(b"del", text_box(para(run(b"Gone"))), attrs=TRACKED),
                wrap(b"ins", run(b" and inserted"), attrs=TRACKED),
            ),
            "Kept and inserted",
        ),
    ],
)
def test_text_in_wrappers_is_read_as_word_shows_it(label: str, xml: bytes, expected: str) -> None:
    assert read_body(xml) == expected + "\n\nText of the article.\n"


@pytest.mark.parametrize(
    ("label", "xml", "expected"),
    [
        (
            "in a paragraph",
            para(run(b"See "), wrap(b"hyperlink", run(b"our page"), attrs=b' r:id="rId99"')),
            "See our page",
        ),
        (
            "in a list item",
            para(wrap(b"hyperlink", run(b"our page"), attrs=b' r:id="rId99"'), style=b"ListBullet"),
            "- our page",
        ),
        (
            "in a quote",
            para(wrap(b"hyperlink", run(b"our page"), attrs=b' r:id="nope"'), style=b"Quote"),
            "> our page",
        ),
    ],
)
def test_a_link_to_an_address_the_file_does_not_hold_keeps_its_text(
    label: str, xml: bytes, expected: str
) -> None:
    assert read_body(xml) == expected + "\n\nText of the article.\n"


@pytest.mark.parametrize(
    ("label", "xml"),
    [
        ("a document with no body", b"<w:document " + W_NS + b"/>"),
    ],
)
def test_a_document_without_a_body_is_empty(label: str, xml: bytes) -> None:
    with pytest.raises(InputError, match=r"^a\.docx: the file is empty"):
        read_docx(with_body(xml), Path("a.docx"))


def zip_declaring(parts: dict[str, bytes], lying: str, declared: int, stored: bool) -> bytes:
    """A zip of ``parts`` in which ``lying`` says it unpacks to ``declared`` bytes (its
    checksum that of its first ``declared`` bytes, so that the archive looks whole to
    a reader that stops there)."""
    out, directory = bytearray(), bytearray()
    for name, data in parts.items():
        size = declared if name == lying else len(data)
        if stored and name == lying:
            method, packed = 0, data
        else:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            method, packed = 8, packer.compress(data) + packer.flush()
        crc, encoded, offset = zlib.crc32(data[:size]), name.encode(), len(out)
        fields = (20, 0, method, 0, 0, crc, len(packed), size, len(encoded))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + packed
        directory += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start = len(out)
    out += directory + struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), start, 0
    )
    return bytes(out)


def parts_of_test_document(more: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The parts of the test document, with ``more`` added or put in their place."""
    with zipfile.ZipFile(io.BytesIO(document_bytes())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return parts | (more or {})


BIG_BODY = body_of(TEXT).replace(b"<w:body>", b"<w:body>" + b" " * 8_000_000)


@pytest.mark.parametrize(
    ("label", "lying", "declared", "stored", "more"),
    [
        (
            "the document's XML declares 1,000 bytes, unpacks to 8 MB",
            "word/document.xml",
            1000,
            False,
            {"word/document.xml": BIG_BODY},
        ),
        (
            "a picture declares 10 bytes, unpacks to 1 MB",
            "word/media/image1.png",
            10,
            False,
            {"word/media/image1.png": bytes(1_000_000)},
        ),
        (
            "a stored part holds more than it declares",
            "word/media/image1.png",
            10,
            True,
            {"word/media/image1.png": bytes(1000)},
        ),
    ],
)
def test_a_part_that_unpacks_past_its_size_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
    label: str,
    lying: str,
    declared: int,
    stored: bool,
    more: dict[str, bytes],
) -> None:
    def never(*_: object) -> None:
        raise AssertionError("python-docx read a part that unpacks past its declared size")

    data = zip_declaring(parts_of_test_document(more), lying, declared, stored)
    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(InputError) as raised:
        read_docx(data, Path("inbox/a.docx"))
    message = str(raised.value)
    assert message.startswith("inbox/a.docx: ") and "\n" not in message
    assert "(its zip archive is damaged)" in message


@pytest.mark.parametrize(("label", "unpacked"), [("64 MB of XML declared as 1,000 bytes", 64)])
def test_a_zip_bomb_is_unpacked_a_piece_at_a_time(label: str, unpacked: int) -> None:
    """zipfile unpacks a whole part before cutting it to its declared size: a 2 MB file
    took 2 GB. The reader's memory stays far below the bomb's size."""
    body = body_of(TEXT).replace(b"<w:body>", b"<w:body>" + b" " * (unpacked << 20))
    data = zip_declaring(
        parts_of_test_document({"word/document.xml": body}), "word/document.xml", 1000, False
    )
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="its zip archive is damaged"):
            read_docx(data, Path("a.docx"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < (unpacked << 20) // 8


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_parts_packed_as_word_never_packs_them_are_refused(method: int) -> None:
    """bzip2 and LZMA unpack a whole piece at once, however large: Word only stores or
    deflates."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts_of_test_document().items():
            archive.writestr(name, data)
    with pytest.raises(InputError, match=r"^a\.docx: .*packed in a way Word does not use"):
        read_docx(buffer.getvalue(), Path("a.docx"))
