"""Input folders (a corpus beside a README) and output folders (new, someone else's, an
earlier run finished or not, a run whose engine could not start)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import pipeline
from pipeline.corpus.formats import SUFFIX_LIST
from pipeline.corpus.sources import find_corpus, is_corpus
from pipeline.files import DEEPEST
from tests.corpus.conftest import DEV, write_jsonl
from tests.corpus.helpers import records, run

ARTICLE = (DEV / "spun" / "full" / "05-lidocaine-more-than-numbing.txt").read_text("utf-8")
ROWS = [{"id": f"g{n}", "text": ARTICLE} for n in range(3)]
DEEP = "/".join(["n"] * DEEPEST)  # a folder as deep as any walk goes


def make(folder: Path, names: list[str]) -> Path:
    """A folder holding ``names``: corpus files hold :data:`ROWS`, others some text."""
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".jsonl"):
            write_jsonl(path, ROWS, {})
        else:
            path.write_text(ARTICLE if name.endswith((".txt", ".md")) else "*.jsonl lfs\n")
    return folder


@pytest.mark.parametrize(
    ("names", "corpus", "left_alone"),
    [
        # a Hugging Face dataset as downloaded: the README and .gitattributes are left alone
        (["data/train.jsonl", "README.md", ".gitattributes"], True,
         ["d/.gitattributes", "d/README.md"]),
        (["a.jsonl", "article.txt", "notes/b.md"], True, ["d/article.txt", "d/notes/b.md"]),
        (["a.jsonl", "b.jsonl"], True, []),
        (["a.txt", "b.md", "README.md"], False, None),  # articles alone: a batch of articles
        (["README.md", ".gitattributes"], False, None),
        ([], False, None),
        # as deep as a batch reads, and deeper: that folder is left alone, and named
        ([f"{DEEP}/a.jsonl"], True, []),
        ([f"{DEEP}/n/a.jsonl", "b.jsonl"], True, [f"d/{DEEP}/n"]),
        ([f"{DEEP}/n/a.jsonl", "b.txt"], False, None),  # a batch lists the folder as too deep
    ],
)  # fmt: skip
def test_a_folder_with_any_corpus_file_is_a_corpus(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    names: list[str],
    corpus: bool,
    left_alone: list[str] | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "d", names).mkdir(exist_ok=True)
    assert is_corpus(["d"]) is corpus
    if left_alone is not None:
        found = find_corpus(["d"], tmp_path / "out")
        assert [p.name for p in found.files] == sorted(
            n.split("/")[-1] for n in names if n.endswith(".jsonl") and n.count("/") <= DEEPEST
        )
        assert list(found.left_alone) == left_alone


def test_a_glob_names_what_it_matched_and_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "d", ["a.jsonl", "README.md", "sub/b.jsonl"])
    found = find_corpus(["d/*"], tmp_path / "out")
    assert [p.name for p in found.files] == ["a.jsonl", "b.jsonl"]
    assert found.left_alone == ("d/README.md",)
    assert find_corpus(["d/*.jsonl"], tmp_path / "out").left_alone == ()


def test_a_dataset_folder_is_cleaned_and_its_readme_named_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "d", ["data/train.jsonl", "README.md", ".gitattributes"])
    assert run("d", tmp_path / "out") == 0
    assert [r["id"] for r in records(tmp_path / "out")] == [r["id"] for r in ROWS]
    err = capsys.readouterr().err
    left = [line for line in err.splitlines() if "README.md" in line]
    assert left == ["left alone d/.gitattributes, d/README.md (not corpus files: not read)"]
    saved = json.loads((tmp_path / "out" / "_report.json").read_text("utf-8"))
    assert (saved["left_alone"], saved["left_alone_files"]) == (
        ["d/.gitattributes", "d/README.md"], 2
    )  # fmt: skip
    assert (tmp_path / "d" / "README.md").read_text() == ARTICLE  # inputs are not changed


def test_an_empty_corpus_file_is_named_not_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of 0 bytes (a download cut to nothing) has no task; the run counted only the
    files it had tasks for, and never named it."""
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "d", ["a.jsonl", "b/empty.jsonl"])
    (tmp_path / "d" / "b" / "empty.jsonl").write_bytes(b"")
    (tmp_path / "d" / "full.jsonl").write_bytes(b"\n")  # one blank line: not empty, no record
    assert run("d", tmp_path / "out") == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("cleaning 2 parts of 3 files ")
    assert [line for line in err if line.startswith("empty")] == [
        "empty      d/b/empty.jsonl (0 bytes: no records)"]  # fmt: skip
    saved = json.loads((tmp_path / "out" / "_report.json").read_text("utf-8"))
    assert (saved["empty"], saved["empty_files"]) == (["d/b/empty.jsonl"], 1)
    assert [r["id"] for r in records(tmp_path / "out")] == [r["id"] for r in ROWS]


