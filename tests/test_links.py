"""Links in an input folder: followed while they stay inside the folder named, never
out of it (``passwd.txt -> /etc/passwd`` is not an article to publish), as the studio
refuses them too; a file named on the command line is read even if it is a link.
``leaflet build`` and batch ``leaflet clean`` share the walk and keep the same rules."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import run_batch
from pipeline.cli import main
from pipeline.inputs import Found, Other, Source, gather
from pipeline.record import RECORD_NAME
from pipeline.studio.articles import Studio, articles
from pipeline.studio.security import NotFound, inside
from tests.test_runner import Copy

ONE = Copy(kinds=("out",))  # a work that copies each article, without spaCy
SECRET = "Secret\n\nroot:x:0:0:root:/root:/bin/bash\n"


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
    """Built once through a folder holding both (as an older leaflet built a link out),
    the secret's outputs go when the folder it now leads out of is built; unless the
    same file is named itself, or was built from its own folder."""
    top, out = tmp_path / "top", tmp_path / "out"
    (top / "in").mkdir(parents=True)
    (top / "secret").mkdir()
    (top / "in" / "a.txt").write_text("alpha\n")
    (top / "secret" / "s.txt").write_text("secret\n")
    (top / "in" / "s.txt").symlink_to(top / "secret" / "s.txt")
    run_batch(ONE, [top], out)
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
