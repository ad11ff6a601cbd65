"""The ``commas`` stage: the spinner's `` and `` where the author wrote a comma.

A spinner that writes every real ``and`` as ``an’`` leaves a telltale: once the
``contractions`` stage has turned those back into ``and``, every *other* `` and `` in
running text is one it put in place of a comma (``palms and an’ soles`` was
``palms, and soles``). So this stage runs only when the ``contractions`` stage restored
at least three ``an’``, and they are at least a fifth of all the ``and`` words in running
text (a spinner's habit, not one line of dialogue). It leaves alone the ``and`` words that
stage restored, backticked code, and lines that look like a title or heading (short, no
closing full stop).

Rule ``comma``: `` and`` becomes ``,``.

>>> text = "Title\\n\\npalms and and soles. Botox and it and this and that."
>>> history = [Change("contractions", "an", i, i + 3, "an’", "and") for i in (17, 41, 50)]
>>> [(c.before, c.after) for c in propose(text, history)]
[(' and', ','), (' and', ',')]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

import regex

from pipeline.model import Change
from pipeline.normalise.rounds import Ftfy
from pipeline.shapes import is_heading_line
from pipeline.stages import AN, COMMAS, CONTRACTIONS

STAGE = COMMAS
FTFY: Ftfy = "unseen"  # ftfy has not seen the lines it changes

_AND = regex.compile(r"(?<=[\p{L}\p{N})’”'\".%]) and(?= \S)")  # "e.g. and", "40% and"
# Where an and is the first after "between" ("between 5 and 10 minutes"): no comma can
# stand for it (a later one can: the spinner's commas are gone from the sentence). Not
# "both": "both of these phrases translate the same, because" is no "both ... and".
# What a clause after "between" is made of: any character that ends no clause, a mark
# inside a number or a word (2.5, 1,000, a.m), and an abbreviation's full stop before a
# space (a.m. and). The three exclude each other, so each character is read one way only:
# a look-behind that could read a full stop two ways took exponential time to fail.
_IN_CLAUSE = (r"[^.,;:!?\n]", r"[.,](?!\s)", r"(?<=\b\p{L})\.(?=\s)")
_REACH = 80  # characters from "between " to its and
_PAIRED = regex.compile(
    rf"(?<=\b[Bb]etween\s(?:(?! and\b)(?:{'|'.join(_IN_CLAUSE)})){{0,{_REACH}}})"
)
_BACKTICK = regex.compile("`")  # an and after an odd number of them on its line is code's
_MIN_EVIDENCE = 3  # restored an’ words
_MIN_SHARE = 0.2  # of the and words in running text, restored ones at least this share


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """A comma for every spinner `` and`` in running text, when there is evidence."""
    restored = _restored_ands(history)
    if len(restored) < _MIN_EVIDENCE:
        return []
    changes = list(_comma_changes(text, restored))
    if len(restored) < _MIN_SHARE * (len(restored) + len(changes)):
        return []
    return changes


def may_change(text: str) -> bool:
    """Never on the text alone: only the ``an’`` the contractions stage restores in the
    same round (its history) give this stage work."""
    return False


def _comma_changes(text: str, restored: set[int]) -> Iterator[Change]:
    # One search of the text: an `` and`` never looks across the end of its line.
    ands = [m.start() for m in _AND.finditer(text)]
    offset, title_end = 0, _title_end(text)
    for line in text.splitlines(keepends=True):
        end = offset + len(line)
        starts = ands[bisect_left(ands, offset) : bisect_left(ands, end)]
        if starts and _may_hold_commas(line, offset <= title_end, starts, restored):
            ticks = [m.start() + offset for m in _BACKTICK.finditer(line)] if "`" in line else []
            for start in starts:
                if start + 1 in restored or bisect_left(ticks, start) % 2:
                    continue  # an and the spinner wrote an’, or code's
                if not _paired(text, start):
                    yield Change(STAGE, "comma", start, start + 4, " and", ",")
        offset = end


def _paired(text: str, start: int) -> bool:
    """Whether the `` and`` at ``start`` is the first after a *between* (:data:`_PAIRED`),
    asked only when one stands near: the look-behind takes microseconds, the search for
    the word a fraction of that, and most ands have none before them.

    >>> _paired("between 5 and 10", 9), _paired("salt and pepper", 4)
    (True, False)
    """
    near = text.find("etween", max(0, start - _REACH - len("between ")), start) >= 0
    return near and _PAIRED.match(text, start) is not None


def _may_hold_commas(line: str, title: bool, starts: list[int], restored: set[int]) -> bool:
    """Whether a line's `` and`` words may stand for commas: it is running text, or a title
    or heading the spinner reached (one of its ``and`` words was an ``an’``)."""
    heading = title or is_heading_line(line)
    return not heading or any(start + 1 in restored for start in starts)


def _title_end(text: str) -> int:
    """The end of the first non-empty line: the title keeps its ``and``."""
    stripped = len(text) - len(text.lstrip())
    end = text.find("\n", stripped)
    return len(text) if end < 0 else end


def _restored_ands(history: Sequence[Change]) -> set[int]:
    """Where (in the text as the contractions stage left it) the restored ``and`` words start."""
    starts: set[int] = set()
    shift = 0
    for change in [c for c in history if c.stage == CONTRACTIONS]:
        if change.rule == AN:
            starts.add(change.start + shift)
        shift += change.delta
    return starts
