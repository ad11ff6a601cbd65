"""Reading: encodings, byte-order marks, line endings, and clear errors for what is not text."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.read import (
    Layout,
    article_kind,
    decode,
    decode_with_layout,
    load_article,
    read_bytes,
    read_text,
)

TEXT = "Café “quoted”\nsecond line\n"
NO_TEXT = "holds no text (only blank space or invisible characters); give it the article's text"


@pytest.mark.parametrize(
    ("label", "data", "encoding"),
    [
        ("utf-8", TEXT.encode("utf-8"), None),
        ("utf-8-bom", codecs.BOM_UTF8 + TEXT.encode("utf-8"), None),
        ("utf-16-le-bom", TEXT.encode("utf-16"), None),
        ("utf-16-be-bom", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), None),
        ("utf-32-bom", TEXT.encode("utf-32"), None),
        ("crlf", TEXT.replace("\n", "\r\n").encode("utf-8"), None),
        ("cr", TEXT.replace("\n", "\r").encode("utf-8"), None),
        ("cp1252-named", TEXT.encode("cp1252"), "cp1252"),
        ("cp1252-detected", TEXT.encode("cp1252"), None),
        ("utf-16-le-no-bom-detected", TEXT.encode("utf-16-le"), None),
    ],
)
def test_decodes(label: str, data: bytes, encoding: str | None) -> None:
    assert decode(data, label, encoding) == TEXT


@pytest.mark.parametrize(
    "text",
    ["\u200bAspirin\n", "\ufeff\u00adA\n", " \n\u2060 5 mg\n", "\u00a0\u2028x", "Ж"],
)
def test_a_little_text_among_blank_or_invisible_characters_is_read(text: str) -> None:
    """Negative rows: one character a reader sees makes an article of the file."""
    assert decode(text.encode("utf-8"), "a.txt") == text.removeprefix("\ufeff")


@pytest.mark.parametrize(
    ("label", "data", "encoding", "message"),
    [
        ("empty", b"", None, "the file is empty; give it the article's text"),
        ("blank", b" \n\n", None, NO_TEXT),
        ("bom-and-blank-lines", b"\xef\xbb\xbf\n\n", None, NO_TEXT),
        ("utf16-blank", "\n \n".encode("utf-16"), None, NO_TEXT),
        ("bom-alone", b"\xef\xbb\xbf", None, NO_TEXT),
        ("utf16-bom-alone", codecs.BOM_UTF16_LE, None, NO_TEXT),
        ("zero-width", "\u200b\u200b\u200b\n".encode(), None, NO_TEXT),
        ("soft-hyphens-and-a-joiner", "\u00ad\u00ad\u2060".encode(), None, NO_TEXT),
        ("separators-and-nel", " \n\t\n\u2028\u0085\n".encode(), None, NO_TEXT),
        ("nul-bytes", b"abc\x00def", None, "binary file"),
        ("pdf", b"%PDF-1.7 ...", None, "binary file"),
        ("png", b"\x89PNG\r\n\x1a\n....", None, "binary file"),
        ("koi8-r-undetectable", "Привет, как дела?".encode("koi8_r"), None, "--encoding"),
        ("random-high-bytes", bytes(range(128, 256)) * 3, None, "--encoding"),
        ("unknown-encoding", b"abc", "klingon", "unknown encoding"),
        ("latin1-named-as-utf8", "é".encode("latin-1"), "utf-8", "not valid utf-8"),
    ],
)
def test_refuses_with_a_message_naming_the_file(
    label: str, data: bytes, encoding: str | None, message: str
) -> None:
    with pytest.raises(InputError) as raised:
        decode(data, f"{label}.txt", encoding)
    assert str(raised.value).startswith(f"{label}.txt: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.txt", "no such file"),
        (lambda tmp: tmp, "is a folder"),
    ],
)
def test_read_text_errors(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(InputError, match=message):
        read_text(path)


def test_read_text_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-16"))
    assert read_text(path) == TEXT


@pytest.mark.parametrize(
    ("data", "layout"),
    [
        (b"a\nb\n", Layout("\n", bom=False)),
        (b"a\r\nb\r\n", Layout("\r\n", bom=False)),
        (b"a\rb\r", Layout("\r", bom=False)),
        (codecs.BOM_UTF8 + b"a\r\nb\r\n", Layout("\r\n", bom=True)),
        (b"a\r\nb\nc", Layout("\n", bom=False)),  # mixed: written back as LF
    ],
)
def test_layout_is_noted_and_restored(data: bytes, layout: Layout) -> None:
    text, noted = decode_with_layout(data, "a.txt")
    assert noted == layout
    if layout.newline != "\n" or layout.bom or b"\r" not in data:
        assert noted.restore(text).encode("utf-8") == data


@pytest.mark.parametrize(
    ("encoding", "refused"),
    [("rot13", True), ("base64", True), ("hex", True), ("zlib", True), ("undefined", True),
     ("punycode", True), ("no-such-codec", True), ("utf-8", False), ("CP1252", False),
     ("idna", True), ("latin-1", False), ("utf-16", False), ("unicode_escape", False)],
)  # fmt: skip
def test_a_codec_that_is_no_text_encoding_is_refused(encoding: str, refused: bool) -> None:
    data = "Title\n\nText.".encode("utf-16" if encoding == "utf-16" else "ascii")
    if not refused:
        assert decode(data, "a.txt", encoding) == "Title\n\nText."
        return
    with pytest.raises(InputError, match="unknown encoding") as raised:
        decode(data, "a.txt", encoding)
    assert str(raised.value).startswith("a.txt: ")


def _picky(name: str) -> codecs.CodecInfo | None:
    """A codec that reads the probes but fails on a word, as no codec should."""

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        if b"picky" in bytes(data):
            raise UnicodeError("no picky words")
        return codecs.latin_1_decode(data, errors)

    if name != "picky":
        return None
    return codecs.CodecInfo(codecs.latin_1_encode, decode, name="picky")


def test_a_codec_that_fails_otherwise_than_on_a_byte_is_one_line() -> None:
    codecs.register(_picky)
    try:
        assert decode(b"Title\n\nText.", "a.txt", "picky") == "Title\n\nText."
        with pytest.raises(InputError, match=r"^a.txt: cannot be read as picky \(no picky words\)"):
            decode(b"Title\n\nA picky text.", "a.txt", "picky")
    finally:
        codecs.unregister(_picky)


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_bytes(fifo)


@pytest.mark.parametrize(("size", "limit", "refused"), [(10, 10, False), (11, 10, True)])
def test_inputs_over_the_size_limit_are_refused_before_reading(
    tmp_path: Path, size: int, limit: int, refused: bool
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * size)
    if refused:
        with pytest.raises(InputError, match="--max-size"):
            read_bytes(path, limit)
    else:
        assert read_bytes(path, limit) == b"x" * size


def test_a_sparse_multi_gigabyte_file_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(5 * 2**30)  # sparse: no disk used, nothing read
    with pytest.raises(InputError, match="over the limit"):
        load_article(path)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.txt", "text"), ("B.TXT", "text"), ("c.md", "markdown"), ("d.markdown", "markdown"),
     ("e.png", None), ("f", None), ("g.txt.bak", None)],
)  # fmt: skip
def test_article_kind_by_name(name: str, kind: str | None) -> None:
    assert article_kind(Path(name)) == kind


def test_load_article_reads_kind_and_layout(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"# Title\r\n\r\nText.\r\n")
    article = load_article(path)
    assert (article.text, article.kind, article.layout.newline) == (
        "# Title\n\nText.\n", "markdown", "\r\n"
    )
    assert article.markdown is True


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ("#\n\u200b\n", True),  # a heading's mark, then a zero-width space
        ("- \u200b\u2060\n- \n", True),  # a list of invisible items
        ("#\n", True),
        ("> \u200b\n", True),
        ("# \u200b\n\n## \n", True),
        ("1. \u00ad\n2.\n", True),
        ("***\n\n---\n", True),  # rules alone
        ("**\u200b**  `\u200b`\n", True),
        ("# Dosage\n\n- 5 mg\n", False),  # negative rows: a word or a number is text
        ("- 5\n", False),
        ("1. Take\n", False),
        ("`x`\n", False),
        ("> Ж\n", False),
    ],
)
def test_markdown_of_marks_alone_holds_no_text(tmp_path: Path, body: str, refused: bool) -> None:
    """A Markdown file whose marks stand around nothing a reader sees is refused as a file
    of blank space is, read from a file or given to the library (it made an empty
    'untitled' leaflet); one with a word or a number in it is an article."""
    from pipeline.article import build_document

    path = tmp_path / "a.md"
    path.write_text(body, "utf-8")
    if not refused:
        assert load_article(path).text == body
        assert build_document(body, markdown=True, source="a.md").sections is not None
        return
    with pytest.raises(InputError, match=rf"^{path}: {re.escape(NO_TEXT)}$"):
        load_article(path)
    with pytest.raises(InputError, match=rf"^a\.md: {re.escape(NO_TEXT)}$"):
        build_document(body, markdown=True, source="a.md")
