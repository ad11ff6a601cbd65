"""Reading lines and their shapes (pipeline.structure.lines)."""

from __future__ import annotations

import pytest

from pipeline.structure.lines import (
    Line,
    heading_text,
    is_heading_shaped,
    is_short_question,
    item_number,
    item_text,
    looks_like_markdown,
    markdown_shape,
    plain_shape,
    read_lines,
)


@pytest.mark.parametrize(
    ("line", "shape"),
    [
        ("Understanding Botox", "label"),
        ("Temporomandibular Joint Disorder (TMJ):", "label"),
        ("Risks, benefits and costs", "label"),
        ("Step 1: Clean the skin", "label"),
        ("SIDE EFFECTS", "label"),
        ("Hyperhidrosis (Excessive Sweating)", "label"),
        ("What is Botox?", "question"),
        ("Is it safe for children?", "question"),
        ("2. Side effects", "numbered_label"),
        ("3) When to see a doctor", "numbered_label"),
        ("1. Take the tablet with water.", "numbered"),
        ("- a dry mouth", "bullet"),
        ("* feeling sick", "bullet"),
        ("• headaches", "bullet"),
        ("•headaches", "bullet"),
        # negative rows: running text, however short
        ("Botox is safe.", "text"),
        ("DO NOT DRIVE AFTER TREATMENT.", "text"),
        ("Stop!", "text"),
        ("Ask your pharmacist;", "text"),
        ("See below (page 2.)", "text"),
        ("He said “stop.”", "text"),
        ("Wait…", "text"),
        ("Why? Because it works?", "text"),
        ("1943", "text"),
        ("-5 degrees is cold", "label"),
        ("#1 tip for sleep", "label"),
        (" ".join(["word"] * 15), "label"),
        (" ".join(["word"] * 16), "text"),
        (" ".join(["word"] * 15) + "?", "question"),
        (" ".join(["word"] * 16) + "?", "text"),
    ],
)
def test_plain_shape(line: str, shape: str) -> None:
    assert plain_shape(line) == shape


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("## Side effects", ("markdown_heading", 2)),
        ("# Title", ("markdown_heading", 1)),
        ("###### Deep", ("markdown_heading", 6)),
        ("- item", ("bullet", 0)),
        ("+ item", ("bullet", 0)),
        ("1. item", ("numbered", 0)),
        # negative rows: Markdown never guesses a heading
        ("Side effects", ("text", 0)),
        ("What is Botox?", ("text", 0)),
        ("#hashtag", ("text", 0)),
        ("####### seven", ("text", 0)),
    ],
)
def test_markdown_shape(line: str, expected: tuple[str, int]) -> None:
    assert markdown_shape(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Overactive Bladder", True),
        ("Colorectal Cancer Risk:", True),
        ("Colorectal Cancer Risk :", True),
        ("Strabismus (Crossed Eyes) and Eye Twitching", True),
        ("It is safe.", False),
        ("Costs,", False),
        (":", False),
        ("123", False),
        ("(see below.)", False),
    ],
)
def test_is_heading_shaped(line: str, expected: bool) -> None:
    assert is_heading_shaped(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("What is Botox?", True),
        ("Who can have it?”", True),
        ("What is it? Who is it for?", False),
        ("It works.", False),
        ("?", False),
    ],
)
def test_is_short_question(line: str, expected: bool) -> None:
    assert is_short_question(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (Line("Joint Disorder (TMJ):", "label"), "Joint Disorder (TMJ)"),
        (Line("Colorectal Cancer Risk :", "label"), "Colorectal Cancer Risk"),
        (Line("## Side effects ##", "markdown_heading", depth=2), "Side effects"),
        (Line("# Aspirin", "markdown_heading", depth=1), "Aspirin"),
        (Line("What is Botox?", "question"), "What is Botox?"),
        (Line("Step 1: Clean the skin", "label"), "Step 1: Clean the skin"),
        (Line("2. Side effects", "numbered_label"), "2. Side effects"),
        (Line("C# for doctors", "label"), "C# for doctors"),
    ],
)  # fmt: skip
def test_heading_text(line: Line, expected: str) -> None:
    assert heading_text(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (Line("- a dry mouth", "bullet"), "a dry mouth"),
        (Line("•headaches", "bullet"), "headaches"),
        (Line("12) Rest - and drink water", "numbered"), "Rest - and drink water"),
        (Line("2. Side effects", "numbered_label"), "Side effects"),
    ],
)
def test_item_text(line: Line, expected: str) -> None:
    assert item_text(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (Line("1. Rest.", "numbered"), 1),
        (Line("3. Apply the cream.", "numbered"), 3),
        (Line("12) Rest", "numbered"), 12),
        (Line("2. Side effects of steroids", "numbered_label"), 2),
        (Line("007. Odd but numbered", "numbered"), 7),
        # negative rows: bullets have no number, even one that starts with digits
        (Line("- 3. Rest.", "bullet"), 1),
        (Line("* 4 tablets", "bullet"), 1),
    ],
)
def test_item_number(line: Line, expected: int) -> None:
    assert item_number(line) == expected


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        ("# Aspirin\n\nText.", None, True),
        ("Aspirin\n\n## Uses\n", None, True),
        ("Aspirin\n\nText.", "articles/aspirin.md", True),
        ("Aspirin\n\nText.", "articles/ASPIRIN.MARKDOWN", True),
        ("Aspirin\n\nText.", None, False),
        ("Aspirin\n\nText.", "articles/aspirin.txt", False),
        ("Aspirin\n\n#1 tip: rest.", None, False),
        ("Aspirin\n\nC# and F# are languages.", None, False),
    ],
)
def test_looks_like_markdown(text: str, source: str | None, expected: bool) -> None:
    assert looks_like_markdown(text, source) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title", [("Title", 0)]),
        ("\n\nTitle\n", [("Title", 2)]),
        ("Title\n\nA.\n\n\nB.", [("Title", 0), ("A.", 1), ("B.", 2)]),
        ("Title\r\n\r\nA.\r\n", [("Title", 0), ("A.", 1)]),
        ("  Title  \n \t \nA.", [("Title", 0), ("A.", 1)]),
        ("Title\u2028still the title", [("Title\u2028still the title", 0)]),
        ("", []),
        ("\n \n", []),
    ],
)
def test_read_lines_plain(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(line.text, line.gap) for line in read_lines(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\n\nOne\ntwo\n\nThree", [("One two", "text"), ("Three", "text")]),
        ("# T\n- a\nwrapped\n- b", [("- a wrapped", "bullet"), ("- b", "bullet")]),
        ("# T\n## H\nText", [("## H", "markdown_heading"), ("Text", "text")]),
        ("# T\n\n## H\n\nShort line", [("## H", "markdown_heading"), ("Short line", "text")]),
        # inline markup out, once the shape is known
        ("# T\n\n## *Side* effects\n\n**Important:** rest",
         [("## Side effects", "markdown_heading"), ("Important: rest", "text")]),
        ("# T\n* *one* item\n- see [NHS](https://www.nhs.uk)",
         [("* one item", "bullet"), ("- see NHS (https://www.nhs.uk)", "bullet")]),
        ("# T\n\nTake **two\ntablets** daily", [("Take two tablets daily", "text")]),
    ],
)  # fmt: skip
def test_read_lines_markdown(text: str, expected: list[tuple[str, str]]) -> None:
    title, *rest = read_lines(text, markdown=True)
    assert (title.text, title.shape) == ("# T", "markdown_heading")
    assert [(line.text, line.shape) for line in rest] == expected


@pytest.mark.parametrize(
    "text",
    [
        "T\n\n**Important:** take 5 * 3 mg with my_file_name",
        "T\n\n* starred item\n\nSee [NHS](https://www.nhs.uk) and `code`.",
        "T\n\n_Not_ emphasis in plain text",
    ],
)
def test_plain_text_keeps_markup_characters(text: str) -> None:
    """Negative rows: in plain text ``*`` and ``_`` may be the article's own."""
    lines = read_lines(text)
    assert [line.text for line in lines] == [t.strip() for t in text.split("\n") if t.strip()]
