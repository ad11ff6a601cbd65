"""The one heading rule (``pipeline.shapes``), shared by cleaning and sectioning."""

from __future__ import annotations

import pytest

from pipeline import build_document, clean
from pipeline.shapes import is_heading_line, plain_shape


@pytest.mark.parametrize(
    ("line", "shape", "heading"),
    [
        ("Muscle Spasms and Dystonia", "label", True),
        ("What is Botox and how does it work?", "question", True),
        ("2. Side effects and risks", "numbered_label", True),
        ("Temporomandibular Joint Disorder (TMJ):", "label", True),
        ("## Risks and benefits", "label", True),
        ("It works and it lasts.", "text", False),
        ("- Pain and swelling", "bullet", False),
        ("1. Rest well and drink water.", "numbered", False),
        ("Common signs of weak bones and which you should watch for include:", "text", False),
        ("Is it safe? Yes and no?", "text", False),
        ("1943", "text", False),
    ],
)
def test_line_shapes(line: str, shape: str, heading: bool) -> None:
    assert plain_shape(line) == shape
    assert is_heading_line(line) is heading


SPUN_BOTOX = (
    "Botox Beyond Beauty\n\n"
    "Botox hеlps an’ hеals an’ calms musclеs an’ nеrvеs and oftеn quickly.\n\n"
    "What is Botox and how does it work?\n\n"
    "It blocks signals from nеrvеs to musclеs an’ rеlaxеs thеm."
)


def test_question_heading_keeps_its_and_and_stays_a_heading() -> None:
    """Regression: the commas stage and sectioning once disagreed about this heading."""
    cleaned = clean(SPUN_BOTOX)
    assert "What is Botox and how does it work?" in cleaned.text
    assert "calms muscles and nerves, often quickly." in cleaned.text
    document = build_document(SPUN_BOTOX)
    headings = [section.heading for section in document.walk()]
    assert "What is Botox and how does it work?" in headings
