"""Character tables for cleaning, built once at import from files in ``pipeline/data/``.

Like ftfy's ``chardata``: the data is generated from Unicode's own data by a tool
(``tools/build_lookalikes.py``) and read here by small ``_build_*`` functions, so no stage
keeps a hand list of characters.

``LOOKALIKES`` maps each character that imitates ASCII to a :class:`Lookalike`: what it can
be read as (most likely first) and its kind (see the tool's docstring): ``letter``,
``greek``, ``compat``, ``latin``, ``digit``, ``symbol`` or ``punct``.

>>> LOOKALIKES["о"], LOOKALIKES["𝚌"].kind, LOOKALIKES["Ⅰ"].readings
(Lookalike(readings='o', kind='letter'), 'compat', 'Il')
>>> "сеll".translate(LATIN_READING)
'cell'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

import regex


@dataclass(frozen=True, slots=True)
class Lookalike:
    """What a look-alike character can stand for, most likely first, and its kind."""

    readings: str
    kind: str


def _build_lookalikes() -> dict[str, Lookalike]:
    text = resources.files("pipeline").joinpath("data/lookalikes.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
    return {row[0]: Lookalike(row[1], row[2]) for row in rows if len(row) >= 3}


def _build_reading(table: dict[str, Lookalike]) -> dict[int, str]:
    """For ``str.translate``: every letter-like look-alike to its first reading."""
    return {ord(c): found.readings[0] for c, found in table.items() if found.kind != "punct"}


LOOKALIKES: dict[str, Lookalike] = _build_lookalikes()
LATIN_READING: dict[int, str] = _build_reading(LOOKALIKES)
LETTERLIKE = frozenset(c for c, found in LOOKALIKES.items() if found.kind != "punct")
PUNCTUATION = {c: found.readings for c, found in LOOKALIKES.items() if found.kind == "punct"}

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
"""An exponent's or a footnote's digits (``x²``, ``word¹``)."""
SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"
"""An index's digits: a formula's (``H₂O``, ``Fe₂O₃``) or a maths sequence's (``x₁``)."""

APOSTROPHES = "’'‘`´ʼ′"
"""Every mark a spinner (or a keyboard) puts for an apostrophe."""

# Invisible characters: Unicode's Default_Ignorable_Code_Point (zero-width characters,
# joiners, soft hyphen, invisible operators, bidi controls, variation selectors, tags...).
INVISIBLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
JOINERS = "\u200c\u200d"
FILLERS = "\u3164\uffa0"
"""Hangul fillers: invisible by Unicode's properties, yet shown as a blank a letter wide
(a spinner's, or a social network's, space)."""
VARIATION_SELECTOR = regex.compile(r"\p{Variation_Selector}")
TAG = regex.compile(r"[\U000E0020-\U000E007F]")
EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]")
# Letters and marks of scripts that use joiners and other invisible characters in words
# (Arabic, Persian, Indic scripts, Thai...): not Latin, Greek, Cyrillic or shared ones.
COMPLEX_SCRIPT = regex.compile(
    r"[\p{L}\p{M}--[\p{Latin}\p{Greek}\p{Cyrillic}\p{Common}\p{Inherited}]]", regex.V1
)
# Space separators other than the ASCII space, and the line and paragraph separators.
ODD_SPACE = regex.compile(r"[\p{Zs}\u2028\u2029--\x20]", regex.V1)
# Narrow spaces that typography puts in numbers (10 000) and before units or French marks.
NARROW_SPACES = "\u202f\u2009\u2007\u00a0"


_ASCII = bytes(range(0x80))


def non_ascii(text: str) -> str:
    """The characters of ``text`` that are not ASCII, in order. Every character a stage
    reacts to is one of them, and in English text they are few: a stage looks for its
    trigger characters here, after one quick pass in C, and returns at once without them.

    >>> non_ascii("a café, 5\u00a0mg"), non_ascii("plain")
    ('é\xa0', '')
    """
    if text.isascii():
        return ""
    # In UTF-8 no byte of a character outside ASCII is an ASCII byte: deleting those
    # leaves the others' bytes, in order (lone surrogates pass through as they are).
    others = text.encode("utf-8", "surrogatepass").translate(None, _ASCII)
    return others.decode("utf-8", "surrogatepass")


CJK_LETTERS = r"\p{Han}\p{Hiragana}\p{Katakana}"
"""The letters of Chinese and Japanese writing, as the inside of a class of ``regex``. A
spinner puts one of them alone in a word; their own writing has :data:`CJK_TOGETHER` or
more together."""
CJK_TOGETHER = 2


def translation(readings: Mapping[int, str]) -> dict[int, int | str]:
    """A table for ``str.translate`` that reads each character of ``readings`` as it says
    and maps the letters and punctuation of Latin text to themselves: the result is the
    same as with ``readings`` alone, but ``str.translate`` is slow on every character its
    table lacks, and these are most of a text.

    >>> "Тhe ‘café’".translate(translation(LATIN_READING))
    'The ‘café’'
    """
    latin = {code: code for code in (*range(0x250), *range(0x2000, 0x2070))}
    return {**latin, **readings}


FEW = 32
"""Characters a class of ``re`` may list and still read a text quickly: past them, and
above all outside the Basic Multilingual Plane, it tests each in turn at every place."""


def few_of(chars: Collection[str]) -> str | None:
    """The inside of a class of ``re`` for ``chars`` (sorted, escaped), or ``None`` when
    they are too many for one (:data:`FEW`).

    >>> few_of("bca"), few_of([chr(c) for c in range(100)])
    ('abc', None)
    """
    if len(chars) > FEW:
        return None
    return "".join(map(re.escape, sorted(chars)))


def positions(chars: Collection[str], text: str) -> list[int]:
    """Where any of ``chars`` stands in ``text``, in order: one scan in C with a class of
    them if they are few, else one pass over the text (linear either way).

    >>> positions("ab", "cabbage"), positions([chr(c) for c in range(200, 300)], "xĀyÈ")
    ([1, 2, 3, 4], [1, 3])
    """
    inside = few_of(chars) if chars else ""
    if not inside:
        found = frozenset(chars)
        return [index for index, char in enumerate(text) if char in found] if found else []
    return [match.start() for match in re.finditer(f"[{inside}]", text)]


def any_of(chars: Iterable[str]) -> re.Pattern[str]:
    """A pattern for any one of ``chars``: a search for one of them in a text is one scan
    in C (testing each character of the text against a set in Python is several times
    slower).

    >>> any_of("ab").search("xyzb").group()
    'b'
    """
    return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]")


def script(char: str) -> str:
    """The first word of the character's Unicode name: its script, for letters.

    >>> script("е"), script("e"), script("α")
    ('CYRILLIC', 'LATIN', 'GREEK')
    """
    return unicodedata.name(char, "").split(" ")[0]
