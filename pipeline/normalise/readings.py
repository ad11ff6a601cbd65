"""How a word with look-alike characters reads in Latin letters, and how sure that is.

A word here is a run of letters, digits, marks and letter-like look-alikes (``×``, ``℮``,
``𝟙`` too), joined by apostrophes. :func:`reading` works out, once per distinct word, its
:data:`Reading`: what kind of disguise it is and the Latin text it stands for. Where a
character can be read several ways (a vertical stroke is ``l``, ``I`` or ``1``; ``О`` is
``O`` or ``0``), the reading that makes the commonest English word wins, and in a number
the digits do.

>>> reading("cеlеbratеd"), reading("𝝗ℯу𝜊𝖓𝓭")[0]
(('mixed-script', 'celebrated'), 'whole-word')
>>> reading("1О")[1], reading("ⅠU")[1], reading("Москва")[0]
('10', 'IU', 'foreign')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product

from pipeline.chardata import (
    APOSTROPHES,
    LETTERLIKE,
    LOOKALIKES,
    SUBSCRIPT_DIGITS,
    SUPERSCRIPT_DIGITS,
    script,
)
from pipeline.normalise.words import zipf

_MARKS = r"\u0300-\u036f\u0483-\u0489"
# The look-alikes that are no letter, digit or mark (``×``, ``℮``, ``＋``...): a short
# class, quick to test; a piece of a word is taken a run of each kind at a time.
_OTHER_LOOKS = "".join(sorted(c for c in LETTERLIKE if not re.match(rf"[^\W_]|[{_MARKS}]", c)))
_PIECE = rf"(?:[^\W_]+|[{_MARKS}{re.escape(_OTHER_LOOKS)}]+)+"
TOKEN = re.compile(rf"{_PIECE}(?:['’]{_PIECE})*")
"""A word that may hold look-alikes (the standard library's ``re``: faster here)."""

CERTAIN = frozenset({"letter", "compat"})
"""Kinds that are a disguise for certain inside a Latin word."""
_DIGIT_READING = {"O": "0", "o": "0", "l": "1", "I": "1"}
_MAX_CHOICES = 4  # ambiguous places tried in every combination
_LETTERS = {char: found.readings for char, found in LOOKALIKES.items() if found.kind != "punct"}
# Each look-alike's first reading; the letters of Latin text, and the apostrophe ’ of
# its words, map to themselves (``str.translate`` is slow on a character its table
# lacks; the result is the same).
_FIRST_READING: dict[int, int | str] = {
    **{code: code for code in range(0x250)},
    ord("’"): ord("’"),
    **{ord(char): readings[0] for char, readings in _LETTERS.items()},
}
_AMBIGUOUS = frozenset(char for char, readings in _LETTERS.items() if len(readings) > 1)


Reading = tuple[str, str]
"""A word's ``(kind, latin)``: its Latin reading, and its kind: ``none`` (no look-alike),
``foreign`` (a letter no Latin one imitates: real text), ``mixed-script`` (a certain
disguise beside Latin letters), ``greek`` (Greek lower-case look-alikes beside Latin
letters or digits: science or spun), ``uncertain`` (Latin-extended letters, symbols or digits
beside Latin letters), ``whole-word`` (no Latin letter at all) or ``number`` (digits with
look-alikes of digits). A plain tuple, which the garbage collector stops following once
it has seen it: the memo of readings holds tens of thousands."""


@lru_cache(maxsize=1 << 16)
def reading(word: str) -> Reading:
    """The word's kind of disguise and its Latin reading (see :data:`Reading`)."""
    if _SCRIPT_L in word and _LITRES_OR_NORM.fullmatch(word):
        return ("foreign", word)  # 5 mℓ, the ℓ1 norm: how science writes them
    kinds = set(map(_KIND_OF.__getitem__, word))
    if "foreign" in kinds or (len(word) > 1 and kinds == {"digit"}):
        return ("foreign", word)  # or a number in another script's digits: ١٥ is 15
    exponent = _EXPONENT in kinds
    if exponent and not kinds <= _READ_BESIDE_EXPONENTS:
        return ("foreign", word)  # maths (𝑚𝑐²), IPA tones (ɑ⁵⁵), chemistry (2О₃), Greek (σ²)
    looks = kinds & _LOOK_KINDS
    if not looks:
        return ("none", word)
    if _is_number(word):
        return ("number", number_reading(word) or word)
    latin = unicodedata.normalize("NFC", _best_reading(word))
    if exponent and _has_digit(latin):
        return ("foreign", word)  # a number's look-alikes before an exponent (ЗО²): kept
    if kinds.isdisjoint(_LATIN_KINDS):
        if looks == {"greek"} and _has_digit(word):
            return ("greek", latin)  # α1, 5α: science's, unless the spinner's (ν3 for v3)
        if looks == {"symbol"} and _has_digit(word) and _MULTIPLY in word:
            return ("foreign", word)  # ×2 daily, 10×: a multiplication
        return ("whole-word", latin)
    if looks & CERTAIN:
        return ("mixed-script", latin)
    return ("greek" if looks == {"greek"} else "uncertain", latin)


_LOOK_KINDS = frozenset({"letter", "greek", "compat", "latin", "digit", "symbol"})
# A superscript or subscript digit (an exponent, an index, a footnote's number) is read
# as itself beside another script's letters that imitate Latin ones, with Latin letters
# or none (``х²``, ``Н₂О``, ``wоrd¹``: a spinner's letters before a real exponent);
# beside anything else it leaves the word as it is: maths letters (``𝑚𝑐²``, ``ℓ²``), IPA
# (``ɑ⁵⁵``), Greek letters of science (``σ²``), digits (``2О₃``, ``ЗО²``).
_EXPONENT = "exponent"
_EXPONENTS = frozenset(SUPERSCRIPT_DIGITS + SUBSCRIPT_DIGITS)
_READ_BESIDE_EXPONENTS = frozenset({_EXPONENT, "letter", "ascii-letter"})
_NO_EXPONENTS = dict.fromkeys(map(ord, _EXPONENTS))


def without_exponents(text: str) -> str:
    """``text`` without its superscript and subscript digits: the letters a reading of a
    word is weighed by (``hello²`` is the word ``hello``; ``x²`` is one letter).

    >>> without_exponents("Н₂О²")
    'НО'
    """
    return text.translate(_NO_EXPONENTS)


_has_digit = re.compile("[0-9]").search  # an ASCII digit
_SCRIPT_L = "ℓ"
# ℓ, a litre or a norm, as science and some labels write them: a unit, perhaps after its
# number (``5 mℓ``, ``2ℓ``, ``250mℓ``, ``90 fℓ``, ``Mℓ``, the ℓ alone), a norm or index
# (``ℓ1``, ``ℓ2``, ``ℓp``, ``ℓmax``). Elsewhere in a word it is a spinner's l (``heℓp``).
_LITRES_OR_NORM = re.compile(
    rf"[0-9]*(?:[mcdkhnpfµμMG]|da)?{_SCRIPT_L}|{_SCRIPT_L}(?:[0-9]+|[pq]|max|min)"
)
_MULTIPLY = "×"  # beside a digit, a multiplication (``×2`` daily), not a spun x
_LATIN_KINDS = frozenset({"ascii-letter", "latin-letter"})


class _Kinds(dict[str, str]):
    """What each character is to a word's reading, worked out once for each character
    (a dict's own lookup: a word is read a character at a time)."""

    def __missing__(self, char: str) -> str:
        if len(self) >= _MAX_KINDS:  # a hostile text of endless distinct characters
            self.clear()
        self[char] = kind = _kind_of(char)
        return kind


_MAX_KINDS = 1 << 12
_KIND_OF = _Kinds()


def _kind_of(char: str) -> str:
    """What one character is to a word's reading."""
    if char.isascii():
        return "ascii-letter" if char.isalpha() else "ascii"
    found = LOOKALIKES.get(char)
    if found is not None and found.kind != "punct":
        return found.kind
    if char in _EXPONENTS:
        return _EXPONENT
    if unicodedata.combining(char):
        return "mark"
    if char in APOSTROPHES:
        return "ascii"
    if char.isalpha() and script(char) == "LATIN":
        return "latin-letter"
    return "foreign"


def _is_number(word: str) -> bool:
    """Digits, with look-alikes that can all be read as digits (``1О``, ``２０``); not one
    digit of another script that looks like a letter (``٥``, a 5, imitates o, not 0)."""
    if word.isalpha() or (len(word) == 1 and not any(map(str.isdigit, choices(word)))):
        return False  # letters alone (the usual word) hold no digit
    return any(map(str.isdigit, word)) and number_reading(word) is not None


def number_reading(word: str) -> str | None:
    """The digits a word of digits and digit look-alikes stands for, or ``None``; never
    a word with an exponent or index (``О²`` is no 02: its digits are not the number's).

    >>> number_reading("ООО"), number_reading("1О"), number_reading("๐𝙛"), number_reading("О²")
    ('000', '10', None, None)
    """
    if not _EXPONENTS.isdisjoint(word):
        return None
    digits = []
    for char in word:  # a look-alike is read by its looks (Bengali ৭ imitates 9), not value
        value = unicodedata.digit(char, None)
        found = _first_digit(char) or (str(value) if value is not None else "")
        if not found:
            return None
        digits.append(found)
    return "".join(digits)


def _first_digit(char: str) -> str:
    found = LOOKALIKES.get(char)
    if found is None:
        return ""
    for option in found.readings:
        if option.isdigit():
            return option
        if option in _DIGIT_READING:
            return _DIGIT_READING[option]
    return ""


def choices(char: str) -> str:
    """What one character can be read as: itself if it is no look-alike."""
    return _LETTERS.get(char, char)


def first_reading(word: str) -> str:
    """The word with each look-alike read as its first reading (Unicode's).

    >>> first_reading("сеll")
    'cell'
    """
    return word.translate(_FIRST_READING)


def _best_reading(word: str) -> str:
    """The word in Latin letters; where a character has several readings, the best:
    letters of one case (``IU``, ``acetyl``, not ``lU``, ``acetyI``), then capitals among
    capitals (``AI``, not ``Al``), then an English word (``levels``, not ``Ievels``), then
    maths and full-width letters read as NFKC says (``𝚕𝚗`` is ``ln``, not ``In``), then
    the commonest word (``heӏӏo`` is ``hello``); on a tie, Unicode's first reading.

    >>> _best_reading("heӏӏo"), _best_reading("ӏt"), _best_reading("dul𝟙")
    ('hello', 'it', 'dull')
    >>> _best_reading("І’m"), _best_reading("АІ"), _best_reading("Іt’s")
    ('I’m', 'AI', 'It’s')
    """
    first = first_reading(word)
    if len(word) == 1 or _AMBIGUOUS.isdisjoint(word):  # one letter alone: Unicode's (ℓ is l)
        return first
    options = list(map(choices, word))
    places = [i for i, found in enumerate(options) if len(found) > 1][:_MAX_CHOICES]
    exact = [i for i in places if LOOKALIKES[word[i]].kind == "compat"]
    sure = [c for i, c in enumerate(first) if i not in places and c.isalpha()]
    # a capital look-alike among capitals (``АІ``) is a capital (``ӏ``, small, may be l)
    capitals = bool(sure) and all(c.isupper() for c in (*sure, *(word[i] for i in places)))
    weighed = without_exponents if not _EXPONENTS.isdisjoint(word) else str  # hеӏӏо² as hello
    best, best_key = first, (-1, False, False, -1, -1.0)
    for letters in product(*(options[i] for i in places)):
        chars = list(first)
        for i, letter in zip(places, letters, strict=True):
            chars[i] = letter
        reading = "".join(chars)
        as_nfkc = sum(reading[i] == options[i][0] for i in exact)
        plain = weighed(reading)
        frequency = zipf(plain.replace("’", "'"))
        key = (
            _consistent(plain),
            capitals and plain.isupper(),
            frequency >= 1.0,
            as_nfkc,
            frequency,
        )
        if key > best_key:
            best, best_key = reading, key
    return best


def _consistent(text: str) -> int:
    """1 for letters of one case (or a capital then small letters, an apostrophe between
    them or not: ``I’m``, ``It’s``) and no digit among letters; else 0."""
    if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
        return 0
    letters = "".join(filter(str.isalpha, text))
    return int(letters.isupper() or letters.islower() or letters.istitle())
