"""Both engines, both input formats: the same corpus gives the same output everywhere.

The local engine in one process (``-j 1``) is the reference; the local engine with two
workers, a ``dask scheduler`` with a ``dask worker`` (separate processes), and a
``LocalCluster`` of two worker processes must write byte-identical parts and the same
report. Every run adds the change lists (``--with-changes``), so those are compared too.
"""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest

from pipeline.corpus.record import CHANGE_LIST
from tests.corpus.conftest import Corpus
from tests.corpus.helpers import check_records, parts, records, report, run

WITH_CHANGES = ("--with-changes",)


@pytest.fixture(params=["jsonl", "parquet"])
def corpus(request: pytest.FixtureRequest) -> Corpus:
    return request.getfixturevalue(f"{request.param}_corpus")  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Each corpus's reference run, made once (by :func:`reference`)."""
    return {}


@pytest.fixture
def reference(corpus: Corpus, references: dict[Path, Path]) -> Path:
    """The corpus cleaned by the local engine in one process."""
    return reference_of(corpus, references)


def reference_of(corpus: Corpus, references: dict[Path, Path]) -> Path:
    if corpus.folder not in references:
        out = corpus.folder.parent / f"{corpus.folder.name}-reference"
        status = run(corpus.folder, out, "-j", "1", *WITH_CHANGES)
        assert status == (1 if corpus.malformed else 0)  # a skipped line is a loss: status 1
        references[corpus.folder] = out
    return references[corpus.folder]


def test_the_reference_run_cleans_every_record_once(corpus: Corpus, reference: Path) -> None:
    check_records(corpus, reference)
    assert all(CHANGE_LIST in r for r in records(reference))  # so check_records compared them
    assert (reference / "_SUCCESS").exists()
    assert len(parts(reference)) >= 4
    summary = report(reference)
    assert summary["records"] == len(corpus.records)
    assert summary["failed"] == sum(
        not isinstance(r["text"], str) or len(r["text"]) > 4_000_000 for r in corpus.records
    )
    assert [f"{m['file']}:{m['line']}" for m in summary["malformed"]] == [
        str(corpus.folder / m) for m in corpus.malformed
    ]


@pytest.mark.parametrize(
    "engine",
    [["-j", "2"], ["--engine", "dask", "--scheduler"]],
    ids=["local-2-workers", "dask-scheduler-and-worker"],
)
def test_every_engine_writes_the_same_parts(
    corpus: Corpus, reference: Path, tmp_path: Path, engine: list[str], scheduler: str
) -> None:
    out = tmp_path / "out"
    arguments = [*engine, scheduler] if engine[-1] == "--scheduler" else engine
    run(corpus.folder, out, *arguments, *WITH_CHANGES)
    assert parts(out) == parts(reference)
    assert report(out) == report(reference)
    assert (out / "_SUCCESS").exists()


def test_a_local_cluster_of_two_workers_writes_the_same_parts_and_is_stopped(
    jsonl_corpus: Corpus,
    references: dict[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reference = reference_of(jsonl_corpus, references)
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    out = tmp_path / "out"
    run(jsonl_corpus.folder, out, "--engine", "dask", "-j", "2", *WITH_CHANGES)
    assert "Dask dashboard: http://127.0.0.1:" in capsys.readouterr().err
    assert parts(out) == parts(reference)
    assert report(out) == report(reference)
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert [p.cmdline() for p in left if _alive(p) and not _resource_tracker(p)] == []


def _alive(process: psutil.Process) -> bool:
    return process.is_running() and process.status() != psutil.STATUS_ZOMBIE


def _resource_tracker(process: psutil.Process) -> bool:
    """multiprocessing's resource tracker: started by the first run in this process that
    needs one (whichever test that is), it lives as long as the test process does."""
    return "multiprocessing.resource_tracker" in " ".join(process.cmdline())
