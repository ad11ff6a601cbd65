"""Fixtures for the studio: a folder of articles, the app over HTTP, a real server, and
one browser (Debian's chromium) shared by the whole session."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from starlette.testclient import TestClient

from pipeline.studio.app import create_app
from pipeline.studio.articles import Studio
from pipeline.studio.command import running

ROOT = Path(__file__).parent.parent.parent
SAMPLE = ROOT / "raw" / "botox-beyond-beauty.txt"
DEV = ROOT / "tests" / "data" / "dev"
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 60_000  # ms: a ceiling for a busy 2-core machine, not a wait

expect.set_options(timeout=TIMEOUT)
AXE = ROOT / "pipeline" / "studio" / "static" / "vendor" / "axe-core" / "axe.min.js"


def make_folder(root: Path) -> Studio:
    """A studio over a folder with the sample and dev articles spun in each profile."""
    folder, output = root / "articles", root / "output"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    for path in sorted(DEV.glob("spun/*/*.txt")):
        shutil.copy(path, folder / f"{path.parent.name}-{path.name}")
    return Studio(folder, output, root / "leaflet.toml")


@pytest.fixture
def studio(tmp_path: Path) -> Studio:
    return make_folder(tmp_path)


@dataclass
class Client:
    """The app over HTTP (Starlette's TestClient), with the CSRF token of its pages."""

    http: TestClient
    studio: Studio

    @property
    def token(self) -> str:
        page = self.http.get("/").text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no CSRF token on the home page"
        return match.group(1)

    def paste(self, text: str, **extra: str) -> str:
        """Paste ``text`` on the home page; the address of its review."""
        data = {"csrf_token": self.token, "text": text, **extra}
        return self._made(self.http.post("/", data=data, follow_redirects=False))

    def upload(self, name: str, data: bytes) -> str:
        """Upload ``data`` as a file called ``name``; the address of its review."""
        files = {"file": (name, data, "application/x")}
        sent = {"csrf_token": self.token}
        return self._made(self.http.post("/", data=sent, files=files, follow_redirects=False))

    @staticmethod
    def _made(response: httpx.Response) -> str:
        assert response.status_code == 303, response.text
        return str(response.headers["location"])


@pytest.fixture
def client(studio: Studio) -> Iterator[Client]:
    with TestClient(create_app(studio, hosts=["testserver"])) as http:
        yield Client(http, studio)


# ---------------------------------------------------------------- a real server and browser


@dataclass(frozen=True)
class Server:
    url: str
    studio: Studio


def run_server(studio: Studio) -> Iterator[Server]:
    """The studio on a free port of 127.0.0.1 in a thread, stopped afterwards."""
    with running(create_app(studio)) as url:
        yield Server(url, studio)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from run_server(make_folder(tmp_path_factory.mktemp("studio")))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, launched once; never a browser download."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()
