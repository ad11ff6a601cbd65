"""Which files a figure may show: only an image in its article's own folder (or below),
once links are followed; never a file elsewhere, whatever the address says. ``leaflet
build`` and the studio read an article's figures the same way, so they agree on every
case: the same figure, the same description in its place, or the same one-line error."""

from __future__ import annotations

import base64
import io
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.studio.articles import Studio, prepare


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(out, "PNG")
    return out.getvalue()


SECRET = png("magenta")  # outside the input folder: never shown
CHART = png("teal")


def sparse_png(path: Path) -> None:
    """A PNG header on a file just over the size limit (sparse: no disk used)."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 8, 6))
    os.truncate(path, 10_000_001)


def setup_link(name: str, target: str) -> Callable[[Path, Path], None]:
    """A link ``name`` in the article's folder to ``target`` (from the article's folder,
    or, starting with ``outside``, from the folder outside)."""

    def make(folder: Path, outside: Path) -> None:
        if target.split("/")[0] == "outside":
            (folder / name).symlink_to(outside.joinpath(*target.split("/")[1:]))
        else:
            (folder / name).symlink_to(target)

    return make


def nothing(folder: Path, outside: Path) -> None:
    pass


LEADS_OUT = (
    "leads outside the article's folder through a link, so it is not read; "
    "put the image itself there"
)

# (case, the figure's address ({out}: the folder outside), what else is in the
#  article's folder, what comes of it: "figure", "text", or the error's words)
CASES: list[tuple[str, str, Callable[[Path, Path], None], str]] = [
    ("beside", "chart.png", nothing, "figure"),
    ("below", "pictures/chart.png", nothing, "figure"),
    ("out-and-back", "pictures/../../out-and-back/chart.png", nothing, "figure"),
    ("link-inside", "link.png", setup_link("link.png", "pictures/chart.png"), "figure"),
    ("up", "../../outside/secret.png", nothing, "text"),
    ("up-encoded", "%2e%2e/%2e%2e/outside/secret.png", nothing, "text"),
    ("absolute", "{out}/secret.png", nothing, "text"),
    ("etc", "/etc/passwd", nothing, "text"),
    ("file-url", "file://{out}/secret.png", nothing, "text"),
    ("web", "https://example.org/secret.png", nothing, "text"),
    ("missing", "missing.png", nothing, "text"),
    ("missing-below", "pictures/missing.png", nothing, "text"),
    ("link-out", "link.png", setup_link("link.png", "outside/secret.png"),
     f"image link.png {LEADS_OUT}"),
    ("link-out-to-nothing", "link.png", setup_link("link.png", "outside/nowhere.png"),
     f"image link.png {LEADS_OUT}"),  # what is outside is not looked at
    ("folder-link-out", "pics/secret.png", setup_link("pics", "outside"),
     f"image pics/secret.png {LEADS_OUT}"),
    ("device", "zero.png", setup_link("zero.png", "/dev/zero"), f"image zero.png {LEADS_OUT}"),
    ("link-to-nothing", "gone.png", setup_link("gone.png", "nowhere.png"),
     "image gone.png is a link to nowhere.png, which does not exist; fix or remove the link"),
    ("link-loop", "loop.png", setup_link("loop.png", "loop.png"),
     "image loop.png is a link that leads back to itself (a loop); fix or remove the link"),
    ("fifo", "pipe.png", lambda f, o: os.mkfifo(f / "pipe.png"),
     "image pipe.png is not a regular file (a pipe or device); put the image itself there"),
    ("link-to-a-fifo", "link.png", lambda f, o: (os.mkfifo(f / "pipe"), setup_link(
        "link.png", "pipe")(f, o)),
     "image link.png is not a regular file (a pipe or device); put the image itself there"),
    ("folder", "pictures", nothing, "image pictures is a folder; give the image's file"),
    ("large", "big.png", lambda f, o: sparse_png(f / "big.png"),
     "image big.png is over 10,000,000 bytes; make it smaller"),
    ("not-an-image", "fake.png", lambda f, o: (f / "fake.png").write_text("root:x:0:0:\n"),
     "image fake.png is not a PNG, JPEG or GIF image; replace it"),
]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Every case in one folder (``in``; ``outside`` beside it), built once into ``out``."""
    root = tmp_path_factory.mktemp("figures")
    inbox, outside, out = root / "in", root / "outside", root / "out"
    outside.mkdir()
    (outside / "secret.png").write_bytes(SECRET)
    for case, src, make, _expected in CASES:
        folder = inbox / case
        (folder / "pictures").mkdir(parents=True)
        (folder / "chart.png").write_bytes(CHART)
        (folder / "pictures" / "chart.png").write_bytes(CHART)
        make(folder, outside)
        address = src.format(out=outside)
        text = f"# Case {case}\n\nA leaflet.\n\n![The {case} picture]({address})\n"
        (folder / "a.md").write_text(text, "utf-8")
    main(["build", str(inbox), "-o", str(out), "-j", "1", "--format", "json,html"])
    return inbox, out


