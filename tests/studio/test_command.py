"""``leaflet serve`` as a user runs it: the address, the page, Ctrl-C, clear errors."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.studio.conftest import SAMPLE


def _serve(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", *args],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_serve_prints_its_address_serves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "botox.txt").write_bytes(SAMPLE.read_bytes())
    process = _serve(str(folder), "--port", "0", cwd=tmp_path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(
            r"leaflet studio: (http://127\.0\.0\.1:\d+/)  \(Ctrl-C stops it\)\n", line
        )
        assert match, line
        with urllib.request.urlopen(match.group(1) + "folder", timeout=30) as response:
            assert "botox.txt" in response.read().decode("utf-8")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.strip().endswith("leaflet studio: stopped")
    assert "Traceback" not in err
    assert not (tmp_path / "output").exists()  # nothing written until something is made


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing"], "missing: is not a folder"),
        (["--port", "70000"], "--port 70000: is not a port"),
        (["--port", "{busy}"], "is in use; pick another with --port"),
    ],
)
def test_serve_refuses_clearly(tmp_path: Path, args: list[str], message: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = str(busy.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "serve", *(a.format(busy=port) for a in args)],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stderr.startswith("leaflet: ")
