"""Links in an input folder: followed while they stay inside the folder named, never
out of it (``passwd.txt -> /etc/passwd`` is not an article to publish), as the studio
refuses them too; a file named on the command line is read even if it is a link.
``leaflet build`` and batch ``leaflet clean`` share the walk and keep the same rules."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from pipeline import batch, files
from pipeline.batch import run_batch
from pipeline.cli import main
from pipeline.config import parse_config
from pipeline.errors import ConfigError, InputError
from pipeline.inputs import DEEPEST, Found, Other, Source, gather, read_companions
from pipeline.read import refuse_link_out
from pipeline.readers.images import local_file
from pipeline.record import RECORD_NAME
from pipeline.review import Review, clean_reviewed, text_digest
from pipeline.studio.app import create_app
from pipeline.studio.articles import Studio, articles
from pipeline.studio.security import NotFound, inside
from tests.test_runner import Copy

ONE = Copy(kinds=("out",))  # a work that copies each article, without spaCy
SECRET = "Secret\n\nroot:x:0:0:root:/root:/bin/bash\n"
SPUN = "Smооthin’ hеlps an’ hеals.\n"


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder ``in`` with an article, a hidden store of articles inside it, and
    a folder ``outside`` beside it with a secret article."""
    inbox, outside = tmp_path / "in", tmp_path / "outside"
    for folder in (inbox / ".store" / "deep", outside / "deep"):
        folder.mkdir(parents=True)
    (inbox / "a.txt").write_text("Alpha\n\nIt helps.\n")
    (inbox / ".store" / "kept.txt").write_text("Kept\n\nIt helps.\n")
    (inbox / ".store" / "deep" / "deeper.txt").write_text("Deeper\n\nIt helps.\n")
    (outside / "secret.txt").write_text(SECRET)
    (outside / "deep" / "secret.txt").write_text(SECRET)
    return inbox, outside


OUTSIDE = "a link that leads outside"

# (link name, where it leads: a path from tmp_path or, starting with "=", the text of
#  the link itself; what the walk makes of it: "article", "outside", or "broken")
LINKS = [
    ("passwd.txt", "outside/secret.txt", "outside"),  # a file elsewhere
    ("abs.txt", "/etc/passwd", "outside"),
    ("up.txt", "=../outside/secret.txt", "outside"),  # relative, climbing out
    ("dir", "outside", "outside"),  # a folder elsewhere: nothing in it is read
    ("dotdot", "=..", "outside"),  # the folder holding the input folder
    ("dangling.txt", "outside/nowhere.txt", "outside"),  # what is outside is not looked at
    ("hop.txt", "=.store/out.txt", "outside"),  # inside, then out again
    ("kept.txt", "in/.store/kept.txt", "article"),  # inside, by its absolute path
    ("rel.txt", "=.store/deep/deeper.txt", "article"),  # inside, relative
    ("store", "=.store/deep", "article"),  # a folder inside: walked
    ("gone.txt", "in/nowhere.txt", "broken"),  # inside, but missing: a failure as before
    ("self", "=.", "again"),  # the input folder itself
]


def link(inbox: Path, name: str, target: str) -> Path:
    path = inbox / name
    if target.startswith("="):
        path.symlink_to(target[1:])
    else:
        path.symlink_to(target if target.startswith("/") else inbox.parent / target)
    return path


@pytest.mark.parametrize(("name", "target", "expected"), LINKS, ids=[r[0] for r in LINKS])
def test_a_link_is_followed_only_while_it_stays_inside(
    places: tuple[Path, Path], name: str, target: str, expected: str
) -> None:
    inbox, outside = places
    (inbox / ".store" / "out.txt").symlink_to(outside / "secret.txt")
    path = link(inbox, name, target)
    found = gather([inbox], exclude=inbox.parent / "out")
    read = {Path(os.path.realpath(s.path)) for s in found.articles}
    others = {o.path: o.what for o in found.others}
    problems = {p.path for p in found.problems}
    assert not any(p.is_relative_to(outside) for p in read)  # never, whatever the row
    assert inbox / "a.txt" in {s.path for s in found.articles}
    if expected == "outside":
        assert others[path] == f"{OUTSIDE} {inbox}/" and path not in problems
        assert not any(s.path.is_relative_to(path) for s in found.articles)
    elif expected == "article":
        assert any(s.path.is_relative_to(path) for s in found.articles)
        assert path not in others
    elif expected == "broken":
        assert path in problems and path not in others
    else:
        assert others[path] == "a link to a folder already read"


