"""ASCII look-alikes inside words: ``he1p``, ``c0mmon``, ``9ood``, ``5afe``, ``|ight``.

A spinner (TextAttack's homoglyph swap, for one) also swaps ASCII characters for ASCII
ones: ``l`` for ``1``, ``|`` or ``I``; ``O`` for ``0``; ``g`` for ``9``; ``S`` for ``5``.
Such a word is not English, but undoing one kind of swap makes it a common English word.
The ``homoglyphs`` stage asks for these changes only in a document the spinner visibly
went through, and a number stays a number: ``1O`` and ``l0`` are ``10``.

>>> [(c.before, c.after, c.note) for c in propose("he1p the c0mmon 1O mg B12 p53", "x")]
[('he1p', 'help', 'ASCII 1→l'), ('c0mmon', 'common', 'ASCII 0→o'), ('1O', '10', 'ASCII O→0')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pipeline.model import Change
from pipeline.normalise.words import zipf

# What each ASCII character may have been before a swap, most likely first.
ORIGINALS = {"1": "lI", "|": "lI", "I": "l", "l": "I", "0": "oO", "9": "g", "5": "sS"}
_DIGITS_FOR = {"O": "0", "o": "0", "l": "1", "I": "1"}
_WORD = re.compile(r"(?<![\w|'’])[A-Za-z0-9|]*[A-Za-z|][A-Za-z0-9|]*(?![\w|])")
_NUMBER = re.compile(r"(?:\d|l(?=\d))[\dOol]*\Z")
_COMMON = 3.0  # Zipf: the repaired word must be at least this common
_UNKNOWN = 1.0  # Zipf: the damaged word must be rarer than this


def propose(text: str, stage: str) -> Iterator[Change]:
    for match in _WORD.finditer(text):
        word = match.group()
        swap = _repair(word)
        if swap is not None:
            note = f"ASCII {swap[0]}→{swap[1]}"
            yield Change(stage, "ascii", match.start(), match.end(), word, _apply(word, swap), note)


def _apply(word: str, swap: tuple[str, str]) -> str:
    if _NUMBER.match(word):
        return "".join(_DIGITS_FOR.get(c, c) for c in word)
    return word.replace(*swap)


@lru_cache(maxsize=1 << 16)
def _repair(word: str) -> tuple[str, str] | None:
    """The swap to undo in ``word`` (``("1", "l")``), or ``None``."""
    if _NUMBER.match(word) and not word.isdigit():
        return next((c, _DIGITS_FOR[c]) for c in word if c in _DIGITS_FOR)
    if zipf(word) >= _UNKNOWN or (word.isupper() and len(word) > 1):
        return None
    best: tuple[float, tuple[str, str]] | None = None
    for char in dict.fromkeys(c for c in word if c in ORIGINALS):
        for original in ORIGINALS[char]:
            candidate = word.replace(char, original)
            score = zipf(candidate)
            if candidate.isalpha() and score >= _COMMON and (best is None or score > best[0]):
                best = (score, (char, original))
    return best[1] if best else None
