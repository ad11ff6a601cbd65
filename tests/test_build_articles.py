"""What ``leaflet build`` makes of each article with what lies beside it: the sign-off's
first publication date kept from build to build, a web address (QR code) that is always
the leaflet's own file, sidecars that are part of the article (sign-off details, an
editor's decisions, honoured by build and batch clean), the review page, and figures
from a folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.read import load_article
from pipeline.record import RECORD_NAME
from pipeline.review import Review, clean_reviewed, save_review, text_digest

ROOT = Path(__file__).resolve().parent.parent
READERS = ROOT / "tests" / "data" / "readers"
BASE = "https://gp.example/leaflets/"
DAY_1 = "1735689600"  # 2025-01-01
DAY_2 = "1735776000"  # 2025-01-02


def config(folder: Path, clinic: str = "Riverside Surgery") -> Path:
    path = folder / "leaflet.toml"
    path.write_text(
        f'base_url = "{BASE}"\n\n[clinic]\nname = "{clinic}"\n\n'
        '[signoff]\nauthor = "Dr Clinic Default"\n',
        "utf-8",
    )
    return path


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def build(inbox: Path, out: Path, settings: Path, *more: str) -> int:
    args = [str(inbox), "-o", str(out), "--config", str(settings), "-j", "1"]
    return main(["build", *args, "--format", "json,html", *more])


def leaflet(out: Path, name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / f"{name}.json").read_text("utf-8"))
    return data


def body(out: Path, name: str) -> str:
    """The leaflet's text as the JSON's sections hold it."""
    return json.dumps(leaflet(out, name)["sections"], ensure_ascii=False)


def signoff(out: Path, name: str) -> dict[str, str]:
    signed: dict[str, str] = leaflet(out, name)["signoff"]  # type: ignore[assignment]
    return signed


def facts(out: Path) -> dict[str, dict[str, str]]:
    entries = json.loads((out / RECORD_NAME).read_text("utf-8"))["entries"]
    return {Path(key).name: entry["facts"] for key, entry in entries.items()}


def test_a_leaflet_keeps_its_first_publication_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    write(inbox, "a.txt", "Alpha\n\nIt helps.\n")
    write(inbox, "b.md", "---\npublished: 2020-05-01\n---\n# Beta\n\nIt helps.\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY_1)
    assert build(inbox, out, config(tmp_path)) == 0
    assert [signoff(out, n)["published"] for n in ("alpha", "beta")] == [
        "2025-01-01",
        "2020-05-01",
    ]
    # the next day, with another clinic name (everything is rebuilt), and a newcomer
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY_2)
    write(inbox, "c.txt", "Gamma\n\nIt helps.\n")
    capsys.readouterr()
    assert build(inbox, out, config(tmp_path, clinic="Hillside Surgery")) == 0
    assert "built 3, skipped 0" in capsys.readouterr().out
    assert [signoff(out, n)["published"] for n in ("alpha", "beta", "gamma")] == [
        "2025-01-01",  # its first date, not today's
        "2020-05-01",  # the article's own
        "2025-01-02",  # a newcomer's first build is today
    ]
    assert '<time datetime="2025-01-01">1 January 2025</time>' in (out / "alpha.html").read_text()
    # the article's own date always wins, and the remembered one is never overwritten
    write(inbox, "a.txt.meta.toml", "published = 2024-06-01\n")
    assert build(inbox, out, config(tmp_path, clinic="Hillside Surgery")) == 0
    assert signoff(out, "alpha")["published"] == "2024-06-01"
    assert facts(out)["a.txt"] == {"first_published": "2025-01-01"}
    (inbox / "a.txt.meta.toml").unlink()
    assert build(inbox, out, config(tmp_path, clinic="Hillside Surgery"), "--force") == 0
    assert signoff(out, "alpha")["published"] == "2025-01-01"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_namesakes_print_their_own_web_address(
    tmp_path: Path, jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    for name in ("a.txt", "b.txt", "c.txt"):
        write(inbox, name, f"Shared Title\n\nThe text of {name}.\n")
    write(inbox, "d.txt", "Other Title\n\nIt helps.\n")
    settings = config(tmp_path)
    assert build(inbox, out, settings, "-j", jobs) == 0
    names = sorted(p.stem for p in out.glob("[!.]*.json"))
    assert len(names) == 4 and "shared-title" in names and "other-title" in names
    for name in names:
        address = f"{BASE}{name}.html"
        assert signoff(out, name)["web_address"] == address
        assert f'href="{address}"' in (out / f"{name}.html").read_text("utf-8")
    capsys.readouterr()
    assert build(inbox, out, settings) == 0
    assert "built 0, skipped 4" in capsys.readouterr().out
    assert sorted(p.stem for p in out.glob("[!.]*.json")) == names


def test_the_sidecar_is_part_of_its_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    write(inbox, "a.txt", "Alpha\n\nIt helps.\n")
    sidecar = write(inbox, "a.txt.meta.toml", 'author = "Dr One"\n')
    settings = config(tmp_path)
    assert build(inbox, out, settings) == 0
    shown = capsys.readouterr().out
    assert "built 1, skipped 0, failed 0" in shown and "not an article" not in shown
    assert sorted(p.name for p in out.glob("[!.]*.json")) == ["alpha.json"]
    assert signoff(out, "alpha")["author"] == "Dr One"
    for text, author in [('author = "Dr Two"\n', "Dr Two"), (None, "Dr Clinic Default")]:
        if text is None:
            sidecar.unlink()
        else:
            sidecar.write_text(text, "utf-8")  # only the sidecar changes
        assert build(inbox, out, settings) == 0
        assert "built 1, skipped 0" in capsys.readouterr().out
        assert signoff(out, "alpha")["author"] == author
    assert build(inbox, out, settings) == 0
    assert "built 0, skipped 1" in capsys.readouterr().out
    sidecar.write_text('authr = "Dr Typo"\n', "utf-8")
    assert build(inbox, out, settings) == 1
    captured = capsys.readouterr()
    assert f"{sidecar}: unknown key 'authr'" in captured.out + captured.err
    assert signoff(out, "alpha")["author"] == "Dr Clinic Default"  # the last good one kept


def test_figures_render_in_a_leaflet_built_from_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(READERS, inbox, ignore=shutil.ignore_patterns("botox-*"))
    assert build(inbox, out, config(tmp_path)) == 0
    printed = capsys.readouterr()
    assert "not an article" not in printed.out + printed.err  # the figure's image is its
    blocks = [b for s in leaflet(out, "low-dose-aspirin")["sections"] for b in s["blocks"]]  # type: ignore[attr-defined]
    figure = next(block for block in blocks if block["type"] == "figure")
    assert figure["media_type"] == "image/png" and figure["width"] > 0
    page = (out / "low-dose-aspirin.html").read_text("utf-8")
    assert f'alt="{figure["alt"]}"' in page and "data:image/png;base64," in page


SPUN = "Alpha\n\nSmооthin’ hеlps an’ hеals an’ calms.\n"


def reject_first(article: Path, before: str) -> None:
    """An editor's decision beside ``article``: the first repair of ``before`` rejected."""
    text = load_article(article).text
    key = next(m.key for m in clean_reviewed(text).marks if m.key.before == before)
    save_review(article, Review(text_digest(text), frozenset({key})))


