"""The review's marked text: every change in place, the text itself unchanged, escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Cleaned, Suspect
from pipeline.review import Reviewed, clean_reviewed
from pipeline.studio.marking import char_label, marked_lines, named_characters, token
from tests.studio.conftest import DEV, SAMPLE

ARTICLES = [SAMPLE, *sorted(DEV.glob("spun/*/*.txt"))]


class _Reader(HTMLParser):
    """The article text a reader sees (without the tips and the marks of deleted lines),
    and every marked element's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self.suspects: list[dict[str, str | None]] = []
        self.buttons: list[dict[str, str | None]] = []
        self._stack: list[bool] = []  # for each open element: is it inside a tip?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        in_tip = bool(self._stack and self._stack[-1]) or "tip" in classes or "gap" in classes
        self._stack.append(in_tip)
        if "chg" in classes:
            self.marks.append(values)
        if "suspect" in classes:
            self.suspects.append(values)
        if tag == "button":
            self.buttons.append(values)

    def handle_endtag(self, tag: str) -> None:
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self._stack and self._stack[-1]):
            self.text.append(data)


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_change_is_marked_and_the_text_is_the_cleaned_text(path: Path) -> None:
    reviewed = clean_reviewed(path.read_text("utf-8"))
    lines = marked_lines(reviewed)
    readers = [_read(line.html) for line in lines]
    cleaned_lines = [line for line in reviewed.cleaned.text.split("\n") if line]
    assert ["".join(r.text) for r in readers] == cleaned_lines
    marks = [m for r in readers for m in r.marks]
    assert sorted(m["data-key"] or "" for m in marks) == sorted(token(m) for m in reviewed.marks)
    assert all(m["data-stage"] and m["data-rule"] for m in marks)
    assert len([b for r in readers for b in r.buttons]) == len(reviewed.marks)


_SPUN = st.sampled_from(
    [
        " ",
        ".",
        "\n",
        "\n\n",
        "an’ ",
        "in’ ",
        " and ",
        "е",
        "о",
        "he",
        "lps",
        "<b>",
        "&",
        "\u200b",
        "x",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_SPUN, max_size=40).map("".join))
def test_marking_any_text_keeps_it_whole(text: str) -> None:
    reviewed = clean_reviewed(text)
    lines = marked_lines(reviewed)
    readers = [_read(line.html) for line in lines]
    cleaned = reviewed.cleaned.text.split("\n")
    assert ["".join(r.text) for r in readers] == [cleaned[line.number - 1] for line in lines]
    assert all(cleaned[line.number - 1] or line.marks for line in lines)
    assert {m["data-key"] for r in readers for m in r.marks} == {token(m) for m in reviewed.marks}


def test_a_rejected_change_shows_the_text_it_kept_and_restores() -> None:
    text = "Smооthin’ hеlps an’ hеals an’ calms an’ soothеs.\n"
    key = next(m.key for m in clean_reviewed(text).marks if m.key.before == "an’")
    reviewed = clean_reviewed(text, rejected={key})
    (line,) = marked_lines(reviewed)
    reader = _read(line.html)
    rejected = [m for m in reader.marks if m.get("data-rejected") == "true"]
    assert len(rejected) == 1 and rejected[0]["data-stage"] == "contractions"
    assert 'Rejected: the text keeps <q>an<b class="odd">’</b></q>' in line.html
    assert "Restore<span" in line.html and line.html.count("Reject<span") == len(reader.marks) - 1


def test_tips_name_look_alikes_and_invisible_characters() -> None:
    text = "Thе wrinklеs an’ fi\u200bne linеs an’ so an’ on.\n"
    (line,) = marked_lines(clean_reviewed(text))
    assert "е CYRILLIC SMALL LETTER IE (U+0435)" in line.html
    assert '<b class="odd">е</b>' in line.html


@pytest.mark.parametrize(
    ("char", "label"),
    [
        ("\u0435", "е CYRILLIC SMALL LETTER IE (U+0435)"),
        ("\u200b", "⟨U+200B⟩ ZERO WIDTH SPACE"),
        ("\u00a0", "⟨U+00A0⟩ NO-BREAK SPACE"),
        ("\u03bf", "ο GREEK SMALL LETTER OMICRON (U+03BF)"),
        ("a", "a LATIN SMALL LETTER A (U+0061)"),
    ],
)
def test_char_label(char: str, label: str) -> None:
    assert char_label(char) == label


@pytest.mark.parametrize(
    ("before", "after", "named"),
    [
        ("wоrd", "word", ["о CYRILLIC SMALL LETTER O (U+043E)"]),
        ("fi\u200bne", "fine", ["⟨U+200B⟩ ZERO WIDTH SPACE"]),
        (" and", ",", []),
        ("café", "café", []),  # kept characters are not what changed
    ],
)
def test_named_characters(before: str, after: str, named: list[str]) -> None:
    assert named_characters(before, after) == named


def test_suspects_are_marked_in_their_own_style_with_their_reason() -> None:
    text = "Gαq signalling <i>matters</i>.\n"
    suspect = Suspect(0, 3, "Gαq", "Greek letter inside a Latin word <b>")
    reviewed = Reviewed(Cleaned(text, text, (), (suspect,)))
    (line,) = marked_lines(reviewed)
    reader = _read(line.html)
    assert [s["data-reason"] for s in reader.suspects] == ["Greek letter inside a Latin word <b>"]
    assert "&lt;b&gt;" in line.html and "<b>" not in line.html.replace('<b class="odd">', "")
    assert "".join(reader.text) == text.strip()
    assert marked_lines(reviewed, stages={"commas"})[0].marks == 0


def test_filtering_by_stage_leaves_the_rest_unmarked() -> None:
    reviewed = clean_reviewed(SAMPLE.read_text("utf-8"))
    lines = marked_lines(reviewed, stages={"commas"})
    stages = {m["data-stage"] for line in lines for m in _read(line.html).marks}
    assert stages == {"commas"}
    assert sum(len(_read(line.html).marks) for line in lines) == 38


def test_article_text_is_escaped() -> None:
    text = "<script>alert(1)</script> hеlps an’ hеals an’ calms an’ soothеs & <b>.\n"
    (line,) = marked_lines(clean_reviewed(text))
    assert "<script>" not in line.html and "&lt;script&gt;" in line.html
    assert "&amp;" in line.html
