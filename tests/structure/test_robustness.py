"""Inputs at the edges: tiny, unusual and large articles."""

from __future__ import annotations

import pytest

from pipeline.model import Document, Paragraph
from pipeline.structure import structure
from pipeline.structure.sentences import MAX_CHUNK
from pipeline.structure.slug import slugify

SENTENCES = (
    "Aspirin thins the blood.",
    "Ask a pharmacist before taking it with other medicines.",
    "Most side effects are mild and pass within a few days.",
    "Children under 16 should not take aspirin unless a doctor advises it.",
)


def outline(document: Document) -> list[tuple[str | None, int, int]]:
    return [(s.heading, s.level, len(s.blocks)) for s in document.walk()]


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("Aspirin", "Aspirin", []),
        ("Aspirin\n", "Aspirin", []),
        ("\n\n  Aspirin  \n\n\n", "Aspirin", []),
        ("A sentence, not a title.", "A sentence, not a title.", []),
        ("", "", []),
        (" \n\t\n ", "", []),
        # no blank lines at all: one block per line still
        ("Aspirin\nLead.\nUses\nPain relief.\nRisks\nBleeding.", "Aspirin",
         [(None, 2, 1), ("Uses", 2, 1), ("Risks", 2, 1)]),
        # only headings
        ("Aspirin\n\nUses\n\nRisks", "Aspirin", [("Uses", 2, 0), ("Risks", 3, 0)]),
        # Windows line endings
        ("Aspirin\r\n\r\nUses\r\n\r\nPain relief.\r\n", "Aspirin", [("Uses", 2, 1)]),
    ],
)  # fmt: skip
def test_small_inputs(text: str, title: str, expected: list[tuple[str | None, int, int]]) -> None:
    document = structure(text)
    assert document.title == title
    assert document.slug == slugify(title)
    assert outline(document) == expected


def test_ten_thousand_sibling_headings() -> None:
    text = "Title\n\n" + "\n\n".join(f"Heading {n}\n\nText {n}." for n in range(10_000))
    document = structure(text)
    assert len(document.sections) == 10_000
    assert {s.level for s in document.sections} == {2}
    assert document.sections[-1].paragraphs == ("Text 9999.",)


def letters(n: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": names without digits (digits make a series)."""
    return (letters(n // 26) if n >= 26 else "") + chr(ord("a") + n % 26)


def test_ten_thousand_headings_in_a_row() -> None:
    text = "Title\n\n" + "\n\n".join(f"Topic {letters(n)}" for n in range(10_000)) + "\n\nEnd."
    document = structure(text)
    levels = [s.level for s in document.walk()]
    assert len(levels) == 10_000
    assert max(levels) == 6
    assert levels[:6] == [2, 3, 4, 5, 6, 6]
    assert document.sections[0].sections[0].sections[0].sections[0].sections[-1].paragraphs == (
        "End.",
    )


def test_ten_thousand_numbered_headings_in_a_row_are_siblings() -> None:
    text = "Title\n\n" + "\n\n".join(f"Step {n}: Wait" for n in range(10_000)) + "\n\nEnd."
    document = structure(text)
    assert {s.level for s in document.sections} == {2}
    assert len(document.sections) == 10_000


def test_one_huge_paragraph_is_sentenced_in_pieces() -> None:
    body = " ".join(SENTENCES[n % 4] for n in range(3 * MAX_CHUNK // 40))
    assert len(body) > 2 * MAX_CHUNK
    document = structure("Aspirin\n\n" + body)
    (paragraph,) = document.sections[0].blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text == body
    assert set(paragraph.sentences) == set(SENTENCES)
    assert len(paragraph.sentences) == 3 * MAX_CHUNK // 40


def generated_article(megabytes: float) -> str:
    """Parent headings with subsections, paragraphs, lists and closing words."""
    lines = ["A Generated Article About Aspirin", ""]
    n = size = 0
    while size < megabytes * 1_000_000:
        n += 1
        paragraph = " ".join(SENTENCES[(n + k) % 4] for k in range(6))
        block = [f"Part {n}: Uses", "", f"Condition {n}", "", paragraph, ""]
        block += ["- rest", "- water", ""]
        size += sum(len(line) + 1 for line in block)
        lines += block
    return "\n".join([*lines, "", "Thank you for reading."])


def test_five_megabytes() -> None:
    """Speed and memory for large articles are measured by bench/bench_structure.py."""
    text = generated_article(5)
    document = structure(text)
    parts = len(text.split("Part ")) - 1
    assert len(document.sections) == parts + 1  # and the closing words
    assert document.sections[-1] == document.sections[-1].__class__(
        None, 2, (Paragraph("Thank you for reading.", ("Thank you for reading.",)),)
    )
    assert all(len(s.sections) == 1 for s in document.sections[:-1])
