"""The ``contractions`` stage: the spinner's dialect spellings back to standard English.

Rules:

``an``
    ``an’`` / ``an'`` before a word is ``and``.
``ing``
    ``-in’`` / ``-in'`` is ``-ing`` when the ``-ing`` word is English and more common than
    the ``-in`` word itself (``smoothin’`` is ``smoothing``; ``Violin’`` and ``Robin’``
    closing a quotation stay), or, for an ``-ing`` word the list lacks, when it is one with
    a prefix (``uncompressin’`` is ``uncompressing``, as ``compressing`` is English).

Both run only where the document shows spinner damage outside quoted speech: look-alike
letters were found, or the contracted forms are many and most of their kind (``an’``
among ``and``, ``-in’`` among ``-ing``). An article whose dialogue drops its g's, and
that is otherwise clean, keeps it; so does dialogue in “quotation marks” in an article
whose only damage is look-alike letters. Possessives (``patients’``), ``rock ’n’ roll``,
``o’clock``, ``’90s``, ``y’all``, ``ma’am`` and ``’tis`` never match.

>>> [c.after for c in propose("smoothin’ wrinklеs an’ finе linеs, grapplin’ an’ takin’", ())]
['smoothing', 'and', 'grappling', 'and', 'taking']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import cached_property
from itertools import accumulate
from operator import attrgetter

import regex

from pipeline.chardata import APOSTROPHES
from pipeline.model import Change
from pipeline.normalise.rounds import Ftfy
from pipeline.normalise.words import zipf
from pipeline.stages import AN, CONTRACTIONS, HOMOGLYPHS

STAGE = CONTRACTIONS
FTFY: Ftfy = "unseen"  # ftfy has not seen the lines it changes

# The standard library's ``re``: each pattern starts with the mark it looks for (rarer than
# the letters before it), so the scan skips ahead in C, and checks the letters before it by
# a look-behind: a match is the mark, and ``an`` or ``in`` are the two characters before.
# ``an’`` (not inside a word) then a word, a quotation, a bracket, a number...; a comma;
# or ``an’/or``.
_AN = re.compile(
    rf"[{APOSTROPHES}](?<=(?:an|An|AN).)(?<![\w{APOSTROPHES}]...)"
    r"(?=[ \t]+[^\s,.;:!?]|[,;]\s|/or\b)"
)
_IN = re.compile(rf"[{APOSTROPHES}](?<=[^\W\d_](?:in|IN).)(?!\w)")  # at the end of a word
# Where an ``an’`` or ``-in’`` may be (a quick scan: no case folding, no look-behind).
_CONTRACTED = re.compile(rf"[aAiI][nN][{APOSTROPHES}]")
_AND = regex.compile(r"\b(?:and|And|AND)\b")
_ING = regex.compile(r"\b\p{L}+ing\b", regex.IGNORECASE)
# A closing single quotation mark: after a letter or a sentence's mark, not before a letter.
_CLOSING = re.compile(r"['’](?<=(?:[^\W\d_]|[.,!?]).)(?![^\W\d_])")
# A single quotation mark that opens a quotation: at the start of a line or after a space,
# a bracket or a double quotation mark; before a letter.
_OPENING = re.compile(r"[‘'](?<![^\s(\[“\"].)(?=[^\W\d_])")
_DOUBLE = re.compile('[“”"]')
_PREFIXES = ("un", "re", "de", "pre", "dis", "mis", "over", "under", "out", "co", "non")
_MIN_ZIPF_AFTER_PREFIX = 2.5
_MIN_ZIPF_VERB = 1.0
_MIN_EVIDENCE = 3  # look-alike repairs that show a spinner was at work
_MIN_UNAIDED = 5  # contracted forms needed when there are no look-alikes
_STAGE = attrgetter("stage")


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """``and`` and ``-ing`` restored, if the document shows the spinner's habit."""
    if not may_change(text):
        return []
    quotes = _Quotes(text)
    candidates = [*_an_changes(text, quotes), *_ing_changes(text, quotes)]
    candidates.sort(key=lambda c: c.start)
    if not _shows_spinner(text, candidates, history, quotes):
        return []
    return candidates


def may_change(text: str) -> bool:
    """Whether ``text`` may hold an ``an’`` or an ``-in’`` (a quick scan)."""
    return _CONTRACTED.search(text) is not None


def _an_changes(text: str, quotes: _Quotes) -> Iterator[Change]:
    for match in _AN.finditer(text):
        start, end = match.start() - 2, match.end()  # ``an’``
        if quotes.inside_single(start):
            continue
        after = {"an": "and", "An": "And", "AN": "AND"}[text[start : start + 2]]
        yield Change(STAGE, AN, start, end, text[start:end], after)


