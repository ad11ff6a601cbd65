"""The studio over HTTP: pages, decisions, and what it refuses (Starlette's TestClient)."""

from __future__ import annotations

import asyncio
import html
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from starlette.testclient import TestClient

from pipeline import clean
from pipeline.config import load_config
from pipeline.read import KINDS, read_article
from pipeline.review import clean_reviewed, review_beside, sidecar_path
from pipeline.studio import articles
from pipeline.studio.app import create_app
from pipeline.studio.articles import Studio
from pipeline.studio.command import running
from pipeline.studio.marking import token
from tests.studio.conftest import ROOT, SAMPLE, Client
from tests.test_review import TWO_ROUNDS

READERS = ROOT / "tests" / "data" / "readers"

SCRIPT = "<script>alert(1)</script>"
NO_TEXT = "holds no text (only blank space or invisible characters)"


def _change_token(page: str, stage: str) -> str:
    match = re.search(rf'data-stage="{stage}" data-rule="[^"]+" data-key="([0-9a-f]+)"', page)
    assert match, f"no {stage} change on the page"
    return match.group(1)


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize(
    "path", ["/", "/folder", "/settings", "/review/folder/botox-beyond-beauty.txt"]
)
def test_pages_answer_with_a_strict_policy(client: Client, path: str) -> None:
    response = client.http.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert "http://" not in response.text.replace("http://www.w3.org", "")  # nothing fetched


# ---------------------------------------------------------------- methods

ROUTES = {  # every route, and the methods it answers
    "/": "GET, HEAD, POST",
    "/settings": "GET, HEAD, POST",
    "/review/folder/botox-beyond-beauty.txt": "GET, HEAD, POST",
    "/folder": "GET, HEAD",
    "/leaflet/folder/botox-beyond-beauty.txt?format=txt": "GET, HEAD",
    "/static/studio.css": "GET, HEAD",
}


