"""Document -> PDF with WeasyPrint: tagged (PDF/UA-1), reproducible, local files only.

:func:`render_pdf` lays out :func:`~pipeline.render.html.render_print_html` with
``leaflet.css`` (its ``@media print`` part sets 14 pt body text, 18 pt for large
print), ``pdf.css`` (running header and footer), ``@font-face`` rules for the packaged
fonts, and the page size for the configured paper with the footer's "Page X of Y" in the
leaflet's language (:func:`page_rule`).

Safety: WeasyPrint reads every resource through :class:`LocalFetcher`, which serves only
files under ``pipeline/render/static/``, the font files, the configured logo and the
article's checked figure images and the QR code it drew itself, and refuses anything
else (``http:``, any other ``data:``, other files). The logo it serves is the copy
:func:`~pipeline.config.logo_image` checked and fitted, never the file's bytes
unchecked; an SVG logo was refused at load if it refers to anything outside itself.

Bounded time: an article over one of :data:`PDF_LIMITS` (characters, blocks, table
cells and their characters, links, the figures' pixels) is refused for PDF with a message
(its JSON and HTML can still be built), and words longer than a line get break
opportunities (:func:`~pipeline.render.links.breakable`), so every accepted article is
laid out in time that grows in step with its length.

Nothing cut off: a table wider than its page is laid out again with its words broken
where they must be (:data:`BREAK_WORDS`), and one still wider (more columns than the
paper holds, even a letter each) is refused with a message, never printed with its
right-hand columns lost.

PDF/UA: WeasyPrint writes the tags and :mod:`pipeline.render.tagging` mends what it
leaves short (artifacts, elements split by page breaks, list numbering).

Reproducibility: the PDF's dates come from the leaflet's publication date (its
sign-off, through ``<meta name="dcterms.created">``), never from the clock, and the
tags are mended deterministically, so the same document and config give the same bytes.

Speed: the font configuration and parsed stylesheets are built once per process.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import multiprocessing.util
import shutil
import string
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.formatting_structure.boxes import TableBox
from weasyprint.text.fonts import FontConfiguration

from pipeline.config import LeafletConfig, Paper, logo_image
from pipeline.errors import NoPdfError
from pipeline.files import read_regular
from pipeline.labels import labels_for
from pipeline.model import Block, Document, Figure, ListBlock, Paragraph, Quote, Table
from pipeline.readers.images import MAX_IMAGE_BYTES
from pipeline.render.fonts import characters_missing, font_files, pdf_font_faces
from pipeline.render.html import render_print_html, static_text
from pipeline.render.links import ADDRESS
from pipeline.render.qr import qr_data_url, qr_png
from pipeline.render.tagging import fix_tags, noting_elements
from pipeline.signoff import LeafletSignOff, resolve_signoff

LOGGER = logging.getLogger(__name__)
STATIC_DIR = (Path(__file__).parent / "static").resolve()
PDF_VARIANT = "pdf/ua-1"
MAX_PDF_CHARACTERS = 500_000
"""The longest article (in characters of text) made into a PDF: about 150 pages, which
WeasyPrint lays out in about ten seconds on a small machine."""
BREAK_WORDS = "th, td { overflow-wrap: anywhere; }"
"""For a table too wide for its page: its words may break anywhere. Only then, as it
narrows every column of a table that fits (``Dos-e``)."""
MAX_PDF_BLOCKS = 5_000
"""The most headings, paragraphs, list items, table rows and figures a PDF holds: 5,000
one-line list items fill about 180 pages, which WeasyPrint lays out in about 20 seconds.
Short blocks fill pages that the character limit does not see: 60,000 list items (420,000
characters) took eight minutes and 2.8 GB."""
MAX_PDF_CELLS = 4_000
"""The most table cells a PDF holds: WeasyPrint takes about 5 ms and 70 KB for each, and
lays a table out twice when its words must break to fit, so 10,000 cells took over a
minute (and a table of 1,000 columns and 100 rows, minutes and 2 GB)."""
MAX_PDF_COLUMNS = 20
"""The most columns a PDF's table has: no page holds more, even a letter each (20
columns of short words did not fit A4, nor 24 one-letter ones), and a wider one took a
minute and a half to lay out twice before it was refused as too wide."""
MAX_PDF_TABLE_SIZE = 400_000
"""The most a PDF's table may hold of characters times columns: the narrower its
columns, the more lines each cell breaks into and the more WeasyPrint measures (4,000
cells of a short sentence took 23 s in 8 columns, 62 s in 12 and 81 s in 16). 400,000
is 50,000 characters in 8 columns, 20,000 in 20."""
MAX_PDF_TABLE_CHARACTERS = 100_000
"""The most characters a PDF's tables hold: WeasyPrint measures a table's cells several
times, so 2,000 rows of two 120-character cells (490,000 characters) took two minutes."""
MAX_PDF_LINKS = 1_000
"""The most web and e-mail addresses a PDF holds, each a link: 5,000 took half a minute."""
MAX_PDF_PIXELS = 200_000_000
"""The most pixels a PDF's figures hold, each image once: WeasyPrint takes about a second
and a half to read and write 16 million (a 4,000 by 4,000 image), so 150 such images took
four minutes; 200 million is sixteen photographs from a phone."""
# Paper -> (CSS page size, margins: top, sides, bottom). The top and bottom leave room
# for the running header and footer.
PAGES: dict[Paper, tuple[str, str]] = {
    "A4": ("A4", "22mm 20mm 22mm"),
    "A5": ("A5", "18mm 14mm 18mm"),
    "letter": ("letter", "0.85in 0.8in 0.85in"),
}


class RefusedURLError(ValueError):
    """A resource the leaflet does not ship; WeasyPrint logs it and renders without it."""


class LocalFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serve ``file:`` URLs of the static folder, the fonts, the ``logo`` and the article's
    ``figures``, and the exact URLs of images we ``generated``; refuse the rest.

    >>> LocalFetcher().local_path("https://example.org/x.png")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pipeline.render.pdf.RefusedURLError: refused https://example.org/x.png: only ...
    """

    def __init__(
        self,
        logo: Path | None = None,
        figures: Iterable[Path] = (),
        generated: Mapping[str, tuple[str, bytes]] | None = None,
    ) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.logo = logo.resolve() if logo else None
        images = {self.logo} if self.logo else set()
        self.allowed = font_files() | images | {path.resolve() for path in figures}
        self.generated = dict(generated or {})  # URL -> (type, bytes) we made, e.g. a QR code

    def fetch(self, url: str, headers: Any = None) -> weasyprint.urls.URLFetcherResponse:
        if url in self.generated:
            mime, data = self.generated[url]
            return _Served(url, data, headers={"Content-Type": mime})
        path = self.local_path(url)
        if path == self.logo:
            logo = logo_image(path)
            mime, data = logo.mime, logo.data
        else:
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            try:  # a figure, a font or a style sheet: never a wait on a pipe put there since
                data = read_regular(path, MAX_IMAGE_BYTES)
            except OSError as error:  # over the limit too (TooLarge)
                raise RefusedURLError(f"refused {url}: {error.strerror}") from None
        return _Served(url, data, headers={"Content-Type": mime})

    def local_path(self, url: str) -> Path:
        """The allowed file ``url`` names, or :class:`RefusedURLError`."""
        parts = urlsplit(url)
        if parts.scheme.lower() == "file" and parts.netloc in ("", "localhost"):
            # resolve() follows symlinks and "..", so neither can lead out of the list.
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path.is_file() and (path in self.allowed or path.is_relative_to(STATIC_DIR)):
                return path
        raise RefusedURLError(f"refused {url}: only the leaflet's own files are read")


