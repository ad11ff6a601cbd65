"""Which lines ftfy is asked about: skipping a line must never skip a repair ftfy makes.

:func:`~pipeline.normalise.apply.needs_ftfy` answers without running ftfy's repair pass:
from what ftfy fixes on sight, and, for mojibake, from ftfy's own check, which only runs
on lines holding a character every mojibake it finds holds (read from its pattern).
"""

from __future__ import annotations

import string

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.apply import _MOJIBAKE_WITNESS, FTFY_CONFIG, fix_with_ftfy, needs_ftfy

_MARKUP_CONFIG = FTFY_CONFIG._replace(unescape_html=False)


@pytest.mark.parametrize(
    ("line", "needed"),
    [
        ("caf\u00c3\u00a9 au lait\n", True),  # UTF-8 read as Windows-1252
        ("it\u00e2\u20ac\u2122s here", True),  # a curly apostrophe as mojibake
        ("РџСЂРёРІРµС‚", True),  # Привет, UTF-8 read as Windows-1251
        ("fish &amp; chips", True),  # an entity
        ("\x1b[31mred\x1b[0m", True),  # terminal colours
        ("\ufeffbyte order mark", True),
        ("a C1 control\x85 here", True),
        ("V\u00a0této době", False),  # Czech with a no-break space
        ("naïve café, “quoted” — fine", False),
        ("с\u0435ll and \u0440h\u043ene", False),  # Cyrillic look-alikes in English words
        ("Москва и Санкт-Петербург", False),
        ("plain ASCII text", False),
    ],
)
def test_lines_that_need_ftfy(line: str, needed: bool) -> None:
    assert needs_ftfy(line) is needed
    assert (ftfy.fix_text(line, FTFY_CONFIG) != line) is needed


# What mojibake is made of: ftfy's own pattern's characters, Latin-1, Windows-1252 and
# Cyrillic letters, controls, entities, and whole mojibake sequences.
_MOJIBAKE_ALPHABET = st.sampled_from(
    sorted({c for c in ftfy.badness.BADNESS_RE.pattern if not c.isascii()} - set("ﬁﬂ"))
    + [chr(c) for c in range(0x80, 0x100)]
    + list("абвгдежзийклмнопрстуфхцчшщъыьэюяАВГРСЁЂЃЉЊЋЏ€‚„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")
    + list(string.ascii_letters + " .,;&#\n")
    + ["&amp;", "&#39;", "\x1b[1m", "\ufeff", "Ã©", "â€™", "Ã\xa0", "Ð¿Ñ€", "РџСЂ", "вЂ™"]
)
_MOJIBAKE_LIKE = st.lists(_MOJIBAKE_ALPHABET, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_MOJIBAKE_LIKE)
def test_a_line_skipped_is_a_line_ftfy_leaves_alone(line: str) -> None:
    if not needs_ftfy(line):
        assert ftfy.fix_text(line, FTFY_CONFIG) == line
        assert ftfy.fix_text(line, _MARKUP_CONFIG) == line


@settings(max_examples=500, deadline=None)
@given(st.from_regex(ftfy.badness.BADNESS_RE, fullmatch=True) | _MOJIBAKE_LIKE)
def test_every_mojibake_ftfy_finds_holds_a_witness(text: str) -> None:
    """Whatever ftfy's check matches (texts drawn from its own pattern) holds a witness."""
    if ftfy.badness.is_bad(text):
        assert _MOJIBAKE_WITNESS.search(text)


@settings(max_examples=200, deadline=None)
@given(_MOJIBAKE_LIKE)
def test_lines_are_fixed_as_ftfy_fixes_them_one_by_one(text: str) -> None:
    lines = text.splitlines(keepends=True)
    assert fix_with_ftfy(text, markup=False) == "".join(
        ftfy.fix_text(line, FTFY_CONFIG) for line in lines
    )


@pytest.mark.parametrize(
    ("line", "witnessed"), [("сеll р\u043ew\u0435r", False), ("caf\u00c3\u00a9", True)]
)
def test_the_check_is_read_from_ftfys_pattern(line: str, witnessed: bool) -> None:
    """With the pinned ftfy the witnesses are a short list (not the fallback that sends
    every line to ftfy's check): Cyrillic look-alikes alone are not among them."""
    assert bool(_MOJIBAKE_WITNESS.search(line)) is witnessed
