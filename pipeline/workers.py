"""Worker processes: each set up once, then running one function on item after item.

>>> from operator import neg
>>> with WorkerPool(neg, jobs=1) as pool:
...     [(r.index, r.value) for r in pool.run([(3, "three"), (4, "four")])]
[(0, -3), (1, -4)]

:class:`WorkerPool` is what a batch runs its articles on (``leaflet build``, ``leaflet
clean DIR``), and what any other engine may use for its own items:

- ``jobs=1`` runs everything in this process, with no pickling at all.
- Otherwise processes start as work arrives (so they set up while the caller is still
  finding work), each gets one item at a time, and results come back as they finish.
- ``fn`` may call :func:`report` while it runs (records done so far, say): each message
  reaches the pool's ``on_progress`` in the caller's process at once.
- A failure is a :class:`Result` with a one-line message, never an exception, so one bad
  item cannot stop the rest; a worker that dies (killed, out of memory) fails only the
  item it held, and another takes its place.
- Workers ignore Ctrl-C (the caller handles it and closes the pool, which stops them at
  once); SIGTERM makes a worker exit cleanly (a file it was writing is removed); and a
  worker whose parent dies, even by SIGKILL, is stopped by the system (Linux) or notices
  within a second (elsewhere).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from pipeline.errors import LeafletError

T = TypeVar("T")
R = TypeVar("R")

STOP_TIMEOUT = 10.0
"""Seconds a stopped worker has to exit cleanly before it is killed."""


@dataclass(frozen=True)
class Result(Generic[R]):
    """What came of one item: its value, or ``error`` (a one-line message)."""

    index: int  # the item's position in what was given to :meth:`WorkerPool.run`
    value: R | None
    error: str = ""
    seconds: float = 0.0
    error_type: str = ""  # the exception's class name ("InputError"); "" if the worker died

    @property
    def ok(self) -> bool:
        return not self.error


def call(fn: Callable[[T], R], item: T, label: str) -> tuple[R | None, str, float, str]:
    """``fn(item)`` as ``(value, error, seconds, error type)``: a :class:`LeafletError`
    is its own message; any other exception is a bug, reported with ``label`` (the
    item's name)."""
    started = time.perf_counter()
    try:
        return fn(item), "", time.perf_counter() - started, ""
    except LeafletError as error:
        message, kind = str(error), type(error).__name__
    except Exception as error:
        kind = type(error).__name__
        message = f"{label}: {kind}: {error}; this is a bug, please report it"
    return None, message, time.perf_counter() - started, kind


@dataclass
class _Worker:
    process: Any  # multiprocessing's process type depends on the start method
    conn: Connection
    task: tuple[int, str] | None = None  # the item it holds: (index, label)


_reporter: Callable[[Any], None] | None = None  # where report() sends, in this process
_stopping = threading.Event()


def request_stop(stop: bool = True) -> None:
    """Ask every pool in this process to stop: its loop raises ``KeyboardInterrupt`` at
    its next turn (an item handed out or finished). For a signal handler that raises
    its own, in case that one is lost; ``False`` takes the request back."""
    if stop:
        _stopping.set()
    else:
        _stopping.clear()


def _stop_if_asked() -> None:
    if _stopping.is_set():
        raise KeyboardInterrupt


def report(message: Any) -> None:
    """From inside the function a :class:`WorkerPool` runs: send ``message`` (anything
    that pickles) to the pool's ``on_progress``, in the caller's process. Elsewhere it
    does nothing."""
    if _reporter is not None:
        _reporter(message)


class SetupFailed(LeafletError):
    """A worker could not set up (``setup`` raised): nothing can run, so the run stops."""


class WorkerPool(Generic[T, R]):
    """``jobs`` processes running ``fn``, each calling ``setup()`` once when it starts.

    Use it as a context manager; leaving the block stops the workers (at once, if an
    exception such as Ctrl-C is leaving it). A ``setup`` that fails stops the run: in
    this process its exception is raised as it is; from a worker, as :class:`SetupFailed`
    with its message.
    """

    def __init__(
        self,
        fn: Callable[[T], R],
        jobs: int,
        *,
        setup: Callable[[], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> None:
        self.fn, self.jobs, self.setup = fn, max(1, jobs), setup
        self.on_progress = on_progress  # receives what fn sends with report()
        self._workers: list[_Worker] = []
        self._set_up_here = False

    def __enter__(self) -> WorkerPool[T, R]:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(now=error is not None)

    def run(self, items: Iterable[tuple[T, str]]) -> Iterator[Result[R]]:
        """Run ``fn`` on each ``(item, label)``; results as they finish (in order when
        ``jobs`` is 1). Items are taken from ``items`` only as workers become free, so a
        generator of items is never read far ahead."""
        if self.jobs == 1:
            return self._run_here(items)
        return self._run_in_workers(items)

    def close(self, *, now: bool = False) -> None:
        """Stop the workers: idle ones are told to finish; with ``now`` (or if busy)
        they are terminated, and killed if they do not exit in :data:`STOP_TIMEOUT`."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if now or worker.task is not None:
                worker.process.terminate()
            else:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        for worker in workers:
            worker.process.join(STOP_TIMEOUT)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()

    def _run_here(self, items: Iterable[tuple[T, str]]) -> Iterator[Result[R]]:
        global _reporter
        for index, (item, label) in enumerate(items):
            _stop_if_asked()
            if not self._set_up_here and self.setup is not None:
                self.setup()
            self._set_up_here = True
            _reporter = self.on_progress
            try:
                outcome = call(self.fn, item, label)
            finally:
                _reporter = None
            yield Result(index, *outcome)

    def _run_in_workers(self, items: Iterable[tuple[T, str]]) -> Iterator[Result[R]]:
        queue = enumerate(items)
        more = True
        while True:
            _stop_if_asked()
            while more and (self._idle() or len(self._workers) < self.jobs):
                more = self._hand_out(next(queue, None))
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                return
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    result = self._collect(worker)
                    if result is not None:  # None: a progress message
                        yield result

    def _idle(self) -> _Worker | None:
        return next((w for w in self._workers if w.task is None), None)

    def _hand_out(self, entry: tuple[int, tuple[T, str]] | None) -> bool:
        """Give an item to an idle worker (starting one if needed); False when none left."""
        if entry is None:
            return False
        index, (item, label) = entry
        worker = self._idle() or self._start()
        worker.task = (index, label)
        with contextlib.suppress(OSError):  # if it died, _collect reports the item failed
            worker.conn.send((index, item, label))
        return True

    def _collect(self, worker: _Worker) -> Result[R] | None:
        """The worker's result; ``None`` for a progress message (passed on), after
        which the worker still holds its item."""
        assert worker.task is not None
        index, label = worker.task
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.task = None
            return self._lost(worker, index, label)
        if message[0] == _PROGRESS:
            if self.on_progress is not None:
                self.on_progress(message[1])
            return None
        worker.task = None
        _, _, value, error, seconds, error_type, broken = message
        if broken:
            raise SetupFailed(error)
        return Result(index, value, error, seconds, error_type)

    def _lost(self, worker: _Worker, index: int, label: str) -> Result[R]:
        """The worker died holding an item: that item fails, and the worker is gone."""
        worker.process.join(STOP_TIMEOUT)
        self._workers.remove(worker)
        worker.conn.close()
        code = worker.process.exitcode
        how = f"killed by signal {-code}" if code and code < 0 else f"exit status {code}"
        return Result(index, None, f"{label}: the worker process stopped ({how}); "
                      "if it ran out of memory, try fewer jobs (-j)")  # fmt: skip

    def _start(self) -> _Worker:
        method = _start_method()
        context: Any = multiprocessing.get_context(method)
        here, there = context.Pipe()
        parent = os.getpid() if method != "forkserver" else None  # a forkserver's child
        process = context.Process(
            target=_serve, args=(there, self.fn, self.setup, parent), daemon=True
        )
        process.start()
        there.close()
        worker = _Worker(process, here)
        self._workers.append(worker)
        return worker


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _start_method() -> str:
    """``fork`` (quick, and nothing to import again) when this process has one thread;
    ``forkserver`` otherwise, since forking a process with threads is not safe."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


_PROGRESS, _DONE = "progress", "done"  # the kinds of message a worker sends


def _serve(
    conn: Connection,
    fn: Callable[[Any], Any],
    setup: Callable[[], None] | None,
    parent: int | None,
) -> None:
    """A worker's life: set up, then answer items until told to stop or the parent goes.
    A set-up that fails fails every item with its message."""
    global _reporter
    _die_with_parent(parent)
    _reporter = partial(_send, conn, _PROGRESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    broken = call(_invoke, setup, "setting up a worker")[1] if setup is not None else ""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item, label = message
        outcome = (None, broken, 0.0, "") if broken else call(fn, item, label)
        conn.send((_DONE, index, *outcome, bool(broken)))


def _send(conn: Connection, kind: str, message: Any) -> None:
    conn.send((kind, message))


def _invoke(fn: Callable[[], None]) -> None:
    fn()


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _die_with_parent(parent: int | None) -> None:
    """Have the system send SIGTERM when the parent dies (Linux), or watch for it; a
    forkserver's workers follow the server, which exits when our parent does."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGTERM, 0, 0, 0) != 0:  # 1: PR_SET_PDEATHSIG
            raise OSError("prctl failed")
    except (OSError, AttributeError):
        threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)  # the parent went before we could follow it


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)
