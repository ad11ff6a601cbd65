"""The Python API: clean_corpus, clean_series and clean_frame (in pandas and in a Dask
job), and the tables the corpus code is built on."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import pipeline
from pipeline.corpus.formats import Format, corpus_format, output_format
from pipeline.corpus.record import clean_value
from pipeline.corpus.settings import CorpusSettings
from pipeline.corpus.task import Counts, Damaged, TaskResult
from tests.corpus.conftest import DEV, Corpus

SPUN = (DEV / "spun" / "multi" / "01-aspirin-beyond-pain-relief.txt").read_text("utf-8")
CLEAN = (DEV / "original" / "01-aspirin-beyond-pain-relief.txt").read_text("utf-8")


def test_importing_pipeline_imports_no_dataframe_library() -> None:
    code = (
        "import sys, pipeline, pipeline.corpus, pipeline.cli\n"
        "print(sorted(m for m in ('dask', 'pandas', 'pyarrow', 'distributed') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout == "[]\n"


def test_clean_corpus_returns_a_typed_result(jsonl_corpus: Corpus, tmp_path: Path) -> None:
    result = pipeline.clean_corpus(jsonl_corpus.folder, tmp_path / "out", part_size=40_000)
    assert isinstance(result, pipeline.CorpusResult)
    assert result.records == len(jsonl_corpus.records)
    assert result.failed == 3 and result.cleaned == result.records - 3  # null, number, 5 MB
    assert result.complete and not result.lossless  # one line was not JSON
    assert result.malformed_lines == 1 and result.resumed == 0
    assert result.by_stage["homoglyphs"] > 0 and result.changed > 0
    assert [p.name for p in sorted((tmp_path / "out").glob("part-*"))] == list(result.parts)
    with pytest.raises(pipeline.errors.InputError, match="engine 'spark'"):
        pipeline.clean_corpus(jsonl_corpus.folder, tmp_path / "other", engine="spark")  # type: ignore[arg-type]


def test_clean_series_in_pandas() -> None:
    import pandas as pd

    texts = pd.Series([SPUN, CLEAN, None, ""], index=[10, 20, 30, 40], name="body")
    cleaned = pipeline.clean_series(texts)
    assert cleaned.name == "body" and list(cleaned.index) == [10, 20, 30, 40]
    assert cleaned.dtype == texts.dtype
    assert cleaned[10] == pipeline.clean(SPUN).text != SPUN
    assert cleaned[20] == CLEAN and cleaned[40] == "" and pd.isna(cleaned[30])
    mixed = pd.Series([SPUN, 42], dtype=object)
    assert pipeline.clean_series(mixed).tolist() == [pipeline.clean(SPUN).text, 42]


def test_clean_frame_adds_leaflets_columns() -> None:
    import pandas as pd

    frame = pd.DataFrame({"text": [SPUN, None], "id": ["a", "b"]})
    cleaned = pipeline.clean_frame(frame, with_changes=True)
    assert list(cleaned.columns) == ["text", "id", "leaflet_changes", "leaflet_suspects",
                                     "leaflet_error", "leaflet_changes_json"]  # fmt: skip
    assert frame["text"][0] == SPUN  # the caller's frame is not changed
    changes = cleaned["leaflet_changes"][0]
    assert sum(changes.values()) == len(pipeline.clean(SPUN).changes)
    assert cleaned["leaflet_error"].tolist() == [None, "no text: the 'text' field is null"]


def test_clean_series_in_a_users_dask_job(scheduler: str) -> None:
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client

    frame = pd.DataFrame({"text": [SPUN, CLEAN, None, SPUN[:500]] * 3, "n": range(12)})
    with Client(scheduler):
        ddf = dd.from_pandas(frame, npartitions=3)
        ddf["text"] = ddf["text"].map_partitions(pipeline.clean_series)
        got = ddf.compute()
        framed = dd.from_pandas(frame, npartitions=3).map_partitions(pipeline.clean_frame)
        errors = framed["leaflet_error"].compute()
    expected = pipeline.clean_series(frame["text"])
    assert got["text"].fillna("<null>").tolist() == expected.fillna("<null>").tolist()
    assert expected[0] == pipeline.clean(SPUN).text != SPUN
    assert got["n"].tolist() == list(range(12))
    assert errors.notna().sum() == 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.jsonl", Format("jsonl")),
        ("A.JSONL.GZ", Format("jsonl", "gzip")),
        ("c4-train.00000-of-01024.json.gz", Format("jsonl", "gzip")),
        ("shard.jsonl.zst", Format("jsonl", "zstd")),
        ("t.parquet", Format("parquet")),
        ("notes.txt", None),
        ("data.json", None),  # one JSON document, not JSON Lines
        ("a.jsonl.bz2", None),
        (".jsonl", None),  # a name that is only the ending
    ],
)
def test_corpus_formats(name: str, expected: Format | None) -> None:
    assert corpus_format(name) == expected


@pytest.mark.parametrize(
    ("out", "expected"),
    [("cleaned", ".parquet"), ("cleaned.parquet", ".parquet"), ("cleaned.jsonl", ".jsonl"),
     ("cleaned.json.gz", ".jsonl.gz"), ("c.jsonl.zst", ".jsonl.zst"), ("c.csv", ".parquet")],
)  # fmt: skip
def test_output_formats(out: str, expected: str) -> None:
    assert output_format(out).suffix == expected


BLANK = "no text: the 'text' field holds only blank space or invisible characters"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (SPUN[:300], None),
        ("", None),  # an empty string is kept, no error: nothing in it to clean or lose
        ("\u200bAspirin", None),
        (" \n\t\n\u2028\u0085\n", BLANK),
        ("\u200b\u200b\u200b\n", BLANK),
        ("\u00ad\u00ad\u2060", BLANK),
        ("\ufeff", BLANK),
        ("\x07\x07\n", BLANK),  # blank once cleaned
        (None, "no text: the 'text' field is null"),
        (float("nan"), "no text: the 'text' field is null"),
        (3.5, "not text: the 'text' field is a number"),
        (False, "not text: the 'text' field is true or false"),
        (b"bytes", "not text: the 'text' field is bytes"),
        ("x" * 1001, "too large: 1,001 bytes of text, over the limit of 1,000 bytes"),
        ("é" * 501, "too large: 1,002 bytes of text, over the limit of 1,000 bytes"),
        ("é" * 500, None),
    ],
)
def test_clean_value(value: Any, error: str | None) -> None:
    result = clean_value(value, CorpusSettings(max_record_size=1000))
    assert result.error == error
    if error is None:
        assert result.text == pipeline.clean(value).text
        assert result.changed == (result.text != value)
    else:
        assert result.text is value and result.total == 0 and not result.changed


@pytest.mark.parametrize(
    ("module", "out", "engine"),
    [("pyarrow", "out", "local"), ("zstandard", "out.jsonl.zst", "local"),
     ("distributed", "out.jsonl", "dask")],
)  # fmt: skip
def test_a_missing_library_is_one_error_before_any_work(
    jsonl_corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    module: str, out: str, engine: Any,
) -> None:  # fmt: skip
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n: None if n == module else find_spec(n)
    )
    single = jsonl_corpus.folder / "a.jsonl"  # needs neither pyarrow nor zstandard to read
    with pytest.raises(pipeline.errors.InputError, match=f"needs {module}, which is not installed"):
        pipeline.clean_corpus(single, tmp_path / out, engine=engine)
    assert not (tmp_path / out).exists()


UNGUARDED = """
import pipeline