def _asgi(app: Any, method: str, url: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """One request straight to the ASGI app: what it sends, before any server or client
    drops a HEAD's body."""
    path, _, query = url.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
        "headers": [(b"host", b"testserver"), (b"content-length", str(len(body)).encode()),
                    (b"content-type", b"application/x-www-form-urlencoded")],
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def run() -> None:
        requested, done = False, asyncio.Event()

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if requested:  # then the client is gone, once the response is complete
                await done.wait()
                return {"type": "http.disconnect"}
            requested = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await app(scope, receive, send)

    with ThreadPoolExecutor(1) as pool:  # a loop of its own, whatever else runs here
        pool.submit(asyncio.run, run()).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize("url", ROUTES)
def test_head_is_answered_as_get_without_a_body(studio: Studio, url: str) -> None:
    """A link checker's HEAD gets what a GET gets, headers only, and changes nothing, even
    with a form's fields in its body (it is never taken for the form's POST)."""
    app = create_app(studio, hosts=["testserver"])
    status, headers, body = _asgi(app, "GET", url)
    assert status == 200 and body
    form = f"text=Pasted&clinic.name=Evil&reject={'0' * 16}".encode()
    head_status, head_headers, head_body = _asgi(app, "HEAD", url, form)
    assert (head_status, head_body) == (200, b"")
    assert head_headers == headers  # its length and policy too
    assert not studio.pasted.exists() and not studio.config_path.exists()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
@pytest.mark.parametrize("url", ROUTES)
def test_other_methods_are_refused_with_the_ones_allowed(
    client: Client, url: str, method: str
) -> None:
    """Only a POST where a form posts reaches the token check (403 without it); any other
    method is a 405 saying which are allowed."""
    response = client.http.request(method, url, data={"text": "Pasted", "csrf_token": "x"})
    if method == "POST" and "POST" in ROUTES[url]:
        assert response.status_code == 403 and "nothing was changed" in response.text
    else:
        assert response.status_code == 405
        assert response.headers["allow"] == ROUTES[url]
        assert response.headers["content-security-policy"]  # the studio's page, as ever
    assert not client.studio.pasted.exists() and not client.studio.config_path.exists()


def test_the_leaflet_preview_runs_no_script(client: Client) -> None:
    response = client.http.get("/leaflet/folder/botox-beyond-beauty.txt?format=html")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "sandbox" in policy and "script-src" not in policy
    assert "<script" not in response.text


def test_paste_then_review_then_reject(client: Client) -> None:
    location = client.paste(SAMPLE.read_text("utf-8"), paper="A5", large_print="1")
    assert location.startswith("/review/pasted/") and location.endswith("?paper=A5&lp=1")
    page = client.http.get(location).text
    token = _change_token(page, "commas")
    kept = next(client.studio.pasted.glob("*.txt"))
    response = client.http.post(
        location, data={"csrf_token": client.token, "reject": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("?paper=A5&lp=1#p-3")  # where it stands
    sidecar = json.loads(sidecar_path(kept).read_text("utf-8"))
    assert [r["stage"] for r in sidecar["rejected"]] == ["commas"]
    page = client.http.get(location).text
    assert re.search(rf'data-key="{token}" data-rejected="true"', page)
    text = client.http.get(location.replace("/review/", "/leaflet/") + "&format=txt").text
    sample = SAMPLE.read_text("utf-8")
    assert text == review_beside(sample, kept).cleaned.text
    assert len(text) == len(clean(sample).text) + len(" and") - len(",")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Paste the article’s text here"),
        ({"text": "   \n"}, "Paste the article’s text here"),
        ({"text": "\u200b\u200b\u200b\n"}, f"pasted.txt: {NO_TEXT}"),
        ({"text": "\u00ad\u00ad\u2060"}, f"pasted.txt: {NO_TEXT}"),
        ({"text": "\ufeff \u2028\u0085"}, f"pasted.txt: {NO_TEXT}"),
    ],
)
def test_an_empty_paste_is_a_message_beside_the_field(
    client: Client, fields: dict[str, str], message: str
) -> None:
    response = client.http.post("/", data={"csrf_token": client.token, **fields})
    assert response.status_code == 400
    assert message in response.text and 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("zero-width.txt", "\u200b\u200b\u200b\n".encode()),
        ("bom.txt", b"\xef\xbb\xbf"),
        ("controls.txt", b"\x07\x07\n"),  # blank once cleaned: read, then refused
    ],
)
def test_an_article_of_the_folder_that_holds_no_text_says_so_on_its_pages(
    client: Client, name: str, data: bytes
) -> None:
    (client.studio.folder / name).write_bytes(data)
    said = f"{client.studio.folder / name}: {NO_TEXT}"
    review = client.http.get(f"/review/folder/{name}")
    assert review.status_code == 422 and said in html.unescape(review.text)
    listing = html.unescape(client.http.get("/folder").text)
    assert said in listing and "botox-beyond-beauty.txt" in listing  # the rest are listed


def test_an_article_too_long_for_a_pdf_says_what_a_studio_user_can_do(client: Client) -> None:
    """The command line's advice (``--format json,html``) is no use in the studio: it
    points to the web page, which is still there."""
    items = "".join(f"- step {n}\n" for n in range(5001))
    (client.studio.folder / "steps.md").write_text(f"# Steps\n\n{items}", "utf-8")
    pdf = client.http.get("/leaflet/folder/steps.md?format=pdf")
    shown = html.unescape(pdf.text)
    assert pdf.status_code == 422 and "over the PDF limit of 5,000" in shown
    assert "or print its web page instead" in shown and "--format" not in shown
    assert client.http.get("/leaflet/folder/steps.md?format=html").status_code == 200


def test_pasted_text_too_long_for_a_pdf_is_named_as_pasted(client: Client) -> None:
    """Not by the file the studio keeps it in (a probe's finding)."""
    review = client.paste("Steps\n\n" + "".join(f"Step {n} at https://a.org/{n} now.\n\n"
                                                 for n in range(1001)))
    pdf = client.http.get(review.replace("/review/", "/leaflet/", 1).rstrip("?") + "?format=pdf")
    shown = html.unescape(pdf.text)
    assert pdf.status_code == 422
    assert "pasted.txt: has 1,001 web and e-mail addresses" in shown
    assert str(client.studio.pasted) not in shown and "or print its web page instead" in shown


