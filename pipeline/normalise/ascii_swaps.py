"""ASCII look-alikes inside words: ``he1p``, ``c0mmon``, ``9ood``, ``5afe``, ``don`t``.

A spinner (TextAttack's homoglyph swap, for one) also swaps ASCII characters for ASCII
ones: ``l`` for ``1``, ``|`` or ``I``; ``O`` for ``0``; ``g`` for ``9``; ``S`` for ``5``;
an apostrophe for a backtick. Such a word is not English, but undoing one kind of swap
makes it a common English word. In numbers the swap goes the other way: ``1O``, ``97O0``,
``7.l`` and ``O.70`` are ``10``, ``9700``, ``7.1`` and ``0.70``. The ``homoglyphs`` stage
asks for these changes only in a document the spinner visibly went through; a number
stays a number, and a word needs two letters of its own (``|`` alone is a table's).

>>> [(c.before, c.after, c.note) for c in propose("he1p the c0mmon 1O mg B12 p53 | x", "x")]
[('he1p', 'help', 'ASCII 1→l'), ('c0mmon', 'common', 'ASCII 0→o'), ('O', '0', 'ASCII O→0')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import regex

from pipeline.chardata import SUBSCRIPT_DIGITS
from pipeline.model import START, Change
from pipeline.normalise.words import remember, zipf

# What each ASCII character may have been before a swap, most likely first.
ORIGINALS = {"1": "lI", "|": "lI", "I": "l", "l": "I", "0": "oO", "9": "g", "5": "sS", "`": "'"}
_DIGIT_FOR = {"O": "0", "o": "0", "l": "1"}
_SWAPPED = re.escape("".join(ORIGINALS))
# A word holding a character a swap may have put there (no other word can be repaired).
# Possessive, so a run followed by a letter of another script or "_" fails at once: taking
# back one character at a time from ``[...]*[A-Za-z|][...]*`` made a long run quadratic.
_WORD = re.compile(
    rf"(?<![\w|'’`])(?=[A-Za-z0-9|`]*?[{_SWAPPED}])(?=[0-9`]*[A-Za-z|])[A-Za-z0-9|`]++(?![\w|`])"
)
# A run of O, o or l not beside a letter, a digit before it or after it (perhaps with a
# full stop or comma between: all _in_number asks about). The class first, so the scan
# skips ahead in C; the digit asked for in the pattern, so the letters of a spun page
# (``һеllо``: a run of l between Cyrillic letters) cost no step of Python each.
_DIGIT_BEFORE = re.compile(r"\d[.,]?\Z")
_DIGIT_AFTER = re.compile(r"[.,]?\d")
_RUN = r"[Ool](?<![A-Za-z].)"  # the run's first letter, no letter before it
_AFTER_RUN = rf"(?=[Ool]*+(?![A-Za-z]){_DIGIT_AFTER.pattern})"  # _DIGIT_AFTER past the run
_DIGIT_BESIDE = rf"(?:(?<=\d.)|(?<=\d[.,].)|{_AFTER_RUN})"  # _DIGIT_BEFORE, fixed widths
_IN_NUMBER = re.compile(rf"{_RUN}{_DIGIT_BESIDE}[Ool]*(?![A-Za-z])")
_MIN_L_FOR_I = 5  # letters a word needs before an l in it may be read as I
_COMMON = 3.0  # Zipf: the repaired word must be at least this common
_UNKNOWN = 1.0  # Zipf: the damaged word must be rarer than this


def propose(text: str, stage: str) -> Iterator[Change]:
    """The changes for ASCII look-alikes in words and numbers, in order.

    Each distinct word that may hold a swap is read once (found in C: most words of a
    spun page are new, and the usual one holds no swap); only if one does is the text
    read again for where it stands.
    """
    words = set(_WORD.findall(text))
    swapped = {word: swap for word in words if (swap := remember(_repair, word)) is not None}
    changes = _word_changes(text, stage, swapped) if swapped else ()
    taken = -1
    for change in sorted([*changes, *_number_changes(text, stage)], key=START):
        if change.start >= taken:
            yield change
            taken = change.end


def _word_changes(text: str, stage: str, swapped: dict[str, tuple[str, str]]) -> Iterator[Change]:
    """The changes for the words of ``text`` that are ``swapped``: each with its swap."""
    for match in _WORD.finditer(text):
        word = match.group()
        swap = swapped.get(word)
        if swap is not None:
            note = f"ASCII {swap[0]}→{swap[1]}"
            yield Change(stage, "ascii", *match.span(), word, word.replace(*swap), note)


def _number_changes(text: str, stage: str) -> Iterator[Change]:
    for match in _IN_NUMBER.finditer(text):
        start, end = match.span()
        before = match.group()
        digits_before = text[max(0, start - 2) : start]
        if not _in_number(before, digits_before, text[end : end + 2]):
            continue  # the usual case: no digit beside it
        if _in_formula(text, start, end):
            continue  # H2O, Fe2O3, 2O₃: the letter of an element, not a digit
        if _DIGIT_BEFORE.search(digits_before) is None and _in_word(text, start, end):
            continue  # l10n, l2tp, l33t: letters further on make a word of it, not a number
        after = "".join(_DIGIT_FOR[c] for c in before)
        note = f"ASCII {before[0]}→{after[0]}"
        yield Change(stage, "ascii", start, end, before, after, note)


def _in_word(text: str, start: int, end: int) -> bool:
    """Whether the letters at ``start:end`` stand in a token of letters and digits that
    holds a letter no swap puts there (``l10n``, not ``O21l0``; looked at up to
    :data:`_TOKEN_LOOK` characters either side)."""
    return _own_letter(_token_before(text, start) + _token_after(text, end))


def _in_formula(text: str, start: int, end: int) -> bool:
    """Whether the letter at ``start:end`` is a formula's oxygen: one capital ``O`` after
    element symbols and their counts (``H2``, ``C9H8``, ``Fe3``), with a count of its own
    (``Fe3O4``, ``C9H8O4``), a charge (``H3O+``), a 2 before it (``H2O``, ``N2O``), or two
    counts before it (``C2H6O``); or an O before an index (``2O₃``). A number has one
    count before its O, not a 2 (``SPF3O``, ``CD4O``, ``ICD1O`` are numbers), or letters
    no formula has (``Q1O``, ``4x5OO``, ``Room1O``). A small ``o`` or ``l`` is no element
    (``sha5l2sum`` is ``sha512sum``).

    >>> [_in_formula(t, t.index("O"), t.index("O") + 1) for t in ("H2O", "C9H8O4", "H3O+")]
    [True, True, True]
    >>> [_in_formula(t, t.index("O"), t.index("O") + 1) for t in ("SPF3O", "Q1O", "4x5O")]
    [False, False, False]
    """
    if text[start:end] != "O":
        return False
    if text.startswith(_INDEX, end):
        return True
    before = _token_before(text, start)
    if not _ELEMENTS_AND_COUNTS.fullmatch(before):
        return False
    after = text[end : end + 1]
    counts = _COUNT.findall(before)
    return after.isdigit() or after in _CHARGES or counts[-1:] == ["2"] or len(counts) > 1


_ELEMENTS_AND_COUNTS = re.compile(r"(?:[A-Z][a-z]?[0-9]*)+")
_COUNT = re.compile(r"[0-9]+")
_CHARGES = ("+", "-", "−", "⁺", "⁻")


def _own_letter(token: str) -> bool:
    """Whether ``token`` holds a letter no swap puts in a number (not ``O``, ``o``, ``l``)."""
    return any(c.isalpha() and c not in _DIGIT_FOR for c in token)


def _token_before(text: str, start: int) -> str:
    """The letters and digits just before ``start`` (up to :data:`_TOKEN_LOOK`)."""
    before = _WORD_END.match(text, max(0, start - _TOKEN_LOOK), start)
    return before.group() if before else ""


def _token_after(text: str, end: int) -> str:
    """The letters and digits just after ``end`` (up to :data:`_TOKEN_LOOK`)."""
    after = _WORD_START.match(text, end, end + _TOKEN_LOOK)
    return after.group() if after else ""


_TOKEN_LOOK = 40
_WORD_END = regex.compile(r"\w+", regex.REVERSE)  # the letters and digits before a place
_WORD_START = re.compile(r"\w+")  # and just after it
_INDEX = tuple(SUBSCRIPT_DIGITS)


def _in_number(letters: str, before: str, after: str) -> bool:
    """Whether ``O``, ``o`` or ``l`` stand for digits: between digits (``97O0``, ``5.l1``),
    after one (``1O``, ``7.l``; not ``2l``, two litres) or before one (``l996``, ``O.70``;
    not ``O2``, oxygen)."""
    digit_before = _DIGIT_BEFORE.search(before) is not None
    digit_after = _DIGIT_AFTER.match(after) is not None
    if digit_before and digit_after:
        return True
    if digit_before:
        return set(letters) <= {"O"} or (before.endswith((".", ",")) and letters == "l")
    if digit_after:
        return letters == "l" or (letters[0] == "O" and after[0] in ".,")
    return False


def _one_case(word: str) -> bool:
    """Letters of one case, or a capital then small letters (``ecIampsia`` is neither:
    an English word for it need only be a known one, ``eclampsia``)."""
    letters = "".join(c for c in word if c.isalpha())
    return letters.isupper() or letters.islower() or letters.istitle()


@lru_cache(maxsize=1 << 16)
def _repair(word: str) -> tuple[str, str] | None:
    """The swap to undo in ``word`` (``("1", "l")``), or ``None``."""
    if zipf(word) >= _UNKNOWN:
        return None  # the usual word: an English one (asked first: one lookup)
    letters = sum(c.isalpha() for c in word)
    if letters < 2 or (word.isupper() and letters > 1):
        return None
    best: tuple[float, tuple[str, str]] | None = None
    for char in dict.fromkeys(c for c in word if c in ORIGINALS):
        for original in ORIGINALS[char]:
            if char == "l" and len(word) < _MIN_L_FOR_I:
                continue  # "ln" is the logarithm, not "In"
            candidate = word.replace(char, original)
            score = zipf(candidate)
            plain = candidate.replace("'", "").isalpha()
            needed = _COMMON if _one_case(word) or not _one_case(candidate) else _UNKNOWN
            if plain and score >= needed and (best is None or score > best[0]):
                best = (score, (char, original))
    return best[1] if best else None
