"""The folder view lists what ``leaflet build DIR`` reads, found by the batch's own walk:
as deep as it goes (a folder nested deeper is listed as not read, never a crash), each
article once under its own name (a link to it listed as such), a link that is the only
way to an article under the link's name, with the decisions beside the file."""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from pipeline.errors import InputError
from pipeline.files import DEEPEST
from pipeline.studio import articles as studio_articles
from pipeline.studio import folder
from pipeline.studio.app import create_app
from pipeline.studio.articles import Studio, articles
from tests.test_links import lay_out

TOO_DEEP = f"a folder nested more than {DEEPEST} deep; not read"
DEEPEST_READ = "/".join(["d"] * (DEEPEST + 1))  # the folder listed as too deep

# (what stands in in/: as tests.test_links.lay_out ("name -> target" a link, "name=" a
#  review sidecar rejecting one repair, a name alone an article), "deep N" a folder
#  nested N deep (d/d/...) holding x.txt; the rows shown, by name with their status;
#  what is listed as not read, by name)
LISTED = [
    # an article and a link to it: one row, the file's, whichever comes first
    (["sub/a.txt", "b.txt -> sub/a.txt"], {"sub/a.txt": "new"},
     {"b.txt": "a link to an article read as {in}/sub/a.txt"}),
    (["a.txt", "z.txt -> a.txt"], {"a.txt": "new"},
     {"z.txt": "a link to an article read as {in}/a.txt"}),
    (["sub/a.txt", "sub/a.txt.review.json=", "alias -> sub"], {"sub/a.txt": "reviewed"},
     {"alias": "a link to a folder read as {in}/sub"}),
    # the one way to an article: under the link's name, with the file's decisions
    ([".store/a.txt", ".store/a.txt.review.json=", "b.txt -> .store/a.txt"],
     {"b.txt": "reviewed"}, {}),
    # a folder nested deeper than the walk goes: listed as not read, the rest shown
    (["a.txt", "deep 1000"], {"a.txt": "new"}, {DEEPEST_READ: TOO_DEEP}),
    (["a.txt", f"deep {DEEPEST + 1}"], {"a.txt": "new"}, {DEEPEST_READ: TOO_DEEP}),
    (["a.txt", "gone.txt -> nowhere.txt"], {"a.txt": "new", "gone.txt": "failed"}, {}),
    (["a.txt", "out.txt -> ../outside.txt"], {"a.txt": "new"},
     {"out.txt": "a link that leads outside {in}/"}),
    # negative rows: as deep as the walk goes, no link, a link to no article
    (["a.txt", f"deep {DEEPEST}"], {"a.txt": "new", "/".join(["d"] * DEEPEST + ["x.txt"]): "new"},
     {}),
    (["a.txt", "b.txt"], {"a.txt": "new", "b.txt": "new"}, {}),
    (["notes.dat", "b.txt -> notes.dat"], {"b.txt": "new"}, {"notes.dat": "a .dat file"}),
]  # fmt: skip


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Path]:
    """An empty folder ``in``; what is nested in it is removed bottom up after the test
    (``shutil.rmtree``, as pytest clears old runs, recurses a call per level)."""
    folder = tmp_path / "in"
    folder.mkdir()
    yield folder
    chain = [folder / "d"] if (folder / "d").is_dir() else []
    while chain and (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for deep in reversed(chain):
        for item in deep.iterdir():
            item.unlink()
        deep.rmdir()


def lay_out_deep(inbox: Path, layout: list[str]) -> None:
    """Make what a :data:`LISTED` row says stands in ``inbox``."""
    lay_out(inbox, [item for item in layout if not item.startswith("deep ")])
    for item in layout:
        if item.startswith("deep "):
            deep = inbox
            for _ in range(int(item.split()[1])):  # one level at a time: makedirs recurses
                deep /= "d"
                deep.mkdir()
            (deep / "x.txt").write_text("Deep.\n\nIt helps.\n")


def studio_over(inbox: Path) -> Studio:
    return Studio(inbox, inbox.parent / "out", inbox.parent / "leaflet.toml")


@pytest.mark.parametrize(("layout", "rows", "unread"), LISTED, ids=[r[0][-1] for r in LISTED])
def test_the_folder_view_lists_what_the_batch_reads(
    inbox: Path, layout: list[str], rows: dict[str, str], unread: dict[str, str]
) -> None:
    lay_out_deep(inbox, layout)
    studio = studio_over(inbox)
    assert set(articles(studio)) == {name for name, status in rows.items() if status != "failed"}
    found = folder.listing(studio)
    assert {row.name: row.status for row in found.rows} == rows
    assert {item.name: item.what for item in found.unread} == {
        name: what.format(**{"in": inbox}) for name, what in unread.items()
    }
    for row in found.rows:
        assert bool(row.message) is (row.status == "failed")


# (what a.txt becomes, before the walk or between the walk and its reading, and its row's
#  message: a row that cannot be read, the rest shown; None: read. Before the walk, a.txt
#  gone or a link is no article of its own, so no row)
CHANGED = [
    ("a pipe", "a.txt: is not a regular file (a pipe or device); give a file"),
    ("gone", "a.txt: no such file; check the path"),
    ("a link out", "a.txt: has become a link that leads outside the folder it was found in"),
    ("a link in", None),  # to b.txt, inside: read
]


@pytest.mark.parametrize("before", [True, False], ids=["before the walk", "after it"])
@pytest.mark.parametrize(("becomes", "said"), CHANGED, ids=[c[0] for c in CHANGED])
def test_an_article_that_is_not_a_file_is_a_row_never_the_whole_page(
    inbox: Path, becomes: str, said: str | None, before: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(inbox, ["a.txt", "b.txt", "../outside.txt"])
    studio = studio_over(inbox)
    walked = studio_articles.found(studio)
    if not before:
        monkeypatch.setattr(studio_articles, "found", lambda _studio: walked)
    (inbox / "a.txt").unlink()
    if becomes == "a pipe":
        os.mkfifo(inbox / "a.txt")
    elif becomes.startswith("a link"):
        (inbox / "a.txt").symlink_to("../outside.txt" if becomes == "a link out" else "b.txt")
    rows = {row.name: row for row in folder.listing(studio).rows}
    assert rows["b.txt"].status == "new"
    if before and becomes != "a pipe":
        assert "a.txt" not in rows
    else:
        assert rows["a.txt"].status == ("failed" if said else "new")
        assert (said or "") in rows["a.txt"].message
    with TestClient(create_app(studio, hosts=["testserver"])) as http:
        assert http.get("/folder").status_code == 200


# (an article's name, how its row names it, and why it is not opened: None, opened)
NAMED = [
    ("caf\udce9.txt", "caf\\xe9.txt", "its name is not UTF-8 text"),
    ("sub\udcff/a.txt", "sub\\xff/a.txt", "its name is not UTF-8 text"),
    ("new\nline.txt", "new\\nline.txt", "its name holds a line break"),
    ("café.txt", "café.txt", None),
    ("esc\x1b[31m.txt", "esc\x1b[31m.txt", None),
    ("<b>bold<b>.md", "<b>bold<b>.md", None),
]


@pytest.mark.parametrize(("name", "shown", "said"), NAMED, ids=[n[1] for n in NAMED])
def test_an_article_no_address_can_name_is_a_row_never_the_whole_page(
    inbox: Path, name: str, shown: str, said: str | None
) -> None:
    """The page crashed (a name that is not UTF-8), or linked to 'Not found' (a line
    break, which no address of the studio's holds)."""
    lay_out(inbox, ["a.txt", name])
    with TestClient(create_app(studio_over(inbox), hosts=["testserver"])) as http:
        page = http.get("/folder")
        assert page.status_code == 200
        rows = {row.name: row for row in folder.listing(studio_over(inbox)).rows}
        assert rows["a.txt"].status == "new"
        assert rows[shown].status == ("failed" if said else "new")
        assert (said or "") in rows[shown].message
        if said is None:
            address = "/review/folder/" + quote(name)
            assert f'href="{html.escape(address)}"' in page.text
            assert http.get(address).status_code == 200


def test_the_folder_page_shows_one_row_an_article_and_lists_what_is_not_read(
    inbox: Path,
) -> None:
    lay_out_deep(inbox, ["sub/a.txt", "b.txt -> sub/a.txt", ".store/c.txt",
                         "c.txt -> .store/c.txt", "deep 1000"])  # fmt: skip
    with TestClient(create_app(studio_over(inbox), hosts=["testserver"])) as http:
        page = html.unescape(http.get("/folder").text)
        assert "2 of 2 articles" in page
        assert 'href="/review/folder/sub/a.txt"' in page
        assert 'href="/review/folder/c.txt"' in page  # the one way in: the link's name
        assert 'href="/review/folder/b.txt"' not in page
        assert "not read as articles (2)" in page
        assert f"<strong>b.txt</strong>: a link to an article read as {inbox}/sub/a.txt" in page
        assert f"<strong>{DEEPEST_READ}</strong>: {TOO_DEEP}" in page
        assert http.get("/review/folder/c.txt").status_code == 200


# (what stands in in/ beside an article; what the folder page lists as not read, if anything)
NOT_READ = [
    (["b.dat"], "<strong>b.dat</strong>: a .dat file"),
    (["a.txt.META.toml"], "{in}/a.txt.META.toml: is not read: a sidecar is named its article's"),
    (["a.txt.meta.toml"], None),  # the article's sign-off: read with it
    (["b.txt"], None),
]


@pytest.mark.parametrize(("layout", "listed"), NOT_READ, ids=[r[0][0] for r in NOT_READ])
def test_the_folder_page_lists_what_is_not_read_only_when_there_is_some(
    inbox: Path, layout: list[str], listed: str | None
) -> None:
    lay_out(inbox, ["a.txt", *layout])
    with TestClient(create_app(studio_over(inbox), hosts=["testserver"])) as http:
        page = html.unescape(http.get("/folder").text)
    assert ('<details class="unread">' in page) is bool(listed)
    if listed:
        assert listed.format(**{"in": inbox}) in page


def test_a_folder_inside_the_output_folder_is_a_message(tmp_path: Path) -> None:
    """The batch refuses to read back its own outputs; the studio says why it cannot."""
    inbox = tmp_path / "out" / "studio"
    lay_out(inbox, ["a.txt"])
    studio = Studio(inbox, tmp_path / "out", tmp_path / "leaflet.toml")
    with pytest.raises(InputError, match="is inside the output folder"):
        folder.listing(studio)
    with TestClient(create_app(studio, hosts=["testserver"])) as http:
        page = http.get("/folder")
    assert page.status_code == 422
    assert "choose an output folder outside the inputs" in html.unescape(page.text)


def test_no_folder_lists_nothing() -> None:
    studio = Studio(None, Path("out"), Path("leaflet.toml"))
    assert folder.listing(studio) == folder.Listing([], [])
