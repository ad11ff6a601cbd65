"""Articles pasted or uploaded in the studio: kept under a name made from their bytes,
shown by the user's file name or the article's title, and never trusting either."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from pipeline.studio.kept import (
    MAX_NAME,
    download_name,
    name_path,
    read_name,
    remove,
    safe_name,
)
from pipeline.studio.security import NotFound
from tests.studio.conftest import ROOT, SAMPLE, Client

READERS = ROOT / "tests" / "data" / "readers"
TITLE = "Exploring the Uses of Botox Beyond Beauty: Medical Applications and Treatments"
FILE_NAME = '<bdi dir="ltr">{}</bdi>'  # read left to right, as lists of files show it
SLUG = "exploring-the-uses-of-botox-beyond-beauty-medical-applications-and-treatments"


def _named(page: str) -> tuple[str, str, str]:
    """The review page's heading, its title and the line under the heading, as shown."""
    found = [
        re.search(pattern, page, re.S)
        for pattern in (
            r"<h1>.*?<bdi[^>]*>(.*?)</bdi></h1>",
            r"<title>Review: (.*?) · ",
            r'"source">(.*?)(?: · [\d,]+ words[^<]*)?</p>',
        )
    ]
    assert all(found), page[:2000]
    return tuple(html.unescape(m.group(1)) for m in found if m)  # type: ignore[return-value]


def _download(client: Client, location: str, fmt: str) -> str:
    leaflet = location.replace("/review/", "/leaflet/")
    response = client.http.get(f"{leaflet}&format={fmt}&download=1")
    assert response.status_code == 200
    return str(response.headers["content-disposition"])


def _commas_token(page: str) -> str:
    match = re.search(r'data-stage="commas" data-rule="[^"]+" data-key="([0-9a-f]+)"', page)
    assert match, "no comma repair on the page"
    return match.group(1)


# ---------------------------------------------------------------- what the user sees


def test_an_upload_is_called_by_its_file_name(client: Client) -> None:
    data = (READERS / "botox-beyond-beauty.html").read_bytes()
    location = client.upload("hayfever.html", data)
    kept = location.split("/")[-1].split("?")[0]
    assert re.fullmatch(r"[0-9a-f]{16}\.html", kept)  # kept under a name made from its bytes
    page = client.http.get(location).text
    source = f"Uploaded file · <bdi>{TITLE}</bdi>"  # a title goes the way its letters go
    assert _named(page) == ("hayfever.html", "hayfever.html", source)
    assert kept not in re.sub(r'(href|src|action)="[^"]*"', "", page)  # only in addresses
    assert FILE_NAME.format("hayfever.html") in client.http.get("/").text
    for fmt in ("pdf", "html", "txt"):
        assert _download(client, location, fmt) == (
            f"attachment; filename=\"hayfever.{fmt}\"; filename*=UTF-8''hayfever.{fmt}"
        )
    # The same file again under another name: the same article and decisions, the new name.
    client.http.post(location, data={"csrf_token": client.token, "reject": _commas_token(page)})
    assert client.upload("pollen.html", data) == location
    again = client.http.get(location).text
    assert _named(again)[0] == "pollen.html" and 'data-rejected="true"' in again
    listed = client.http.get("/").text
    assert FILE_NAME.format("pollen.html") in listed and "hayfever.html" not in listed


def test_pasted_text_is_called_by_its_title(client: Client) -> None:
    text = SAMPLE.read_text("utf-8")
    location = client.paste(text)
    page = client.http.get(location).text
    assert _named(page) == (TITLE, TITLE, "Pasted text")
    assert f"<bdi>{html.escape(TITLE)}</bdi>" in client.http.get("/").text
    assert f'filename="{SLUG}.pdf"' in _download(client, location, "pdf")
    # Pasting the same text again finds the same decisions.
    client.http.post(location, data={"csrf_token": client.token, "reject": _commas_token(page)})
    assert client.paste(text) == location
    assert 'data-rejected="true"' in client.http.get(location).text


def test_an_article_of_the_folder_is_called_as_before(client: Client) -> None:
    location = "/review/folder/botox-beyond-beauty.txt?"
    page = client.http.get(location).text
    assert _named(page)[:2] == (TITLE, TITLE)
    assert "botox-beyond-beauty.txt" in _named(page)[2]
    assert f'filename="{SLUG}.txt"' in _download(client, location, "txt")


def test_the_last_article_made_is_listed_first(client: Client) -> None:
    first = client.upload("first.txt", SAMPLE.read_bytes())
    client.upload("second.txt", b"Second article\n\nSmooth text.\n")
    assert client.upload("first again.txt", SAMPLE.read_bytes()) == first
    os.utime(name_path(client.studio.pasted / first.split("/")[-1].split("?")[0]), (2e9, 2e9))
    listed = re.findall(r"<bdi[^>]*>(.*?)</bdi>", client.http.get("/").text)
    assert listed == ["first again.txt", "second.txt"]


