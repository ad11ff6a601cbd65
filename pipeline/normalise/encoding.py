"""The ``encoding`` stage: ftfy's repairs, with curly quotes and character widths kept.

ftfy works on whole texts, so this stage runs it once and records the difference as
changes: lines first (cheap, most are equal), then characters inside the lines that differ.

>>> [(c.before, c.after) for c in propose("caf\\u00c3\\u00a9 &amp; bar", ())]
[('cafÃ©', 'café'), ('&amp;', '&')]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

import ftfy

from pipeline.model import Change

STAGE = "encoding"

# Everything ftfy repairs by default, except what other stages do with an explanation of
# their own (widths, NFC) and what must stay as the author wrote it (curly quotes).
CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """Changes that turn ``text`` into what ftfy makes of it."""
    fixed = ftfy.fix_text(text, CONFIG)
    if fixed == text:
        return []
    return list(diff_changes(text, fixed, STAGE, "ftfy"))


def diff_changes(before: str, after: str, stage: str, rule: str) -> Iterator[Change]:
    """Small changes that turn ``before`` into ``after``, found line by line."""
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    offsets = _line_offsets(old_lines)
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        yield from _char_changes(old, new, offsets[i1], stage, rule)


def _char_changes(old: str, new: str, base: int, stage: str, rule: str) -> Iterator[Change]:
    """The differing places in a line, each widened to whole words (``cafÃ©`` → ``café``)."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    regions: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        while i1 > 0 and j1 > 0 and not old[i1 - 1].isspace() and old[i1 - 1] == new[j1 - 1]:
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(old) and j2 < len(new) and not old[i2].isspace() and old[i2] == new[j2]:
            i2, j2 = i2 + 1, j2 + 1
        if regions and i1 <= regions[-1][1]:
            regions[-1][1], regions[-1][3] = max(regions[-1][1], i2), max(regions[-1][3], j2)
        else:
            regions.append([i1, i2, j1, j2])
    for i1, i2, j1, j2 in regions:
        yield Change(stage, rule, base + i1, base + i2, old[i1:i2], new[j1:j2])


def _line_offsets(lines: list[str]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets
