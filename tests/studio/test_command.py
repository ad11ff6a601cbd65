"""``leaflet serve`` as a user runs it: the address, the page, Ctrl-C, clear errors."""

from __future__ import annotations

import html
import re
import signal
import socket
import subprocess
import sys
import urllib.error
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


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {}),  # the command line's defaults are the library's
        (["inbox", "--port", "0", "--host", "::1", "--config", "c.toml", "-o", "out"],
         {"folder": Path("inbox"), "port": 0, "host": "::1", "config_path": Path("c.toml"),
          "out_dir": Path("out")}),
        (["--max-size", "50M"], {"max_size": 50_000_000}),  # as every command reads it
        (["--max-size", "64KiB"], {"max_size": 65_536}),
    ],
)  # fmt: skip
def test_serve_settings_from_the_command_line(args: list[str], expected: dict[str, object]) -> None:
    from dataclasses import replace

    from pipeline.cli import _parse, _parser, serve_settings
    from pipeline.studio.command import ServeSettings

    settings = serve_settings(_parse(_parser(), ["serve", *args]))
    assert settings == replace(ServeSettings(), **expected)


def test_serve_is_a_library_call_with_its_own_message(tmp_path: Path) -> None:
    from pipeline.errors import InputError
    from pipeline.studio.command import ServeSettings, serve

    with pytest.raises(InputError, match=r"missing: is not a folder; give a folder of articles"):
        serve(ServeSettings(folder=tmp_path / "missing", out_dir=tmp_path / "out", port=0))
    assert not (tmp_path / "out").exists()


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback")
@pytest.mark.parametrize(
    ("host", "status"),
    [
        (None, 200),  # as a browser names the address: [::1]:port
        ("[::1]", 200),
        ("localhost", 200),
        ("evil.example", 400),  # a page elsewhere whose name leads here
        ("[::2]", 400),
    ],
)
def test_a_studio_on_the_ipv6_loopback_answers_its_own_address(
    tmp_path: Path, host: str | None, status: int
) -> None:
    from pipeline.studio.app import create_app
    from pipeline.studio.articles import Studio
    from pipeline.studio.command import running

    studio = Studio(None, tmp_path / "output", tmp_path / "leaflet.toml")
    with running(create_app(studio), host="::1") as url:
        assert re.fullmatch(r"http://\[::1\]:\d+", url)
        headers = {"Host": host} if host else {}
        request = urllib.request.Request(url + "/", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answered = response.status
        except urllib.error.HTTPError as error:
            answered = error.code
    assert answered == status


# (the studio's --max-size, what stands in its folder, what an upload of 4,000 bytes
#  gets; whether the folder's article opens)
LIMITS = [
    (None, 4_000, 303, True),  # the default, 10 MB
    ("4000", 4_000, 303, True),  # to the byte
    ("3999", 4_000, 413, False),
    ("20M", 12_000_000, 303, True),  # over the default, under the limit given
    ("3KB", 4_000, 413, False),
]


@pytest.mark.parametrize(("limit", "size", "upload", "opens"), LIMITS)
def test_serve_takes_articles_up_to_its_max_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    limit: str | None, size: int, upload: int, opens: bool,
) -> None:  # fmt: skip
    """The studio says ``--max-size`` raises its limit, and ``leaflet serve`` takes it."""
    from starlette.testclient import TestClient

    from pipeline.cli import _parse, _parser, serve_settings
    from pipeline.studio import command

    folder = tmp_path / "in"
    folder.mkdir()
    text = "Title\n\n" + "w" * (size - 8) + "\n"
    (folder / "a.txt").write_text(text)
    served: list[object] = []
    monkeypatch.setattr(command, "serve_app", lambda app, sock: served.append(app))
    args = [str(folder), "--port", "0", "-o", str(tmp_path / "out")]
    command.serve(serve_settings(_parse(_parser(), ["serve", *args, *(
        ["--max-size", limit] if limit else [])])))  # fmt: skip
    with TestClient(served[0], base_url="http://127.0.0.1") as http:  # type: ignore[arg-type]
        page = http.get("/folder").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/").text)
        assert token
        files = {"file": ("a.txt", text.encode()[:4_000], "text/plain")}
        sent = http.post("/", data={"csrf_token": token.group(1)}, files=files,
                         follow_redirects=False)  # fmt: skip
    assert sent.status_code == upload
    if upload == 413:
        assert "start the studio again with a larger `--max-size`." in html.unescape(sent.text)
    refused = "over the limit of" in page
    assert refused is not opens
    if refused:
        assert "raise the limit with --max-size" in page