def test_a_link_inside_a_folder_named_through_a_link_is_judged_by_the_real_folder(
    places: tuple[Path, Path],
) -> None:
    inbox, outside = places
    alias = inbox.parent / "alias"
    alias.symlink_to(inbox)  # the folder named is itself a link: that is the user's choice
    link(inbox, "kept.txt", "in/.store/kept.txt")
    link(inbox, "passwd.txt", "outside/secret.txt")
    found = gather([alias], exclude=inbox.parent / "out")
    assert sorted(s.name for s in found.articles) == ["a.txt", "kept.txt"]
    assert found.others == (Other(alias / "passwd.txt", f"{OUTSIDE} {alias}/"),)


# (where in/x.png leads, as link(): inside in/ with every link followed; a file there)
WITHIN = [
    ("=kept.png", True, True),  # beside it
    ("=deep/kept.png", True, True),  # below it
    ("=deep/../kept.png", True, True),  # down and back
    ("in/kept.png", True, True),  # inside, by its absolute path
    ("=caf\udce9/kept.png", True, True),  # through a folder whose name is not UTF-8
    ("=gone.png", True, False),  # to nothing, inside
    ("=x.png", True, False),  # a loop stands where it is
    ("=.", True, False),  # the folder itself
    ("outside/kept.png", False, True),
    ("=../outside/kept.png", False, True),
    ("=../in2/kept.png", False, True),  # a folder whose name begins with the same letters
    ("=deep/out.png", False, True),  # inside, then out again
    ("=../outside/gone.png", False, False),  # to nothing, outside
    ("=../caf\udce9/kept.png", False, True),
]


@pytest.mark.parametrize(("target", "inside", "a_file"), WITHIN, ids=[r[0] for r in WITHIN])
def test_inside_the_folder_is_one_question_everywhere(
    tmp_path: Path, target: str, inside: bool, a_file: bool
) -> None:
    """The walk, a sidecar, a figure's image and the logo all ask :func:`files.within`."""
    inbox = tmp_path / "in"
    for folder in (inbox / "deep", inbox / "caf\udce9", tmp_path / "outside",
                   tmp_path / "in2", tmp_path / "caf\udce9"):  # fmt: skip
        folder.mkdir(parents=True)
        (folder / "kept.png").write_bytes(b"not an image")
    (inbox / "kept.png").write_bytes(b"not an image")
    (inbox / "deep" / "out.png").symlink_to(tmp_path / "outside" / "kept.png")
    path = link(inbox, "x.png", target)
    assert files.within(inbox, path) is inside
    assert (local_file("x.png", inbox) is not None) is (inside and a_file)
    found = gather([inbox], exclude=tmp_path / "out")
    assert (Other(path, f"{OUTSIDE} {inbox}/") in found.others) is not inside
    with contextlib.nullcontext() if inside else pytest.raises(InputError, match=LINK_OUT):
        refuse_link_out(path, inbox / "a.txt")
    try:
        parse_config({"clinic": {"logo": "x.png"}}, folder=inbox)
    except ConfigError as error:
        assert ("outside the config file's folder" in str(error)) is not inside
    else:
        raise AssertionError("not an image: never a logo")


def test_a_file_named_on_the_command_line_is_read_even_if_it_is_a_link(
    places: tuple[Path, Path],
) -> None:
    inbox, outside = places
    path = link(inbox, "passwd.txt", "outside/secret.txt")
    found = gather([path], exclude=inbox.parent / "out")
    assert found.articles == (Source(path, "passwd.txt"),) and not found.others


