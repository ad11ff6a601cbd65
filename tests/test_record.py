"""The build record: typed entries, checked when read, never trusted when damaged."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.record import (
    JOURNAL_NAME,
    RECORD_NAME,
    VERSION,
    BuildRecord,
    Output,
    RecordEntry,
    RecordProblem,
    entry_from_json,
)


def entry(name: str = "a", size: int = 5, **outputs: str) -> RecordEntry:
    files = outputs or {"pdf": f"{name}.pdf"}
    return RecordEntry(
        source=f"in/{name}.txt",
        wanted=name,
        name=name,
        title=name.title(),
        outputs={kind: Output(file, "key", size) for kind, file in files.items()},
        repairs={"homoglyphs": 3},
        facts={"first_published": "2025-01-01"},
    )


def write_record(folder: Path, entries: Any, version: Any = VERSION) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"version": version, "entries": entries}
    (folder / RECORD_NAME).write_text(json.dumps(data), "utf-8")


def test_an_entry_survives_its_json_form() -> None:
    original = entry("botox", pdf="botox.pdf", json="botox.json")
    assert entry_from_json(json.loads(json.dumps(original.to_json()))) == original


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outputs": {"pdf": {"file": "../x.pdf", "key": "k", "size": 1}}}, "inside"),
        ({"outputs": {"pdf": {"file": "/etc/passwd.pdf", "key": "k", "size": 1}}}, "inside"),
        ({"outputs": {"pdf": {"file": "a/../../x.pdf", "key": "k", "size": 1}}}, "inside"),
        ({"outputs": {"pdf": {"file": "a.json", "key": "k", "size": 1}}}, "inside"),
        ({"outputs": {"pdf": {"file": "a.pdf", "key": 3, "size": 1}}}, "key is not a string"),
        ({"outputs": {"pdf": {"file": "a.pdf", "key": "k", "size": -1}}}, "not a count"),
        ({"outputs": {"pdf": {"file": "a.pdf", "key": "k", "size": True}}}, "not a count"),
        ({"outputs": ["a.pdf"]}, "outputs is not an object"),
        ({"name": None}, "name is not a string"),
        ({"repairs": {"commas": "3"}}, "not a count"),
        ({"reading_level": {"grade": 3}}, "reading_level"),
        ({"facts": {"published": 2025}}, "fact is not a string"),
        ({"outputs": {"json": {"file": ".leaflet-manifest.json", "key": "k", "size": 1}}},
         "inside"),
        ({"outputs": {"html": {"file": "index.html", "key": "k", "size": 1}}}, "inside"),
        ({"outputs": {"csv": {"file": "report.csv", "key": "k", "size": 1}}}, "inside"),
        ({"outputs": {"pdf": {"file": "sub/.x.pdf", "key": "k", "size": 1}}}, "inside"),
    ],
)  # fmt: skip
def test_a_damaged_entry_is_refused(change: dict[str, Any], message: str) -> None:
    value = {**entry().to_json(), **change}
    with pytest.raises(RecordProblem, match=message):
        entry_from_json(value)


def _named(name: str, outputs: dict[str, str]) -> dict[str, Any]:
    value = entry().to_json()
    value["outputs"] = {kind: {"file": f, "key": "k", "size": 1} for kind, f in outputs.items()}
    return {**value, "name": name}


NAMES = [  # (name, its outputs by kind, whether a record may hold it)
    ("../../pwned", {}, False),
    ("../../pwned", {"json": "a.json"}, False),
    ("/tmp/pwned", {"json": "a.json"}, False),
    ("sub/../../pwned", {}, False),
    (".leaflet-manifest", {"json": "a.json"}, False),
    (".hidden", {}, False),
    ("sub/.hidden", {}, False),
    ("a\\b", {}, False),
    ("a\0b", {}, False),
    ("index", {"html": "a.html"}, False),  # would be written over the batch's index.html
    ("report", {"csv": "a.csv"}, False),
    ("", {"pdf": "a.pdf"}, False),
    ("a", {"pdf": "a.pdf"}, True),
    ("sub/a", {"txt": "sub/a.txt"}, True),  # leaflet clean keeps an article's folders
    ("index", {"json": "index.json"}, True),  # makes no file of the batch's own
    ("sub/index", {"html": "sub/index.html"}, True),
    ("a..b", {}, True),
    ("", {}, True),  # an input that failed before it had a name
]


@pytest.mark.parametrize(("name", "outputs", "trusted"), NAMES)
def test_an_entry_names_only_plain_files_inside_the_folder(
    name: str, outputs: dict[str, str], trusted: bool
) -> None:
    value = _named(name, outputs)
    if trusted:
        assert entry_from_json(value).name == name
    else:
        with pytest.raises(RecordProblem, match="is not a file name inside the output folder"):
            entry_from_json(value)


@pytest.mark.parametrize(("name", "outputs", "trusted"), NAMES)
def test_a_record_or_journal_with_a_bad_name_is_not_trusted(
    tmp_path: Path, name: str, outputs: dict[str, str], trusted: bool
) -> None:
    write_record(tmp_path / "record", {"../in/a.txt": _named(name, outputs)})
    line = {"input": "../in/a.txt", "entry": _named(name, outputs)}
    (tmp_path / "journal").mkdir()
    (tmp_path / "journal" / JOURNAL_NAME).write_text(json.dumps(line) + "\n")
    for folder in ("record", "journal"):
        record = BuildRecord.load(tmp_path / folder)
        assert ("is damaged" in record.problem) != trusted
        assert bool(record.entries) == trusted


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "cannot be read"),
        (b'{"../in/a.txt": {"outputs": ["a.pdf"]}}', "no version number"),
        (b'{"version": 99, "entries": {}}', "newer leaflet"),
        (b'{"version": 0, "entries": {}}', "older leaflet"),
        (b'{"version": 1, "entries": []}', "entries is not an object"),
    ],
)
def test_a_record_that_cannot_be_trusted_is_empty_with_a_message(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    (tmp_path / RECORD_NAME).write_bytes(content)
    record = BuildRecord.load(tmp_path)
    assert record.entries == {}
    assert problem in record.problem and "every article is rebuilt" in record.problem


def test_a_record_naming_files_outside_the_folder_deletes_nothing(tmp_path: Path) -> None:
    victim = tmp_path / "victim.pdf"
    victim.write_text("keep me")
    out = tmp_path / "out"
    bad = entry().to_json()
    bad["outputs"] = {"pdf": {"file": "../victim.pdf", "key": "k", "size": 7}}
    write_record(out, {"../gone/a.txt": bad})
    (tmp_path / "gone").mkdir()
    record = BuildRecord.load(out)
    assert "outside" in record.problem or "inside" in record.problem
    record.prune([tmp_path / "gone"])
    assert victim.read_text() == "keep me"


# what is done to the record of sub/a.txt, whose output folder out/sub has since become a
# link out of the output folder (to elsewhere/, holding a file of the output's name), or
# a file
LED_OUT = {
    "forget": lambda record: record.forget("../in/sub/a.txt"),
    "prune": lambda record: record.prune([record.folder.parent / "in"]),
    "put another name": lambda record: record.put("../in/sub/a.txt", entry("b")),
    "put the same": lambda record: record.put("../in/sub/a.txt", entry("sub/a")),
}


@pytest.mark.parametrize("became", ["a link out", "a file"])
@pytest.mark.parametrize("change", LED_OUT.values(), ids=LED_OUT)
def test_an_output_whose_folder_is_no_longer_one_is_left_and_the_run_goes_on(
    tmp_path: Path, change: Any, became: str
) -> None:
    """Nothing outside the output folder is deleted, nor does the run stop on it (it
    stopped the whole batch with a traceback)."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (tmp_path / "in").mkdir()
    elsewhere.mkdir()
    out.mkdir()
    (elsewhere / "a.pdf").write_text("keep me")
    if became == "a file":
        (out / "sub").write_text("keep me too")
    else:
        (out / "sub").symlink_to(elsewhere)
    record = BuildRecord(out, {"../in/sub/a.txt": entry("sub/a")})
    change(record)
    assert (elsewhere / "a.pdf").read_text() == "keep me"
    if became == "a file":
        assert (out / "sub").read_text() == "keep me too"