def test_a_build_of_the_kept_articles_passes_over_their_name_files(
    client: Client, tmp_path: Path
) -> None:
    from pipeline.inputs import gather

    location = client.upload("hayfever.txt", SAMPLE.read_bytes())
    kept = client.studio.pasted / location.split("/")[-1].split("?")[0]
    assert name_path(kept).exists()
    found = gather([client.studio.pasted], exclude=tmp_path / "built")
    assert [s.path for s in found.articles] == [kept] and found.others == ()
    name_file = quote(name_path(kept).name)
    assert client.http.get(f"/review/pasted/{name_file}").status_code == 404


# ---------------------------------------------------------------- what a hostile name does

HOSTILE = [
    ("../../etc/hayfever.txt", "hayfever.txt"),
    ("..\\..\\Windows\\hayfever.txt", "hayfever.txt"),
    ("/tmp/hayfever.txt", "hayfever.txt"),
    ("hay\u202efever.txt", "hayfever.txt"),  # right-to-left override: "hayrevef.txt" shown
    ("hay\u2067fever\u2069.txt", "hayfever.txt"),  # a bidi isolate
    ("\u200b\u200bhay\u00adfever.txt", "hayfever.txt"),  # invisible
    ("hay\x1b[31mfever.txt", "hay[31mfever.txt"),  # a terminal's escape
    ("hay\x00fever.txt", "hayfever.txt"),
    ("hay \t\x0b fever.txt", "hay fever.txt"),
    ("..hayfever.txt", "hayfever.txt"),  # never a hidden file when downloaded
    ("<img src=x onerror=alert(1)>.txt", "<img src=x onerror=alert(1)>.txt"),  # escaped
    ("a" * 1_000 + ".txt", "a" * (MAX_NAME - 5) + "….txt"),
    ("Heuschnupfen – was hilft.txt", "Heuschnupfen – was hilft.txt"),  # as it is
    ("نشرة الحساسية.txt", "نشرة الحساسية.txt"),  # right-to-left letters are letters
    ("hayfever.txt", "hayfever.txt"),
]


@pytest.mark.parametrize(("name", "shown"), HOSTILE)
def test_a_file_name_is_made_safe(name: str, shown: str) -> None:
    assert safe_name(name) == shown
    assert safe_name(shown) == shown  # made safe once is safe


def _raw_upload(client: Client, name: str, data: bytes) -> str:
    """Upload with the file's name as raw UTF-8 bytes in the request (a browser would
    escape some characters; anyone else need not)."""
    boundary = "leaflet-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{client.token}\r\n".encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="'.encode()
        + name.encode("utf-8")
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + data
        + f"\r\n--{boundary}--\r\n".encode(),
    ]
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    response = client.http.post(
        "/", content=b"".join(parts), headers=headers, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


@pytest.mark.parametrize(("name", "shown"), HOSTILE)
def test_a_hostile_file_name_is_shown_harmless(
    client: Client, tmp_path: Path, name: str, shown: str
) -> None:
    article = "Hay fever\n\nSmооth skin an’ clear eyes.\n".encode()
    location = _raw_upload(client, name, article)
    page = client.http.get(location).text
    assert _named(page)[:2] == (shown, shown)
    assert "<img src=x" not in page and "<img src=x" not in client.http.get("/").text
    assert FILE_NAME.format(html.escape(shown, quote=False)) in client.http.get("/").text
    disposition = _download(client, location, "txt")
    stem = download_name(shown)  # without < > : " / \\ | ? * (some systems refuse them)
    assert disposition.endswith(f"filename*=UTF-8''{quote(stem + '.txt', safe='')}")
    fallback = re.fullmatch(r'attachment; filename="([ -~]+)"; filename\*=\S+', disposition)
    assert fallback and fallback.group(1).endswith(".txt") and "/" not in fallback.group(1)
    # Kept only as the article and its name file, under names made from its bytes.
    kept = location.split("/")[-1].split("?")[0]
    kept_files = {p.name for p in client.studio.pasted.iterdir()}
    assert kept_files == {kept, name_path(client.studio.pasted / kept).name}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "output"]


