"""Word documents (``.docx``): headings, lists, quotes, tables and paragraphs, as Markdown.

python-docx reads the document's body in order. Word's styles say what each paragraph
is:

- ``Title`` is the title; ``Heading 1`` to ``Heading 6`` are headings one level below
  it (``Heading 1`` is ``##``);
- a numbered or bulleted paragraph (a ``List Number`` or ``List Bullet`` style, or
  Word's own numbering) is a list item;
- ``Quote`` and ``Intense Quote`` are quotes;
- a table is a table, its first row the header (a cell spanning columns is followed by
  empty ones, at most :data:`MAX_COLUMNS` in all; a cell merged down is empty);
- any other paragraph is a paragraph; hyperlinks keep their text and address.

A ``.docx`` is a zip archive. One that is not, that unpacks to more than
:data:`MAX_UNPACKED` bytes, or whose parts are not Word's XML, is an error naming the
file. Entities in its XML are never expanded. The styles, the numbering and the
cells are read once here, not through python-docx's per-paragraph lookups, each of
which looks through the whole document (minutes for a 150 KB file of long lists).
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
MAX_COLUMNS = 63
"""A cell spans at most this many columns (as many as a Word table can have)."""

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
    if len(parts) > MAX_PARTS:
        raise InputError(
            f"{name}: holds more than {MAX_PARTS:,} files, where Word writes a few dozen; "
            "open it in Word and save it as .docx"
        )
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
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
            f"{name}: is not a Word document that can be read ({_damage(error)}); "
            "open it in Word and save it as .docx"
        ) from None


def _damage(error: Exception) -> str:
    """What is wrong with a Word document, in a few words, from what python-docx raised."""
    if isinstance(error, KeyError):
        return "a part Word writes is missing"
    if isinstance(error, zipfile.BadZipFile):
        return "its zip archive is damaged"
    if isinstance(error, ValueError) and not type(error).__module__.startswith("lxml"):
        return "a part of it is not what Word writes"
    return "its contents are damaged"


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

    formats, names = _formats(document), _style_names(document)
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            yield "table", "\n".join(_table(part))
            continue
        style = names.get(part._p.style, names.get(None, ""))
        styled = _HEADING.match(style)
        if style == "Title" or styled:
            level = int(styled[1]) + 1 if styled else 1
            yield "heading", heading(part.text, level) if part.text.strip() else ""
        elif style in _QUOTES:
            yield "quote", _inline(part)
        else:
            yield _numbering(part, style, formats) or "text", _inline(part)


def _numbering(paragraph: Any, style: str, formats: dict[tuple[int, int], str]) -> str | None:
    """``bullet`` or ``numbered`` for a list item, else ``None``."""
    if style.startswith("List Bullet"):
        return "bullet"
    if style.startswith("List Number"):
        return "numbered"
    props = paragraph._p.pPr
    num_pr = props.numPr if props is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    num_id = _number(num_pr.numId, "val")
    level = _number(num_pr.ilvl, "val") if num_pr.ilvl is not None else 0
    if num_id is None or level is None:
        return "bullet"
    return "bullet" if formats.get((num_id, level), "bullet") == "bullet" else "numbered"


def _style_names(document: Any) -> dict[str | None, str]:
    """The name of each paragraph style by its id, and (``None``) of the default one, as
    python-docx names them: read once (``Paragraph.style`` looks through every style
    for every paragraph, minutes for a long document)."""
    from docx.styles import BabelFish

    names: dict[str | None, str] = {}
    for style in document.styles.element.iterchildren(f"{_W}style"):
        if style.get(f"{_W}type", "paragraph") != "paragraph":
            continue
        found = style.find(f"{_W}name")
        name = BabelFish.internal2ui(str(found.get(f"{_W}val") or "")) if found is not None else ""
        names.setdefault(style.get(f"{_W}styleId"), name)
        if style.get(f"{_W}default") in ("1", "true", "on"):
            names.setdefault(None, name)
    return names


def _formats(document: Any) -> dict[tuple[int, int], str]:
    """The number format (``bullet``, ``decimal`` ...) of each list and level of Word's
    numbering, ``(numId, ilvl)``: read once, so a document of many lists and many
    numbering definitions takes time in step with its size."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    levels: dict[int | None, dict[int | None, str]] = {}
    for abstract in numbering.iterchildren(f"{_W}abstractNum"):
        found = levels.setdefault(_number(abstract, "abstractNumId"), {})
        for level in abstract.iterchildren(f"{_W}lvl"):
            fmt = level.find(f"{_W}numFmt")
            if fmt is not None and fmt.get(f"{_W}val") is not None:
                found.setdefault(_number(level, "ilvl"), str(fmt.get(f"{_W}val")))
    formats: dict[tuple[int, int], str] = {}
    for num in numbering.iterchildren(f"{_W}num"):
        num_id, abstract = _number(num, "numId"), num.find(f"{_W}abstractNumId")
        which = _number(abstract, "val") if abstract is not None else None
        for level, fmt in levels.get(which, {}).items() if which is not None else ():
            if num_id is not None and level is not None:
                formats.setdefault((num_id, level), fmt)
    return formats


def _number(element: Any, name: str) -> int | None:
    """The whole number in the attribute ``w:name``, or ``None``."""
    value = str(element.get(f"{_W}{name}") or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


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
    rows = [_cells(row, table) for row in table._tbl.tr_lst]
    rows = [row for row in rows if any(row)]
    return table_lines(rows) if rows else []


def _cells(row: Any, table: Any) -> list[str]:
    """A row's cells in order: a cell spanning columns is followed by empty ones, and a
    cell that continues the one above (merged down) is empty. The cells as the file
    has them: python-docx's ``row.cells`` repeats a spanning cell once per column and
    looks up every merged cell through every row above (a small file takes hours)."""
    from docx.table import _Cell

    cells: list[str] = []
    for cell in row.tc_lst:
        props = cell.tcPr
        span = props.find(f"{_W}gridSpan") if props is not None else None
        merge = props.find(f"{_W}vMerge") if props is not None else None
        columns = min(_number(span, "val") or 1, MAX_COLUMNS) if span is not None else 1
        below = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
        cells += ["" if below else paragraph(_Cell(cell, table).text)] + [""] * (columns - 1)
    return cells
