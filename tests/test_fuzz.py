"""Random bytes, random Unicode and random Markdown thrown at ``leaflet build`` and
``leaflet clean`` through the command line.

Whatever the input: the exit status is 0 or 1; every line on standard error is a
report or a one-line message, never a traceback and never a bug; nothing is written
outside the output folder; the inputs are unchanged.

The suite runs a few hundred articles in-process (``pipeline.cli.main``, for speed) and a
handful as real subprocesses; ``make fuzz`` runs many more (``LEAFLET_FUZZ_EXAMPLES``,
with a fresh random seed each time).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLES = int(os.environ.get("LEAFLET_FUZZ_EXAMPLES", "40"))
FRESH_SEED = os.environ.get("LEAFLET_FUZZ_SEED") == "random"
REPORT_STARTS = ("built    ", "skipped  ", "failed   ", "other    ", "leaflet: ")

MARKDOWN_PIECES = [
    "# ", "## ", "###### ", "\n", "\n\n", "- ", "* ", "1. ", "3) ", "```", "`", "``", "**",
    "_", "[link](https://example.org)", "![alt](picture.png)", "> ", "| a | b |\n|---|---|\n",
    "---\ntitle: Front\nauthor: X\n---\n", "<script>alert(1)</script>", "<h1>Tag</h1>",
    "&amp;", "&#x202e;", "\u202e05\u202c", "е", "Ꭺ", "ａ", "an’", "smoothin’", " and ",
    "\r\n", "\r", "\ufeff", "\t", "\x00", "\u200d", "\u00ad", "Risks", "Side effects:",
    "OAB (overactive bladder)", "Take 50 mg.", "=1+1", "@SUM(A1)", "é", "☃", "\U0001f600",
    "{{ x }}", "{% if %}", "</style>", "\\", "%PDF", "(((", ">>>", "###",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=20), max_size=60).map("".join),
)
payloads = st.one_of(
    st.binary(max_size=600),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(texts, st.sampled_from(["utf-16", "cp1252", "latin-1", "utf-8-sig"])).map(
        lambda pair: pair[0].encode(pair[1], "replace")
    ),
)
names = st.tuples(
    st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8),
    st.sampled_from([".txt", ".md", ".markdown", ".TXT", ".png", ""]),
    st.booleans(),
).map(lambda t: t[0] + ("\udce9" if t[2] else "") + t[1])
folders = st.dictionaries(names, payloads, min_size=4, max_size=12)
commands = st.sampled_from(
    [
        ["build", "--format", "json"],
        ["build", "--format", "json"],
        ["build", "--format", "json", "--encoding", "cp1252"],
        ["build", "--format", "json,html", "--skip", "commas"],
        ["clean"],
        ["clean", "--encoding", "rot13"],
    ]
)


def snapshot(folder: Path, leave_out: Path | None = None) -> dict[str, bytes]:
    """Every file under ``folder`` (but ``leave_out``) and its bytes."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if leave_out is not None and path.is_relative_to(leave_out):
            continue
        files[str(path.relative_to(folder))] = path.read_bytes() if path.is_file() else b"/"
    return files


def check_messages(err: str) -> None:
    for line in err.splitlines():
        assert line.startswith(REPORT_STARTS), line
        assert "Traceback" not in line and "this is a bug" not in line, line


def write_folder(root: Path, files: dict[str, bytes]) -> Path:
    inbox = root / "in"
    inbox.mkdir()
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    return inbox


def run_in_process(command: list[str], inbox: Path, out: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main([command[0], str(inbox), "-o", str(out), "-j", "1", *command[1:]])
    return status, err.getvalue()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not FRESH_SEED,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=folders, command=commands)
def test_any_folder_of_files(files: dict[str, bytes], command: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inbox = write_folder(root, files)
        out = root / "out"
        before = snapshot(root)
        cwd = os.getcwd()
        os.chdir(inbox)  # a stray relative write would land among the inputs
        try:
            status, err = run_in_process(command, inbox, out)
        finally:
            os.chdir(cwd)
        assert status in (0, 1), err
        check_messages(err)
        assert snapshot(root, leave_out=out) == before  # inputs unchanged, nothing added


SUBPROCESS_CASES = {
    "random bytes": {"a.txt": bytes(range(256)) * 3, "b.md": b"\xff\xfe\x00d\x00"},
    "random unicode": {"c.txt": "Tіtle ⟨\u202e⟩\n\n\x00\udcff?".encode("utf-8", "surrogatepass")},
    "markdown": {"d.md": "".join(MARKDOWN_PIECES).encode("utf-8")},
}


@pytest.mark.parametrize("files", SUBPROCESS_CASES.values(), ids=SUBPROCESS_CASES.keys())
def test_as_a_real_command(tmp_path: Path, files: dict[str, bytes]) -> None:
    inbox = write_folder(tmp_path, files)
    out = tmp_path / "out"
    before = snapshot(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", str(inbox), "-o", str(out), "-j", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    check_messages(result.stderr)
    assert snapshot(tmp_path, leave_out=out) == before
