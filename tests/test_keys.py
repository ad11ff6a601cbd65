"""An article's key holds everything that changes its outputs' bytes: its own bytes, its
sidecars' and the images its figure lines show (their bytes, or that there is none), so
editing, adding or deleting any of them rebuilds it, and nothing else does. The key is
found without sectioning: an up-to-date build still loads neither spaCy nor WeasyPrint.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from pipeline.batch import BuildResult, run_batch
from pipeline.cli import main
from tests.test_layers import loaded
from tests.test_runner import Copy

ONE = Copy(kinds=("out",))  # a work that copies each article, without spaCy

ARTICLE = """# Chart

Doses by age.

![Chart of doses](chart.png)

![Not there yet](later.png)

Inline ![icon](inline.png) images are only text.
"""


def png(colour: str, size: tuple[int, int] = (8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def inbox_with_figures(folder: Path) -> Path:
    """``a.md`` showing ``chart.png`` (and ``later.png``, missing), its sidecars, a text
    article naming ``chart.png`` too, and other files beside them."""
    (folder / "pictures").mkdir(parents=True)
    (folder / "a.md").write_text(ARTICLE, "utf-8")
    (folder / "a.md.meta.toml").write_text('author = "Dr A"\n', "utf-8")
    (folder / "t.txt").write_text("Text\n\n![Chart](chart.png)\n", "utf-8")
    (folder / "b.md").write_text("# Beta\n\nIt helps.\n", "utf-8")
    for name, colour in [("chart.png", "red"), ("other.png", "blue"), ("inline.png", "green"),
                         ("pictures/copy.png", "red")]:  # fmt: skip
        (folder / name).write_bytes(png(colour))
    return folder


def replace_with_link(target: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / "chart.png").unlink()
        (folder / "chart.png").symlink_to(target)

    return change


def touch(path: Path) -> None:
    os.utime(path, (1, 1))


# (what is done between two builds, the articles rebuilt)
CHANGES: list[tuple[str, Callable[[Path], None], set[str]]] = [
    ("nothing", lambda f: None, set()),
    ("touch the image", lambda f: touch(f / "chart.png"), set()),
    ("edit the image", lambda f: (f / "chart.png").write_bytes(png("black")), {"a.md"}),
    ("delete the image", lambda f: (f / "chart.png").unlink(), {"a.md"}),
    ("add the missing image", lambda f: (f / "later.png").write_bytes(png("red")), {"a.md"}),
    ("a pipe where the missing image is", lambda f: os.mkfifo(f / "later.png"), {"a.md"}),
    ("a folder where the missing image is", lambda f: (f / "later.png").mkdir(), {"a.md"}),
    ("the same bytes through a link", replace_with_link("pictures/copy.png"), set()),
    ("a link leading out", replace_with_link("/etc/passwd"), {"a.md"}),
    ("an image too large", lambda f: os.truncate(f / "chart.png", 10_000_001), {"a.md"}),
    ("edit an image no figure shows", lambda f: (f / "other.png").write_bytes(png("red")),
     set()),
    ("edit an inline image", lambda f: (f / "inline.png").write_bytes(png("red")), set()),
    ("edit the sign-off sidecar", lambda f: (f / "a.md.meta.toml").write_text(
        'author = "Dr B"\n', "utf-8"), {"a.md"}),
    ("add a review sidecar", lambda f: (f / "a.md.review.json").write_text("{}", "utf-8"),
     {"a.md"}),
    ("add the other article's sidecar", lambda f: (f / "b.md.meta.toml").write_text(
        'author = "Dr B"\n', "utf-8"), {"b.md"}),
    ("edit the article", lambda f: (f / "a.md").write_text(ARTICLE + "\nMore.\n", "utf-8"),
     {"a.md"}),
]  # fmt: skip


@pytest.mark.parametrize(("change", "rebuilt"), [c[1:] for c in CHANGES],
                         ids=[c[0] for c in CHANGES])  # fmt: skip
def test_what_rebuilds_an_article(
    tmp_path: Path, change: Callable[[Path], None], rebuilt: set[str]
) -> None:
    inbox, out = inbox_with_figures(tmp_path / "in"), tmp_path / "out"
    first = run_batch(ONE, [inbox], out)
    assert first.count("built") == 3
    change(inbox)
    second = run_batch(ONE, [inbox], out)
    assert {o.source.name for o in second.outcomes if o.status == "built"} == rebuilt
    third = run_batch(ONE, [inbox], out)
    assert third.count("built") == 0 and third.count("skipped") == 3  # and then it holds


def test_an_article_that_failed_on_its_image_is_tried_again_once_the_image_is_mended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.md").write_text(ARTICLE, "utf-8")
    (inbox / "chart.png").write_text("root:x:0:0:root:/root:/bin/bash\n")
    build = ["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json"]
    for _ in range(2):  # the second time without the work: nothing changed
        assert main(build) == 1
        assert "image chart.png is not a PNG, JPEG or GIF image" in capsys.readouterr().err
    (inbox / "chart.png").write_bytes(png("red"))
    assert main(build) == 0
    assert "built 1, skipped 0, failed 0" in capsys.readouterr().out


def figure_colours(page: str) -> list[object]:
    """The colour of each figure the web page embeds (the images are one colour each)."""
    found = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    return [Image.open(io.BytesIO(base64.b64decode(data))).getpixel((0, 0)) for data in found]


def test_the_leaflet_shows_the_image_as_it_is_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.md").write_text("# Chart\n\nDoses by age.\n\n![Chart of doses](chart.png)\n")
    build = ["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json,html"]
    steps: list[tuple[Callable[[], object], list[object]]] = [
        (lambda: (inbox / "chart.png").write_bytes(png("red")), [(255, 0, 0)]),
        (lambda: (inbox / "chart.png").write_bytes(png("blue")), [(0, 0, 255)]),
        (lambda: (inbox / "chart.png").unlink(), []),
        (lambda: (inbox / "chart.png").write_bytes(png("lime")), [(0, 255, 0)]),
    ]
    for step, colours in steps:
        step()
        assert main(build) == 0
        assert "built 1, skipped 0" in capsys.readouterr().out
        page = (out / "chart.html").read_text("utf-8")
        assert figure_colours(page) == colours
        blocks = [b["type"] for s in json.loads((out / "chart.json").read_text())["sections"]
                  for b in s["blocks"]]  # fmt: skip
        assert ("figure" in blocks) is bool(colours)


@pytest.mark.skipif(importlib.util.find_spec("weasyprint") is None, reason="needs WeasyPrint")
def test_an_up_to_date_article_with_figures_loads_neither_spacy_nor_weasyprint(
    tmp_path: Path,
) -> None:
    inbox = inbox_with_figures(tmp_path / "in")
    build = ("build", str(inbox / "a.md"), "-o", str(tmp_path / "out"), "-j", "1")
    assert loaded(*build)[0] == 0
    status, modules = loaded(*build)
    assert status == 0
    assert not {"spacy", "weasyprint", "fontTools", "ftfy", "wordfreq"} & set(modules)


@pytest.mark.parametrize(
    ("codec", "given"),
    [("utf-8", None), ("utf-16", None), ("cp1252", None), ("cp850", "cp850"), ("utf-8-sig", None)],
)
def test_figure_lines_are_read_in_the_article_s_own_encoding(
    tmp_path: Path, codec: str, given: str | None
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.md").write_bytes("# Café\n\n![Le café](café.png)\n".encode(codec))
    (inbox / "café.png").write_bytes(png("red"))
    work = Copy(kinds=("out",), encoding=given)
    run_batch(work, [inbox], out)
    (inbox / "café.png").write_bytes(png("blue"))
    assert run_batch(work, [inbox], out).count("built") == 1


@pytest.mark.parametrize(
    ("encoding", "line"),
    [
        ("undefined", "![x](chart.png)"),  # a codec that raises a bare UnicodeError
        ("unicode_escape", "![x](\\ud800.png)"),  # a lone surrogate in the address
        (None, "![x](\x00.png)"),
        (None, "![x](" + "a" * 5000 + ".png)"),  # a name too long for the system
        (None, "![x](" + "../" * 2000 + "etc/passwd)"),
    ],
)
def test_a_hostile_figure_line_fails_its_article_never_the_batch(
    tmp_path: Path, encoding: str | None, line: str
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.md").write_text(f"# A\n\n{line}\n", "utf-8")
    (inbox / "b.txt").write_text("beta\n", "utf-8")
    result = run_batch(Copy(kinds=("out",), encoding=encoding), [inbox], out)
    statuses = {o.source.name: o.status for o in result.outcomes}
    assert statuses["b.txt"] == ("built" if encoding != "undefined" else "failed")
    assert statuses["a.md"] in ("built", "failed")
    again = run_batch(Copy(kinds=("out",), encoding=encoding), [inbox], out)
    assert again.count("built") == 0  # and the key is stable


def _others(result: BuildResult, inbox: Path) -> set[str]:
    return {o.source.path.relative_to(inbox).as_posix() for o in result.outcomes
            if o.status == "not an article"}  # fmt: skip


def _linked_figure(folder: Path) -> None:
    (folder / "c.md").write_text("# C\n\n![Link](link.png)\n")
    (folder / "link.png").symlink_to("other.png")


# (what is added to inbox_with_figures, the files then listed as no article)
FIGURE_CASES: list[tuple[str, Callable[[Path], None], set[str]]] = [
    # chart.png is a.md's figure; inline.png only text in a paragraph; the others unused
    ("as found", lambda f: None, {"other.png", "inline.png", "pictures/copy.png"}),
    ("a figure below the article", lambda f: (f / "c.md").write_text(
        "# C\n\n![Copy](pictures/copy.png)\n"), {"other.png", "inline.png"}),
    ("a figure through a link inside", lambda f: _linked_figure(f),
        {"inline.png", "pictures/copy.png"}),  # the link, and the file it leads to
    ("a figure above its article's folder is none", lambda f: (f / "pictures" / "d.md")
        .write_text("# D\n\n![Up](../other.png)\n"),
        {"other.png", "inline.png", "pictures/copy.png"}),
    ("a text article shows no figure", lambda f: (f / "a.md").unlink(),
        {"chart.png", "other.png", "inline.png", "pictures/copy.png"}),
    ("an article that cannot be read shows none", lambda f: (f / "a.md").write_bytes(b"\xff" * 64),
        {"chart.png", "other.png", "inline.png", "pictures/copy.png"}),
]  # fmt: skip


@pytest.mark.parametrize(("change", "listed"), [c[1:] for c in FIGURE_CASES],
                         ids=[c[0] for c in FIGURE_CASES])  # fmt: skip
def test_images_an_article_shows_are_part_of_it_not_files_that_are_no_article(
    tmp_path: Path, change: Callable[[Path], None], listed: set[str]
) -> None:
    inbox = inbox_with_figures(tmp_path / "in")
    change(inbox)
    result = run_batch(ONE, [inbox], tmp_path / "out")
    assert _others(result, inbox) == listed
    assert result.summary().endswith(f"; {len(listed)} files not an article")


def test_leaflet_clean_lists_no_figure_as_a_file_that_is_no_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = inbox_with_figures(tmp_path / "in")
    assert main(["clean", str(inbox), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr()
    assert "other.png: not an article (image/png)" in printed.err  # a line each, in a log
    assert "chart.png" not in printed.err
    assert printed.out.endswith("; 3 files not an article\n")
