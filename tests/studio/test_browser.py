"""The studio in a real browser: Debian's chromium driven by Playwright, one per session.

One server (a thread on a free port of 127.0.0.1) serves every test here; each test
works on its own article, so their decisions do not meet.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from pipeline.review import (
    ChangeKey,
    Review,
    clean_reviewed,
    review_beside,
    save_review,
    sidecar_path,
    text_digest,
)
from pipeline.studio.kept import keep_upload
from pipeline.studio.marking import token
from tests.studio.conftest import AXE, SAMPLE, Server

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOOK_ALIKES = re.compile("[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\uff00-\uffef\u200b-\u200f]")


def _words(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return _words(result.stdout.decode("utf-8"))


def _reject(page: Page, key: str) -> None:
    """Point at the change and press its Reject button; wait for the page to follow. The
    change is brought to the middle of the window first: near its bottom, the tip (below
    the change) would be scrolled to on clicking, and the pointer would leave the change."""
    cluster = page.locator(f'.cl:has(.chg[data-key="{key}"])').first
    cluster.evaluate("element => element.scrollIntoView({block: 'center'})")
    cluster.hover()
    page.locator(f'#review-form button[value="{key}"]').click()
    expect(page.locator(f'#review-form button[value="{key}"]')).to_contain_text("Restore")


def test_paste_review_reject_and_the_command_line_agrees(
    page: Page, server: Server, tmp_path: Path
) -> None:
    text = SAMPLE.read_text("utf-8")
    page.goto(server.url)
    page.get_by_label("Paste the article’s text").fill(text)
    page.get_by_label("A5").check()
    page.get_by_role("button", name="Make the leaflet").click()
    page.wait_for_url(re.compile(r"/review/pasted/\w+\.txt\?paper=A5$"))

    preview = page.frame_locator("#preview").locator("main")
    expect(preview).to_contain_text("celebrated for its cosmetic benefits")
    assert not LOOK_ALIKES.search(preview.inner_text())

    # Reject the first comma repair: its " and" comes back in the preview and the PDF.
    commas = [m for m in clean_reviewed(text).marks if m.key.stage == "commas"]
    reviewed = clean_reviewed(text, rejected={commas[0].key})
    mark = next(m for m in reviewed.marks if m.rejected)
    phrase = _words(reviewed.cleaned.text[mark.start - 10 : mark.end + 16])
    assert " and " in phrase
    _reject(page, token(commas[0]))
    expect(page.locator("#status")).to_have_text("Repair rejected. The leaflet is updated.")
    expect(page.frame_locator("#preview").locator("main")).to_contain_text(phrase)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    studio_pdf = tmp_path / "studio.pdf"
    download.value.save_as(studio_pdf)
    assert phrase in _pdf_text(studio_pdf)

    # Reloaded, the rejection is still there.
    page.reload()
    rejected = page.locator(f'.chg[data-key="{token(commas[0])}"]')
    expect(rejected).to_have_attribute("data-rejected", "true")

    # The command line builds the same article, with the same decisions, to the same text.
    (kept,) = server.studio.pasted.glob(f"{page.url.split('/')[-1].split('?')[0]}")
    assert review_beside(kept.read_text("utf-8"), kept).cleaned.text == reviewed.cleaned.text
    out = tmp_path / "built"
    command = [sys.executable, "-m", "pipeline", "build", str(kept), "-o", str(out)]
    subprocess.run([*command, "--format", "pdf", "--paper", "A5"], check=True, capture_output=True)
    (built,) = out.glob("*.pdf")
    assert _pdf_text(built) == _pdf_text(studio_pdf)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", b"%PDF-1.7\n", "scan.pdf: is not an article leaflet reads; choose a .txt"),
        ("notes.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "notes.txt: looks like a binary file"),
    ],
)
def test_a_bad_file_gets_a_clear_message(
    page: Page, server: Server, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(data)
    page.goto(server.url)
    page.get_by_label("Or choose a file").set_input_files(tmp_path / name)
    page.get_by_role("button", name="Make the leaflet").click()
    expect(page.locator("#file-error")).to_contain_text(message)
    expect(page.get_by_label("Or choose a file")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("The leaflet was not made")


def test_an_upload_is_called_and_downloaded_by_its_own_name(
    page: Page, server: Server, tmp_path: Path
) -> None:
    upload = tmp_path / "Heuschnupfen – was hilft.txt"
    upload.write_text("Heuschnupfen\n\nSmооth skin an’ clear eyes.\n", "utf-8")
    page.goto(server.url)
    page.get_by_label("Or choose a file").set_input_files(upload)
    page.get_by_role("button", name="Make the leaflet").click()
    page.wait_for_url(re.compile(r"/review/pasted/[0-9a-f]{16}\.txt"))
    expect(page.locator("h1")).to_have_text("Review Heuschnupfen – was hilft.txt")
    assert page.title() == "Review: Heuschnupfen – was hilft.txt · leaflet studio"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the web page (HTML)").click()
    assert download.value.suggested_filename == "Heuschnupfen – was hilft.html"
    page.goto(server.url)
    expect(page.locator(".kept")).to_contain_text("Heuschnupfen – was hilft.txt")


def test_the_folder_view_sorts_by_damage(page: Page, server: Server) -> None:
    page.goto(server.url + "/folder")
    page.get_by_role("link", name="Words", exact=True).click()  # sort by something else first
    page.get_by_role("link", name="Repairs per 1,000 words").click()
    header = page.locator("th", has_text="Repairs per 1,000 words")
    expect(header).to_have_attribute("aria-sort", "descending")
    damage = [float(x) for x in page.locator("td.damage").all_inner_texts()]
    assert len(damage) == 9 and damage == sorted(damage, reverse=True)
    assert damage[0] > damage[-1]
    page.get_by_role("link", name="Repairs per 1,000 words").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert [float(x) for x in page.locator("td.damage").all_inner_texts()] == sorted(damage)
    page.get_by_label("Title or file name has").fill("aspirin")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(4)
    page.locator("tbody a").first.click()
    expect(page.locator("h1")).to_contain_text("Aspirin")


def test_review_by_keyboard_alone(page: Page, server: Server) -> None:
    page.goto(server.url + "/review/folder/multi-05-lidocaine-more-than-numbing.txt")
    # Mark only the commas: untick the other stages with the keyboard, then show.
    page.keyboard.press("Tab")  # the skip link
    expect(page.locator(":focus")).to_have_text("Skip to the main content")
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if focused.get_attribute("name") == "show" and focused.get_attribute("value") != "commas":
            page.keyboard.press("Space")
        if focused.inner_text() == "Mark the ticked stages":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"show=commas"))
    # Tab to the first change's button: its tip shows; Enter rejects, focus stays.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.locator(":focus").get_attribute("name") == "reject":
            break
    button = page.locator(":focus")
    key = button.get_attribute("value")
    tip = page.locator(f'.tip:has(button[value="{key}"])')
    expect(tip).to_contain_text("Commas")
    assert tip.bounding_box()["width"] > 100  # type: ignore[index]
    page.keyboard.press("Escape")  # the tip can be put away, and the focus stays
    assert tip.bounding_box()["width"] <= 1  # type: ignore[index]
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_contain_text("Restore")
    expect(page.locator(f'.chg[data-key="{key}"]')).to_have_attribute("data-rejected", "true")
    page.keyboard.press("Enter")  # and restore it again
    expect(page.locator(":focus")).to_contain_text("Reject")
    expect(page.locator(f'.chg[data-key="{key}"]')).not_to_have_attribute("data-rejected", "true")


STALE = "/review/folder/invisible-05-lidocaine-more-than-numbing.txt"
PAGES = [
    ("home", "/", None),
    ("home with articles made before", "/", "upload"),
    ("review", "/review/folder/glyphs-only-01-aspirin-beyond-pain-relief.txt", ".cl"),
    ("review of an upload", "", "upload"),
    ("review of an upload, about to remove it", "", "remove"),
    ("home after a removal", "/?removed=1", None),
    ("review with a sidecar that does not fit", STALE, "stale"),
    ("folder", "/folder", None),
    ("settings", "/settings", None),
    ("settings with errors", "/settings", "error"),
    ("settings from a broken file", "/settings", "broken"),
    ("not found", "/review/folder/none.txt", None),
]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(("label", "path", "state"), PAGES, ids=[p[0] for p in PAGES])
def test_axe_finds_no_violations(
    browser: Browser, server: Server, label: str, path: str, state: str | None, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    made = _set_up(server, state)
    path = path or made
    if state == "broken":  # a stray key and a bad value: the problem, and errors beside fields
        server.studio.config_path.write_text('paper = "B5"\npapr = "A4"\n', "utf-8")
    try:
        page.goto(server.url + path)
        if state == "error":
            page.get_by_label("Website").fill("ftp://example.org")
            page.get_by_role("button", name="Save settings").click()
            expect(page.locator(".field-error")).to_have_count(1)
        elif state == "broken":
            expect(page.locator(".problem")).to_contain_text("Saving keeps papr as comments")
            expect(page.locator(".field-error")).to_have_count(1)
        elif state == "stale":
            expect(page.locator(".problem")).to_contain_text("are not applied; press")
        elif state == "remove":
            page.locator("details.remove summary").click()
            expect(page.get_by_role("button", name="Remove it")).to_be_visible()
        elif state and state != "upload":
            page.locator(state).first.hover()  # with a tip open
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
        violations = _axe(page)
        assert violations == [], f"{label} at {width} px: {violations}"
    finally:
        context.close()
        server.studio.config_path.unlink(missing_ok=True)
        sidecar_path(_article(server, STALE)).unlink(missing_ok=True)


def _set_up(server: Server, state: str | None) -> str:
    """What a page needs before it is opened; the address of the article uploaded, if any."""
    if state == "stale":
        stale = Review(text_digest("another text"), frozenset({ChangeKey(0, 1, "x", "y", "", "")}))
        save_review(_article(server, STALE), stale)
    if state not in ("upload", "remove"):
        return ""
    name = keep_upload(server.studio, "نشرة\n\nSmооth an’ clear.\n".encode(), "نشرة – a.txt")
    return f"/review/pasted/{name}"


def _article(server: Server, address: str) -> Path:
    return (server.studio.folder or Path()) / address.split("/")[-1]


def _axe(page: Page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false})", WCAG
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]


def test_axe_finds_no_violations_on_the_static_review_page(
    browser: Browser, tmp_path: Path
) -> None:
    from pipeline.studio.review_page import write_review_page

    path = tmp_path / "review.html"
    write_review_page(
        path, clean_reviewed(SAMPLE.read_text("utf-8")), title="Botox", source="b.txt"
    )
    context = browser.new_context(bypass_csp=True)  # to load axe into a page that allows none
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.locator(".cl").first.focus()
        assert page.locator(".cl .tip").first.bounding_box()["width"] > 100  # type: ignore[index]
        page.add_script_tag(path=AXE)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        assert [v["id"] for v in result["violations"]] == []
    finally:
        context.close()


def test_the_axe_check_does_catch_violations(browser: Browser) -> None:
    """The check above can fail: a page with an unlabelled field and no language."""
    page = browser.new_page()
    try:
        page.set_content("<html><body><main><input type='text'></main></body></html>")
        page.add_script_tag(path=AXE)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        assert {"html-has-lang", "label"} <= {v["id"] for v in result["violations"]}
    finally:
        page.close()
