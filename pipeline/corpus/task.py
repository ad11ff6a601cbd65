"""One task: read a slice of a corpus file, clean every record, write its parts and mark
it done. Both engines run exactly this, in their own workers, so their outputs are the
same.

Steps: read the slice in batches (:mod:`pipeline.corpus.read`); clean each record's text
(:func:`~pipeline.corpus.record.clean_value`) and add leaflet's columns; write the batches
to ``part-NNNNN-000``, starting a new part after every ``part_size`` bytes read
(:mod:`pipeline.corpus.write`); write the task's result to ``_tasks/part-NNNNN.json``.
The result marker is written last, so a task without one is not done, and is run again
by ``--resume``.

A file that stops being readable part-way (a truncated ``.gz``) keeps the records read
before, and its result says where reading stopped; a line that is not JSON is skipped
and counted; a file that has changed since the run was planned (a link out of its
folder, a pipe, removed, grown or cut short) is not read, and its result says so. None
of these stops the run.
"""

from __future__ import annotations

import heapq
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pipeline.corpus.opened import Changed
from pipeline.corpus.plan import Task, shown
from pipeline.corpus.read import JsonBatch, NotJsonLines, jsonl_batches, parquet_batches
from pipeline.corpus.record import (
    CHANGE_LIST,
    CHANGES,
    ERROR,
    MISSING,
    SURROGATE,
    SUSPECTS,
    Result,
    clean_value,
    no_changes,
)
from pipeline.corpus.settings import CorpusSettings
from pipeline.corpus.write import Rows, decoded, json_line, rows_to_table, write_part
from pipeline.files import json_text, write_atomic
from pipeline.version import __version__

TASKS = "_tasks"  # the folder of task results, one per finished task
TOP = 20  # the most damaged records each task (and the report) keeps
PROBLEMS = 100  # the unreadable lines each task lists (all are counted)

# Told as a task goes: its index, and the records and input bytes since the last call.
Progress = Callable[[int, int, int], None]
PROGRESS_SECONDS = 0.5  # a task tells its progress at most this often, record by record


@dataclass(frozen=True)
class Damaged:
    """A heavily repaired record: where it is (line or row within its task), its id if
    the corpus has an id field, and its changes by stage."""

    position: int
    changes: int
    by_stage: dict[str, int]
    id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Counts:
    """What cleaning records counts, for one task (:class:`TaskResult`) and for a whole
    run (:class:`~pipeline.corpus.report.CorpusResult`, the tasks' counts added up)."""

    records: int = 0
    changed: int = 0  # records whose text changed
    failed: int = 0  # records that could not be cleaned (they kept their text)
    suspects: int = 0
    text_bytes: int = 0  # of the texts cleaned, in UTF-8
    by_stage: dict[str, int] = field(default_factory=no_changes)  # changes made, by stage

    @classmethod
    def added(cls, counts: Iterable[Counts]) -> Counts:
        """The ``counts`` added up, stage by stage.

        >>> total = Counts.added([Counts(records=2, by_stage={"commas": 1}), Counts(records=3)])
        >>> total.records, total.by_stage["commas"], total.by_stage["homoglyphs"]
        (5, 1, 0)
        """
        total = {name: 0 for name in _COUNTED}
        by_stage = no_changes()
        for each in counts:
            for name in _COUNTED:
                total[name] += getattr(each, name)
            for stage, count in each.by_stage.items():
                by_stage[stage] = by_stage.get(stage, 0) + count
        return cls(**total, by_stage=by_stage)

    def counted(self) -> dict[str, Any]:
        """The counts alone, by name (to build a result holding the same)."""
        return {f.name: getattr(self, f.name) for f in fields(Counts)}


_COUNTED = tuple(f.name for f in fields(Counts) if f.name != "by_stage")