def test_two_inputs_claiming_one_file_is_damage(tmp_path: Path) -> None:
    write_record(tmp_path, {"a.txt": entry("a").to_json(), "b.txt": entry("a").to_json()})
    assert "claimed by two inputs" in BuildRecord.load(tmp_path).problem


def test_a_current_output_is_whole_and_made_with_the_same_key(tmp_path: Path) -> None:
    record = BuildRecord(tmp_path, {"a.txt": entry("a", size=5)})
    (tmp_path / "a.pdf").write_bytes(b"12345")
    assert record.is_current("a.txt", "pdf", "key")
    assert not record.is_current("a.txt", "pdf", "other key")
    assert not record.is_current("a.txt", "html", "key")
    assert not record.is_current("b.txt", "pdf", "key")
    (tmp_path / "a.pdf").write_bytes(b"123")  # cut short
    assert not record.is_current("a.txt", "pdf", "key")
    (tmp_path / "a.pdf").write_bytes(b"")
    assert not record.is_current("a.txt", "pdf", "key")
    (tmp_path / "a.pdf").unlink()
    (tmp_path / "a.pdf").symlink_to(tmp_path / "elsewhere")
    assert not record.is_current("a.txt", "pdf", "key")


def test_put_deletes_only_the_files_an_entry_no_longer_has(tmp_path: Path) -> None:
    for name in ("a.pdf", "a.json", "b.pdf"):
        (tmp_path / name).write_text("x")
    record = BuildRecord(tmp_path, {"a.txt": entry("a", pdf="a.pdf", json="a.json")})
    record.put("a.txt", entry("b", pdf="b.pdf", json="a.json"))
    assert sorted(p.name for p in tmp_path.glob("*.*")) == [JOURNAL_NAME, "a.json", "b.pdf"]
    assert record.owner("a") == "a.txt" and record.owner("b") == "a.txt"


