"""Reading one task's slice of a corpus file, in batches, in bounded memory.

JSON Lines are read line by line (a line over :func:`line_limit` bytes is skipped, not
held in memory); Parquet row groups batch by batch. Each batch says how many input bytes
have been read so far, for progress and for cutting the output into parts.

A task opens its file with the checks the plan made
(:func:`~pipeline.corpus.opened.open_task`): a file that is not the one the plan saw
(moved out of its folder by a link, swapped for a pipe, removed, grown or cut short) is
:class:`~pipeline.corpus.opened.Changed`, never read or waited on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from pipeline.corpus.opened import Changed, decompressed, open_task
from pipeline.corpus.plan import Task
from pipeline.corpus.record import own_field_problem
from pipeline.corpus.settings import BATCH_RECORDS, CorpusSettings

BATCH_BYTES = 8_000_000  # a JSON Lines batch ends after this many bytes too
GIVE_UP = 100  # lines in a row that are not JSON, at a task's start: not JSON Lines


class NotJsonLines(ValueError):
    """A file named as JSON Lines whose lines are not JSON."""


@dataclass
class JsonBatch:
    """Records read from JSON Lines: ``(line, object)`` pairs, line numbers counted from 1
    within the task; the lines that could not be used, with the reason; how many lines the
    task has covered so far and how many bytes it has read."""

    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0
    consumed: int = 0


def line_limit(settings: CorpusSettings) -> int:
    """The longest line read: room for the largest text, escaped, and other fields."""
    return max(64_000_000, 8 * settings.max_record_size)


def jsonl_batches(task: Task, settings: CorpusSettings) -> Iterator[JsonBatch]:
    """The task's lines, parsed, in batches of at most :data:`BATCH_RECORDS` records.

    If reading fails part-way (a truncated ``.gz``), the lines read so far come as a last
    batch before the error.
    """
    batch = JsonBatch()
    good = held = 0
    try:
        for number, line, consumed in _lines(task, line_limit(settings)):
            batch.lines, batch.consumed = number, consumed
            parsed = _parse(line)
            if isinstance(parsed, str):
                batch.problems.append((number, parsed))
                if good == 0 and len(batch.problems) >= GIVE_UP:
                    raise NotJsonLines(f"no line of the first {GIVE_UP} is a JSON object")
            elif parsed is not None:
                batch.records.append((number, parsed))
                good, held = good + 1, held + len(line or b"")
            if len(batch.records) >= BATCH_RECORDS or held >= BATCH_BYTES:
                yield batch
                batch, held = JsonBatch(lines=number, consumed=consumed), 0
    except (NotJsonLines, Changed):
        raise
    except Exception:
        yield batch
        raise
    if batch.records or batch.problems or batch.lines:
        yield batch


def _parse(line: bytes | None) -> dict[str, Any] | str | None:
    """A line's object; a one-line reason if it is not one; None for a blank line."""
    if line is None:
        return "too long to read as one record; split it or raise --max-record-size"
    if not line.strip():
        return None
    try:
        value = json.loads(line)
    except RecursionError:
        return "not read: JSON nested too deeply"
    except ValueError as error:  # JSONDecodeError, or bytes that are not UTF-8
        return f"not valid JSON ({error})"
    if not isinstance(value, dict):
        return f"not a JSON object but {type(value).__name__}"
    return own_field_problem(value) or value


def _lines(task: Task, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number in the task, line or None if too long, bytes read)`` for each line
    whose first byte is in the task's range."""
    with open_task(task.path, task.seen) as raw:
        stream = _opened(raw, task)
        number = 0
        while task.stop < 0 or stream.tell() < task.stop:
            line: bytes | None = stream.readline(limit + 1)
            if not line:
                return
            if len(line) > limit and not line.endswith(b"\n"):
                _skip_line(stream)
                line = None
            number += 1
            yield number, line, (raw.tell() if task.stop < 0 else stream.tell() - task.start)


def _opened(raw: IO[bytes], task: Task) -> IO[bytes]:
    """The stream of lines: decompressed, or positioned at the first line of the range."""
    if task.format.compression is not None:
        return decompressed(raw, task.format)
    if task.start > 0:
        raw.seek(task.start - 1)
        _skip_line(raw)  # the line under way at the start belongs to the range before
    return raw


def _skip_line(stream: IO[bytes]) -> None:
    while (chunk := stream.readline(1 << 20)) and not chunk.endswith(b"\n"):
        pass


def parquet_batches(task: Task) -> Iterator[tuple[Any, int]]:
    """The task's row groups as Arrow record batches, with the bytes read so far."""
    import pyarrow.parquet as pq

    with open_task(task.path, task.seen) as raw, pq.ParquetFile(raw) as parquet:
        groups = list(range(task.start, task.stop))
        rows = sum(parquet.metadata.row_group(g).num_rows for g in groups)
        done = 0
        for batch in parquet.iter_batches(batch_size=BATCH_RECORDS, row_groups=groups):
            done += batch.num_rows
            yield batch, task.size * done // max(rows, 1)
