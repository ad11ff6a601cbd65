"""Cutting a corpus into tasks: each task reads one slice of one file and writes its parts.

The plan depends only on the files and ``part_size``, never on the engine or the number
of workers, so every engine writes the same parts, and a rerun (``--resume``) knows which
are done.

- An uncompressed JSON Lines file is cut into byte ranges of about ``part_size``; a line
  belongs to the range its first byte is in, so every line is read exactly once.
- A compressed JSON Lines file cannot be cut without reading it, so it is one task,
  which writes a new part after each ``part_size`` bytes it reads.
- A Parquet file is cut between row groups, about ``part_size`` bytes of data a task.

A file that cannot be used (its first bytes say it is not what its name says, or its
Parquet footer is unreadable) gets no task; the plan keeps a one-line reason instead.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.corpus.formats import Format, corpus_format, disguise
from pipeline.files import open_at_once


@dataclass(frozen=True)
class Task:
    """One slice of one file, cleaned into one or more parts named ``part-NNNNN-MMM``.

    ``start`` and ``stop`` are byte offsets (uncompressed JSON Lines), row group numbers
    (Parquet) or ``0, -1`` (a whole compressed file); ``first_row`` is the file's row number
    of the task's first row (Parquet; 0 for JSON Lines, whose line numbers are known only
    once the tasks before have counted theirs); ``size`` is the input bytes it covers.
    """

    index: int
    path: str
    format: Format
    start: int
    stop: int
    first_row: int
    size: int

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
    """The tasks of a run, the files they read (path, size, modification time) and the
    files left out, each with a one-line reason."""

    tasks: tuple[Task, ...]
    files: tuple[tuple[str, int, int], ...]
    unreadable: tuple[str, ...]

    def fingerprint(self) -> dict[str, Any]:
        """What a resumed run must share with the run it finishes."""
        return {"files": [list(f) for f in self.files], "tasks": len(self.tasks)}


def shown(path: str) -> str:
    """A path as messages show it: from the working folder when it is under it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def make_plan(paths: list[Path], part_size: int, unreadable: tuple[str, ...] = ()) -> Plan:
    """The tasks for ``paths``, in order, each of about ``part_size`` bytes; what could
    not be read, starting with ``unreadable`` (found so before the plan)."""
    slices: list[tuple[str, Format, int, int, int, int]] = []
    files: list[tuple[str, int, int]] = []
    unreadable = tuple(unreadable)
    for path in paths:
        fmt = corpus_format(path)
        assert fmt is not None  # find_corpus keeps only corpus files
        try:
            info = path.stat()
            slices += _slices(path, fmt, info.st_size, part_size)
        except (OSError, ValueError) as error:
            unreadable += (f"{shown(str(path))}: {_reason(error)}",)
            continue
        files.append((str(path), info.st_size, info.st_mtime_ns))
    tasks = tuple(Task(i, *s) for i, s in enumerate(slices))
    return Plan(tasks, tuple(files), unreadable)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"cannot be read ({error.strerror or type(error).__name__}); check the file"
    return str(error)


def _slices(
    path: Path, fmt: Format, size: int, part_size: int
) -> list[tuple[str, Format, int, int, int, int]]:
    if size == 0:
        return []
    head = _head(path)
    found = disguise(head, fmt)
    if found is not None:
        raise ValueError(f"{found}; check the file and its name")
    if fmt.kind == "parquet":
        return [(str(path), fmt, *s) for s in _row_group_slices(path, part_size)]
    if fmt.compression is not None:
        return [(str(path), fmt, 0, -1, 0, size)]
    count = math.ceil(size / part_size)
    edges = [size * i // count for i in range(count + 1)]
    return [(str(path), fmt, a, b, 0, b - a) for a, b in zip(edges, edges[1:], strict=False)]


def _head(path: Path) -> bytes:
    """A file's first bytes, opened without waiting: a file swapped for a pipe since it
    was found is refused, never waited on."""
    fd = open_at_once(path)
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("is not a regular file (a pipe, a socket or a device); give a file")
        return handle.read(8)


def _row_group_slices(path: Path, part_size: int) -> list[tuple[int, int, int, int]]:
    """``(first row group, end row group, first row, bytes)`` for each task of a Parquet
    file: consecutive row groups until they hold ``part_size`` bytes of data."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as error:  # pyarrow reports a damaged footer in several ways
        raise ValueError(f"is not a readable Parquet file ({error}); check the file") from None
    slices: list[tuple[int, int, int, int]] = []
    start, row, first_row, held = 0, 0, 0, 0
    for group in range(meta.num_row_groups):
        held += meta.row_group(group).total_byte_size
        row += meta.row_group(group).num_rows
        if held >= part_size or group == meta.num_row_groups - 1:
            slices.append((start, group + 1, first_row, held))
            start, first_row, held = group + 1, row, 0
    return slices
