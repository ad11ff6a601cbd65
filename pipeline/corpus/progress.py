"""How a corpus run shows on the command line (``leaflet clean CORPUS -o OUT``).

:class:`Terminal` is the observer :func:`~pipeline.corpus.run.clean_corpus` tells how a
run goes: a progress bar on a terminal, one line per part in a log, the Dask dashboard's
address. :func:`problems` is what the command prints after the run's summary.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pipeline.inputs import display

if TYPE_CHECKING:
    from pipeline.corpus.plan import Plan, Task
    from pipeline.corpus.report import CorpusResult
    from pipeline.corpus.task import TaskResult

SHOWN = 10  # problems listed after the summary (the report has them all)


def problems(result: CorpusResult) -> list[str]:
    """The lines that say what a run could not do: unreadable files, what it left alone,
    the first lines it skipped, unfinished parts; and where its report is."""
    from pipeline.corpus.report import REPORT

    lines = [f"unreadable {message}" for message in result.unreadable]
    if result.left_alone:
        lines.append(f"left alone {_listed(result.left_alone)} (not corpus files: not read)")
    if result.links_outside:
        lines.append(f"left alone {_listed(result.links_outside)} "
                     "(links that lead outside their input folder: not read)")  # fmt: skip
    if result.empty:
        lines.append(f"empty      {_listed(result.empty)} (0 bytes: no records)")
    lines += [f"skipped    {_where(p)}: {p['problem']}" for p in result.malformed[:SHOWN]]
    if result.malformed_lines > SHOWN:
        lines.append(f"skipped    {result.malformed_lines - SHOWN} more lines (see {REPORT})")
    lines += [f"unfinished {message}" for message in result.unfinished]
    if result.unfinished:
        lines.append("the run is not finished; run the same command with --resume to finish it")
    return [display(line) for line in [*lines, f"report: {result.out / REPORT}"]]


def _listed(names: Sequence[str], shown: int = 5) -> str:
    """``a, b and 3 more``.

    >>> _listed(["README.md", ".gitattributes"]), _listed("abcdefg", shown=2)
    ('README.md, .gitattributes', 'a, b and 5 more')
    """
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _where(place: dict[str, Any]) -> str:
    """``data/a.jsonl:17`` or ``data/b.parquet row 3`` or ``data/a.jsonl part-00002 line 5``."""
    if "line" in place:
        return f"{place['file']}:{place['line']}"
    if "row" in place:
        return f"{place['file']} row {place['row']}"
    inner = next(k for k in place if k.endswith("_in_part"))
    return f"{place['file']} {place['part']} {inner.removesuffix('_in_part')} {place[inner]}"


class Terminal:
    """A progress bar on a terminal (records/s, MB/s), moving as records are cleaned
    (:class:`~pipeline.corpus.task.Meter`); one line per part in a log."""

    def __init__(self, engine: str) -> None:
        self.engine = engine
        self.bar: Any = None
        self.records = 0
        self.started = time.perf_counter()
        self.partial: dict[int, int] = {}  # input bytes read by tasks under way

    def start(self, plan: Plan, todo: Sequence[Task], resumed: int) -> None:
        files = len(plan.files)  # an empty file has no task, and is still one of them
        skipped = f", {resumed} already done" if resumed else ""
        print(f"cleaning {_count(len(todo), 'part')} of {_count(files, 'file')} with the "
              f"{self.engine} engine{skipped}", file=sys.stderr, flush=True)  # fmt: skip
        for message in plan.unreadable:
            print(display(f"unreadable {message}"), file=sys.stderr, flush=True)
        if sys.stderr.isatty() and todo:
            self.bar = _bar(sum(t.size for t in todo))

    def dashboard(self, link: str) -> None:
        self._say(f"Dask dashboard: {link}")

    def progress(self, task: int, records: int, size: int) -> None:
        self.records += records
        self.partial[task] = self.partial.get(task, 0) + size
        self._advance(size)

    def done(self, task: Task, result: TaskResult | BaseException) -> None:
        if not isinstance(result, BaseException) and task.index not in self.partial:
            self.records += result.records  # no progress came while it ran (Dask)
        self._advance(max(task.size - self.partial.pop(task.index, 0), 0))
        if _worth_a_line(result, quiet=self.bar is not None):
            self._say(describe(task, result))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _advance(self, size: int) -> None:
        if self.bar is not None:
            rate = self.records / max(time.perf_counter() - self.started, 1e-9)
            progress = f"{self.records:,} records, {rate:,.0f} records/s"
            self.bar.update(self.bar.task_ids[0], advance=size, description=progress)
            self.bar.refresh()

    def _say(self, line: str) -> None:
        line = display(line)  # a file's name holds no control character that reaches the terminal
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)


def _count(number: int, noun: str) -> str:
    """``1 part``, ``2 parts``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _worth_a_line(result: TaskResult | BaseException, *, quiet: bool) -> bool:
    """A failure always; a finished part only in a log (not under the bar), and a slice
    where no line starts never."""
    if isinstance(result, BaseException) or result.stopped or result.malformed:
        return True
    return not quiet and result.lines > 0


def _bar(total: int) -> Any:
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    columns = (TextColumn("cleaning"), BarColumn(), TaskProgressColumn(), TransferSpeedColumn())
    # Drawn from this thread as progress comes (twice a second from each worker), not by a
    # thread of its own: a process with a second thread cannot fork its workers safely,
    # and would start them the slow way (forkserver), each loading the cleaner again.
    bar = Progress(*columns, TimeElapsedColumn(), TextColumn("{task.description}"),
                   auto_refresh=False)  # fmt: skip
    bar.start()
    bar.add_task("", total=total)
    return bar


def describe(task: Task, result: TaskResult | BaseException) -> str:
    """The line a part gets in a log."""
    if isinstance(result, BaseException):
        return f"failed     {task.name} ({task.describe()}): {result}"
    line = (
        f"{task.name}  {task.describe()}: {result.records} records, {result.changed} changed, "
        f"{result.failed} failed"
    )
    if result.malformed:
        line += f", {_count(result.malformed, 'line')} skipped"
    if result.stopped:
        line += f"; {result.stopped}"
    return line + f" ({result.seconds:.1f} s)"
