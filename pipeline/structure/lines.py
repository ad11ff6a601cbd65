"""Split cleaned text into lines and give each line a shape: plain Python, no spaCy.

This is the cheap first step of sectioning. It reads the text once, line by line, so a
50 MB article costs one pass and one string per line. A line's *shape* is what can be
told from the line alone (is it short, does it end a sentence, does it start with a list
marker?); what a line *is* (title, heading, paragraph, list item) depends on its
neighbours and is decided by the ``leaflet_blocks`` component (:mod:`.blocks`).

>>> [(line.shape, line.gap) for line in read_lines("Title\\n\\nIntro text.\\n- one")]
[('label', 0), ('text', 1), ('bullet', 0)]

In Markdown, inline markup (``**bold**``, links ...) is taken out of every line once
its shape is known (:mod:`.markup`); plain text keeps its ``*`` and ``_`` as written.

Only ``\\n`` ends a line (``\\r\\n`` too): the reading stage has already normalised line
endings, and characters such as U+2028 or U+0085 stay inside their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pipeline.shapes import BULLET as _BULLET
from pipeline.shapes import (
    MARKDOWN_HEADING,
    Shape,
    is_heading_shaped,
    is_short_question,
    plain_shape,
)
from pipeline.shapes import NUMBERED as _NUMBERED
from pipeline.structure.markup import strip_inline_markup

__all__ = ["Line", "Shape", "is_heading_shaped", "is_short_question", "plain_shape", "read_lines"]

_MARKDOWN_HEADING = MARKDOWN_HEADING
_MARKDOWN_CLOSING_HASHES = re.compile(r"\s+#+$")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line (in Markdown, one paragraph of joined lines).

    ``gap`` counts the blank lines just before it; ``depth`` is the number of ``#`` of a
    Markdown heading and 0 otherwise.
    """

    text: str
    shape: Shape
    gap: int = 0
    depth: int = 0


def read_lines(text: str, *, markdown: bool = False) -> tuple[Line, ...]:
    """The non-blank lines of ``text``, stripped, shaped and with the blank lines before.

    >>> read_lines("# Aspirin\\n\\n\\n*Safe*.", markdown=True)
    (Line(text='# Aspirin', shape='markdown_heading', gap=0, depth=1), Line(text='Safe.', shape='text', gap=2, depth=0))
    """  # noqa: E501
    if markdown:
        joined = _join_markdown_paragraphs(_markdown_lines(text))
        return tuple(replace(line, text=strip_inline_markup(line.text)) for line in joined)
    return tuple(_plain_lines(text))


def _stripped_lines(text: str) -> Iterator[tuple[str, int]]:
    """Each non-blank line, stripped, with the number of blank lines before it."""
    gap = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            yield stripped, gap
            gap = 0
        else:
            gap += 1


def _plain_lines(text: str) -> Iterator[Line]:
    for stripped, gap in _stripped_lines(text):
        yield Line(stripped, plain_shape(stripped), gap)


def _markdown_lines(text: str) -> Iterator[Line]:
    for stripped, gap in _stripped_lines(text):
        shape, depth = markdown_shape(stripped)
        yield Line(stripped, shape, gap, depth)


def _join_markdown_paragraphs(lines: Iterator[Line]) -> Iterator[Line]:
    """Markdown paragraphs and list items may wrap: a text line with no blank line before
    it continues the paragraph or item above (a heading is always one line)."""
    pending: Line | None = None
    parts: list[str] = []
    for line in lines:
        continues = line.gap == 0 and line.shape == "text"
        if pending is not None and continues and pending.shape != "markdown_heading":
            parts.append(line.text)
            continue
        if pending is not None:
            yield Line(" ".join(parts), pending.shape, pending.gap, pending.depth)
        pending, parts = line, [line.text]
    if pending is not None:
        yield Line(" ".join(parts), pending.shape, pending.gap, pending.depth)


def markdown_shape(line: str) -> tuple[Shape, int]:
    """The shape of one stripped Markdown line, and its heading depth.

    Markdown says what is a heading, so nothing else is guessed to be one.

    >>> markdown_shape("### Dosage"), markdown_shape("Short line"), markdown_shape("2) Rest")
    (('markdown_heading', 3), ('text', 0), ('numbered', 0))
    """
    heading = _MARKDOWN_HEADING.match(line)
    if heading:
        return "markdown_heading", len(heading.group(1))
    if _BULLET.match(line):
        return "bullet", 0
    if _NUMBERED.match(line):
        return "numbered", 0
    return "text", 0


def heading_text(line: Line) -> str:
    """What a heading (or the title) says: without ``#`` marks or a stray trailing colon.

    >>> heading_text(Line("Temporomandibular Joint Disorder (TMJ):", "label"))
    'Temporomandibular Joint Disorder (TMJ)'
    >>> heading_text(Line("## Side effects ##", "markdown_heading", depth=2))
    'Side effects'
    """
    text = line.text
    if line.shape == "markdown_heading":
        text = _MARKDOWN_CLOSING_HASHES.sub("", _MARKDOWN_HEADING.sub("", text, count=1))
    return text.rstrip().rstrip(":").rstrip()


def item_text(line: Line) -> str:
    """A list item without its bullet or number.

    >>> item_text(Line("• a dry mouth", "bullet")), item_text(Line("2) Rest", "numbered"))
    ('a dry mouth', 'Rest')
    """
    marker = _BULLET if line.shape == "bullet" else _NUMBERED
    return marker.sub("", line.text, count=1)


def item_number(line: Line) -> int:
    """The number a numbered list item was given (1 for a bullet).

    >>> item_number(Line("3. Rest.", "numbered")), item_number(Line("12) Rest", "numbered"))
    (3, 12)
    >>> item_number(Line("- 3. Rest.", "bullet"))
    1
    """
    number = _NUMBERED.match(line.text) if line.shape != "bullet" else None
    return int(number.group(1)) if number else 1


def looks_like_markdown(text: str, source: str | None) -> bool:
    """Markdown if the source is a ``.md`` file or any line starts with ``#`` and a space.

    >>> looks_like_markdown("Title\\n\\n## Uses\\n", None), looks_like_markdown("#1 tip", None)
    (True, False)
    >>> looks_like_markdown("Plain title", "notes/botox.md")
    True
    """
    if source is not None and source.lower().endswith((".md", ".markdown")):
        return True
    return re.search(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+\S", text) is not None
