"""Round trips through real public attack tools: clean the disguised text, get the author's back.

``tests/data/attacks/`` holds clean texts disguised by SilverSpeak (greedy and random),
TextAttack's homoglyph swap, StegCloak, GPTZero-Bypasser and Zero-ZeroGPT, each run from
its own code (``tools/build_attacks.py``; ``manifest.json`` says how each file was made).
Cleaning must give the source back exactly, except where a tool made a swap that cannot
be undone from the text alone: every difference left must be one of :data:`KNOWN`, each
with the reason. The suite checks a sample of the texts; ``make attacks`` checks them all.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from pipeline import clean
from pipeline.chardata import LOOKALIKES
from tools.build_lookalikes import KEPT_MARKS, PUNCT

DATA = Path(__file__).parent / "data"
ATTACKS = DATA / "attacks"
ROOT = Path(__file__).parent.parent
MANIFEST = json.loads((ATTACKS / "manifest.json").read_text("utf-8"))
SAMPLE = {
    "01-aspirin-beyond-pain-relief.txt",
    "05-lidocaine-more-than-numbing.txt",
    "gpl-3-preamble.txt",
    "gzip-readme.txt",
    "license-BSD.txt",
    "pypi-click-description.txt",
}
EVERYTHING = os.environ.get("LEAFLET_ALL_ATTACKS") == "1"


def _unicode_says(original: str, left: str) -> bool:
    """Whether Unicode's data (NFKC, confusables) ties ``left`` to ``original`` at all."""
    found = LOOKALIKES.get(left)
    return unicodedata.normalize("NFKC", left) == original or (
        found is not None and original in found.readings
    )


@dataclass(frozen=True)
class Known:
    """A kind of swap the text alone cannot undo, and why."""

    name: str
    why: str
    matches: Callable[[str, str, str], bool]


def _each(test: Callable[[str, str], bool]) -> Callable[[str, str, str], bool]:
    """A segment pair matches when it is one or more single-character swaps that do."""
    return lambda a, b, _word: (
        len(a) == len(b) > 0 and all(test(x, y) for x, y in zip(a, b, strict=True))
    )


def _tool_only(original: str, left: str) -> bool:
    """A visible character outside ASCII that the look-alike table does not read as
    ``original``."""
    return not left.isascii() and not left.isspace() and not _unicode_says(original, left)


def _foreign(char: str) -> bool:
    """A character the look-alike table does not hold, and no Latin letter: CJK 讠, Hangul ㆍ."""
    return (
        not char.isascii()
        and char not in LOOKALIKES
        and not (char.isalpha() and unicodedata.name(char, "").startswith("LATIN"))
    )


def _mark(char: str) -> bool:
    """An ASCII mark: punctuation or a symbol, not a letter, digit or space."""
    return char.isascii() and not char.isalnum() and not char.isspace()


def _typographic(char: str) -> bool:
    """A mark English uses on purpose, which the look-alike table leaves out: quotation
    marks, dashes, primes, accents, middle dots (as ``tools/build_lookalikes.py`` says)."""
    return unicodedata.category(char) in ("Pi", "Pf", "Pd") or char in KEPT_MARKS


def _kept_mark(original: str, left: str) -> bool:
    """A symbol or another script's mark for an ASCII mark the table restores from no
    look-alike (a slash, bracket, quote...), or a minus sign or emoji for a hyphen."""
    category = unicodedata.category(left)
    kept = original not in PUNCT or (original == "-" and category in ("Sm", "So"))
    return _mark(original) and not left.isascii() and category[0] in "PS" and kept


SPACES = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
SPACES += "\u2028\u2029\u202f\u205f\u3000"

