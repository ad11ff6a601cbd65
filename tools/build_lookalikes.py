"""Regenerate ``pipeline/data/lookalikes.tsv`` from Unicode's data: NFKC and confusables.

Every character that is not ASCII but that Unicode says imitates one ASCII letter, digit or
punctuation mark gets a row: the character, what it can be read as (one or more ASCII
characters, most likely first), its kind, its code point and its name. Where it comes from:

- NFKC (Python's ``unicodedata``): mathematical alphanumerics (``𝐚 𝑥 𝚌``), full-width
  forms (``ｅ ２ ％``), letterlike symbols (``ℯ ℓ``), roman numerals (``ⅼ Ⅰ``) and small
  form variants (``﹐``); superscripts, subscripts, fractions and circled forms are not
  disguises and are left out.
- Unicode's confusables (``confusables.txt``, as shipped in the ``confusable-homoglyphs``
  package): letters of other scripts (Cyrillic ``о``, Greek ``Ν``, Armenian ``ո``, Cherokee
  ``Ꭵ``, Lisu ``ꓲ``, Coptic ``ⲥ``, Arabic ``ه`` and ``ا`` with their presentation forms
  ``ﻫ ﺍ``, Hebrew ``ס ו``...), Latin-extended and IPA letters (``ɑ ɡ ı ᴄ ꜱ``), digits of
  other scripts (``๐ ०``) and symbols (``× ⍳ ℮``) that imitate ASCII. The data writes
  right-to-left characters between direction marks (U+200E); they are taken off.

Kinds (what the cleaner may assume about the character):

``letter``   a letter of another script; inside a Latin word it is a disguise for certain.
``greek``    a Greek lower-case letter of science (``κB``, ``μg``, ``α-synuclein``), ``α`` to
             ``ω`` and the symbol forms ``ϑ ϕ ϖ ϵ``; ``ϲ`` and ``ϳ`` are plain ``letter``.
``compat``   a compatibility form of a Latin or Greek letter or digit (maths, full-width).
``latin``    a Latin-script letter (IPA, small capitals): real in some languages (``ı``).
``digit``    a digit of another script.
``symbol``   a symbol or mark shaped like a letter (``×``, ``⍳``, ``℮``).
``punct``    a punctuation mark or sign that imitates ASCII punctuation (``，`` ``٫`` ``％``).

The typographic marks English uses on purpose are never look-alikes: quotation marks,
dashes, the ellipsis, primes, middle dots and bullets.

It runs at development time, so nothing is fetched when leaflet runs. Run it with a Python
that has ``confusable-homoglyphs==3.3.1`` installed (for instance in a scratch virtual
environment): ``python tools/build_lookalikes.py``, then review the diff.
"""

from __future__ import annotations

import json
import string
import sys
import unicodedata
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "lookalikes.tsv"