def test_the_journal_keeps_what_an_interrupted_run_finished(tmp_path: Path) -> None:
    record = BuildRecord(tmp_path, {})
    record.put("a.txt", entry("a"))
    record.put("b.txt", entry("b"))
    record.forget("b.txt")
    with (tmp_path / JOURNAL_NAME).open("a") as journal:
        journal.write('{"input": "c.txt", "ent')  # a line cut short by a kill
    del record  # never saved
    again = BuildRecord.load(tmp_path)
    assert again.problem == "" and list(again.entries) == ["a.txt"]
    assert again.entries["a.txt"] == entry("a")
    again.save()
    assert not (tmp_path / JOURNAL_NAME).exists()
    assert list(json.loads((tmp_path / RECORD_NAME).read_text())["entries"]) == ["a.txt"]


def test_an_unchanged_record_is_not_rewritten(tmp_path: Path) -> None:
    write_record(tmp_path, {"a.txt": entry("a").to_json()})
    before = (tmp_path / RECORD_NAME).stat().st_mtime_ns
    BuildRecord.load(tmp_path).save()
    assert (tmp_path / RECORD_NAME).stat().st_mtime_ns == before


def test_file_names_that_are_not_utf8_round_trip(tmp_path: Path) -> None:
    key = "../in/caf\udce9.txt"
    record = BuildRecord(tmp_path, {})
    record.put(key, entry("cafe"))
    record.save()
    assert list(BuildRecord.load(tmp_path).entries) == [key]


def test_prune_forgets_inputs_gone_from_the_folders_given(tmp_path: Path) -> None:
    inbox, elsewhere, out = tmp_path / "in", tmp_path / "usb", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    (inbox / "kept.txt").write_text("x")
    (out / "gone.pdf").write_text("x")
    (out / "away.pdf").write_text("x")
    record = BuildRecord(out, {
        "../in/kept.txt": entry("kept"), "../in/gone.txt": entry("gone"),
        "../usb/away.txt": entry("away"),
    })  # fmt: skip
    assert record.prune([inbox]) == ["../in/gone.txt"]
    assert sorted(record.entries) == ["../in/kept.txt", "../usb/away.txt"]
    assert not (out / "gone.pdf").exists() and (out / "away.pdf").exists()
    assert elsewhere.exists() is False


@pytest.mark.parametrize(
    ("error", "gone"),
    [
        (FileNotFoundError, True),  # deleted
        (NotADirectoryError, True),  # its folder is now a file
        (PermissionError, False),  # a folder this user may no longer read: kept
        (TimeoutError, False),  # a share that does not answer: kept
    ],
)
def test_prune_keeps_what_it_cannot_see(tmp_path: Path, error: type[OSError], gone: bool) -> None:
    """An input whose folder cannot be read is not taken for deleted: its outputs stay
    (a helper's probe: chmod 000 on a subfolder deleted its articles' leaflets)."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    (inbox / "sub").mkdir(parents=True)
    out.mkdir()
    (inbox / "sub" / "a.txt").write_text("x")
    (out / "a.pdf").write_text("x")
    record = BuildRecord(out, {"../in/sub/a.txt": entry("a")})
    real_stat = os.stat
    hidden = os.path.realpath(inbox / "sub" / "a.txt")

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if os.fspath(path) == hidden:
            raise error(13, "cannot look", hidden)
        return real_stat(path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "stat", stat)
        assert record.prune([inbox]) == (["../in/sub/a.txt"] if gone else [])
    assert (out / "a.pdf").exists() is not gone
