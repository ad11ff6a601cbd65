"""A seeded simulator of the article spinner, for round-trip tests of the cleaner.

:func:`spin` damages clean text the way the spinner damaged the dev articles
(``tests/data/dev/spun/<profile>/``) and also returns what a perfect cleaner should give
back: the original, less the commas the spinner deleted outright (as in
``tests/data/dev/expected/<profile>/``).

The profiles and the spinner's habits, as measured on the dev articles:

``full``
    In running text (not the title, not headings): every ``and`` becomes ``an’``; about
    nineteen in twenty words ending in ``-ing`` become ``-in’``; of the commas followed by a
    space, about seven in ten become `` and`` (so ``, and`` becomes `` and an’``), a quarter
    are deleted and the rest stay. Then everywhere but the title, about nineteen in twenty
    ``e`` become Cyrillic ``е``.
``multi``
    Like ``full``, with about four in five ``-ing`` contracted, ASCII ``'`` in the
    contractions, and Cyrillic look-alikes for ``a c e i o p x y`` and ``A C E O P X``, each
    at its own rate.
``glyphs-only``
    Cyrillic and Greek look-alikes for about two in five of the letters that have one,
    title included; nothing else. Short words are sometimes wholly replaced (``а``, ``аѕ``).
``invisible``
    Everywhere, title included: about one word in seven gets one or two zero-width spaces,
    zero-width joiners or soft hyphens between its letters; about one lower-case letter in
    eighty becomes full-width; about one space in nine becomes a no-break space.

Lines are kept: the spinner works line by line and never joins or splits them. A token
(between spaces) with a letter outside ASCII is never touched: ``NF-κB``, ``β-blockers``,
``Löfgren`` and ``cliché`` come through every dev profile intact.

Not shown by the dev articles, so assumed here: a heading is a line of at most twelve
words that does not end in ``.``, ``!`` or ``?``; ``And`` becomes ``An’``; the ``and`` of
``and/or`` and an ``and`` before punctuation (``and (2)``, ``and “no”``) are contracted too;
commas after any character (``i.e.,``, ``40%,``) are treated alike; the look-alikes for
``B E H K O X Y Z J`` in ``glyphs-only`` are the usual Cyrillic and Greek ones.

>>> spun, expected = spin("A Title, and More\\n\\nWe went swimming, and then we ate.", "full", 3)
>>> print(spun)
A Title, and More
<BLANKLINE>
Wе wеnt swimmin’ and an’ thеn wе atе.
>>> print(expected)
A Title, and More
<BLANKLINE>
We went swimming, and then we ate.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# A Latin letter -> (the chance it is replaced, the look-alikes the spinner picks from).
GlyphTable = Mapping[str, tuple[float, str]]

_CYRILLIC_E: GlyphTable = {"e": (0.96, "е")}
_MULTI: GlyphTable = {
    "e": (0.95, "е"),
    "a": (0.64, "а"),
    "p": (0.61, "р"),
    "y": (0.52, "у"),
    "c": (0.48, "с"),
    "x": (0.40, "х"),
    "o": (0.36, "о"),
    "i": (0.27, "і"),
    "A": (0.60, "А"),
    "C": (0.60, "С"),
    "E": (0.60, "Е"),
    "O": (0.60, "О"),
    "P": (0.60, "Р"),
    "X": (0.60, "Х"),
}
# Cyrillic three times as often as Greek where both imitate a letter, as in the dev files.
_LOWER, _UPPER = 0.40, 0.45
_GLYPHS_ONLY: GlyphTable = {
    "a": (_LOWER, "а"),
    "c": (_LOWER, "с"),
    "d": (_LOWER, "ԁ"),
    "e": (_LOWER, "е"),
    "h": (_LOWER, "һ"),
    "i": (_LOWER, "іііι"),
    "j": (_LOWER, "ј"),
    "o": (_LOWER, "оооο"),
    "p": (_LOWER, "рррρ"),
    "q": (_LOWER, "ԛ"),
    "s": (_LOWER, "ѕ"),
    "u": (_LOWER, "υ"),
    "v": (_LOWER, "ν"),
    "w": (_LOWER, "ԝ"),
    "x": (_LOWER, "х"),
    "y": (_LOWER, "у"),
    "A": (_UPPER, "АААΑ"),
    "B": (_UPPER, "ВВВΒ"),
    "C": (_UPPER, "С"),
    "E": (_UPPER, "ЕЕЕΕ"),
    "H": (_UPPER, "НННΗ"),
    "I": (_UPPER, "ІІІΙ"),
    "J": (_UPPER, "Ј"),
    "K": (_UPPER, "КККΚ"),
    "M": (_UPPER, "МММΜ"),
    "N": (_UPPER, "Ν"),
    "O": (_UPPER, "ОООΟ"),
    "P": (_UPPER, "РРРΡ"),
    "S": (_UPPER, "Ѕ"),
    "T": (_UPPER, "ТТТΤ"),
    "X": (_UPPER, "ХХХΧ"),
    "Y": (_UPPER, "ҮҮҮΥ"),
    "Z": (_UPPER, "Ζ"),
}

# What becomes of a comma followed by a space in running text, and how often.
_COMMA_FATES = (" and ", " ", ", ")  # replaced by " and", deleted, kept
_COMMA_WEIGHTS = (0.70, 0.26, 0.04)

_INVISIBLES = "\u200b\u200d\u00ad"  # zero-width space, zero-width joiner, soft hyphen
_INVISIBLE_WORD_RATE = 0.14
_TWO_INVISIBLES_RATE = 0.2
_FULLWIDTH_RATE = 0.0125
_NBSP_RATE = 0.11
_FULLWIDTH_SHIFT = 0xFEE0  # "a" (U+0061) -> "ａ" (U+FF41)

_AND = re.compile(r"\b([Aa]n)d\b")
_ING = re.compile(r"\b([^\W\d_]{2,}in)g\b(?!['’])")
_WORD = re.compile(r"[^\W\d_]{2,}")
_TOKEN = re.compile(r"\S+")
_SPACE = re.compile(r"(?<=\S) (?=\S)")
_HEADING_MAX_WORDS = 12


@dataclass(frozen=True)
class Profile:
    """One kind of damage; the fields say which steps run and how hard they bite."""

    glyphs: GlyphTable = field(default_factory=dict)
    title_glyphs: bool = False
    contractions: bool = False
    ing_rate: float = 0.0
    apostrophe: str = "’"
    invisible: bool = False


PROFILES: dict[str, Profile] = {
    "full": Profile(glyphs=_CYRILLIC_E, contractions=True, ing_rate=0.94),
    "multi": Profile(glyphs=_MULTI, contractions=True, ing_rate=0.80, apostrophe="'"),
    "glyphs-only": Profile(glyphs=_GLYPHS_ONLY, title_glyphs=True),
    "invisible": Profile(invisible=True),
}


def spin(text: str, profile: str, seed: int) -> tuple[str, str]:
    """``(spun, expected)``: ``text`` damaged as the spinner does in ``profile``, and what a
    perfect cleaner returns for it. The same arguments always give the same result.

    A comma the spinner deleted stays deleted in ``expected``:

    >>> spin("Title\\n\\nWe went swimming, and then we ate.", "full", seed=2)[1]
    'Title\\n\\nWe went swimming and then we ate.'
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    rng = random.Random(f"{profile}:{seed}")
    chosen = PROFILES[profile]
    pairs = [_spin_line(line, kind, chosen, rng) for line, kind in _classify(text)]
    return "\n".join(s for s, _ in pairs), "\n".join(e for _, e in pairs)


