"""Markdown front matter: read into ArticleMeta, never printed; bad keys and values are
one-line errors that say which key and what to write; only plain YAML is read."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.errors import InputError
from pipeline.model import ArticleMeta
from pipeline.readers.frontmatter import split_front_matter
from pipeline.readers.text import Layout

FULL = """---
title: Low-dose aspirin
author: Dr A. Patel
reviewer: Dr B. Jones
version: 1.10
published: 2025-03-01
review-date: 2027-03-01
references:
  - NHS. Aspirin.
  - NICE guidance
language: en-GB
---
# Aspirin
"""


def test_every_key_is_read() -> None:
    header, body, meta = split_front_matter(FULL, "a.md")
    assert body == "# Aspirin\n" and header + body == FULL
    assert meta == ArticleMeta(
        title="Low-dose aspirin",
        author="Dr A. Patel",
        reviewer="Dr B. Jones",
        version="1.10",  # as written, not the number 1.1
        published=date(2025, 3, 1),
        review_date=date(2027, 3, 1),
        references=("NHS. Aspirin.", "NICE guidance"),
        language="en-GB",
    )


@pytest.mark.parametrize(
    "text",
    [
        "# No front matter\n\n---\ntitle: x\n---\n",  # not on the first line
        "Title\n---\n",
        "----\ntitle: x\n----\n",
    ],
)
def test_text_without_front_matter_is_left_whole(text: str) -> None:
    assert split_front_matter(text, "a.md") == ("", text, ArticleMeta())


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("autor: Dr Who", "key 'autor' is not one leaflet knows"),
        ("published: March 2025", "published must be a date from 1900 to 2999"),
        ("published: 9999-06-01", "must be a date from 1900 to 2999 written like 2025-03-01"),
        ("review_date: [2025]", "review_date"),
        ("author: [a, b]", "author must be text, like author: ..."),
        ("references: {a: b}", "references must be a list of texts, one per line"),
        ("language: English please", "language must be a language code, like language: en-GB"),
        ("title: [unclosed", "; mend it, or remove the lines between the two --- lines"),
        ("- a\n- b", "must be keys and values"),
        ("author: !!python/object/apply:os.system [echo hacked]", "has a YAML tag"),
        ("title: !!python/name:os.system", "has a YAML tag"),
        ("title: !custom x", "has a YAML tag"),
        ('title: "Aspirin \\u202e"', "title contains the control character U+202E"),
        ('author: "Dr \\x00Who"', "author contains the control character U+0000"),
        ('author: "\\e[31mred"', "author contains the control character U+001B"),
        ('version: "1\\u2066"', "version contains the control character U+2066"),
        ('references: [ok, "bad \\x07"]', "references contains the control character U+0007"),
        ("author: " + "[" * 5000 + "]" * 5000, "nests lists or keys more than 4 deep"),
        ("title: {a: {b: {c: {d: x}}}}", "nests lists or keys more than 4 deep"),
        # An alias repeats a value: 6,000 of a 20 KB author were 240 MB of JSON.
        ("author: &a " + "x" * 20_000 + "\nreferences:\n" + "  - *a\n" * 6000, "alias (*a)"),
        ("author: &who Dr Who\nreviewer: *who", "write each value out where it goes"),
    ],
)
def test_invalid_front_matter_says_which_key_and_what_to_do(front: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        split_front_matter(f"---\n{front}\n---\nBody\n", "notes/a.md")
    text = str(raised.value)
    assert text.startswith("notes/a.md: front matter") or "notes/a.md: the front matter" in text
    assert message in text and "\n" not in text


@pytest.mark.parametrize(
    ("front", "meta"),
    [
        ('author: "Dr\\tWho"', ArticleMeta(author="Dr\tWho")),
        ("title: |\n  Two\n  lines", ArticleMeta(title="Two\nlines")),
        ('author: "\u200fد. أمينة"', ArticleMeta(author="\u200fد. أمينة")),  # a right-to-left mark
        ("references: [[a], b]", None),  # nested, but not too deep: the list's own message
    ],
)
def test_text_that_is_no_control_character_is_read(front: str, meta: ArticleMeta | None) -> None:
    if meta is None:
        with pytest.raises(InputError, match="references must be a list of texts"):
            split_front_matter(f"---\n{front}\n---\nBody\n", "a.md")
    else:
        assert split_front_matter(f"---\n{front}\n---\nBody\n", "a.md")[2] == meta


def test_unclosed_front_matter_is_an_error() -> None:
    with pytest.raises(InputError, match="not closed"):
        split_front_matter("---\ntitle: x\n\nBody text.\n", "a.md")


def test_alias_bomb_is_not_expanded() -> None:
    """Nine levels of nine aliases each: 387 million strings if anything walked them."""
    levels = ['&l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"&l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    front = f"references: [{', '.join(levels)}]"
    with pytest.raises(InputError, match=r"repeats a value with a YAML alias \(\*l0\)"):
        split_front_matter(f"---\n{front}\n---\nBody\n", "a.md")


def test_clean_writes_the_front_matter_back() -> None:
    header, body, _ = split_front_matter(FULL, "a.md")
    assert Layout("\r\n", header=header).restore(body) == FULL.replace("\n", "\r\n")