def test_odd_file_names_are_cleaned_and_shown_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name that is not UTF-8 crashed writing ``_plan.json`` (a traceback, an empty
    output folder); a name with a newline or an escape sequence reached the terminal as
    it is, forging a line of its own."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "d"
    folder.mkdir()
    write_jsonl(Path(os.fsdecode(bytes(folder) + b"/bad\xff.jsonl")), ROWS, {})
    (folder / "a\nunreadable forged.jsonl").write_bytes(b"")
    (folder / "b\x1b[31mred.jsonl").write_bytes(b"")
    assert run("d", tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert [r["id"] for r in records(tmp_path / "out")] == [r["id"] for r in ROWS]
    assert "\x1b" not in err and not any(line.startswith("unreadable") for line in err.splitlines())
    assert "empty      d/a\\nunreadable forged.jsonl, d/b\\x1b[31mred.jsonl (0 bytes" in err
    saved = json.loads((tmp_path / "out" / "_report.json").read_text("utf-8"))
    assert saved["most_damaged"][0]["file"] == "d/bad\udcff.jsonl"  # the name, read back
    assert run("d", tmp_path / "out", "--resume") == 0  # the plan reads back: same files
    assert "finished already" in capsys.readouterr().err


def _leaflet_build_output(out: Path) -> None:
    (out / "a").mkdir(parents=True)
    (out / "index.html").write_text("<!doctype html>")
    (out / "a" / "a.html").write_text("<!doctype html>")


def _a_file(out: Path) -> None:
    out.write_text("notes")


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda out: None, None),  # a new folder
        (lambda out: out.mkdir(), None),  # an empty one
        (lambda out: (out.mkdir(), (out / "notes.txt").write_text("mine")),
         "is not empty and holds no leaflet corpus run; choose an empty or new output folder"),
        (lambda out: (out.mkdir(), (out / ".DS_Store").write_text("")),
         "is not empty and holds no leaflet corpus run"),
        (_leaflet_build_output, "is not empty and holds no leaflet corpus run"),
        (_a_file, "is a file; the output is a folder of parts"),
    ],
    ids=["new", "empty", "other-files", "hidden-file", "leaflet-build-output", "a-file"],
)  # fmt: skip
def test_an_output_folder_must_be_new_empty_or_an_earlier_run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    prepare: Callable[[Path], object],
    message: str | None,
) -> None:
    make(tmp_path / "in", ["c.jsonl"])
    out = tmp_path / "out"
    prepare(out)
    before = sorted(p.relative_to(tmp_path) for p in out.rglob("*")) if out.is_dir() else []
    status = run(tmp_path / "in" / "c.jsonl", out)
    if message is None:
        assert status == 0 and (out / "_SUCCESS").exists()
        return
    assert status == 1
    assert capsys.readouterr().err == f"leaflet: {out}: {_whole(message)}\n"
    after = sorted(p.relative_to(tmp_path) for p in out.rglob("*")) if out.is_dir() else []
    assert after == before  # nothing written beside someone else's files


@pytest.mark.parametrize("name", ["x" * 300, "out"])
def test_an_output_name_the_system_refuses_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """A name longer than the system allows is said in one line, never a traceback (a
    name it takes is the control row)."""
    make(tmp_path / "in", ["c.jsonl"])
    status = run(tmp_path / "in" / "c.jsonl", tmp_path / name)
    err = capsys.readouterr().err
    if len(name) < 255:
        assert status == 0 and "cannot be written" not in err
        return
    assert status == 1 and err.count("\n") == 1
    assert err.endswith("cannot be written (File name too long); give a shorter name\n")


