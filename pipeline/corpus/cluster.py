"""The Dask engine: the same tasks as a Dask bag, one partition per task, on a cluster.

``scheduler`` is the address of a running ``dask scheduler`` (``tcp://host:8786``); with
none, a ``LocalCluster`` of ``jobs`` worker processes is started for the run and stopped
after it. A worker plugin loads the cleaner's tables once in each worker when it joins.
Each partition runs :func:`~pipeline.corpus.task.run_task`, which reads its slice of the
corpus and writes its own parts, so the input and the output folder must be paths every
worker can reach (a shared file system, or one machine).

If a worker dies, Dask runs its tasks again elsewhere; a task that finished has its parts
and its result in the output folder, so a run that is stopped is finished by
``--resume``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from pipeline.corpus.local import Done, warm_up
from pipeline.corpus.plan import Task
from pipeline.corpus.settings import CorpusSettings
from pipeline.corpus.task import TaskResult, run_task
from pipeline.errors import InputError, echo
from pipeline.version import __version__

CONNECT_TIMEOUT = "10s"
WAIT_FOR_WORKERS = 60  # seconds


class WarmUp(WorkerPlugin):
    """Set up the cleaner once in each worker, as it starts or joins."""

    name = "leaflet-warm-up"

    def setup(self, worker: Any) -> None:
        warm_up()


def run_dask(
    tasks: Sequence[Task],
    settings: CorpusSettings,
    out: str,
    *,
    scheduler: str | None,
    jobs: int,
    on_done: Done,
    on_dashboard: Callable[[str], None],
    on_ready: Callable[[], None],
) -> None:
    """Run every task on the cluster; ``on_ready`` is called once it has workers that
    can run leaflet, ``on_done`` as each task ends, with its result or the exception
    that stopped it (the run goes on)."""
    import dask.bag

    with _client(scheduler, jobs) as client:
        on_dashboard(_dashboard(client))
        _check_workers(client)
        on_ready()
        work = partial(run_task, settings=settings, out=out)
        bag = dask.bag.from_sequence(tasks, npartitions=len(tasks)).map(work)
        futures = client.compute(bag.to_delayed())
        task_of = dict(zip(futures, tasks, strict=True))  # one task in each partition
        for future in as_completed(futures):
            on_done(task_of[future], _result(future))


def _result(future: Any) -> TaskResult | BaseException:
    try:
        (result,) = future.result()
    except Exception as error:  # the task failed on every worker that tried it
        return error
    return result  # type: ignore[no-any-return]


@contextmanager
def _client(scheduler: str | None, jobs: int) -> Iterator[Client]:
    if scheduler is None:
        with _local_cluster(jobs) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(
            f"--scheduler {echo(scheduler, quoted=False)}: no Dask scheduler answers there "
            f"({echo(str(error), quoted=False)}); "
            "start one with 'dask scheduler', or leave out --scheduler for a local cluster"
        ) from None
    with client:
        yield client


def _local_cluster(jobs: int) -> LocalCluster:
    """A cluster of ``jobs`` worker processes on this machine, or a one-line error."""
    try:
        return LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
    except Exception as error:  # Dask says a worker could not start in several ways
        reason = str(error).rstrip(".") or type(error).__name__
        hint = f"; {SCRIPT_HINT}" if _main_is_a_script() else ""
        raise InputError(f"a local Dask cluster could not start ({reason}){hint}") from None


SCRIPT_HINT = (
    "in a script, call clean_corpus under 'if __name__ == \"__main__\":', since Dask "
    "starts its workers by running the script again"
)


def _main_is_a_script() -> bool:
    """Whether this program is a Python file run as ``python script.py``, which Dask's
    worker processes import again as they start."""
    main = sys.modules.get("__main__")
    return getattr(main, "__file__", None) is not None and getattr(main, "__spec__", 1) is None


def _dashboard(client: Client) -> str:
    """The dashboard's address, or the scheduler's when it has no dashboard."""
    info = client.scheduler_info()
    if "dashboard" in info.get("services", {}):
        return str(client.dashboard_link)
    return f"none (the scheduler at {info.get('address')} runs without one)"


def _check_workers(client: Client) -> None:
    """Every worker must have this leaflet: set up the cleaner there, or say why not."""
    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
    except TimeoutError:
        raise InputError(
            f"no Dask worker joined the scheduler in {WAIT_FOR_WORKERS} s; "
            "start workers with 'dask worker ADDRESS'"
        ) from None
    try:
        client.register_plugin(WarmUp())
        versions = client.run(_leaflet_version)
    except (ImportError, AttributeError) as error:
        raise InputError(
            f"the Dask workers cannot run leaflet ({error}); "
            "install the same leaflet, with its corpus extra, on every worker"
        ) from None
    other = sorted({v for v in versions.values() if v != __version__})
    if other:
        raise InputError(
            f"the Dask workers run leaflet {', '.join(other)}, this is {__version__}; "
            "install the same version everywhere"
        )


def _leaflet_version() -> str:
    from pipeline.version import __version__ as version

    return version
