"""Opening a corpus's files: once each before the run.

A run plans from one open of each file (its size, first bytes, first record's fields or
Parquet footer), counted here as the kernel sees opens (inotify), whoever opens: Python
or pyarrow.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import pipeline
from pipeline.corpus.plan import Plan, Task
from pipeline.corpus.run import Quiet
from tests.corpus.conftest import DEV, write_jsonl

ARTICLE = (DEV / "spun" / "full" / "05-lidocaine-more-than-numbing.txt").read_text("utf-8")
ROWS = [{"id": f"a{n}", "text": f"{n}. {ARTICLE}"} for n in range(8)]  # several tasks at PART_SIZE
KEPT = [{"id": f"b{n}", "text": ARTICLE} for n in range(2)]  # a file that stays put
PART_SIZE = 16_000

IN_OPEN, IN_CLOSE = 0x20, 0x08 | 0x10  # IN_CLOSE_WRITE | IN_CLOSE_NOWRITE
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    """``rows`` as the file's name says: JSON Lines (plain or compressed) or Parquet
    (row groups of two rows, so it too makes several tasks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix != ".parquet":
        write_jsonl(path, rows, {})
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)


class Opens:
    """How often each file in ``folder`` has been opened, as the kernel tells (inotify).
    Closes are watched too, so opens one after another count one by one: the kernel
    merges only identical events in a row."""

    def __init__(self, folder: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, bytes(folder), IN_OPEN | IN_CLOSE) < 0:
            pytest.skip(f"inotify is not available here ({os.strerror(ctypes.get_errno())})")
        self.counts: Counter[str] = Counter()

    def read(self) -> Counter[str]:
        """The opens so far, by file name."""
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return Counter(self.counts)
            self._count(data)

    def _count(self, data: bytes) -> None:
        at = 0
        while at < len(data):
            _, mask, _, length = _EVENT.unpack_from(data, at)
            name = data[at + _EVENT.size : at + _EVENT.size + length].rstrip(b"\0")
            if mask & IN_OPEN and name:
                self.counts[name.decode()] += 1
            at += _EVENT.size + length

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def opens(tmp_path: Path) -> Iterator[Opens]:
    if not sys.platform.startswith("linux"):
        pytest.skip("counts opens with inotify, which only Linux has")
    (tmp_path / "d").mkdir()
    probe = Opens(tmp_path / "d")
    try:
        yield probe
    finally:
        probe.close()


@dataclass
class AtStart(Quiet):
    """An observer that calls ``then`` once the run is planned, before any task runs."""

    then: Callable[[Plan], None]
    todo: list[Task] = field(default_factory=list)

    def start(self, plan: Plan, todo: Sequence[Task], resumed: int) -> None:
        self.todo = list(todo)
        self.then(plan)


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz", "a.jsonl.zst", "a.parquet"])
def test_each_file_is_opened_once_before_the_run(tmp_path: Path, opens: Opens, name: str) -> None:
    """Its slices, its disguise and its first record's fields come from one open, however
    many tasks it makes; each task then opens it once more."""
    write(tmp_path / "d" / name, ROWS)
    write(tmp_path / "d" / "b.jsonl", KEPT)
    written = opens.read()
    at_start: list[Counter[str]] = []
    watcher = AtStart(lambda plan: at_start.append(opens.read() - written))
    result = pipeline.clean_corpus(
        tmp_path / "d", tmp_path / "out", jobs=1, part_size=PART_SIZE, observer=watcher
    )
    assert at_start == [Counter({name: 1, "b.jsonl": 1})]
    tasks = Counter(Path(t.path).name for t in watcher.todo)
    assert opens.read() - written == at_start[0] + tasks  # each task: one open
    assert result.records == len(ROWS) + len(KEPT) and result.lossless