pipeline.clean_corpus("c.jsonl", "out", engine="dask", jobs=1)
print("the script went on")
"""


def test_a_script_without_a_main_guard_is_told_what_to_do(tmp_path: Path) -> None:
    """Dask's worker processes start by running the script again: without ``if __name__
    == "__main__":`` the call runs again in each, and the cluster cannot start."""
    (tmp_path / "c.jsonl").write_text('{"text": "an’ cеlеbratеd"}\n', "utf-8")
    (tmp_path / "script.py").write_text(UNGUARDED, "utf-8")
    ran = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)  # fmt: skip
    assert ran.returncode == 1 and ran.stdout == ""
    assert ran.stderr.splitlines()[-1] == (
        "pipeline.errors.InputError: a local Dask cluster could not start (Nanny failed to "
        "start); in a script, call clean_corpus under 'if __name__ == \"__main__\":', since "
        "Dask starts its workers by running the script again"
    )
    for noise in ("RuntimeError", "bootstrapping phase", "distributed.", "Nanny failed to start."):
        assert noise not in ran.stderr
    assert not (tmp_path / "out").exists()


def test_a_task_result_keeps_its_flat_json_and_adds_up() -> None:
    """A task's marker in ``_tasks/`` keeps its keys (a ``--resume`` reads markers an
    earlier run wrote), and the counts it shares with the run's result add up."""
    stages = {"encoding": 0, "unicode": 1, "homoglyphs": 2, "contractions": 0, "commas": 3}
    damaged = (Damaged(4, 6, stages, "id-4"),)
    result = TaskResult(index=1, parts=("part-00001-000.jsonl",), records=5, changed=2,
                        failed=1, suspects=7, text_bytes=900, lines=6, by_stage=stages,
                        damaged=damaged, problems=((3, "not JSON"),), malformed=1,
                        stopped=None, seconds=0.5)  # fmt: skip
    data = json.loads(result.to_json())
    assert set(data) == {
        "index", "parts", "records", "changed", "failed", "suspects", "text_bytes", "lines",
        "by_stage", "damaged", "problems", "malformed", "stopped", "seconds", "version",
    }  # fmt: skip
    assert TaskResult.from_json(result.to_json()) == result
    other = replace(result, records=1, by_stage={**stages, "commas": 0, "tables": 2})
    total = Counts.added([result, other])
    assert (total.records, total.failed) == (6, 2)
    assert total.by_stage == {**stages, "commas": 3, "homoglyphs": 4, "unicode": 2, "tables": 2}
