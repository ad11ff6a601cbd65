"""The output folder of a corpus run: whose it is, and making it ready for a run.

A run writes only into a new or empty folder, or into the folder of an earlier run of
the same files and settings (``--resume``), which ``_plan.json`` identifies. Nothing is
written before the engine is ready (:func:`make_ready`), so a run that cannot start (no
Dask scheduler answers) leaves the folder as it was, and the same command can simply be
run again.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from enum import Enum
from pathlib import Path
from typing import Any

from pipeline.corpus.plan import Plan
from pipeline.corpus.report import REPORT
from pipeline.corpus.settings import CorpusSettings
from pipeline.corpus.task import TASKS, TaskResult
from pipeline.errors import InputError
from pipeline.files import json_text, reported_as_output, write_atomic
from pipeline.version import __version__

PLAN = "_plan.json"
SUCCESS = "_SUCCESS"
_OURS = re.compile(r"part-(\d{5})-\d{3}\.")  # a part's name: its task, then its number


class Earlier(Enum):
    """What an output folder holds: nothing yet, or a run of these files and settings."""

    NONE = "none"
    UNFINISHED = "unfinished"
    FINISHED = "finished"


def fingerprint(plan: Plan, settings: CorpusSettings) -> dict[str, Any]:
    """What a resumed run must share with the run it finishes (as JSON reads it back)."""
    found = {"leaflet": __version__, "settings": settings.to_dict()} | plan.fingerprint()
    return json.loads(json.dumps(found))  # type: ignore[no-any-return]


def earlier_run(out: Path, wanted: dict[str, Any], resume: bool) -> Earlier:
    """What ``out`` holds, or a one-line error if this run may not write there: a file;
    a folder with other things in it; an earlier run without ``resume``, or of other
    files or settings."""
    with reported_as_output(out), contextlib.suppress(FileNotFoundError):
        out.lstat()  # a name the system will not look at (too long): said here, in one line
    if os.path.exists(out) and not os.path.isdir(out):
        raise InputError(f"{out}: is a file; the output is a folder of parts, give a folder name")
    earlier = _earlier_plan(out)
    if earlier is None:
        if os.path.isdir(out) and any(out.iterdir()):
            raise InputError(
                f"{out}: is not empty and holds no leaflet corpus run; "
                "choose an empty or new output folder"
            )
        return Earlier.NONE
    finished = (out / SUCCESS).exists()
    if finished and not resume:
        raise InputError(
            f"{out}: holds a finished run; to run again, choose another output folder "
            "or remove this one"
        )
    if earlier != wanted:
        raise InputError(
            f"{out}: holds a run of other files or settings; to start again, choose another "
            "output folder or remove this one"
        )
    if not resume:
        raise InputError(
            f"{out}: holds an unfinished run; add --resume to finish it, or choose another "
            "output folder"
        )
    return Earlier.FINISHED if finished else Earlier.UNFINISHED


def _earlier_plan(out: Path) -> dict[str, Any] | None:
    try:
        earlier: dict[str, Any] = json.loads((out / PLAN).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # damaged: matches nothing, so it is refused
    return earlier


def finished_tasks(out: Path, plan: Plan) -> dict[int, TaskResult]:
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


def earlier_report(out: Path) -> dict[str, Any] | None:
    """The report of a finished run, or None if it cannot be read."""
    try:
        report = json.loads((out / REPORT).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def make_ready(out: Path, wanted: dict[str, Any], results: dict[int, TaskResult]) -> None:
    """Once the engine is ready: write the plan, and remove what a stopped run left
    (its ``_SUCCESS`` and report, temporary files, the parts and markers of unfinished
    tasks). Only leaflet's own names are touched."""
    (out / SUCCESS).unlink(missing_ok=True)
    write_atomic(out / PLAN, json_text(wanted) + "\n")
    sweep_temporary(out)
    for path in out.glob("part-*"):
        match = _OURS.match(path.name)
        if match and path.is_file() and int(match.group(1)) not in results:
            path.unlink()
    for marker in (out / TASKS).glob("part-*.json"):
        match = re.fullmatch(r"part-(\d{5})", marker.stem)
        if match and int(match.group(1)) not in results:
            marker.unlink()
    (out / REPORT).unlink(missing_ok=True)


def sweep_temporary(out: Path) -> None:
    """Remove temporary files (``.<name>.<random>.part``) of writes that were stopped."""
    for folder in (out, out / TASKS):
        for leftover in folder.glob(".*.part"):
            leftover.unlink(missing_ok=True)
