"""Where each section starts and ends, and its level (``leaflet_sections`` computes this).

The title is level 1. Sections are:

- the **lead**: the blocks between the title and the first heading, a section with no
  heading at level 2;
- one section per **heading**, from the heading up to the next heading of the same or a
  higher level;
- the **closing words**: blocks set apart by two or more blank lines after the last
  heading's own text (not directly under a heading), a top-level section with no
  heading. An article without headings has a lead and no closing words.

Heading levels in plain text (Markdown's ``#`` marks give them directly):

- the first heading is level 2;
- a heading directly below another heading (only blank lines between) is its child, one
  level down; except numbered labels of one series (``Step 1: ...``, ``Step 2: ...``;
  ``1. ...``, ``2. ...``), which are siblings;
- a heading after running text is a sibling of the heading before it, except that a
  heading that opens a new run of headings returns to the level of the previous such
  run (plain text cannot climb back up otherwise: ``Medical uses`` / ``Migraine`` ...
  ``Risks`` / ``Bleeding`` gives two level-2 parents, each with level-3 children);
- a standard leaflet heading after running text (``Risks and precautions``, ``Side
  effects``, ``When to get help`` ...: :mod:`.headings`) is top-level, level 2, however
  deep the headings before it were;
- no heading goes deeper than level 6 (HTML has six): deeper ones stay siblings at 6.

In Markdown a heading is never more than one level below the heading before it, and
``#`` after the title counts as ``##``.

>>> from pipeline.structure.lines import read_lines
>>> from pipeline.structure.blocks import predict_labels
>>> lines = read_lines("T\\n\\nLead.\\n\\nUses\\n\\nSkin\\n\\nText.\\n\\n\\nBye.")
>>> predict_sections(lines, predict_labels(lines))
(SectionSpan(start=1, end=2, level=2), SectionSpan(start=2, end=5, level=2), SectionSpan(start=3, end=5, level=3), SectionSpan(start=5, end=6, level=2))
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pipeline.structure.blocks import Label
from pipeline.structure.headings import is_top_level_heading
from pipeline.structure.lines import Line, heading_text

TOP_LEVEL = 2
MAX_LEVEL = 6
CLOSING_GAP = 2
"""Blank lines that set the closing words apart from the last section."""

_SERIES = re.compile(r"^(?:([^\W\d_]+)\s+)?\d+\b")


@dataclass(frozen=True, slots=True)
class SectionSpan:
    """Lines ``start`` (the heading, if the section has one) to ``end`` (exclusive)."""

    start: int
    end: int
    level: int


def predict_sections(lines: Sequence[Line], labels: Sequence[Label]) -> tuple[SectionSpan, ...]:
    """Every section, lead and closing words included, in reading order (parents first)."""
    heads = [i for i, label in enumerate(labels) if label == "heading"]
    closing = closing_start(lines, labels)
    body_end = len(lines) if closing is None else closing
    spans = list(_heading_sections(heads, heading_levels(lines, labels), body_end))
    first_heading = heads[0] if heads else body_end
    if first_heading > 1:
        spans.append(SectionSpan(1, first_heading, TOP_LEVEL))
    if closing is not None:
        spans.append(SectionSpan(closing, len(lines), TOP_LEVEL))
    return tuple(sorted(spans, key=lambda span: (span.start, -span.end)))


def _heading_sections(
    heads: Sequence[int], levels: dict[int, int], body_end: int
) -> Iterator[SectionSpan]:
    """Each heading's section ends where a heading of the same or a higher level starts."""
    open_: list[int] = []
    for head in heads:
        while open_ and levels[open_[-1]] >= levels[head]:
            start = open_.pop()
            yield SectionSpan(start, head, levels[start])
        open_.append(head)
    for start in open_:
        yield SectionSpan(start, body_end, levels[start])


def heading_levels(lines: Sequence[Line], labels: Sequence[Label]) -> dict[int, int]:
    """The level of each heading, by line index."""
    levels: dict[int, int] = {}
    previous: int | None = None
    run_level: int | None = None
    for head in (i for i, label in enumerate(labels) if label == "heading"):
        if lines[head].shape == "markdown_heading":
            level = _markdown_level(lines[head], None if previous is None else levels[previous])
        elif previous is not None and previous == head - 1:
            series = same_series(lines[previous].text, lines[head].text)
            level = levels[previous] + (0 if series else 1)
        else:
            opens_run = _opens_run(lines, labels, head)
            previous_level = None if previous is None else levels[previous]
            level = _level_after_text(lines[head], previous_level, run_level if opens_run else None)
            run_level = level if opens_run else run_level
        levels[head] = min(level, MAX_LEVEL)
        previous = head
    return levels


def _level_after_text(line: Line, previous_level: int | None, run_level: int | None) -> int:
    """The level of a plain-text heading that follows running text.

    A standard leaflet heading (:data:`~.headings.TOP_LEVEL_HEADINGS`) is top-level; a
    heading opening a new run of headings takes the previous run's level (``run_level``,
    ``None`` when it opens none or is the first); any other is the previous one's sibling.
    """
    if previous_level is None or is_top_level_heading(heading_text(line)):
        return TOP_LEVEL
    return previous_level if run_level is None else run_level


def _markdown_level(line: Line, previous_level: int | None) -> int:
    deepest = TOP_LEVEL if previous_level is None else previous_level + 1
    return min(max(line.depth, TOP_LEVEL), deepest)


def _opens_run(lines: Sequence[Line], labels: Sequence[Label], head: int) -> bool:
    """The heading is directly followed by a child heading."""
    after = head + 1
    return (
        after < len(labels)
        and labels[after] == "heading"
        and not same_series(lines[head].text, lines[after].text)
    )


def same_series(first: str, second: str) -> bool:
    """Two numbered labels of one series: siblings, not parent and child.

    >>> same_series("Step 1: Clean the skin", "Step 2: Apply the cream")
    True
    >>> same_series("1. Uses", "2. Risks"), same_series("Uses", "Migraine")
    (True, False)
    """
    a, b = _SERIES.match(first), _SERIES.match(second)
    if a is None or b is None:
        return False
    return (a.group(1) or "").casefold() == (b.group(1) or "").casefold()


def closing_start(lines: Sequence[Line], labels: Sequence[Label]) -> int | None:
    """The first line of the closing words, if the article has them.

    They start at the first gap of two or more blank lines after the last heading, once
    that heading has text of its own (the gap directly under a heading does not count).
    """
    heads = [i for i, label in enumerate(labels) if label == "heading"]
    if not heads:
        return None
    for i in range(heads[-1] + 2, len(lines)):
        if lines[i].gap >= CLOSING_GAP:
            return i
    return None
