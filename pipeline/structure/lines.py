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

from pipeline.readers.emit import CAPTION
from pipeline.readers.images import FIGURE_LINE
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
_QUOTE = re.compile(r"(?:>[ \t]?)+")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")
_RAW_SHAPES = frozenset({"table_head", "table_row", "figure"})  # markup read later, per part


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


def read_lines(
    text: str, *, markdown: bool = False, figures: frozenset[str] = frozenset()
) -> tuple[Line, ...]:
    """The non-blank lines of ``text``, stripped, shaped and with the blank lines before.

    ``figures`` are the image addresses that are files beside the article: a Markdown
    line that is just one of those images is a figure.

    >>> read_lines("# Aspirin\\n\\n\\n*Safe*.", markdown=True)
    (Line(text='# Aspirin', shape='markdown_heading', gap=0, depth=1), Line(text='Safe.', shape='text', gap=2, depth=0))
    """  # noqa: E501
    if markdown:
        joined = tuple(_join_markdown_paragraphs(_markdown_lines(text, figures)))
        return tuple(_without_markup(line) for line in _title_first(joined))
    return tuple(_plain_lines(text))


def _title_first(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Markdown lines with a ``# Title`` that follows a banner (images or quotes first,
    perhaps a few short lines after them, a byline: :data:`_BYLINE`) moved first, the
    banner after it. The first line is the title (:mod:`.blocks`); the image's markup or
    the quote was, and the ``# Title`` a section of the lead. A paragraph before the
    ``# Title`` means the article has begun: that ``#`` is a section's.

    >>> banner = Line("![Logo](logo.png)", "figure")
    >>> [line.text for line in _title_first((banner, Line("# Aspirin", "markdown_heading", 1, 1)))]
    ['# Aspirin', '![Logo](logo.png)']
    """
    start = _banner_end(lines)
    if start == 0:
        return lines
    for index in range(start, min(len(lines), start + _BYLINE + 1)):
        line = lines[index]
        if line.shape == "markdown_heading" and line.depth == 1:
            return _titled_by(line, lines, index)
        if len(line.text) > _SHORT:
            break
    return lines


_BYLINE = 5  # short lines between a banner and its # title (by, published, review due...)
_SHORT = 80  # characters at most of such a line


def _banner_end(lines: tuple[Line, ...]) -> int:
    """How many lines the banner at the start is: images alone on their line, quotes."""
    end = 0
    while end < len(lines) and _is_banner(lines[end]):
        end += 1
    return end


def _is_banner(line: Line) -> bool:
    """An image alone on its line, or a quote: nothing a title is made of."""
    if line.shape == "quote":
        return True
    return line.shape in ("figure", "text") and FIGURE_LINE.fullmatch(line.text) is not None


def _titled_by(title: Line, lines: tuple[Line, ...], index: int | None = None) -> tuple[Line, ...]:
    """``lines`` with ``title`` first and the banner after it, less line ``index`` (the
    line the title was, if it was one of them)."""
    rest = lines[1:] if index is None else (*lines[1:index], *lines[index + 1 :])
    return (replace(title, gap=0), replace(lines[0], gap=max(lines[0].gap, 1)), *rest)


def image_title(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Lines that start with a figure (no ``# Title`` just after it), titled: by the first
    line after the banner if it is short or a heading (``**Asthma action plan**``,
    ``## Asthma``), moved first, else by the figure's description. The figure's markup
    would be the title.

    >>> [line.text for line in image_title((Line("![Logo](logo.png)", "figure"),))]
    ['Logo', '![Logo](logo.png)']
    """
    if not lines or lines[0].shape != "figure":
        return lines  # (a # title just after the banner was moved first: read_lines)
    end = _banner_end(lines)
    first = lines[end] if end < len(lines) else None
    if first is not None and first.shape == "markdown_heading":
        return _titled_by(Line(heading_text(first), "label"), lines, end)
    if first is not None and first.shape == "text" and is_heading_shaped(first.text):
        return _titled_by(Line(first.text, "label"), lines, end)
    image = FIGURE_LINE.fullmatch(lines[0].text)
    alt = strip_inline_markup(image["alt"]).strip() if image else ""
    if not alt:
        return lines
    return _titled_by(Line(alt, "label"), lines)


def _without_markup(line: Line) -> Line:
    if line.shape in _RAW_SHAPES:
        return line
    return replace(line, text=strip_inline_markup(line.text))


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


def _markdown_lines(text: str, figures: frozenset[str]) -> Iterator[Line]:
    """Shaped Markdown lines; a table is a header row directly above a rule row
    (``| --- | --- |``), which is dropped, and the rows directly below."""
    in_table = False
    pending: tuple[str, int] | None = None  # a line with a "|": perhaps a table's header
    for stripped, gap in _stripped_lines(text):
        if pending is not None:
            if gap == 0 and _TABLE_RULE.fullmatch(stripped):
                yield Line(pending[0], "table_head", pending[1])
                pending, in_table = None, True
                continue
            yield _markdown_line(*pending, figures)
            pending = None
        if in_table and (row := _table_line(stripped, gap)) is not None:
            yield row
            in_table = row.shape == "table_row"
            continue
        in_table = False
        if "|" in stripped:
            pending = (stripped, gap)
        else:
            yield _markdown_line(stripped, gap, figures)
    if pending is not None:
        yield _markdown_line(*pending, figures)


def _table_line(stripped: str, gap: int) -> Line | None:
    """A table's next row, or its caption, or ``None``: the table has ended."""
    if gap == 0 and "|" in stripped:
        return Line(stripped, "table_row", gap)
    if gap <= 1 and stripped.startswith(CAPTION):
        return Line(stripped[len(CAPTION) :].strip(), "table_caption", gap)
    return None


def _markdown_line(stripped: str, gap: int, figures: frozenset[str]) -> Line:
    quote = _QUOTE.match(stripped)
    if quote:
        return Line(stripped[quote.end() :].strip(), "quote", gap)
    figure = FIGURE_LINE.fullmatch(stripped)
    if figure and figure["src"] in figures:
        return Line(stripped, "figure", gap)
    shape, depth = markdown_shape(stripped)
    return Line(stripped, shape, gap, depth)


def _join_markdown_paragraphs(lines: Iterator[Line]) -> Iterator[Line]:
    """Markdown paragraphs, list items and quotes may wrap: a text line with no blank
    line before it continues the paragraph, item or quote above (a heading, a table
    and a figure are always one line). Consecutive quote lines are one paragraph of
    the quote until an empty ``>`` line, which ends it and is itself dropped."""
    pending: Line | None = None
    parts: list[str] = []
    for line in lines:
        if pending is not None and _continues(pending, line):
            parts.append(line.text)
            continue
        if pending is not None and pending.text:
            yield Line(" ".join(parts), pending.shape, pending.gap, pending.depth)
        pending, parts = line, [line.text]
    if pending is not None and pending.text:
        yield Line(" ".join(parts), pending.shape, pending.gap, pending.depth)


def _continues(pending: Line, line: Line) -> bool:
    if line.gap != 0 or pending.shape in ("markdown_heading", *_RAW_SHAPES, "table_caption"):
        return False
    if line.shape == "quote":
        return pending.shape == "quote" and bool(pending.text) and bool(line.text)
    return line.shape == "text"


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
