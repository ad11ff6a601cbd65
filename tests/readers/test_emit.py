"""Writing rich documents as Markdown: whatever a paragraph holds, the sectioner reads it
back as that paragraph, character for character (white space squeezed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.readers.emit import escape, link, paragraph, squeeze, table_lines
from pipeline.structure.lines import read_lines
from pipeline.structure.markup import strip_inline_markup

PIECES = [*"ab 1.)#>-+*_`[]()!\\|<:/\n\t\ufdd0\ufdd1", "Table:", "https://a.org/x_y", "mailto:"]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@given(MARKDOWNISH)
@settings(max_examples=300, deadline=None)
def test_a_paragraph_reads_back_as_itself(text: str) -> None:
    line = paragraph(text)
    if not squeeze(text):
        return
    (read,) = read_lines("Title\n\n" + line, markdown=True)[1:]
    assert read.shape == "text"
    assert read.text == squeeze(text)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("5 * 3 = 15", "5 \\* 3 = 15"),
        ("see https://a.org/a_b*c", "see https://a.org/a_b*c"),
        ("<https://a.org>", "\\<https://a.org>"),
        ("a | b", "a \\| b"),
        ("back\\slash", "back\\\\slash"),
        ("café – “quoted”", "café – “quoted”"),
    ],
)
def test_escape(text: str, escaped: str) -> None:
    assert escape(text) == escaped
    assert strip_inline_markup(escaped) == text


@pytest.mark.parametrize(
    ("label", "address", "written"),
    [
        ("NHS", "https://www.nhs.uk/", "[NHS](https://www.nhs.uk/)"),
        ("Mail us", "mailto:gp@example.org", "[Mail us](mailto:gp@example.org)"),
        ("odd", "https://a.org/a b(c)", "[odd](https://a.org/a%20b%28c%29)"),
        ("https://a.org", "https://a.org", "https://a.org"),
        ("home", "/index.html", "home"),
        ("run", "javascript:alert(1)", "run"),
        ("data", "data:text/html,<script>", "data"),
        ("*bold*", "#top", "\\*bold\\*"),
    ],
)
def test_link(label: str, address: str, written: str) -> None:
    assert link(label, address) == written


def test_table_rows_are_as_wide_as_the_widest() -> None:
    assert table_lines([["a"], ["b", "c", "d"]]) == [
        "| a |  |  |",
        "| --- | --- | --- |",
        "| b | c | d |",
    ]
