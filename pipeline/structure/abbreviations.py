"""Abbreviations an article defines, found with the Schwartz–Hearst algorithm.

Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation definitions
in biomedical text". A definition is a long form with its short form in parentheses
right after it, ``overactive bladder (OAB)``, or the other way round, ``OAB (overactive
bladder)``. The short form is 2–10 characters, no spaces, starting with a letter or
digit, at least half of its letters capitals. Its letters are matched backwards against
the long form, right to left; the first letter must start a word. The long form is at
most ``min(len(short) + 5, 2 * len(short))`` words and does not cross a sentence,
clause or bracket boundary.

So ``cyclooxygenases (COX)`` *is* a definition: C starts the word, and O and X follow in
order inside it, which is exactly how the algorithm accepts "cyclooxygenase" for COX
in biomedical text. Parentheses holding words (``(excessive sweating)``) or lower-case
terms (``(blepharospasm)``) are not short forms.

Only the body is searched (the caller passes paragraphs and list items): a heading such
as ``Temporomandibular Joint Disorder (TMJ)`` names a definition the text then gives.

>>> find_abbreviations(["Overactive bladder (OAB) is common. OAB (overactive bladder) again."])
(Abbreviation(short='OAB', expansion='Overactive bladder'),)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pipeline.model import Abbreviation

_PARENTHESES = re.compile(r"\(([^()]{1,200})\)")
_BOUNDARY = re.compile(r"(?:[.!?;:,\[\](){}]\s|[\[\](){}])")
_WORD = re.compile(r"\S+")
_TRIM = "\"'‘’“”«»,;:"
_ADDRESS = re.compile(r"://|\bwww\.|@|\.[a-z]{2,}(?:/|$)", re.IGNORECASE)
_WINDOW = 300  # characters before "(" searched for a long form


def find_abbreviations(texts: Iterable[str]) -> tuple[Abbreviation, ...]:
    """Each defined abbreviation once, in order of its first definition."""
    found: dict[str, Abbreviation] = {}
    for text in texts:
        for abbreviation in abbreviations_in(text):
            found.setdefault(abbreviation.short, abbreviation)
    return tuple(found.values())


def abbreviations_in(text: str) -> Iterator[Abbreviation]:
    """Every definition in one text, in order.

    >>> list(abbreviations_in("a transient ischaemic attack (TIA), or a fall (see below)"))
    [Abbreviation(short='TIA', expansion='transient ischaemic attack')]
    """
    for match in _PARENTHESES.finditer(text):
        inside = match.group(1).strip()
        before = text[max(0, match.start() - _WINDOW) : match.start()]
        found = _long_then_short(before, inside) or _short_then_long(before, inside)
        if found is not None:
            yield found


def _long_then_short(before: str, short: str) -> Abbreviation | None:
    """``overactive bladder (OAB)``"""
    if not is_short_form(short):
        return None
    long = match_long_form(short, _last_words(_clause(before), max_words(short)))
    return None if long is None else Abbreviation(short, long)


def _short_then_long(before: str, inside: str) -> Abbreviation | None:
    """``OAB (overactive bladder)``: the whole parenthesis must be the long form."""
    words = before.split()
    short = words[-1].strip(_TRIM) if words and before[-1:].isspace() else ""
    if not is_short_form(short) or len(inside.split()) > max_words(short):
        return None
    if _ADDRESS.search(inside):
        return None  # "the NHS (https://www.nhs.uk/)" gives an address, not an expansion
    long = match_long_form(short, inside)
    return Abbreviation(short, long) if long == inside else None


def is_short_form(text: str) -> bool:
    """2–10 characters, no spaces, first a letter or digit, mostly capitals.

    >>> [is_short_form(s) for s in ("OAB", "NSAIDs", "TMJ", "Hb", "COX")]
    [True, True, True, True, True]
    >>> [is_short_form(s) for s in ("blepharospasm", "e.g.", "5%", "mAb", "A", "Botox")]
    [False, False, False, False, False, False]
    """
    if not 2 <= len(text) <= 10 or not text[0].isalnum() or any(c.isspace() for c in text):
        return False
    letters = [c for c in text if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return bool(letters) and 2 * capitals >= len(letters)


def max_words(short: str) -> int:
    """The most words a long form for ``short`` may have (Schwartz–Hearst)."""
    return min(len(short) + 5, 2 * len(short))


def _clause(before: str) -> str:
    """The text after the last sentence, clause or bracket boundary."""
    ends = [m.end() for m in _BOUNDARY.finditer(before)]
    return before[ends[-1] :] if ends else before


def _last_words(text: str, count: int) -> str:
    words = list(_WORD.finditer(text))
    return text[words[-count].start() :].strip() if len(words) > count else text.strip()


def match_long_form(short: str, candidate: str) -> str | None:
    """The shortest end of ``candidate`` whose letters spell ``short`` backwards.

    >>> match_long_form("OAB", "patients with overactive bladder")
    'overactive bladder'
    >>> match_long_form("COX", "enzymes called cyclooxygenases")
    'cyclooxygenases'
    >>> match_long_form("TIA", "a painful neck") is None
    True
    """
    s, position = len(short) - 1, len(candidate) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        position = _find_back(candidate, char, position, word_start=s == 0)
        if position < 0:
            return None
        position, s = position - 1, s - 1
    start = position + 1  # back to the start of the word (past any hyphen)
    while start > 0 and not candidate[start - 1].isspace():
        start -= 1
    long = candidate[start:].strip(_TRIM).strip()
    return long if len(long) > len(short) and short not in long.split() else None


def _find_back(candidate: str, char: str, position: int, *, word_start: bool) -> int:
    """The last index at or before ``position`` holding ``char`` (at a word start if asked)."""
    while position >= 0:
        here = candidate[position].lower() == char
        starts_word = position == 0 or not candidate[position - 1].isalnum()
        if here and (starts_word or not word_start):
            return position
        position -= 1
    return -1
