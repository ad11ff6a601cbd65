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

>>> [(c.before, c.after) for c in propose("Bеngt has асіԁ reflux.", ())]
[('Bеngt', 'Bengt'), ('асіԁ', 'acid')]
>>> propose("Moscow is Москва, not а city in Greece.", ())
[]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import product

import regex

from pipeline.model import Change
from pipeline.normalise.encoding import settle
from pipeline.normalise.words import is_english, zipf

STAGE = "homoglyphs"


def _build_table() -> dict[str, str]:
    text = resources.files("pipeline").joinpath("data/lookalikes.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def _script_of(char: str) -> str:
    return unicodedata.name(char, "").split(" ")[0]


LOOKALIKES: dict[str, str] = _build_table()
_TRANSLATION = str.maketrans(LOOKALIKES)
_LOOK = regex.compile("[" + regex.escape("".join(LOOKALIKES)) + "]")
_LOOKSET = frozenset(LOOKALIKES)
# One vertical stroke: Unicode's table picks one reading, the spinner may mean the other.
AMBIGUOUS = {"ӏ": "il", "Ӏ": "Il", "Ι": "Il", "І": "Il"}
# A word: letters (and combining marks) joined by apostrophes. The standard library's
# ``re`` is several times faster here than a pattern that demands a look-alike inside.
_LETTERS = r"(?:[^\W\d_]|[\u0300-\u036f\u0483-\u0489])+"
_TOKEN = re.compile(rf"{_LETTERS}(?:['’]{_LETTERS})*")
_LATIN_LETTER = regex.compile(r"\p{Latin}")
_FOREIGN_LETTER = regex.compile(r"[\p{L}--\p{Latin}]", regex.V1)
_NOT_SCIENCE = regex.compile(
    "["
    + regex.escape("".join(c for c in LOOKALIKES if not (c.islower() and _script_of(c) == "GREEK")))
    + "]"
)
_ONE_LETTER_WORDS = frozenset("aAI")
_SPUN_DOCUMENT = 3  # mixed-script repairs that show the spinner went through a document
_ACRONYM_MAX = 6
_CONTEXT = 25  # characters either side searched for a word really in the same script


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """A change for every word whose look-alike letters should be Latin.

    Mixed-script words are decided first; words made wholly of look-alikes are then
    decided in the light of the document (is it English, was it spun).
    """
    if not _LOOK.search(text):
        return []
    mixed: list[Change] = []
    whole: list[Change] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if _LOOKSET.isdisjoint(word):
            continue
        rule, latin = _reading(word)
        if rule != "foreign" and latin != word:
            found = Change(STAGE, rule, match.start(), match.end(), word, latin, _note(word))
            (whole if rule == "whole-word" else mixed).append(found)
    if whole and _is_english_document(text):
        spun = len(mixed) >= _SPUN_DOCUMENT
        mixed += [c for c in whole if _whole_is_spun(c.before, c.after, text, c.start, c.end, spun)]
    return settle(text, sorted(mixed, key=lambda c: c.start), STAGE) if mixed else []


@lru_cache(maxsize=1 << 16)
def _reading(word: str) -> tuple[str, str]:
    """``(rule, Latin reading)``; the rule is ``foreign`` for a word to leave alone.

    Words repeat, so what needs no context is worked out once per word.
    """
    latin = unicodedata.normalize("NFC", _best_reading(word))
    if _FOREIGN_LETTER.search(latin):
        return "foreign", word  # a letter no Latin letter imitates: really foreign
    if not _LATIN_LETTER.search(word):
        return "whole-word", latin
    return ("mixed-script", latin) if _mixed_is_spun(word, latin) else ("foreign", word)


def _best_reading(word: str) -> str:
    """The word in Latin letters; where a stroke could be ``i`` or ``l`` (palochka, iota),
    the reading that is the more common English word.

    >>> _best_reading("heӏӏo"), _best_reading("ӏt")
    ('hello', 'it')
    """
    latin = word.translate(_TRANSLATION)
    places = [i for i, c in enumerate(word) if c in AMBIGUOUS][:4]
    if not places:
        return latin
    readings = []
    for letters in product(*(AMBIGUOUS[word[i]] for i in places)):
        chars = list(latin)
        for i, letter in zip(places, letters, strict=True):
            chars[i] = letter
        readings.append("".join(chars))
    return max(readings, key=zipf)  # max keeps the first (Unicode's) reading on a tie


def _mixed_is_spun(word: str, latin: str) -> bool:
    """Look-alikes beside Latin letters: spun, unless they could be science's Greek.

    Cyrillic letters and Greek capitals never stand in a Latin word on purpose. Greek
    lower-case letters do (``Gαq``, ``IFNγR``, ``κB``, ``αv``), so a word whose only
    look-alikes are those changes only if it is not shaped like a symbol and its Latin
    reading is an English word (a common one, for words of three letters or fewer).
    """
    if _NOT_SCIENCE.search(word):
        return True
    if _symbol_shaped(word):
        return False
    short = len(word) <= 3  # "αv", "κB" are science; "οn", "ιs" are function words
    return is_english(latin, threshold=5.0 if short else 1.0)


def _symbol_shaped(word: str) -> bool:
    """A capital after the first letter (``IFNγR``), or a short word with a Greek letter
    right after a capital (``Gαs``, ``Gαq``): how gene and protein names are written."""
    if any(c.isupper() for c in word[1:]):
        return True
    return len(word) <= 3 and any(
        a.isupper() and b in LOOKALIKES for a, b in zip(word, word[1:], strict=False)
    )


def _whole_is_spun(
    word: str, latin: str, text: str, start: int, end: int, spun_document: bool
) -> bool:
    """A word wholly of look-alikes is spun if no real word could be: it mixes scripts,
    or, with no real word of its script nearby, it reads as English, or it is an acronym
    (``ОАВ``) in a document the spinner has visibly been through."""
    scripts = {_script(c) for c in word if c.isalpha()}
    if len(scripts) > 1:
        return True  # no real word mixes Cyrillic and Greek
    if _foreign_nearby(text, start, end, scripts):
        return False
    if len(latin) == 1:
        return latin in _ONE_LETTER_WORDS and not (scripts == {"GREEK"} and word.islower())
    if spun_document and word.isupper() and len(word) <= _ACRONYM_MAX:
        return True
    return is_english(latin, threshold=2.0)


def _foreign_nearby(text: str, start: int, end: int, scripts: set[str]) -> bool:
    """Whether a nearby word is really written in the word's script (``а вот``)."""
    window = text[max(0, start - _CONTEXT) : end + _CONTEXT]
    return any(c.isalpha() and c not in LOOKALIKES and _script(c) in scripts for c in window)


def _is_english_document(text: str, sample: int = 300) -> bool:
    """Whether most words, read in Latin letters, are English (judged on the first ones)."""
    words = [m.group() for _, m in zip(range(sample), _TOKEN.finditer(text), strict=False)]
    if not words:
        return False
    known = sum(is_english(w.translate(_TRANSLATION)) for w in words)
    return known / len(words) >= 0.5


@lru_cache(maxsize=1 << 16)
def _note(word: str) -> str:
    pairs = sorted({f"{_script(c).title()} {c}→{LOOKALIKES[c]}" for c in word if c in LOOKALIKES})
    return ", ".join(pairs)


_script = cache(_script_of)
