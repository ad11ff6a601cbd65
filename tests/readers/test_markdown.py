"""Markdown files: front matter out of the text, and figures only for real images beside
the article (checked by their bytes and pixel size, never by their names)."""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers.images import image_size, local_file
from pipeline.readers.markdown import read_markdown

DATA = Path(__file__).parent.parent / "data" / "readers"


def png_header(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", width, height) + bytes(9)


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", height, width)


def read(folder: Path, text: str) -> tuple[str, ...]:
    path = folder / "article.md"
    path.write_text(text, "utf-8")
    return tuple(image.src for image in read_markdown(path.read_bytes(), path).images)


def test_the_sample_reads_front_matter_and_its_chart() -> None:
    path = DATA / "aspirin.md"
    article = read_markdown(path.read_bytes(), path)
    assert article.kind == "markdown" and article.text.startswith("Low-dose aspirin helps")
    assert article.meta.reviewer == "Dr Ben Jones, consultant cardiologist"
    assert "author:" not in article.text and article.layout.header.startswith("---\ntitle:")
    (chart,) = article.images
    assert (chart.src, chart.media_type, chart.width, chart.height) == (
        "doses-chart.png", "image/png", 280, 150
    )
    assert Path(chart.path) == (DATA / "doses-chart.png").resolve()


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("![Chart](chart.png)", ("chart.png",)),
        ("  ![Chart](chart.png \"Doses\")  ", ("chart.png",)),
        ("![Chart](pictures/chart.png)", ("pictures/chart.png",)),
        ("![Chart](pictures%2Fchart.png)", ("pictures%2Fchart.png",)),
        ("See ![Chart](chart.png) inline.", ()),  # inside a paragraph: its text only
        ("![Missing](missing.png)", ()),
        ("![Up](../outside.png)", ()),
        ("![Abs](/etc/passwd)", ()),
        ("![Web](https://example.org/chart.png)", ()),
        ("![File](file:///etc/passwd)", ()),
        ("![Missing](pictures/missing.png)", ()),
        ("![Up and back](../articles/missing.png)", ()),
        ("![Link](../articles/link-out.png)", ()),  # a path leading out: not looked at
    ],
)
def test_figures_only_for_files_beside_the_article(
    tmp_path: Path, line: str, found: tuple[str, ...]
) -> None:
    folder = tmp_path / "articles"
    (folder / "pictures").mkdir(parents=True)
    for place in ("articles/chart.png", "articles/pictures/chart.png", "outside.png"):
        shutil.copy(DATA / "doses-chart.png", tmp_path / place)
    (folder / "link-out.png").symlink_to(tmp_path / "outside.png")
    assert read(folder, f"# Title\n\n{line}\n") == found


# (what stands at the figure's name in the article's folder: the error's words)
NOT_AN_IMAGE_FILE = {
    "a link out": (lambda f: (f / "x.png").symlink_to(f.parent / "outside.png"),
                   "leads outside the article's folder through a link"),
    "a folder that is a link out": (lambda f: (f / "up").symlink_to(f.parent),
                                    "leads outside the article's folder through a link"),
    "a folder": (lambda f: (f / "x.png").mkdir(), "is a folder"),
    "a pipe": (lambda f: os.mkfifo(f / "x.png"), "is not a regular file (a pipe or device)"),
    "a link to nothing": (lambda f: (f / "x.png").symlink_to("gone.png"),
                          "is a link to gone.png, which does not exist"),
    "a link loop": (lambda f: (f / "x.png").symlink_to("x.png"), "is a link that leads back"),
}  # fmt: skip


@pytest.mark.parametrize(("make", "message"), NOT_AN_IMAGE_FILE.values(), ids=NOT_AN_IMAGE_FILE)
def test_what_stands_at_a_figure_s_name_and_is_no_image_file_is_an_error(
    tmp_path: Path, make: Callable[[Path], object], message: str
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(DATA / "doses-chart.png", tmp_path / "outside.png")
    make(folder)
    src = "up/outside.png" if (folder / "up").exists() else "x.png"
    with pytest.raises(InputError) as raised:
        read(folder, f"# Title\n\n![Chart]({src})\n")
    assert str(raised.value).startswith(f"{folder / 'article.md'}: image {src} {message}")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"root:x:0:0:root:/root:/bin/bash\n", "is not a PNG, JPEG or GIF image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is not a PNG, JPEG or GIF image"),
        (png_header(12_000, 12_000), "12000 x 12000 pixels, over 4000 x 4000"),
        (png_header(0, 10), "0 x 10 pixels"),
        (jpeg_header(5000, 10), "5000 x 10 pixels"),
    ],
)
def test_a_file_that_is_not_a_usable_image_is_an_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "p.png").write_bytes(content)
    with pytest.raises(InputError) as raised:
        read(tmp_path, "# Title\n\n![Chart](p.png)\n")
    assert str(raised.value).startswith(f"{tmp_path / 'article.md'}: image p.png ")
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (png_header(640, 480), ("image/png", 640, 480)),
        (jpeg_header(800, 600), ("image/jpeg", 800, 600)),
        (b"GIF89a\x10\x00\x20\x00", ("image/gif", 16, 32)),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", None),  # cut before its size
        (b"\x89PNG\r\n\x1a\n", None),
        (b"GIF8", None),
        (b"", None),
    ],
)
def test_image_size(head: bytes, expected: tuple[str, int, int] | None) -> None:
    assert image_size(head) == expected


def test_local_file_never_leaves_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"x")
    assert local_file("a.png", tmp_path) == (tmp_path / "a.png").resolve()
    assert local_file("a.png\x00.txt", tmp_path) is None
    assert local_file("../" + tmp_path.name + "/a.png", tmp_path) == (tmp_path / "a.png").resolve()
    assert local_file("C:\\a.png", tmp_path) is None


def test_empty_after_front_matter_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: x\n---\n\n", "utf-8")
    with pytest.raises(InputError, match="has front matter but no article text after it; add"):
        read_markdown(path.read_bytes(), path)
