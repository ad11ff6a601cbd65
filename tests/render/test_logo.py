"""The clinic's logo in the web page and the PDF: the checked, fitted copy, never the file
unchecked; SVG drawn without fetching anything."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from pipeline.config import LeafletConfig, load_config
from pipeline.errors import ConfigError
from pipeline.render import render_html, render_pdf
from pipeline.render.pdf import LocalFetcher

from .helpers import parse, reader, small_document

SVG_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<defs><linearGradient id="g"><stop offset="0" stop-color="navy"/>'
    '<stop offset="1" stop-color="teal"/></linearGradient></defs>'
    '<rect width="120" height="40" fill="url(#g)"/></svg>'
)


def with_logo(config: LeafletConfig, folder: Path, name: str, data: bytes) -> LeafletConfig:
    """``config`` with the logo ``data`` saved as ``name``, loaded as a user's file is."""
    (folder / name).write_bytes(data)
    (folder / "leaflet.toml").write_text(f'[clinic]\nlogo = "{name}"\n', encoding="utf-8")
    logo = load_config(folder / "leaflet.toml").clinic.logo
    return replace(config, clinic=replace(config.clinic, logo=logo))


def image_bytes(size: tuple[int, int], kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, kind)
    return out.getvalue()


def page_logo(page: str) -> tuple[str, bytes]:
    (img,) = [i for i in parse(page).iter("img") if "logo" in i.get("class", "")]
    header, _, data = img.get("src", "").partition(",")
    return header, base64.b64decode(data)


@pytest.mark.parametrize(
    ("name", "data", "mime", "size"),
    [
        ("logo.png", image_bytes((40, 20)), "image/png", (40, 20)),
        ("logo.jpg", image_bytes((40, 20), "JPEG"), "image/jpeg", (40, 20)),
        ("big.png", image_bytes((4000, 1000)), "image/png", (1200, 300)),
        ("big.jpeg", image_bytes((1000, 3000), "JPEG"), "image/jpeg", (200, 600)),
        ("logo.svg", SVG_LOGO.encode(), "image/svg+xml", None),
    ],
)
def test_the_page_embeds_the_fitted_logo(
    name: str, data: bytes, mime: str, size: tuple[int, int] | None,
    tmp_path: Path, config: LeafletConfig,
) -> None:  # fmt: skip
    header, embedded = page_logo(
        render_html(small_document(), with_logo(config, tmp_path, name, data))
    )
    assert header == f"data:{mime};base64"
    if size is None:
        assert embedded == data
    else:
        with Image.open(io.BytesIO(embedded)) as image:
            assert image.size == size
        assert (embedded == data) is (size == Image.open(io.BytesIO(data)).size)


@pytest.mark.parametrize(
    ("name", "data"),
    [("big.png", image_bytes((3000, 1500))), ("logo.svg", SVG_LOGO.encode())],
)
def test_the_pdf_draws_the_logo(
    name: str, data: bytes, tmp_path: Path, config: LeafletConfig
) -> None:
    # The autouse guard fails the test if WeasyPrint refuses or cannot load anything.
    pdf = render_pdf(small_document(), with_logo(config, tmp_path, name, data))
    resources = reader(pdf).pages[0]["/Resources"]
    if name.endswith(".svg"):
        assert "/Pattern" in resources  # its gradient: drawn as vectors
        return
    images = [x.get_object() for x in resources.get("/XObject", {}).values()]
    # the fitted copy, not the 3000 x 1500 file
    assert [(x["/Width"], x["/Height"]) for x in images if x["/Subtype"] == "/Image"] == [
        (1200, 600)
    ]


def test_the_fetcher_serves_the_fitted_logo(tmp_path: Path, config: LeafletConfig) -> None:
    logo = with_logo(config, tmp_path, "big.png", image_bytes((2400, 600))).clinic.logo
    assert logo is not None
    response = LocalFetcher(logo).fetch(logo.as_uri())
    assert response.content_type == "image/png"
    with Image.open(io.BytesIO(response.read())) as image:
        assert image.size == (1200, 300)


@pytest.mark.parametrize("render", [render_html, render_pdf], ids=["html", "pdf"])
def test_a_logo_spoiled_after_loading_fails_the_article_in_one_line(
    render: object, tmp_path: Path, config: LeafletConfig
) -> None:
    spoiled = with_logo(config, tmp_path, "logo.png", image_bytes((40, 20)))
    (tmp_path / "logo.png").write_bytes(Path("/etc/passwd").read_bytes())
    with pytest.raises(ConfigError, match=r"^clinic.logo '.*logo.png' is not a PNG image"):
        render(small_document(), spoiled)  # type: ignore[operator]
