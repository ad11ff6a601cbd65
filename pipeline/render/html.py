"""Document -> HTML: one self-contained, accessible page per article.

:func:`render_html` makes the web page: styles, fonts (subset to the characters used)
and the clinic's logo are all inside the file, there are no scripts, and nothing is
fetched from anywhere. :func:`render_print_html` makes the same markup for WeasyPrint,
which gets its styles and fonts from :mod:`pipeline.render.pdf` instead.

Steps of :func:`render_html`:

1. render ``leaflet.html.j2`` without styles to learn which characters the page uses;
2. subset the fonts to those characters and inline them with ``leaflet.css``;
3. render again with the styles and the logo as a ``data:`` URL.

Every piece of article text goes through Jinja2's autoescaping, or through
:func:`~pipeline.render.links.linkify`, which escapes it too: ``<script>`` in an
article is shown as text, never run. Addresses in the text become links. So does every
sign-off detail and every piece of fixed text (:mod:`pipeline.labels`, in the
leaflet's language).

The sign-off (who wrote and reviewed the leaflet, its dates, sources, feedback, other
formats, the QR code to its web address) is a
:class:`~pipeline.signoff.LeafletSignOff`, given or resolved from the document and the
config; a detail without a value is not shown at all.

Figures: the web page embeds each image as a ``data:`` URL, the print markup names the
file (which :class:`~pipeline.render.pdf.LocalFetcher` then reads, and nothing else);
either way the file is checked again to be the image it was when the article was read.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from pipeline.config import LeafletConfig, logo_image
from pipeline.errors import InputError
from pipeline.files import read_regular
from pipeline.labels import labels_for
from pipeline.model import Document, ImageFile
from pipeline.readers.images import MAX_IMAGE_BYTES, image_size
from pipeline.render.fonts import inline_font_faces
from pipeline.render.links import breakable, linkify, print_linkify
from pipeline.render.qr import qr_data_url
from pipeline.signoff import LeafletSignOff, resolve_signoff

TEMPLATE = "leaflet.html.j2"
QR_SIZE = 120
"""The QR code's width and height in CSS pixels on the web page (the PDF sizes it in mm)."""
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def render_html(
    doc: Document, config: LeafletConfig, *, signoff: LeafletSignOff | None = None
) -> str:
    """The leaflet as one self-contained HTML page (the steps are in the module docstring).

    ``signoff`` is what the leaflet is signed off with; by default
    :func:`~pipeline.signoff.resolve_signoff` of ``doc`` and ``config``.
    """
    signed = signoff or resolve_signoff(doc, config)
    draft = _template().render(
        _context(doc, config, signed, styles="", logo_src=None, image_src=lambda image: "")
    )
    styles = static_text("leaflet.css") + "\n" + inline_font_faces(html.unescape(draft))
    logo = _logo_data_url(config)
    return _template().render(
        _context(doc, config, signed, styles=styles, logo_src=logo, image_src=image_data_url)
    )


def render_print_html(
    doc: Document, config: LeafletConfig, *, signoff: LeafletSignOff | None = None
) -> str:
    """The same markup without inline styles, the logo and figures as ``file:`` URLs,
    long words breakable, for WeasyPrint."""
    logo = config.clinic.logo
    return _template().render(
        _context(
            doc,
            config,
            signoff or resolve_signoff(doc, config),
            styles="",
            logo_src=logo.resolve().as_uri() if logo else None,
            image_src=lambda image: Path(checked_image(image)[0]).as_uri(),
            show=print_linkify,
            plain=breakable,
        )
    )


def checked_image(image: ImageFile) -> tuple[str, bytes]:
    """The image's path and bytes, checked to be what the reader found; else an
    :class:`~pipeline.errors.InputError` (the file changed since)."""
    try:
        data = read_regular(Path(image.path), MAX_IMAGE_BYTES)
    except OSError:
        data = b""
    if image_size(data) != (image.media_type, image.width, image.height):
        raise InputError(f"{image.path}: the image changed while the leaflet was made; build again")
    return image.path, data


def image_data_url(image: ImageFile) -> str:
    """The image as a ``data:`` URL, for the self-contained web page."""
    data = checked_image(image)[1]
    return f"data:{image.media_type};base64,{base64.b64encode(data).decode('ascii')}"


def long_date(day: date) -> str:
    """A date as British readers write it.

    >>> long_date(date(2025, 3, 5))
    '5 March 2025'
    """
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def heading_tag(level: int) -> str:
    """The HTML heading for a section level: 2 -> ``h2``, clamped to ``h2``..``h6``.

    >>> heading_tag(3), heading_tag(9)
    ('h3', 'h6')
    """
    return f"h{min(max(level, 2), 6)}"


def phone_href(phone: str) -> str:
    """A ``tel:`` link target, or ``""`` when ``phone`` holds no number.

    >>> phone_href("01632 960 000"), phone_href("not set")
    ('tel:01632960000', '')
    """
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits}" if len(re.sub(r"\D", "", digits)) >= 3 else ""


@cache
def static_text(name: str) -> str:
    """A file from ``pipeline/render/static/``, read once per process."""
    return files("pipeline.render").joinpath("static", name).read_text(encoding="utf-8")


@cache
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(heading_tag=heading_tag, phone_href=phone_href, long_date=long_date)
    return env.get_template(TEMPLATE)


def _context(
    doc: Document,
    config: LeafletConfig,
    signoff: LeafletSignOff,
    *,
    styles: str,
    logo_src: str | None,
    image_src: Callable[[ImageFile], str],
    show: Callable[[str], Markup] = linkify,
    plain: Callable[[str], str] = str,
) -> dict[str, Any]:
    # Markup() marks our own CSS as safe: escaping it would break the <style> element.
    return {
        "doc": doc,
        "config": config,
        "clinic": config.clinic,
        "signoff": signoff,
        "labels": labels_for(signoff.language),
        "qr_src": qr_data_url(signoff.web_address) if signoff.web_address else "",
        "qr_size": QR_SIZE,
        "styles": Markup(styles.replace("</", "<\\/")),
        "logo_src": logo_src,
        "image_src": image_src,
        "show": show,
        "plain": plain,
    }


def _logo_data_url(config: LeafletConfig) -> str | None:
    """The logo as checked and fitted by :func:`~pipeline.config.logo_image` (once per
    process): an ``<img>`` of SVG runs no script and loads nothing, and the page's
    Content-Security-Policy allows only ``data:`` images besides."""
    if config.clinic.logo is None:
        return None
    logo = logo_image(config.clinic.logo)
    return f"data:{logo.mime};base64,{base64.b64encode(logo.data).decode('ascii')}"
