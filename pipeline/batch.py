"""Running many articles: finding inputs, workers, progress, and the record of past builds.

The record (``OUTDIR/.leaflet-manifest.json``) maps each input (by its path from there) to
the key it was last built with and what was made; an input whose key is unchanged and
whose outputs are all still there is skipped. It is rewritten atomically as articles
finish (at most once a second) and at the end, so an interrupted run keeps what it
finished; an article finished in its last second is simply built again next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any, TypeVar

from pipeline.errors import InputError, LeafletError
from pipeline.files import write_atomic
from pipeline.read import KINDS

SUFFIXES = tuple(KINDS)  # every kind of article leaflet reads
MANIFEST = ".leaflet-manifest.json"
SAVE_EVERY = 1.0  # seconds between saves of the build record during a batch
STATUSES = ("built", "skipped", "failed")

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Source:
    """An input file and the name it is shown and filed under (relative to its folder)."""

    path: Path
    name: str


def gather(inputs: Iterable[str], exclude: Path) -> tuple[list[Source], list[Outcome]]:
    """Every article file (:data:`pipeline.read.KINDS`) named or under a named folder,
    leaving out anything under ``exclude`` (the output folder); and a failed outcome for
    each missing input.

    An input that is the output folder, or inside it, is an :class:`InputError`.
    """
    sources: list[Source] = []
    missing: list[Outcome] = []
    for given in inputs:
        path = Path(given)
        if path.exists() and path.resolve().is_relative_to(exclude.resolve()):
            raise InputError(
                f"{given}: is inside the output folder {exclude}; "
                "choose an output folder outside the inputs"
            )
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
            sources += [
                Source(p, str(p.relative_to(path)))
                for p in found
                if p.is_file() and not p.resolve().is_relative_to(exclude.resolve())
            ]
        elif path.is_file():
            sources.append(Source(path, path.name))
        else:
            error = f"{given}: no such file or folder; check the path"
            missing.append(Outcome(Source(path, given), "failed", error=error))
    return _unique(sources), missing


def _unique(sources: list[Source]) -> list[Source]:
    seen: set[Path] = set()
    unique = []
    for source in sources:
        if source.path.resolve() not in seen:
            seen.add(source.path.resolve())
            unique.append(source)
    return unique


def input_key(path: Path, *parts: str) -> str:
    """A digest of the input's bytes and everything else its outputs depend on."""
    digest = hashlib.sha256(path.read_bytes())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


def short_hash(text: str) -> str:
    """Six hex digits that tell apart articles with the same title."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


@dataclass
class Manifest:
    """What each input was last built from and into (keyed by its absolute path)."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    written: float = 0.0  # when the record was last saved (time.monotonic)
    unsaved: bool = False

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST
        try:
            entries = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            entries = {}  # no record, or a damaged one: everything is rebuilt
        return cls(path, entries if isinstance(entries, dict) else {})

    def key_of(self, source: Source) -> str:
        """How the record knows an input: its path from the output folder, so the record
        holds however the path was typed, and when the whole project moves."""
        return os.path.relpath(source.path.resolve(), self.path.parent.resolve())

    def entry(self, source: Source) -> dict[str, Any]:
        return self.entries.get(self.key_of(source), {})

    def prune(self, folders: Iterable[Path]) -> list[str]:
        """Forget inputs gone from the input ``folders`` (moved, renamed, deleted), and
        remove the outputs made from them. Records of inputs elsewhere (another folder,
        one not there today, such as an unplugged drive) are kept."""
        roots = [f.resolve() for f in folders if f.is_dir()]
        gone = [
            key
            for key in self.entries
            if not (self.path.parent / key).exists()
            and any((self.path.parent / key).resolve().is_relative_to(r) for r in roots)
        ]
        for key in gone:
            for name in self.entries.pop(key).get("outputs", []):
                (self.path.parent / name).unlink(missing_ok=True)
        self.unsaved = self.unsaved or bool(gone)
        return gone

    def is_current(self, source: Source, key: str) -> bool:
        entry = self.entries.get(self.key_of(source))
        if not entry or entry.get("key") != key:
            return False
        return all((self.path.parent / name).exists() for name in entry.get("outputs", []))

    def record(self, source: Source, entry: dict[str, Any]) -> None:
        """Note what was built; saved at most every :data:`SAVE_EVERY` seconds and by
        :meth:`save`. An article built but not yet saved is rebuilt by the next run."""
        self.entries[self.key_of(source)] = entry
        self.unsaved = True
        if time.monotonic() - self.written >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        if self.unsaved:
            write_atomic(self.path, json.dumps(self.entries, ensure_ascii=False, indent=1) + "\n")
            self.written, self.unsaved = time.monotonic(), False


