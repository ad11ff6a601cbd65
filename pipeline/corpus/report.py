"""The account of a corpus run: totals, the most damaged records, what could not be read.

Tasks count lines within their own slice; here, once every task of a file is done, the
counts are added up so each record and each problem is placed by its line (JSON Lines,
from 1) or row (Parquet, from 0) in its file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.corpus.plan import Plan, Task, shown
from pipeline.corpus.task import TOP, Counts, TaskResult
from pipeline.version import __version__

REPORT = "_report.json"
SHOWN_PROBLEMS = 1000  # malformed lines and files left alone the report lists (all counted)


@dataclass(frozen=True, kw_only=True)
class CorpusResult(Counts):
    """What :func:`pipeline.clean_corpus` did. ``complete`` is false when a task did not
    finish (``unfinished`` says why; rerun with ``resume=True``). ``unreadable`` lists
    files, or parts of files, that could not be read; ``malformed`` the lines skipped;
    ``left_alone`` the files beside the corpus files that are not corpus files (a
    dataset's ``README.md``), which were not read; ``links_outside`` the links there that
    lead outside their input folder, which were not read either; ``empty`` the corpus files
    of 0 bytes, which hold no record. ``finished_before`` is true when
    ``resume`` found the run finished already, and did nothing."""

    out: Path
    engine: str
    parts: tuple[str, ...]
    seconds: float
    most_damaged: tuple[dict[str, Any], ...]
    malformed_lines: int = 0
    malformed: tuple[dict[str, Any], ...] = ()
    unreadable: tuple[str, ...] = ()
    unfinished: tuple[str, ...] = ()
    resumed: int = 0
    json_columns: tuple[str, ...] = field(default=())
    left_alone: tuple[str, ...] = ()
    links_outside: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()
    finished_before: bool = False

    @property
    def cleaned(self) -> int:
        """Records cleaned (those that failed kept their text)."""
        return self.records - self.failed

    @property
    def complete(self) -> bool:
        return not self.unfinished

    @property
    def lossless(self) -> bool:
        """Whether every record of every file is in the output: complete, nothing skipped."""
        return self.complete and not self.unreadable and not self.malformed_lines

    def summary(self) -> str:
        """``records 1200, cleaned 1196, changed 800, failed 4 in 3.1 s (2.4 MB, 0.77 MB/s)``."""
        megabytes = self.text_bytes / 1e6
        rate = megabytes / self.seconds if self.seconds > 0 else 0.0
        counts = f"records {self.records}, cleaned {self.cleaned}, changed {self.changed}, "
        return counts + (
            f"failed {self.failed} in {self.seconds:.1f} s ({megabytes:.1f} MB, {rate:.2f} MB/s)"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report's JSON form."""
        return {
            "leaflet": __version__,
            "complete": self.complete,
            "engine": self.engine,
            "seconds": round(self.seconds, 3),
            "records": self.records,
            "cleaned": self.cleaned,
            "changed": self.changed,
            "failed": self.failed,
            "suspects": self.suspects,
            "text_bytes": self.text_bytes,
            "changes_by_stage": self.by_stage,
            "most_damaged": list(self.most_damaged),
            "malformed_lines": self.malformed_lines,
            "malformed": list(self.malformed),
            "unreadable": list(self.unreadable),
            "unfinished": list(self.unfinished),
            "columns_as_json_text": list(self.json_columns),
            "left_alone": list(self.left_alone[:SHOWN_PROBLEMS]),
            "left_alone_files": len(self.left_alone),
            "links_outside": list(self.links_outside[:SHOWN_PROBLEMS]),
            "links_outside_files": len(self.links_outside),
            "empty": list(self.empty[:SHOWN_PROBLEMS]),
            "empty_files": len(self.empty),
            "parts": list(self.parts),
        }

    def write(self) -> None:
        from pipeline.files import json_text, write_atomic

        text = json_text(self.to_dict()) + "\n"
        write_atomic(self.out / REPORT, text)


def account(
    plan: Plan, results: dict[int, TaskResult], unfinished: list[str], **run: Any
) -> CorpusResult:
    """The run's result from its plan and its tasks' results (``run``: out, engine,
    seconds, resumed)."""
    done = [results[t.index] for t in plan.tasks if t.index in results]
    starts = _starts(plan, results)
    damaged = [(d.changes, t, d) for t in plan.tasks if t.index in results
               for d in results[t.index].damaged]  # fmt: skip
    damaged.sort(key=lambda item: (-item[0], item[1].index, item[2].position))
    problems = [_placed(t, starts, n) | {"problem": message} for t in plan.tasks
                if t.index in results for n, message in results[t.index].problems]  # fmt: skip
    stopped = dict.fromkeys(r.stopped for r in done if r.stopped)  # a file's tasks: once
    return CorpusResult(
        **Counts.added(done).counted(),
        parts=tuple(p for r in done for p in r.parts),
        most_damaged=tuple(_damaged(t, starts, d) for _, t, d in damaged[:TOP]),
        malformed_lines=sum(r.malformed for r in done),
        malformed=tuple(problems[:SHOWN_PROBLEMS]),
        unreadable=plan.unreadable + tuple(stopped),
        unfinished=tuple(unfinished),
        empty=tuple(shown(path) for path, size, _mtime in plan.files if size == 0),
        **run,
    )


def _starts(plan: Plan, results: dict[int, TaskResult]) -> dict[int, int | None]:
    """Where each task starts in its file: the row (Parquet) or the lines before it (JSON
    Lines; None when a task before it in the file did not finish)."""
    starts: dict[int, int | None] = {}
    before: dict[str, int | None] = {}
    for task in plan.tasks:
        if task.format.kind == "parquet":
            starts[task.index] = task.first_row
            continue
        start = before.get(task.path, 0)
        starts[task.index] = start
        result = results.get(task.index)
        before[task.path] = None if start is None or result is None else start + result.lines
    return starts


def _placed(task: Task, starts: dict[int, int | None], position: int) -> dict[str, Any]:
    """Where a record is: its file and line (or row), or its part and line there."""
    unit = "row" if task.format.kind == "parquet" else "line"
    start = starts[task.index]
    if start is None:
        return {"file": shown(task.path), "part": task.name, f"{unit}_in_part": position}
    return {"file": shown(task.path), unit: start + position}


def _damaged(task: Task, starts: dict[int, int | None], damaged: Any) -> dict[str, Any]:
    place = _placed(task, starts, damaged.position)
    if damaged.id is not None:
        place["id"] = damaged.id
    return place | {"changes": damaged.changes, "by_stage": damaged.by_stage}
