"""Corpora made from the dev articles, and Dask processes, shared by the corpus tests.

The records: the dev originals spun by ``tools/spinner.py`` in every profile, the spun
dev files themselves, clean texts (which must come through unchanged), and bad records
(null, a number, an empty string, 5 MB of text). Each has an ``id`` and a nested ``source``
object that must pass through untouched.

The Dask scheduler and worker are separate processes (``dask scheduler``, ``dask
worker``), started once for the session on free ports and always stopped.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import zstandard

from tools.spinner import PROFILES, spin

ROOT = Path(__file__).parents[2]
DEV = ROOT / "tests" / "data" / "dev"
HUGE = 5_000_000  # bytes of text in the record that is too large by default
BAD_IDS = ("null", "number", "empty", "huge")


def good_records() -> list[dict[str, Any]]:
    """Spun and clean articles, each with an id and a nested source."""
    originals = sorted((DEV / "original").glob("*.txt"))
    records = []
    for path in originals:
        text = path.read_text("utf-8")
        records.append(_record(text, path.stem, "clean"))
        for profile in PROFILES:
            for seed in (1, 2):
                records.append(_record(spin(text, profile, seed)[0], path.stem, profile, seed))
    for path in sorted((DEV / "spun").glob("*/*.txt")):
        records.append(_record(path.read_text("utf-8"), path.stem, f"dev-{path.parent.name}"))
    for number, record in enumerate(records):
        record["id"] = f"r{number:03d}"
    return records


def _record(text: str, article: str, profile: str, seed: int = 0) -> dict[str, Any]:
    source = {"article": article, "profile": profile, "seed": seed, "tags": ["dev", profile]}
    return {"id": "", "text": text, "source": source}


def bad_records() -> list[dict[str, Any]]:
    huge = (DEV / "original" / "01-aspirin-beyond-pain-relief.txt").read_text("utf-8")
    huge = (huge * (HUGE // len(huge) + 1))[:HUGE]
    source = {"article": "", "profile": "bad", "seed": 0, "tags": ["bad"]}
    values: list[Any] = [None, 42, "", huge]
    return [{"id": i, "text": v, "source": source} for i, v in zip(BAD_IDS, values, strict=True)]


@dataclass(frozen=True)
class Corpus:
    """A corpus folder and the records it holds (those a reader can see)."""

    folder: Path
    records: list[dict[str, Any]]
    malformed: list[str] = field(default_factory=list)  # "file:line" of lines not JSON


def write_jsonl(path: Path, records: list[dict[str, Any]], extra: dict[int, str]) -> None:
    """``records`` one a line, with ``extra`` raw lines inserted before the given index."""
    lines = []
    for number, record in enumerate(records):
        if number in extra:
            lines.append(extra[number])
        line = json.dumps(record, ensure_ascii=False)
        lines.append(line if line.isascii() or "\\ud" not in repr(line) else json.dumps(record))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


@pytest.fixture(scope="session")
def jsonl_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Three files: a plain ``.jsonl`` (cut into byte ranges; with a blank line and a
    line that is not JSON), a ``.jsonl.gz`` and a ``.jsonl.zst`` (one task each, which
    holds the 5 MB record)."""
    folder = tmp_path_factory.mktemp("jsonl-corpus")
    good, bad = good_records(), bad_records()
    first, second, third = good[:14] + bad[:3], good[14:20], good[20:] + bad[3:]
    write_jsonl(folder / "a.jsonl", first, {3: "", 9: "{not json"})
    write_jsonl(folder / "b.jsonl.gz", second, {})
    write_jsonl(folder / "c.jsonl.zst", third, {})
    # a.jsonl: the blank line is line 4, the bad one line 11 (after 9 records and the blank)
    return Corpus(folder, first + second + third, ["a.jsonl:11"])


@pytest.fixture(scope="session")
def parquet_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Two files: one with small row groups (several tasks), one whose text column holds
    numbers (every record there cannot be cleaned)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("parquet-corpus")
    records = good_records() + [r for r in bad_records() if r["id"] != "number"]
    pq.write_table(pa.Table.from_pylist(records), folder / "a.parquet", row_group_size=4)
    numbers = [{"id": "n1", "text": 7, "source": records[0]["source"]}]
    pq.write_table(pa.Table.from_pylist(numbers), folder / "b.parquet")
    return Corpus(folder, records + numbers)


# Dask as separate processes ------------------------------------------------------------


@dataclass
class DaskProcesses:
    """A ``dask scheduler`` and its ``dask worker`` processes, in ``folder``."""

    folder: Path
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def scheduler_file(self) -> Path:
        return self.folder / "scheduler.json"

    @property
    def address(self) -> str:
        return str(json.loads(self.scheduler_file.read_text())["address"])

    def start_scheduler(self) -> str:
        command = ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
        self.scheduler = _dask(*command, "--scheduler-file", str(self.scheduler_file))
        _wait_for(
            lambda: self.scheduler_file.exists() and "address" in self.scheduler_file.read_text()
        )
        return self.address

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = _dask(
            "worker", "--scheduler-file", str(self.scheduler_file), "--nthreads", "1",
            "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
            "--local-directory", str(self.folder / "work"),
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(count, timeout=60)

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _dask(*args: str) -> subprocess.Popen[bytes]:
    dask = Path(sys.executable).parent / "dask"
    env = os.environ | {"DASK_LOGGING__DISTRIBUTED": "error"}
    return subprocess.Popen([str(dask), *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def _wait_for(ready: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("a Dask process did not start in time")
        time.sleep(0.1)


@pytest.fixture
def dask_processes(tmp_path: Path) -> Iterator[DaskProcesses]:
    """A scheduler and workers for one test (which may kill them); always stopped."""
    processes = DaskProcesses(tmp_path / "dask")
    processes.folder.mkdir()
    try:
        yield processes
    finally:
        processes.stop()


@pytest.fixture(scope="session")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a ``dask scheduler`` with one ``dask worker``, for the session."""
    processes = DaskProcesses(tmp_path_factory.mktemp("dask"))
    try:
        address = processes.start_scheduler()
        processes.start_worker()
        processes.wait_for_workers(1)
        yield address
    finally:
        processes.stop()


@pytest.fixture(scope="session")
def many_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """One ``.jsonl`` of 64 spun articles: with 4 KB parts, 64 tasks, enough to stop a run
    part-way."""
    folder = tmp_path_factory.mktemp("many-corpus")
    records = []
    for path in sorted((DEV / "original").glob("*.txt")):
        text = path.read_text("utf-8")
        for profile in PROFILES:
            for seed in range(8):
                records.append(_record(spin(text, profile, seed)[0], path.stem, profile, seed))
    for number, record in enumerate(records):
        record["id"] = f"m{number:03d}"
    write_jsonl(folder / "many.jsonl", records, {})
    return Corpus(folder, records)