class _Served(weasyprint.urls.URLFetcherResponse):  # type: ignore[misc]
    """A response whose bytes are the ones served. WeasyPrint reads a ``file:`` response's
    image again from its path when it writes the PDF; that would embed the logo file as it
    is then (unchecked, or too large for the fitted size the PDF declares)."""

    path = None


def render_pdf(
    doc: Document, config: LeafletConfig, *, signoff: LeafletSignOff | None = None
) -> bytes:
    """The leaflet as a tagged PDF on ``config.paper``; the same input gives the same bytes.

    ``signoff`` is what the leaflet is signed off with; by default
    :func:`~pipeline.signoff.resolve_signoff` of ``doc`` and ``config``.
    """
    signed = signoff or resolve_signoff(doc, config)
    _refuse_too_long(doc, signed)
    if config.clinic.logo:
        logo_image(config.clinic.logo)  # a bad logo fails here, not as a warning in layout
    fetcher = _fetcher(doc, config, signed)
    markup = render_print_html(doc, config, signoff=signed)
    _warn_undrawable(doc, markup)
    page = weasyprint.HTML(
        string=markup,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=fetcher,
    )
    page_css = _page_css(config.paper, config.large_print, signed.language)
    # HTML's own attributes count, as in a browser: <ol start="3"> numbers from 3. Only
    # our template writes attributes; article text is always escaped.
    options = {"pdf_variant": PDF_VARIANT, "presentational_hints": True}
    stylesheets = [*_stylesheets(), page_css]
    with noting_elements():
        laid_out = page.render(stylesheets=stylesheets, font_config=_font_config(), **options)
        if _too_wide(laid_out):
            stylesheets.append(_break_words())
            laid_out = page.render(stylesheets=stylesheets, font_config=_font_config(), **options)
            _refuse_too_wide(laid_out, doc, config)
        pdf: bytes = laid_out.write_pdf(**options)
    return fix_tags(pdf)