@pytest.mark.parametrize("command", ["build", "clean"])
def test_build_and_clean_list_a_link_out_and_never_read_it(
    places: tuple[Path, Path], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outside = places
    link(inbox, "passwd.txt", "outside/secret.txt")
    link(inbox, "dir", "outside")
    out = inbox.parent / "out"
    extra = ["--format", "json"] if command == "build" else []
    assert main([command, str(inbox), "-o", str(out), "-j", "1", *extra]) == 0
    captured = capsys.readouterr()
    for name in ("passwd.txt", "dir"):
        assert f"{inbox / name}: not an article ({OUTSIDE} {inbox}/)" in captured.err
    assert "built 1, skipped 0, failed 0" in captured.out
    assert captured.out.rstrip().endswith("2 files not an article")
    written = "".join(p.read_text("utf-8") for p in out.iterdir() if p.is_file())
    assert "root:x:0:0" not in written and "Secret" not in written
    assert OUTSIDE in (out / "report.csv").read_text("utf-8")
    assert list(json.loads((out / RECORD_NAME).read_text())["entries"]) == ["../in/a.txt"]


def test_what_an_older_leaflet_made_of_a_link_out_is_deleted(tmp_path: Path) -> None:
    """Built once under the link's name (as an older leaflet built a link out), the
    secret's outputs go when the folder it now leads out of is built; unless the same
    file is named itself, or was built from its own folder."""
    top, out = tmp_path / "top", tmp_path / "out"
    (top / "in").mkdir(parents=True)
    (top / "secret").mkdir()
    (top / "in" / "a.txt").write_text("alpha\n")
    (top / "secret" / "s.txt").write_text("secret\n")
    (top / "in" / "s.txt").symlink_to(top / "secret" / "s.txt")
    run_batch(ONE, [top / "in", top / "in" / "s.txt"], out)  # the link named: read
    assert (out / "secret.out").exists()
    run_batch(ONE, [top / "in", top / "secret" / "s.txt"], out)  # named: kept
    assert (out / "secret.out").exists()
    run_batch(ONE, [top / "in"], out)
    assert sorted(p.name for p in out.glob("*.out")) == ["alpha.out"]
    run_batch(ONE, [top / "secret"], out)  # built from its own folder: not the link's
    run_batch(ONE, [top / "in"], out)
    assert sorted(p.name for p in out.glob("*.out")) == ["alpha.out", "secret.out"]


@pytest.mark.parametrize(
    ("name", "target", "listed"),
    [("passwd.txt", "outside/secret.txt", False), ("kept.txt", "in/.store/kept.txt", True)],
)
def test_the_studio_lists_and_opens_the_links_the_walk_reads(
    places: tuple[Path, Path], name: str, target: str, listed: bool
) -> None:
    inbox, _outside = places
    link(inbox, name, target)
    studio = Studio(inbox, inbox.parent / "out", inbox.parent / "leaflet.toml")
    walked = {s.name for s in gather([inbox], exclude=studio.output).articles}
    assert (name in walked) is listed
    assert (name in set(articles(studio))) is listed
    if not listed:
        with pytest.raises(NotFound):
            inside(inbox, name)


@pytest.mark.parametrize(("target", "status"), [("outside/secret.txt", "failed"),
                                                ("in/.store/kept.txt", "built")])  # fmt: skip
def test_an_article_swapped_for_a_link_after_the_walk_is_read_only_if_it_stays_inside(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, target: str, status: str
) -> None:
    inbox, _outside = places
    walk = batch.gather

    def walk_then_swap(inputs: list[Path], exclude: Path) -> Found:
        found = walk(inputs, exclude)  # a.txt is a plain file inside when it is walked
        (inbox / "a.txt").unlink()
        link(inbox, "a.txt", target)
        return found

    monkeypatch.setattr(batch, "gather", walk_then_swap)
    out = inbox.parent / "out"
    (outcome,) = run_batch(ONE, [inbox], out).outcomes
    assert outcome.status == status
    if status == "failed":
        assert outcome.message == (
            f"{inbox / 'a.txt'}: has become a link that leads outside the folder it was "
            "found in; it is not read"
        )
    assert "root:x" not in "".join(p.read_text() for p in out.glob("*.out"))


# ---------------------------------------------------------------- sidecars that are links

LINK_OUT = "is a link that leads outside the article's folder"
SIDECARS = [".meta.toml", ".review.json"]

# (where the sidecar of in/sub/a.txt leads, as link(): whether it is read)
SIDECAR_LINKS = [
    ("=kept", True),  # beside the article
    ("=deeper/kept", True),  # below it
    ("=deeper/../kept", True),  # down and back, still inside
    ("in/sub/kept", True),  # inside, by its absolute path
    ("=../kept", False),  # the input folder, but above the article's own folder
    ("outside/kept", False),
    ("=../../outside/kept", False),
    ("=deeper/out", False),  # inside, then out again
    ("/dev/zero", False),  # never waited on
    ("outside/nowhere", False),  # what is outside is not looked at
]


def sidecar_places(inbox: Path, outside: Path, suffix: str, target: str) -> Path:
    """``in/sub/a.txt`` with its sidecar a link to ``target``, which holds the same
    sidecar wherever it is; a link ``in/sub/deeper/out`` leads out again."""
    sub = inbox / "sub"
    (sub / "deeper").mkdir(parents=True)
    (sub / "a.txt").write_text("Alpha\n\nIt helps.\n")
    (sub / "deeper" / "out").symlink_to(outside / "kept")
    for folder in (inbox, sub, sub / "deeper", outside):
        (folder / "kept").write_text('author = "Dr A"\n' if suffix == ".meta.toml" else "{}")
    sidecar = sub / f"a.txt{suffix}"
    if target.startswith("="):
        sidecar.symlink_to(target[1:])
    else:
        sidecar.symlink_to(target if target.startswith("/") else inbox.parent / target)
    return sidecar


@pytest.mark.parametrize("suffix", SIDECARS)
@pytest.mark.parametrize(("target", "read"), SIDECAR_LINKS, ids=[r[0] for r in SIDECAR_LINKS])
def test_a_sidecar_link_is_read_only_while_it_stays_in_its_article_s_folder(
    places: tuple[Path, Path], suffix: str, target: str, read: bool
) -> None:
    inbox, outside = places
    sidecar = sidecar_places(inbox, outside, suffix, target)
    result = run_batch(ONE, [inbox], inbox.parent / "out")
    [outcome] = [o for o in result.outcomes if o.source.path.name == "a.txt" and
                 o.source.path.parent.name == "sub"]  # fmt: skip
    if read:
        assert outcome.status == "built"
    else:
        assert outcome.status == "failed"
        assert outcome.message == (
            f"{sidecar}: {LINK_OUT} {inbox}/sub/, so it is not read; put the file itself "
            "there, or delete the link"
        )


@pytest.mark.parametrize("suffix", SIDECARS)
def test_leaflet_clean_of_one_article_refuses_a_sidecar_link_out(
    places: tuple[Path, Path], suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outside = places
    sidecar = sidecar_places(inbox, outside, suffix, "outside/kept")
    assert main(["clean", str(inbox / "sub" / "a.txt")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"leaflet: {sidecar}: {LINK_OUT}")
    assert captured.err.count("\n") == 1


def _studio_over(inbox: Path) -> TestClient:
    studio = Studio(inbox, inbox.parent / "out", inbox.parent / "leaflet.toml")
    return TestClient(create_app(studio, hosts=["testserver"]))


@pytest.mark.parametrize("suffix", SIDECARS)
def test_the_studio_refuses_a_sidecar_link_out_and_never_writes_through_it(
    places: tuple[Path, Path], suffix: str
) -> None:
    inbox, outside = places
    sidecar = sidecar_places(inbox, outside, suffix, "outside/kept")
    (inbox / "sub" / "a.txt").write_text(SPUN)
    kept = (outside / "kept").read_bytes()
    with _studio_over(inbox) as http:
        page = http.get("/review/folder/sub/a.txt")
        assert page.status_code == 422 and f"{LINK_OUT} {inbox}/sub/" in html.unescape(page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/").text)
        assert csrf
        sent = {"csrf_token": csrf.group(1), "reject": "0" * 16}
        assert http.post("/review/folder/sub/a.txt", data=sent).status_code == 422
        assert "Cannot be read" in http.get("/folder").text
    assert sidecar.is_symlink() and (outside / "kept").read_bytes() == kept


def reject_a_contraction(http: TestClient, name: str) -> None:
    """Reject the first contraction on the studio's review of ``name``, in its folder."""
    page = http.get(f"/review/folder/{name}").text
    change = re.search(r'data-stage="contractions" data-rule="[^"]+" data-key="(\w+)"', page)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert change and csrf
    sent = {"csrf_token": csrf.group(1), "reject": change.group(1)}
    assert http.post(f"/review/folder/{name}", data=sent, follow_redirects=False
                     ).status_code == 303  # fmt: skip


def test_a_decision_replaces_a_review_link_inside_and_never_writes_through_it(
    places: tuple[Path, Path],
) -> None:
    inbox, outside = places
    sidecar = sidecar_places(inbox, outside, ".review.json", "=kept")
    (inbox / "sub" / "a.txt").write_text(SPUN)
    target = inbox / "sub" / "kept"
    target.write_text(Review(text_digest(SPUN), frozenset()).to_json("a.txt"))
    before = target.read_bytes()
    with _studio_over(inbox) as http:
        reject_a_contraction(http, "sub/a.txt")
    assert not sidecar.is_symlink() and "contractions" in sidecar.read_text()
    assert target.read_bytes() == before  # the file the link led to is left as it was


# (the inputs named, from tmp_path; each is walked, and what it finds is said once)
TWICE = [["in", "in"], ["in", "in/sub"], ["in/sub", "in"], ["in"]]


@pytest.mark.parametrize("named", TWICE, ids=[" ".join(n) for n in TWICE])
def test_what_a_folder_named_twice_holds_is_said_once(tmp_path: Path, named: list[str]) -> None:
    """A broken link or a file that is no article was said (and counted) once per name."""
    inbox = tmp_path / "in"
    lay_out(inbox, ["a.txt", "sub/b.txt", "sub/gone.txt -> nowhere.txt", "sub/notes.dat"])
    found = gather([tmp_path / name for name in named], exclude=tmp_path / "out")
    assert sorted(s.path for s in found.articles) == [inbox / "a.txt", inbox / "sub" / "b.txt"]
    assert [o.path for o in found.others] == [inbox / "sub" / "notes.dat"]
    assert [p.path for p in found.problems] == [inbox / "sub" / "gone.txt"]


def test_a_folder_nested_too_deep_is_listed_not_walked(tmp_path: Path) -> None:
    """A walk goes down a level a call: a folder hundreds deep is listed, with its reason,
    and the rest of the batch is read (it was a RecursionError at about 330 deep)."""
    inbox = tmp_path / "in"
    (inbox / "a.txt").parent.mkdir()
    (inbox / "a.txt").write_text("An article.\n")
    deep = inbox.joinpath(*["d"] * (DEEPEST + 300))
    deep.mkdir(parents=True)
    (deep / "x.txt").write_text("Too deep.\n")
    found = gather([inbox], exclude=tmp_path / "out")
    assert [s.path for s in found.articles] == [inbox / "a.txt"]
    (other,) = found.others
    assert other.path == inbox.joinpath(*["d"] * (DEEPEST + 1))
    assert other.what == f"a folder nested more than {DEEPEST} deep; not read"


@pytest.mark.parametrize("depth", [1000, DEEPEST + 1, DEEPEST])
def test_leaflet_clean_of_a_folder_nested_deep_cleans_what_it_can_read(
    tmp_path: Path, depth: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whether the folder is a corpus is asked as deep as the walk goes: a folder nested
    a thousand deep (a RecursionError there) is a batch, which lists it as not read."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text("An article.\n")
    deep = inbox
    for _ in range(depth):  # one level at a time: os.makedirs itself recurses
        deep /= "d"
        deep.mkdir()
    (deep / "x.txt").write_text("Deep.\n")
    try:
        assert main(["clean", str(inbox), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    finally:  # bottom up: shutil.rmtree, as pytest clears old runs, recurses too
        (deep / "x.txt").unlink()
        for folder in [deep, *deep.parents][:depth]:
            folder.rmdir()
    captured = capsys.readouterr()
    read = depth <= DEEPEST
    assert f"built {2 if read else 1}, skipped 0, failed 0" in captured.out
    listed = f"{inbox.joinpath(*['d'] * (DEEPEST + 1))}: not an article (a folder nested"
    assert (listed in captured.err) is not read


# ---------------------------------------------------------------- an article reached by a link

# (what stands in in/: "name -> target" is a link, a name alone a file holding SPUN,
#  "name=" a review sidecar rejecting one repair of SPUN; what the walk reads, each
#  article with the sidecar it is cleaned with ("" none), and what it lists)
REACHED = [
    # the file and a link to it: read once, as itself, with its own decisions
    (
        ["sub/a.txt", "sub/a.txt.review.json=", "b.txt -> sub/a.txt"],
        {"sub/a.txt": "sub/a.txt.review.json"},
        {"b.txt": "a link to an article read as {in}/sub/a.txt"},
    ),
    (
        ["a.txt", "a.txt.review.json=", "z.txt -> a.txt"],  # the link found after the file
        {"a.txt": "a.txt.review.json"},
        {"z.txt": "a link to an article read as {in}/a.txt"},
    ),
    # a link to a file the walk does not read itself (hidden): read as the link, with the
    # file's decisions
    (
        [".store/a.txt", ".store/a.txt.review.json=", "b.txt -> .store/a.txt"],
        {"b.txt": ".store/a.txt.review.json"},
        {},
    ),
    # two such links: read as the first, the other listed (it was passed over unsaid)
    (
        [
            ".store/a.txt",
            ".store/a.txt.review.json=",
            "b.txt -> .store/a.txt",
            "c.txt -> .store/a.txt",
        ],
        {"b.txt": ".store/a.txt.review.json"},
        {"c.txt": "a link to an article read as {in}/b.txt"},
    ),
    # a link to a folder read as itself: listed, whichever comes first
    (
        ["sub/a.txt", "sub/a.txt.review.json=", "alias -> sub"],
        {"sub/a.txt": "sub/a.txt.review.json"},
        {"alias": "a link to a folder read as {in}/sub"},
    ),
    (
        ["sub/a.txt", "deep/link -> .."],  # a link back up: a folder already read
        {"sub/a.txt": ""},
        {"deep/link": "a link to a folder already read"},
    ),
    # a link's own sidecar that is a link to the file's: the same decisions
    (
        [
            "sub/a.txt",
            "sub/a.txt.review.json=",
            "b.txt -> .store/a.txt",
            ".store/a.txt -> ../sub/a.txt",
            "b.txt.review.json -> sub/a.txt.review.json",
        ],
        {"sub/a.txt": "sub/a.txt.review.json"},
        {"b.txt": "a link to an article read as {in}/sub/a.txt"},
    ),
    # negative rows: no link, or a link to what the walk does not read as an article
    (["a.txt", "a.txt.review.json="], {"a.txt": "a.txt.review.json"}, {}),
    (["a.txt", "b.txt"], {"a.txt": "", "b.txt": ""}, {}),
    (["notes.dat", "b.txt -> notes.dat"], {"b.txt": ""}, {"notes.dat": "a .dat file"}),
]


def lay_out(inbox: Path, layout: list[str]) -> None:
    """Make what a :data:`REACHED` row says stands in ``inbox``."""
    for item in layout:
        name, _, target = item.partition(" -> ")
        path = inbox / name.rstrip("=")
        path.parent.mkdir(parents=True, exist_ok=True)
        if target:
            path.symlink_to(target)
        elif name.endswith("="):
            spun = clean_reviewed(SPUN)
            rejected = [m.key for m in spun.marks if m.key.before == "an’"]
            path.write_text(Review(text_digest(SPUN), frozenset(rejected)).to_json("a.txt"))
        else:
            path.write_text(SPUN)


@pytest.mark.parametrize(("layout", "read", "listed"), REACHED, ids=[r[0][-1] for r in REACHED])
def test_an_article_reached_through_a_link_is_read_once_with_its_own_sidecars(
    tmp_path: Path, layout: list[str], read: dict[str, str], listed: dict[str, str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    lay_out(inbox, layout)
    found = gather([inbox], exclude=out)
    assert {s.name: s.path for s in found.articles} == {name: inbox / name for name in read}
    assert {o.path: o.what for o in found.others} == {
        inbox / name: what.format(**{"in": inbox}) for name, what in listed.items()
    }
    assert not found.problems
    assert main(["clean", str(inbox), "-o", str(out), "-j", "1"]) == 0
    for name, sidecar in read.items():
        cleaned = (out / name).read_text("utf-8")
        assert ("an’" in cleaned) is bool(sidecar)  # the editor's decision, or none
        assert cleaned.startswith("Smoothing helps")
        if sidecar:
            assert read_companions(inbox / name) == {".review.json": (inbox / sidecar).read_bytes()}


# (what stands in in/, whose folder out/ is the output folder, as REACHED says; what the
#  walk reads, and what it lists)
INTO_OUTPUT = [
    # a link into the output folder: listed, never read back (its output would be written
    # over the very file it was read from)
    (["out/x.txt", "x.txt -> out/x.txt"], [], {"x.txt": "a link into the output folder"}),
    (["out/x.txt", "link -> out"], [], {"link": "a link into the output folder"}),
    (
        ["out/sub/x.txt", "a.txt", "b.md -> out/sub/x.txt"],
        ["a.txt"],
        {"b.md": "a link into the output folder"},
    ),
    # negative rows: the output folder itself, unsaid; a link beside it, to an article
    (["out/x.txt", "a.txt"], ["a.txt"], {}),
    (
        ["out/x.txt", "a.txt", "b.txt -> a.txt"],
        ["a.txt"],
        {"b.txt": "a link to an article read as {in}/a.txt"},
    ),
]


@pytest.mark.parametrize(("layout", "read", "listed"), INTO_OUTPUT,
                         ids=[r[0][-1] for r in INTO_OUTPUT])  # fmt: skip
def test_a_link_into_the_output_folder_is_listed_never_read_nor_written_over(
    tmp_path: Path, layout: list[str], read: list[str], listed: dict[str, str]
) -> None:
    inbox = tmp_path / "in"
    lay_out(inbox, layout)
    out = inbox / "out"
    found = gather([inbox], exclude=out)
    assert [s.name for s in found.articles] == read
    assert {o.path: o.what for o in found.others} == {
        inbox / name: what.format(**{"in": inbox}) for name, what in listed.items()
    }
    before = {p: p.read_bytes() for p in out.rglob("*.txt")}
    status = main(["clean", str(inbox), "-o", str(out), "-j", "1"])
    assert status == (0 if read else 1)  # 1: no articles found
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("first", [False, True], ids=["", "another link first"])
@pytest.mark.parametrize("suffix", SIDECARS)
@pytest.mark.parametrize("real", ["sub/a.txt", ".store/a.txt"])
def test_a_sidecar_left_beside_a_link_fails_with_where_to_move_it(
    tmp_path: Path, suffix: str, real: str, first: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read as itself (the link listed) or through the link (or through another link
    first: the link listed), the article's sidecars are the file's: one left beside the
    link is never read, nor passed over."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    lay_out(inbox, [real, f"b.txt -> {real}", *([f"a0.txt -> {real}"] if first else [])])
    left = inbox / f"b.txt{suffix}"
    left.write_text("{}" if suffix == ".review.json" else 'author = "Dr B"\n')
    assert main(["clean", str(inbox), "-o", str(out), "-j", "1"]) == 1
    err = capsys.readouterr().err
    message = (
        f"{left}: is beside a link to {inbox / real}, so it is not read (an article's "
        f"sidecars are beside the file itself); move it to {inbox / real}{suffix}, or "
        "delete it"
    )
    assert f"failed   {message}\n" in err
    assert main(["clean", str(inbox / "b.txt"), "-o", str(tmp_path / "one.txt")]) == 1
    assert capsys.readouterr().err == f"leaflet: {message}\n"


def test_the_studio_keeps_decisions_made_through_a_link_beside_the_file(tmp_path: Path) -> None:
    """The studio lists the file once (tests/studio/test_folder.py); a decision made
    through the link's name is the file's, and the batch applies it."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    lay_out(inbox, ["sub/a.txt", "b.txt -> sub/a.txt"])
    with _studio_over(inbox) as http:
        reject_a_contraction(http, "b.txt")
    assert not (inbox / "b.txt.review.json").exists()
    assert json.loads((inbox / "sub" / "a.txt.review.json").read_text())["article"] == "a.txt"
    assert main(["clean", str(inbox), "-o", str(out), "-j", "1"]) == 0
    assert not (out / "b.txt").exists() and (out / "sub" / "a.txt").exists()
    assert (out / "sub" / "a.txt").read_text("utf-8") != clean_reviewed(SPUN).cleaned.text


# ---------------------------------------------------------------- an article no longer one

# (what in/a.txt is, run after run: "file", or "folder" holding b.txt; what leaflet clean
#  makes each time: the files in out/)
TURNS = [
    (["file", "folder", "file"], [{"a.txt"}, {"a.txt/b.txt"}, {"a.txt"}]),
    (["folder", "file", "folder"], [{"a.txt/b.txt"}, {"a.txt"}, {"a.txt/b.txt"}]),
    (["file", "file"], [{"a.txt"}, {"a.txt"}]),  # negative rows: no turn
    (["folder", "folder"], [{"a.txt/b.txt"}, {"a.txt/b.txt"}]),
]


@pytest.mark.parametrize(("states", "made"), TURNS, ids=["-".join(t[0]) for t in TURNS])
def test_an_article_that_becomes_a_folder_of_its_name_and_back_is_built_each_time(
    tmp_path: Path, states: list[str], made: list[set[str]]
) -> None:
    """The outputs of what was there go, and the folders they leave empty with them: an
    empty folder out/a.txt/ left behind stopped the article a.txt for good ('cannot be
    written (it is a folder)')."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for state, wanted in zip(states, made, strict=True):
        article = inbox / "a.txt"
        if article.is_dir():
            shutil.rmtree(article)
        article.unlink(missing_ok=True)
        if state == "folder":
            article.mkdir()
            article /= "b.txt"
        article.write_text("alpha\n\nIt helps.\n")
        assert main(["clean", str(inbox), "-o", str(out), "-j", "1"]) == 0
        kept = {p.relative_to(out).as_posix() for p in out.rglob("*.txt") if p.is_file()}
        assert kept == wanted
        assert {p.name for p in out.rglob("*") if p.is_dir()} == ({"a.txt"} - wanted)


# (what takes an article's place: a command on in/a.txt; whether its outputs go)
REPLACED = [
    ("delete", True),
    ("folder", True),  # a folder of the same name
    ("link out", True),  # a link leading out of the folder: never read
    ("link to c", True),  # a link to another article: read as that one
    ("link to a store", True),  # a link to the file, moved where only the link reaches it
    ("pipe", True),
    ("edit", False),  # still a file: rebuilt, under its name
    ("touch", False),
]


def replace_article(inbox: Path, how: str) -> None:
    path = inbox / "a.txt"
    if how == "edit":
        path.write_text("alpha\n\nEdited.\n")
        return
    if how == "touch":
        os.utime(path)
        return
    if how == "link to a store":
        (inbox / ".store").mkdir()
        path.rename(inbox / ".store" / "a.txt")
    else:
        path.unlink()
    if how == "folder":
        path.mkdir()
        (path / "notes.csv").write_text("x")
    elif how == "link out":
        path.symlink_to(inbox.parent / "outside" / "alpha.out")
    elif how == "link to c":
        path.symlink_to("c.txt")
    elif how == "link to a store":
        path.symlink_to(".store/a.txt")
    elif how == "pipe":
        os.mkfifo(path)


@pytest.mark.parametrize(("how", "gone"), REPLACED, ids=[r[0] for r in REPLACED])
def test_an_article_that_is_no_longer_one_loses_its_outputs(
    tmp_path: Path, how: str, gone: bool
) -> None:
    """As when it is deleted: its outputs and its record go, and nothing outside the
    output folder is touched (``outside/alpha.out``, which the link leads to, is named
    as the article's output is)."""
    inbox, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    (outside / "alpha.out").write_text("alpha\n\nNot the output.\n")
    (inbox / "a.txt").write_text("alpha\n\nIt helps.\n")
    (inbox / "c.txt").write_text("gamma\n\nIt helps.\n")
    run_batch(ONE, [inbox], out)
    assert sorted(p.name for p in out.glob("*.out")) == ["alpha.out", "gamma.out"]
    replace_article(inbox, how)
    run_batch(ONE, [inbox], out)
    keys = set(json.loads((out / RECORD_NAME).read_text())["entries"])
    assert ("../in/a.txt" not in keys) is gone
    if how == "link to a store":  # the file itself, read through the link: made again
        assert keys == {"../in/.store/a.txt", "../in/c.txt"}
    else:
        assert (out / "alpha.out").exists() is not gone
    assert (out / "gamma.out").read_text() == "gamma\n\nIt helps.\n"
    assert (outside / "alpha.out").read_text() == "alpha\n\nNot the output.\n"


@pytest.mark.parametrize("retarget", [True, False], ids=["retargeted", "left alone"])
def test_a_link_changed_to_lead_out_after_its_check_is_not_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    retarget: bool,
) -> None:
    """What is opened is checked, not only the path a moment before: a link in the input
    folder turned to a file outside it between the two fails its article, and nothing of
    that file reaches an output (the control row reads the article as ever)."""
    inbox, out, secret = tmp_path / "in", tmp_path / "out", tmp_path / "secret.txt"
    lay_out(inbox, [".store/a.txt", "b.txt -> .store/a.txt"])  # the only way in: read
    (inbox / ".store" / "a.txt").write_text("Alpha\n\nIt helps.\n")
    secret.write_text("Secret\n\nNot for the leaflet.\n")
    opened = files.open_at_once

    def racing(path: Path, **options: bool) -> int:  # the link changes just before it is opened
        if retarget and Path(path).name == "b.txt":
            os.unlink(path)
            os.symlink(secret, path)
        return opened(path, **options)

    monkeypatch.setattr(files, "open_at_once", racing)
    status = main(["clean", str(inbox), "-o", str(out), "-j", "1"])
    err = capsys.readouterr().err
    written = "".join(p.read_text() for p in out.rglob("*.txt"))
    assert "Secret" not in written
    assert ("has become a link that leads outside the folder" in err) is retarget
    assert status == (1 if retarget else 0)
