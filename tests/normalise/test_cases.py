"""The stage tables in tests/cases/<stage>.json: rows that must change and rows that must not.

Each row has a ``label``, an ``input``, and an ``output`` (omitted: the input must come
through unchanged). Rows run through the whole :func:`clean`. Whether the file's own stage
must act is ``stage_acts`` (default: whether the output differs); a row where other stages
repair the text but this stage must hold back says ``"stage_acts": false``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline import clean
from pipeline.normalise import STAGES

CASES = Path(__file__).parent.parent / "cases"


def _rows() -> list[Any]:
    rows = []
    for path in sorted(CASES.glob("*.json")):
        for row in json.loads(path.read_text("utf-8")):
            rows.append(pytest.param(path.stem, row, id=f"{path.stem}:{row['label']}"))
    return rows


def test_every_stage_has_a_table() -> None:
    assert {path.stem for path in CASES.glob("*.json")} == set(STAGES)


@pytest.mark.parametrize(("stage", "row"), _rows())
def test_case(stage: str, row: dict[str, str]) -> None:
    expected = row.get("output", row["input"])
    result = clean(row["input"])
    assert result.text == expected
    acted = stage in {c.stage for c in result.changes}
    assert acted == row.get("stage_acts", expected != row["input"])
    if expected == row["input"]:
        assert result.changes == ()
