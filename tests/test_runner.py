"""The batch runner as a unit: naming, skipping, sweeping, the record, with a small work
that copies each article's text (no spaCy, no WeasyPrint)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from pipeline.batch import Made, Task, choose_name, run_batch, write_parts
from pipeline.errors import InputError, LeafletError
from pipeline.files import PART_PREFIX, PART_SUFFIX
from pipeline.inputs import Source
from pipeline.readers.text import decode
from pipeline.record import RECORD_NAME, BuildRecord, Output, RecordEntry

MADE: list[str] = []  # what Copy.make was asked to make (in this process, -j 1)


@dataclass(frozen=True)
class Copy:
    """Writes each article's text as ``<name>.out`` and ``<name>.txt.out``; the name it
    asks for is the article's first line. ``slow`` makes the first article slowest."""

    kinds: tuple[str, ...] = ("out", "txt.out")
    salt: str = ""
    slow: float = 0.0
    named: bool = False  # each output starts with the name it was made under
    encoding: str | None = None
    verb: ClassVar[str] = "copying"
    heading: ClassVar[str] = "Copies"

    def keys(self, source: Source, digest: str) -> dict[str, str]:
        return {kind: digest + self.salt for kind in self.kinds}

    def setup(self) -> None:
        pass

    def make(self, task: Task) -> Made:
        text = decode(task.data, task.source.name, self.encoding)
        wanted = text.splitlines()[0]
        MADE.append(task.source.name)
        if wanted == "fail":
            raise InputError(f"{task.source.name}: asked to fail")
        if wanted == "crash":
            raise ValueError("a bug")
        if self.slow and task.source.name.startswith("0"):
            time.sleep(self.slow)
        name = task.name_for(wanted)
        content = f"{name}\n{text}" if self.named else text
        parts = write_parts(task.folder, [(k, lambda: content) for k in task.kinds], wanted)
        seen = str(int(task.facts.get("seen", "0")) + 1)
        return Made(wanted, parts, title=wanted, facts={"seen": seen},
                    named=name if self.named else None)  # fmt: skip


def articles(folder: Path, **texts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text + "\n", "utf-8")
    return folder


def run(inbox: Path, out: Path, work: Copy | None = None, **options: object) -> list[str]:
    result = run_batch(work or Copy(), [inbox], out, **options)  # type: ignore[arg-type]
    return [f"{o.source.name} {o.status} {o.entry.name if o.entry else ''}".strip()
            for o in result.outcomes]  # fmt: skip


def entries(out: Path) -> dict[str, dict[str, object]]:
    return json.loads((out / RECORD_NAME).read_text())["entries"]  # type: ignore[no-any-return]


def test_namesakes_in_one_run_never_share_a_name(tmp_path: Path) -> None:
    """a and b ask for the same name, and c asks for exactly the name b is given."""
    hashed = choose_name("shared", "../in/b.txt", ["out"], None, {"shared": "x"}.get)
    inbox = articles(tmp_path / "in", a="shared", b="shared", c=hashed)
    lines = run(inbox, tmp_path / "out")
    names = [line.split()[-1] for line in lines]
    assert names[:2] == ["shared", hashed]
    assert len(set(names)) == 3
    assert names[2].startswith(hashed + "-")
    for line in lines:
        source, _, name = line.split()
        assert (
            (tmp_path / "out" / f"{name}.out")
            .read_text()
            .startswith((tmp_path / "in" / source).read_text().strip())
        )
    assert run(inbox, tmp_path / "out") == [line.replace("built", "skipped") for line in lines]


@pytest.mark.parametrize("jobs", [1, 2])
def test_outputs_that_print_their_name_print_the_name_they_are_given(
    tmp_path: Path, jobs: int
) -> None:
    """b and c were made as "shared" but are given other names: they are made again
    under those, once; a rerun keeps every name and makes nothing."""
    inbox = articles(tmp_path / "in", a="shared", b="shared", c="shared", d="own")
    out = tmp_path / "out"
    MADE.clear()
    lines = run(inbox, out, Copy(named=True), jobs=jobs)
    names = {line.split()[0]: line.split()[-1] for line in lines}
    assert len(set(names.values())) == 4 and names["a.txt"] == "shared"
    for kind in ("out", "txt.out"):
        assert [(out / f"{n}.{kind}").read_text().splitlines()[0] for n in names.values()] == list(
            names.values()
        )  # every file prints its own name
    if jobs == 1:
        assert sorted(MADE) == ["a.txt", "b.txt", "b.txt", "c.txt", "c.txt", "d.txt"]
    assert list(out.glob(f"{PART_PREFIX}*{PART_SUFFIX}")) == []  # remade parts discarded
    (inbox / "b.txt").write_text("shared\nedited\n")  # keeps its name: made once
    MADE.clear()
    assert run(inbox, out, Copy(named=True))[1] == f"b.txt built {names['b.txt']}"
    assert MADE == ["b.txt"]
    assert (out / f"{names['b.txt']}.out").read_text().startswith(names["b.txt"] + "\n")


