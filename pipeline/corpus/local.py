"""The local engine: tasks in worker processes on this machine.

Each worker is forked from a small server process that has already imported the cleaner
(``forkserver``), so the tables are loaded once, and no worker inherits the threads of
the main process. Workers report progress through a queue as they clean; the main
process only schedules, counts and shows. With one job, tasks run in this process.

Ctrl-C (or SIGTERM) cancels what is queued and stops the workers; each removes the part
it was writing (parts are written to a temporary file first), so nothing half-written is
left, and finished tasks stay finished for ``--resume``.

This pool is the corpus track's own; it can move onto the shared worker machinery of
:mod:`pipeline.batch` unchanged in behaviour: all it needs is "run this function on these
items in N processes set up once, report as they finish".
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import partial
from typing import Any

from pipeline.corpus.plan import Task
from pipeline.corpus.settings import CorpusSettings
from pipeline.corpus.task import Progress, TaskResult, run_task

Done = Callable[[Task, TaskResult | BaseException], None]

_progress_queue: Any = None  # in a worker: where it sends its progress as it cleans


def run_local(
    tasks: Sequence[Task],
    settings: CorpusSettings,
    out: str,
    jobs: int,
    *,
    on_done: Done,
    on_progress: Progress,
) -> None:
    """Run every task, ``jobs`` at a time; ``on_done`` is called as each ends, with its
    result or the exception that stopped it (the run goes on)."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            try:
                on_done(task, run_task(task, settings, out, on_progress))
            except Exception as error:
                on_done(task, error)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.corpus.task"])
    progress = context.Queue()
    pool = ProcessPoolExecutor(
        min(jobs, len(tasks)), context, initializer=_start_worker, initargs=(progress,)
    )
    try:
        _run_pool(pool, tasks, partial(_run_in_worker, settings=settings, out=out), on_done,
                  lambda: _drain(progress, on_progress))  # fmt: skip
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    progress.close()


def _run_pool(
    pool: ProcessPoolExecutor,
    tasks: Sequence[Task],
    work: Callable[[Task], TaskResult],
    on_done: Done,
    drain: Callable[[], None],
) -> None:
    pending: dict[Future[TaskResult], Task] = {pool.submit(work, task): task for task in tasks}
    while pending:
        done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
        drain()
        for future in done:
            task = pending.pop(future)
            error = future.exception()
            on_done(task, error if error is not None else future.result())
    drain()


def _drain(progress: Any, on_progress: Progress) -> None:
    while True:
        try:
            index, records, size = progress.get_nowait()
        except queue.Empty:
            return
        on_progress(index, records, size)


def _start_worker(progress: Any) -> None:
    global _progress_queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    signal.signal(signal.SIGTERM, _exit_cleanly)  # so the part being written is removed
    _progress_queue = progress
    warm_up()


def warm_up() -> None:
    """Load the cleaner's tables and word lists in this process, once."""
    from pipeline.normalise import clean

    clean("Warm up: the spinner’s an’ cеlеbratеd sweatin’, and more.")


def _run_in_worker(task: Task, settings: CorpusSettings, out: str) -> TaskResult:
    return run_task(task, settings, out, _send)


def _send(index: int, records: int, size: int) -> None:
    _progress_queue.put((index, records, size))


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)