KNOWN: tuple[Known, ...] = (
    Known(
        "joiner-or-selector-beside-emoji",
        "a zero-width joiner a tool put between two emoji, or an emoji's variation selector "
        "beside one: that is how emoji sequences are written",
        lambda a, b, _word: {a, b} <= {"", "\u200d", "\ufe0f"},
    ),
    Known(
        "typographic-mark",
        "a comma, full stop, hyphen, underscore or quote swapped for a mark English uses on "
        "purpose (’ the apostrophe, ‘ ‛ quotes, · the middle dot, ‧ the hyphenation point, "
        "‐ ‑ ‒ – — dashes, ´ ˋ ′ accents and primes): the look-alike table leaves these out, "
        "since undoing them would change real typography",
        _each(lambda a, b: a in ",.-_'`\"" and _typographic(b)),
    ),
    Known(
        "letter-or-digit-for-a-mark",
        "a mark swapped for a letter, digit or sign that looks like it (Arabic zeros ٠ ۰ for ., "
        "Lisu tone letters ꓹ ꓸ for , and ., Hangul ㆍ for ., Coptic Ⲻ for -, Katakana ノ for /, "
        "Hebrew י for ', ː for :, ǃ for !): the cleaner never reads a letter or digit as "
        "punctuation, since in its own script's text it is that letter or digit",
        _each(lambda a, b: _mark(a) and not b.isascii() and unicodedata.category(b)[0] in "LNM"),
    ),
    Known(
        "mark-the-cleaner-keeps",
        "a slash, asterisk, bracket, quote or operator swapped for a look-alike (⧸ ∗ 〔 › ᾽ "
        "׳), or a hyphen for a minus sign or an emoji (− ➖): the cleaner restores only the "
        "look-alikes of , . : ; ! ? % - _, since these symbols are real maths, box drawing or "
        "another script's typography",
        _each(_kept_mark),
    ),
    Known(
        "not-ascii-in-the-source",
        "a character of the source outside ASCII (ö, л, │, •, ─, 体) swapped for a look-alike: "
        "the cleaner brings back ASCII letters, digits and marks only",
        _each(lambda a, b: not a.isascii() and a != b),
    ),
    Known(
        "newer-than-this-pythons-unicode",
        "a character Unicode added after the version this Python knows "
        f"({unicodedata.unidata_version}): Unicode 16's outlined letters and digits (U+1CCD6 to "
        "U+1CCF9) for A to Z and 0 to 9",
        _each(lambda _a, b: unicodedata.category(b) == "Cn"),
    ),
    Known(
        "chinese-or-japanese-form",
        "a full-width, half-width or small form of a letter or mark (！ ﹏ ％ ｍ), or a Chinese "
        "or Japanese character (・ 〇), in a line that does not read as English or in a "
        "document that also holds Chinese or Japanese text: that is how those languages write",
        _each(lambda a, b: _unicode_says(a, b) and unicodedata.east_asian_width(b) in "WFH"),
    ),
    Known(
        "space-count",
        "a space beside a digit or a symbol, at the edge of a line, or in a run whose length "
        "the tool changed, swapped for an odd one: how many spaces, and whether a no-break "
        "space was typography, cannot be told",
        lambda a, b, _word: a != "" and set(a) <= set(SPACES) and set(b) <= set(SPACES),
    ),
    Known(
        "not-in-unicode-data",
        "the tool's own visual table, not Unicode's confusables or NFKC, ties the character to "
        "the letter or mark (SilverSpeak's 讠 for i, 。 and ° for o, ─ for _, 丨 for |): "
        "Unicode ties it to something else or to nothing, so undoing it would need the tool's "
        "table",
        _each(lambda a, b: _tool_only(a, b) and not unicodedata.decomposition(b)),
    ),
    Known(
        "word-with-a-foreign-character",
        "a word the tool also wrote with a character the look-alike table does not hold "
        "(讠 in 𝐟讠г𝔰𝘁 for first) reads as a word of another script, so its other swaps are "
        "left with it",
        lambda a, b, word: any(map(_foreign, word)),
    ),
    Known(
        "science-greek-or-another-languages-letter",
        "a Greek lower-case letter (α ι υ ρ ν), or a Latin letter of another language (ı), in "
        "a word that does not read as English: science and other languages write them so",
        _each(
            lambda a, b: (
                a.isascii() and (b in "ıɩ" or unicodedata.name(b, "").startswith("GREEK SMALL"))
            )
        ),
    ),
    Known(
        "ascii-for-ascii",
        "an ASCII character where the source had another: the tool swapped it for an ASCII one "
        "that leaves a real word, a name, a code or a lone letter (l and I, 1 and l, g and 9, O "
        "and 0), or for a look-alike that Unicode reads as another ASCII character than the "
        "tool meant (a vertical stroke Ｉ 𝐼 ∣ ן for l, I or |; ſ, NFKC's s, for f; 。 and ꓿, "
        "full stops, for o and =; ［ ］ for ( )): the cleaner follows Unicode",
        _each(lambda a, b: b.isascii() and a != b and not a.isspace()),
    ),
    Known(
        "comma-as-apostrophe-after-in",
        "a comma written as ’ after a word ending in -in (Aspirin’): it reads as the "
        "spinner's -in’ and is restored to -ing",
        lambda a, b, _word: (a, b) in {(",", "g"), ("’", "g"), ("", "g"), (",", "g’")},
    ),
)


