"""Word documents (``.docx``): headings, lists, quotes, tables and paragraphs, as Markdown.

python-docx reads the document's body in order. Word's styles say what each paragraph
is:

- ``Title`` is the title; ``Heading 1`` to ``Heading 6`` are headings one level below
  it (``Heading 1`` is ``##``);
- a numbered or bulleted paragraph (a ``List Number`` or ``List Bullet`` style, or
  Word's own numbering) is a list item;
- ``Quote`` and ``Intense Quote`` are quotes;
- a table is a table, its first row the header;
- any other paragraph is a paragraph; hyperlinks keep their text and address.

A ``.docx`` is a zip archive. One that is not, that unpacks to more than
:data:`MAX_UNPACKED` bytes, or whose parts are not Word's XML, is an error naming the
file. Entities in its XML are never expanded.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.readers.emit import (
    escape,
    heading,
    join_blocks,
    link,
    list_items,
    paragraph,
    paragraph_text,
    quote_lines,
    table_lines,
)
from pipeline.readers.text import Article, refuse_empty

MAX_UNPACKED = 100_000_000
"""A ``.docx`` may unpack to at most this many bytes (pictures included)."""
MAX_PARTS = 10_000

_HEADING = re.compile(r"Heading ([1-6])$")
_QUOTES = frozenset({"Quote", "Intense Quote"})
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """A Word document's article as Markdown text (``encoding`` does not apply)."""
    name = str(path)
    _check_archive(data, name)
    document = _open(data, name)
    text = join_blocks(_blocks(document))
    refuse_empty(text, name)
    return Article(text, "markdown")


def _check_archive(data: bytes, name: str) -> None:
    """A zip whose declared sizes are within bounds (zipfile never unpacks more than a
    part declares, so the declared sizes bound the memory python-docx uses)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputError(
            f"{name}: is not a Word document (a .docx is a zip archive); "
            "open it in Word and save it as .docx"
        ) from None
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise InputError(
            f"{name}: unpacks to more than {MAX_UNPACKED:,} bytes; "
            "save it again from Word without large pictures"
        )


def _open(data: bytes, name: str) -> Any:
    import docx  # slow to import: only when a Word document is read
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, LxmlError, zipfile.BadZipFile) as error:
        raise InputError(
            f"{name}: is not a Word document that can be read ({type(error).__name__}); "
            "open it in Word and save it as .docx"
        ) from None


def _blocks(document: Any) -> Iterator[list[str]]:
    """The document's blocks in order; the items of one list, and the paragraphs of one
    quote, are one block."""
    for kind, run in groupby(_parts(document), key=lambda part: part[0]):
        lines = [line for _, line in run if line]
        if kind in ("bullet", "numbered"):
            yield list_items(lines, ordered=kind == "numbered")
        elif kind == "quote":
            yield quote_lines(lines)
        else:
            yield from ([line] for line in lines)


def _parts(document: Any) -> Iterator[tuple[str, str]]:
    """What each paragraph or table is (``heading``, ``bullet``, ``numbered``,
    ``quote``, ``table`` or ``text``) and its Markdown (list items without their
    marker, a quote without ``>``)."""
    from docx.table import Table

    for part in document.iter_inner_content():
        if isinstance(part, Table):
            yield "table", "\n".join(_table(part))
            continue
        style = part.style.name if part.style is not None else ""
        styled = _HEADING.match(style)
        if style == "Title" or styled:
            level = int(styled[1]) + 1 if styled else 1
            yield "heading", heading(part.text, level) if part.text.strip() else ""
        elif style in _QUOTES:
            yield "quote", _inline(part)
        else:
            yield _numbering(part, style, document) or "text", _inline(part)


def _numbering(paragraph: Any, style: str, document: Any) -> str | None:
    """``bullet`` or ``numbered`` for a list item, else ``None``."""
    if style.startswith("List Bullet"):
        return "bullet"
    if style.startswith("List Number"):
        return "numbered"
    props = paragraph._p.pPr
    num_pr = props.numPr if props is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    return "bullet" if _format(document, num_pr) == "bullet" else "numbered"


def _format(document: Any, num_pr: Any) -> str:
    """The number format (``bullet``, ``decimal`` ...) Word's numbering gives the item."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return "bullet"
    num_id, level = num_pr.numId.val, num_pr.ilvl.val if num_pr.ilvl is not None else 0
    abstract = numbering.xpath(f"./w:num[@w:numId='{int(num_id)}']/w:abstractNumId/@w:val")
    if not abstract:
        return "bullet"
    found = numbering.xpath(
        f"./w:abstractNum[@w:abstractNumId='{int(abstract[0])}']"
        f"/w:lvl[@w:ilvl='{int(level)}']/w:numFmt/@w:val"
    )
    return str(found[0]) if found else "bullet"


def _inline(paragraph: Any) -> str:
    """A paragraph's text as one escaped line, hyperlinks as ``[text](address)``."""
    from docx.text.hyperlink import Hyperlink

    parts: list[str] = []
    for piece in paragraph.iter_inner_content():
        if isinstance(piece, Hyperlink):
            parts.append(link(piece.text, piece.address or ""))
        else:
            parts.append(escape(piece.text))
    return paragraph_text("".join(parts))


def _table(table: Any) -> list[str]:
    rows = [[paragraph(cell.text) for cell in row.cells] for row in table.rows]
    rows = [row for row in rows if any(row)]
    return table_lines(rows) if rows else []
