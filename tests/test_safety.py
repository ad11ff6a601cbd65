"""Hostile and careless use of ``leaflet build`` and ``leaflet clean``: nothing lost,
nothing written or deleted outside the output folder, no traceback, no hang.

Each test is a defect found by trying leaflet as such a user would (issue 8).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import fcntl
import hashlib
import html
import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline import files
from pipeline.cli import main
from pipeline.errors import OutputError

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "raw" / "botox-beyond-beauty.txt"
RECORD = ".leaflet-manifest.json"


def article(folder: Path, name: str, title: str, body: str = "It helps.") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", "utf-8")
    return path


def build(*args: str | Path) -> int:
    return main(["build", *map(str, args), "-j", "1"])


def leaflets(out: Path, suffix: str = "json") -> list[str]:
    return sorted(p.name for p in out.glob(f"*.{suffix}") if not p.name.startswith("."))


def short_hash(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:6]


# ---------------------------------------------------------------- security


def test_a_record_naming_files_outside_the_output_folder_deletes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Alpha")
    article(inbox, "b.txt", "Beta")
    assert build(inbox, "-o", out, "--format", "json") == 0
    victims = [tmp_path / "victim.json", tmp_path / "absolute.json"]
    for victim in victims:
        victim.write_text("keep me")
    record = json.loads((out / RECORD).read_text())
    entry = record["entries"]["../in/b.txt"]
    entry["outputs"]["json"]["file"] = "../victim.json"
    record["entries"]["../in/c.txt"] = {**entry, "outputs": {
        "json": {"file": str(victims[1]), "key": "k", "size": 7}}}  # fmt: skip
    (out / RECORD).write_text(json.dumps(record))
    (inbox / "b.txt").unlink()  # so the record's entry for it is pruned
    capsys.readouterr()
    assert build(inbox, "-o", out, "--format", "json") == 0
    assert all(victim.read_text() == "keep me" for victim in victims)
    err = capsys.readouterr().err
    assert f"leaflet: {out / RECORD}: is damaged" in err and "every article is rebuilt" in err


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if not p.is_dir()}


@pytest.mark.parametrize(
    "name", ["../../pwned", "{abs}/pwned", ".leaflet-manifest", "sub/../../pwned", "alpha"]
)
def test_a_record_naming_an_article_outside_the_folder_writes_nothing_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """The last row is the record as leaflet wrote it: trusted, and the article keeps
    its name."""
    inbox, out = tmp_path / "w" / "x" / "in", tmp_path / "w" / "x" / "out"
    source = article(inbox, "a.txt", "Alpha")
    assert build(inbox, "-o", out, "--format", "json") == 0
    record = json.loads((out / RECORD).read_text())
    record["entries"]["../in/a.txt"]["name"] = name.format(abs=tmp_path / "abs")
    (out / RECORD).write_text(json.dumps(record))
    before = _files(tmp_path) - _files(out)
    source.write_text("Alpha\n\nIt helps, and it was edited.\n")
    capsys.readouterr()
    assert build(inbox, "-o", out, "--format", "json") == 0
    captured = capsys.readouterr()
    assert _files(tmp_path) - _files(out) == before
    assert ("is damaged" in captured.err) == (name != "alpha")
    assert f"{source} -> alpha.json" in captured.err
    assert json.loads((out / RECORD).read_text())["entries"]["../in/a.txt"]["name"] == "alpha"


@pytest.mark.parametrize(
    ("final", "written"),
    [("../x.json", False), ("{abs}", False), ("link/x.json", False), (".leaflet-x.json", False),
     ("x.json", True), ("sub/x.json", True)],
)  # fmt: skip
def test_outputs_are_renamed_into_place_only_inside_the_folder(
    tmp_path: Path, final: str, written: bool
) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "link").symlink_to(outside)
    part = files.write_part(out, "{}", "x.json")
    moves = {part.name: final.format(abs=outside / "x.json")}
    if written:
        files.commit(out, moves)
        assert (out / final).read_text() == "{}"
    else:
        with pytest.raises(OutputError, match="cannot be written"):
            files.commit(out, moves)
    assert list(outside.iterdir()) == [] and not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(
    ("blocked", "advice"),
    [
        ("folder", "give a name in a folder you can write to"),  # a folder at one name
        ("long", r"\(File name too long\); give a shorter name"),  # too long for the system
    ],
)
def test_an_articles_files_change_together_or_none_does(
    tmp_path: Path, blocked: str, advice: str
) -> None:
    """An article's new files replace its old ones all together: when one of them cannot
    take its name, none is renamed (a helper's probe: the JSON and HTML said version two,
    the review page version one), and the message says what to do."""
    out = tmp_path / "out"
    out.mkdir()
    names = ["a.json", "a.html", "b" * 300 + ".pdf" if blocked == "long" else "a.pdf"]
    for name in names[:2]:
        (out / name).write_text("old")
    if blocked == "folder":
        (out / "a.pdf").mkdir()
    moves = {files.write_part(out, "new", name).name: name for name in names}
    with pytest.raises(OutputError, match=advice):
        files.commit(out, moves)
    assert [(out / name).read_text() for name in names[:2]] == ["old", "old"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_clean_names_the_input_whose_output_name_is_too_long(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    """A 250-byte input name fits; its ``.changes.json`` does not. The message named the
    output and said "give a shorter name"; it names the input, the limit and what to
    rename, and leaves no empty folder behind."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    long = article(inbox, "sub/deeper/" + "a" * 250 + ".txt", "Tіtle")
    article(inbox, "ok.txt", "Tіtle")
    before = long.read_bytes()
    assert main(["clean", str(inbox), "-o", str(out), "-j", jobs]) == 1
    shown = capsys.readouterr()
    assert (
        f"failed   {long}: its output's name (…{'a' * 17}.changes.json) would be 263 bytes, "
        "over the 255 the output folder takes; rename the input shorter\n"
    ) in shown.err
    assert shown.out.startswith("built 1, skipped 0, failed 1 in ")
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(("a", "ok"))) == [
        "ok.changes.json", "ok.txt"]  # fmt: skip
    assert long.read_bytes() == before and not list(out.glob(f"*{files.PART_SUFFIX}"))
    assert not (out / "sub").exists()  # no folder made for it, left empty


