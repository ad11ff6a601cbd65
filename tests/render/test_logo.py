"""The clinic's logo in the web page and the PDF: the checked, fitted copy, never the file
unchecked; SVG drawn without fetching anything."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

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
    """A logo: navy, its right half white, so a picture garbled on the way shows."""
    image = Image.new("RGB", size, "navy")
    image.paste("white", (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


NAVY_WHITE = ((0, 0, 128), (255, 255, 255))


def colours(image: Image.Image) -> tuple[Any, Any]:
    """The colours a quarter and three quarters of the way across, half-way down."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    return rgb.getpixel((width // 4, height // 2)), rgb.getpixel((width * 3 // 4, height // 2))


def near(found: tuple[Any, Any], wanted: tuple[Any, Any]) -> bool:
    """Each channel within 8 of the colour wanted (JPEG is not exact)."""
    pairs = zip(found, wanted, strict=True)
    return all(abs(a - b) <= 8 for got, want in pairs for a, b in zip(got, want, strict=True))


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
            assert near(colours(image), NAVY_WHITE)
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
    (image,) = reader(pdf).pages[0].images
    # the fitted copy, not the 3000 x 1500 file, and its pixels, not the file's read again
    assert image.image is not None and image.image.size == (1200, 600)
    assert near(colours(image.image), NAVY_WHITE)


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
