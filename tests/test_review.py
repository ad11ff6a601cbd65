"""Rejected repairs: keys in the original text, spans in the final text, the sidecar."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.normalise.rounds
from pipeline import Change, clean, replay
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.normalise import CleanOptions, apply_changes
from pipeline.review import (
    MAX_SIDECAR,
    ChangeKey,
    Review,
    Reviewed,
    change_keys,
    clean_beside,
    clean_reviewed,
    final_spans,
    read_review,
    review_beside,
    save_review,
    sidecar_key,
    sidecar_path,
    text_digest,
)

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "raw" / "botox-beyond-beauty.txt"
SPUN = "Smооthin’ hеlps an’ hеals an’ calms an’ soothеs.\n"


# ---------------------------------------------------------------- plans made at random


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, list[Change]]:
    """A text and a plan of one to four stages, each with disjoint replacements,
    insertions and deletions on the text the stage before left."""
    text = draw(st.text(alphabet="abcxyz ", max_size=30))
    current, plan = text, []
    for stage in ("s0", "s1", "s2", "s3")[: draw(st.integers(1, 4))]:
        cuts = sorted(draw(st.lists(st.integers(0, len(current)), max_size=8)))
        changes = []
        for start, end in zip(cuts[::2], cuts[1::2], strict=False):
            previous = changes[-1] if changes else None
            if previous and (start < previous.end or start == previous.start == end):
                continue  # keep them disjoint, and at most one insertion at a place
            after = draw(st.text(alphabet="ABC", max_size=3))
            changes.append(Change(stage, "r", start, end, current[start:end], after))
        current = apply_changes(current, changes)
        plan += changes
    return text, plan


def _unchanged_pieces(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The non-empty stretches of ``text`` outside every span, in order."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start > position:
            pieces.append(text[position:start])
        position = max(position, end)
    return [*pieces, text[position:]] if position < len(text) else pieces


def _check_plan(text: str, plan: list[Change]) -> None:
    final = replay(text, plan)
    keys, spans = change_keys(plan), final_spans(plan)
    assert len(keys) == len(spans) == len(plan)
    # Text no change touched is the same text before and after, stretch by stretch.
    originals = [(k.start, k.end) for k in keys]
    assert _unchanged_pieces(text, originals) == _unchanged_pieces(final, list(spans))
    first, last = (plan[0].stage, plan[-1].stage) if plan else ("", "")
    for change, key, (start, end) in zip(plan, keys, spans, strict=True):
        assert 0 <= key.start <= key.end <= len(text)
        assert 0 <= start <= end <= len(final)
        if change.stage == first:  # nothing came before: the key is where it stood
            assert text[key.start : key.end] == change.before
        if change.stage == last:  # nothing came after: the span holds what it wrote
            assert final[start:end] == change.after


@settings(max_examples=400, deadline=None)
@given(plans())
def test_keys_and_spans_of_any_plan(plan: tuple[str, list[Change]]) -> None:
    _check_plan(*plan)


_SPUN_ALPHABET = st.sampled_from(
    [" ", ".", "\n", "an’ ", "in’ ", " and ", "е", "о", "e", "he", "lps", "smooth", "\u200b", "ｅ"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_SPUN_ALPHABET, max_size=40).map("".join))
def test_keys_and_spans_of_the_cleaners_plans(text: str) -> None:
    plan = list(clean(text).changes)
    if plan:
        _check_plan(text, plan)


@settings(max_examples=100, deadline=None)
@given(st.lists(_SPUN_ALPHABET, min_size=1, max_size=40).map("".join), st.data())
def test_rejecting_any_one_change_drops_exactly_it(text: str, data: st.DataObject) -> None:
    plain = clean_reviewed(text)
    if not plain.marks:
        return
    mark = data.draw(st.sampled_from(plain.marks))
    reviewed = clean_reviewed(text, rejected={mark.key})
    assert reviewed.stale == ()
    assert [m.key for m in reviewed.marks if m.rejected] == [mark.key]
    assert replay(text, reviewed.cleaned.changes) == reviewed.cleaned.text
    assert mark.change not in reviewed.cleaned.changes


@pytest.mark.parametrize(
    ("plan", "keys", "spans"),
    [
        # a homoglyph inside a word a later stage rewrote: both end up spanning it
        (
            [
                Change("h", "r", 0, 8, "smооthin", "smoothin"),
                Change("c", "r", 0, 9, "smoothin’", "smoothing"),
            ],
            [(0, 8), (0, 9)],
            [(0, 9), (0, 9)],
        ),
        # a deletion, then a change after it: the later key maps past the deleted text
        (
            [Change("u", "r", 1, 2, "\u200b", ""), Change("c", "r", 2, 6, " and", ",")],
            [(1, 2), (3, 7)],
            [(1, 1), (2, 3)],
        ),
        # an insertion, then a change that takes it in
        (
            [Change("a", "r", 2, 2, "", "XY"), Change("b", "r", 1, 5, "bXYc", "Z")],
            [(2, 2), (1, 3)],
            [(1, 2), (1, 2)],
        ),
        # a deleted character stays outside the changes on either side of it
        (
            [
                Change("u", "r", 2, 3, "\u200b", ""),
                Change("h", "r", 0, 2, "ab", "AB"),
                Change("h", "r", 2, 4, "cd", "CD"),
            ],
            [(2, 3), (0, 2), (3, 5)],
            [(2, 2), (0, 2), (2, 4)],
        ),
        # a deletion inside a word a later stage rewrote: it spans the word
        (
            [Change("u", "r", 3, 4, "\u200b", ""), Change("h", "r", 0, 5, "hеllo", "hello")],
            [(3, 4), (0, 6)],
            [(0, 5), (0, 5)],
        ),
        # a change that a later one only touches at its edge keeps its own span
        (
            [Change("a", "r", 0, 2, "ab", "x"), Change("b", "r", 1, 3, "cd", "")],
            [(0, 2), (2, 4)],
            [(0, 1), (1, 1)],
        ),
    ],
)
def test_keys_and_spans_by_hand(
    plan: list[Change], keys: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> None:
    assert [(k.start, k.end) for k in change_keys(plan)] == keys
    assert list(final_spans(plan)) == spans


# ---------------------------------------------------------------- cleaning with rejections


def _commas_key(text: str) -> ChangeKey:
    return next(m.key for m in clean_reviewed(text).marks if m.key.stage == "commas")


def test_a_rejected_comma_repair_leaves_its_and() -> None:
    text = SAMPLE.read_text("utf-8")
    key = _commas_key(text)
    reviewed = clean_reviewed(text, rejected={key})
    plain = clean(text).text
    assert len(reviewed.cleaned.text) == len(plain) + 3  # ", " became " and " again
    rejected = [m for m in reviewed.marks if m.rejected]
    assert [m.key for m in rejected] == [key]
    assert reviewed.cleaned.text[rejected[0].start : rejected[0].end] == " and"
    assert replay(text, reviewed.cleaned.changes) == reviewed.cleaned.text
    # the key is stable: the same text cleaned again offers the same change
    assert key in {m.key for m in clean_reviewed(text).marks}


@pytest.mark.parametrize(
    ("key", "options", "stale"),
    [
        (ChangeKey(0, 3, "commas", "comma", " and", ","), None, True),  # never proposed
        (ChangeKey(0, 3, "commas", "comma", " and", ","), CleanOptions(commas=False), False),
        (ChangeKey(16, 19, "contractions", "an", "an’", "and"), None, False),  # real
    ],
)
def test_rejections_that_match_nothing_are_stale(
    key: ChangeKey, options: CleanOptions | None, stale: bool
) -> None:
    reviewed = clean_reviewed(SPUN, options, rejected={key})
    assert reviewed.stale == ((key,) if stale else ())


# A stage that runs again in a later round, right after its own changes, has both rounds'
# changes composed into one group of the plan (pipeline.normalise.rounds). Here round 1
# reads the look-alike among Latin letters in "adq🯳á"; round 2 then reads the whole words
# "ո́𝔊" (as "ńG": one character shorter, the accent joins its letter) and "𐋵𝙄" (as "ZI").
TWO_ROUNDS = "\u0578\u0301\U0001d50a \U000102f5\U0001d644 adq\U0001fbf3a\u0301"


def test_the_two_round_text_needs_its_second_round(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = clean(TWO_ROUNDS).changes
    assert [c.stage for c in plan] == ["homoglyphs"] * 3  # one group, in place order
    assert clean(TWO_ROUNDS).text == "\u0144G ZI adq3\u00e1"
    monkeypatch.setattr(pipeline.normalise.rounds, "MAX_ROUNDS", 1)
    assert clean(TWO_ROUNDS).text == "\u0578\u0301\U0001d50a \U000102f5\U0001d644 adq3\u00e1"


@pytest.mark.parametrize(
    ("before", "kept"),
    [
        ("\U000102f5\U0001d644", "\u0144G \U000102f5\U0001d644 adq3\u00e1"),  # round 2, after
        # a change of its round that made the text shorter
        ("\u0578\u0301\U0001d50a", "\u0578\u0301\U0001d50a ZI adq3\u00e1"),  # round 2, first
        # round 1: without it, round 2 has nothing to read
        ("adq\U0001fbf3a\u0301", TWO_ROUNDS),
    ],
)
def test_a_change_of_a_composed_second_round_is_rejected_and_marked_in_place(
    before: str, kept: str
) -> None:
    [mark] = [m for m in clean_reviewed(TWO_ROUNDS).marks if m.key.before == before]
    reviewed = clean_reviewed(TWO_ROUNDS, rejected={mark.key})
    assert reviewed.stale == ()
    assert reviewed.cleaned.text == kept
    [rejected] = [m for m in reviewed.marks if m.rejected]
    assert rejected.key == mark.key
    assert kept[rejected.start : rejected.end] == before  # the text it keeps, not beside it
    assert replay(TWO_ROUNDS, reviewed.cleaned.changes) == kept


def test_a_change_composed_of_two_rounds_can_be_rejected() -> None:
    text = "\U0001d7a0\u0458\xc3\xa9\U0001d48a\U0001d525\ua4e1\U0001d596\U0001fbf1"
    [mark] = clean_reviewed(text).marks  # "𝞠јÃ©" read in round 1, "𝒊𝔥ꓡ𝖖🯱" in round 2
    reviewed = clean_reviewed(text, rejected={mark.key})
    assert reviewed.stale == ()
    assert [m.key for m in reviewed.marks if m.rejected] == [mark.key]
    assert reviewed.cleaned.text == text  # neither round's half of it is made
    assert replay(text, reviewed.cleaned.changes) == text


SPUN_AFTER = "\n\nТhе раtiеnt shоuld tаkе thе mеdiсinе wіth fооd."


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("The cafÃ© sеrves fооd." + SPUN_AFTER, "cafÃ©"),  # homoglyphs settles its line
        ("The cafÃ© serves food.", "cafÃ©"),  # no other stage touches it
    ],
)
def test_a_rejected_edit_is_not_made_again_by_another_stage(text: str, before: str) -> None:
    """Rejected, ftfy's repair is not made again by the stage that settles its own
    changes on that line (with ftfy): the word stays as it was, one mark says so."""
    [mark] = [m for m in clean_reviewed(text).marks if m.key.before == before]
    reviewed = clean_reviewed(text, rejected={mark.key})
    assert before in reviewed.cleaned.text
    assert reviewed.stale == ()
    assert [m.key for m in reviewed.marks if before in m.key.before] == [mark.key]
    assert replay(text, reviewed.cleaned.changes) == reviewed.cleaned.text


def test_marks_are_in_reading_order_and_cover_every_proposal() -> None:
    text = SAMPLE.read_text("utf-8")
    reviewed = clean_reviewed(text, rejected={_commas_key(text)})
    starts = [m.start for m in reviewed.marks]
    assert starts == sorted(starts)
    assert len(reviewed.marks) == len(clean(text).changes)


# ---------------------------------------------------------------- the sidecar


def _article(tmp_path: Path, text: str = SPUN) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(text, "utf-8")
    return path


def test_sidecar_round_trip_and_it_is_readable(tmp_path: Path) -> None:
    article = _article(tmp_path)
    key = next(m.key for m in clean_reviewed(SPUN).marks if m.key.before == "an’")
    save_review(article, Review(text_digest(SPUN)).toggled(key))
    data = json.loads(sidecar_path(article).read_text("utf-8"))
    assert data["leaflet_review"] == 1 and data["article"] == "a.txt"
    assert data["rejected"] == [key.to_dict()]
    assert read_review(article) == Review(text_digest(SPUN), frozenset({key}))
    reviewed = clean_beside(SPUN, article)
    assert (
        reviewed.cleaned.text.startswith("Smoothing helps an’ heals and") and not reviewed.problem
    )
    save_review(article, Review(text_digest(SPUN)))  # nothing rejected: no file
    assert not sidecar_path(article).exists()


def _fitting(rejected: str) -> str:
    """A sidecar made for :data:`SPUN` with these rejections (JSON)."""
    return f'{{"leaflet_review": 1, "text_sha256": "{text_digest(SPUN)}", "rejected": {rejected}}}'


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"leaflet_review": 1, "text_sha256": "x", "rejected": []}', "another version of a.txt"),
        *[  # offsets no change of the text has: beyond it, negative, backwards, overlapping
            (_fitting(f'[{{"stage": "commas", "rule": "comma", "start": {start}, "end": {end}, '
                      '"before": " and", "after": ","}]'), "no longer match a repair")
            for start, end in [(10**18, 10**18 + 4), (-5, -1), (9, 2), (0, 10**6)]
        ],
    ],
)
def test_a_sidecar_that_does_not_fit_is_reported_not_applied(
    tmp_path: Path, content: str, problem: str, caplog: pytest.LogCaptureFixture
) -> None:
    article = _article(tmp_path)
    sidecar_path(article).write_text(content, "utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline.review"):
        reviewed = clean_beside(SPUN, article)
    assert problem in reviewed.problem
    assert reviewed.problem.startswith(str(sidecar_path(article)))
    assert "delete" in reviewed.problem and "\n" not in reviewed.problem
    assert caplog.messages == [reviewed.problem]
    assert reviewed.cleaned.text == clean(SPUN).text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "cannot be read as JSON"),
        ("", "cannot be read as JSON"),
        ('{"rejected": []}', "has no leaflet_review version"),
        ('{"leaflet_review": 2, "text_sha256": "", "rejected": []}',
         "is format 2, and this leaflet reads 1"),
        ('{"leaflet_review": 1, "text_sha256": "x", "rejected": [{"stage": 1}]}', "a rejection"),
        (_fitting('[{"stage": "x", "rule": "y", "start": true, "end": 1, "before": "", '
                  '"after": ""}]'), "a rejection that is not"),
        (_fitting("{}"), "needs text_sha256 (a string) and rejected (a list)"),
    ],
)  # fmt: skip
def test_a_damaged_sidecar_fails_its_article_never_cleaned_without_its_decisions(
    tmp_path: Path, content: str, problem: str
) -> None:
    article = _article(tmp_path)
    sidecar_path(article).write_text(content, "utf-8")
    with pytest.raises(InputError) as raised:
        clean_beside(SPUN, article)
    message = str(raised.value)
    assert message.startswith(f"{sidecar_path(article)}: ") and problem in message
    assert message.endswith("; fix it or delete it") and "\n" not in message


@pytest.mark.parametrize("fits", ["another text", "stale entry", "fits"])
@pytest.mark.parametrize(
    ("action", "ending"),
    [
        (None, "review the article again (leaflet serve) or delete a.txt.review.json"),
        ("open {sidecar} in the studio", "open a.txt.review.json in the studio"),
        ("press the button", "press the button"),
    ],
)
def test_what_to_do_about_a_sidecar_is_said_where_it_is_read(
    tmp_path: Path, fits: str, action: str | None, ending: str
) -> None:
    """One message; what to do is the caller's (the command line's by default)."""
    article = _article(tmp_path)
    real = next(m.key for m in clean_reviewed(SPUN).marks if m.key.before == "an’")
    gone = ChangeKey(0, 3, "commas", "comma", " and", ",")
    digest = text_digest("another text" if fits == "another text" else SPUN)
    keys = {real, gone} if fits == "stale entry" else {real}
    save_review(article, Review(digest, frozenset(keys)))
    extra = {} if action is None else {"action": action}
    problem = review_beside(SPUN, article, **extra).problem
    if fits == "fits":
        assert problem == ""
    else:
        assert problem.startswith(f"{sidecar_path(article)}: ")
        assert problem.endswith(f"are not applied; {ending}") and "\n" not in problem


def test_stale_entries_are_reported_and_the_rest_applied(tmp_path: Path) -> None:
    article = _article(tmp_path)
    real = next(m.key for m in clean_reviewed(SPUN).marks if m.key.before == "an’")
    gone = ChangeKey(0, 3, "commas", "comma", " and", ",")
    save_review(article, Review(text_digest(SPUN), frozenset({real, gone})))
    reviewed = clean_beside(SPUN, article)
    assert "1 of its 2 rejections" in reviewed.problem
    assert reviewed.stale == (gone,)
    assert reviewed.rejected == {real}


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(MAX_SIDECAR + 1)  # sparse: no disk is used


def _good(path: Path) -> None:  # a link to a good sidecar elsewhere in the folder
    key = next(m.key for m in clean_reviewed(SPUN).marks if m.key.before == "an’")
    kept = path.with_name("kept.json")
    kept.write_text(Review(text_digest(SPUN), frozenset({key})).to_json("a.txt"), "utf-8")
    path.symlink_to(kept.name)


HOSTILE_SIDECARS = {  # how to make it; the problem ("": none); read for its key
    "a pipe": (_fifo, "is not a regular file (a pipe or device)", False),
    # a link out of the article's folder (to /dev/zero) is never read: tests/test_links.py
    "a folder": (lambda path: path.mkdir(), "is a folder", False),
    "a link to nothing": (
        lambda path: path.symlink_to("gone.json"),
        "is a link to gone.json, which does not exist",
        False,
    ),
    "a link loop": (
        lambda path: path.symlink_to(path.name),
        "is a link that leads back to itself (a loop)",
        False,
    ),
    "over the limit": (
        _huge,
        f"is {MAX_SIDECAR + 1:,} bytes, over the limit of {MAX_SIDECAR:,}",
        False,
    ),
    "nested a million deep": (
        lambda path: path.write_text("[" * 1_000_000 + "]" * 1_000_000, "utf-8"),
        "cannot be read as JSON",
        True,
    ),
    "a format a megabyte long": (
        lambda path: path.write_text(json.dumps({"leaflet_review": "x" * 1_000_000}), "utf-8"),
        "is format 'xxx",
        True,
    ),
    "a link to a good sidecar": (_good, "", True),  # read like any other
}


@pytest.mark.parametrize(
    ("make", "problem", "readable"), HOSTILE_SIDECARS.values(), ids=HOSTILE_SIDECARS
)
def test_a_sidecar_that_is_no_review_file_fails_its_article_never_waited_on(
    tmp_path: Path, make: Callable[[Path], None], problem: str, readable: bool
) -> None:
    article = _article(tmp_path)
    sidecar = sidecar_path(article)
    make(sidecar)

    def review() -> tuple[Reviewed | str, str]:
        try:
            reviewed: Reviewed | str = clean_beside(SPUN, article)
        except InputError as error:
            reviewed = str(error)
        return reviewed, sidecar_key(article)

    with ThreadPoolExecutor(1) as pool:  # a read that blocks fails here, not the whole run
        future = pool.submit(review)
        try:
            reviewed, key = future.result(timeout=120)
        finally:
            if not future.done() and sidecar.is_fifo():  # let the stuck reader go
                os.close(os.open(sidecar, os.O_WRONLY | os.O_NONBLOCK))
    assert key == (hashlib.sha256(sidecar.read_bytes()).hexdigest() if readable else "unreadable")
    if problem:
        assert isinstance(reviewed, str) and reviewed.startswith(f"{sidecar}: {problem}")
        assert len(reviewed) < 300 and reviewed.endswith("; fix it or delete it")
    else:
        assert isinstance(reviewed, Reviewed)
        assert not reviewed.problem and len(reviewed.rejected) == 1


# ---------------------------------------------------------------- the command line honours it


def _leaflet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, check=False
    )


def _rejected_comma(tmp_path: Path) -> tuple[Path, ChangeKey]:
    article = tmp_path / "in" / "botox.txt"
    article.parent.mkdir()
    text = SAMPLE.read_text("utf-8")
    article.write_text(text, "utf-8")
    key = _commas_key(text)
    save_review(article, Review(text_digest(text)).toggled(key))
    return article, key


def test_leaflet_clean_honours_the_sidecar_and_reports_a_stale_one(tmp_path: Path) -> None:
    article, _key = _rejected_comma(tmp_path)
    expected = clean_beside(article.read_text("utf-8"), article).cleaned.text
    single = _leaflet("clean", str(article), "-o", str(tmp_path / "one.txt"))
    batch = _leaflet("clean", str(article.parent), "-o", str(tmp_path / "many"))
    assert single.returncode == batch.returncode == 0, single.stderr + batch.stderr
    assert (tmp_path / "one.txt").read_text("utf-8") == expected
    assert (tmp_path / "many" / "botox.txt").read_text("utf-8") == expected
    assert expected != clean(article.read_text("utf-8")).text
    article.write_text(article.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    changed = _leaflet("clean", str(article), "-o", str(tmp_path / "one.txt"))
    assert changed.returncode == 0
    assert f"{sidecar_path(article)}: was saved for another version of botox.txt" in changed.stderr


DAMAGED = {  # a sidecar that is a file, damaged: its bytes, and what to do it says
    ".review.json": ('{"leaflet_review": 1, "rejected": [', "fix it or delete it"),
    ".meta.toml": ("author = ", "fix the syntax"),
}
UNUSABLE: dict[str, Callable[[Path], object] | None] = {  # how a sidecar is made unusable
    "damaged": None,  # DAMAGED
    "a pipe": _fifo,
    "a link to nothing": lambda path: path.symlink_to("gone.json"),
    "a link loop": lambda path: path.symlink_to(path.name),
    "a folder": lambda path: path.mkdir(),
}
COMMANDS = {
    "clean one article": ["clean", "{tmp}/in/botox.txt", "-o", "{tmp}/one.txt"],
    "clean a batch": ["clean", "{tmp}/in", "-o", "{tmp}/out", "-j", "1"],
    "build": ["build", "{tmp}/in", "-o", "{tmp}/out", "--format", "json", "-j", "1"],
}


@pytest.mark.parametrize("suffix", DAMAGED)
@pytest.mark.parametrize("make", UNUSABLE.values(), ids=UNUSABLE)
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_an_unusable_sidecar_fails_its_article_everywhere_and_a_batch_goes_on(
    tmp_path: Path, make: Callable[[Path], object] | None, command: list[str], suffix: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """One policy: a single article, a batch and a build never make an article without
    what its sidecars say (an editor's decisions, its sign-off), and a batch builds its
    other articles."""
    article, _key = _rejected_comma(tmp_path)
    sidecar = article.with_name(article.name + suffix)
    sidecar.unlink(missing_ok=True)
    content, to_do = DAMAGED[suffix]
    sidecar.write_text(content, "utf-8") if make is None else make(sidecar)
    (article.parent / "other.txt").write_text("Other\n\nIt helps.\n", "utf-8")
    assert main([part.format(tmp=tmp_path) for part in command]) == 1
    captured = capsys.readouterr()
    (line,) = [line for line in captured.err.splitlines() if f"{sidecar}:" in line]
    assert line.endswith(f"; {to_do if make is None else 'fix it or delete it'}")
    assert len(line) < 300
    if command[1].endswith(".txt"):
        assert line.startswith(f"leaflet: {sidecar}: ") and captured.err.count("\n") == 1
        assert not (tmp_path / "one.txt").exists()
    else:
        made = [p.name for p in (tmp_path / "out").iterdir()]
        assert "built 1, skipped 0, failed 1" in captured.out
        assert ("other.json" if command[0] == "build" else "other.txt") in made
        assert not [name for name in made if name.startswith("botox")]


def test_leaflet_build_honours_the_sidecar_and_rebuilds_when_it_changes(tmp_path: Path) -> None:
    article, key = _rejected_comma(tmp_path)
    out = tmp_path / "out"
    first = _leaflet("build", str(article.parent), "-o", str(out), "--format", "json", "-j", "1")
    assert first.returncode == 0, first.stderr
    (built,) = [p for p in out.glob("*.json") if not p.name.startswith(".")]
    document = json.loads(built.read_text("utf-8"))
    assert len(document["changes"]) == len(clean(SAMPLE.read_text("utf-8")).changes) - 1
    save_review(article, Review(text_digest(SAMPLE.read_text("utf-8"))))  # un-reject
    again = _leaflet("build", str(article.parent), "-o", str(out), "--format", "json", "-j", "1")
    assert "built 1, skipped 0" in again.stderr + again.stdout
    document = json.loads(built.read_text("utf-8"))
    assert len(document["changes"]) == len(clean(SAMPLE.read_text("utf-8")).changes)