def test_names_do_not_depend_on_which_worker_was_quicker(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", **{"0-slow": "same", "1": "same", "2": "same"})
    serial = run(inbox, tmp_path / "serial")
    assert run(inbox, tmp_path / "parallel", Copy(slow=1.0), jobs=2) == serial


def test_an_article_keeps_its_name_while_it_asks_for_the_same(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", b="shared")
    out = tmp_path / "out"
    assert run(inbox, out) == ["b.txt built shared"]
    articles(inbox, a="shared")  # a newcomer sorts first, but the name is b's
    (inbox / "b.txt").write_text("shared\nedited\n")
    assert run(inbox, out) == [
        "a.txt built " + choose_name("shared", "../in/a.txt", ["out"], None, {"shared": "x"}.get),
        "b.txt built shared",
    ]


def test_reserved_names_are_never_given(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="index", b="report")
    lines = run(inbox, tmp_path / "out", Copy(kinds=("html", "csv")))
    assert [line.split()[-1].split("-")[0] for line in lines] == ["index", "report"]
    assert all("-" in line.split()[-1] for line in lines)
    assert "Copies" in (tmp_path / "out" / "index.html").read_text()


def test_a_rerun_skips_and_a_changed_key_rebuilds_only_that_kind(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    run(inbox, out)
    assert run(inbox, out) == ["a.txt skipped alpha"]
    (out / "alpha.out").write_text("")  # emptied: rebuilt, not trusted
    before = (out / "alpha.txt.out").stat().st_mtime_ns
    assert run(inbox, out, Copy(kinds=("out",))) == ["a.txt built alpha"]
    assert (out / "alpha.out").read_text() == "alpha\n"
    assert (out / "alpha.txt.out").stat().st_mtime_ns == before  # the other kind untouched
    assert run(inbox, out, force=True) == ["a.txt built alpha"]


def test_facts_are_carried_from_build_to_build(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    for salt in ("1", "2", "3"):
        run(inbox, out, Copy(salt=salt))
    assert entries(out)["../in/a.txt"]["facts"] == {"seen": "3"}


def test_a_failed_article_keeps_its_last_outputs(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    run(inbox, out)
    (inbox / "a.txt").write_text("fail\n")
    assert run(inbox, out) == ["a.txt failed"]
    assert (out / "alpha.out").read_text() == "alpha\n"
    assert entries(out)["../in/a.txt"]["name"] == "alpha"


def test_an_input_that_fails_fails_again_without_the_work(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="fail", b="crash")
    out = tmp_path / "out"
    MADE.clear()
    assert run(inbox, out) == ["a.txt failed", "b.txt failed"]
    assert run(inbox, out) == ["a.txt failed", "b.txt failed"]
    assert MADE == ["a.txt", "b.txt", "b.txt"]  # a bug is tried again; the input's fault not
    result = run_batch(Copy(), [inbox], out)
    assert result.outcomes[0].message == "a.txt: asked to fail"
    run(inbox, out, force=True)
    (inbox / "a.txt").write_text("fail\nedited\n")
    run(inbox, out)
    assert MADE.count("a.txt") == 3


def test_leftover_parts_are_swept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "nested").mkdir(parents=True)
    for leftover in (
        out / f"{PART_PREFIX}x{PART_SUFFIX}",
        out / "nested" / f"{PART_PREFIX}y{PART_SUFFIX}",
    ):
        leftover.write_text("half")
    run(articles(tmp_path / "in", a="alpha"), out)
    assert not list(out.rglob(f"*{PART_SUFFIX}"))


def test_a_damaged_record_is_reported_and_everything_rebuilt(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    run(inbox, out)
    (out / RECORD_NAME).write_text(
        '{"version": 1, "entries": {"x": {"outputs": {"out": '
        '{"file": "../../victim.out", "key": "k", "size": 1}}}}}'
    )

    class Notes(list[str]):
        def start(self, total: int, verb: str) -> None: ...
        def report(self, outcome: object) -> None: ...
        def note(self, message: str) -> None:
            self.append(message)

        def stop(self) -> None: ...

    notes = Notes()
    result = run_batch(Copy(), [inbox], out, progress=notes)  # type: ignore[arg-type]
    assert [o.status for o in result.outcomes] == ["built"]
    assert len(notes) == 1 and "every article is rebuilt" in notes[0]
    assert list(entries(out)) == ["../in/a.txt"]


def test_other_files_and_problems_are_reported_not_skipped(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    (inbox / "logo.png").write_bytes(b"\x89PNG")
    (inbox / "notes").write_text("x")
    (inbox / ".hidden.txt").write_text("x")
    (inbox / "gone.txt").symlink_to(inbox / "nowhere.txt")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    (inbox / "again").symlink_to(inbox)
    result = run_batch(Copy(), [inbox], tmp_path / "out")
    seen = {o.source.path.name: (o.status, o.message) for o in result.outcomes}
    assert seen["a.txt"][0] == "built"
    assert seen["logo.png"] == ("not an article", "image/png")
    assert seen["notes"] == ("not an article", "a file with no suffix")
    assert seen["again"] == ("not an article", "a link to a folder already read")
    assert seen["gone.txt"][0] == "failed" and "does not exist" in seen["gone.txt"][1]
    assert seen["loop.txt"][0] == "failed" and "loop" in seen["loop.txt"][1]
    assert ".hidden.txt" not in seen
    assert result.summary().endswith("3 files not an article")


def test_an_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    private = inbox / "private"
    articles(private, b="beta")
    real_scandir = os.scandir

    def scandir(path: Path) -> object:  # as for a folder without read permission
        if Path(path) == private:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_batch(Copy(), [inbox], tmp_path / "out")
    assert [(o.status, o.message) for o in result.outcomes if o.status == "failed"] == [
        ("failed", f"{private}: cannot be read (Permission denied); check its permissions")
    ]


def test_nothing_to_do_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.png").write_bytes(b"x")
    with pytest.raises(LeafletError, match="no articles found .*1 other files"):
        run_batch(Copy(), [tmp_path / "in"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("given", "report"),
    [
        (["missing"], False),  # a mistyped path: one error, no output folder
        (["missing", "also-missing"], False),
        (["missing", "in"], True),  # a batch with one bad input: reported, others built
        (["dangling"], True),  # a link to nothing is an input that is there, broken
    ],
)
def test_inputs_that_are_not_there_are_one_error(
    tmp_path: Path, given: list[str], report: bool
) -> None:
    articles(tmp_path / "in", a="alpha")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    inputs = [tmp_path / name for name in given]
    out = tmp_path / "out"
    if report:
        result = run_batch(Copy(), inputs, out)
        assert "failed" in {o.status for o in result.outcomes} and (out / "report.csv").exists()
    else:
        with pytest.raises(LeafletError, match="missing: no such file or folder; check the path"):
            run_batch(Copy(), inputs, out)
        assert not out.exists()


@pytest.mark.parametrize(
    ("record", "there", "name", "kept"),  # name: the one given, or how it starts
    [
        # A folder leaflet never wrote to: what is in it is someone's.
        ("none", {"alpha.out": "my notes"}, "alpha-", True),
        ("none", {"alpha.txt.out": "my notes"}, "alpha-", True),  # any of its outputs
        ("none", {"alpha.pdf": "my notes"}, "alpha", True),  # an output it never makes
        ("none", {"ALPHA.out": "my notes"}, "alpha-", True),  # one file on a Mac or a stick
        ("none", {"alphа.out": "my notes"}, "alpha", True),  # a Cyrillic а: another name
        # A folder with a record: a file it does not name is someone's too.
        ("valid", {"alpha.out": "my notes"}, "alpha-", True),
        # A damaged record: the folder is leaflet's, and each article is rebuilt in place.
        ("damaged", {"alpha.out": "made before"}, "alpha", False),
    ],
)
def test_a_file_leaflet_did_not_make_is_never_written_over(
    tmp_path: Path, record: str, there: dict[str, str], name: str, kept: bool
) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    out.mkdir()
    if record == "valid":
        run(articles(tmp_path / "other", z="zeta"), out)
    elif record == "damaged":
        (out / RECORD_NAME).write_text("{not json")
    for file, text in there.items():
        (out / file).write_text(text)
    given = run(inbox, out)[-1].split()[-1]
    assert given == name if name == "alpha" else given.startswith(name)
    for file, text in there.items():
        assert ((out / file).read_text() == text) is kept


def test_a_file_of_an_output_kind_not_made_before_is_never_written_over(
    tmp_path: Path,
) -> None:
    """The record names alpha.out as a's: a user's alpha.txt.out is still the user's
    when a later run first makes that kind (a PDF added with --format, a new variant)."""
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    assert run(inbox, out, Copy(kinds=("out",))) == ["a.txt built alpha"]
    (out / "alpha.txt.out").write_text("my notes")
    given = run(inbox, out)[-1].split()[-1]
    assert given.startswith("alpha-") and (out / "alpha.txt.out").read_text() == "my notes"
    assert {p.name for p in out.glob("alpha*")} == {
        "alpha.txt.out",
        f"{given}.out",
        f"{given}.txt.out",
    }  # its old alpha.out went with its new name
    assert run(inbox, out) == [f"a.txt skipped {given}"]


@pytest.mark.parametrize("reserved", ["index.html", "report.csv", "Index.html", "REPORT.csv"])
def test_a_batch_file_of_someone_elses_stops_the_run_before_anything_is_made(
    tmp_path: Path, reserved: str
) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    out.mkdir()
    (out / reserved).write_text("my own page")
    with pytest.raises(LeafletError, match=f"{reserved}: is already there, .*move or delete"):
        run(inbox, out)
    assert sorted(p.name for p in out.iterdir()) == [reserved]
    assert (out / reserved).read_text() == "my own page"


def test_the_batch_files_of_a_folder_leaflet_made_are_its_own(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    run(inbox, out)
    before = (out / "index.html").read_text()
    (inbox / "b.txt").write_text("beta\n")
    assert run(inbox, out) == ["a.txt skipped alpha", "b.txt built beta"]
    assert (out / "index.html").read_text() != before


def test_a_folder_named_as_the_batchs_own_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    """leaflet clean keeps input folders: an input folder index.html would be an output
    folder where the batch writes its index.html (the run failed each time)."""
    inbox = articles(tmp_path / "in", a="index.html/a", b="Report.CSV/b")
    out = tmp_path / "out"
    assert run(inbox, out) == ["a.txt built index.html-folder/a", "b.txt built Report.CSV-folder/b"]
    assert (out / "index.html").is_file() and (out / "index.html-folder" / "a.out").is_file()
    old = RecordEntry("a.txt", "index.html/a", "index.html/a")  # a record from before
    assert choose_name("index.html/a", "a.txt", ["out"], old, {}.get) == "index.html-folder/a"


def test_naming_keeps_a_name_only_while_it_is_free() -> None:
    old = RecordEntry("a.txt", "alpha", "alpha", outputs={"out": Output("alpha.out", "k", 1)})
    owners = {"alpha": "b.txt"}.get  # taken over by a damaged record, say
    assert choose_name("alpha", "a.txt", ["out"], old, {}.get) == "alpha"
    assert choose_name("alpha", "a.txt", ["out"], old, owners).startswith("alpha-")
    renamed = RecordEntry("a.txt", "beta", "beta")
    assert choose_name("alpha", "a.txt", ["out"], renamed, {}.get) == "alpha"


def test_record_and_owners_agree_after_a_rename(tmp_path: Path) -> None:
    inbox = articles(tmp_path / "in", a="alpha")
    out = tmp_path / "out"
    run(inbox, out)
    (inbox / "a.txt").write_text("beta\n")
    assert run(inbox, out) == ["a.txt built beta"]
    assert sorted(p.name for p in out.glob("*.out")) == ["beta.out", "beta.txt.out"]
    record = BuildRecord.load(out)
    assert record.owner("beta") == "../in/a.txt" and record.owner("alpha") is None


def test_another_runs_output_folder_inside_the_inputs_is_not_read(tmp_path: Path) -> None:
    """Two output folders inside one input folder fed each other, twice the articles each
    round (the other's index and copies read as articles)."""
    inbox = articles(tmp_path / "in", a="alpha", b="beta")
    for _ in range(3):
        first = run(inbox, inbox / "one")
        second = run(inbox, inbox / "two")
    for lines, other in ((first, "two"), (second, "one")):
        found = {Path(line.split()[0]).name: line.split()[1] for line in lines}
        assert found == {"a.txt": "skipped", "b.txt": "skipped", other: "not"}