def _fetcher(doc: Document, config: LeafletConfig, signoff: LeafletSignOff) -> LocalFetcher:
    """The fetcher for this leaflet: its logo, its figures and its QR code."""
    figures = [Path(block.image.path) for block in _blocks(doc) if isinstance(block, Figure)]
    generated = {}
    if signoff.web_address:
        qr = ("image/png", qr_png(signoff.web_address))
        generated[qr_data_url(signoff.web_address)] = qr
    return LocalFetcher(config.clinic.logo, figures, generated)


def text_length(doc: Document) -> int:
    """How many characters of article text the leaflet shows.

    >>> from pipeline.model import Section
    >>> text_length(Document("Title", "t", (Section("Uses", 2, (ListBlock(("a", "bc")),)),)))
    12
    """
    alts = sum(len(block.alt) for block in _blocks(doc) if isinstance(block, Figure))
    return sum(map(len, _texts(doc))) + alts


def block_count(doc: Document, references: int = 0) -> int:
    """How many headings, paragraphs, list items, table rows and figures the leaflet
    shows, with the rows of its list of abbreviations and its ``references`` (sources):
    what fills its pages when the text is short.

    >>> from pipeline.model import Section
    >>> block_count(Document("T", "t", (Section("Uses", 2, (ListBlock(("a", "bc")),)),)))
    3
    """
    count = sum(1 for section in doc.walk() if section.heading)
    for block in _blocks(doc):
        if isinstance(block, Paragraph | Figure):
            count += 1
        elif isinstance(block, ListBlock):
            count += len(block.items)
        elif isinstance(block, Table):
            count += 1 + len(block.rows)
        else:
            count += len(block.paragraphs)
    return count + len(doc.abbreviations) + references


def _blocks(doc: Document) -> Iterator[Block]:
    for section in doc.walk():
        yield from section.blocks


def _texts(doc: Document) -> Iterator[str]:
    """Every text of the article the leaflet shows, where a link may be (all of it but
    the figures' descriptions)."""
    yield doc.title
    for section in doc.walk():
        yield section.heading or ""
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, ListBlock):
                yield from block.items
            elif isinstance(block, Table):
                yield from _cells(block)
                yield block.caption or ""
            elif isinstance(block, Quote):
                yield from (paragraph.text for paragraph in block.paragraphs)
            else:
                yield block.caption or ""


