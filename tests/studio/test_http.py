"""The studio over HTTP: pages, decisions, and what it refuses (Starlette's TestClient)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from pipeline import clean
from pipeline.config import load_config
from pipeline.review import review_beside, sidecar_path
from tests.studio.conftest import SAMPLE, Client

SCRIPT = "<script>alert(1)</script>"


def _toggle_token(page: str, stage: str) -> str:
    match = re.search(rf'data-stage="{stage}" data-rule="[^"]+" data-key="([0-9a-f]+)"', page)
    assert match, f"no {stage} change on the page"
    return match.group(1)


def _paste(client: Client, text: str, **extra: str) -> str:
    response = client.http.post(
        "/", data={"csrf_token": client.token, "text": text, **extra}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


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


def test_the_leaflet_preview_runs_no_script(client: Client) -> None:
    response = client.http.get("/leaflet/folder/botox-beyond-beauty.txt?format=html")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "sandbox" in policy and "script-src" not in policy
    assert "<script" not in response.text


def test_paste_then_review_then_reject(client: Client) -> None:
    location = _paste(client, SAMPLE.read_text("utf-8"), paper="A5", large_print="1")
    assert location.startswith("/review/pasted/") and location.endswith("?paper=A5&lp=1")
    page = client.http.get(location).text
    token = _toggle_token(page, "commas")
    kept = next(client.studio.pasted.glob("*.txt"))
    response = client.http.post(
        location, data={"csrf_token": client.token, "toggle": token}, follow_redirects=False
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
    ],
)
def test_an_empty_paste_is_a_message_beside_the_field(
    client: Client, fields: dict[str, str], message: str
) -> None:
    response = client.http.post("/", data={"csrf_token": client.token, **fields})
    assert response.status_code == 400
    assert message in response.text and 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x89PNG\r\n", "photo.png: is not an article leaflet reads"),
        ("notes.txt", b"\x89PNG\r\n\x00\x00", "notes.txt: looks like a binary file"),
        ("empty.md", b"  \n", "empty.md: the file is empty"),
        (
            "latin.txt",
            b"caf\xe9 \x93quoted\x94",
            "latin.txt: byte 0xe9 at offset 3 is not valid utf-8",
        ),
        (f"{SCRIPT}.png", b"x", "&lt;script&gt;alert(1)&lt;/script&gt;.png: is not an article"),
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
    assert SCRIPT not in response.text
    assert not client.studio.pasted.exists() or not any(client.studio.pasted.iterdir())


def test_an_upload_is_kept_and_reviewed(client: Client) -> None:
    response = client.http.post(
        "/",
        data={"csrf_token": client.token},
        files={"file": ("botox.txt", SAMPLE.read_bytes(), "text/plain")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.http.get(response.headers["location"]).status_code == 200


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
    data = {"text": SAMPLE.read_text("utf-8"), "clinic.name": "Evil", "toggle": "x" * 16}
    if token:
        data["csrf_token"] = client.token if token == "good" else token
    response = client.http.post(target, data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert "nothing was changed" in response.text
    assert not client.studio.config_path.exists()
    assert not client.studio.pasted.exists()
    assert not list((client.studio.folder or Path()).glob("*.review.json"))


def test_a_request_for_another_host_is_refused(client: Client) -> None:
    assert client.http.get("/", headers={"host": "evil.example"}).status_code == 400


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
    location = _paste(client, text)
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


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "clinic.website",
            "ftp://x.example",
            "clinic.website 'ftp://x.example' must start with https://",
        ),
        ("review_months", "0", "review_months must be from 1 to 60"),
        ("review_months", "twelve", "review_months must be a whole number"),
        ("paper", "B5", "paper 'B5' is not one of A4, A5, letter"),
        ("published", "2025-02-30", "published must be a date"),
        ("language", "English!", "language 'English!' is not a language tag"),
        ("clinic.logo", "missing.png", "clinic.logo file"),
    ],
)
def test_a_bad_setting_is_a_message_beside_its_field_and_nothing_is_saved(
    client: Client, field: str, value: str, message: str
) -> None:
    path = client.studio.config_path
    path.write_text('[clinic]\nname = "Riverside Surgery"\n', "utf-8")
    before = path.read_bytes()
    data = {"csrf_token": client.token, "clinic.name": "Hillside", field: value}
    response = client.http.post("/settings", data=data)
    assert response.status_code == 400
    field_id = "f-" + field.replace(".", "-")
    error = re.search(rf'id="{field_id}-error">(.*?)</p>', response.text, re.S)
    assert error and message in error.group(1).replace("&#39;", "'")
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', response.text)
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".leaflet-check")]


def test_good_settings_are_saved_and_used(client: Client) -> None:
    data = {
        "csrf_token": client.token, "clinic.name": "Riverside Surgery", "paper": "A5",
        "clinic.website": "https://riverside.example", "large_print": "true", "review_months": "6",
    }  # fmt: skip
    response = client.http.post("/settings", data=data)
    assert response.status_code == 200 and "Saved." in response.text
    config = load_config(client.studio.config_path)
    assert (config.clinic.name, config.paper, config.large_print) == (
        "Riverside Surgery",
        "A5",
        True,
    )
    assert config.review_months == 6 and config.clinic.website == "https://riverside.example"
    preview = client.http.get("/leaflet/folder/botox-beyond-beauty.txt?format=html").text
    assert "Riverside Surgery" in preview
    assert oct(os.stat(client.studio.config_path).st_mode)[-3:] in ("644", "664", "666")


def test_a_broken_settings_file_is_reported_not_a_crash(client: Client) -> None:
    client.studio.config_path.write_text('paper = "B5"\n', "utf-8")
    settings = client.http.get("/settings")
    assert settings.status_code == 200
    assert (
        "The settings file has a problem" in settings.text and "paper &#39;B5&#39;" in settings.text
    )
    preview = client.http.get("/leaflet/folder/botox-beyond-beauty.txt?format=pdf")
    assert preview.status_code == 422 and "is not one of A4, A5, letter" in preview.text


# ---------------------------------------------------------------- sidecars that no longer fit


def test_a_stale_sidecar_is_shown_and_can_be_forgotten(client: Client) -> None:
    folder = client.studio.folder
    assert folder is not None
    article = folder / "botox-beyond-beauty.txt"
    stale = {
        "stage": "commas",
        "rule": "comma",
        "start": 0,
        "end": 4,
        "before": " and",
        "after": ",",
    }
    from pipeline.review import text_digest

    sidecar_path(article).write_text(json.dumps({
        "leaflet_review": 1, "text_sha256": text_digest(article.read_text("utf-8")),
        "rejected": [stale],
    }), "utf-8")  # fmt: skip
    url = "/review/folder/botox-beyond-beauty.txt"
    page = client.http.get(url).text
    assert "no longer match a repair" in page and "Keep only the decisions that fit" in page
    folder_page = client.http.get("/folder").text
    assert "Sidecar needs attention" in folder_page
    client.http.post(url, data={"csrf_token": client.token, "action": "forget"})
    assert not sidecar_path(article).exists()
    assert "no longer match" not in client.http.get(url).text


def test_no_folder_means_no_folder_view(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from pipeline.studio.app import create_app
    from pipeline.studio.articles import Studio

    studio = Studio(None, tmp_path / "out", tmp_path / "leaflet.toml")
    with TestClient(create_app(studio, hosts=["testserver"])) as http:
        assert http.get("/folder").status_code == 404
        assert 'href="/folder"' not in http.get("/").text