def test_an_output_file_that_is_a_symlink_is_written_through_not_replaced(
    tmp_path: Path,
) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    source = article(tmp_path, "a.txt", "Tіtle")
    assert main(["clean", str(source), "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_text("utf-8") == "Title\n\nIt helps.\n"


def test_an_output_that_is_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    source = article(tmp_path, "a.txt", "Tіtle")
    try:
        assert main(["clean", str(source), "-o", str(fifo)]) == 0
        reader.join(timeout=30)
        assert received == [b"Title\n\nIt helps.\n"]
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
    finally:
        if reader.is_alive():  # the FIFO was replaced: let the reader go
            os.close(os.open(tmp_path / "pipe", os.O_WRONLY | os.O_NONBLOCK | os.O_CREAT))


def test_an_output_that_is_a_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device node needs root")
    source = article(tmp_path, "a.txt", "Title")
    assert main(["clean", str(source), "-o", str(null), "--changes", str(null)]) == 0
    assert stat.S_ISCHR(null.lstat().st_mode)


NOT_A_FOLDER = {  # what stands at the output folder's name: what is said of it
    "fifo": (os.mkfifo, "is not a folder; give a folder for the outputs"),
    "file": (lambda p: p.write_text("x"), "is not a folder; give a folder for the outputs"),
    "link to nothing": (lambda p: p.symlink_to("gone"), "is a link to no folder"),
    "link loop": (lambda p: p.symlink_to(p.name), "is a link to no folder"),
}


@pytest.mark.parametrize("command", ["build", "clean"])
@pytest.mark.parametrize(("make", "said"), NOT_A_FOLDER.values(), ids=NOT_A_FOLDER)
def test_build_into_something_that_is_not_a_folder_is_one_line(
    tmp_path: Path, make: Callable[[Path], object], said: str, command: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    target = tmp_path / "out"
    make(target)
    before = target.lstat()
    article(tmp_path / "in", "a.txt", "Alpha")
    assert main([command, str(tmp_path / "in"), "-o", str(target), "-j", "1"]) == 1
    assert capsys.readouterr().err == f"leaflet: {target}: {said}" + (
        "" if "give a folder" in said else "; fix or remove the link, or give another "
        "folder for the outputs"
    ) + "\n"
    assert target.lstat() == before and sorted(tmp_path.iterdir()) == [tmp_path / "in", target]

OWN_FILES = [".leaflet-journal.jsonl", files.LOCK_NAME, RECORD, "index.html", "report.csv",
             "alpha.json"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "target"),
    [(name, "there") for name in OWN_FILES]
    + [(".leaflet-journal.jsonl", "missing"), (files.LOCK_NAME, "missing")],
)
def test_a_link_in_the_output_folder_is_replaced_never_followed(
    tmp_path: Path, name: str, target: str
) -> None:
    """Every file leaflet writes in its output folder, with a link at its name to a file
    outside (or to where one could be made) before a build that writes it."""
    inbox, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "outside"
    source = article(inbox, "a.txt", "Alpha")
    assert build(inbox, "-o", out, "--format", "json") == 0
    source.write_text("Alpha\n\nIt helps, and it was edited.\n")  # so the build writes
    if target == "there":
        outside.write_text("keep me")
    (out / name).unlink(missing_ok=True)
    (out / name).symlink_to(outside)
    assert build(inbox, "-o", out, "--format", "json") == 0
    assert (outside.read_text() == "keep me") if target == "there" else not outside.exists()
    assert not (out / name).is_symlink()
    assert json.loads((out / "alpha.json").read_text())["source"] == str(source)


class Hung(BaseException):
    """Raised in a test that would hang (a BaseException: no handler in leaflet takes it)."""


@contextlib.contextmanager
def _hang_fails(seconds: float = 60) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise Hung(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1)  # and every second after, until done
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_pipe_at_the_name_of_leaflets_own_files_never_hangs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in (".leaflet-journal.jsonl", files.LOCK_NAME, RECORD):
        os.mkfifo(out / name)
    with _hang_fails():
        assert build(article(tmp_path, "a.txt", "Alpha"), "-o", out, "--format", "json") == 0
    assert f"{out / RECORD}: cannot be read (it is not a regular file)" in capsys.readouterr().err
    assert all(stat.S_ISREG(p.lstat().st_mode) for p in out.iterdir())


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)  # sparse: no disk is used

    return make


# (what stands at the name; what read_regular(path, 5) gives: the bytes, or the error
#  and the size it says)
READ_REGULAR: dict[str, tuple[Callable[[Path], None], bytes | tuple[type[OSError], int]]] = {
    "a file of 5 bytes": (lambda p: p.write_bytes(b"12345"), b"12345"),
    "an empty file": (lambda p: p.write_bytes(b""), b""),
    "a file of 6 bytes": (lambda p: p.write_bytes(b"123456"), (files.TooLarge, 6)),
    "100 GB, sparse": (_sparse(10**11), (files.TooLarge, 10**11)),  # refused unread
    "a folder": (lambda p: p.mkdir(), (IsADirectoryError, 0)),
    "a pipe": (os.mkfifo, (files.NotRegular, 0)),
    "a link to a device": (lambda p: p.symlink_to("/dev/zero"), (files.NotRegular, 0)),
    "a link to nothing": (lambda p: p.symlink_to("gone"), (FileNotFoundError, 0)),
    "a link loop": (lambda p: p.symlink_to(p.name), (OSError, 0)),
}


@pytest.mark.parametrize(("make", "expected"), READ_REGULAR.values(), ids=READ_REGULAR)
def test_the_one_bounded_reader_refuses_what_is_not_a_small_regular_file_at_once(
    tmp_path: Path, make: Callable[[Path], None], expected: bytes | tuple[type[OSError], int]
) -> None:
    path = tmp_path / "f"
    make(path)
    with _hang_fails():
        if isinstance(expected, bytes):
            assert files.read_regular(path, 5) == expected
            return
        kind, size = expected
        with pytest.raises(kind) as caught:
            files.read_regular(path, 5)
    assert caught.value.strerror and "\n" not in caught.value.strerror
    assert getattr(caught.value, "size", 0) == size


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_report_cells_are_never_spreadsheet_formulas(tmp_path: Path, start: str) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", f'{start}HYPERLINK("http://evil.example", "Click")')
    build(inbox, "-o", out, "--format", "json")
    rows = list(csv.DictReader((out / "report.csv").open(encoding="utf-8")))
    assert rows[0]["title"] == f'\'{start}HYPERLINK("http://evil.example", "Click")'


DISGUISED = [  # a file name, and how leaflet shows it
    ("invoice\u202etxt.exe.txt", "invoice\\u202etxt.exe.txt"),  # looks like invoiceexe.txt
    ("a\u2066b\u2069.txt", "a\\u2066b\\u2069.txt"),
    ("term\x1b[2J.txt", "term\\x1b[2J.txt"),  # would clear the terminal
    ("two\nlines.txt", "two\\nlines.txt"),
    ("tab\there.txt", "tab\\there.txt"),
    ("café.txt", "café.txt"),
    ("日本語.txt", "日本語.txt"),
    ("a b.txt", "a b.txt"),
]


@pytest.fixture(scope="module")
def disguised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One build of an article under each name in :data:`DISGUISED`, an empty one under
    each name too (so each is also named in a message); and what it printed."""
    root = tmp_path_factory.mktemp("names")
    inbox, out = root / "in", root / "out"
    for number, (name, _) in enumerate(DISGUISED):
        article(inbox, name, f"Article {number}")
        (inbox / f"empty-{name}").write_text("")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        assert build(inbox, "-o", out, "--format", "json") == 1  # the empty ones fail
    return out, stderr.getvalue()


@pytest.mark.parametrize(("name", "shown"), DISGUISED)
def test_a_file_name_never_disguises_itself_where_leaflet_shows_it(
    disguised: tuple[Path, str], name: str, shown: str
) -> None:
    out, err = disguised
    report = (out / "report.csv").read_text("utf-8")
    page = (out / "index.html").read_text("utf-8")
    for where in (err, report, html.unescape(page)):
        assert (name in where) == (name == shown)
    assert f"{shown} -> " in err and f"empty-{shown}: the file is empty" in err
    sources = [row["source"] for row in csv.DictReader(io.StringIO(report))]
    assert sum(source.endswith(f"/{shown}") for source in sources) == 1
    assert f"/{html.escape(shown, quote=False)}</small>" in page


@pytest.mark.parametrize(("name", "shown"), DISGUISED[:3] + DISGUISED[-3:])
def test_a_disguised_name_in_a_one_line_error_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, shown: str
) -> None:
    (tmp_path / name).write_text("")
    assert main(["clean", str(tmp_path / name)]) == 1
    err = capsys.readouterr().err
    assert err == f"leaflet: {tmp_path}/{shown}: the file is empty; give it the article's text\n"


NO_TEXT = "holds no text (only blank space or invisible characters); give it the article's text"
EMPTY = "the file is empty; give it the article's text"
BLANK_FILES = [  # a file that holds no text, and what leaflet says of it
    ("zero-width.txt", "\u200b\u200b\u200b\n".encode(), NO_TEXT),
    ("soft-hyphens.txt", "\u00ad\u00ad\u2060".encode(), NO_TEXT),
    ("blank.txt", " \n\t\n\u2028\u0085\n".encode(), NO_TEXT),  # NEL would clean to '…'
    ("bom.txt", b"\xef\xbb\xbf", NO_TEXT),
    ("bom-utf16.txt", "\ufeff\u200b\n".encode("utf-16"), NO_TEXT),
    ("controls.txt", b"\x07\x07\n", NO_TEXT),  # blank once cleaned
    ("mojibake-space.txt", "\u00c2\u00a0\n".encode(), NO_TEXT),  # a no-break space once cleaned
    ("zero-width.md", "\u200b\u2060\n\n\u200b\n".encode(), NO_TEXT),
    ("braille-blank.txt", "\u2800\u2800 \u2800\n".encode(), NO_TEXT),  # shows as spaces
    ("hangul-filler.txt", "\u3164\u3164\n".encode(), NO_TEXT),
    ("accents-alone.txt", "\u0301\u0301\u0308\n".encode(), NO_TEXT),  # no letter under them
    ("blank-then-marks.txt", "\u2800\u0301 \u3164\u200b\n".encode(), NO_TEXT),
    ("front-matter.md", "---\ntitle: A\n---\n\u200b\u200b\u200b\n".encode(),
     "has front matter but no article text after it; add the text"),
    ("zero-width.html", "<html><body><article><p>\u200b\u200b\u200b</p></article></body>"
     "</html>".encode(), NO_TEXT),
    ("empty.txt", b"", EMPTY),  # a 0-byte file is empty, as before
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "message"), BLANK_FILES, ids=[n for n, *_ in BLANK_FILES])
@pytest.mark.parametrize("command", ["clean", "build"])
def test_a_file_that_holds_no_text_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    command: str, name: str, data: bytes, message: str,
) -> None:  # fmt: skip
    """It was cleaned to a file of nothing, or built into an empty 'untitled' leaflet."""
    (tmp_path / name).write_bytes(data)
    out = tmp_path / "out"
    assert main([command, str(tmp_path / name), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    if command == "clean":  # one article: the one-line error
        assert err == f"leaflet: {tmp_path / name}: {message}\n"
        assert not out.exists()
    else:  # a build is a batch, even of one file
        assert f"failed   {tmp_path / name}: {message}\n" in err
        assert leaflets(out) == []


@pytest.mark.parametrize("command", ["clean", "build"])
def test_files_that_hold_no_text_fail_and_the_rest_of_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    for name, data, _message in BLANK_FILES:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(data)
    article(inbox, "short.txt", "Aspirin", "\u200bTake one with food.")  # a short article
    assert main([command, str(inbox), "-o", str(out), "-j", "1"]) == 1
    shown = capsys.readouterr()
    for name, _data, message in BLANK_FILES:
        assert f"failed   {inbox / name}: {message}\n" in shown.err
    assert shown.out.startswith(f"built 1, skipped 0, failed {len(BLANK_FILES)} in ")
    made = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    expected = ["short.changes.json", "short.txt"] if command == "clean" else [
        "aspirin.html", "aspirin.json", "aspirin.pdf", "aspirin.review.html"]  # fmt: skip
    assert made == sorted([*expected, "index.html", "report.csv"])
    assert main([command, str(inbox), "-o", str(out), "-j", "1"]) == 1  # fails again at once
    assert f"failed   {inbox / 'zero-width.txt'}: {NO_TEXT}" in capsys.readouterr().err


def test_a_short_article_with_invisible_characters_still_cleans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Negative row: a character a reader sees makes it an article."""
    article(tmp_path, "a.txt", "\u200bAspirin", "Take оne with food.\u2060")
    assert main(["clean", str(tmp_path / "a.txt")]) == 0
    assert capsys.readouterr().out == "Aspirin\n\nTake one with food.\n"


# ---------------------------------------------------------------- data loss


def test_an_article_titled_index_does_not_replace_the_batch_index(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Index", "The article's own text.")
    article(inbox, "b.txt", "Report", "Another article.")
    assert build(inbox, "-o", out, "--format", "html") == 0
    assert "Leaflets" in (out / "index.html").read_text("utf-8")
    pages = [p for p in leaflets(out, "html") if p != "index.html"]
    assert len(pages) == 4  # two leaflets, and the review page of each
    assert sorted(p for p in pages if p.endswith(".review.html")) == [
        p.replace(".html", ".review.html") for p in sorted(pages) if ".review." not in p
    ]
    assert any("The article&#39;s own text." in (out / p).read_text("utf-8") for p in pages)
    assert build(inbox, "-o", out, "--format", "html") == 0  # and it stays so


def test_namesakes_in_one_run_get_distinct_names(tmp_path: Path) -> None:
    """a and b share a title; c and d are titled what a hashed name of a or b would be."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    hashes = {name: short_hash(f"../in/{name}.txt") for name in "ab"}
    for name, title in {"a": "Shared Title", "b": "Shared Title",
                        "c": f"Shared Title {hashes['a']}",
                        "d": f"Shared Title {hashes['b']}"}.items():  # fmt: skip
        article(inbox, f"{name}.txt", title, f"Article {name}.")
    assert build(inbox, "-o", out, "--format", "json") == 0
    made = leaflets(out)
    assert len(made) == 4
    bodies = {json.loads((out / m).read_text())["sections"][0]["paragraphs"][0] for m in made}
    assert bodies == {f"Article {name}." for name in "abcd"}
    assert build(inbox, "-o", out, "--format", "json") == 0
    assert leaflets(out) == made


def test_a_second_run_into_the_same_folder_stops_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(files, "LOCK_WAIT", 0.3)
    with (out / files.LOCK_NAME).open("w") as other_run:
        fcntl.flock(other_run, fcntl.LOCK_EX)
        assert build(article(tmp_path, "a.txt", "Alpha"), "-o", out) == 1
    assert "another leaflet run is writing to this folder" in capsys.readouterr().err
    assert leaflets(out) == []


def test_clean_of_a_txt_and_a_md_with_one_name_keeps_both_changes(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Tіtle one")  # a Cyrillic і: one change
    article(inbox, "a.md", "Title two", "No damage.")
    assert main(["clean", str(inbox), "-o", str(out), "-j", "1"]) == 0
    changes = sorted(out.glob("*.changes.json"))
    assert len(changes) == 2
    counts = sorted(len(json.loads(p.read_text())["changes"]) for p in changes)
    assert counts == [0, 1]
    for path in changes:  # each changes file sits beside its own cleaned text
        text = next(out.glob(path.name.removesuffix(".changes.json") + ".[tm]*"))
        assert ("one" in text.read_text()) == (len(json.loads(path.read_text())["changes"]) == 1)


READERS = ROOT / "tests" / "data" / "readers"
CLEANED_AS = [  # an input, and the file its cleaned text is written to
    ("a.docx", "a.md"),
    ("a.md", "a-{hash}.md"),  # a namesake of a.docx's: the second in path order
    ("b.html", "b.md"),
    ("c.htm", "c.md"),
    ("d.txt", "d.txt"),
    ("e.markdown", "e.markdown"),
]


def test_clean_writes_a_web_page_or_word_document_as_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for name, _ in CLEANED_AS:
        suffix = name.rsplit(".", 1)[1]
        given = READERS / f"botox-beyond-beauty.{'html' if suffix == 'htm' else suffix}"
        (inbox / name).write_bytes(given.read_bytes() if given.exists() else SAMPLE.read_bytes())
    assert main(["clean", str(inbox), "-o", str(out), "-j", "1"]) == 0
    made = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    for name, cleaned in CLEANED_AS:
        target = out / cleaned.format(hash=short_hash(f"../in/{name}"))
        assert target.with_suffix(".changes.json").name in made
        capsys.readouterr()
        assert main(["clean", str(inbox / name)]) == 0  # the text `clean FILE` prints
        assert target.read_text("utf-8") == capsys.readouterr().out
    assert sorted(made) == sorted(
        [cleaned.format(hash=short_hash(f"../in/{name}")) for name, cleaned in CLEANED_AS]
        + [cleaned.format(hash=short_hash(f"../in/{name}")).rsplit(".", 1)[0] + ".changes.json"
           for name, cleaned in CLEANED_AS]
        + ["index.html", "report.csv"]
    )  # fmt: skip


def test_a_changed_source_date_epoch_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Alpha")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 1 January 2025
    build(inbox, "-o", out, "--format", "html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026
    capsys.readouterr()
    build(inbox, "-o", out, "--format", "html")
    assert "built 1, skipped 0" in capsys.readouterr().out
    page = (out / "alpha.html").read_text("utf-8")  # rebuilt, with its first date kept
    assert '<time datetime="2025-01-01">' in page and '<time datetime="2026-01-01">' in page


@pytest.mark.parametrize("damage", ["empty", "truncated"])
def test_an_emptied_or_truncated_output_is_rebuilt(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Alpha")
    build(inbox, "-o", out, "--format", "json")
    whole = (out / "alpha.json").read_bytes()
    (out / "alpha.json").write_bytes(b"" if damage == "empty" else whole[:100])
    capsys.readouterr()
    build(inbox, "-o", out, "--format", "json")
    assert "built 1, skipped 0" in capsys.readouterr().out
    assert (out / "alpha.json").read_bytes() == whole


def test_a_disk_full_while_writing_leaves_the_old_outputs_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    source = article(inbox, "a.txt", "Alpha", "First version.")
    build(inbox, "-o", out)
    before = {p.name: p.read_bytes() for p in out.glob("alpha.*")}
    source.write_text("Alpha\n\nSecond version.\n", "utf-8")
    real_fsync, calls = os.fsync, [0]

    def fsync_then_full(fd: int) -> None:
        calls[0] += 1
        if calls[0] == 3:  # the third output of the article
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_then_full)
    assert build(inbox, "-o", out) == 1
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert {p.name: p.read_bytes() for p in out.glob("alpha.*")} == before
    assert not list(out.rglob("*.part"))
    assert build(inbox, "-o", out) == 0
    assert b"Second version." in (out / "alpha.json").read_bytes()


def test_one_format_after_a_full_build_keeps_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Alpha")
    build(inbox, "-o", out)
    made = sorted(p.name for p in out.glob("alpha.*"))
    assert made == ["alpha.html", "alpha.json", "alpha.pdf", "alpha.review.html"]
    build(inbox, "-o", out, "--format", "pdf")
    assert sorted(p.name for p in out.glob("alpha.*")) == made
    capsys.readouterr()
    build(inbox, "-o", out)
    assert "built 0, skipped 1" in capsys.readouterr().out


# ---------------------------------------------------------------- crashes and hangs


def test_file_names_that_are_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (inbox / name).write_text("Caf\u00e9 Article\n\nIt is good.\n", "utf-8")
    assert build(inbox, "-o", out, "--format", "json,html") == 0
    assert build(inbox, "-o", out, "--format", "json,html") == 0
    err = capsys.readouterr().err
    assert "caf\\xe9.txt" in err and "Traceback" not in err
    report = (out / "report.csv").read_text("utf-8")
    assert "caf\\xe9.txt" in report
    assert json.loads((out / "cafe-article.json").read_text("utf-8"))["source"].endswith(
        "caf\\xe9.txt"
    )
    assert main(["clean", str(inbox), "-o", str(tmp_path / "cleaned"), "-j", "1"]) == 0
    assert (tmp_path / "cleaned" / name).exists()


def test_symlink_loops_and_broken_links_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Alpha")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    (inbox / "broken.md").symlink_to(inbox / "nowhere.md")
    (inbox / "sub").mkdir()
    (inbox / "sub" / "up").symlink_to(inbox)  # a folder loop
    assert build(inbox, "-o", out, "--format", "json") == 1
    captured = capsys.readouterr()
    assert "loop.txt: is a link that leads back to itself" in captured.err
    assert "broken.md: is a link to" in captured.err
    assert "up: not an article (a link to a folder already read)" in captured.err
    assert "Traceback" not in captured.err
    assert "built 1, skipped 0, failed 2" in captured.out
    assert build(inbox / "loop.txt", "-o", out) == 1
    assert "leads back to itself" in capsys.readouterr().err


LINKS = [  # a link's name, where it leads, what a batch says of it, and whether it fails
    ("loop.txt", "loop.txt", "loop.txt: is a link that leads back to itself (a loop)", True),
    ("broken.md", "nowhere.md", "broken.md: is a link to nowhere.md, which does not", True),
    ("loop", "loop", "loop: not an article (a link loop)", False),
    ("broken.rtf", "nowhere.rtf", "broken.rtf: not an article (a broken link)", False),
    ("good.txt", ".b.txt", "good.txt -> beta", False),
]  # fmt: skip


@pytest.mark.parametrize(("name", "target", "said", "fails"), LINKS)
def test_a_link_that_leads_nowhere_is_reported_as_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, target: str, said: str,
    fails: bool,
) -> None:
    inbox = tmp_path / "in"
    article(inbox, "a.txt", "Alpha")
    article(inbox, ".b.txt", "Beta")  # hidden: read only through the link
    (inbox / name).symlink_to(target)
    assert build(inbox, "-o", tmp_path / "out", "--format", "json") == int(fails)
    assert said in capsys.readouterr().err
    if name.endswith(".txt"):  # and named by itself, to clean
        assert main(["clean", str(inbox / name), "-o", os.devnull]) == int(fails)
        err = capsys.readouterr().err
        assert err.startswith(f"leaflet: {inbox / said}; fix") if fails else err == ""


def test_other_files_are_listed_and_an_unknown_file_by_name_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article(inbox, "a.txt", "Alpha")
    (inbox / "letter.rtf").write_text("{\\rtf1 Hello}")
    (inbox / "photo.png").write_bytes(b"\x89PNG\r\n")
    assert build(inbox, "-o", out, "--format", "json") == 0
    captured = capsys.readouterr()
    assert "letter.rtf: not an article (application/rtf)" in captured.err
    assert "photo.png: not an article (image/png)" in captured.err
    assert captured.out.rstrip().endswith("2 files not an article")
    rows = {r["source"]: r["status"] for r in csv.DictReader((out / "report.csv").open())}
    assert rows[str(inbox / "photo.png")] == "not an article"
    for command in (["build", str(inbox / "letter.rtf"), "-o", str(out)],
                    ["clean", str(inbox / "letter.rtf")]):  # fmt: skip
        assert main(command) == 1
        err = capsys.readouterr().err
        assert "letter.rtf: is not an article leaflet reads (application/rtf)" in err


COMMANDS = {
    "build by name": ["build", "{fifo}", "-o", "{out}"],
    "build in a folder": ["build", "{folder}", "-o", "{out}"],
    "clean by name": ["clean", "{fifo}"],
    "clean in a folder": ["clean", "{folder}", "-o", "{out}"],
    "explain": ["explain", "{fifo}"],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_fifo_is_one_line_and_never_hangs(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    names = {"fifo": fifo, "folder": folder, "out": tmp_path / "out"}
    args = [part.format(**names) for part in command]
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", *args, "-j", "1"] if args[0] != "explain"
        else [sys.executable, "-m", "pipeline", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{fifo}: is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["build", "clean"])
def test_max_size_refuses_a_large_article_before_reading_it(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = article(tmp_path / "in", "big.txt", "Big", "word " * 1000)
    args = [command, str(source), "--max-size", "2k"] + (
        ["-o", str(tmp_path / "out")] if command == "build" else []
    )
    assert main(args) == 1
    assert "is 5,006 bytes, over the limit of 2,000" in capsys.readouterr().err


def test_max_size_is_checked_as_a_size(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["clean", "-", "--max-size", "lots"])
    assert "'lots' is not a size" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["clean", "build", "stdin"])
def test_a_large_max_size_reads_only_what_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """The limit is a limit: 12 bytes read with --max-size 100G take 12 bytes of memory."""
    source = article(tmp_path / "in", "a.txt", "Alpha")
    out = tmp_path / "out"
    args = {"clean": ["clean", str(source), "-o", str(out)],
            "build": ["build", str(source), "-o", str(out), "--format", "json", "-j", "1"],
            "stdin": ["clean", "-", "-o", str(out)]}[command]  # fmt: skip
    with source.open("rb") as stdin:  # as a real standard input: buffered, over a file
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
        assert main([*args, "--max-size", "100G"]) == 0
    made = out if command != "build" else out / "alpha.json"
    assert "It helps." in made.read_text("utf-8")


ENCODINGS = [  # a command, an --encoding, and what it says (nothing: it works)
    (["clean", "{a}"], "undefined", "unknown encoding 'undefined'"),
    (["explain", "{a}"], "undefined", "unknown encoding 'undefined'"),
    (["build", "{a}", "-o", "{out}", "--format", "json"], "undefined",
     "unknown encoding 'undefined'"),
    (["clean", "{a}"], "punycode", "unknown encoding 'punycode'"),
    (["clean", "{a}"], "idna", "unknown encoding 'idna'"),
    (["clean", "{a}"], "rot13", "unknown encoding 'rot13'"),
    (["clean", "{a}"], "cp1252", ""),
    (["build", "{a}", "-o", "{out}", "--format", "json"], "latin-1", ""),
]  # fmt: skip


@pytest.mark.parametrize(("command", "encoding", "message"), ENCODINGS)
def test_an_encoding_that_cannot_read_text_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], encoding: str,
    message: str,
) -> None:
    names = {"a": article(tmp_path, "a.txt", "Alpha"), "out": tmp_path / "out"}
    args = [part.format(**names) for part in command]
    status = main([*args, "--encoding", encoding] + (["-j", "1"] if args[0] == "build" else []))
    err = capsys.readouterr().err
    assert status == (1 if message else 0)
    assert (f"{names['a']}: {message}; use a text encoding" in err) == bool(message)
    assert "this is a bug" not in err


# ---------------------------------------------------------------- stopping


def _children(pid: int) -> set[int]:
    found = set()
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat_file.parent.name))
    return found


def _gone(pids: set[int], within: float = 60.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in pids):
            return True
        time.sleep(0.2)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


_BATCH = 120  # articles: more than a loaded machine builds while the test sends its signal


def _start_batch(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    inbox = tmp_path / "in"
    text = SAMPLE.read_text("utf-8")
    for n in range(_BATCH):
        article(inbox, f"a{n:03d}.txt", f"Article {n}", text)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", str(inbox), "-o", str(out), "-j", "2"],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    assert process.stderr is not None
    while b"built" not in process.stderr.readline():
        assert process.poll() is None
    return process, out


def _kill(pids: set[int]) -> None:
    """Whatever a failed test left running."""
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_die_with_their_parent_on_sigkill(tmp_path: Path) -> None:
    process, _ = _start_batch(tmp_path)
    workers = _children(process.pid)
    assert workers
    process.kill()
    process.wait()
    try:
        assert _gone(workers)
    finally:
        _kill(workers)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_stop_a_parallel_batch_at_once_and_cleanly(
    tmp_path: Path, stop: signal.Signals
) -> None:
    process, out = _start_batch(tmp_path)
    workers = _children(process.pid)
    process.send_signal(stop)
    try:
        assert process.wait(timeout=120) == 128 + stop
        assert _gone(workers)
    finally:
        _kill(workers)
    assert process.stderr is not None
    assert b"interrupted; finished outputs are kept" in process.stderr.read()
    assert len(list(out.glob("*.pdf"))) < _BATCH  # it stopped: the rest were never made
    assert not list(out.rglob("*.part"))
    entries = json.loads((out / RECORD).read_text())["entries"]
    assert 0 < len(entries) < _BATCH
    for entry in entries.values():
        for output in entry["outputs"].values():
            assert (out / output["file"]).stat().st_size == output["size"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path, jobs: str) -> None:
    """WeasyPrint writes the PDF's fonts into a folder of the system's temporary folder,
    removed only when its configuration is collected: workers, which end without that,
    left one of 1.7 MB behind on every build."""
    inbox, temporary = tmp_path / "in", tmp_path / "tmp"
    temporary.mkdir()
    for n in range(3):
        article(inbox, f"a{n}.txt", f"Article {n}", SAMPLE.read_text("utf-8"))
    env = {**os.environ, "TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "pipeline", "build", str(inbox), "-o", str(tmp_path / "out")]
    done = subprocess.run([*command, "-j", jobs], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3
    assert list(temporary.iterdir()) == []


def test_a_list_too_long_for_a_pdf_fails_in_one_line_and_builds_as_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """6,000 one-line list items are 100,000 characters, far under the character limit;
    WeasyPrint took minutes for ten times as many. Refused before layout, the batch goes
    on, and the message's advice works."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    items = "".join(f"- item {number}\n" for number in range(6000))
    (inbox / "list.md").write_text(f"# Steps\n\n{items}")
    article(inbox, "short.txt", "Aspirin", "Take one with food.")
    assert main(["build", str(inbox), "-o", str(out), "-j", "1"]) == 1
    shown = capsys.readouterr()
    assert f"failed   {inbox / 'list.md'}: has 6,000 headings, paragraphs, list items, " \
        "table rows, figures, abbreviations and sources, over the PDF limit of 5,000; split " \
        "the article, or build only --format json,html\n" \
        in shown.err
    assert shown.out.startswith("built 1, skipped 0, failed 1 in ")
    assert not list(out.glob("steps.*"))
    assert main(["build", str(inbox / "list.md"), "-o", str(out), "--format", "json,html"]) == 0
    assert sorted(p.name for p in out.glob("steps.*")) == [
        "steps.html", "steps.json", "steps.review.html"]  # fmt: skip