def _cells(table: Table) -> Iterator[str]:
    yield from table.header
    for row in table.rows:
        yield from row


def _columns(table: Table) -> int:
    return max(map(len, (table.header, *table.rows)))


def _tables(doc: Document) -> list[Table]:
    return [block for block in _blocks(doc) if isinstance(block, Table)]


def _pixels(doc: Document) -> int:
    """The pixels of the leaflet's figures, each image file once (WeasyPrint reads and
    writes one image once, however often it is shown)."""
    images = {block.image.path: block.image for block in _blocks(doc) if isinstance(block, Figure)}
    return sum(image.width * image.height for image in images.values())


def pdf_measures(doc: Document, signoff: LeafletSignOff) -> dict[str, int]:
    """What the time WeasyPrint takes grows with, for each of :data:`PDF_LIMITS`."""
    tables = [(_columns(table), list(map(len, _cells(table)))) for table in _tables(doc)]
    texts = chain(_texts(doc), signoff.references, (a.expansion for a in doc.abbreviations))
    return {
        "characters": text_length(doc),
        "blocks": block_count(doc, len(signoff.references)),
        "cells": sum(len(cells) for _columns, cells in tables),
        "columns": max((columns for columns, _cells in tables), default=0),
        "table size": max((columns * sum(cells) for columns, cells in tables), default=0),
        "table characters": sum(sum(cells) for _columns, cells in tables),
        "links": sum(1 for text in texts for _found in ADDRESS.finditer(text)),
        "pixels": _pixels(doc),
    }


PDF_LIMITS: dict[str, tuple[int, str, str]] = {
    "characters": (MAX_PDF_CHARACTERS, "is {:,} characters", "split the article"),
    "blocks": (
        MAX_PDF_BLOCKS,
        "has {:,} headings, paragraphs, list items, table rows, figures, abbreviations "
        "and sources",
        "split the article",
    ),
    "cells": (MAX_PDF_CELLS, "its tables have {:,} cells", "split them"),
    "columns": (
        MAX_PDF_COLUMNS, "its widest table has {:,} columns", "split it into narrower tables"
    ),
    "table size": (
        MAX_PDF_TABLE_SIZE,
        "a table's characters times its columns come to {:,}",
        "split it into smaller or narrower tables",
    ),
    "table characters": (
        MAX_PDF_TABLE_CHARACTERS, "its tables hold {:,} characters", "split them"
    ),
    "links": (MAX_PDF_LINKS, "has {:,} web and e-mail addresses", "split the article"),
    "pixels": (
        MAX_PDF_PIXELS,
        "its figures hold {:,} pixels",
        "make the images smaller (2,000 pixels across is plenty for print)",
    ),
}
"""Each measure of :func:`pdf_measures`: its limit, what the message says of the
article, and what to do (besides building only the JSON and HTML)."""


def _refuse_too_long(doc: Document, signoff: LeafletSignOff) -> None:
    """A :class:`~pipeline.errors.NoPdfError` for an article over one of
    :data:`PDF_LIMITS`, before any layout: WeasyPrint would take minutes and gigabytes."""
    for measure, count in pdf_measures(doc, signoff).items():
        most, says, advice = PDF_LIMITS[measure]
        if count > most:
            reason = f"{says.format(count)}, over the PDF limit of {most:,}; {advice}"
            raise NoPdfError(doc.source or doc.title, reason)


def _too_wide(laid_out: Any) -> int:
    """The columns of the first table that runs past its page's edge (0: none does)."""
    for page in laid_out.pages:
        box = page._page_box  # WeasyPrint's laid-out page: the only place widths are known
        edge = box.content_box_x() + box.width + 0.5  # points, with rounding to spare
        for table in box.descendants():
            if isinstance(table, TableBox) and table.position_x + table.margin_width() > edge:
                return len(table.column_widths)
    return 0


