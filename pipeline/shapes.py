"""The shape of one line of plain text: the one heading rule under cleaning and sectioning.

A line's *shape* is what can be told from the line alone: is it short, does it end a
sentence, does it start with a list marker? The ``commas`` stage leaves the ``and`` of
heading-shaped lines alone (unless the spinner reached them), and sectioning
(:mod:`pipeline.structure.lines`) reads the same shapes, so the two never disagree about
what a heading is ("What is Botox and how does it work?" is one for both).

>>> [plain_shape(s) for s in ("Overactive Bladder", "It works.", "What is Botox?")]
['label', 'text', 'question']
>>> is_heading_line("## Risks and benefits"), is_heading_line("- Pain and swelling")
(True, False)
"""

from __future__ import annotations

import re
from typing import Literal

Shape = Literal[
    "text",  # running text: a paragraph wherever it stands
    "label",  # short, no sentence punctuation at the end: heading-shaped
    "question",  # short single question ("What is Botox?")
    "bullet",  # "- item", "* item", "• item"
    "numbered",  # "1. Take the tablet with water."
    "numbered_label",  # "2. Side effects": a numbered heading, or an item in a list
    "markdown_heading",  # "## Side effects" (Markdown only)
    "quote",  # "> Quoted words" (Markdown only; the text is without the ">")
    "table_head",  # "| Age | Dose |" above "| --- | --- |" (Markdown only)
    "table_row",  # a table's other rows
    "table_caption",  # "Table: Doses by age" right below a table
    "figure",  # "![A chart](chart.png)" alone, when chart.png is beside the article
]

HEADING_SHAPES: frozenset[Shape] = frozenset({"label", "question", "numbered_label"})
"""The shapes a title or heading can have in plain text."""

MAX_HEADING_WORDS = 15
"""A heading has at most this many words."""

MAX_LEAD_IN_HEADING_WORDS = 8
"""A line ending in a colon with more words introduces a list: running text."""

SENTENCE_END = frozenset(".!?;,…")
"""A line ending in one of these is running text, never a heading (``?``: see questions)."""

CLOSERS = "\"')]}’”»"
BULLET = re.compile(r"^(?:[-*+]\s+|•\s*)(?=\S)")
NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(?=\S)")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})(?:\s+|$)")
_INNER_SENTENCE_END = re.compile(r"[.!?]['\"’”)]*\s+\S")
_LETTER = re.compile(r"[^\W\d_]")


def plain_shape(line: str) -> Shape:
    """The shape of one stripped line of plain text.

    >>> [plain_shape(s) for s in ("- a dry mouth", "2. Side effects", "1. Rest well.")]
    ['bullet', 'numbered_label', 'numbered']
    """
    if BULLET.match(line):
        return "bullet"
    if NUMBERED.match(line):
        return "numbered_label" if is_heading_shaped(line) else "numbered"
    if is_heading_shaped(line):
        return "label"
    if is_short_question(line):
        return "question"
    return "text"


def is_heading_line(line: str) -> bool:
    """Whether a line of an article (plain text, or a Markdown ``#`` line) is shaped like
    a title or heading.

    >>> is_heading_line("What is Botox and how does it work?"), is_heading_line("It is.")
    (True, False)
    """
    stripped = line.strip()
    return bool(MARKDOWN_HEADING.match(stripped)) or plain_shape(stripped) in HEADING_SHAPES


def is_heading_shaped(line: str) -> bool:
    """Short (at most 15 words), with a letter, and not ending like a sentence.

    A trailing colon is allowed (it is dropped from the heading) on a line of up to 8
    words; a longer one introduces a list. Closing quotes and brackets are looked
    through, so ``(see below.)`` still ends with a full stop.

    >>> [is_heading_shaped(s) for s in ("Risks, benefits and costs", "Step 1: Clean the skin")]
    [True, True]
    >>> [is_heading_shaped(s) for s in ("It is safe.", "(see below.)", "1943")]
    [False, False, False]
    >>> is_heading_shaped("Common signs of weak bones which you should watch for include:")
    False
    """
    words = len(line.split())
    if line.rstrip().endswith(":") and words > MAX_LEAD_IN_HEADING_WORDS:
        return False
    core = line.rstrip(":").rstrip().rstrip(CLOSERS)
    if not core or not _LETTER.search(core) or core[-1] in SENTENCE_END:
        return False
    return words <= MAX_HEADING_WORDS


def is_short_question(line: str) -> bool:
    """One short question and nothing else: ``What is Botox?`` but not ``Why? Ask us.``

    >>> is_short_question("What is Botox?"), is_short_question("Is it safe? Yes it is?")
    (True, False)
    """
    core = line.rstrip(CLOSERS)
    if not core.endswith("?") or len(line.split()) > MAX_HEADING_WORDS:
        return False
    return _LETTER.search(core) is not None and not _INNER_SENTENCE_END.search(core)
