"""Batches as editors run them: many files, bad ones among them, reruns, interruptions."""

from __future__ import annotations

import csv
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from pipeline import files
from pipeline.cli import main
from pipeline.normalise import clean
from pipeline.read import load_article

ROOT = Path(__file__).parent.parent
DEV = ROOT / "tests" / "data" / "dev"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three good articles (two sharing a title) and three bad files."""
    inbox = tmp_path / "inbox"
    (inbox / "nested").mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "botox-beyond-beauty.txt", inbox / "botox.txt")
    shutil.copy(DEV / "spun" / "full" / "05-lidocaine-more-than-numbing.txt", inbox / "lido.txt")
    shutil.copy(
        DEV / "original" / "05-lidocaine-more-than-numbing.txt", inbox / "nested" / "lido.md"
    )
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (inbox / "undetectable.txt").write_bytes(bytes(range(128, 256)) * 3)  # no encoding fits
    (inbox / "notes.csv").write_text("not an article")
    return inbox


def build(folder: Path, out: Path, *extra: str) -> int:
    return main(["build", str(folder), "-o", str(out), "-j", "1", *extra])


def manifest(out: Path) -> dict[str, dict[str, Any]]:
    """The build record's entries, by input."""
    entries: dict[str, dict[str, Any]] = json.loads(
        (out / ".leaflet-manifest.json").read_text("utf-8")
    )["entries"]
    return entries


def output_files(entry: dict[str, Any]) -> list[str]:
    """The output files a record entry names."""
    return [output["file"] for output in entry["outputs"].values()]


