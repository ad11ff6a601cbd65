"""The `leaflet` command as a user runs it: files, standard streams, exit codes, messages."""

from __future__ import annotations

import codecs
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest

from pipeline import replay

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "raw" / "botox-beyond-beauty.txt"
EXPECTED = ROOT / "tests" / "data" / "sample" / "botox-beyond-beauty.expected.txt"


def leaflet(
    *args: str, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        check=False,
    )


def test_clean_file_to_file_with_changes(tmp_path: Path) -> None:
    out, changes = tmp_path / "out.txt", tmp_path / "changes.json"
    result = leaflet("clean", str(SAMPLE), "-o", str(out), "--changes", str(changes))
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8") == EXPECTED.read_text("utf-8")
    plan = json.loads(changes.read_text("utf-8"))
    assert set(plan) == {"changes", "suspects"}
    assert {"stage", "rule", "start", "end", "before", "after"} <= set(plan["changes"][0])
    from pipeline.model import changes_from_json

    original = SAMPLE.read_text("utf-8")
    replayed = replay(original, changes_from_json(changes.read_text("utf-8")))
    assert replayed == out.read_text("utf-8")


def test_clean_stdin_to_stdout() -> None:
    result = leaflet("clean", "-", stdin="smoothin’ wrinklеs an’ finе linеs\n".encode())
    assert result.returncode == 0
    assert result.stdout.decode() == "smoothing wrinkles and fine lines\n"


SPUN = "Titlе\n\nIt hеlps.\n"  # a Cyrillic е: one change each
STREAMS = [  # -o, --changes, what standard output holds (or the error)
    ("a.out", "-", "changes", ""),
    ("a.out", "c.json", "", ""),
    ("-", "c.json", "text", ""),
    (None, "c.json", "text", ""),
    (None, "-", "", "--changes -: the cleaned text goes to standard output"),
    ("-", "-", "", "--changes -: the cleaned text goes to standard output"),
]