def _whole(start: str) -> str:
    """The rest of a message whose start a table gives."""
    endings = {
        "is not empty and holds no leaflet corpus run": "; choose an empty or new output folder",
        "is a file; the output is a folder of parts": ", give a folder name",
    }
    return next((s + e for s, e in endings.items() if start.startswith(s)), start)


def _finished(tmp_path: Path) -> Path:
    make(tmp_path / "in", ["c.jsonl"])
    out = tmp_path / "out"
    assert run(tmp_path / "in" / "c.jsonl", out) == 0
    return out


def _stamps(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in sorted(out.rglob("*"))}


@pytest.mark.parametrize(
    ("unfinish", "extra", "status", "message"),
    [
        (False, [], 1, "holds a finished run; to run again, choose another output folder "
                       "or remove this one"),
        (False, ["--resume"], 0, "this run is finished already; nothing to do"),
        (False, ["--resume", "--skip", "commas"], 1, "holds a run of other files or settings"),
        (True, [], 1, "holds an unfinished run; add --resume to finish it, or choose another "
                      "output folder"),
        (True, ["--skip", "commas"], 1, "holds a run of other files or settings"),
    ],
    ids=["finished", "finished-resume", "finished-other-settings", "unfinished",
         "unfinished-other-settings"],
)  # fmt: skip
def test_an_earlier_run_is_left_as_it_is(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    unfinish: bool,
    extra: list[str],
    status: int,
    message: str,
) -> None:
    out = _finished(tmp_path)
    if unfinish:
        (out / "_SUCCESS").unlink()
    capsys.readouterr()
    stamps = _stamps(out)
    assert run(tmp_path / "in" / "c.jsonl", out, *extra) == status
    assert message in capsys.readouterr().err
    assert _stamps(out) == stamps  # nothing written, nothing removed


def test_resuming_a_finished_run_returns_its_result(tmp_path: Path) -> None:
    out = _finished(tmp_path)
    earlier = json.loads((out / "_report.json").read_text("utf-8"))
    result = pipeline.clean_corpus(tmp_path / "in" / "c.jsonl", out, part_size=40_000,
                                   resume=True)  # fmt: skip
    assert result.finished_before and result.complete
    assert result.records == earlier["records"] == len(ROWS)
    assert result.seconds == earlier["seconds"] and result.resumed == 1
    (out / "_report.json").unlink()  # not all there: it is finished again, not trusted
    again = pipeline.clean_corpus(tmp_path / "in" / "c.jsonl", out, part_size=40_000,
                                  resume=True)  # fmt: skip
    assert not again.finished_before and again.records == len(ROWS)
    assert (out / "_report.json").exists() and (out / "_SUCCESS").exists()


def test_an_engine_that_cannot_start_leaves_no_run_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.corpus import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    make(tmp_path / "in", ["c.jsonl"])
    out = tmp_path / "out"
    status = run(tmp_path / "in" / "c.jsonl", out, "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:1")  # fmt: skip
    assert status == 1
    assert "--scheduler tcp://127.0.0.1:1: no Dask scheduler answers there" in (
        capsys.readouterr().err
    )
    assert not out.exists() or not any(out.iterdir())
    assert run(tmp_path / "in" / "c.jsonl", out) == 0  # the same command, as a plain run
    assert [r["id"] for r in records(out)] == [r["id"] for r in ROWS]


PRIVATE = {"id": "private", "text": "PRIVATE"}
IN_ROWS = sorted(r["id"] for r in ROWS)
NOT_A_FILE = "is not a regular file (a pipe, a socket or a device); give a file"


def _outside(tmp_path: Path) -> None:
    """A corpus file outside the input folder, whose record must never be read."""
    (tmp_path / "outside").mkdir()
    write_jsonl(tmp_path / "outside" / "private.jsonl", [PRIVATE], {})