def test_pasted_text_that_holds_no_text_once_cleaned_says_so_on_its_page(client: Client) -> None:
    """Named as people know it (``pasted.txt``), never by the file the studio keeps it in."""
    review = client.http.get(client.paste("\x07\x07\n"))
    shown = html.unescape(review.text)
    assert review.status_code == 422 and f"pasted.txt: {NO_TEXT}" in shown
    assert str(client.studio.pasted) not in shown


def test_an_uploaded_file_that_holds_no_text_once_cleaned_is_named_as_uploaded(
    client: Client,
) -> None:
    review = client.http.get(client.upload("Controls.txt", b"\x07\x07\n"))
    shown = html.unescape(review.text)
    assert review.status_code == 422 and f"Controls.txt: {NO_TEXT}" in shown
    assert str(client.studio.pasted) not in shown


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x89PNG\r\n", "photo.png: is not an article leaflet reads"),
        ("notes.txt", b"\x89PNG\r\n\x00\x00", "notes.txt: looks like a binary file"),
        ("empty.md", b"", "empty.md: the file is empty"),
        ("blank.md", b"  \n\t\n", f"blank.md: {NO_TEXT}"),
        ("zero-width.txt", "\u200b\u200b\u200b\n".encode(), f"zero-width.txt: {NO_TEXT}"),
        ("soft-hyphens.md", "\u00ad\u00ad\u2060".encode(), f"soft-hyphens.md: {NO_TEXT}"),
        ("separators.txt", " \n\u2028\u0085\n".encode(), f"separators.txt: {NO_TEXT}"),
        ("bom.txt", b"\xef\xbb\xbf", f"bom.txt: {NO_TEXT}"),
        (
            "undetectable.txt",  # every byte from 0x80 up: no encoding can be told
            bytes(range(128, 256)) * 3,
            "undetectable.txt: is not UTF-8 and its encoding cannot be told for sure",
        ),
        ("fake.docx", b"PK\x03\x04 not a zip", "fake.docx:"),
        (
            "../../etc/notes.txt",
            b"\x89PNG\r\n\x00\x00",
            '<li><a href="#f-file">notes.txt: looks like',
        ),
        (f"{SCRIPT}.png", b"x", '<a href="#f-file">script&gt;.png: is not an article'),  # base name
        ("<img src=x onerror=alert(1)>.htm", b"<p>x", "&lt;img src=x onerror=alert(1)&gt;.htm:"),
    ],
)
def test_a_bad_upload_is_a_clear_message(
    client: Client, name: str, data: bytes, message: str
) -> None:
    response = client.http.post(
        "/", data={"csrf_token": client.token}, files={"file": (name, data, "text/plain")}
    )
    assert response.status_code == 400
    assert message in response.text
    assert SCRIPT not in response.text and "<img src=x" not in response.text
    assert not client.studio.pasted.exists() or not any(client.studio.pasted.iterdir())


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("botox.txt", SAMPLE.read_bytes()),
        ("botox.TXT", SAMPLE.read_text("utf-8").encode("cp1252", errors="replace")),
        ("botox.md", b"---\ntitle: Botox\n---\n" + SAMPLE.read_bytes()),
        ("botox.docx", (READERS / "botox-beyond-beauty.docx").read_bytes()),
        ("botox.htm", (READERS / "botox-beyond-beauty.html").read_bytes()),
    ],
)
def test_every_kind_is_uploaded_read_and_reviewed(client: Client, name: str, data: bytes) -> None:
    location = client.upload(name, data)
    assert re.fullmatch(rf"/review/pasted/[0-9a-f]{{16}}{Path(name).suffix.lower()}\?", location)
    kept = client.studio.pasted / location.split("/")[-1].rstrip("?")
    assert kept.read_bytes() == data  # kept as uploaded: `leaflet build` reads the same
    article = read_article(data, Path(name))
    reviewed = clean_reviewed(article.text)
    assert reviewed.marks, "the sample is spun: there is something to review"
    page = client.http.get(location).text
    keys = set(
        re.findall(r'class="chg[^"]*" data-stage="[^"]+" data-rule="[^"]+" data-key="(\w+)"', page)
    )
    assert keys == {token(m) for m in reviewed.marks}  # offsets into the reader's text
    leaflet = location.replace("/review/", "/leaflet/")
    text = client.http.get(leaflet + "format=txt").text
    assert text == article.layout.restore(reviewed.cleaned.text)
    # Rejecting a repair puts back what stood at its place in the reader's text.
    mark = next(m for m in reviewed.marks if m.key.stage == "commas")
    client.http.post(location, data={"csrf_token": client.token, "reject": token(mark)})
    again = clean_reviewed(article.text, rejected={mark.key}).cleaned.text
    assert client.http.get(leaflet + "format=txt").text == article.layout.restore(again)
    assert article.text[mark.key.start : mark.key.end] in again
    assert f'<bdi dir="ltr">{name}</bdi>' in client.http.get("/").text  # by name, not bytes