@pytest.mark.parametrize(("output", "changes", "stdout", "error"), STREAMS)
@pytest.mark.parametrize("source", ["a.txt", "-"])
def test_clean_writes_a_dash_to_standard_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    source: str,
    output: str | None,
    changes: str,
    stdout: str,
    error: str,
) -> None:
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(SPUN, "utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SPUN.encode())))
    args = ["clean", source, "--changes", changes] + (["-o", output] if output else [])
    assert main(args) == (1 if error else 0)
    captured = capsysbinary.readouterr()
    assert error.encode() in captured.err
    files = {p.name for p in tmp_path.iterdir()}
    assert "-" not in files
    written = {"text": b"Title\n\nIt helps.\n", "": b""}
    if stdout == "changes":
        assert len(json.loads(captured.out)["changes"]) == 2
    else:
        assert captured.out == written[stdout]
    if changes != "-" and not error:
        assert len(json.loads((tmp_path / changes).read_text())["changes"]) == 2
    assert ("a.out" in files) == (output == "a.out" and not error)


def test_clean_keeps_the_input_untouched(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())
    leaflet("clean", str(source), "-o", str(tmp_path / "b.txt"))
    assert source.read_bytes() == SAMPLE.read_bytes()


SKIPPED_HOMOGLYPHS = "Titlе\n\nIt hеlps an’ hеals an’ calms an’ soothеs and oftеn quickly.\n"


@pytest.mark.parametrize(
    ("skip", "expected"),
    [
        ((), "Title\n\nIt helps and heals and calms and soothes, often quickly.\n"),
        (
            ("--skip", "commas"),
            "Title\n\nIt helps and heals and calms and soothes and often quickly.\n",
        ),
        # without the look-alikes there is no evidence of a spinner: nothing else changes
        (("--skip", "homoglyphs"), SKIPPED_HOMOGLYPHS),
    ],
)
def test_skip_a_stage(skip: tuple[str, ...], expected: str) -> None:
    text = SKIPPED_HOMOGLYPHS
    assert leaflet("clean", "-", *skip, stdin=text.encode()).stdout.decode() == expected


def test_explain_groups_by_stage_with_counts() -> None:
    result = leaflet("explain", str(SAMPLE))
    text = result.stdout.decode()
    assert result.returncode == 0
    assert text.splitlines()[0] == f"{SAMPLE}: 475 changes"
    assert "homoglyphs    mixed-script       346" in text
    assert "contractions · an (39)" in text
    assert "“smoothin’” → “smoothing”" in text


@pytest.mark.parametrize("name", ["r\x1b[31mred.txt", "caf\udce9.txt", "invoice\u202etxt.exe.txt"])
def test_explain_shows_the_file_name_escaped(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main
    from pipeline.inputs import display

    (tmp_path / name).write_text("Alpha\n\nIt helps.\n", "utf-8")
    assert main(["explain", str(tmp_path / name)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{display(tmp_path / name)}: ")
    assert "\x1b" not in out and "\u202e" not in out and "\udce9" not in out


def test_explain_clean_text_says_so() -> None:
    result = leaflet("explain", "-", stdin=b"Nothing to do here.\n")
    assert "0 changes (the text was already clean)" in result.stdout.decode()


REVIEWED = "Smооthin’ hеlps an’ hеals.\n"  # three look-alikes, two contractions
# (what the review sidecar beside it rejects: None for no sidecar, "another" for one
#  saved for another text; the first line, the rejected lines, what is said on stderr)
EXPLAIN_REVIEWED = [
    (None, "5 changes", [], ""),
    (
        ("an’",),
        "4 changes, 1 rejected by an editor",
        ["      1:17  “an’” → “and”   contractions · an"],
        "",
    ),
    (
        ("an’", "Smoothin’"),
        "3 changes, 2 rejected by an editor",
        [
            "       1:1  “Smoothin’” → “Smoothing”   contractions · ing",
            "      1:17  “an’” → “and”   contractions · an",
        ],
        "",
    ),
    ("another", "5 changes", [], "was saved for another version of a.txt"),
]


@pytest.mark.parametrize(("rejects", "first", "rejected", "warned"), EXPLAIN_REVIEWED)
def test_explain_shows_what_an_editor_rejected_as_rejected(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rejects: tuple[str, ...] | str | None,
    first: str,
    rejected: list[str],
    warned: str,
) -> None:
    """It explains what ``clean`` and ``build`` make: the decisions applied."""
    from pipeline.cli import main
    from pipeline.review import Review, clean_reviewed, sidecar_path, text_digest

    article = tmp_path / "a.txt"
    article.write_text(REVIEWED, "utf-8")
    if rejects is not None:
        keys = [m.key for m in clean_reviewed(REVIEWED).marks if m.key.before in rejects]
        text = "Another text.\n" if rejects == "another" else REVIEWED
        sidecar_path(article).write_text(Review(text_digest(text), frozenset(keys)).to_json("a"))
    assert main(["explain", str(article)]) == 0
    shown, err = capsys.readouterr()
    lines = shown.splitlines()
    assert lines[0] == f"{article}: {first}"
    if rejected:
        start = lines.index(f"rejected by an editor, not made ({len(rejected)})")
        assert lines[start + 1 : start + 1 + len(rejected)] == rejected
    assert ("rejected by an editor" in shown) is bool(rejected)
    assert (warned in err) if warned else err == ""
    assert main(["clean", str(article)]) == 0  # what clean makes
    assert ("an’" in capsys.readouterr().out) is ("an’" in (rejects or ()))


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", (), "the file is empty"),
        (b"\x00\x01\x02binary", (), "binary file"),
        (bytes(range(128, 256)) * 3, (), "--encoding cp1252"),
    ],
)
def test_bad_input_is_one_line_exit_1_no_traceback(
    tmp_path: Path, content: bytes, args: tuple[str, ...], message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = leaflet("clean", str(bad), *args)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert err.startswith(f"leaflet: {bad}: ")
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1


def _with_meta_folder(tmp_path: Path) -> Path:
    """An article whose sign-off sidecar is a folder."""
    article = tmp_path / "in" / "a.txt"
    (tmp_path / "in" / "a.txt.meta.toml").mkdir(parents=True)
    article.write_text("Alpha\n\nIt helps.\n", "utf-8")
    return article


# (the command, run on an article whose sidecar is a folder: the file it names)
FOLDER_AT_A_FILE = {
    "explain the folder": (["explain", "{tmp}/in"], "{tmp}/in"),
    "clean the article": (["clean", "{tmp}/in/a.txt"], "{tmp}/in/a.txt.meta.toml"),
    "clean a batch": (["clean", "{tmp}/in", "-o", "{tmp}/out", "-j", "1"],
                      "{tmp}/in/a.txt.meta.toml"),
    "build": (["build", "{tmp}/in", "-o", "{tmp}/out", "--format", "json", "-j", "1"],
              "{tmp}/in/a.txt.meta.toml"),
}  # fmt: skip


@pytest.mark.parametrize(("args", "named"), FOLDER_AT_A_FILE.values(), ids=FOLDER_AT_A_FILE)
def test_a_folder_where_a_file_is_read_is_one_line_for_the_command_that_runs(
    tmp_path: Path, args: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    _with_meta_folder(tmp_path)
    assert main([a.format(tmp=tmp_path) for a in args]) == 1
    (line,) = [e for e in capsys.readouterr().err.splitlines() if "is a folder" in e]
    assert f"{named.format(tmp=tmp_path)}: is a folder" in line
    assert "leaflet build" not in line  # the advice is right whatever command runs


TOO_LONG = "x" * 300  # longer than any file name the system takes: not "no such file"
# (a command line naming a path the system refuses to look at ({long}: ENAMETOOLONG, as
#  a folder without search permission is EACCES), {a} an article, {tmp} a folder)
NOT_LOOKED_AT = {
    "clean an article": ["clean", "{long}.txt"],
    "clean a name with no suffix": ["clean", "{long}"],
    "clean a batch": ["clean", "{a}", "{long}.txt", "-o", "{tmp}/out", "-j", "1"],
    "clean a corpus file": ["clean", "{long}.jsonl", "-o", "{tmp}/out"],
    "clean a corpus pattern": ["clean", "{long}*.jsonl", "-o", "{tmp}/out"],
    "clean to a file": ["clean", "{a}", "-o", "{long}.txt"],
    "clean with --changes": ["clean", "{a}", "--changes", "{long}.json", "-o", "{tmp}/c.txt"],
    "clean a batch into it": ["clean", "{a}", "{a}", "-o", "{long}"],
    "build into it": ["build", "{a}", "-o", "{long}", "--format", "json", "-j", "1"],
    "serve it": ["serve", "{long}", "--port", "0"],
}


@pytest.mark.parametrize("args", NOT_LOOKED_AT.values(), ids=NOT_LOOKED_AT)
def test_a_path_the_system_will_not_look_at_is_one_line_never_a_traceback(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's Path.exists() and is_dir() raise for such a path, where os.path's say no."""
    from pipeline.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Alpha\n\nIt helps.\n", "utf-8")
    where = {"long": str(tmp_path / TOO_LONG), "a": str(article), "tmp": str(tmp_path)}
    assert main([arg.format(**where) for arg in args]) == 1
    said = [line for line in capsys.readouterr().err.splitlines() if TOO_LONG in line]
    assert len(said) == 1
    assert said[0].startswith(("leaflet: ", "failed   ")), said[0]
    assert "check its permissions" not in said[0]  # the name is the trouble, not rights
    assert not list(tmp_path.glob("x*"))  # nothing made of it


@pytest.mark.parametrize(
    ("name", "exists", "said"),
    [
        ("notes", False, "notes: no such file; check the path"),
        ("notes.txt", False, "notes.txt: no such file; check the path"),
        ("notes", True, "notes: is not an article leaflet reads (a file with no suffix)"),
    ],
)
def test_a_name_with_no_file_is_said_to_be_missing_whatever_its_suffix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    exists: bool,
    said: str,
) -> None:
    """Not "a file with no suffix" for a name that names no file at all."""
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    if exists:
        (tmp_path / name).write_text("Alpha\n\nIt helps.\n")
    assert main(["clean", name]) == 1
    assert capsys.readouterr().err.startswith(f"leaflet: {said}")


# (the command line, and the one line it says, exit status 2 as argparse's errors)
BAD_VALUES = {
    "clean -j 0": (["clean", "a.txt", "-j", "0"],
                   "leaflet: -j/--jobs: must be a whole number of at least 1 (got '0')"),
    "build --jobs -1": (["build", "a.txt", "-o", "out", "--jobs=-1"],
                        "leaflet: -j/--jobs: must be a whole number of at least 1 (got '-1')"),
    "clean -j two": (["clean", "in", "-o", "out", "-j", "two"],
                     "leaflet: -j/--jobs: must be a whole number of at least 1 (got 'two')"),
    "a stage that is not one": (["clean", "a.txt", "--skip", "nope"],
                                "leaflet: --skip: invalid choice: 'nope' (choose from "
                                "'encoding', 'unicode', 'homoglyphs', 'contractions', 'commas')"),
    "a size that is not one": (["build", "a.txt", "-o", "out", "--max-size", "1e6"],
                               "leaflet: --max-size: '1e6' is not a size; write it as 4M, 4MB, "
                               "64KiB or a number of bytes"),
    # a value written as --, which argparse took away, handing over an empty list
    "--max-size=--": (["clean", "a.txt", "--max-size=--"],
                      "leaflet: --max-size: '--' is not a size; write it as 4M, 4MB, 64KiB or "
                      "a number of bytes"),
    "-j=--": (["build", "a.txt", "-o", "out", "-j=--"],
              "leaflet: -j/--jobs: must be a whole number of at least 1 (got '--')"),
    "--paper=--": (["build", "a.txt", "-o", "out", "--paper=--"],
                   "leaflet: --paper: invalid choice: '--' (choose from 'A4', 'A5', 'letter')"),
    "--port=--": (["serve", "--port=--"],
                  "leaflet: --port: must be a port, a number such as 8001 (got '--')"),
}  # fmt: skip


LONG = "9" * 5000  # a value pasted by mistake, or an attack on the terminal's scrollback
SHOWN = f"'{LONG[:40]}…' (5,000 characters)"
BAD_VALUES |= {
    "a 5,000-digit -j": (["clean", "a.txt", "-j", LONG],
                         f"leaflet: -j/--jobs: must be a whole number of at least 1 (got {SHOWN})"),
    "a 5,000-digit --port": (["serve", "--port", LONG],
                             "leaflet: --port: must be a port, a number such as 8001 "
                             f"(got {SHOWN})"),
    "a 5,000-letter choice": (["build", "a.txt", "-o", "out", "--paper", LONG],
                              f"leaflet: --paper: invalid choice: {SHOWN} (choose from 'A4', "
                              "'A5', 'letter')"),
    "a 5,000-digit size": (["clean", "a.txt", "--max-size", "1" + LONG],
                           f"leaflet: --max-size: '1{LONG[:39]}…' (5,001 characters) is over the "
                           "largest size, 1000GB; give a smaller size"),
    "a port that is not a number": (["serve", "--port", "http"],
                                    "leaflet: --port: must be a port, a number such as 8001 "
                                    "(got 'http')"),
}  # fmt: skip


@pytest.mark.parametrize(("args", "said"), BAD_VALUES.values(), ids=BAD_VALUES)
def test_a_bad_option_value_is_one_line(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    assert capsys.readouterr().err == said + "\n"


# (a command line with {v} for a value of 5,000 characters, and its exit status)
ECHOED = [
    (["clean", "a.txt", "--skip", "{v}"], 2),
    (["clean", "a.txt", "--part-size", "{v}"], 2),
    (["clean", "a.txt", "--engine", "{v}"], 2),
    (["clean", "a.txt", "--bogus={v}"], 2),
    (["{v}", "a.txt"], 2),
    (["build", "a.txt", "-o", "out", "--format", "{v}"], 1),
    (["build", "a.txt", "-o", "out", "--variants", "{v}"], 1),
    (["clean", "a.txt", "--encoding", "{v}"], 1),
    (["explain", "a.txt", "--encoding", "{v}"], 1),
]


@pytest.mark.parametrize(("args", "status"), ECHOED, ids=[" ".join(a) for a, _ in ECHOED])
def test_a_long_value_is_repeated_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    args: list[str], status: int,
) -> None:  # fmt: skip
    """Every option's value a message repeats is repeated as :func:`pipeline.errors.echo`
    repeats it: one short line, saying how long it was."""
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Alpha\n\nIt helps.\n")
    value = "z" * 5000
    try:
        code = main([arg.format(v=value) for arg in args])
    except SystemExit as stop:
        code = stop.code  # type: ignore[assignment]
    assert code == status
    said = capsys.readouterr().err.splitlines()[-1]
    assert re.search(r"\(5,0\d\d characters\)", said), said  # the value, or the argument
    assert "z" * 41 not in said and len(said) < 300


# (the command line, the usage it is said under, and how the message ends)
UNDER_USAGE = {
    "no input": (["clean"], "usage: leaflet clean ", "required: INPUT\n"),
    "a value not given": (["clean", "a.txt", "-j"], "usage: leaflet clean ",
                          "argument -j/--jobs: expected one argument\n"),
    "a command that is not one": (["buidl", "raw"], "usage: leaflet ",
                                  "'explain', 'build', 'serve')\n"),
    # an argument that drives the terminal (a newline, ESC): shown, not sent
    "an unknown argument with control characters": (
        ["clean", "a.txt", "--bo\x1b[2Jgus\nx"], "usage: leaflet ",
        "unrecognized arguments: --bo\\x1b[2Jgus\\nx\n"),
    "unknown arguments with control characters": (
        ["clean", "a.txt", "-q", "\x1b]0;pwned\x07"], "usage: leaflet ",
        "unrecognized arguments: -q \\x1b]0;pwned\\x07\n"),
}  # fmt: skip


@pytest.mark.parametrize(("args", "usage", "ending"), UNDER_USAGE.values(), ids=UNDER_USAGE)
def test_what_is_missing_or_unknown_is_still_said_under_the_usage(
    args: list[str], usage: str, ending: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage) and err.endswith(ending)


STDIN_ALONE = "give one article on standard input alone (leaflet clean -), or name the files"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["clean", "-", "{tmp}"], "-: standard input cannot be part of a batch"),
        (["clean", "{tmp}/a.txt", "-", "-o", "{tmp}/out"],
         "-: standard input cannot be part of a batch"),
        (["clean", "-", "{tmp}/c.jsonl", "-o", "{tmp}/out"],
         "-: standard input cannot be part of a batch"),
        (["build", "-", "-o", "{tmp}/out"], "-: leaflet build reads files, not standard input"),
        (["build", "{tmp}", "-", "-o", "{tmp}/out"],
         "-: leaflet build reads files, not standard input"),
    ],
)  # fmt: skip
def test_standard_input_is_one_article_alone(
    tmp_path: Path, args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    (tmp_path / "a.txt").write_text("Alpha\n\nIt helps.\n", "utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "Some text."}\n', "utf-8")
    assert main([a.format(tmp=tmp_path) for a in args]) == 1
    assert capsys.readouterr().err == f"leaflet: {said}; {STDIN_ALONE}\n"
    assert not (tmp_path / "out").exists()


def test_encoding_option_reads_cp1252(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes("café\n".encode("cp1252"))
    result = leaflet("clean", str(source), "--encoding", "cp1252")
    assert result.stdout.decode() == "café\n"


def test_missing_file() -> None:
    result = leaflet("clean", "no/such/file.txt")
    assert result.returncode == 1
    assert "no such file" in result.stderr.decode()


def test_build_with_a_model_that_is_not_installed(tmp_path: Path) -> None:
    result = leaflet("build", str(SAMPLE), "-o", str(tmp_path), "--model", "xx_no_such_model")
    err = result.stderr.decode()
    assert result.returncode == 1
    assert err.startswith("leaflet: --model xx_no_such_model: no such spaCy pipeline")
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("option", ["-o", "--changes"])
def test_clean_refuses_to_overwrite_its_input(tmp_path: Path, option: str) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())
    result = leaflet("clean", str(source), option, str(source))
    assert result.returncode == 1
    assert "is the input itself" in result.stderr.decode()
    assert source.read_bytes() == SAMPLE.read_bytes()


def test_clean_windows_text_comes_out_byte_for_byte(tmp_path: Path) -> None:
    original = (ROOT / "tests" / "data" / "prose" / "license-BSD.txt").read_bytes()
    windows = codecs.BOM_UTF8 + original.replace(b"\n", b"\r\n")
    source, out = tmp_path / "w.txt", tmp_path / "o.txt"
    source.write_bytes(windows)
    assert leaflet("clean", str(source), "-o", str(out)).returncode == 0
    assert out.read_bytes() == windows


def test_clean_windows_spun_text_keeps_its_line_endings(tmp_path: Path) -> None:
    source, out = tmp_path / "w.txt", tmp_path / "o.txt"
    source.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    leaflet("clean", str(source), "-o", str(out))
    assert out.read_bytes() == EXPECTED.read_bytes().replace(b"\n", b"\r\n")


# ---------------------------------------------------------------- what each mode of clean takes

MODE_INPUTS = {  # one input of each mode: {tmp}/in holds a.txt, {tmp}/c.jsonl is a corpus
    "article": ["{tmp}/in/a.txt"],
    "batch": ["{tmp}/in"],
    "corpus": ["{tmp}/c.jsonl"],
}
GIVEN = {  # each option of `leaflet clean` with a value other than its default
    "--changes": ["--changes", "{tmp}/c.json"],
    "--jobs": ["-j", "2"],
    "--force": ["--force"],
    "--encoding": ["--encoding", "cp1252"],
    "--skip": ["--skip", "commas"],
    "--max-size": ["--max-size", "1M"],
    "--text-field": ["--text-field", "body"],
    "--id-field": ["--id-field", "id"],
    "--with-changes": ["--with-changes"],
    "--max-record-size": ["--max-record-size", "1M"],
    "--part-size": ["--part-size", "40KB"],
    "--engine": ["--engine", "dask"],
    "--scheduler": ["--scheduler", "tcp://127.0.0.1:1"],
    "--resume": ["--resume"],
}
REFUSED = {  # option: refused by (article, batch, corpus)
    "--changes": (False, True, True),
    "--jobs": (False, False, False),
    "--force": (False, False, True),
    "--encoding": (False, False, True),
    "--skip": (False, False, False),
    "--max-size": (False, False, True),
    "--text-field": (True, True, False),
    "--id-field": (True, True, False),
    "--with-changes": (True, True, False),
    "--max-record-size": (True, True, False),
    "--part-size": (True, True, False),
    "--engine": (True, True, False),
    "--scheduler": (True, True, False),
    "--resume": (True, True, False),
}
MODE_ROWS = [
    (option, mode, refused)
    for option, by_mode in REFUSED.items()
    for mode, refused in zip(MODE_INPUTS, by_mode, strict=True)
]


def _clean_args(tmp_path: Path, mode: str, extra: list[str]) -> list[str]:
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "a.txt").write_text("Title\n\nSome text.\n", "utf-8")
    given = [*MODE_INPUTS[mode], "-o", "{tmp}/out", *extra]
    return ["clean", *(a.format(tmp=tmp_path) for a in given)]


@pytest.mark.parametrize(
    ("inputs", "mode"),
    [
        (["{tmp}/a.txt"], "article"),
        (["-"], "article"),
        (["{tmp}/missing.txt"], "article"),  # the article's own message says it is missing
        (["{tmp}"], "batch"),
        (["{tmp}/a.txt", "{tmp}/a.txt"], "batch"),
        (["{tmp}/c.jsonl"], "corpus"),
        (["{tmp}/c.parquet", "{tmp}/a.txt"], "corpus"),
        (["{tmp}/*.jsonl"], "corpus"),
    ],
)
def test_clean_mode_is_told_by_the_inputs(tmp_path: Path, inputs: list[str], mode: str) -> None:
    from pipeline.cli import clean_mode

    (tmp_path / "a.txt").write_text("Title\n", "utf-8")
    assert clean_mode([i.format(tmp=tmp_path) for i in inputs]) == mode


def test_the_table_names_every_option_of_clean(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    from pipeline.cli import TAKEN_BY, _parse, _parser

    with pytest.raises(SystemExit):
        _parse(_parser(), ["clean", "--help"])
    options = set(re.findall(r"(--[a-z][a-z-]+)", capsys.readouterr().out)) - {"--help"}
    assert options - {"--output"} == set(GIVEN) == set(REFUSED)
    assert set(TAKEN_BY) == {o for o, by_mode in REFUSED.items() if any(by_mode)}


@pytest.mark.parametrize(("option", "mode", "refused"), MODE_ROWS)
def test_each_mode_of_clean_refuses_the_options_it_does_not_take(
    tmp_path: Path, option: str, mode: Literal["article", "batch", "corpus"], refused: bool
) -> None:
    from pipeline.cli import MODES, _parse, _parser, clean_mode, refuse_options
    from pipeline.errors import InputError

    args = _parse(_parser(), _clean_args(tmp_path, mode, GIVEN[option]))
    assert clean_mode(args.inputs) == mode
    if not refused:
        refuse_options(args, mode)
        return
    with pytest.raises(InputError) as error:
        refuse_options(args, mode)
    message = str(error.value)
    assert message.startswith(f"{option}: not for {MODES[mode]}; ")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("mode", "extra"),
    [
        ("corpus", ["--max-size", "20M"]),  # an option given its default changes nothing
        ("batch", ["--engine", "local", "--text-field", "text"]),
        ("article", ["--max-record-size", "4MB"]),
    ],
)
def test_an_option_given_its_default_is_not_refused(
    tmp_path: Path, mode: Literal["article", "batch", "corpus"], extra: list[str]
) -> None:
    from pipeline.cli import _parse, _parser, refuse_options

    refuse_options(_parse(_parser(), _clean_args(tmp_path, mode, extra)), mode)


@pytest.mark.parametrize(
    ("mode", "extra", "message"),
    [
        ("batch", ["--changes", "{tmp}/c.json"],
         "leaflet: --changes: not for a folder or several inputs; the changes are already "
         "written beside each cleaned article as <name>.changes.json, so drop --changes"),
        ("article", ["--resume"],
         "leaflet: --resume: not for a single article; it is only for a corpus; drop it"),
        ("corpus", ["--force"],
         "leaflet: --force: not for a corpus; to start again, choose another output folder"),
        ("batch", ["--engine", "dask"],
         "leaflet: --engine: not for a folder or several inputs; it is only for a corpus; "
         "drop it"),
        ("article", ["--with-changes"],
         "leaflet: --with-changes: not for a single article; for a single article, "
         "--changes FILE writes them"),
        ("corpus", ["--max-size", "1M"],
         "leaflet: --max-size: not for a corpus; for a corpus, --max-record-size limits "
         "each text"),
    ],
)  # fmt: skip
def test_a_refused_option_is_one_line_exit_1_and_nothing_written(
    tmp_path: Path, mode: str, extra: list[str], message: str
) -> None:
    (tmp_path / "c.jsonl").write_text('{"text": "Some tеxt."}\n', "utf-8")
    result = leaflet(*_clean_args(tmp_path, mode, [e.format(tmp=tmp_path) for e in extra]))
    assert result.returncode == 1
    assert result.stderr.decode("utf-8") == message + "\n"
    assert result.stdout == b""
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "c.jsonl", "in", "in/a.txt"
    ]  # fmt: skip