def test_an_editors_decisions_are_honoured_by_build_and_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out, cleaned = tmp_path / "in", tmp_path / "out", tmp_path / "cleaned"
    article = write(inbox, "a.txt", SPUN)
    settings = config(tmp_path)
    assert build(inbox, out, settings) == 0
    assert "an’" not in body(out, "alpha")
    review_page = (out / "alpha.review.html").read_text("utf-8")
    assert 'data-stage="contractions"' in review_page and "Alpha" in review_page  # marked
    index = (out / "index.html").read_text("utf-8")
    assert 'href="alpha.review.html"' in index
    reject_first(article, "an’")  # only the sidecar changes: the article is rebuilt
    capsys.readouterr()
    assert build(inbox, out, settings) == 0
    captured = capsys.readouterr()
    assert "built 1, skipped 0" in captured.out and "not an article" not in captured.out
    assert "helps an’ heals and calms" in body(out, "alpha")
    rejected = '<td class="num">2</td><td class="num">1</td>'  # contractions: 2 made, 1 not
    assert rejected in (out / "alpha.review.html").read_text("utf-8")
    assert main(["clean", str(inbox), "-o", str(cleaned), "-j", "1"]) == 0
    kept = "Alpha\n\nSmoothing helps an’ heals and calms.\n"
    assert (cleaned / "a.txt").read_text("utf-8") == kept
    assert not (cleaned / "a.txt.review.json").exists()  # a sidecar is not an article


def test_a_review_saved_for_another_text_is_reported_and_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    article = write(inbox, "a.txt", SPUN)
    reject_first(article, "an’")
    write(inbox, "a.txt", SPUN.replace("calms", "soothes"))
    assert build(inbox, out, config(tmp_path)) == 0
    captured = capsys.readouterr()
    assert "built 1, skipped 0, failed 0" in captured.out
    assert f"{article}.review.json: was saved for another version of a.txt" in captured.err
    assert "an’" not in body(out, "alpha")
