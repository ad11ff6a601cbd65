"""The local engine: tasks in worker processes on this machine.

It runs on :class:`pipeline.workers.WorkerPool`, the pool ``leaflet build`` uses: each
worker loads the cleaner's tables once (:func:`warm_up`), takes one task at a time, and
reports the records it has cleaned as it goes (:func:`pipeline.workers.report`); the main
process only schedules, counts and shows. With one job, tasks run in this process.

Ctrl-C (or SIGTERM) stops the workers; each removes the part it was writing (parts are
written to a temporary file first), so nothing half-written is left, and finished tasks
stay finished for ``--resume``. A task that fails, or whose worker dies, is reported
unfinished and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from pipeline.corpus.plan import Task
from pipeline.corpus.settings import CorpusSettings
from pipeline.corpus.task import Progress, TaskResult, run_task
from pipeline.workers import WorkerPool, report

Done = Callable[[Task, TaskResult | BaseException], None]


class TaskFailed(Exception):
    """A task that stopped with an error (its one-line message), in a worker or here."""


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
    result or the error that stopped it (the run goes on)."""
    work = partial(_run_in_worker, settings=settings, out=out)
    workers = min(jobs, len(tasks))
    with WorkerPool(work, workers, setup=warm_up, on_progress=partial(_shown, on_progress)) as pool:
        for result in pool.run((task, task.name) for task in tasks):
            task = tasks[result.index]
            on_done(task, result.value if result.value is not None else TaskFailed(result.error))


WARM_UP = (
    "Warm up: the spinner’s an’ cеlеbratеd sweatin’, and more.\n\n"
    "Occurrinｇ in some patiеnts, an\u200bd b\u200dotox\u00a0and a\u00adn \U0001d41a𝐜𝐡𝐞."
)
"""A text with a disguise of each kind, so each stage loads its tables as it sets up."""


def warm_up() -> None:
    """Load the cleaner's tables and word lists in this process, once: each stage's,
    and the word lists of every language the cleaner tells English from (some 2 s, which
    would otherwise fall on the first record with a disguise inside a word)."""
    from pipeline.normalise import clean
    from pipeline.normalise.words import is_english_text

    clean(WARM_UP)
    is_english_text("Take it with food, and rest.")


def _run_in_worker(task: Task, settings: CorpusSettings, out: str) -> TaskResult:
    return run_task(task, settings, out, _report)


def _report(index: int, records: int, size: int) -> None:
    report((index, records, size))


def _shown(on_progress: Progress, message: tuple[int, int, int]) -> None:
    on_progress(*message)
