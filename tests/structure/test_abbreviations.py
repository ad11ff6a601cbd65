"""Abbreviations the article defines (pipeline.structure.abbreviations)."""

# ruff: noqa: E501 -- one case per row: sentences from the dev articles, kept whole

from __future__ import annotations

import pytest

from pipeline.model import Abbreviation
from pipeline.structure.abbreviations import (
    abbreviations_in,
    find_abbreviations,
    is_short_form,
    match_long_form,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Overactive bladder (OAB) and urgency.", [("OAB", "Overactive bladder")]),
        ("Temporomandibular joint disorder (TMJ) entails pain.", [("TMJ", "Temporomandibular joint disorder")]),
        ("a heart attack, a stroke, or a transient ischaemic attack (TIA), doctors", [("TIA", "transient ischaemic attack")]),
        ("other medicines such as anticoagulants or non-steroidal anti-inflammatory drugs (NSAIDs).", [("NSAIDs", "non-steroidal anti-inflammatory drugs")]),
        ("too much can cause local anaesthetic systemic toxicity (LAST). Early", [("LAST", "local anaesthetic systemic toxicity")]),
        ("particularly for ventricular fibrillation (VF) that does not respond", [("VF", "ventricular fibrillation")]),
        # decision: Schwartz-Hearst accepts COX: C starts the word, O and X follow in it
        ("By blocking enzymes called cyclooxygenases (COX), aspirin", [("COX", "cyclooxygenases")]),
        # short form first, long form in parentheses
        ("Ask about NSAIDs (non-steroidal anti-inflammatory drugs) first.", [("NSAIDs", "non-steroidal anti-inflammatory drugs")]),
        ("Overactive bladder (OAB) and the OAB (overactive bladder) again", [("OAB", "Overactive bladder"), ("OAB", "overactive bladder")]),
        # text in other scripts, as the raw article has it
        ("Ovеractivе bladdеr (OAB) and", [("OAB", "Ovеractivе bladdеr")]),
        # negative rows
        ("Hyperhidrosis (excessive sweating) is common.", []),
        ("cervical dystonia (a painful neck condition characterized by involuntary muscle contractions)", []),
        ("eyelid spasms (blepharospasm).", []),
        ("strabismus (ocular misalignment) and", []),
        ("dosed at 5 mg (5%) daily", []),
        ("a heart attack (TIA) is not what TIA stands for", []),
        ("Botox (OAB) treatments", []),
        ("aspirin. Overactive (OA) bladder", [("OA", "Overactive")]),
        ("aspirin. (OA) bladder", []),
        ("TMJ (jaw pain) is", []),
        ("unclosed (OAB", []),
    ],
)  # fmt: skip
def test_abbreviations_in(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(a.short, a.expansion) for a in abbreviations_in(text)] == expected


def test_find_abbreviations_keeps_first_definition_in_order() -> None:
    texts = [
        "Overactive bladder (OAB) is common. Temporomandibular joint disorder (TMJ) hurts.",
        "Conventional OAB treatments help. Later, overactive bladder (OAB) again.",
        "A transient ischaemic attack (TIA) is brief.",
    ]
    assert find_abbreviations(texts) == (
        Abbreviation("OAB", "Overactive bladder"),
        Abbreviation("TMJ", "Temporomandibular joint disorder"),
        Abbreviation("TIA", "transient ischaemic attack"),
    )


@pytest.mark.parametrize("texts", [[], [""], ["No definitions here (none at all)."]])
def test_find_abbreviations_none(texts: list[str]) -> None:
    assert find_abbreviations(texts) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OAB", True),
        ("NSAIDs", True),
        ("Hb", True),
        ("COVID-19", True),
        ("5-HT", True),
        ("A", False),
        ("ABCDEFGHIJK", False),
        ("mAb", False),
        ("Botox", False),
        ("e.g.", False),
        ("5%", False),
        ("-AB", False),
        ("O A", False),
    ],
)
def test_is_short_form(text: str, expected: bool) -> None:
    assert is_short_form(text) is expected


@pytest.mark.parametrize(
    ("short", "candidate", "expected"),
    [
        ("OAB", "with overactive bladder", "overactive bladder"),
        ("NSAIDs", "or non-steroidal anti-inflammatory drugs", "non-steroidal anti-inflammatory drugs"),
        ("HT", "blocks 5-hydroxytryptamine", "5-hydroxytryptamine"),
        ("TIA", "a painful neck", None),
        ("OAB", "OAB", None),
        ("AB", "ab", None),
    ],
)  # fmt: skip
def test_match_long_form(short: str, candidate: str, expected: str | None) -> None:
    assert match_long_form(short, candidate) == expected


@pytest.mark.parametrize(
    "text",
    [
        "See the NHS (https://www.nhs.uk/) for more.",
        "Ask the NHS (www.nhs.uk) for more.",
        "Write to the NHS (help@nhs.uk) for more.",
        "Visit the NHS (nhs.uk) for more.",
    ],
)
def test_an_address_in_parentheses_is_not_an_expansion(text: str) -> None:
    assert find_abbreviations([text]) == ()
