"""The ``encoding`` stage: ftfy's repairs, with curly quotes and character widths kept.

ftfy works on whole texts, so this stage runs it once and records the difference as
changes: lines first (cheap, most are equal), then characters inside the lines that differ.

>>> [(c.before, c.after) for c in propose("caf\\u00c3\\u00a9 &amp; bar", ())]
[('cafÃ©', 'café'), ('&amp;', '&')]
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

import ftfy
import regex

from pipeline.model import Change
from pipeline.normalise.apply import apply_changes

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


# What ftfy (as configured) can change: anything but plain ASCII text and the usual
# typographic marks. A line without any of it is left alone without asking ftfy.
_NEWLINE = regex.compile("\n")
_MAY_NEED_FTFY = regex.compile(r"[^\t\n\x20-\x25\x27-\x7e’‘“”–—…•]")


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """Changes that turn ``text`` into what ftfy makes of it."""
    fixed = ftfy.fix_text(text, CONFIG)
    if fixed == text:
        return []
    return list(diff_changes(text, fixed, STAGE, "ftfy"))


def settle(text: str, changes: list[Change], stage: str) -> list[Change]:
    """``changes``, and whatever applying them makes repairable, so cleaning is final.

    Removing a soft hyphen or reading a look-alike as Latin can complete a mojibake
    sequence ftfy then recognises; removing a zero-width space can leave marks to compose.
    So ftfy runs again on the lines the changes touched, and NFC on the whole; in the rare
    case that does something, the stage's changes are recomputed as one diff, each region
    keeping the rule of the change it matches, or named ``ftfy`` or ``nfc``.
    """
    fixed = apply_changes(text, changes)
    lines = fixed.splitlines(keepends=True)
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    touched = {
        line
        for c in changes
        for line in range(bisect_left(newlines, c.start), bisect_left(newlines, c.end) + 1)
    }
    for number in touched & set(range(len(lines))):
        if _MAY_NEED_FTFY.search(lines[number]):  # composed first, as ftfy will see it next
            line = unicodedata.normalize("NFC", lines[number])
            lines[number] = ftfy.fix_text(line, CONFIG)
    target = unicodedata.normalize("NFC", "".join(lines))
    if target == fixed:
        return changes
    rules = {(c.start, c.end): c.rule for c in changes}
    redone = []
    for change in diff_changes(text, target, stage, "ftfy"):
        rule = rules.get((change.start, change.end))
        if rule is None:
            rule = "nfc" if unicodedata.normalize("NFC", change.before) == change.after else "ftfy"
        redone.append(Change(stage, rule, change.start, change.end, change.before, change.after))
    return redone


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
