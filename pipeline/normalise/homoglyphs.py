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
from dataclasses import replace
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
LATIN_READING = str.maketrans(LOOKALIKES)  # for str.translate: look-alike -> Latin
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
_GREEK_LOWER = frozenset(c for c in LOOKALIKES if c.islower() and _script_of(c) == "GREEK")
_ONE_LETTER_WORDS = frozenset("aAI")
_SPUN_DOCUMENT = 3  # mixed-script repairs that show the spinner went through a document
_CONTEXT = 25  # characters either side searched for a word really in the same script


def propose(text: str, history: Sequence[Change]) -> list[Change]:
    """A change for every word whose look-alike letters should be Latin.

    Words are read one by one first. Words whose only look-alikes are Greek lower-case
    letters, and words made wholly of look-alikes, are then decided in the light of the
    whole document: is it English, did the spinner visibly go through it, and which Greek
    letters did it use in words that are certainly spun.
    """
    if not _LOOK.search(text):
        return []
    found: dict[str, list[Change]] = {"mixed-script": [], "greek": [], "whole-word": []}
    for match in _TOKEN.finditer(text):
        word = match.group()
        if _LOOKSET.isdisjoint(word):
            continue
        kind, latin = _reading(word)
        if kind != "foreign":
            note = _note(word)
            found[kind].append(Change(STAGE, kind, match.start(), match.end(), word, latin, note))
    changes = found["mixed-script"] + _decide(text, found["greek"], found["whole-word"], found)
    return settle(text, sorted(changes, key=lambda c: c.start), STAGE) if changes else []


def _decide(
    text: str, greek: list[Change], whole: list[Change], found: dict[str, list[Change]]
) -> list[Change]:
    """The undecided words, judged by what the certain ones show of the document."""
    habit = _greek_habit(found["mixed-script"] + whole + greek)
    spun = len(found["mixed-script"]) + len(greek) >= _SPUN_DOCUMENT
    decided = [
        replace(c, rule="mixed-script") for c in greek if _greek_is_spun(c.before, c.after, habit)
    ]
    if whole and _is_english_document(text):
        decided += [c for c in whole if _whole_is_spun(c.before, c.after, text, c, spun, habit)]
    return decided


@lru_cache(maxsize=1 << 16)
def _reading(word: str) -> tuple[str, str]:
    """``(kind, Latin reading)`` of a word with look-alikes, worked out once per word.

    ``foreign``: leave it (a letter no Latin letter imitates); ``mixed-script``: spun for
    certain (Cyrillic or a Greek capital beside Latin letters); ``greek``: its only
    look-alikes are Greek lower-case letters, which science uses too; ``whole-word``: no
    Latin letter at all.
    """
    latin = unicodedata.normalize("NFC", _best_reading(word))
    if _FOREIGN_LETTER.search(latin):
        return "foreign", word
    if not _LATIN_LETTER.search(word):
        return "whole-word", latin
    return ("mixed-script" if _NOT_SCIENCE.search(word) else "greek"), latin


def _best_reading(word: str) -> str:
    """The word in Latin letters; where a stroke could be ``i`` or ``l`` (palochka, iota),
    the reading that is the more common English word.

    >>> _best_reading("heӏӏo"), _best_reading("ӏt")
    ('hello', 'it')
    """
    latin = word.translate(LATIN_READING)
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


def _greek_habit(changes: list[Change]) -> frozenset[str]:
    """The Greek letters the spinner used in this document: those in words that are spun
    for certain (beside Cyrillic look-alikes, or inside a longer English word)."""
    letters: set[str] = set()
    for change in changes:
        greek = {c for c in change.before if c in _GREEK_LOWER}
        if greek and (_NOT_SCIENCE.search(change.before) or _inner_english(change)):
            letters |= greek
    return frozenset(letters)


def _inner_english(change: Change) -> bool:
    word = change.before
    inner = all(c not in LOOKALIKES for c in (word[0], word[-1]))
    return inner and len(word) >= 5 and _english(change.after, 2.0)