def _classify(text: str) -> list[tuple[str, str]]:
    """Each line with its kind: ``blank``, ``title`` (the first line with text),
    ``heading`` or ``running``.

    >>> [kind for _, kind in _classify("Title\\n\\nRisks and Benefits\\nIt works.")]
    ['title', 'blank', 'heading', 'running']
    """
    kinds: list[tuple[str, str]] = []
    seen_title = False
    for line in text.split("\n"):
        if not line.strip():
            kinds.append((line, "blank"))
        elif not seen_title:
            kinds.append((line, "title"))
            seen_title = True
        else:
            kinds.append((line, "heading" if is_heading(line) else "running"))
    return kinds


def is_heading(line: str) -> bool:
    """A short line that does not end a sentence (``Colorectal Cancer Risk:`` is one).

    >>> is_heading("Muscle Spasms and Dystonia"), is_heading("It works.")
    (True, False)
    """
    stripped = line.strip().rstrip("\"'’”)]")
    words = len(stripped.split())
    return 0 < words <= _HEADING_MAX_WORDS and stripped[-1] not in ".!?"


def _spin_line(line: str, kind: str, profile: Profile, rng: random.Random) -> tuple[str, str]:
    """``(spun, expected)`` for one line of the given kind."""
    spun, expected = line, line
    if profile.contractions and kind == "running":
        spun, expected = _contract_line(line, profile, rng)
    if profile.glyphs and (kind != "title" or profile.title_glyphs):
        spun = _swap_glyphs(spun, profile.glyphs, rng)
    if profile.invisible:
        spun = _hide(spun, rng)
    return spun, expected