def _refuse_too_wide(laid_out: Any, doc: Document, config: LeafletConfig) -> None:
    """A :class:`~pipeline.errors.NoPdfError` for a table wider than its page, even with
    its words broken: the columns past the edge would not be printed."""
    columns = _too_wide(laid_out)
    if columns:
        size = config.paper + (" in large print" if config.large_print else "")
        reason = (
            f"a table of {columns} columns is wider than a page of {size}, even with its "
            "words broken; split it into narrower tables"
        )
        raise NoPdfError(doc.source or doc.title, reason)


def _warn_undrawable(doc: Document, markup: str) -> None:
    # Neither Atkinson nor DejaVu has them: the system's fonts (or empty boxes) stand in.
    missing = characters_missing(set(html.unescape(markup)))
    if missing:
        shown = " ".join(f"U+{ord(ch):04X}" for ch in sorted(missing))
        LOGGER.warning("%s: no leaflet font has %s; check the text or add a font", doc.slug, shown)


def page_rule(paper: Paper, large_print: bool = False, language: str = "en") -> str:
    """The ``@page`` size and margins for a paper size, the running header's and footer's
    size, and the footer's "Page X of Y" in the leaflet's language.

    >>> print(page_rule("A5", large_print=True))
    @page { size: A5; margin: 18mm 14mm 18mm;
    @top-left { font-size: 16pt; }
    @bottom-right { font-size: 16pt; content: "Page " counter(page) " of " counter(pages); } }
    """
    size, margin = PAGES[paper]
    points = 16 if large_print else 12
    footer = css_content(labels_for(language).page)
    return (
        f"@page {{ size: {size}; margin: {margin};\n"
        f"@top-left {{ font-size: {points}pt; }}\n"
        f"@bottom-right {{ font-size: {points}pt; content: {footer}; }} }}"
    )


def css_content(label: str) -> str:
    """A label with ``{page}`` and ``{pages}`` as a CSS ``content`` value.

    >>> print(css_content('Seite {page} von {pages} "x"'))
    "Seite " counter(page) " von " counter(pages) " \\"x\\""
    """
    parts = []
    for literal, name, _, _ in string.Formatter().parse(label):
        if literal:
            parts.append('"' + literal.replace("\\", "\\\\").replace('"', '\\"') + '"')
        if name:
            parts.append(f"counter({name})")
    return " ".join(parts)


@cache
def _font_config() -> Any:
    """WeasyPrint's fonts for every PDF of this process. It writes the fonts of
    ``@font-face`` into a folder of its own in the system's temporary folder, removed
    only when it is collected: never, for one kept for the process, and a worker ends
    without running ``__del__``. So the folder is removed when the process ends (a
    worker too: multiprocessing runs its finalisers then)."""
    config = FontConfiguration()
    multiprocessing.util.Finalize(config, _remove_fonts_folder, args=(config,), exitpriority=0)
    return config


def _remove_fonts_folder(config: Any) -> None:
    folder = getattr(config, "_folder", None)  # WeasyPrint's own; None until a font is
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


@cache
def _stylesheets() -> tuple[Any, ...]:
    fetcher = LocalFetcher()
    return tuple(
        weasyprint.CSS(
            string=text,
            base_url=STATIC_DIR.as_uri() + "/",
            url_fetcher=fetcher,
            font_config=_font_config(),
        )
        for text in (pdf_font_faces(), static_text("leaflet.css"), static_text("pdf.css"))
    )


@cache
def _break_words() -> Any:
    return weasyprint.CSS(string=BREAK_WORDS, font_config=_font_config())


@cache
def _page_css(paper: Paper, large_print: bool, language: str) -> Any:
    return weasyprint.CSS(
        string=page_rule(paper, large_print, language), font_config=_font_config()
    )


def warm_up_pdf() -> None:
    """Build the cached font configuration and stylesheets, and the template, now."""
    _stylesheets()
    for paper in PAGES:
        _page_css(paper, False, "en")
    render_print_html(Document(title="Warm up", slug="warm-up", sections=()), LeafletConfig())
