"""The plan of changes: it replays, it is honest about what it replaced, and it is final."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import Change, clean, replay
from pipeline.normalise import apply_changes
from pipeline.normalise.apply import merge_changes

DATA = Path(__file__).parent.parent / "data"
ARTICLES = sorted(DATA.glob("dev/spun/*/*.txt")) + [
    Path(__file__).parent.parent.parent / "raw" / "botox-beyond-beauty.txt"
]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_plan_replays_and_cleaning_is_final(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = clean(text)
    assert result.changes
    assert replay(text, result.changes) == result.text
    assert clean(result.text).changes == ()


@pytest.mark.parametrize("path", ARTICLES[:1], ids=lambda p: p.name)
def test_each_change_replaced_what_stood_there(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    current = text
    for stage, changes in clean(text).by_stage().items():
        for change in changes:
            assert change.stage == stage
            assert current[change.start : change.end] == change.before
        current = apply_changes(current, changes)


@pytest.mark.parametrize(
    "changes",
    [
        [Change("x", "r", 0, 1, "b", "c")],  # before does not match the text
        [Change("x", "r", 0, 2, "ab", "c"), Change("x", "r", 1, 2, "b", "d")],  # overlap
        [Change("x", "r", 1, 2, "b", "d"), Change("x", "r", 0, 2, "ab", "c")],  # out of order
        [Change("x", "r", 1, 2, "b", "d"), Change("x", "r", 1, 1, "", "e")],  # after it, inside
        (Change("x", "r", 2, 3, "c", "d"), Change("x", "r", 0, 3, "abc", "e")),
    ],
)
def test_apply_refuses_changes_that_do_not_fit(changes: list[Change]) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        apply_changes("abc", changes)
    with pytest.raises(ValueError, match="does not fit"):
        apply_changes("abc", iter(changes))


_A, _C = Change("x", "r", 0, 1, "a", "A"), Change("x", "r", 2, 3, "c", "C")
_BEFORE_B, _AFTER_A = Change("x", "r", 1, 1, "", "+"), Change("x", "r", 1, 1, "", "-")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ([], "abc"),
        ([_A, _C], "AbC"),
        ([_C, _A], "AbC"),  # out of order: sorted first
        ((_C, _A), "AbC"),
        ([_A, _BEFORE_B, _AFTER_A, _C], "A+-bC"),  # insertions at one place: in the order given
        ([_C, _BEFORE_B, _AFTER_A, _A], "A+-bC"),  # sorting keeps that order
    ],
)
def test_apply_takes_changes_in_any_order(changes: list[Change], expected: str) -> None:
    assert apply_changes("abc", changes) == expected
    assert apply_changes("abc", iter(changes)) == expected


def _at(start: int, end: int, after: str = "") -> Change:
    return Change("x", "r", start, end, "abcdefgh"[start:end], after)


@pytest.mark.parametrize(
    ("kept", "more", "merged"),
    [
        ([], [], []),
        ([_at(2, 3)], [], [_at(2, 3)]),
        ([], [_at(4, 5), _at(0, 1)], [_at(0, 1), _at(4, 5)]),  # more: in any order
        ([_at(2, 4)], [_at(5, 6), _at(0, 1)], [_at(0, 1), _at(2, 4), _at(5, 6)]),
        ([_at(2, 4)], [_at(3, 5)], [_at(2, 4)]),  # overlaps a kept one: dropped
        ([_at(2, 4)], [_at(1, 3)], [_at(2, 4)]),
        ([_at(2, 4)], [_at(4, 4, "+")], [_at(2, 4), _at(4, 4, "+")]),  # just after: kept
        ([_at(2, 4)], [_at(2, 2, "+")], [_at(2, 4)]),  # inserted where a kept one starts
        ([], [_at(1, 3), _at(2, 4)], [_at(1, 3)]),  # overlapping each other: the first
        ([_at(0, 1), _at(6, 7)], [_at(3, 4)], [_at(0, 1), _at(3, 4), _at(6, 7)]),
    ],
)
def test_merge_keeps_every_kept_change_and_the_others_that_fit(
    kept: list[Change], more: list[Change], merged: list[Change]
) -> None:
    assert merge_changes(kept, iter(more)) == merged


# Printable ASCII but the apostrophe, with tabs and newlines; no entity can form without ";".
_PLAIN = [c for c in map(chr, range(32, 127)) if c not in "';"] + ["\n", "\t", "’s"[1:]]
_ARTICLE_ALPHABET = st.sampled_from(
    list("aeiouxyz ’'\n.,")
    + [
        "an’ ",
        "in’ ",
        " and ",
        "е",
        "о",
        "р",
        "α",
        "κ",
        "\u200b",
        "\u00ad",
        "\u00a0",
        "\u0301",
        "ｅ",
        "Ã©",
        "&amp;",
        "Москва",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_unicode_does_not_crash_and_replays(text: str) -> None:
    result = clean(text)
    assert replay(text, result.changes) == result.text
    assert clean(result.text).text == result.text


@settings(max_examples=300, deadline=None)
@given(st.lists(_ARTICLE_ALPHABET, max_size=60).map("".join))
def test_article_like_text_replays_and_is_idempotent(text: str) -> None:
    result = clean(text)
    assert replay(text, result.changes) == result.text
    assert clean(result.text).changes == ()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_PLAIN)))
def test_text_without_apostrophes_or_non_ascii_letters_is_unchanged(text: str) -> None:
    assert clean(text).text == text


def test_stages_are_named_once_in_order() -> None:
    """The registry, the switches and the names module agree (``pipeline.stages``)."""
    from dataclasses import fields

    from pipeline.normalise import STAGES, CleanOptions
    from pipeline.stages import STAGE_NAMES

    assert tuple(STAGES) == STAGE_NAMES
    assert tuple(f.name for f in fields(CleanOptions)) == STAGE_NAMES


# Invisible characters, odd spaces and combining marks, visible and invisible (U+034F
# COMBINING GRAPHEME JOINER and variation selectors are both), around Latin letters and
# an emoji: where the unicode stage's runs, compositions and spaces meet.
_INVISIBLE_ALPHABET = st.sampled_from(
    list("mqe ") + ["\u00ad", "\u0308", "\u0301", "\u034f", "\ufe0f", "\u200b", "\u200d",
                    "\u2007", "\u00a0", "\u2009", "😀", "Ol", "of"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_INVISIBLE_ALPHABET, max_size=30).map("".join))
def test_invisibles_and_marks_replay_and_are_final(text: str) -> None:
    result = clean(text)
    assert replay(text, result.changes) == result.text
    assert clean(result.text).text == result.text


@pytest.mark.parametrize(
    "text",
    [
        "nt Ol\u2007of😀m\u00ad\u0308\u034fq",  # a soft hyphen, a mark, then an invisible mark
        "Ca\u00ad\u0301\u034ffé and more",
        "e\u00ad\u0301\ufe0f",
    ],
)
def test_an_invisible_mark_after_a_composed_letter_is_its_own_change(text: str) -> None:
    result = clean(text)
    assert replay(text, result.changes) == result.text
    assert clean(result.text).text == result.text
