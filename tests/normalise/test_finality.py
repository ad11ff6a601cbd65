"""Cleaning is final: cleaning its result again changes nothing, on hostile mixes too.

Each row of ``FOUND`` is the smallest text found, by shrinking random mixes of
look-alikes, invisible characters, marks, odd spaces and spinner contractions, for one
cause of a second clean changing the text; each failed before cleaning reached a fixed
point. The property test draws from the same mix.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.normalise.rounds
from pipeline import Change, clean, replay
from pipeline.chardata import LOOKALIKES
from pipeline.normalise.apply import apply_changes, compose
from pipeline.review import change_keys, clean_reviewed, final_spans

DATA = Path(__file__).parent.parent / "data"

FOUND = [
    # Inside the unicode stage: a variation selector judged against the letter before the
    # stage folds or composes it.
    pytest.param("\uff48\ufe0ed", "hd", id="selector-after-a-full-width-letter"),
    pytest.param(
        "we met at the cafe\u0301\ufe0f now",
        "we met at the café now",
        id="selector-after-an-accent",
    ),
    # The unicode stage's quick path kept a joiner between ASCII letters in a damaged
    # document, where its general rule removes it (GPTZero-Bypasser's output).
    pytest.param(
        "O\u200dFd 𝚊𝚗d A b𝚞𝚕\u2009f𝚊i𝚕\u2009\n𝚘\u200d𝚞𝚕\u2009𝚊s\u200d",
        "OFd and A bulfail\noulas",
        id="joiner-in-a-damaged-document",
    ),
    # The homoglyphs stage reads a look-alike as a Latin letter: what the unicode stage,
    # already run, kept beside it is now beside a letter.
    pytest.param("t\ua4f3\ufe0e", "tO", id="selector-after-a-look-alike"),
    pytest.param("𝟣𝚍\u200c", "Id", id="non-joiner-after-a-look-alike"),
    pytest.param("I\u00a0℮𝕤", "I es", id="no-break-space-beside-a-symbol-read-as-a-letter"),
    pytest.param("𝟣ẝan\u202fOl\ufe61an", "Ifan Ol\ufe61an", id="narrow-space-in-a-spun-line"),
    # ... and then the word the soft hyphen split is one word, read again.
    pytest.param("ℝ\u00ad𝈪𝗆", "RLm", id="soft-hyphen-beside-a-symbol-read-as-a-letter"),
    # The line reads as English once its look-alikes are read: its spacing and
    # punctuation are then repaired.
    pytest.param("Ϲӏ\u3000in in", "Cl in in", id="ideographic-space-in-a-line-now-english"),
    pytest.param("🯱𝚌\u037e", "Ic;", id="greek-question-mark-in-a-line-now-english"),
    # Repairs that complete mojibake for ftfy.
    pytest.param("јÃ©𝞎", "jép", id="mojibake-inside-a-look-alike-word"),
    pytest.param("\u2028ЅÃ©", "\u2028Sé", id="mojibake-after-a-line-separator"),
    pytest.param("ⴹp;ẝԁ.𝒸uin’ Ã ", "Ep;fd.cuing à ", id="contraction-lets-ftfy-decode"),
]


def _groups(plan: tuple[Change, ...]) -> list[list[Change]]:
    return [list(group) for _stage, group in groupby(plan, key=lambda c: c.stage)]


def _check_plan(text: str, result_text: str, plan: tuple[Change, ...]) -> None:
    """The plan replays, and the review can key and place every change of it."""
    assert replay(text, plan) == result_text
    keys, spans = change_keys(plan), final_spans(plan)
    assert len(keys) == len(spans) == len(plan)
    groups = _groups(plan)
    for change in groups[0]:  # nothing came before: its key is where it stood
        key = keys[plan.index(change)]
        assert text[key.start : key.end] == change.before
    for change in groups[-1]:  # nothing came after: its span holds what it wrote
        start, end = spans[plan.index(change)]
        assert result_text[start:end] == change.after


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_found_texts_clean_to_a_fixed_point(text: str, expected: str) -> None:
    result = clean(text)
    assert result.text == expected
    assert clean(expected).changes == ()
    _check_plan(text, result.text, result.changes)


_HOSTILE = [
    *"aeioumnqrstlhOIS01 .,’'\n\t",
    *["\u00ad", "\u0308", "\u0301", "\u034f", "\ufe0f", "\ufe0e", "\u200b", "\u200c"],
    *["\u200d", "\u2060", "\u2061", "\u202e", "\u202c", "\u2066", "\u2069", "\U000e0041"],
    *["\u2007", "\u00a0", "\u2009", "\u202f", "\u3000", "\u2028", "😀", "👍🏽", "Ol", "of"],
    *["an’ ", "in’ ", "and ", "&amp;", "Ã©", "ｅ", "𝐚", "𝚌", "ℝ", "Москва", "ة", "क्ष", "中文"],
    *["هذا", "اه", "שלום", "ו-", "١٥", "۱۵", "٥", "ہے۔", "\u200f", "\u200e", "hell", "w", "rld"],
]  # fmt: skip
_PIECES = st.one_of(st.sampled_from(_HOSTILE), st.sampled_from(sorted(LOOKALIKES)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=8, max_size=40).map("".join))
def test_hostile_mixes_replay_and_clean_to_a_fixed_point(text: str) -> None:
    result = clean(text)
    assert replay(text, result.changes) == result.text
    assert clean(result.text).text == result.text


ONE_ROUND = sorted(DATA.glob("dev/spun/*/*.txt")) + [DATA / "legit" / "tricky.txt"]


@pytest.mark.parametrize("path", ONE_ROUND, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_text_that_needs_one_round_gets_the_same_plan(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rounds change nothing where one round is final: same plan, same review keys."""
    text = path.read_text("utf-8")
    plan = clean(text).changes
    monkeypatch.setattr(pipeline.normalise.rounds, "MAX_ROUNDS", 1)
    assert clean(text).changes == plan