def test_a_file_name_too_long_to_read_is_refused(client: Client) -> None:
    """10,000 characters: no browser sends that (systems allow 255 bytes); the form is
    refused as unreadable before the studio sees it, and nothing is kept."""
    response = client.http.post(
        "/", data={"csrf_token": client.token},
        files={"file": ("a" * 10_000 + ".txt", b"Hay fever\n", "text/plain")},
    )  # fmt: skip
    assert response.status_code == 400
    assert "The form sent could not be read" in response.text
    assert not client.studio.pasted.exists()


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        ('{"leaflet_kept": 1, "name": "hayfever.txt"}', "hayfever.txt"),
        ('{"leaflet_kept": 1, "name": "../x\\u202e<b>.txt"}', "x<b>.txt"),
        ('{"leaflet_kept": 1, "name": null}', ""),  # pasted
        ('{"leaflet_kept": 2, "name": "hayfever.txt"}', ""),  # not a format this reads
        ('{"leaflet_kept": 1, "name": ["hayfever.txt"]}', ""),
        ('["leaflet_kept", 1]', ""),
        ("{not json", ""),
        ("[" * 100_000, ""),  # too deep, and too large
        ('{"leaflet_kept": 1, "name": "' + "a" * 5000 + '.txt"}', ""),  # over 4,096 bytes
        ("fifo", ""),  # a pipe is never opened (reading one would hang)
        ("folder", ""),
    ],
)
def test_a_name_file_is_never_trusted(tmp_path: Path, content: str, shown: str) -> None:
    article = tmp_path / "0123456789abcdef.txt"
    article.write_text("Hay fever\n", "utf-8")
    if content == "fifo":
        os.mkfifo(name_path(article))
    elif content == "folder":
        name_path(article).mkdir()
    else:
        name_path(article).write_text(content, "utf-8")
    assert read_name(article) == shown


def test_a_hostile_name_file_is_shown_harmless(client: Client) -> None:
    location = client.paste("Hay fever\n\nSmооth skin.\n")
    kept = client.studio.pasted / location.split("/")[-1].split("?")[0]
    record = {"leaflet_kept": 1, "name": "<script>alert(1)</script>\u202e\r\nSet-Cookie: a=b.txt"}
    name_path(kept).write_text(json.dumps(record), "utf-8")
    page = client.http.get(location).text
    assert _named(page)[0] == "script> Set-Cookie: a=b.txt"
    assert "<script>alert" not in page
    response = client.http.get(location.replace("/review/", "/leaflet/") + "&format=txt&download=1")
    assert "set-cookie" not in response.headers
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="script- Set-Cookie- a=b.txt"; filename*=UTF-8\'\'script-%20Set'
    )


# ---------------------------------------------------------------- removing


def _kept_files(client: Client) -> list[str]:
    return sorted(p.name for p in client.studio.pasted.iterdir())


def test_a_pasted_article_can_be_removed_with_its_decisions(client: Client) -> None:
    location = client.upload("hayfever.txt", SAMPLE.read_bytes())
    other = client.paste("Another article\n\nKept while the first goes.\n")
    page = client.http.get(location).text
    assert "Remove this article from the studio" in page
    client.http.post(location, data={"csrf_token": client.token, "reject": _commas_token(page)})
    kept = location.split("/")[-1].split("?")[0]
    assert {kept, f".{kept}.name.json", f"{kept}.review.json"} <= set(_kept_files(client))
    answer = client.http.post(
        location, data={"csrf_token": client.token, "action": "remove"}, follow_redirects=False
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/?removed=1")
    assert not [name for name in _kept_files(client) if kept in name]
    home = client.http.get("/?removed=1").text
    assert "The article was removed from the studio." in home and "hayfever.txt" not in home
    assert client.http.get(location).status_code >= 400  # gone, not served from memory
    assert client.http.get(other).status_code == 200  # the other article is untouched


@pytest.mark.parametrize(
    ("place", "name"),
    [
        ("folder", "botox-beyond-beauty.txt"),  # the user's own folder: never deleted
        ("pasted", "not-a-kept-name.txt"),  # a file the studio did not make
        ("pasted", "0123456789abcdef.txt"),  # the studio's kind of name, but no such file
        ("pasted", "link0123456789ab.txt"),
        ("pasted", "../studio/0123456789abcdef.txt"),
    ],
)
def test_removing_deletes_only_what_the_studio_kept(
    client: Client, tmp_path: Path, place: str, name: str
) -> None:
    client.paste("Kept article\n\nIt stays.\n")
    (client.studio.pasted / "not-a-kept-name.txt").write_text("mine\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n")
    (client.studio.pasted / "link0123456789ab.txt").symlink_to(outside)
    before = _kept_files(client)
    folder = sorted(p.name for p in client.studio.folder.iterdir())  # type: ignore[union-attr]
    answer = client.http.post(
        f"/review/{place}/{name}", data={"csrf_token": client.token, "action": "remove"}
    )
    assert answer.status_code == 404
    assert _kept_files(client) == before and outside.read_text() == "outside\n"
    assert sorted(p.name for p in client.studio.folder.iterdir()) == folder  # type: ignore[union-attr]


def test_removing_a_link_named_as_the_studio_names_keeps_its_target(
    client: Client, tmp_path: Path
) -> None:
    target = tmp_path / "target.txt"
    target.write_text("Someone's article\n\nNot the studio's.\n")
    link = client.studio.pasted / "0123456789abcdef.txt"
    client.studio.pasted.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    with pytest.raises(NotFound):
        remove(client.studio, link.name)
    assert link.is_symlink() and target.exists()


def test_removing_needs_the_studios_token(client: Client) -> None:
    location = client.paste("Kept article\n\nIt stays.\n")
    answer = client.http.post(location, data={"csrf_token": "forged", "action": "remove"})
    assert answer.status_code == 403
    assert client.http.get(location).status_code == 200