def figures(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for s in document["sections"] for b in s["blocks"] if b["type"] == "figure"]


@pytest.mark.parametrize(("case", "expected"), [(c[0], c[3]) for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_build_and_the_studio_agree_on_what_a_figure_shows(
    built: tuple[Path, Path], case: str, expected: str
) -> None:
    inbox, out = built
    studio = Studio(inbox, out / "studio-output", out / "no-leaflet.toml")
    leaflet = out / f"case-{case}.json"
    if expected not in ("figure", "text"):
        assert not leaflet.exists()
        report = (out / "report.csv").read_text("utf-8")
        assert f"{inbox / case / 'a.md'}: {expected}" in report
        with pytest.raises(InputError) as raised:
            prepare(studio, "folder", f"{case}/a.md")
        assert str(raised.value) == f"{inbox / case / 'a.md'}: {expected}"
        return
    shown = figures(json.loads(leaflet.read_text("utf-8")))
    in_studio = figures(prepare(studio, "folder", f"{case}/a.md").document.to_dict())
    assert shown == in_studio and len(shown) == (expected == "figure")
    page = (out / f"case-{case}.html").read_text("utf-8")
    assert (base64.b64encode(CHART).decode() in page) is (expected == "figure")
    assert f"The {case} picture" in page  # the image, or its description in its place


def test_nothing_outside_the_folder_reaches_any_output(
    built: tuple[Path, Path],
) -> None:
    _inbox, out = built
    secret = base64.b64encode(SECRET).decode()
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert secret not in text and "root:x:0:0" not in text, path


# ---------------------------------------------------------------- hostile figure lines


def test_figures_over_the_limit_in_all_fail_the_article_not_the_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each figure line embeds its image: one image shown under many spellings (or many
    times) counts each time, and past the limit the article fails with one line."""
    from pipeline.readers import images

    (tmp_path / "chart.png").write_bytes(CHART)
    spellings = ["chart.png", "./chart.png", "%2E/chart.png", "chart.png"]
    text = "# T\n\n" + "\n\n".join(f"![A chart]({src})" for src in spellings)
    monkeypatch.setattr(images, "MAX_FIGURE_BYTES", len(CHART) * 4)
    assert len(images.find_images(text, tmp_path, "a.md")) == 3  # within: one per address
    monkeypatch.setattr(images, "MAX_FIGURE_BYTES", len(CHART) * 4 - 1)
    with pytest.raises(InputError, match=r"^a\.md: its figures come to over .* in all"):
        images.find_images(text, tmp_path, "a.md")


def test_an_image_shown_under_many_addresses_is_hashed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import inputs

    (tmp_path / "chart.png").write_bytes(CHART)
    article = tmp_path / "a.md"
    lines = [f"![A chart]({'./' * n}chart.png)" for n in range(50)]
    article.write_text("# T\n\n" + "\n\n".join(lines), "utf-8")
    hashed: list[Path] = []
    real_state = inputs.image_state
    monkeypatch.setattr(inputs, "image_state", lambda p: hashed.append(p) or real_state(p))
    source = inputs.Source(article, "a.md", "markdown")
    states = inputs.read_figures(source, article.read_bytes())
    assert len(states) == 50 and len(set(states.values())) == 1
    assert hashed == [(tmp_path / "chart.png").resolve()]


def test_an_image_that_became_a_pipe_is_refused_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is read is checked as opened: a pipe put where the image was, after it was
    found to be a file, is refused at once (a plain open would wait for a writer)."""
    from pipeline.readers import images

    os.mkfifo(tmp_path / "chart.png")
    monkeypatch.setattr(images, "local_file", lambda src, folder: folder / src)  # "a file"
    with pytest.raises(InputError, match=r"image chart\.png cannot be read \(it is not a regular"):
        images.find_images("![A chart](chart.png)", tmp_path, "a.md")


def test_a_warning_shows_a_file_name_s_control_characters_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = tmp_path / "r\x1b[31mred.md"
    name.write_text("# T\n\n![A chart](missing.png)\n\nText.\n", "utf-8")
    assert main(["clean", str(name), "-o", str(tmp_path / "out.md")]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "r\\x1b[31mred.md: image missing.png is not beside the article" in err
