"""What each line is: title, heading, paragraph or list item (``leaflet_blocks`` computes this).

The rules, in order, for line ``i`` of the article:

1. The first line is the title. (In Markdown, a ``# Title`` just after a banner, images
   or quotes, is moved before it, :func:`.lines.read_lines`; an image first with no such
   title is titled by the short line after it or its description,
   :func:`.lines.image_title`.)
2. A Markdown ``#`` line is a heading; a bullet (``-``, ``*``, ``•``) is a list item.
3. A numbered line (``1.``, ``2)``) is a list item, unless it is heading-shaped and stands
   alone: ``2. Side effects`` between paragraphs is a numbered heading, but next to
   another numbered line, or under a lead-in ending in ``:``, it is an item.
4. A heading-shaped line (short, no sentence punctuation at its end) is a heading, with
   one exception: a line ending in ``:`` directly above a list is the list's lead-in
   (``Common side effects include:``) and stays a paragraph. So ``Step 1: Clean the
   skin`` is a heading (an inner colon makes a label, not a sentence), and so is
   ``Risks, benefits and costs`` (only a *final* comma counts).
5. A short question on its own line (``What is Botox?``) is a heading when a paragraph
   or a list follows it, as in patient leaflets that head each section with the
   reader's question; anywhere else (last line, or followed by a heading) it is a
   one-line paragraph.
6. In Markdown, a table's rows and caption are a ``table``, a ``>`` line is a
   ``quote`` and an image beside the article, alone on its line, is a ``figure``.
7. Everything else is a paragraph: a one-line paragraph ending in a full stop included.

>>> from pipeline.structure.lines import read_lines
>>> predict_labels(read_lines("Aspirin\\n\\nWhat is it?\\n\\nA painkiller.\\n\\nDosage"))
('title', 'heading', 'paragraph', 'heading')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.structure.lines import Line

Label = Literal["title", "heading", "paragraph", "list_item", "table", "quote", "figure"]
LABELS: tuple[Label, ...] = (
    "title", "heading", "paragraph", "list_item", "table", "quote", "figure"
)  # fmt: skip

_ITEM_SHAPES = frozenset({"bullet", "numbered", "numbered_label"})
_CONTENT_SHAPES = frozenset({"text", "bullet", "numbered", "quote", "table_head", "figure"})
_OWN_LABELS: dict[str, Label] = {
    "table_head": "table",
    "table_row": "table",
    "table_caption": "table",
    "quote": "quote",
    "figure": "figure",
}


@dataclass(frozen=True, slots=True)
class ListRun:
    """Lines ``start`` to ``end`` (exclusive) form one list."""

    start: int
    end: int
    ordered: bool


@dataclass(frozen=True, slots=True)
class Run:
    """Lines ``start`` to ``end`` (exclusive) form one table, or one quote."""

    start: int
    end: int


def predict_labels(lines: Sequence[Line]) -> tuple[Label, ...]:
    """The label of every line, by the rules above."""
    return tuple(_label(lines, i) for i in range(len(lines)))


def _label(lines: Sequence[Line], i: int) -> Label:
    shape = lines[i].shape
    if i == 0:
        return "title"
    if shape == "markdown_heading":
        return "heading"
    if shape in _OWN_LABELS:
        return _OWN_LABELS[shape]
    if shape in ("bullet", "numbered"):
        return "list_item"
    if shape == "numbered_label":
        return "list_item" if _in_numbered_list(lines, i) else "heading"
    if shape == "label":
        return "paragraph" if _introduces_list(lines, i) else "heading"
    if shape == "question":
        return "heading" if _content_follows(lines, i) else "paragraph"
    return "paragraph"


def _adjacent(lines: Sequence[Line], i: int, j: int) -> bool:
    """Lines ``i`` < ``j`` are next to each other with at most one blank line between."""
    return i >= 0 and j < len(lines) and j == i + 1 and lines[j].gap <= 1


def _in_numbered_list(lines: Sequence[Line], i: int) -> bool:
    """A numbered line with a numbered neighbour, or under a lead-in ending in ``:``."""
    numbered = ("numbered", "numbered_label")
    before = _adjacent(lines, i - 1, i) and lines[i - 1].shape in numbered
    after = _adjacent(lines, i, i + 1) and lines[i + 1].shape in numbered
    lead_in = i > 1 and _adjacent(lines, i - 1, i) and lines[i - 1].text.endswith(":")
    return before or after or lead_in


def _introduces_list(lines: Sequence[Line], i: int) -> bool:
    """``Common side effects include:`` directly above a list."""
    return (
        lines[i].text.endswith(":")
        and _adjacent(lines, i, i + 1)
        and lines[i + 1].shape in _ITEM_SHAPES
    )


def _content_follows(lines: Sequence[Line], i: int) -> bool:
    return i + 1 < len(lines) and lines[i + 1].shape in _CONTENT_SHAPES


def predict_lists(lines: Sequence[Line], labels: Sequence[Label]) -> tuple[ListRun, ...]:
    """Consecutive list items form one list; a bullet after a number starts a new one,
    and so do two or more blank lines.

    >>> from pipeline.structure.lines import read_lines
    >>> lines = read_lines("Title\\n- a\\n- b\\n1. See a GP.\\n\\n\\n1. Rest.")
    >>> predict_lists(lines, predict_labels(lines))
    (ListRun(start=1, end=3, ordered=False), ListRun(start=3, end=4, ordered=True), ListRun(start=4, end=5, ordered=True))
    """  # noqa: E501
    return tuple(_list_runs(lines, labels))


def _list_runs(lines: Sequence[Line], labels: Sequence[Label]) -> Iterator[ListRun]:
    start: int | None = None
    for i, label in enumerate(labels):
        continues = (
            start is not None
            and label == "list_item"
            and lines[i].gap <= 1
            and _ordered(lines[i]) == _ordered(lines[start])
        )
        if continues:
            continue
        if start is not None:
            yield ListRun(start, i, _ordered(lines[start]))
            start = None
        if label == "list_item":
            start = i
    if start is not None:
        yield ListRun(start, len(labels), _ordered(lines[start]))


def _ordered(line: Line) -> bool:
    return line.shape != "bullet"


def predict_tables(lines: Sequence[Line], labels: Sequence[Label]) -> tuple[Run, ...]:
    """Each table: a header row and the rows and caption below it.

    >>> from pipeline.structure.lines import read_lines
    >>> lines = read_lines("T\\n\\n| a |\\n| - |\\n| 1 |\\n\\n| b |\\n|---|", markdown=True)
    >>> predict_tables(lines, predict_labels(lines))
    (Run(start=1, end=3), Run(start=3, end=4))
    """
    return tuple(_runs(labels, lambda i: lines[i].shape == "table_head", "table"))


def predict_quotes(lines: Sequence[Line], labels: Sequence[Label]) -> tuple[Run, ...]:
    """Each quote: quote lines with no blank line between (each is one paragraph).

    >>> from pipeline.structure.lines import read_lines
    >>> lines = read_lines("T\\n\\n> a\\n>\\n> b\\n\\n> c", markdown=True)
    >>> predict_quotes(lines, predict_labels(lines))
    (Run(start=1, end=3), Run(start=3, end=4))
    """
    return tuple(_runs(labels, lambda i: lines[i].gap > 0, "quote"))


def _runs(labels: Sequence[Label], starts: Callable[[int], bool], label: Label) -> Iterator[Run]:
    """Runs of lines labelled ``label``; a line for which ``starts`` holds opens a new one."""
    start: int | None = None
    for i, found in enumerate(labels):
        if start is not None and (found != label or starts(i)):
            yield Run(start, i)
            start = None
        if found == label and start is None:
            start = i
    if start is not None:
        yield Run(start, len(labels))
