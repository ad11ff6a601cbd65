"""``clean_corpus``: a corpus in, a folder of cleaned parts and a report out.

The output folder::

    OUT/part-00000-000.parquet   the records of task 0, cleaned (or .jsonl, .jsonl.gz, ...)
    OUT/part-00001-000.parquet   ...
    OUT/_tasks/part-00000.json   each finished task's counts: its completion marker
    OUT/_plan.json               the files and settings of the run, for --resume
    OUT/_report.json             totals, the most damaged records, what could not be read
    OUT/_SUCCESS                 written last: every task finished

Names starting with ``_`` are what Spark, Dask and pyarrow skip when they read a folder of
parts, so ``pandas.read_parquet(OUT)`` reads just the records.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from pipeline.corpus.folder import (
    SUCCESS,
    Earlier,
    earlier_report,
    earlier_run,
    fingerprint,
    finished_tasks,
    make_ready,
    sweep_temporary,
)
from pipeline.corpus.formats import corpus_format, output_format
from pipeline.corpus.plan import Plan, Task, make_plan, shown
from pipeline.corpus.record import ADDED, own_field_problem
from pipeline.corpus.report import CorpusResult, account
from pipeline.corpus.settings import (
    ENGINES,
    MAX_RECORD_SIZE,
    CorpusSettings,
    Engine,
    part_size_for,
)
from pipeline.corpus.sources import find_corpus
from pipeline.corpus.task import TaskResult
from pipeline.corpus.write import harmonise
from pipeline.errors import InputError, echo
from pipeline.files import write_atomic
from pipeline.normalise import CleanOptions
from pipeline.version import __version__
from pipeline.workers import default_jobs


class Observer(Protocol):
    """Who is told how a run goes (the command line shows it; the API default is silent)."""

    def start(self, plan: Plan, todo: Sequence[Task], resumed: int) -> None: ...
    def dashboard(self, link: str) -> None: ...
    def progress(self, task: int, records: int, size: int) -> None: ...
    def done(self, task: Task, result: TaskResult | BaseException) -> None: ...
    def close(self) -> None: ...


class Quiet:
    """An observer that shows nothing."""

    def start(self, plan: Plan, todo: Sequence[Task], resumed: int) -> None: ...
    def dashboard(self, link: str) -> None: ...
    def progress(self, task: int, records: int, size: int) -> None: ...
    def done(self, task: Task, result: TaskResult | BaseException) -> None: ...
    def close(self) -> None: ...


def clean_corpus(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    text_field: str = "text",
    id_field: str | None = None,
    engine: Engine = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    with_changes: bool = False,
    max_record_size: int = MAX_RECORD_SIZE,
    part_size: int | None = None,
    options: CleanOptions | None = None,
    observer: Observer | None = None,
) -> CorpusResult:
    """Clean every record of a JSON Lines or Parquet corpus into a folder of parts.

    Steps: find the corpus files (files, folders, glob patterns); cut them into tasks
    of ``part_size`` input bytes (:mod:`pipeline.corpus.plan`; by default 4 MB, or less
    for a small corpus: :func:`~pipeline.corpus.settings.part_size_for`); check the output
    folder (:mod:`pipeline.corpus.folder`: it must be new or empty, or hold an earlier run
    of the same files and settings when ``resume`` is true; a finished one is left as it
    is); run the tasks not yet done on the engine, ``jobs`` workers (``engine="dask"``: on
    the cluster at ``scheduler``, or a local one), writing the plan once the engine is
    ready; write ``_report.json`` and, if every task finished, ``_SUCCESS``.

    Records that cannot be cleaned, lines that are not JSON and unreadable files are
    counted in the result, never raised; a :class:`~pipeline.errors.LeafletError` is
    raised only for what stops the whole run (no corpus, an output folder in use, an
    engine that cannot start).
    """
    _stop_if_a_worker_is_starting()
    started = time.perf_counter()
    given = [os.fspath(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]
    if engine not in ENGINES:
        raise InputError(f"engine {echo(engine)}: use one of {', '.join(ENGINES)}")
    found = find_corpus(given, Path(out))
    part_size = part_size or part_size_for(sum(_size(path) for path in found.files))
    settings = CorpusSettings(
        text_field, id_field, with_changes, max_record_size, part_size, output_format(Path(out)),
        options or CleanOptions(),
    )  # fmt: skip
    _require(found.files, settings, engine)
    plan = make_plan(list(found.files), part_size, found.unreadable, found.inside)
    _refuse_own_fields(plan, text_field)
    run = _Run(plan, settings, Path(out), engine, found.left_alone, found.links_outside,
               started)  # fmt: skip
    wanted = fingerprint(run.plan, settings)
    earlier = earlier_run(run.out, wanted, resume)
    results = finished_tasks(run.out, run.plan) if earlier is not Earlier.NONE else {}
    if earlier is Earlier.FINISHED and (before := _as_before(run, results)) is not None:
        return before
    todo = [t for t in run.plan.tasks if t.index not in results]
    watcher = observer or Quiet()
    watcher.start(run.plan, todo, len(results))
    unfinished: list[str] = []
    ready = partial(make_ready, run.out, wanted, dict(results))
    try:
        _run(run, todo, jobs, scheduler, watcher, _collect(results, unfinished, watcher), ready)
    finally:
        watcher.close()
    return _finish(run, results, unfinished, resumed=len(run.plan.tasks) - len(todo))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the plan says why it cannot be read


def _refuse_own_fields(plan: Plan, text_field: str) -> None:
    """Stop before any work, in one line, if the text field, a corpus file's first record
    or a Parquet file's columns (as the plan read them) have a field named as one leaflet
    writes itself, which it would replace unseen. (A later JSON Lines record that has one
    is skipped and reported, :func:`~pipeline.corpus.read.jsonl_batches`.)"""
    if text_field in ADDED:
        raise InputError(
            f"text field {echo(text_field)}: is a field leaflet writes itself; "
            "name the field that holds the text"
        )
    for (path, _, _), fields in zip(plan.files, plan.first_fields, strict=True):
        problem = own_field_problem(fields)
        if problem is not None:
            raise InputError(f"{shown(path)}: {problem}")


def _stop_if_a_worker_is_starting() -> None:
    """A worker process that starts by running the main script again (Dask's, or any
    ``spawn`` or ``forkserver`` process) must not start a second run from a call at the
    script's top level: it exits at once, and the run whose worker it was says why."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise SystemExit(1)