def _entry(folder: Path, name: str, target: str | None) -> None:
    """``folder/name``: a link to ``target``, or a named pipe when ``target`` is None."""
    if target is None:
        os.mkfifo(folder / name)
    else:
        (folder / name).symlink_to(target)


@pytest.mark.parametrize(
    ("given", "name", "target", "read", "outside", "unreadable"),
    [
        # a link leading out of the folder, to a file or a folder: listed, never read
        ("d", "link.jsonl", "../outside/private.jsonl", IN_ROWS, ["d/link.jsonl"], []),
        ("d", "sub", "../outside", IN_ROWS, ["d/sub"], []),
        ("d", "link.jsonl", "/etc/passwd", IN_ROWS, ["d/link.jsonl"], []),
        # a pattern's matches stay inside the folder it starts from, as a folder's files do
        ("d/*", "link.jsonl", "../outside/private.jsonl", IN_ROWS, ["d/link.jsonl"], []),
        ("d/**/*.jsonl", "sub", "../outside", IN_ROWS, ["d/sub/private.jsonl"], []),
        # a link inside the folder is read; a file named itself is read wherever it leads
        ("d", "link.jsonl", "notes.dat", ["private", *IN_ROWS], [], []),
        ("d/link.jsonl", "link.jsonl", "../outside/private.jsonl", ["private"], [], []),
        # what is named as a corpus file but cannot be read is reported, never opened
        ("d", "pipe.jsonl", None, IN_ROWS, [], [f"d/pipe.jsonl: {NOT_A_FILE}"]),
        ("d", "broken.jsonl", "nowhere.jsonl", IN_ROWS, [],
         ["d/broken.jsonl: is a link to nowhere.jsonl, which does not exist; fix or remove it"]),
        ("d", "loop.jsonl", "loop.jsonl", IN_ROWS, [],
         ["d/loop.jsonl: is a link that leads back to itself (a loop); fix or remove the link"]),
    ],
    ids=["file-out", "folder-out", "etc-passwd", "pattern-file-out", "pattern-folder-out",
         "inside", "named", "pipe", "broken", "loop"],
)  # fmt: skip
def test_links_leading_out_and_what_is_not_a_file_are_listed_never_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    given: str,
    name: str,
    target: str | None,
    read: list[str],
    outside: list[str],
    unreadable: list[str],
) -> None:
    """As the Safety section promises for a batch: a link is followed only while it leads
    inside the input folder; a pipe or a broken link is reported, not skipped."""
    monkeypatch.chdir(tmp_path)
    _outside(tmp_path)
    write_jsonl(make(tmp_path / "d", ["in.jsonl"]) / "notes.dat", [PRIVATE], {})
    _entry(tmp_path / "d", name, target)
    status = run(given, tmp_path / "out")
    assert status == (1 if unreadable else 0)
    assert sorted(r["id"] for r in records(tmp_path / "out")) == sorted(read)
    saved = json.loads((tmp_path / "out" / "_report.json").read_text("utf-8"))
    assert (saved["links_outside"], saved["unreadable"]) == (outside, unreadable)
    err = capsys.readouterr().err
    listed = f"left alone {', '.join(outside)} (links that lead outside their input folder"
    assert (listed in err) is bool(outside)
    assert all(f"unreadable {message}" in err for message in unreadable)


@pytest.mark.parametrize(
    ("name", "target", "message"),
    [
        ("link.jsonl", "../outside/private.jsonl",
         "d/link.jsonl is a link that leads outside its folder, so it is not read"),
        ("pipe.jsonl", None, f"d/pipe.jsonl: {NOT_A_FILE}"),
    ],
)  # fmt: skip
def test_a_folder_whose_only_corpus_file_is_not_read_says_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    target: str | None,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    _outside(tmp_path)
    _entry(make(tmp_path / "d", ["README.md"]), name, target)
    assert run("d", tmp_path / "out") == 1
    found = f"leaflet: d: no corpus files ({SUFFIX_LIST}) found; {message}\n"
    assert capsys.readouterr().err == found
    assert not (tmp_path / "out").exists()