ALNUM = frozenset(string.ascii_letters + string.digits)
PUNCT = frozenset(",.:;!?%-_")
# The data wraps right-to-left characters in direction marks (LRM, RLM, ALM) so that they
# display in order: Arabic ``ه``, Hebrew ``ס`` and ``ו`` are single letters all the same.
NO_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))
# Where Unicode's skeleton ignores case (it maps GREEK CAPITAL IOTA to "l" because both
# are one vertical stroke), an upper-case letter imitates the upper-case Latin letter.
CASE_OVERRIDES = {"\u0399": "I", "\u0406": "I", "\u04c0": "I", "\u0397": "H", "\u04cf": "il"}
# One vertical stroke: Unicode's table picks one reading, a spinner may mean the other.
STROKES = frozenset("lI")
# Decompositions that are disguises; <super>, <sub>, <fraction>, <circle>... are not.
FOLDING_TAGS = ("<font>", "<wide>", "<compat>", "<small>", "<narrow>")
# An Arabic letter's presentation forms (its shape alone, or at a word's start, middle or
# end): the letter itself, as a disguise (``ﮭ`` is ``ه``, so ``o``).
SHAPE_TAGS = ("<isolated>", "<initial>", "<medial>", "<final>")
# Typography English uses on purpose (general categories): quotes, dashes, and the
# connector punctuation; plus a few marks by name that Unicode files as "other".
KEPT_CATEGORIES = frozenset({"Pi", "Pf", "Pd", "Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
KEPT_MARKS = frozenset("…′″‴‵‶´`·•‧∙⋅˙ʹʺʻʼʽˈˊˋ")
# Punctuation of other scripts that the confusables data does not tie to ASCII, read by
# what its Unicode name says it is (ARABIC PERCENT SIGN, KATAKANA MIDDLE DOT ...).
DECIMAL_SEPARATOR = "DECIMAL SEPARATOR"
# A decimal separator is a full stop between digits whatever it looks like (``2٫5 mg`` is
# 2.5 mg, ``1٫000`` is 1.000, not a thousand), though Unicode lists ``٫`` as confusable
# with the comma alone: its name goes before its looks.
NAMED_PUNCTUATION = (
    (DECIMAL_SEPARATOR, ".,"),
    ("PERCENT SIGN", "%"),
    ("MIDDLE DOT", "."),
    ("SEMICOLON", ";"),
    ("COLON", ":"),
    ("COMMA", ","),
    ("FULL STOP", "."),
    ("QUESTION MARK", "?"),
    ("EXCLAMATION MARK", "!"),
)
# ... but not a mark of its own that says more than the ASCII one (‼, ⸮ irony, ⁏).
OWN_MARKS = frozenset({"DOUBLE", "REVERSED", "TURNED", "INVERTED", "QUESTION", "EXCLAMATION"})


def _confusables() -> dict[str, list[dict[str, str]]]:
    """Unicode's confusables, each character to those it can be confused with, without
    the direction marks around right-to-left ones (U+200E, ``ه``, U+200E)."""
    data = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    loaded: dict[str, list[dict[str, str]]] = json.loads(data.read_text("utf-8"))
    table: dict[str, list[dict[str, str]]] = {}
    for key, confusables in loaded.items():
        table.setdefault(key.translate(NO_BIDI_MARKS), []).extend(
            {**h, "c": h["c"].translate(NO_BIDI_MARKS)} for h in confusables
        )
    return table


def _folding(char: str) -> str | None:
    """The ASCII character NFKC folds ``char`` to, for the decompositions that disguise."""
    folded = unicodedata.normalize("NFKC", char)
    tag = unicodedata.decomposition(char).split(" ")[0]
    if folded != char and len(folded) == 1 and folded.isascii() and tag in FOLDING_TAGS:
        return folded
    return None


def _ascii_targets(char: str, table: dict[str, list[dict[str, str]]]) -> list[str]:
    """The single ASCII characters Unicode lists as confusable with ``char`` (or with what
    NFKC makes of it), upper/lower case as ``char`` is, ``l``/``I`` both kept."""
    folded = unicodedata.normalize("NFKC", char)
    keys = [char] + ([folded] if len(folded) == 1 and folded != char else [])
    found = [h["c"] for key in keys for h in table.get(key, []) if len(h["c"]) == 1]
    found = [c for c in found if c.isascii() and (c in ALNUM or c in PUNCT)]
    category = unicodedata.category(char)
    # A letter or digit never stands for a comma, nor a maths minus or an emoji for a hyphen.
    found = [
        c
        for c in found
        if c in ALNUM or (category[0] in "PS" and not (c == "-" and category in ("Sm", "So")))
    ]
    if char.isalpha() and char.lower() != char.upper():
        same = [c for c in found if not c.isalpha() or c.isupper() == char.isupper()]
        found = same + [c for c in found if c in STROKES] if same else found
    return found


def _named_punctuation(char: str) -> list[str]:
    name = unicodedata.name(char, "")
    for words, reading in NAMED_PUNCTUATION:
        if name.endswith(f" {words}") and OWN_MARKS.isdisjoint(name[: -len(words)].split()):
            return list(reading)
    return []


def _kind(char: str, readings: str) -> str:
    category = unicodedata.category(char)
    script = unicodedata.name(char, "").split(" ")[0]
    if readings[0] in PUNCT:
        return "punct"
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and category[0] in "LN" and _script(folded) in ("LATIN", "GREEK", ""):
        return "compat"
    if category == "Nd":
        return "digit"
    if not category.startswith("L"):
        return "symbol"
    if script == "LATIN":
        return "latin"
    science = 0x3B1 <= ord(char) <= 0x3C9 or "SYMBOL" in unicodedata.name(char, "")
    if script == "GREEK" and char.islower() and science:
        return "greek"  # α to ω and ϑ ϕ ϖ ϵ: the letters of science
    return "letter"


def _script(text: str) -> str:
    """The script of the first letter of ``text`` ('' if it has none: ASCII digits)."""
    letters = [c for c in text if c.isalpha()]
    return unicodedata.name(letters[0], "").split(" ")[0] if letters else ""


def readings(char: str, table: dict[str, list[dict[str, str]]]) -> str:
    """What ``char`` can stand for, most likely first ('' if it imitates no ASCII)."""
    if char.isascii() or unicodedata.category(char) in KEPT_CATEGORIES or char in KEPT_MARKS:
        return ""
    tag = unicodedata.decomposition(char).split(" ")[0]
    if tag.startswith("<") and tag not in FOLDING_TAGS + SHAPE_TAGS:
        return ""  # superscripts, subscripts, fractions, circled, squared forms
    folded = _folding(char) or ""
    if folded.isalpha():  # a maths or full-width letter is the letter NFKC says, but a
        return folded + ("".join(STROKES - {folded}) if folded in STROKES else "")  # stroke
    candidates = [*CASE_OVERRIDES.get(char, ""), folded]
    if unicodedata.name(char, "").endswith(DECIMAL_SEPARATOR):
        candidates += _named_punctuation(char)  # what it means before what it looks like
    candidates += _ascii_targets(char, table)
    if not any(candidates) and unicodedata.category(char).startswith("P"):
        candidates += _named_punctuation(char)
    ordered = dict.fromkeys(c for c in candidates if c)
    if STROKES & ordered.keys():
        ordered.update(dict.fromkeys(sorted(STROKES, reverse=char.isupper())))
    return "".join(ordered)


def build() -> dict[str, str]:
    table = _confusables()
    rows = {}
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or unicodedata.category(char) in ("Cn", "Co"):
            continue
        found = readings(char, table)
        if found:
            rows[char] = found
    return rows


def main() -> None:
    rows = build()
    lines = ["# char\treadings\tkind\tcodepoint\tname  (generated by tools/build_lookalikes.py)"]
    for char, found in sorted(rows.items()):
        name = unicodedata.name(char, "")
        lines.append(f"{char}\t{found}\t{_kind(char, found)}\tU+{ord(char):04X}\t{name}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} look-alikes to {OUT}")


if __name__ == "__main__":
    main()
