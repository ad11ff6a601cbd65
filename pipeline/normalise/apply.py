"""The one function that applies a stage's changes to its text."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.model import Change


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Apply one stage's changes (offsets into ``text``, non-overlapping).

    >>> apply_changes("an’ so", [Change("contractions", "an", 0, 3, "an’", "and")])
    'and so'
    """
    pieces: list[str] = []
    position = 0
    for change in sorted(changes, key=lambda c: c.start):
        if change.start < position or text[change.start : change.end] != change.before:
            raise ValueError(f"change does not fit the text: {change}")
        pieces.append(text[position : change.start])
        pieces.append(change.after)
        position = change.end
    pieces.append(text[position:])
    return "".join(pieces)
