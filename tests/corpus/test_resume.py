"""Stopped runs: a killed Dask worker, a killed ``leaflet`` process tree; ``--resume``
finishes the run with every record exactly once, and leaves finished parts alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.corpus.conftest import Corpus, DaskProcesses
from tests.corpus.helpers import check_records, run

SMALL_PARTS = "4KB"  # one record a task: 64 tasks


def leaflet(corpus: Corpus, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "pipeline", "clean", str(corpus.folder), "-o", str(out)]
    return subprocess.Popen(
        [*command, "--part-size", SMALL_PARTS, *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so the test can kill the tree
    )


def wait_for_markers(out: Path, count: int, process: subprocess.Popen[bytes]) -> int:
    """Wait until ``count`` tasks have finished; how many have then."""
    deadline = time.monotonic() + 120
    while len(markers(out)) < count:
        assert process.poll() is None, "the run ended before it could be stopped"
        assert time.monotonic() < deadline, "no task finished in time"
        time.sleep(0.005)
    return len(markers(out))


def markers(out: Path) -> list[Path]:
    return sorted((out / "_tasks").glob("part-*.json")) if (out / "_tasks").is_dir() else []


def finished_parts(out: Path) -> dict[str, tuple[int, int]]:
    """The parts of finished tasks, with their inode and modification time."""
    names = {m.stem for m in markers(out)}
    found = {}
    for part in out.glob("part-*"):
        if part.name[:10] in names:
            stat = part.stat()
            found[part.name] = (stat.st_ino, stat.st_mtime_ns)
    return found


def stop(process: subprocess.Popen[bytes], signum: int) -> None:
    os.killpg(process.pid, signum)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_a_killed_dask_worker_then_resume(
    many_corpus: Corpus, dask_processes: DaskProcesses, tmp_path: Path
) -> None:
    address = dask_processes.start_scheduler()
    worker = dask_processes.start_worker()
    dask_processes.wait_for_workers(1)
    out = tmp_path / "out"
    client = leaflet(many_corpus, out, "--engine", "dask", "--scheduler", address)
    done = wait_for_markers(out, 2, client)
    worker.kill()  # mid-run: its task is lost, and no worker is left
    worker.wait()
    assert done < len(many_corpus.records), "the run finished before the worker was killed"
    stop(client, signal.SIGTERM)  # the run cannot go on without workers
    assert not (out / "_SUCCESS").exists()
    kept = finished_parts(out)
    assert kept

    dask_processes.start_worker()
    dask_processes.wait_for_workers(1)
    status = run(many_corpus.folder, out, "--part-size", SMALL_PARTS, "--resume",
                 "--engine", "dask", "--scheduler", address)  # fmt: skip
    assert status == 0
    assert (out / "_SUCCESS").exists()
    check_records(many_corpus, out)
    assert {name: finished_parts(out)[name] for name in kept} == kept  # not written again
    assert not list(out.rglob("*.part"))


def test_a_killed_local_run_then_resume(many_corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = leaflet(many_corpus, out, "-j", "2")
    done = wait_for_markers(out, 2, process)
    stop(process, signal.SIGKILL)  # the main process and its workers, at once
    assert done < len(many_corpus.records), "the run finished before it was killed"
    assert not (out / "_SUCCESS").exists()
    kept = finished_parts(out)

    assert run(many_corpus.folder, out, "--part-size", SMALL_PARTS, "--resume", "-j", "2") == 0
    check_records(many_corpus, out)
    assert {name: finished_parts(out)[name] for name in kept} == kept
    assert not list(out.rglob("*.part"))
