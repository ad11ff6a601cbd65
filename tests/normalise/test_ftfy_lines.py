"""Which lines ftfy is asked about: skipping a line must never skip a repair ftfy makes.

:func:`~pipeline.normalise.apply.needs_ftfy` answers without running ftfy's repair pass:
from what ftfy fixes on sight, and, for mojibake, from ftfy's own check, which only runs
on lines holding a character every mojibake it finds holds (read from its pattern).
"""

from __future__ import annotations

import re
import string

import ftfy
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.model import Change
from pipeline.normalise.apply import (
    _BADNESS_WIDTH,
    _FIXED_ON_SIGHT,
    _MAY_BE_MOJIBAKE,
    _MAY_CHANGE,
    _MOJIBAKE_WITNESS,
    FTFY_CONFIG,
    LIGATURES,
    _lines_touched,
    _window_width,
    apply_changes,
    fix_with_ftfy,
    is_bad,
    needs_ftfy,
    settle,
)

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


# Lines of mojibake, witnesses, look-alikes two in a row (a spun page's) and plain text.
_MOJIBAKE_LINES = st.lists(
    _MOJIBAKE_ALPHABET
    | st.sampled_from(["\n", "\r\n", "\u2028", "a", " ", "&amp;", "\x00", "С", "ѕυ", "Рϲ"]),
    max_size=24,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_MOJIBAKE_LIKE | _MOJIBAKE_LINES)
@example("С\nсаfé Ã©\n")  # a witness on the line before the first pair
@example("ѕυ С\nok\nÃ© С")  # a witness before the first pair on its line
@example("’smoothin’\u2029\u00a0â€™s")  # ftfy's line goes on past \u2029 (and \x85, \r)
@example("\x85" * 50)  # a line of C1 controls, each a line break to str.splitlines
def test_lines_are_fixed_as_ftfy_fixes_them_one_by_one(text: str) -> None:
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)  # ftfy's lines: ended by \n alone
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


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(ftfy.badness.BADNESS_RE, fullmatch=True) | _MOJIBAKE_LIKE,
    st.integers(0, 40),
    st.integers(0, 40),
    st.sampled_from(["", "x", " ", "\u201c", "\u00e9", "\u00c3"]),
)
def test_the_check_near_witnesses_is_ftfys_check(
    text: str, before: int, after: int, pad: str
) -> None:
    """Searched only around its witnesses, ftfy's check finds mojibake exactly where its
    search of the whole line does, wherever the mojibake stands in a longer line."""
    line = pad * before + text + pad * after
    assert is_bad(line) is ftfy.badness.is_bad(line)


@pytest.mark.parametrize(
    ("pattern", "width"),
    [
        (ftfy.badness.BADNESS_RE, _BADNESS_WIDTH),  # what the pinned ftfy's check gives
        (re.compile("^[ÃÂ] |x\\s?y"), 3),
        (re.compile("ab(?=c)"), 0),  # look-ahead: a window's end would hide the text after
        (re.compile("(?<=a)b"), 0),  # look-behind
        (re.compile("ab$"), 0),  # an anchor a window's end would satisfy
        (re.compile("a\\b"), 0),
        (re.compile("^ab", re.MULTILINE), 0),  # the start of any line, not of the text
        (re.compile("a+"), 0),  # no longest match
    ],
)
def test_a_window_is_searched_only_where_it_finds_what_the_whole_line_would(
    pattern: re.Pattern[str], width: int
) -> None:
    assert _window_width(pattern) == width
    assert _BADNESS_WIDTH > 0  # with the pinned ftfy, its check is searched near witnesses


def _touched_one_by_one(text: str, changes: list[Change]) -> set[int]:
    """Every line (ended by \\n) from the one each change starts on to the one it ends on."""
    touched: set[int] = set()
    for change in changes:
        first = text.count("\n", 0, change.start)
        touched.update(range(first, text.count("\n", 0, change.end) + 1))
    return touched


_EDITS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 4), st.sampled_from(["", "X", "\n"])),
    max_size=8,
)


def _changes_at(text: str, edits: list[tuple[int, int, str]]) -> list[Change]:
    """Changes that replace ``text[start:start + length]``, made not to overlap."""
    changes: list[Change] = []
    taken = 0
    for start, length, after in sorted(edits):
        start = max(start, taken)
        end = min(start + length, len(text))
        if start > len(text) or (changes and start == changes[-1].start):
            continue
        changes.append(Change("x", "r", start, end, text[start:end], after))
        taken = end
    return changes


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n\r\u2028", max_size=30), _EDITS)
def test_the_lines_a_change_touches(text: str, edits: list[tuple[int, int, str]]) -> None:
    changes = _changes_at(text, edits)
    numbers = list(range(len(text.splitlines()) + 2))
    assert set(_lines_touched(text, changes, numbers)) == _touched_one_by_one(text, changes)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_MOJIBAKE_ALPHABET | st.sampled_from(["\u00ad", "\u0435", "ﬁ"]), max_size=16).map(
        "".join
    ),
    _EDITS,
)
def test_settling_runs_ftfy_on_every_touched_line_that_needs_it(
    text: str, edits: list[tuple[int, int, str]]
) -> None:
    """Only the touched lines that could need ftfy are given to it; the result is the one
    of giving it every touched line."""
    changes = _changes_at(text, edits)
    if not changes:
        return
    fixed = apply_changes(text, changes)
    lines = fixed.splitlines(keepends=True)
    markup = "<" in fixed
    for number in _touched_one_by_one(text, changes) & set(range(len(lines))):
        lines[number] = fix_with_ftfy(lines[number], markup=markup)
    settled, result = settle(text, changes, fixed, "x")
    assert apply_changes(text, settled) == result == "".join(lines)


@settings(max_examples=300, deadline=None)
@given(_MOJIBAKE_LIKE | st.text(alphabet="&#a1;\x00\x0b\x0c\x1f\x85\u206a\ufeff\ufb01\ud800é "))
def test_the_patterns_written_to_skip_ahead_find_what_the_plain_ones_find(text: str) -> None:
    on_sight = re.compile(
        r"&#?[0-9A-Za-z]|[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff]"
    )
    assert bool(_FIXED_ON_SIGHT.search(text)) is bool(on_sight.search(text))
    may_change = re.compile(f"{LIGATURES.pattern}|{_MAY_BE_MOJIBAKE.pattern}")
    assert [m.start() for m in _MAY_CHANGE.finditer(text)] == [
        m.start() for m in may_change.finditer(text)
    ]
