"""The ``homoglyphs`` stage: look-alike letters from other scripts back to Latin.

The table (``pipeline/data/lookalikes.tsv``) comes from Unicode's confusables data: each
Cyrillic, Greek, Armenian, Cherokee, ... letter that imitates one ASCII letter (Cyrillic
``р`` is ``p``, not ``r``). A word (letters joined by apostrophes) is rewritten only when
no letter in it is foreign *and* unmistakable, so real Cyrillic or Greek survives:

``mixed-script``
    a word mixing Latin letters and look-alikes (``cеlеbratеd``). Greek lower-case letters
    are also the letters of science (``κB``, ``μg``, ``α``), so a word whose only look-alikes
    are Greek lower-case letters at its edge changes only if its Latin reading is English.
``whole-word``
    a word made only of look-alikes (``асіԁ``), when the document is English, its Latin
    reading is an English word and no neighbouring word is really in that script
    (``Москва``, ``а вот`` stay). Single Greek letters (``α-synuclein``) stay.

>>> [(c.before, c.after) for c in propose("Bеngt an асіԁ, not Москва.", ())]
[('Bеngt', 'Bengt'), ('асіԁ', 'acid')]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources

import regex

from pipeline.model import Change
from pipeline.normalise.words import is_english

STAGE = "homoglyphs"


def _build_table() -> dict[str, str]:
    text = resources.files("pipeline").joinpath("data/lookalikes.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
    return {row[0]: row[1] for row in rows if len(row) >= 2}


LOOKALIKES: dict[str, str] = _build_table()
_TRANSLATION = str.maketrans(LOOKALIKES)
_LOOK = regex.compile("[" + regex.escape("".join(LOOKALIKES)) + "]")
_WORD = r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*"
_TOKEN = regex.compile(_WORD)
_SUSPECT_TOKEN = regex.compile(
    r"(?:[\p{L}\p{M}]+['’])*[\p{L}\p{M}]*" + _LOOK.pattern + r"[\p{L}\p{M}]*(?:['’][\p{L}\p{M}]+)*"
)
_ONE_LETTER_WORDS = frozenset("aAI")
_CONTEXT = 25  # characters either side searched for a word really in the same script


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """A change for every word whose look-alike letters should be Latin."""
    if not _LOOK.search(text):
        return []
    english = _is_english_document(text)
    changes = []
    for match in _SUSPECT_TOKEN.finditer(text):
        word = match.group()
        latin = _latin_reading(word, text, match.start(), match.end(), english)
        if latin is not None:
            rule = "mixed-script" if any(_is_latin(c) for c in word) else "whole-word"
            changes.append(
                Change(STAGE, rule, match.start(), match.end(), word, latin, _note(word))
            )
    return changes


def _latin_reading(word: str, text: str, start: int, end: int, english: bool) -> str | None:
    """The word in Latin letters, or ``None`` where it should stay as it is."""
    if any(c.isalpha() and c not in LOOKALIKES and not _is_latin(c) for c in word):
        return None  # a letter no Latin letter imitates: the word is really foreign
    latin = unicodedata.normalize("NFC", word.translate(_TRANSLATION))
    if any(_is_latin(c) for c in word):
        return latin if _mixed_is_spun(word, latin) else None
    if english and _whole_is_spun(word, latin, text, start, end):
        return latin
    return None


def _mixed_is_spun(word: str, latin: str) -> bool:
    """Look-alikes beside Latin letters: spun unless they could be science's Greek."""
    foreign = [i for i, c in enumerate(word) if c in LOOKALIKES]
    science = all(_script(word[i]) == "GREEK" and word[i].islower() for i in foreign)
    at_edge = any(i in (0, len(word) - 1) for i in foreign)
    short = len(word) <= 3  # "αv", "κB" are science; "οn", "ιs" are function words
    return not (science and at_edge) or is_english(latin, threshold=5.0 if short else 1.0)


def _whole_is_spun(word: str, latin: str, text: str, start: int, end: int) -> bool:
    scripts = {_script(c) for c in word if c.isalpha()}
    if len(scripts) > 1:
        return True  # no real word mixes Cyrillic and Greek
    if _foreign_nearby(text, start, end, scripts):
        return False
    if len(latin) == 1:
        return latin in _ONE_LETTER_WORDS and not (scripts == {"GREEK"} and word.islower())
    return is_english(latin, threshold=2.0)


def _foreign_nearby(text: str, start: int, end: int, scripts: set[str]) -> bool:
    """Whether a nearby word is really written in the word's script (``а вот``)."""
    window = text[max(0, start - _CONTEXT) : end + _CONTEXT]
    return any(c.isalpha() and c not in LOOKALIKES and _script(c) in scripts for c in window)


def _is_english_document(text: str, sample: int = 2000) -> bool:
    """Whether most words, read in Latin letters, are English (judged on the first ones)."""
    words = [m.group() for _, m in zip(range(sample), _TOKEN.finditer(text), strict=False)]
    if not words:
        return False
    known = sum(is_english(w.translate(_TRANSLATION)) for w in words)
    return known / len(words) >= 0.5


def _note(word: str) -> str:
    pairs = sorted({f"{_script(c).title()} {c}→{LOOKALIKES[c]}" for c in word if c in LOOKALIKES})
    return ", ".join(pairs)


@cache
def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ")[0]


@cache
def _is_latin(char: str) -> bool:
    return char.isalpha() and (char.isascii() or _script(char) == "LATIN")