def test_good_articles_build_bad_ones_are_reported(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(folder, out) == 1
    err = capsys.readouterr()
    for bad in ("empty.txt", "binary.txt", "undetectable.txt"):
        assert f"failed   {folder / bad}: " in err.err
    assert "built 3, skipped 0, failed 3" in err.out
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert len(pdfs) == 3
    assert (
        "exploring-the-uses-of-botox-beyond-beauty-medical-applications-and-treatments.pdf" in pdfs
    )
    lido = [p for p in pdfs if p.startswith("lidocaine-more-than-a-numbing-agent")]
    assert len(lido) == 2  # same title, distinct names
    assert not list(out.rglob("*.part"))


def test_second_run_skips_and_an_edit_rebuilds_only_that_article(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    build(folder, out)
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    capsys.readouterr()
    build(folder, out)
    assert "built 0, skipped 3, failed 3" in capsys.readouterr().out
    edited = folder / "lido.txt"
    edited.write_text(edited.read_text("utf-8") + "\nOne more closing sentence.\n", "utf-8")
    build(folder, out)
    assert "built 1, skipped 2, failed 3" in capsys.readouterr().out
    second = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    changed = [name for name in first if first[name] != second[name]]
    assert len(changed) == 1 and changed[0].startswith("lidocaine")
    assert build(folder, out, "--force") == 1
    assert "built 3, skipped 0" in capsys.readouterr().out


def test_names_are_stable_across_runs(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(folder, out)
    names = {k: v["name"] for k, v in manifest(out).items()}
    shutil.rmtree(out)
    build(folder, out)
    assert {k: v["name"] for k, v in manifest(out).items()} == names


def test_index_and_report_list_every_article(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(folder, out)
    rows = list(csv.DictReader((out / "report.csv").open(encoding="utf-8")))
    assert len(rows) == 7
    assert [r["status"] for r in rows[:3]] == ["failed"] * 3
    assert rows[-1]["status"] == "not an article" and rows[-1]["source"].endswith("notes.csv")
    built = [r for r in rows if r["status"] == "built"]
    assert int(built[0]["repairs"]) >= int(built[1]["repairs"]) >= int(built[2]["repairs"])
    botox = next(r for r in built if r["source"].endswith("botox.txt"))
    assert (botox["homoglyphs"], botox["contractions"], botox["commas"]) == ("346", "91", "38")
    index = (out / "index.html").read_text("utf-8")
    assert index.count('<tr class="built">') == 3
    assert "Exploring the Uses of Botox Beyond Beauty" in index
    for row in built:
        for output in row["outputs"].split():
            assert f'href="{output}"' in index
            assert (out / output).exists()


def test_interrupted_run_leaves_no_partial_output(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    real_replace = files.os.replace
    calls = {"n": 0}

    def replace_then_interrupt(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 5:  # in the middle of the second article's files
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace_then_interrupt)
    assert build(folder, out) == 130
    assert not list(out.rglob("*.part"))
    built = [entry for entry in manifest(out).values() if entry["outputs"]]
    assert len(built) == 1  # only the finished article is recorded as done
    monkeypatch.setattr(files.os, "replace", real_replace)
    build(folder, out)
    for entry in manifest(out).values():
        for output in output_files(entry):
            assert (out / output).stat().st_size > 0


def test_parallel_build_matches_serial(folder: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(folder, serial)
    assert main(["build", str(folder), "-o", str(parallel), "-j", "2"]) == 1
    for path in serial.glob("*.json"):
        if path.name.startswith("."):
            continue
        assert json.loads((parallel / path.name).read_text()) == json.loads(path.read_text())


def test_clean_batch_writes_text_and_changes(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cleaned"
    assert main(["clean", str(folder), "-o", str(out), "-j", "1"]) == 1
    assert (out / "botox.txt").read_text("utf-8") == (
        ROOT / "tests" / "data" / "sample" / "botox-beyond-beauty.expected.txt"
    ).read_text("utf-8")
    written = (out / "botox.changes.json").read_text("utf-8")
    assert len(json.loads(written)["changes"]) == 475
    single = tmp_path / "single.changes.json"  # the same file as a single clean writes
    assert main(["clean", str(folder / "botox.txt"), "-o", "-", "--changes", str(single)]) == 0
    plan = clean(load_article(folder / "botox.txt").text).changes_json()
    assert written == single.read_text("utf-8") == plan
    assert (out / "nested" / "lido.md").exists()
    assert "built 3, skipped 0, failed 3" in capsys.readouterr().out
    main(["clean", str(folder), "-o", str(out), "-j", "1"])
    assert "built 0, skipped 3, failed 3" in capsys.readouterr().out
    assert (out / "report.csv").exists()


def test_inputs_are_never_modified(folder: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    build(folder, tmp_path / "out")
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def _article(folder: Path, name: str, title: str, body: str = "It helps.") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", "utf-8")
    return path


def test_a_new_article_with_the_same_title_never_overwrites_another(tmp_path: Path) -> None:
    first = _article(tmp_path / "x", "a.txt", "Same Title", "First article.")
    second = _article(tmp_path / "y", "b.txt", "Same Title", "Second article.")
    out = tmp_path / "out"
    assert main(["build", str(first), "-o", str(out), "-j", "1", "--format", "json"]) == 0
    assert main(["build", str(second), "-o", str(out), "-j", "1", "--format", "json"]) == 0
    leaflets = [p for p in out.glob("*.json") if not p.name.startswith(".")]
    texts = sorted(json.loads(p.read_text())["sections"][0]["paragraphs"][0] for p in leaflets)
    assert texts == ["First article.", "Second article."]
    assert (out / "same-title.json").exists()  # the first keeps its name


def test_an_edited_article_keeps_its_name_when_a_namesake_arrives(tmp_path: Path) -> None:
    first = _article(tmp_path / "x", "a.txt", "Same Title", "First article.")
    out = tmp_path / "out"
    main(["build", str(first), "-o", str(out), "-j", "1", "--format", "json"])
    _article(tmp_path / "x", "a.txt", "Same Title", "First article, edited.")
    _article(tmp_path / "y", "b.txt", "Same Title", "Second article.")
    main(["build", str(tmp_path / "x"), str(tmp_path / "y"), "-o", str(out), "-j", "1",
          "--format", "json"])  # fmt: skip
    kept = json.loads((out / "same-title.json").read_text())
    assert kept["sections"][0]["paragraphs"] == ["First article, edited."]
    assert len(list(out.glob("same-title-*.json"))) == 1


def test_output_folder_inside_the_input_folder_is_not_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "in"
    _article(inbox, "a.txt", "Alpha", "Tеxt with a look-alike.")
    for _ in range(3):
        assert main(["clean", str(inbox), "-o", str(inbox / "cleaned"), "-j", "1"]) == 0
    assert "built 0, skipped 1, failed 0" in capsys.readouterr().out.splitlines()[-1]
    assert not (inbox / "cleaned" / "cleaned").exists()


def test_same_input_typed_two_ways_is_one_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "in"
    _article(inbox, "a.txt", "Alpha")
    out = tmp_path / "out"
    main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json"])
    import os

    relative = os.path.relpath(inbox)
    main(["build", relative, "-o", str(out), "-j", "1", "--format", "json"])
    assert "built 0, skipped 1" in capsys.readouterr().out.splitlines()[-1]


def test_a_different_encoding_rebuilds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes("Caf\u00e9 Title\n\nIt is a caf\u00e9.\n".encode("latin-1"))
    out = tmp_path / "out"
    for encoding in ("latin-1", "cp1252"):
        args = ["build", str(source), "-o", str(out), "-j", "1", "--format", "json"]
        main([*args, "--encoding", encoding])
    assert "built 1, skipped 0" in capsys.readouterr().out.splitlines()[-1]


def test_txt_with_markdown_headings_is_read_as_markdown(tmp_path: Path) -> None:
    source = tmp_path / "asthma.txt"
    source.write_text(
        "# Living With Asthma\n\nIt is common.\n\n## Common Triggers\n\nDust.\n", "utf-8"
    )
    out = tmp_path / "out"
    main(["build", str(source), "-o", str(out), "-j", "1", "--format", "json"])
    doc = json.loads((out / "living-with-asthma.json").read_text())
    assert doc["title"] == "Living With Asthma"
    assert doc["sections"][1]["heading"] == "Common Triggers"


@pytest.mark.parametrize("target", ["folder", "file-as-folder"])
def test_unwritable_output_is_one_line(
    tmp_path: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _article(tmp_path, "a.txt", "Alpha")
    blocker = tmp_path / "blocker"
    if target == "folder":
        blocker.mkdir()
        args = ["clean", str(source), "-o", str(blocker)]
    else:
        blocker.write_text("a file")
        args = ["build", str(source), "-o", str(blocker / "out"), "-j", "1"]
    status = main(args)
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot be written" in err and "Traceback" not in err


def test_an_input_inside_the_output_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "in"
    _article(inbox, "a.txt", "Alpha")
    assert main(["build", str(inbox), "-o", str(inbox), "-j", "1"]) == 1
    assert "is inside the output folder" in capsys.readouterr().err
    assert [p.name for p in inbox.iterdir()] == ["a.txt"]  # nothing written


def test_a_moved_article_keeps_its_name_and_leaves_nothing_behind(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    _article(inbox, "a.txt", "Alpha Article", "Some text.")
    main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json"])
    (inbox / "a.txt").rename(inbox / "renamed.txt")
    main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json"])
    assert sorted(p.name for p in out.glob("[!.]*.json")) == ["alpha-article.json"]
    assert list(manifest(out)) == ["../in/renamed.txt"]


def test_a_deleted_article_s_leaflet_is_removed(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    _article(inbox, "a.txt", "Alpha", "Some text.")
    _article(inbox, "b.txt", "Beta", "More text.")
    main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json"])
    (inbox / "b.txt").unlink()
    main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json"])
    assert sorted(p.name for p in out.glob("[!.]*.json")) == ["alpha.json"]


def test_the_whole_project_moved_is_still_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    _article(project / "in", "a.txt", "Alpha", "Some text.")
    main(["build", str(project / "in"), "-o", str(project / "out"), "-j", "1", "--format", "json"])
    moved = tmp_path / "moved"
    project.rename(moved)
    main(["build", str(moved / "in"), "-o", str(moved / "out"), "-j", "1", "--format", "json"])
    assert "built 0, skipped 1" in capsys.readouterr().out.splitlines()[-1]


def test_articles_from_a_folder_not_given_today_are_kept(tmp_path: Path) -> None:
    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "out"
    _article(first, "a.txt", "Alpha", "Some text.")
    _article(second, "b.txt", "Beta", "More text.")
    main(["build", str(first), "-o", str(out), "-j", "1", "--format", "json"])
    first.rename(tmp_path / "unplugged")  # the folder is not there today
    main(["build", str(second), "-o", str(out), "-j", "1", "--format", "json"])
    assert sorted(p.name for p in out.glob("[!.]*.json")) == ["alpha.json", "beta.json"]


@pytest.mark.parametrize(
    "names",
    [
        ("Notes.txt", "notes.md"),  # one name to a file system that does not tell case apart
        ("caf\u00e9.txt", "cafe\u0301.md"),  # composed and decomposed: one name on macOS
        ("a.txt", "a.md"),  # the same name, exactly
    ],
)
def test_names_that_one_file_system_takes_for_the_same_are_not_given_twice(
    tmp_path: Path, names: tuple[str, str]
) -> None:
    """Two inputs whose cleaned texts would be one file on a case-insensitive or
    composing file system (an output folder on a USB stick, a Mac) get names that differ
    otherwise: neither overwrites the other there (a helper's probe)."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    for number, name in enumerate(names):
        _article(inbox, name, f"Title {number}", f"Body {number}.")
    assert main(["clean", str(inbox), "-o", str(out), "-j", "1"]) == 0
    made = [p.name.removesuffix(".changes.json") for p in out.glob("*.changes.json")]
    assert len(made) == 2
    assert len({unicodedata.normalize("NFC", name).casefold() for name in made}) == 2