def test_rejecting_a_change_of_a_second_round_marks_the_text_it_keeps(client: Client) -> None:
    location = client.paste(TWO_ROUNDS)  # "𐋵𝙄" is read in the second round
    reviewed = clean_reviewed(TWO_ROUNDS + "\n")
    [mark] = [m for m in reviewed.marks if m.key.before == "\U000102f5\U0001d644"]
    sent = {"csrf_token": client.token, "reject": token(mark)}
    assert client.http.post(location, data=sent, follow_redirects=False).status_code == 303
    page = client.http.get(location).text
    marked = re.search(rf'data-key="{token(mark)}" data-rejected="true">([^<]*)<', page)
    assert marked and marked.group(1) == "\U000102f5\U0001d644"
    text = client.http.get(location.replace("/review/", "/leaflet/") + "&format=txt").text
    assert text.startswith("\u0144G \U000102f5\U0001d644 adq3")


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"caf\xe9 \x93quoted\x94 \x96 na\xefve\n", "café “quoted” – naïve\n"),  # Windows-1252
        ("Grüße aus Köln\n".encode("utf-16"), "Grüße aus Köln\n"),  # a BOM says UTF-16
    ],
)
def test_an_upload_in_another_encoding_is_read_as_the_command_line_reads_it(
    client: Client, data: bytes, text: str
) -> None:
    leaflet = client.upload("latin.txt", data).replace("/review/", "/leaflet/")
    assert client.http.get(leaflet + "format=txt").text == text


def test_a_paste_is_a_text_article(client: Client) -> None:
    markdown = "# Not a heading here\n\nSmооth *skin*.\n"
    location = client.paste(markdown)
    assert location.split("?")[0].endswith(".txt")
    kept = next(client.studio.pasted.iterdir())
    assert read_article(kept.read_bytes(), kept).kind == "text"


