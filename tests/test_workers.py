"""The worker pool on its own: results, failures, dead workers, set-up, stopping."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.workers import SetupFailed, WorkerPool, report, request_stop


def square(n: int) -> int:
    if n == 3:
        raise InputError("three: not wanted")
    if n == 4:
        raise ZeroDivisionError("oops")
    if n == 5:
        os.kill(os.getpid(), signal.SIGKILL)  # as the system does when memory runs out
    return n * n


def refuse() -> None:
    raise InputError("--model x: no such spaCy pipeline is installed")


def pid(_: int) -> int:
    return os.getpid()


ITEMS = [(n, f"item {n}") for n in range(7)]
EXPECTED = {
    0: (0, ""),
    1: (1, ""),
    2: (4, ""),
    3: (None, "three: not wanted"),
    4: (None, "item 4: ZeroDivisionError: oops; this is a bug, please report it"),
    6: (36, ""),
}


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_item_has_a_result_and_failures_are_messages(jobs: int) -> None:
    items = ITEMS if jobs > 1 else [i for i in ITEMS if i[0] != 5]  # 5 would kill us
    with WorkerPool(square, jobs) as pool:
        results = {items[r.index][0]: (r.value, r.error) for r in pool.run(items)}
    died = results.pop(5, None)
    assert results == EXPECTED
    if jobs > 1:
        assert died is not None and "the worker process stopped (killed by signal 9)" in died[1]


def test_one_job_runs_here_in_order() -> None:
    with WorkerPool(pid, 1) as pool:
        results = list(pool.run([(n, str(n)) for n in range(3)]))
    assert [r.index for r in results] == [0, 1, 2]
    assert {r.value for r in results} == {os.getpid()}


def test_workers_start_only_as_work_arrives() -> None:
    with WorkerPool(pid, 4) as pool:
        pids = {r.value for r in pool.run([(0, "only one")])}
    assert len(pids) == 1 and os.getpid() not in pids


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_set_up_that_fails_stops_the_run(jobs: int) -> None:
    failure = pytest.raises((SetupFailed, InputError), match="no such spaCy pipeline")
    with failure, WorkerPool(square, jobs, setup=refuse) as pool:
        list(pool.run(ITEMS[:2]))


def test_a_process_with_threads_still_gets_workers() -> None:
    """Forking a process that has threads is unsafe; the pool uses a fork server then."""
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        with WorkerPool(square, 2) as pool:
            assert sorted(r.value for r in pool.run([(2, "two"), (6, "six")])) == [4, 36]
    finally:
        release.set()
        waiting.join()


def test_leaving_on_an_exception_stops_busy_workers() -> None:
    seen: set[int] = set()
    with pytest.raises(KeyboardInterrupt), WorkerPool(pid, 2) as pool:
        for result in pool.run([(n, str(n)) for n in range(4)]):
            seen.add(result.value or 0)
            raise KeyboardInterrupt
    for worker in seen:
        with pytest.raises(ProcessLookupError):  # it is gone (and was reaped)
            os.kill(worker, 0)


def counted(n: int) -> int:
    """Reports each step as it goes, then dies on 5 (after reporting)."""
    for step in range(n):
        report((n, step))
    if n == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_reported_while_an_item_runs_reaches_the_caller(jobs: int) -> None:
    items = [(n, f"item {n}") for n in ((1, 3, 5, 4) if jobs > 1 else (1, 3, 4))]
    heard: list[tuple[int, int]] = []
    finished: list[int] = []
    with WorkerPool(counted, jobs, on_progress=heard.append) as pool:
        for result in pool.run(items):
            n = items[result.index][0]
            finished.append(n)
            assert sorted(s for m, s in heard if m == n) == list(range(n))  # all before it
    assert sorted(finished) == sorted(n for n, _ in items)
    assert len(heard) == sum(n for n, _ in items)
    report("outside a pool: goes nowhere")


def _numbers(stop_at: int) -> Iterator[tuple[int, str]]:
    for n in range(10):
        if n == stop_at:  # as a signal handler does, whose KeyboardInterrupt a finaliser ate
            request_stop()
        yield n, str(n)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stop_asked_for_stops_the_pool_though_its_interrupt_was_lost(jobs: int) -> None:
    done = []
    try:
        with pytest.raises(KeyboardInterrupt), WorkerPool(square, jobs=jobs) as pool:
            done += [result.value for result in pool.run(_numbers(stop_at=3))]
    finally:
        request_stop(False)
    assert len(done) < 10


def test_the_command_lines_stop_signals_ask_the_pool_and_take_it_back(tmp_path: Path) -> None:
    from pipeline.cli import _stop_signals, main

    with pytest.raises(KeyboardInterrupt), _stop_signals() as caught:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the handler raises before this ends
    assert caught == [signal.SIGINT]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # as it was
    request_stop()  # a request left over from an earlier run in this process
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Title\n\nText an’ more.\n")
    assert main(["clean", str(inbox), "-o", str(tmp_path / "out"), "-j", "2"]) == 0