@dataclass(frozen=True, kw_only=True)
class TaskResult(Counts):
    """What a task did: the record written to ``_tasks/`` and sent back to the engine."""

    index: int
    parts: tuple[str, ...]
    lines: int  # lines (JSON Lines) or rows (Parquet) the task covered
    damaged: tuple[Damaged, ...]
    problems: tuple[tuple[int, str], ...]  # (line within the task, what is wrong)
    malformed: int  # lines skipped (all of them; ``problems`` lists the first ones)
    stopped: str | None  # why reading stopped early, if it did
    seconds: float
    version: str = __version__

    def to_json(self) -> str:
        return json_text(asdict(self)) + "\n"

    @classmethod
    def from_json(cls, text: str) -> TaskResult:
        data = json.loads(text)
        data["damaged"] = tuple(Damaged(**d) for d in data["damaged"])
        data["problems"] = tuple((int(n), str(m)) for n, m in data["problems"])
        data["parts"] = tuple(data["parts"])
        return cls(**data)


@dataclass
class Meter:
    """How far a task has gone, told to ``tell`` as it goes (at most every
    :data:`PROGRESS_SECONDS`, and at its end): the records cleaned and the input bytes
    read since it was last told. A batch's bytes are spread over its records, so the
    progress moves record by record, not batch by batch.
    """

    task: int
    tell: Progress
    base: int = 0  # input bytes read before this batch
    read: int = 0  # ... and with it
    size: int = 0  # records in this batch
    cleaned: int = 0  # ... cleaned so far
    records: int = 0  # records cleaned in the task
    told: tuple[int, int] = (0, 0)  # records and bytes told so far
    told_at: float = field(default_factory=time.monotonic)

    def batch(self, records: int, read: int) -> None:
        """A batch of ``records`` begins; the task has read ``read`` input bytes so far."""
        self.base, self.read, self.size, self.cleaned = self.read, read, records, 0

    def step(self) -> None:
        """One more record is cleaned."""
        self.records += 1
        self.cleaned += 1
        if time.monotonic() - self.told_at >= PROGRESS_SECONDS:
            self.flush()

    def finish(self) -> None:
        """The task has cleaned all it read."""
        self.cleaned = self.size
        self.flush()

    def flush(self) -> None:
        done = self.read
        if self.size:  # a batch of lines that are not records is done as soon as read
            done = self.base + (self.read - self.base) * self.cleaned // self.size
        records, size = self.records - self.told[0], done - self.told[1]
        if records or size:
            self.tell(self.task, records, size)
            self.told = (self.records, done)
        self.told_at = time.monotonic()


