"""Variants side by side: each paper and print size is its own set of files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.cli import main
from pipeline.config import LeafletConfig
from pipeline.errors import ConfigError
from pipeline.publish import Variant, parse_variants

A4_WIDTH, A5_WIDTH = 595, 420  # points


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha Leaflet\n\nIt helps.\n\nRisks\n\nFew.\n", "utf-8")
    return folder


def build(inbox: Path, out: Path, *extra: str) -> int:
    return main(["build", str(inbox), "-o", str(out), "-j", "1", *extra])


def made(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("alpha-leaflet.*"))


def width(pdf: Path) -> int:
    return round(float(PdfReader(pdf).pages[0].mediabox.width))


def test_standard_then_large_print_then_a5_keeps_every_file(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    runs = [(), ("--large-print",), ("--paper", "A5")]
    for extra in runs:
        assert build(inbox, out, *extra) == 0
    assert made(out) == [
        "alpha-leaflet.a5.pdf",
        "alpha-leaflet.html",
        "alpha-leaflet.json",
        "alpha-leaflet.large-print.html",
        "alpha-leaflet.large-print.pdf",
        "alpha-leaflet.pdf",
        "alpha-leaflet.review.html",  # one review page, whatever the variants
    ]
    assert width(out / "alpha-leaflet.pdf") == A4_WIDTH
    assert width(out / "alpha-leaflet.a5.pdf") == A5_WIDTH
    assert 'class="large-print"' in (out / "alpha-leaflet.large-print.html").read_text()
    assert 'class="large-print"' not in (out / "alpha-leaflet.html").read_text()
    capsys.readouterr()
    for extra in [*runs, ("--variants", "standard,large-print,a5")]:
        build(inbox, out, *extra)
        assert "built 0, skipped 1" in capsys.readouterr().out
    index = (out / "index.html").read_text()
    assert ">PDF large print</a>" in index and ">PDF A5</a>" in index


def test_several_variants_in_one_run(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(inbox, out, "--variants", "large-print,a5.large-print", "--format", "pdf") == 0
    assert made(out) == ["alpha-leaflet.a5.large-print.pdf", "alpha-leaflet.large-print.pdf"]
    assert width(out / "alpha-leaflet.a5.large-print.pdf") == A5_WIDTH


def test_the_configured_paper_is_the_standard(inbox: Path, tmp_path: Path) -> None:
    config = tmp_path / "leaflet.toml"
    config.write_text('paper = "A5"\n')
    out = tmp_path / "out"
    assert build(inbox, out, "--config", str(config), "--paper", "A5", "--format", "pdf") == 0
    assert made(out) == ["alpha-leaflet.pdf"]
    assert width(out / "alpha-leaflet.pdf") == A5_WIDTH


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("standard", ["standard"]),
        ("standard, large-print ,A5", ["standard", "large-print", "a5"]),
        ("letter.large-print,large-print.letter", ["letter.large-print"]),
    ],
)
def test_variants_are_read_from_a_list(text: str, names: list[str]) -> None:
    assert [v.name for v in parse_variants(text)] == names


@pytest.mark.parametrize("text", ["a3", "a4.a5", "large", "large-print.large-print"])
def test_an_unknown_variant_is_an_error(text: str) -> None:
    with pytest.raises(ConfigError, match="--variants"):
        parse_variants(text)


@pytest.mark.parametrize(
    ("variant", "kinds"),
    [
        (Variant(), ["json", "html", "pdf"]),
        (Variant(large_print=True), ["json", "large-print.html", "large-print.pdf"]),
        (Variant("A5"), ["json", "html", "a5.pdf"]),
        (Variant("letter", True), ["json", "large-print.html", "letter.large-print.pdf"]),
    ],
)
def test_each_format_is_named_by_what_changes_it(variant: Variant, kinds: list[str]) -> None:
    assert [variant.kind(fmt) for fmt in ("json", "html", "pdf")] == kinds
    config = variant.config(LeafletConfig(), "pdf")
    assert (config.paper, config.large_print) == (variant.paper or "A4", variant.large_print)


def test_variants_and_paper_together_is_an_error(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(inbox, tmp_path / "out", "--variants", "a5", "--paper", "A5") == 1
    assert "--variants" in capsys.readouterr().err