@dataclass(frozen=True)
class _Run:
    """One call of :func:`clean_corpus`: what its steps after planning share."""

    plan: Plan
    settings: CorpusSettings
    out: Path
    engine: Engine
    left_alone: tuple[str, ...]
    links_outside: tuple[str, ...]
    started: float

    def result(
        self, results: dict[int, TaskResult], unfinished: list[str], **run: Any
    ) -> CorpusResult:
        """The run's result; ``run``: resumed, json_columns and what else differs."""
        seconds = time.perf_counter() - self.started
        found = {"left_alone": self.left_alone, "links_outside": self.links_outside}
        return account(self.plan, results, unfinished, out=self.out, **found,
                       **({"engine": self.engine, "seconds": seconds} | run))  # fmt: skip


def _collect(
    results: dict[int, TaskResult], unfinished: list[str], watcher: Observer
) -> Callable[[Task, TaskResult | BaseException], None]:
    def done(task: Task, result: TaskResult | BaseException) -> None:
        if isinstance(result, TaskResult):
            results[task.index] = result
        else:
            unfinished.append(f"{task.name} ({task.describe()}): {_reason(result)}")
        watcher.done(task, result)

    return done


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


def _run(
    run: _Run,
    todo: list[Task],
    jobs: int | None,
    scheduler: str | None,
    watcher: Observer,
    on_done: Callable[[Task, TaskResult | BaseException], None],
    ready: Callable[[], None],
) -> None:
    """Run ``todo`` on the engine; ``ready`` is called once it can take tasks."""
    if not todo:
        ready()
        return
    workers = jobs or default_jobs()
    if run.engine == "dask":
        from pipeline.corpus.cluster import run_dask

        run_dask(todo, run.settings, str(run.out), scheduler=scheduler, jobs=workers,
                 on_done=on_done, on_dashboard=watcher.dashboard, on_ready=ready)  # fmt: skip
    else:
        from pipeline.corpus.local import run_local

        ready()
        run_local(todo, run.settings, str(run.out), workers, on_done=on_done,
                  on_progress=watcher.progress)  # fmt: skip


def _require(paths: Sequence[Path], settings: CorpusSettings, engine: Engine) -> None:
    """The libraries this run needs, or one error saying how to install them."""
    formats = [corpus_format(p) for p in paths] + [settings.output]
    needed = {"pyarrow": any(f is not None and f.kind == "parquet" for f in formats)}
    needed["zstandard"] = any(f is not None and f.compression == "zstd" for f in formats)
    needed["distributed"] = engine == "dask"
    for module in (name for name, wanted in needed.items() if wanted):
        if importlib.util.find_spec(module) is None:
            raise InputError(
                f"this corpus needs {module}, which is not installed; install leaflet's "
                "corpus extra: pip install 'leaflet[corpus]'"
            )


def _as_before(run: _Run, results: dict[int, TaskResult]) -> CorpusResult | None:
    """The result of a finished run, read back and left as it is; None if anything of it
    is missing (a removed part or a damaged report: then it is finished again)."""
    report = earlier_report(run.out)
    if report is None or len(results) != len(run.plan.tasks):
        return None
    seconds, engine = report.get("seconds"), report.get("engine")
    columns = report.get("columns_as_json_text")
    return run.result(
        results, [], resumed=len(results), finished_before=True,
        seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
        engine=engine if isinstance(engine, str) else run.engine,
        json_columns=tuple(str(c) for c in columns) if isinstance(columns, list) else (),
    )  # fmt: skip


def _finish(
    run: _Run, results: dict[int, TaskResult], unfinished: list[str], *, resumed: int
) -> CorpusResult:
    if any(r.version != __version__ for r in results.values()):
        raise InputError("the workers run another version of leaflet; install the same everywhere")
    as_json: list[str] = []
    if not unfinished and run.settings.output.kind == "parquet":
        parts = [p for t in run.plan.tasks for p in results[t.index].parts]
        as_json = harmonise(run.out, parts)
    result = run.result(results, unfinished, resumed=resumed, json_columns=tuple(as_json))
    run.out.mkdir(parents=True, exist_ok=True)
    sweep_temporary(run.out)  # a worker killed mid-write, whose task Dask ran again elsewhere
    result.write()
    if result.complete:
        write_atomic(run.out / SUCCESS, "")
    return result


__all__ = ["ENGINES", "Engine", "Observer", "Quiet", "clean_corpus"]
