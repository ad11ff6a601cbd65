"""Sentence splitting of paragraphs (pipeline.structure.sentences)."""

from __future__ import annotations

import pytest

from pipeline.structure import sentences as sentences_module
from pipeline.structure.components import OUTLINE_COMPONENTS, load_nlp
from pipeline.structure.sentences import chunk_bounds, split_sentences


def split(*texts: str) -> list[tuple[str, ...]]:
    return split_sentences(load_nlp(), list(texts), OUTLINE_COMPONENTS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It works. Ask a GP.", ("It works.", "Ask a GP.")),
        ("Is it safe? Yes! Mostly.", ("Is it safe?", "Yes!", "Mostly.")),
        ("Take 4.5 mg a day.", ("Take 4.5 mg a day.",)),
        ("Dr. Smith agrees, e.g. for adults.", ("Dr. Smith agrees, e.g. for adults.",)),
        ("It helps (a lot.) Then stop.", ("It helps (a lot.)", "Then stop.")),
        ("no full stop at all", ("no full stop at all",)),
        ("Two  spaces.  Here.", ("Two  spaces.", "Here.")),
    ],
)
def test_split_sentences(text: str, expected: tuple[str, ...]) -> None:
    assert split(text) == [expected]


def test_each_text_is_split_on_its_own() -> None:
    assert split("Uses", "Rest well. Drink water.") == [("Uses",), ("Rest well.", "Drink water.")]
    assert split() == []


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("One. Two. Three.", 11, [(0, 10), (10, 16)]),
        ("One. Two. Three.", 100, [(0, 16)]),
        ("abcdef ghijkl", 8, [(0, 7), (7, 13)]),
        ("abcdefghijkl", 5, [(0, 5), (5, 10), (10, 12)]),
        ("", 5, [(0, 0)]),
    ],
)
def test_chunk_bounds(text: str, limit: int, expected: list[tuple[int, int]]) -> None:
    assert list(chunk_bounds(text, limit)) == expected


def test_long_paragraphs_are_split_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(50))
    whole = split(text)
    monkeypatch.setattr(sentences_module, "MAX_CHUNK", 60)
    assert split(text) == whole
    assert all(sentence in text for sentence in whole[0])
    assert len(whole[0]) == 50