def test_an_uploaded_article_never_shows_the_studios_own_files(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Markdown figure is looked for where the article is kept, never in the folder the
    studio runs in (where a file that is no image would even be an error naming it)."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(READERS / "doses-chart.png", tmp_path / "chart.png")
    (tmp_path / "notes.png").write_text("not an image", "utf-8")
    figures = "\n![A chart of doses](chart.png)\n\n![Notes](notes.png)\n"
    location = client.upload("chart.md", (SAMPLE.read_text("utf-8") + figures).encode())
    leaflet = client.http.get(location.replace("/review/", "/leaflet/") + "format=html").text
    assert "A chart of doses" in leaflet and "<img" not in leaflet and "<figure" not in leaflet


def test_the_upload_field_offers_every_kind_read(client: Client) -> None:
    page = client.http.get("/").text
    assert f'accept="{",".join(KINDS)}"' in page
    hint = re.search(r'id="file-hint">(.*?)</p>', page)
    assert hint and all(suffix in hint.group(1) for suffix in KINDS)
    assert "up to 10 MB" in hint.group(1)


# ---------------------------------------------------------------- what it refuses


@pytest.mark.parametrize(
    "path",
    [
        "/review/folder/..%2F..%2Fetc%2Fpasswd",
        "/review/folder/%2E%2E/leaflet.toml",
        "/review/folder//etc/passwd",
        "/review/folder/%2Fetc%2Fpasswd",
        "/review/pasted/..%2Farticles%2Fbotox-beyond-beauty.txt",
        "/review/elsewhere/botox-beyond-beauty.txt",
        "/review/folder/outside.txt",
        "/review/folder/linked/secret.txt",
        "/review/folder/.hidden.txt",
        "/review/folder/botox-beyond-beauty.txt.review.json",
        "/leaflet/folder/..%2F..%2Fetc%2Fpasswd?format=txt",
        "/leaflet/folder/outside.txt?format=txt",
        "/leaflet/folder/botox-beyond-beauty.txt?format=..%2F..%2Fetc%2Fpasswd",
        "/static/..%2Fapp.py",
        "/static/vendor/../../app.py",
    ],
)
def test_nothing_outside_the_folders_is_served(client: Client, path: str) -> None:
    folder = client.studio.folder
    assert folder is not None
    secret = folder.parent / "secret.txt"
    secret.write_text("Secret text that must never be served.\n", "utf-8")
    (folder / "outside.txt").symlink_to(secret)
    (folder / "linked").symlink_to(folder.parent, target_is_directory=True)
    (folder / ".hidden.txt").write_text("Hidden.\n", "utf-8")
    response = client.http.get(path)
    assert response.status_code == 404
    assert "Secret text" not in response.text and "root:" not in response.text


def test_a_link_inside_the_folder_is_fine(client: Client) -> None:
    folder = client.studio.folder
    assert folder is not None
    (folder / "alias.txt").symlink_to(folder / "botox-beyond-beauty.txt")
    assert client.http.get("/review/folder/alias.txt").status_code == 200


@pytest.mark.parametrize(
    ("headers", "token"),
    [
        ({}, None),  # no token
        ({}, "forged"),
        ({"origin": "https://evil.example"}, "good"),
        ({"origin": "null"}, "good"),  # a sandboxed frame elsewhere
        ({"sec-fetch-site": "cross-site"}, "good"),
        ({"sec-fetch-site": "same-site"}, "good"),
    ],
)
@pytest.mark.parametrize("target", ["/", "/settings", "/review/folder/botox-beyond-beauty.txt"])
def test_a_cross_site_post_changes_nothing(
    client: Client, headers: dict[str, str], token: str | None, target: str
) -> None:
    data = {"text": SAMPLE.read_text("utf-8"), "clinic.name": "Evil", "reject": "x" * 16}
    if token:
        data["csrf_token"] = client.token if token == "good" else token
    response = client.http.post(target, data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert "nothing was changed" in response.text
    assert not client.studio.config_path.exists()
    assert not client.studio.pasted.exists()
    assert not list((client.studio.folder or Path()).glob("*.review.json"))


def test_a_request_for_another_host_is_refused_with_the_headers(client: Client) -> None:
    response = client.http.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


LEAFLET_PDF = "/leaflet/folder/botox-beyond-beauty.txt?format=pdf&paper=a5"


def _noting(fn: Any, calls: list[str]) -> Any:
    def noted(*args: Any, **kwargs: Any) -> Any:
        calls.append(fn.__name__)
        return fn(*args, **kwargs)

    return noted


@pytest.mark.parametrize(
    ("site", "mode", "status"),
    [
        ("cross-site", "no-cors", 403),  # <img src> on a page elsewhere: no work done
        ("cross-site", "cors", 403),  # fetch() from a page elsewhere
        ("same-site", "no-cors", 403),  # another program's page on this machine
        ("cross-site", "nested-navigate", 403),  # a frame elsewhere
        ("cross-site", None, 403),
        ("cross-site", "navigate", 200),  # a link followed from elsewhere opens
        ("same-origin", "no-cors", 200),  # the studio's own preview
        ("none", "navigate", 200),  # typed in, or a bookmark
        (None, None, 200),  # a browser that sends no such header
    ],
)
@pytest.mark.parametrize("path", [LEAFLET_PDF, "/review/folder/botox-beyond-beauty.txt", "/"])
def test_a_page_elsewhere_cannot_make_the_studio_work(
    client: Client, site: str | None, mode: str | None, status: int, path: str
) -> None:
    """A page on another site that names a studio address in an image, a frame or a
    fetch is refused before any leaflet is made; a link followed from it is not."""
    headers = {"sec-fetch-site": site, "sec-fetch-mode": mode}
    made: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(articles, "prepare", _noting(articles.prepare, made))
        response = client.http.get(path, headers={k: v for k, v in headers.items() if v})
    assert response.status_code == status
    if status == 403:
        assert response.text.startswith("Forbidden: a page on another site asked for this.")
        assert not made
        assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_upload_is_refused_with_a_message(client: Client, chunked: bool) -> None:
    big = b"word " * 2_100_000  # 10.5 MB
    token = client.token
    if chunked:
        boundary = "leafletboundary"
        part = f"--{boundary}\r\nContent-Disposition: form-data; "
        head = (
            f'{part}name="csrf_token"\r\n\r\n{token}\r\n'
            f'{part}name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
        )
        body = head.encode() + big + f"\r\n--{boundary}--\r\n".encode()
        chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
        headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
        response = client.http.post("/", content=chunks, headers=headers)
    else:
        files = {"file": ("big.txt", big, "text/plain")}
        response = client.http.post("/", data={"csrf_token": token}, files=files)
    assert response.status_code == 413
    assert "the studio takes articles up to 10 MB" in response.text
    assert not client.studio.pasted.exists()


def test_script_in_article_text_is_shown_as_text(client: Client) -> None:
    text = f"A titlе {SCRIPT}\n\nSmооthin’ {SCRIPT} hеlps an’ hеals an’ calms an’ soothеs.\n"
    location = client.paste(text)
    for url in (location, location.replace("/review/", "/leaflet/") + "&format=html"):
        page = client.http.get(url).text
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_script_in_clinic_fields_is_shown_as_text(client: Client) -> None:
    response = client.http.post(
        "/settings",
        data={"csrf_token": client.token, "clinic.name": SCRIPT, "clinic.address": f'"{SCRIPT}'},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert load_config(client.studio.config_path).clinic.name == SCRIPT
    for url in ("/settings", "/leaflet/folder/botox-beyond-beauty.txt?format=html"):
        page = client.http.get(url).text
        assert SCRIPT not in page and "&lt;script&gt;" in page


# ---------------------------------------------------------------- sidecars that no longer fit


@pytest.mark.parametrize(
    ("digest_of", "reason"),
    [
        ("the article", "no longer match a repair"),  # a rejection of no change proposed
        ("another text", "was saved for another version of botox-beyond-beauty.txt"),
    ],
)
def test_a_stale_sidecar_is_shown_and_can_be_forgotten(
    client: Client, digest_of: str, reason: str
) -> None:
    """The studio says what to do in the studio (its button), never to start the studio."""
    from pipeline.review import text_digest

    folder = client.studio.folder
    assert folder is not None
    article = folder / "botox-beyond-beauty.txt"
    stale = {"stage": "commas", "rule": "comma", "start": 0, "end": 4}
    stale |= {"before": " and", "after": ","}
    text = article.read_text("utf-8") if digest_of == "the article" else digest_of
    sidecar_path(article).write_text(json.dumps({
        "leaflet_review": 1, "text_sha256": text_digest(text), "rejected": [stale],
    }), "utf-8")  # fmt: skip
    url = "/review/folder/botox-beyond-beauty.txt"
    page = html.unescape(client.http.get(url).text)
    folder_page = html.unescape(client.http.get("/folder").text)
    button = "Keep only the decisions that fit"
    assert f'<button type="submit">{button}</button>' in page
    for shown in (page, folder_page):
        assert reason in shown and f"press “{button}” on the article’s review" in shown
        assert "leaflet serve" not in shown and "or delete" not in shown
    assert "Sidecar needs attention" in folder_page
    client.http.post(url, data={"csrf_token": client.token, "action": "forget"})
    assert not sidecar_path(article).exists()
    assert reason not in client.http.get(url).text


@pytest.mark.parametrize("damaged", ['{"leaflet_review": 1, "rejected": [', '{"rejected": []}', ""])
def test_a_damaged_sidecar_is_refused_and_never_saved_over(client: Client, damaged: str) -> None:
    """As on the command line: the review is not shown without the editor's decisions,
    and no decision replaces the file that holds them."""
    folder = client.studio.folder
    assert folder is not None
    sidecar = sidecar_path(folder / "botox-beyond-beauty.txt")
    sidecar.write_text(damaged, "utf-8")
    url = "/review/folder/botox-beyond-beauty.txt"
    page = client.http.get(url)
    assert page.status_code == 422
    assert f"{sidecar}: " in html.unescape(page.text) and "fix it or delete it" in page.text
    for decision in ({"action": "forget"}, {"reject": "0" * 16}):
        sent = client.http.post(url, data={"csrf_token": client.token, **decision})
        assert sent.status_code == 422
    assert sidecar.read_text("utf-8") == damaged
    assert "fix it or delete it" in client.http.get("/folder").text


def test_no_folder_means_no_folder_view(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from pipeline.studio.app import create_app
    from pipeline.studio.articles import Studio

    studio = Studio(None, tmp_path / "out", tmp_path / "leaflet.toml")
    with TestClient(create_app(studio, hosts=["testserver"])) as http:
        assert http.get("/folder").status_code == 404
        assert 'href="/folder"' not in http.get("/").text


# (the page, and whether it answers when the studio's output folder and settings file
#  have names the system will not look at: a settings file that cannot be read is said
#  on the page, or the leaflet is made with the defaults)
UNLOOKED = [("/", 200), ("/folder", 200), ("/settings", 200), ("/review/folder/a.txt", 200),
            ("/leaflet/folder/a.txt?format=txt", 200), ("/review/folder/b.txt", 404)]  # fmt: skip


def test_names_the_system_will_not_look_at_are_pages_not_errors(tmp_path: Path) -> None:
    """Python's Path.exists() raises for a name too long (as for a folder without search
    permission), where os.path.exists() says no."""
    too_long = tmp_path / ("x" * 300)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLE.read_bytes())
    studio = Studio(tmp_path / "in", too_long, too_long.with_suffix(".toml"))
    with TestClient(create_app(studio, hosts=["testserver"])) as http:
        assert {url: http.get(url).status_code for url, _ in UNLOOKED} == dict(UNLOOKED)


# -------------------------------------------------------- what a careless or hostile user does


@pytest.mark.parametrize(
    ("name", "files", "shown"),
    [
        (  # front matter: the sign-off; a figure beside it
            "aspirin.md",
            {"aspirin.md": READERS / "aspirin.md", "doses-chart.png": READERS / "doses-chart.png"},
            ["Dr Amira Patel, GP", "consultant cardiologist", "1.10", "<figure", "<img"],
        ),
        (  # a .meta.toml sidecar: its sign-off
            "botox.txt",
            {"botox.txt": SAMPLE, "botox.txt.meta.toml": b'author = "Dr Side Car"\n'},
            ["Dr Side Car"],
        ),
        ("plain.txt", {"plain.txt": SAMPLE}, []),  # nothing beside it: nothing more
    ],
)
def test_the_studio_makes_the_leaflet_the_command_line_makes(
    client: Client, name: str, files: dict[str, Path | bytes], shown: list[str]
) -> None:
    from pipeline.article import prepare
    from pipeline.read import load_article
    from pipeline.render.html import render_html

    folder = client.studio.folder
    assert folder is not None
    for target, source in files.items():
        (folder / target).write_bytes(source if isinstance(source, bytes) else source.read_bytes())
    studio = client.http.get(f"/leaflet/folder/{name}?format=html").text
    path = folder / name  # as `leaflet build` reads, reviews and sections it
    article = load_article(path)
    cleaned = review_beside(article.text, path).cleaned
    doc = prepare(article, source=str(path), cleaned=cleaned)
    command_line = render_html(doc, client.studio.config())
    assert studio == command_line
    assert all(piece in studio for piece in shown)


def test_decisions_from_two_windows_at_once_both_count(client: Client) -> None:
    from pipeline.studio import articles

    # Both windows read the article before either decides: the second must not save
    # the sidecar as it read it, without the first one's decision.
    first = articles.prepare(client.studio, "folder", "botox-beyond-beauty.txt")
    second = articles.prepare(client.studio, "folder", "botox-beyond-beauty.txt")
    commas = [m for m in first.reviewed.marks if m.key.stage == "commas"][:2]
    articles.decide(first, token(commas[0]), reject=True)
    articles.decide(second, token(commas[1]), reject=True)
    articles.decide(second, token(commas[0]), reject=True)  # its page still said "Reject"
    saved = articles.prepare(client.studio, "folder", "botox-beyond-beauty.txt").reviewed
    assert saved.rejected == {commas[0].key, commas[1].key}
    articles.decide(first, token(commas[1]), reject=False)
    articles.decide(second, token(commas[1]), reject=False)  # restoring twice is once
    saved = articles.prepare(client.studio, "folder", "botox-beyond-beauty.txt").reviewed
    assert saved.rejected == {commas[0].key}


@pytest.mark.parametrize("field", ["reject", "restore"])
def test_a_decision_on_no_change_of_the_article_changes_nothing(client: Client, field: str) -> None:
    url = "/review/folder/botox-beyond-beauty.txt"
    for token_sent in ("0" * 16, "", "../" * 5):
        response = client.http.post(url, data={"csrf_token": client.token, field: token_sent})
        assert response.status_code == 404
    assert not list((client.studio.folder or Path()).glob("*.review.json"))


@pytest.mark.parametrize(
    "name",
    ["%41.txt", "x%2e%2e.txt", "100%.txt", "a#b.txt", "q?x.txt", "sp ace.txt", "plain.txt"],
)
def test_a_decision_returns_to_the_article_it_was_made_on(studio: Studio, name: str) -> None:
    """A name with ``%``, ``#`` or ``?`` in it is quoted again in the address the page
    goes back to (``%41.txt`` is not ``A.txt``); through a real server, which passes the
    address as the browser sent it."""
    folder = studio.folder
    assert folder is not None
    text = SAMPLE.read_text("utf-8")
    (folder / name).write_text(text, "utf-8")
    (folder / "A.txt").write_text("A decoy: Thе othеr article.\n", "utf-8")
    with running(create_app(studio)) as url, httpx.Client(base_url=url) as http:
        page = http.get(f"/review/folder/{quote(name)}").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf
        sent = {"csrf_token": csrf.group(1), "reject": _change_token(page, "commas")}
        response = http.post(f"/review/folder/{quote(name)}?paper=A5", data=sent)
        assert response.status_code == 303
        back = http.get(response.headers["location"].split("#")[0])
    assert back.status_code == 200 and back.url.params["paper"] == "A5"
    assert f"› {html.escape(name)}" in back.text and 'data-rejected="true"' in back.text
    assert sidecar_path(folder / name).exists() and not sidecar_path(folder / "A.txt").exists()


@pytest.mark.parametrize(("extra", "status"), [(0, 200), (1, 413), (1000, 413)])
@pytest.mark.parametrize("how", ["upload", "paste"])
def test_an_article_over_the_limit_is_refused_never_kept(
    tmp_path: Path, how: str, extra: int, status: int
) -> None:
    """Over the limit by one byte is over it: kept, it could never be opened again."""
    studio = Studio(None, tmp_path / "output", tmp_path / "leaflet.toml", max_upload=4000)
    head = "Smооthin’ hеlps an’ hеals.\n\n"
    text = head + ("word " * 1000)[: 4000 + extra - len(head.encode("utf-8"))]
    assert len(text.encode("utf-8")) == 4000 + extra
    with TestClient(create_app(studio, hosts=["testserver"])) as http:
        token = Client(http, studio).token
        if how == "upload":
            files = {"file": ("big.txt", text.encode("utf-8"), "text/plain")}
            response = http.post("/", data={"csrf_token": token}, files=files)
        else:
            response = http.post("/", data={"csrf_token": token, "text": text})
    kept = list(studio.pasted.glob("*.txt")) if studio.pasted.exists() else []
    if status == 413:
        assert response.status_code == 413 and not kept
        assert f"That is {4000 + extra:,} bytes; the studio takes articles up to" in response.text
    else:  # made, and its review opens (the redirect followed)
        assert response.status_code == status and len(kept) == 1
        assert '<h1><span class="kicker">Review</span>' in response.text


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_the_studio_shows_an_edited_image_as_it_is_now(client: Client, fmt: str) -> None:
    from tests.test_keys import png

    folder = client.studio.folder
    assert folder is not None
    article = "# Doses\n\n![A chart](chart.png)\n\nTake it daily.\n"
    (folder / "chart.md").write_text(article, "utf-8")
    url = f"/leaflet/folder/chart.md?format={fmt}"
    seen = []
    for colour in ("red", "blue", "red"):  # the same size each time: only the bytes differ
        (folder / "chart.png").write_bytes(png(colour))
        seen.append(client.http.get(url).content)
    assert seen[0] != seen[1] and seen[0] == seen[2]