def _contract_line(line: str, profile: Profile, rng: random.Random) -> tuple[str, str]:
    """``an’``, ``-in’`` and the commas' fates; the expected line drops deleted commas.

    Contractions come first, so a comma turned into `` and`` keeps its ``and``:
    ``palms, and soles`` becomes ``palms and an’ soles``.
    """
    pieces = line.split(", ")
    fates = rng.choices(_COMMA_FATES, weights=_COMMA_WEIGHTS, k=len(pieces) - 1)
    spun = [_contract(piece, profile, rng) for piece in pieces]
    expected_seps = [" " if fate == " " else ", " for fate in fates]
    return _interleave(spun, fates), _interleave(pieces, expected_seps)


def _interleave(pieces: list[str], separators: list[str]) -> str:
    """``pieces`` joined, the i-th gap filled with ``separators[i]``.

    >>> _interleave(["a", "b", "c"], [", ", " and "])
    'a, b and c'
    """
    out = [pieces[0]]
    for separator, piece in zip(separators, pieces[1:], strict=True):
        out += [separator, piece]
    return "".join(out)


def _contract(text: str, profile: Profile, rng: random.Random) -> str:
    """Every ``and`` to ``an’``; most ``-ing`` to ``-in’`` (the profile's rate)."""
    mark = profile.apostrophe
    text = _AND.sub(lambda m: m.group(1) + mark, text)
    return _ING.sub(lambda m: m.group(1) + mark if rng.random() < profile.ing_rate else m[0], text)


def _swap_glyphs(text: str, table: GlyphTable, rng: random.Random) -> str:
    """Each letter in ``table`` replaced, at its rate, by one of its look-alikes."""
    return _per_token(text, lambda token: "".join(_maybe_swap(c, table, rng) for c in token))


def _per_token(text: str, damage: Callable[[str], str]) -> str:
    """``damage`` applied to each space-separated token, except those with a letter
    outside ASCII: the spinner leaves ``NF-κB``, ``β-blockers`` and ``Löfgren`` alone.

    >>> _per_token("NF-κB and beta", str.upper)
    'NF-κB AND BETA'
    """
    return _TOKEN.sub(lambda m: m[0] if _has_foreign_letter(m[0]) else damage(m[0]), text)


def _has_foreign_letter(token: str) -> bool:
    return any(c.isalpha() and not c.isascii() for c in token)


def _maybe_swap(char: str, table: GlyphTable, rng: random.Random) -> str:
    if char not in table:
        return char
    rate, lookalikes = table[char]
    return rng.choice(lookalikes) if rng.random() < rate else char


def _hide(text: str, rng: random.Random) -> str:
    """Invisible characters inside words, full-width letters, no-break spaces."""
    text = _per_token(text, lambda token: _hide_in_token(token, rng))
    return _SPACE.sub(lambda _: "\u00a0" if rng.random() < _NBSP_RATE else " ", text)


def _hide_in_token(token: str, rng: random.Random) -> str:
    token = _WORD.sub(lambda m: _hide_in_word(m[0], rng), token)
    return "".join(_fullwidth(c) if rng.random() < _FULLWIDTH_RATE else c for c in token)


def _hide_in_word(word: str, rng: random.Random) -> str:
    """One or two invisible characters between the letters of some words.

    >>> _hide_in_word("heart", random.Random(1))
    'h\\u200deart'
    """
    if rng.random() >= _INVISIBLE_WORD_RATE:
        return word
    count = 2 if rng.random() < _TWO_INVISIBLES_RATE and len(word) > 2 else 1
    gaps = sorted(rng.sample(range(1, len(word)), count), reverse=True)
    for gap in gaps:
        word = word[:gap] + rng.choice(_INVISIBLES) + word[gap:]
    return word


def _fullwidth(char: str) -> str:
    """The full-width form of a lower-case ASCII letter; anything else unchanged."""
    return chr(ord(char) + _FULLWIDTH_SHIFT) if "a" <= char <= "z" else char


__all__ = ["PROFILES", "Profile", "is_heading", "spin"]