def _differences(original: str, cleaned: str) -> Iterator[tuple[str, str, str]]:
    """The segments where ``cleaned`` differs from ``original``, line by line, each with
    the word of the cleaned text it stands in."""
    old_lines, new_lines = original.split("\n"), cleaned.split("\n")
    same_shape = len(old_lines) == len(new_lines)
    pairs = zip(old_lines, new_lines, strict=True) if same_shape else [(original, cleaned)]
    for old, new in pairs:
        if old == new:
            continue
        if len(old) == len(new):  # swaps one for one: compare place by place
            spans = [
                (i, i + 1, i, i + 1)
                for i, (a, b) in enumerate(zip(old, new, strict=True))
                if a != b
            ]
        else:
            matcher = SequenceMatcher(None, old, new, autojunk=False)
            spans = [
                (i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
            ]
        for i1, i2, j1, j2 in spans:
            start = new.rfind(" ", 0, j1) + 1
            end = new.find(" ", j2)
            yield old[i1:i2], new[j1:j2], new[start : end if end >= 0 else len(new)]


def _why(original: str, left: str, word: str = "") -> str | None:
    return next((k.name for k in KNOWN if k.matches(original, left, word)), None)


RECORDS = [r for r in MANIFEST["files"] if EVERYTHING or Path(r["file"]).name in SAMPLE]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["file"])
def test_cleaning_undoes_the_attack(record: dict[str, str]) -> None:
    source = (ROOT / record["source"]).read_text("utf-8")
    attacked = (ATTACKS / record["file"]).read_text("utf-8")
    cleaned = clean(attacked).text
    differences = _differences(source, cleaned)
    unexplained = [(a, b) for a, b, word in differences if _why(a, b, word) is None]
    assert unexplained == []


@pytest.mark.parametrize("tool", ["stegcloak", "zero-zerogpt"])
def test_hidden_messages_and_space_patterns_come_out_exactly(tool: str) -> None:
    """StegCloak's message is removed and the cover comes back; so does the text under
    Zero-ZeroGPT's spacing, wherever its spaces are single."""
    for record in (r for r in MANIFEST["files"] if r["tool"] == tool):
        if Path(record["file"]).name in SAMPLE:
            source = (ROOT / record["source"]).read_text("utf-8")
            attacked = (ATTACKS / record["file"]).read_text("utf-8")
            assert clean(attacked).text == source


def test_manifest_records_how_every_file_was_made() -> None:
    tools = {r["tool"] for r in MANIFEST["files"]}
    assert tools == {
        "silverspeak-greedy", "silverspeak-random", "textattack", "stegcloak",
        "gptzero-bypasser", "zero-zerogpt",
    }  # fmt: skip
    for record in MANIFEST["files"]:
        assert {"version", "settings", "seed", "source", "source_sha256"} <= set(record)
        assert (ATTACKS / record["file"]).exists()
    english_texts = {r["source"] for r in MANIFEST["files"]} - {
        r["source"] for r in MANIFEST["files"] if "/dev/" in r["source"]
    }
    assert len(english_texts) >= 20


@pytest.mark.parametrize(
    ("original", "left", "known"),
    [
        ("o", "。", "not-in-unicode-data"),
        ("i", "讠", "not-in-unicode-data"),
        ("l", "I", "ascii-for-ascii"),
        (",", "’", "typographic-mark"),
        ("-", "–", "typographic-mark"),
        (" ", "\u2002", "space-count"),
        (".", "٠", "letter-or-digit-for-a-mark"),  # Arabic zero: Unicode ties it to .
        ("'", "י", "letter-or-digit-for-a-mark"),  # Hebrew yod
        ("/", "⧸", "mark-the-cleaner-keeps"),
        ("'", "׳", "mark-the-cleaner-keeps"),  # Hebrew geresh
        ("-", "−", "mark-the-cleaner-keeps"),
        ("ö", "ة", "not-ascii-in-the-source"),
        ("l", "\U0001ccf1", "newer-than-this-pythons-unicode"),
        ("!", "！", "chinese-or-japanese-form"),
        ("o", "о", None),  # Cyrillic о is Unicode's own look-alike: never excused
        ("e", "𝓮", None),
        ("", "\u200b", None),  # a zero-width space left behind is never excused
        # Arabic and Hebrew letters Unicode ties to Latin ones (in its data between direction
        # marks): the cleaner repairs them, so they are never excused
        ("o", "ه", None),
        ("o", "ﮧ", None),  # a presentation form of ہ
        ("o", "𞸤", None),
        ("o", "ס", None),
        ("l", "ו", None),
        ("l", "ا", None),
        ("v", "ט", None),
        (",", "؍", None),  # Arabic date separator
        ("-", "۔", None),  # Urdu full stop: Unicode ties it to the hyphen
    ],
)
def test_known_swaps_excuse_only_what_unicode_cannot_undo(
    original: str, left: str, known: str | None
) -> None:
    assert _why(original, left) == known
