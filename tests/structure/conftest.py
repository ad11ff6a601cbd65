"""Fixtures for the sectioning tests: the sample article, raw and with its ``е`` fixed."""

from __future__ import annotations

import pytest

from .data import CYRILLIC_IE, SAMPLE


@pytest.fixture(scope="session")
def raw_sample_text() -> str:
    """The sample article exactly as it reached us."""
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_text(raw_sample_text: str) -> str:
    """The sample article with its Cyrillic ``е`` put back to ``e``: the line structure
    is the clean article's."""
    return raw_sample_text.replace(CYRILLIC_IE, "e")
