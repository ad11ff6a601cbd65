"""Progress moves record by record, within a part, and never changes what is written;
a small corpus is cut into enough tasks for several workers; workers set up in full."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

import pipeline
from pipeline.cli import main
from pipeline.corpus import task as task_module
from pipeline.corpus.plan import Plan, Task, make_plan
from pipeline.corpus.settings import SMALLEST_PART, CorpusSettings, part_size_for
from pipeline.corpus.task import TaskResult, run_task
from tests.corpus.conftest import DEV, write_jsonl
from tests.corpus.helpers import parts

TEXT = (DEV / "spun" / "full" / "05-lidocaine-more-than-numbing.txt").read_text("utf-8")[:600]
ROWS = [{"id": n, "text": TEXT} for n in range(30)]  # one batch, one part


def one_task(tmp_path: Path, kind: str) -> Task:
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = tmp_path / "c.parquet"
        pq.write_table(pa.Table.from_pylist(ROWS), path)
    else:
        path = tmp_path / "c.jsonl"
        write_jsonl(path, ROWS, {3: "", 9: "{not json"})  # lines that are not records
    (task,) = make_plan([path], 10**9).tasks
    return task


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
@pytest.mark.parametrize(("seconds", "told"), [(0.0, len(ROWS)), (3600.0, 1)])
def test_a_task_tells_its_progress_record_by_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, seconds: float, told: int
) -> None:
    monkeypatch.setattr(task_module, "PROGRESS_SECONDS", seconds)
    task = one_task(tmp_path, kind)
    calls: list[tuple[int, int, int]] = []
    (tmp_path / "with").mkdir()
    result = run_task(task, CorpusSettings(), str(tmp_path / "with"), lambda *c: calls.append(c))
    assert len(calls) == told  # every record (or, at most every hour, once at the end)
    assert {index for index, _, _ in calls} == {task.index}
    assert sum(records for _, records, _ in calls) == result.records == len(ROWS)
    assert all(records >= 0 and size >= 0 for _, records, size in calls)
    assert sum(size for _, _, size in calls) == task.size
    (tmp_path / "without").mkdir()
    run_task(task, CorpusSettings(), str(tmp_path / "without"))
    assert parts(tmp_path / "with") == parts(tmp_path / "without") != {}


class Recorder:
    """An observer that keeps what it is told."""

    def __init__(self) -> None:
        self.progress_calls: list[tuple[int, int, int]] = []
        self.finished: list[int] = []

    def start(self, plan: Plan, todo: Sequence[Task], resumed: int) -> None: ...
    def dashboard(self, link: str) -> None: ...
    def close(self) -> None: ...

    def progress(self, task: int, records: int, size: int) -> None:
        self.progress_calls.append((task, records, size))

    def done(self, task: Task, result: TaskResult | BaseException) -> None:
        assert isinstance(result, TaskResult)
        told = sum(r for t, r, _ in self.progress_calls if t == task.index)
        assert told == result.records  # all told before the task is done
        self.finished.append(task.index)


def test_progress_comes_from_the_workers_as_they_clean(tmp_path: Path) -> None:
    """Through the pool's pipe, each task's records all told before it is done (how
    often is the unit test's: workers started by a forkserver, as when this test process
    has threads, do not see a monkeypatched interval)."""
    write_jsonl(tmp_path / "c.jsonl", ROWS, {})
    recorder = Recorder()
    result = pipeline.clean_corpus(tmp_path / "c.jsonl", tmp_path / "out", jobs=2,
                                   part_size=8_000, observer=recorder)  # fmt: skip
    assert len(result.parts) >= 2
    assert sorted(recorder.finished) == list(range(len(result.parts)))
    assert {task for task, _, _ in recorder.progress_calls} == set(recorder.finished)
    assert sum(records for _, records, _ in recorder.progress_calls) == len(ROWS)


AFTER_WARM_UP = """
import wordfreq
from pipeline.corpus.local import warm_up
from pipeline.normalise import clean

warm_up()
def loading(*args, **kwargs):
    raise AssertionError("a word list was loaded after the warm-up")
wordfreq.get_frequency_dict = wordfreq.get_frequency_list = loading
for text in TEXTS:
    clean(text)
print("ok")
"""


def test_a_worker_loads_every_table_as_it_sets_up() -> None:
    """Not on its first record with a disguise inside a word (2 s, mid-part)."""
    spun = sorted((DEV / "spun").glob("*/*.txt"))[:6]
    texts = [TEXT, *(path.read_text("utf-8") for path in spun)]
    code = AFTER_WARM_UP.replace("TEXTS", repr(texts))
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert ran.stdout == "ok\n", ran.stderr


@pytest.mark.parametrize(
    ("size", "tasks"),
    [(100_000, 1), (1_000_000, 4), (4_000_000, 16), (8_000_000, 16), (64_000_000, 16),
     (128_000_000, 32)],
)  # fmt: skip
def test_a_small_corpus_is_cut_into_enough_tasks(tmp_path: Path, size: int, tasks: int) -> None:
    """So two workers (or four) each get several, whatever -j is."""
    path = tmp_path / "c.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"text": "a"}\n')
        handle.truncate(size)  # the plan reads only a file's size and first bytes
    assert len(make_plan([path], part_size_for(size)).tasks) == tasks


def test_the_default_part_size_is_the_corpus_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_jsonl(tmp_path / "c.jsonl", ROWS * 13, {})  # about 270 KB: two parts
    size = (tmp_path / "c.jsonl").stat().st_size
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "c.jsonl"), "-o", str(out), "-j", "1"]) == 0
    plan = json.loads((out / "_plan.json").read_text("utf-8"))
    assert plan["settings"]["part_size"] == part_size_for(size) == SMALLEST_PART
    assert len(list(out.glob("part-*"))) == -(-size // SMALLEST_PART) >= 2
    capsys.readouterr()
    assert main(["clean", str(tmp_path / "c.jsonl"), "-o", str(out), "--resume"]) == 0
    assert "finished already; nothing to do" in capsys.readouterr().err
