"""The ``contractions`` stage: the spinner's dialect spellings back to standard English.

Rules:

``an``
    ``an’`` / ``an'`` before a word is ``and``.
``ing``
    ``-in’`` / ``-in'`` is ``-ing`` when the ``-ing`` word is English and more common than
    the ``-in`` word itself (``smoothin’`` is ``smoothing``; ``Violin’`` and ``Robin’``
    closing a quotation stay).

Both run only where the document shows spinner damage: look-alike letters were found, or
the contracted forms are a large share of their kind (``an’`` among ``and``, ``-in’``
among ``-ing``). An article whose dialogue drops its g's, and that is otherwise clean,
keeps it. Possessives (``patients’``), ``rock ’n’ roll``, ``o’clock``, ``’90s``,
``y’all``, ``ma’am`` and ``’tis`` never match.

>>> [c.after for c in propose("smoothin’ wrinklеs an’ finе linеs, grapplin’ an’ takin’", ())]
['smoothing', 'and', 'grappling', 'and', 'taking']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex

from pipeline.model import Change
from pipeline.normalise.words import zipf

STAGE = "contractions"

_AN = regex.compile(r"(?<![\p{L}\p{M}\p{N}'’‘])(an|An|AN)['’](?=[ \t]+[\p{L}\p{N}])")
_IN = regex.compile(r"(?<![\p{L}\p{M}\p{N}'’‘])(\p{L}+)(in|IN)['’](?![\p{L}\p{M}\p{N}])")
_AND = regex.compile(r"\b(?:and|And|AND)\b")
_ING = regex.compile(r"\b\p{L}+ing\b", regex.IGNORECASE)
_MIN_EVIDENCE = 3


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """``and`` and ``-ing`` restored, if the document shows the spinner's habit."""
    candidates = sorted([*_an_changes(text), *_ing_changes(text)], key=lambda c: c.start)
    if not _shows_spinner(text, candidates, history):
        return []
    return candidates


def _an_changes(text: str) -> Iterator[Change]:
    for match in _AN.finditer(text):
        if _inside_quotation(text, match.start()):
            continue
        word = match.group(1)
        after = {"an": "and", "An": "And", "AN": "AND"}[word]
        yield Change(STAGE, "an", match.start(), match.end(), match.group(), after)


def _ing_changes(text: str) -> Iterator[Change]:
    for match in _IN.finditer(text):
        stem, ending = match.group(1), match.group(2)
        full = stem + ending + ("G" if ending.isupper() else "g")
        if zipf(full) <= max(zipf(stem + ending), 1.0):
            continue
        if _inside_quotation(text, match.start()):
            continue
        yield Change(STAGE, "ing", match.start(), match.end(), match.group(), full)


def _inside_quotation(text: str, index: int) -> bool:
    """Whether a single quotation opened earlier on the line is still open at ``index``.

    Then the apostrophe after the word may be the quotation's closing mark (‘Violin’).
    """
    line_start = text.rfind("\n", 0, index) + 1
    line = text[line_start:index]
    opened = max(line.rfind("‘"), _last_ascii_opening(line))
    if opened < 0:
        return False
    return not regex.search(r"[\p{L}\p{M}.,!?]['’](?![\p{L}\p{M}])", line[opened:])


def _last_ascii_opening(line: str) -> int:
    """Where the last ASCII ``'`` that opens a quotation (after a space) stands, or -1."""
    found = [m.start() for m in regex.finditer(r"(?:^|(?<=\s))'(?=\p{L})", line)]
    return found[-1] if found else -1


def _shows_spinner(text: str, candidates: list[Change], history: Sequence[Change]) -> bool:
    if not candidates:
        return False
    if sum(c.stage == "homoglyphs" for c in history) >= _MIN_EVIDENCE:
        return True
    if len(candidates) < _MIN_EVIDENCE:
        return False
    ans = sum(c.rule == "an" for c in candidates)
    ings = len(candidates) - ans
    share_an = ans / max(1, ans + len(_AND.findall(text)))
    share_ing = ings / max(1, ings + len(_ING.findall(text)))
    return share_an >= 0.25 or share_ing >= 0.5