def _ing_changes(text: str, quotes: _Quotes) -> Iterator[Change]:
    for match in _IN.finditer(text):
        mark = match.start()  # after ``in``
        start = _word_start(text, mark - 2)
        if start is None:
            continue
        stem, ending = text[start : mark - 2], text[mark - 2 : mark]
        full = stem + ending + ("G" if ending.isupper() else "g")
        if not _is_ing_word(stem + ending, full):
            continue
        if quotes.inside_single(start):
            continue
        yield Change(STAGE, "ing", start, match.end(), text[start : match.end()], full)


def _is_ing_word(dropped: str, full: str) -> bool:
    """Whether ``full`` (``smoothing``) is the English word ``dropped`` (``smoothin``)
    stands for: more common than ``dropped`` itself, or, for a word the list lacks, a
    known verb with ``-ing`` (``symlinkin’``: ``symlink``) or a known ``-ing`` word with a
    prefix (``uncompressin’``: ``compressing``)."""
    if zipf(full) > max(zipf(dropped), 1.0):
        return True
    if zipf(full) > 0 or zipf(dropped) > 0:
        return False
    lower = full.lower()
    if zipf(lower[:-3]) >= _MIN_ZIPF_VERB:
        return True
    return any(
        lower.startswith(p) and zipf(lower[len(p) :]) >= _MIN_ZIPF_AFTER_PREFIX for p in _PREFIXES
    )


def _word_start(text: str, index: int) -> int | None:
    """Where the word ending at ``index`` starts; ``None`` after a digit or apostrophe."""
    while index > 0 and text[index - 1].isalpha():
        index -= 1
    if index > 0 and (text[index - 1].isdigit() or text[index - 1] in APOSTROPHES + "_"):
        return None
    return index


class _Quotes:
    """Where quotations open and close on each line, found once (when first asked), so
    each question about an offset costs a binary search, not a scan of its line (a 4 MB
    line stays linear)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def openings(self) -> list[int]:
        return [m.start() for m in _OPENING.finditer(self.text)]

    @cached_property
    def closings(self) -> list[int]:
        """Where a closing mark follows: the offset of the character before it."""
        return [m.start() - 1 for m in _CLOSING.finditer(self.text)]

    @cached_property
    def doubles(self) -> list[tuple[int, str]]:
        return [(m.start(), m.group()) for m in _DOUBLE.finditer(self.text)]

    @cached_property
    def double_starts(self) -> list[int]:
        return [start for start, _ in self.doubles]

    @cached_property
    def straight_counts(self) -> list[int]:
        """How many straight marks (``"``) come before each double mark, and in all: so the
        marks between two offsets are counted by one subtraction, not one by one."""
        return [0, *accumulate(mark == '"' for _, mark in self.doubles)]

    @cached_property
    def newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.text)]

    def _line_start(self, index: int) -> int:
        found = bisect_left(self.newlines, index) - 1
        return self.newlines[found] + 1 if found >= 0 else 0

    def inside_single(self, index: int) -> bool:
        """Whether a single quotation opened earlier on the line is still open at ``index``.

        Then the apostrophe after the word may be the quotation's closing mark (‘Violin’).
        """
        found = bisect_left(self.openings, index) - 1
        if found < 0 or self.openings[found] < self._line_start(index):
            return False
        opened = self.openings[found]
        closing = bisect_left(self.closings, opened)
        return not (closing < len(self.closings) and self.closings[closing] < index - 1)

    def inside_double(self, index: int) -> bool:
        """Whether ``index`` is inside a “quotation” (or a "straight" one) on its line."""
        line_start = self._line_start(index)
        first = bisect_left(self.double_starts, line_start)
        last = bisect_left(self.double_starts, index)
        if first == last:
            return False
        if self.doubles[last - 1][1] == "“":
            return True
        return (self.straight_counts[last] - self.straight_counts[first]) % 2 == 1


def _shows_spinner(
    text: str, candidates: list[Change], history: Sequence[Change], quotes: _Quotes
) -> bool:
    """Whether the contracted forms are the spinner's, not an author's dialogue.

    Only forms outside double quotation marks count as evidence. Look-alike letters
    elsewhere in the document are enough with even one; without them, the forms must be
    many and make up most of their kind (``an’`` among ``and``, ``-in’`` among ``-ing``).
    """
    if list(map(_STAGE, history)).count(HOMOGLYPHS) >= _MIN_EVIDENCE:
        return any(not quotes.inside_double(c.start) for c in candidates)  # one is enough
    outside = [c for c in candidates if not quotes.inside_double(c.start)]
    if len(outside) < _MIN_UNAIDED:
        return False
    ans = sum(c.rule == AN for c in outside)
    ings = len(outside) - ans
    share_an = ans / max(1, ans + len(_AND.findall(text)))
    share_ing = ings / max(1, ings + len(_ING.findall(text)))
    return share_an >= 0.5 or share_ing >= 0.5