def _greek_is_spun(word: str, latin: str, habit: frozenset[str]) -> bool:
    """Greek lower-case look-alikes beside Latin letters: spun, or science's Greek?

    Where the spinner has shown it uses these letters, any word not shaped like a symbol,
    or reading as English, is spun. Otherwise the word must read as English and not be
    shaped like a symbol (``Gαq``, ``IFNγR``, ``κB``, ``αv``); a word of three letters or
    fewer must be a common one (``οn``; ``Fοr``, but not ``Gαs``).
    """
    if {c for c in word if c in _GREEK_LOWER} <= habit:
        return _english(latin, 1.0) or not _symbol_shaped(word)
    if len(word) <= 3:  # "Fοr", "οn" are function words; "Gαs" is a G protein
        return _english(latin, 5.5 if _symbol_shaped(word) else 5.0)
    return not _symbol_shaped(word) and _english(latin, 1.0)


def _symbol_shaped(word: str) -> bool:
    """A capital after the first letter (``IFNγR``), or a short word with a Greek letter
    right after a capital (``Gαs``, ``Gαq``): how gene and protein names are written."""
    if any(c.isupper() for c in word[1:]):
        return True
    return len(word) <= 3 and any(
        a.isupper() and b in LOOKALIKES for a, b in zip(word, word[1:], strict=False)
    )


def _english(latin: str, threshold: float) -> bool:
    """Whether the reading is an English word; a possessive is looked up without its ’s."""
    stem = latin.replace("’", "'")
    return is_english(stem, threshold) or is_english(stem.split("'")[0], threshold)


def _whole_is_spun(
    word: str, latin: str, text: str, where: Change, spun: bool, habit: frozenset[str]
) -> bool:
    """A word wholly of look-alikes is spun if no real word could be: it mixes scripts;
    or no real word of its script is nearby and, in a document the spinner visibly went
    through, it is any word but a lone Greek lower-case letter that is science's
    (``α-synuclein``), or, in any English document, it reads as an English word."""
    scripts = {_script(c) for c in word if c.isalpha()}
    if len(scripts) > 1:
        return True  # no real word mixes Cyrillic and Greek
    if _foreign_nearby(text, where.start, where.end, scripts):
        return False
    greek_letter = len(latin) == 1 and scripts == {"GREEK"} and word.islower()
    if greek_letter and word in habit and not _beside_hyphen_or_digit(text, where):
        greek_letter = False  # "ι.e." where the spinner writes ι for i
    if spun and not greek_letter:
        return True
    if len(latin) == 1:
        return latin in _ONE_LETTER_WORDS and not greek_letter
    return _english(latin, 2.0)


def _beside_hyphen_or_digit(text: str, where: Change) -> bool:
    """``α-synuclein``, ``β2``, ``5α``: how science writes a Greek letter."""
    around = text[max(0, where.start - 1) : where.start] + text[where.end : where.end + 1]
    return any(c == "-" or c.isdigit() for c in around)


def _foreign_nearby(text: str, start: int, end: int, scripts: set[str]) -> bool:
    """Whether a nearby word is really written in the word's script (``а вот``)."""
    window = text[max(0, start - _CONTEXT) : end + _CONTEXT]
    return any(c.isalpha() and c not in LOOKALIKES and _script(c) in scripts for c in window)


def _is_english_document(text: str, sample: int = 300) -> bool:
    """Whether most words, read in Latin letters, are English (judged on the first ones)."""
    words = [m.group() for _, m in zip(range(sample), _TOKEN.finditer(text), strict=False)]
    if not words:
        return False
    known = sum(is_english(w.translate(LATIN_READING)) for w in words)
    return known / len(words) >= 0.5


@lru_cache(maxsize=1 << 16)
def _note(word: str) -> str:
    pairs = sorted({f"{_script(c).title()} {c}→{LOOKALIKES[c]}" for c in word if c in LOOKALIKES})
    return ", ".join(pairs)


_script = cache(_script_of)
