"""Take the README's screenshots of the studio with Playwright and Debian's chromium.

    .venv/bin/python tools/studio_screenshots.py        # writes docs/studio-*.png

The studio runs on a copy of the sample and the spun dev articles in a temporary
folder, so nothing in the project is touched but the pictures.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from pipeline.studio.app import create_app
from pipeline.studio.articles import Studio
from pipeline.studio.command import running

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARTICLE = "/review/folder/botox-beyond-beauty.txt"


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        studio = _studio(Path(temporary))
        with running(create_app(studio)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            desktop = browser.new_page(viewport={"width": 1280, "height": 860})
            _review(desktop, url, DOCS / "studio-review.png")
            desktop.goto(url + "/folder")
            desktop.screenshot(path=DOCS / "studio-folder.png")
            phone = browser.new_page(viewport={"width": 375, "height": 740})
            _phone(phone, url, DOCS / "studio-review-phone.png")
            browser.close()
    print("wrote docs/studio-review.png, docs/studio-review-phone.png, docs/studio-folder.png")


def _studio(root: Path) -> Studio:
    folder = root / "articles"
    folder.mkdir()
    shutil.copy(ROOT / "raw" / "botox-beyond-beauty.txt", folder)
    for path in sorted((ROOT / "tests" / "data" / "dev" / "spun").glob("*/*.txt")):
        shutil.copy(path, folder / f"{path.parent.name}-{path.name}")
    return Studio(folder, root / "output", root / "leaflet.toml")


def _review(page: Page, url: str, path: Path) -> None:
    """The review beside the preview: one comma repair rejected, a look-alike's tip open."""
    page.goto(url + ARTICLE)
    comma = page.locator('.cl:has(.chg[data-stage="commas"])').nth(1)
    comma.hover()
    comma.locator("button").click()
    page.locator("#status").filter(has_text="rejected").wait_for()
    page.mouse.click(5, 5)  # put the rejected one's tip away
    page.locator("#text-title").scroll_into_view_if_needed()
    page.evaluate(
        "window.scrollBy(0, document.querySelector('#text-title').getBoundingClientRect().top - 10)"
    )
    page.locator('#p-7 .cl:has(.chg[data-stage="homoglyphs"])').nth(3).hover()
    page.screenshot(path=path)


def _phone(page: Page, url: str, path: Path) -> None:
    page.goto(url + ARTICLE)
    page.evaluate(
        "window.scrollBy(0, document.querySelector('#p-3').getBoundingClientRect().top - 10)"
    )
    page.locator('#p-3 .cl:has(.chg[data-stage="contractions"])').first.hover()
    page.screenshot(path=path)


if __name__ == "__main__":
    main()