@dataclass
class Tally:
    """The counts a task gathers as it goes (with its :class:`Meter`, the only mutable
    objects in a task)."""

    records: int = 0
    changed: int = 0
    failed: int = 0
    suspects: int = 0
    text_bytes: int = 0
    lines: int = 0
    malformed: int = 0
    by_stage: dict[str, int] = field(default_factory=no_changes)
    damaged: list[tuple[int, int, Damaged]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    stopped: str | None = None
    meter: Meter | None = None

    def add(self, position: int, result: Result, record_id: str | None) -> None:
        if self.meter is not None:
            self.meter.step()
        self.records += 1
        self.changed += result.changed
        self.failed += result.error is not None
        self.suspects += result.suspects
        self.text_bytes += result.size
        for stage, count in result.changes.items():
            self.by_stage[stage] += count
        if result.total:
            damaged = Damaged(position, result.total, result.changes, record_id)
            heapq.heappush(self.damaged, (result.total, -position, damaged))
            if len(self.damaged) > TOP:
                heapq.heappop(self.damaged)

    def problem(self, position: int, message: str) -> None:
        self.malformed += 1
        if len(self.problems) < PROBLEMS:
            self.problems.append((position, message))

    def result(self, task: Task, parts: list[str], seconds: float) -> TaskResult:
        top = tuple(d for _, _, d in sorted(self.damaged, key=lambda t: (-t[0], -t[1])))
        return TaskResult(
            index=task.index, parts=tuple(parts), records=self.records, changed=self.changed,
            failed=self.failed, suspects=self.suspects, text_bytes=self.text_bytes,
            lines=self.lines, by_stage=self.by_stage, damaged=top,
            problems=tuple(self.problems), malformed=self.malformed, stopped=self.stopped,
            seconds=round(seconds, 3),
        )  # fmt: skip


def run_task(
    task: Task, settings: CorpusSettings, out: str, progress: Progress | None = None
) -> TaskResult:
    """Clean one task's slice into its parts in ``out``; write and return its result."""
    started = time.perf_counter()
    tally = Tally(meter=Meter(task.index, progress) if progress is not None else None)
    batches = _cleaned(task, settings, tally)
    parts = []
    for number, part in enumerate(_split(batches, settings.part_size)):
        name = f"{task.name}-{number:03d}{settings.output.suffix}"
        write_part(Path(out) / name, settings.output, part)
        parts.append(name)
    result = tally.result(task, parts, time.perf_counter() - started)
    write_atomic(Path(out) / TASKS / f"{task.name}.json", result.to_json())
    return result


Sized = tuple[Rows, int]  # cleaned records, and the input bytes they were read from


def _split(batches: Iterator[Sized], part_size: int) -> Iterator[Iterator[Rows]]:
    """The batches in parts of about ``part_size`` input bytes each (none if no batch).
    Each part must be read to its end before the next is asked for."""
    pending = next(batches, None)

    def one_part() -> Iterator[Rows]:
        nonlocal pending
        held = 0
        while pending is not None:
            rows, size = pending
            yield rows
            held += size
            pending = next(batches, None)
            if held >= part_size:
                return

    while pending is not None:
        yield one_part()


def _cleaned(task: Task, settings: CorpusSettings, tally: Tally) -> Iterator[Sized]:
    """The task's records, cleaned, batch by batch; reading errors end the stream."""
    read = 0
    try:
        for rows, records, consumed in _batches(task, settings, tally):
            if records:
                yield rows, consumed - read
            read = consumed
    except NotJsonLines as error:
        tally.stopped = f"{shown(task.path)}: is not JSON Lines ({error}); check the file"
    except Changed as error:
        tally.stopped = (
            f"{shown(task.path)}: changed since the run started ({error}); "
            "run again into a new output folder"
        )
    except Exception as error:  # the file is damaged part-way: keep what was read
        unit = "row" if task.format.kind == "parquet" else "line"
        tally.stopped = (
            f"{shown(task.path)}: reading stopped after {unit} {tally.lines} of this slice "
            f"({type(error).__name__}: {error}); the records before it were cleaned"
        )
    if tally.meter is not None:
        tally.meter.finish()


def _batches(task: Task, settings: CorpusSettings, tally: Tally) -> Iterator[tuple[Rows, int, int]]:
    """``(cleaned rows, how many, input bytes read so far)`` for each batch."""
    begin = tally.meter.batch if tally.meter is not None else lambda records, read: None
    if task.format.kind == "parquet":
        for batch, consumed in parquet_batches(task):
            begin(batch.num_rows, consumed)
            rows = clean_table(batch, settings, tally, first=tally.lines)
            tally.lines += batch.num_rows
            yield rows, batch.num_rows, consumed
        return
    known = leaflet_types(settings) if settings.output.kind == "parquet" else None
    for batch in jsonl_batches(task, settings):
        begin(len(batch.records), batch.consumed)
        rows = clean_rows(batch, settings, tally)
        tally.lines = batch.lines
        yield (rows if known is None else rows_to_table(rows, known)), len(rows), batch.consumed


def clean_rows(batch: JsonBatch, settings: CorpusSettings, tally: Tally) -> list[dict[str, Any]]:
    """JSON Lines records with their text cleaned and leaflet's fields added."""
    for number, message in batch.problems:
        tally.problem(number, message)
    field_name, rows = settings.text_field, []
    for number, record in batch.records:
        result = clean_value(record.get(field_name, MISSING), settings)
        tally.add(number, result, _record_id(record, settings.id_field))
        row = dict(record)
        if field_name in row:
            row[field_name] = _storable_text(result.text, settings)
        row.update(added_fields(result, settings))
        rows.append(row)
    return rows


def added_fields(result: Result, settings: CorpusSettings) -> dict[str, Any]:
    """leaflet's fields for one record, in the order they are written."""
    fields: dict[str, Any] = {CHANGES: result.changes, SUSPECTS: result.suspects}
    fields[ERROR] = result.error
    if settings.with_changes:
        fields[CHANGE_LIST] = result.change_list
    return fields


def _storable_text(value: Any, settings: CorpusSettings) -> Any:
    """A value kept as it was, as Parquet can hold it in a text column: a non-string as
    its JSON, a lone surrogate as U+FFFD. JSON Lines keep it exactly."""
    if settings.output.kind == "jsonl" or value is None:
        return value
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
    return json_line(value).decode("utf-8").rstrip("\n")


def _record_id(record: dict[str, Any], id_field: str | None) -> str | None:
    value = record.get(id_field) if id_field else None
    return None if value is None else str(value)


def clean_table(batch: Any, settings: CorpusSettings, tally: Tally, first: int) -> Any:
    """An Arrow record batch with its text column cleaned and leaflet's columns added."""
    import pyarrow as pa

    names = batch.schema.names
    field_name = settings.text_field
    values = batch.column(field_name).to_pylist() if field_name in names else None
    ids = _ids(batch, settings.id_field)
    results = []
    for row in range(batch.num_rows):
        result = clean_value(MISSING if values is None else values[row], settings)
        tally.add(first + row, result, ids[row])
        results.append(result)
    table = decoded(pa.Table.from_batches([batch]))  # a Categorical column: plain values
    if values is not None:
        table = _with_text(table, field_name, [r.text for r in results], settings)
    for name, column in _added_columns(results, settings).items():
        if name in table.column_names:
            table = table.drop_columns([name])
        table = table.append_column(name, column)
    return table


def _with_text(table: Any, name: str, texts: list[Any], settings: CorpusSettings) -> Any:
    """``table`` with the cleaned texts in column ``name``, of the same type. A column
    that is not text keeps its values: as they are for JSON Lines, as their JSON text for
    Parquet (so every part's text column is text)."""
    import pyarrow as pa

    index = table.schema.get_field_index(name)
    kind = table.schema.field(index).type
    if _is_text(kind):
        column = pa.array(texts, pa.large_string()).cast(kind)
    elif settings.output.kind == "parquet":
        column, kind = pa.array([_storable_text(t, settings) for t in texts], pa.string()), None
    else:
        return table
    return table.set_column(index, pa.field(name, kind or pa.string()), column)


def _is_text(kind: Any) -> bool:
    import pyarrow.types as types

    if types.is_dictionary(kind):
        kind = kind.value_type
    return bool(types.is_string(kind) or types.is_large_string(kind) or types.is_string_view(kind))


def _ids(batch: Any, id_field: str | None) -> list[str | None]:
    if id_field is None or id_field not in batch.schema.names:
        return [None] * batch.num_rows
    return [None if v is None else str(v) for v in batch.column(id_field).to_pylist()]


def leaflet_types(settings: CorpusSettings) -> dict[str, Any]:
    """The Arrow type of each column leaflet adds, the same in every part."""
    import pyarrow as pa

    types = {CHANGES: pa.struct([(s, pa.int64()) for s in no_changes()]), SUSPECTS: pa.int64()}
    types[ERROR] = pa.string()
    if settings.with_changes:
        types[CHANGE_LIST] = pa.large_string()
    return types


def _added_columns(results: list[Result], settings: CorpusSettings) -> dict[str, Any]:
    import pyarrow as pa

    fields = [added_fields(r, settings) for r in results]
    types = leaflet_types(settings)
    return {name: pa.array([f[name] for f in fields], kind) for name, kind in types.items()}