def test_a_change_of_a_later_round_can_be_rejected() -> None:
    text = "t\ua4f3\ufe0e"  # the selector goes in the second round
    plain = clean_reviewed(text)
    later = [m.key for m in plain.marks if m.key.stage == "unicode"]
    assert len(later) == 1
    reviewed = clean_reviewed(text, rejected=later)
    assert reviewed.cleaned.text == "tO\ufe0e"
    assert [m.key for m in reviewed.marks if m.rejected] == later
    assert reviewed.stale == ()


def test_a_rejected_change_proposed_again_is_recorded_once() -> None:
    text = "t\ua4f3\ufe0e and ubiqui\u200btous"  # the joiner is proposed in each round
    plain = clean_reviewed(text)
    joiner = [m.key for m in plain.marks if m.key.before == "\u200b"]
    reviewed = clean_reviewed(text, rejected=joiner)
    assert "\u200b" in reviewed.cleaned.text
    assert [m.key for m in reviewed.marks if m.rejected] == joiner


@st.composite
def _changes_to(draw: st.DrawFn, text: str) -> list[Change]:
    """Non-overlapping changes to ``text``, sorted: some empty (insertions), some meeting."""
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    changes = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        after = draw(st.text("xyz", max_size=3))
        changes.append(Change("s", draw(st.sampled_from("rq")), start, end, text[start:end], after))
    return changes


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_composed_changes_make_what_the_two_lists_make(data: st.DataObject) -> None:
    text = data.draw(st.text("abcd", max_size=12))
    first = data.draw(_changes_to(text))
    middle = apply_changes(text, first)
    second = data.draw(_changes_to(middle))
    composed = compose(text, first, second)
    assert apply_changes(text, composed) == apply_changes(middle, second)
    assert all(a.end <= b.start for a, b in zip(composed, composed[1:], strict=False))


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # apart: each change as it was, the second moved back by what the first added
        (
            [(0, 1, "a", "AA")],
            [(3, 4, "c", "C")],
            [(0, 1, "a", "AA", "first"), (2, 3, "c", "C", "second")],
        ),
        # the second rewrites what the first wrote: one change, under the first's rule
        ([(0, 1, "a", "AA")], [(1, 2, "A", "x")], [(0, 1, "a", "Ax", "first")]),
        # the second undoes the first: nothing left
        ([(0, 1, "a", "A")], [(0, 1, "A", "a")], []),
        # meeting, not overlapping: two changes
        (
            [(0, 1, "a", "A")],
            [(1, 2, "b", "B")],
            [(0, 1, "a", "A", "first"), (1, 2, "b", "B", "second")],
        ),
    ],
)
def test_compose_table(
    first: list[tuple[int, int, str, str]],
    second: list[tuple[int, int, str, str]],
    expected: list[tuple[int, int, str, str, str]],
) -> None:
    composed = compose(
        "abc",
        [Change("s", "first", *c) for c in first],
        [Change("s", "second", *c) for c in second],
    )
    assert [(c.start, c.end, c.before, c.after, c.rule) for c in composed] == expected
