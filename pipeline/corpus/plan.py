"""Cutting a corpus into tasks: each task reads one slice of one file and writes its parts.

The plan depends only on the files and ``part_size``, never on the engine or the number
of workers, so every engine writes the same parts, and a rerun (``--resume``) knows which
are done.

- An uncompressed JSON Lines file is cut into byte ranges of about ``part_size``; a line
  belongs to the range its first byte is in, so every line is read exactly once.
- A compressed JSON Lines file cannot be cut without reading it, so it is one task,
  which writes a new part after each ``part_size`` bytes it reads.
- A Parquet file is cut between row groups, about ``part_size`` bytes of data a task.

Each file is opened once (:func:`~pipeline.corpus.opened.open_checked`), and all the plan
needs is read then: its size, its first bytes, its first record's fields or its Parquet
footer. What the plan saw of it rides on each of its tasks, which check it again as they
open the file (:func:`~pipeline.corpus.opened.open_task`).

A file that cannot be used (its first bytes say it is not what its name says, or its
Parquet footer is unreadable) gets no task; the plan keeps a one-line reason instead.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.corpus.formats import Format, corpus_format, disguise
from pipeline.corpus.opened import Seen, first_fields, open_checked, parquet_footer
from pipeline.files import LeadsOut, NotRegular

NOT_A_FILE = "is not a regular file (a pipe, a socket or a device); give a file"


@dataclass(frozen=True)
class Task:
    """One slice of one file, cleaned into one or more parts named ``part-NNNNN-MMM``.

    ``start`` and ``stop`` are byte offsets (uncompressed JSON Lines), row group numbers
    (Parquet) or ``0, -1`` (a whole compressed file); ``first_row`` is the file's row number
    of the task's first row (Parquet; 0 for JSON Lines, whose line numbers are known only
    once the tasks before have counted theirs); ``size`` is the input bytes it covers;
    ``seen`` what the plan saw of the file, checked again as the task opens it.
    """

    index: int
    path: str
    format: Format
    start: int
    stop: int
    first_row: int
    size: int
    seen: Seen

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"

    def describe(self) -> str:
        """Which slice, for a log line: ``a.jsonl bytes 16000000-32000000``."""
        name = shown(self.path)
        if self.stop < 0:
            return name
        unit = "row groups" if self.format.kind == "parquet" else "bytes"
        return f"{name} {unit} {self.start}-{self.stop}"


@dataclass(frozen=True)
class Plan:
    """The tasks of a run, the files they read (path, size, modification time), the
    fields of each one's first record (of a Parquet file: its columns) and the files
    left out, each with a one-line reason."""

    tasks: tuple[Task, ...]
    files: tuple[tuple[str, int, int], ...]
    unreadable: tuple[str, ...]
    first_fields: tuple[tuple[str, ...], ...]

    def fingerprint(self) -> dict[str, Any]:
        """What a resumed run must share with the run it finishes."""
        return {"files": [list(f) for f in self.files], "tasks": len(self.tasks)}


def shown(path: str) -> str:
    """A path as messages show it: from the working folder when it is under it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


Slice = tuple[str, Format, int, int, int, int, Seen]  # a Task, less its index


def make_plan(
    paths: list[Path],
    part_size: int,
    unreadable: tuple[str, ...] = (),
    inside: Mapping[Path, Path] | None = None,
) -> Plan:
    """The tasks for ``paths``, in order, each of about ``part_size`` bytes; what could
    not be read, starting with ``unreadable`` (found so before the plan). ``inside`` names
    the folder each file found in one must stay inside (a file named itself is read
    wherever it leads). Each file is opened once."""
    slices: list[Slice] = []
    files: list[tuple[str, int, int]] = []
    fields: list[tuple[str, ...]] = []
    unreadable = tuple(unreadable)
    for path in paths:
        fmt = corpus_format(path)
        assert fmt is not None  # find_corpus keeps only corpus files
        folder = (inside or {}).get(path)
        try:
            seen, found, first = _planned(path, fmt, part_size, folder)
        except (OSError, ValueError) as error:
            unreadable += (f"{shown(str(path))}: {_reason(error)}",)
            continue
        slices += found
        files.append((str(path), seen.size, seen.mtime_ns))
        fields.append(first)
    tasks = tuple(Task(i, *s) for i, s in enumerate(slices))
    return Plan(tasks, tuple(files), unreadable, tuple(fields))


def _reason(error: Exception) -> str:
    if isinstance(error, (NotRegular, IsADirectoryError)):
        return NOT_A_FILE
    if isinstance(error, LeadsOut):  # a link changed since the file was found
        return "is a link that leads outside its input folder, so it is not read"
    if isinstance(error, OSError):
        return f"cannot be read ({error.strerror or type(error).__name__}); check the file"
    return str(error)


def _planned(
    path: Path, fmt: Format, part_size: int, folder: Path | None
) -> tuple[Seen, list[Slice], tuple[str, ...]]:
    """What the plan saw of a file, its slices and its first record's fields, all read in
    one open: without waiting (a file swapped for a pipe since it was found is refused,
    never waited on), checked on what was opened."""
    link, root = os.path.islink(path), None if folder is None else str(folder)
    handle, info = open_checked(path, root)
    seen = Seen(info.st_size, info.st_mtime_ns, root, link)
    with handle:
        if seen.size == 0:
            return seen, [], ()
        found = disguise(handle.read(8), fmt)
        if found is not None:
            raise ValueError(f"{found}; check the file and its name")
        handle.seek(0)
        if fmt.kind == "parquet":
            meta, names = parquet_footer(handle)
            groups = _row_group_slices(meta, part_size)
            return seen, [(str(path), fmt, *group, seen) for group in groups], names
        first = first_fields(handle, fmt)
    return seen, _byte_slices(str(path), fmt, seen, part_size), first


def _byte_slices(path: str, fmt: Format, seen: Seen, part_size: int) -> list[Slice]:
    """A JSON Lines file's slices: the whole of a compressed one; byte ranges of about
    ``part_size`` of a plain one."""
    if fmt.compression is not None:
        return [(path, fmt, 0, -1, 0, seen.size, seen)]
    count = math.ceil(seen.size / part_size)
    edges = [seen.size * i // count for i in range(count + 1)]
    return [(path, fmt, a, b, 0, b - a, seen) for a, b in zip(edges, edges[1:], strict=False)]


def _row_group_slices(meta: Any, part_size: int) -> list[tuple[int, int, int, int]]:
    """``(first row group, end row group, first row, bytes)`` for each task of a Parquet
    file (``meta``: its footer): consecutive row groups until they hold ``part_size``
    bytes of data."""
    slices: list[tuple[int, int, int, int]] = []
    start, row, first_row, held = 0, 0, 0, 0
    for group in range(meta.num_row_groups):
        held += meta.row_group(group).total_byte_size
        row += meta.row_group(group).num_rows
        if held >= part_size or group == meta.num_row_groups - 1:
            slices.append((start, group + 1, first_row, held))
            start, first_row, held = group + 1, row, 0
    return slices
