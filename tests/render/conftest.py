"""Fixtures for the publishing tests, and a guard that fails any test in which WeasyPrint
logs a warning or an error."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from pipeline.config import LeafletConfig

from .helpers import CONFIG


@pytest.fixture
def config() -> LeafletConfig:
    return CONFIG


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_weasyprint_warnings() -> Iterator[_Recorder]:
    """Fail the test if WeasyPrint warns (a refused URL, an unknown CSS property...)."""
    recorder = _Recorder()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(recorder)
    yield recorder
    logger.removeHandler(recorder)
    assert [r.getMessage() for r in recorder.records] == []
