"""The standard top-level headings of a leaflet (pipeline.structure.headings)."""

from __future__ import annotations

import pytest

from pipeline.structure.headings import TOP_LEVEL_HEADINGS, heading_words, is_top_level_heading


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Risks and Precautions", True),
        ("RISKS", True),
        ("Side effects", True),
        ("Side Effects of Steroids", True),
        ("Safety Considerations", True),
        ("Precautions", True),
        ("Warnings and precautions:", True),
        ("When to get help", True),
        ("When to seek urgent advice", True),
        ("Summary", True),
        ("Conclusion", True),
        ("Further information", True),
        ("More information and support", True),
        ("Contact us", True),
        ("References", True),
        ("About this leaflet", True),
        ("3. Side effects", True),  # a numbered heading: the number is skipped
        # uncleaned text: look-alike letters, invisible and width variants
        ("Ri\u0455k\u0455 and Precautions", True),
        ("Safe\u200bty\u00a0Considerations", True),
        ("\uff33afety", True),
        # negative rows: whole words only, and only at the start
        ("Riskier Procedures", False),
        ("Risk Factors in Smokers", False),  # decision: "risk" is a topic's part, "risks" not
        ("Side issues", False),
        ("Sideeffects", False),
        ("Contact Dermatitis", False),
        ("Safetynet clinics", False),
        ("Summarising the evidence", False),
        ("Common side effects", False),
        ("Medical Applications of Aspirin", False),
        ("When to take it", False),
        ("About", False),
        ("", False),
    ],
)
def test_is_top_level_heading(heading: str, expected: bool) -> None:
    assert is_top_level_heading(heading) is expected


@pytest.mark.parametrize(
    ("heading", "words"),
    [
        ("Side\u00a0Effects:", "side effects"),
        ("2) When to get help?", "when to get help"),
        ("12 34 Summary", "summary"),
        ("2nd opinion", "2nd opinion"),  # negative row: not a number on its own
        ("Vitamin B12", "vitamin b12"),
    ],
)
def test_heading_words(heading: str, words: str) -> None:
    assert heading_words(heading) == words


def test_the_table_is_short_lower_case_and_single_spaced() -> None:
    assert len(TOP_LEVEL_HEADINGS) <= 20
    assert all(p == " ".join(p.split()) == p.casefold() for p in TOP_LEVEL_HEADINGS)
    assert len(set(TOP_LEVEL_HEADINGS)) == len(TOP_LEVEL_HEADINGS)
