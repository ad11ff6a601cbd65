"""Opening a corpus's files: once each before the run, and checked again by each task.

A run plans from one open of each file (its size, first bytes, first record's fields or
Parquet footer), counted here as the kernel sees opens (inotify), whoever opens: Python
or pyarrow. Between the plan and a task, a file may be swapped for a link out of its
folder or a pipe, removed, grown or cut short: the task reports it, in one line, reads
nothing outside the folder, never waits on a pipe, and the run goes on.
"""

from __future__ import annotations

import ctypes
import os
import stat
import struct
import sys
import threading
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
from tests.corpus.helpers import records

ARTICLE = (DEV / "spun" / "full" / "05-lidocaine-more-than-numbing.txt").read_text("utf-8")
ROWS = [{"id": f"a{n}", "text": f"{n}. {ARTICLE}"} for n in range(8)]  # several tasks at PART_SIZE
IDS = [row["id"] for row in ROWS]
KEPT = [{"id": f"b{n}", "text": ARTICLE} for n in range(2)]  # a file that stays put
PRIVATE = [{"id": "private", "text": "PRIVATE"}]  # outside the input folder: never read
PART_SIZE = 16_000
GUARD_SECONDS = 5.0  # a read that waits on a pipe longer than this has hung

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


# Changed between the plan and the tasks ---------------------------------------------------


def _link_out(path: Path) -> None:
    path.unlink()
    path.symlink_to(Path("..", "..", "outside", path.name))


def _folder_out(path: Path) -> None:
    path.parent.rename(path.parent.with_name("was"))
    path.parent.symlink_to(Path("..", "outside"))


def _pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _gone(path: Path) -> None:
    path.unlink()


def _grown(path: Path) -> None:
    with path.open("ab") as handle:
        handle.write(b'{"id": "late", "text": "written after the plan"}\n')


def _cut(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _sizes(path: Path, change: Callable[[Path], None]) -> str:
    before = path.stat().st_size
    change(path)
    return f"it was {before:,} bytes and is now {path.stat().st_size:,}"


OUT = "it now leads outside its input folder"
PIPE = "it is now a pipe, a socket, a device or a folder"
GONE = "it is no longer there"


@pytest.mark.parametrize(
    ("name", "change", "now"),
    [
        ("a.jsonl", _link_out, OUT),
        ("a.jsonl", _folder_out, OUT),
        ("a.jsonl", _pipe, PIPE),
        ("a.jsonl", _gone, GONE),
        ("a.jsonl", _grown, None),
        ("a.jsonl", _cut, None),
        ("a.jsonl.gz", _link_out, OUT),
        ("a.jsonl.gz", _pipe, PIPE),
        ("a.jsonl.zst", _grown, None),
        ("a.parquet", _link_out, OUT),
        ("a.parquet", _pipe, PIPE),
        ("a.parquet", _gone, GONE),
    ],
    ids=["link-out", "folder-out", "pipe", "gone", "grown", "cut", "gz-link-out",
         "gz-pipe", "zst-grown", "parquet-link-out", "parquet-pipe", "parquet-gone"],
)  # fmt: skip
def test_a_file_changed_since_the_plan_is_reported_never_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    change: Callable[[Path], None],
    now: str | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    changed = tmp_path / "d" / "sub" / name
    write(changed, ROWS)
    write(tmp_path / "outside" / name, PRIVATE)
    write(tmp_path / "d" / "b.jsonl", KEPT)
    said: list[str] = []

    def swap(plan: Plan) -> None:
        said.append(now or _sizes(changed, change))
        if now is not None:
            change(changed)

    with Unblocking(changed) as guard:
        result = pipeline.clean_corpus("d", tmp_path / "out", jobs=1, part_size=PART_SIZE,
                                       observer=AtStart(swap))  # fmt: skip
    assert not guard.acted, "a task waited on a pipe"
    assert result.unreadable == (
        f"d/sub/{name}: changed since the run started ({said[0]}); "
        "run again into a new output folder",
    )  # once, however many tasks the file made
    assert [r["id"] for r in records(tmp_path / "out")] == [r["id"] for r in KEPT]
    assert result.complete and not result.lossless  # the run went on; exit status 1


@pytest.mark.parametrize(
    ("given", "setup", "read"),
    [
        # a link inside the folder, and a folder reached through a link, are read
        ("d", lambda d: (d / "sub" / "l.jsonl").symlink_to("a.jsonl"), IDS * 2),
        ("dl", lambda d: d.with_name("dl").symlink_to("d"), IDS),
        # a file named itself is read wherever its link leads, as before
        ("d/sub/out.jsonl", lambda d: (d / "sub" / "out.jsonl").symlink_to(
            Path("..", "..", "outside", "a.jsonl")), ["private"]),
    ],
    ids=["link-inside", "folder-link", "named-link-out"],
)  # fmt: skip
def test_files_that_stay_put_are_read_as_planned(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    given: str,
    setup: Callable[[Path], Any],
    read: list[str],
) -> None:
    """What the tasks check again never refuses a file the plan saw as it is."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "d" / "sub" / "a.jsonl", ROWS)
    write(tmp_path / "outside" / "a.jsonl", PRIVATE)
    setup(tmp_path / "d")
    result = pipeline.clean_corpus(given, tmp_path / "out", jobs=1, part_size=PART_SIZE)
    assert result.lossless and result.unreadable == ()
    assert sorted(r["id"] for r in records(tmp_path / "out")) == sorted(read)


class Unblocking:
    """A guard for a task that would wait on the pipe at ``path`` for ever: after
    :data:`GUARD_SECONDS`, a writer opens and closes it, so the read ends and the test
    fails instead of hanging. ``acted`` says whether it had to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done = threading.Event()
        self.acted = False
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Unblocking:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()

    def _watch(self) -> None:
        if self.done.wait(GUARD_SECONDS):
            return
        while not self.done.wait(0.05):
            try:
                if stat.S_ISFIFO(os.lstat(self.path).st_mode):
                    os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
                    self.acted = True
            except OSError:  # no reader yet (ENXIO), or no pipe there
                continue
