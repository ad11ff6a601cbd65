"""Suspects: what the cleaner left but found odd, reported, never changed."""

from __future__ import annotations

import json

import pytest

from pipeline import build_document, clean
from pipeline.explain import explain


@pytest.mark.parametrize(
    ("text", "suspects"),
    [
        ("The Gαq protein binds.", ["Gαq"]),
        ("The factor NF-κB is active.", ["κB"]),
        ("For every 𝑥 in the set we are done.", []),  # a maths letter alone is a symbol
        ("The 𝚌𝚊𝚝 sat on the mat in the sun.", []),  # repaired, so nothing is left
        ("Der Mann\u00adschaft ist gut und stark.", []),  # a German soft hyphen, not English
        ("Plain English text with “quotes” and café.", []),
        ("Moscow is Москва in Russian.", []),
        ("Bonjour\u202f! Comment allez-vous\u202f?", []),
        ("I ❤️ my nurse 👨\u200d⚕️ here.", []),
    ],
)
def test_suspects_found(text: str, suspects: list[str]) -> None:
    result = clean(text)
    assert [s.text for s in result.suspects] == suspects
    for suspect in result.suspects:
        assert result.text[suspect.start : suspect.end] == suspect.text
        assert suspect.reason


def test_suspects_are_shown_by_explain_and_written_as_json() -> None:
    result = clean("Thе Gαq protеin binds an’ sеts off thе signal.")
    shown = explain(result, "a.txt")
    assert "suspects, left as they are (1)" in shown
    assert "Greek letter α inside a Latin word" in shown
    plan = json.loads(result.changes_json())
    assert plan["suspects"] == [s.to_dict() for s in result.suspects]


def test_suspects_reach_the_document() -> None:
    document = build_document("Signals\n\nThe Gαq protein binds.")
    assert [s.text for s in document.suspects] == ["Gαq"]
    assert document.to_dict()["suspects"][0]["text"] == "Gαq"
