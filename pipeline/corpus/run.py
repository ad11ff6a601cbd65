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
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from pipeline.corpus.formats import corpus_format, output_format
from pipeline.corpus.plan import Plan, Task, make_plan
from pipeline.corpus.report import REPORT, CorpusResult, account
from pipeline.corpus.settings import ENGINES, MAX_RECORD_SIZE, PART_SIZE, CorpusSettings, Engine
from pipeline.corpus.sources import find_corpus
from pipeline.corpus.task import TASKS, TaskResult
from pipeline.corpus.write import harmonise
from pipeline.errors import InputError
from pipeline.files import write_atomic
from pipeline.normalise import CleanOptions
from pipeline.version import __version__

PLAN = "_plan.json"
SUCCESS = "_SUCCESS"
_OURS = re.compile(r"part-(\d{5})-\d{3}\.")  # a part's name: its task, then its number


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
    part_size: int = PART_SIZE,
    options: CleanOptions | None = None,
    observer: Observer | None = None,
) -> CorpusResult:
    """Clean every record of a JSON Lines or Parquet corpus into a folder of parts.

    Steps: find the corpus files (files, folders, glob patterns); cut them into tasks
    (:mod:`pipeline.corpus.plan`); check the output folder (an earlier run there is
    refused, or finished when ``resume`` is true); run the tasks not yet done on the
    engine, ``jobs`` workers (``engine="dask"``: on the cluster at ``scheduler``, or a
    local one); write ``_report.json`` and, if every task finished, ``_SUCCESS``.
    Records that cannot be cleaned, lines that are not JSON and unreadable files are
    counted in the result, never raised; a :class:`~pipeline.errors.LeafletError` is raised
    only for what stops the whole run (no corpus, an output folder in use).
    """
    started = time.perf_counter()
    given = [os.fspath(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]
    out_dir = Path(out)
    if engine not in ENGINES:
        raise InputError(f"engine {engine!r}: use one of {', '.join(ENGINES)}")
    settings = CorpusSettings(
        text_field, id_field, with_changes, max_record_size, part_size, output_format(out_dir),
        options or CleanOptions(),
    )  # fmt: skip
    paths = find_corpus(given, out_dir)
    _require(paths, settings, engine)
    plan = make_plan(paths, part_size)
    results = _prepare(out_dir, plan, settings, resume)
    todo = [t for t in plan.tasks if t.index not in results]
    watcher = observer or Quiet()
    watcher.start(plan, todo, len(results))
    unfinished: list[str] = []
    try:
        _run(todo, settings, out_dir, engine, jobs, scheduler, watcher,
             _collect(results, unfinished, watcher))  # fmt: skip
    finally:
        watcher.close()
    resumed = len(plan.tasks) - len(todo)
    return _finish(plan, settings, results, unfinished, out_dir, engine, started, resumed)


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
    todo: list[Task],
    settings: CorpusSettings,
    out: Path,
    engine: Engine,
    jobs: int | None,
    scheduler: str | None,
    watcher: Observer,
    on_done: Callable[[Task, TaskResult | BaseException], None],
) -> None:
    if not todo:
        return
    workers = jobs or default_jobs()
    if engine == "dask":
        from pipeline.corpus.cluster import run_dask

        run_dask(todo, settings, str(out), scheduler=scheduler, jobs=workers, on_done=on_done,
                 on_dashboard=watcher.dashboard)  # fmt: skip
    else:
        from pipeline.corpus.local import run_local

        run_local(todo, settings, str(out), workers, on_done=on_done, on_progress=watcher.progress)


def _require(paths: list[Path], settings: CorpusSettings, engine: Engine) -> None:
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


def default_jobs() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _prepare(
    out: Path, plan: Plan, settings: CorpusSettings, resume: bool
) -> dict[int, TaskResult]:
    """Check the output folder and make it ready; the results of tasks already done."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: is a file; the output is a folder of parts, give a folder name")
    fingerprint = {"leaflet": __version__, "settings": settings.to_dict()} | plan.fingerprint()
    fingerprint = json.loads(json.dumps(fingerprint))
    earlier = _earlier_plan(out)
    if earlier is not None and not resume:
        raise InputError(
            f"{out}: holds an earlier run; add --resume to finish it, or choose another folder"
        )
    if earlier is not None and earlier != fingerprint:
        raise InputError(
            f"{out}: holds a run of other files or settings; to start again, choose another "
            "folder (or delete this one)"
        )
    (out / SUCCESS).unlink(missing_ok=True)
    write_atomic(out / PLAN, json.dumps(fingerprint, ensure_ascii=False, indent=1) + "\n")
    results = _finished(out, plan) if resume else {}
    _sweep(out, results)
    return results


def _sweep_temporary(out: Path) -> None:
    """Remove temporary files (``.<name>.<random>.part``) of writes that were stopped."""
    for folder in (out, out / TASKS):
        for leftover in folder.glob(".*.part"):
            leftover.unlink(missing_ok=True)


def _earlier_plan(out: Path) -> dict[str, Any] | None:
    try:
        earlier: dict[str, Any] = json.loads((out / PLAN).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # damaged: matches nothing, so it is refused
    return earlier


def _finished(out: Path, plan: Plan) -> dict[int, TaskResult]:
    """The tasks whose result marker and parts are all there."""
    results = {}
    for task in plan.tasks:
        try:
            result = TaskResult.from_json((out / TASKS / f"{task.name}.json").read_text("utf-8"))
        except (OSError, ValueError, TypeError, KeyError):
            continue  # not finished (or its marker is damaged): run it again
        if all((out / part).is_file() for part in result.parts):
            results[task.index] = result
    return results


def _sweep(out: Path, results: dict[int, TaskResult]) -> None:
    """Remove what a stopped run left: temporary files, parts of unfinished tasks and
    their markers. Only leaflet's own names are touched."""
    if not out.is_dir():
        return
    _sweep_temporary(out)
    for path in out.glob("part-*"):
        match = _OURS.match(path.name)
        if match and path.is_file() and int(match.group(1)) not in results:
            path.unlink()
    for marker in (out / TASKS).glob("part-*.json"):
        match = re.fullmatch(r"part-(\d{5})", marker.stem)
        if match and int(match.group(1)) not in results:
            marker.unlink()
    (out / REPORT).unlink(missing_ok=True)


def _finish(
    plan: Plan,
    settings: CorpusSettings,
    results: dict[int, TaskResult],
    unfinished: list[str],
    out: Path,
    engine: str,
    started: float,
    resumed: int,
) -> CorpusResult:
    if any(r.version != __version__ for r in results.values()):
        raise InputError("the workers run another version of leaflet; install the same everywhere")
    as_json: list[str] = []
    if not unfinished and settings.output.kind == "parquet":
        parts = [p for t in plan.tasks for p in results[t.index].parts]
        as_json = harmonise(out, parts)
    seconds = time.perf_counter() - started
    result = account(plan, results, unfinished, out=out, engine=engine, seconds=seconds,
                     resumed=resumed, json_columns=tuple(as_json))  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    _sweep_temporary(out)  # a worker killed mid-write, whose task Dask ran again elsewhere
    result.write()
    if result.complete:
        write_atomic(out / SUCCESS, "")
    return result


__all__ = ["ENGINES", "Engine", "Observer", "Quiet", "clean_corpus"]
