"""The whole pipeline as ``leaflet build`` runs it: spun text in, a leaflet out.

The render tests use Documents built by hand; these go through cleaning and sectioning
too, so a regression anywhere between the raw file and the PDF shows here.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from pipeline import build_document
from pipeline.cli import main
from pipeline.config import LeafletConfig
from pipeline.normalise.homoglyphs import LOOKALIKES
from pipeline.render import render_pdf
from tests.render.helpers import pdf_text

ROOT = Path(__file__).parent.parent
ARTICLES = [
    ROOT / "raw" / "botox-beyond-beauty.txt",
    *sorted((ROOT / "tests" / "data" / "dev" / "spun").glob("*/*.txt")),
]
# Greek letters the articles really use (NF-κB, 5 μg/mL, β-blockers) are not damage.
REAL_GREEK = set("κμβ")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.replace("\u00ad", ""))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pdf_text_layer_holds_every_cleaned_word_in_order(path: Path, tmp_path: Path) -> None:
    doc = build_document(path.read_text("utf-8"), source=str(path))
    layer = pdf_text(render_pdf(doc, LeafletConfig()), tmp_path)
    assert not {c for c in layer if c in LOOKALIKES} - REAL_GREEK
    wanted, found = _words(doc.text), iter(_words(layer))
    missing = [word for word in wanted if not any(word == seen for seen in found)]
    assert missing == []


def test_a_build_makes_no_network_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    source = tmp_path / "a.txt"
    source.write_text(
        "Title\n\nSee <img src='http://example.com/x.png'> and https://example.com.\n", "utf-8"
    )
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    assert attempts == []