@dataclass(frozen=True)
class Outcome:
    """How one article went."""

    source: Source
    status: str  # one of STATUSES
    seconds: float = 0.0
    error: str = ""
    entry: dict[str, Any] = field(default_factory=dict)


def run_guarded(fn: Callable[[T], R], item: T, label: str) -> tuple[bool, R | str, float]:
    """Call ``fn(item)`` in a worker: ``(ok, result or one-line message, seconds)``.

    Failures come back as messages, never raised, so one bad article cannot stop a batch.
    """
    started = time.perf_counter()
    try:
        return True, fn(item), time.perf_counter() - started
    except LeafletError as error:
        message = str(error)
    except Exception as error:
        message = f"{label}: {type(error).__name__}: {error}; this is a bug, please report it"
    return False, message, time.perf_counter() - started


def run_all(
    fn: Callable[[T], R], items: list[tuple[T, str]], pool: Executor | None
) -> Iterator[tuple[int, bool, R | str, float]]:
    """Run ``fn`` on each item (with its label): ``(index, ok, result, seconds)`` each.

    In ``pool`` if given, a few items ahead of the workers at a time (so an interruption
    has little queued work to cancel), results as they finish; otherwise here, in order.
    """
    if pool is None:
        for index, (item, label) in enumerate(items):
            yield index, *run_guarded(fn, item, label)
        return
    queue = iter(enumerate(items))
    pending: dict[Future[tuple[bool, R | str, float]], int] = {}
    window = 2 * getattr(pool, "_max_workers", 2)
    while True:
        for index, (item, label) in queue:
            pending[pool.submit(run_guarded, fn, item, label)] = index
            if len(pending) >= window:
                break
        if not pending:
            return
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield pending.pop(future), *future.result()


@contextmanager
def workers(jobs: int, initializer: Callable[[], None]) -> Iterator[Executor | None]:
    """A pool of ``jobs`` processes, each set up once by ``initializer``; none for one job.

    Workers ignore Ctrl-C: the main process handles it, cancels what is queued and stops
    the workers, so an interrupted batch ends at once.
    """
    if jobs <= 1:
        if jobs == 1:
            initializer()  # no work (0 jobs), no set-up
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(initializer,))
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _worker_start(initializer: Callable[[], None]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_cleanly)  # so an output being written is removed
    initializer()


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def sweep_partial(out_dir: Path) -> None:
    """Remove temporary files a killed run may have left (``.<name>.<random>.part``)."""
    if out_dir.is_dir():
        for leftover in out_dir.rglob(".*.part"):
            leftover.unlink(missing_ok=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)  # each removes the file it was writing, then exits


def default_jobs() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Progress:
    """A progress bar on a terminal; one plain line per article otherwise."""

    def __init__(self, total: int, verb: str) -> None:
        self.bar: Any = None
        if sys.stderr.isatty() and total:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            columns = (TextColumn(verb), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            self.bar = RichProgress(*columns, TextColumn("{task.description}"))
            self.bar.start()
            self.task = self.bar.add_task("", total=total)

    def report(self, outcome: Outcome) -> None:
        line = describe(outcome)
        if self.bar is None:
            print(line, file=sys.stderr, flush=True)
            return
        self.bar.update(self.task, advance=1, description=outcome.source.name)
        if outcome.status == "failed":
            self.bar.console.print(line, style="red", markup=False, highlight=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def describe(outcome: Outcome) -> str:
    """The one line an article gets in a log."""
    if outcome.status == "failed":
        return f"failed   {outcome.error}"
    outputs = outcome.entry.get("outputs", [])
    stems = sorted({o.rsplit(".", 1)[0] for o in outputs})
    suffixes = ",".join(o.rsplit(".", 1)[-1] for o in outputs)
    shown = f"{stems[0]}.{{{suffixes}}}" if len(stems) == 1 else ", ".join(outputs)
    timing = f" ({outcome.seconds:.2f} s)" if outcome.status == "built" else ""
    return f"{outcome.status:<8} {outcome.source.path} -> {shown}{timing}"


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """``built 3, skipped 1, failed 0 in 2.1 s``."""
    counts = [f"{status} {sum(o.status == status for o in outcomes)}" for status in STATUSES]
    return ", ".join(counts) + f" in {seconds:.1f} s"


def entry_dict(**values: Any) -> dict[str, Any]:
    """A manifest entry (plain JSON values only)."""
    entry: dict[str, Any] = json.loads(json.dumps(values, default=_plain))
    return entry


def _plain(value: Any) -> Any:
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else str(value)
