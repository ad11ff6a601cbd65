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


def _only(originals: str, lefts: str) -> Callable[[str, str, str], bool]:
    """A pair made only of these characters on each side (either side may be empty: the
    diff may split one swap into a deletion and an insertion)."""
    return lambda a, b, _word: (a or b) != "" and set(a) <= set(originals) and set(b) <= set(lefts)


def _foreign(char: str) -> bool:
    """A character no Unicode data ties to ASCII, and no Latin letter: Arabic ﮦ, CJK 讠."""
    return (
        not char.isascii()
        and char not in LOOKALIKES
        and not (char.isalpha() and unicodedata.name(char, "").startswith("LATIN"))
    )


SPACES = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
SPACES += "\u2028\u2029\u202f\u205f\u3000"
DASHES = "-‐‑‒–—―−﹘﹣－➖Ⲻ⁃˗ˉ"
QUOTES = "`'‘’‛′‵ˋˊ´＇｀"

KNOWN: tuple[Known, ...] = (
    Known(
        "typographic-mark",
        "a comma, full stop, hyphen or quote swapped for a mark English uses on purpose (’ the "
        "apostrophe, · the middle dot, ‧ the hyphenation point, ‐ – — − dashes, ` quotes): "
        "undoing it would change real typography",
        lambda a, b, w: (
            _each(lambda x, y: x in ",.'`-" and unicodedata.category(y)[0] in "PS")(a, b, w)
            or _only(DASHES, DASHES)(a, b, w)
            or _only(QUOTES, QUOTES)(a, b, w)
        ),
    ),
    Known(
        "not-in-unicode-data",
        "the tool's own visual table, not Unicode's confusables or NFKC, ties the character to "
        "the letter (SilverSpeak's 。 for o, 讠 for i, ﮧ for o, 〔 for (): Unicode says it "
        "imitates something else, so undoing it would need the tool's table",
        _each(lambda a, b: not b.isascii() and not _unicode_says(a, b)),
    ),
    Known(
        "word-with-a-foreign-character",
        "a word the tool also wrote with a character outside Unicode's data (ﮦ𝐟 for of) reads "
        "as a word of another script, so its other look-alikes are left with it",
        lambda a, b, word: any(map(_foreign, word)),
    ),
    Known(
        "ascii-for-ascii",
        "a character swapped for an ASCII one that leaves a real word, a name, a code or a "
        "lone letter (l and I, 1 and l, g and 9, O and 0, | and l, ( and [, │ and |): ASCII "
        "text reads right either way, and is never read as something else",
        _each(lambda a, b: b.isascii() and a != b and not a.isspace()),
    ),
    Known(
        "space-count",
        "a space beside a digit or a symbol, at the edge of a line, or in a run whose length "
        "the tool changed, swapped for an odd one: how many spaces, and whether a no-break "
        "space was typography, cannot be told",
        lambda a, b, _word: a != "" and set(a) <= set(SPACES) and set(b) <= set(SPACES),
    ),
    Known(
        "joiner-or-selector-beside-emoji",
        "a zero-width joiner a tool put between two emoji, or an emoji's variation selector "
        "beside one: that is how emoji sequences are written",
        lambda a, b, _word: {a, b} <= {"", "\u200d", "\ufe0f"},
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
        "chinese-or-japanese-mark",
        "a full-width or small form of a mark (！ ﹏ ％) in a document that also holds Chinese or "
        "Japanese text, whose marks are the author's",
        _each(
            lambda a, b: (
                unicodedata.normalize("NFKC", b) == a and unicodedata.east_asian_width(b) in "WF"
            )
        ),
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
        ("l", "I", "ascii-for-ascii"),
        (",", "’", "typographic-mark"),
        (" ", "\u2002", "space-count"),
        ("o", "о", None),  # Cyrillic о is Unicode's own look-alike: never excused
        ("e", "𝓮", None),
        ("", "\u200b", None),  # a zero-width space left behind is never excused
    ],
)
def test_known_swaps_excuse_only_what_unicode_cannot_undo(
    original: str, left: str, known: str | None
) -> None:
    assert _why(original, left) == known
