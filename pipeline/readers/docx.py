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
- any other paragraph is a paragraph; hyperlinks keep their text and address (a link
  whose address is not in the file keeps its text).

The document is read as it shows with its tracked changes accepted: inserted and moved
text is kept, deleted text left out. Text inside content controls, fields, smart tags
and custom XML is kept where it stands; a text box's paragraphs follow the paragraph it
is anchored in (one copy of it: Word saves each text box twice, for new and old
versions of Word); a table inside a table's cell is that cell's text, its cells
separated by ``;``.

A ``.docx`` is a zip archive. One that is not, that unpacks to more than
:data:`MAX_UNPACKED` bytes, a part of which unpacks to more than its size in the
archive says (a zip bomb), or whose parts are not Word's XML, is an error naming the
file. Entities in its XML are never expanded. The styles, the numbering and the
cells are read once here, not through python-docx's per-paragraph lookups, each of
which looks through the whole document (minutes for a 150 KB file of long lists).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_LINK_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PARAGRAPH, _TABLE, _ROW, _CELL = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_RUN, _HYPERLINK, _TEXT_BOX = f"{_W}r", f"{_W}hyperlink", f"{_W}txbxContent"
_WRAPPERS = frozenset(
    f"{_W}{tag}"
    for tag in ("sdt", "sdtContent", "fldSimple", "smartTag", "customXml")
    + ("ins", "moveTo", "dir", "bdo")
)
"""What holds text the document shows: content controls, simple fields, smart tags,
custom XML, tracked insertions and moves, and runs of right-to-left text."""
_DELETED = frozenset({f"{_W}del", f"{_W}moveFrom"})
"""Tracked deletions: text the document no longer shows once its changes are accepted."""
_ALTERNATES, _CHOICE, _FALLBACK = f"{_MC}AlternateContent", f"{_MC}Choice", f"{_MC}Fallback"
_PIECE = 1 << 20
"""A zip part is unpacked this many bytes at a time to learn its real size."""


def read_docx(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """A Word document's article as Markdown text (``encoding`` does not apply)."""
    name = str(path)
    _check_archive(data, name)
    document = _open(data, name)
    text = join_blocks(_blocks(document))
    refuse_empty(text if text.strip("\n") else "", name)  # no block at all: empty
    return Article(text, "markdown")


def _check_archive(data: bytes, name: str) -> None:
    """A zip whose parts unpack to no more than their declared sizes, which are within
    bounds. ``zipfile`` trusts a part's declared size only to cut what it returns: it
    unpacks the whole of a part in one go first (a 2 MB file took 2 GB), so each part
    is unpacked here, a piece at a time, before python-docx reads it."""
    with _zip(data, name) as archive:
        parts = archive.infolist()
        _check_sizes(parts, name)
        for part in parts:
            _check_part(archive, part, name)


def _zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The zip archive a ``.docx`` is."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputError(
            f"{name}: is not a Word document (a .docx is a zip archive); "
            "open it in Word and save it as .docx"
        ) from None


def _check_sizes(parts: list[zipfile.ZipInfo], name: str) -> None:
    """As many parts as Word could write, of declared sizes within bounds."""
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


def _check_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str) -> None:
    """A part stored or deflated (as Word writes them; other methods unpack a whole
    piece at once) that unpacks to no more than its declared size, read a piece at a
    time: one byte more than it declares is a damaged archive."""
    if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _unreadable(name, "its zip archive is packed in a way Word does not use")
    allowed = copy.copy(part)
    allowed.file_size = part.file_size + 1  # so that zipfile hands over any excess
    unpacked = 0
    try:
        with archive.open(allowed) as stream:
            while unpacked <= part.file_size and (piece := stream.read(_PIECE)):
                unpacked += len(piece)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        unpacked = part.file_size + 1
    if unpacked > part.file_size:
        raise _unreadable(name, "its zip archive is damaged")


def _open(data: bytes, name: str) -> Any:
    import docx  # slow to import: only when a Word document is read
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, LxmlError, zipfile.BadZipFile) as error:
        raise _unreadable(name, _damage(error)) from None


def _unreadable(name: str, damage: str) -> InputError:
    """The error for a Word document that cannot be read, saying what is wrong with it."""
    return InputError(
        f"{name}: is not a Word document that can be read ({damage}); "
        "open it in Word and save it as .docx"
    )


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


@dataclass(frozen=True)
class _Lookups:
    """What the document says once for all its paragraphs: the name of each paragraph
    style by id (``None``: the default one), the number format of each list level, and
    the address of each hyperlink by relationship id."""

    names: dict[str | None, str]
    formats: dict[tuple[int, int], str]
    addresses: dict[str, str]


def _parts(document: Any) -> Iterator[tuple[str, str]]:
    """What each paragraph or table is (``heading``, ``bullet``, ``numbered``,
    ``quote``, ``table`` or ``text``) and its Markdown (list items without their
    marker, a quote without ``>``)."""
    lookups = _Lookups(_style_names(document), _formats(document), _addresses(document))
    body = document.element.body
    if body is not None:
        yield from _container_parts(body, lookups)


def _container_parts(container: Any, lookups: _Lookups) -> Iterator[tuple[str, str]]:
    """The parts of a body or a text box, in order; a paragraph's text boxes after it."""
    for element in _paragraphs_and_tables(container):
        if element.tag == _TABLE:
            yield "table", "\n".join(_table(element))
            continue
        yield _paragraph_part(element, lookups)
        for box in _text_boxes(element):
            yield from _container_parts(box, lookups)


def _paragraph_part(element: Any, lookups: _Lookups) -> tuple[str, str]:
    """What a paragraph (``w:p``) is, and its Markdown."""
    names = lookups.names
    style = names.get(element.style, names.get(None, ""))
    styled = _HEADING.match(style)
    pieces = list(_pieces(element, lookups.addresses))
    if style == "Title" or styled:
        level = int(styled[1]) + 1 if styled else 1
        text = _plain(pieces)
        return "heading", heading(text, level) if text.strip() else ""
    if style in _QUOTES:
        return "quote", _inline(pieces)
    return _numbering(element, style, lookups.formats) or "text", _inline(pieces)


def _unwrapped(element: Any) -> Iterator[Any]:
    """An element's children in order, with what wraps content opened (content
    controls, fields, smart tags, custom XML, tracked insertions and moves), tracked
    deletions left out, and one version of content saved in several."""
    for child in element.iterchildren():
        if child.tag in _WRAPPERS:
            yield from _unwrapped(child)
        elif child.tag == _ALTERNATES:
            yield from _first_found(_unwrapped, child)
        elif child.tag not in _DELETED:
            yield child


def _first_found(find: Callable[[Any], Iterator[Any]], alternates: Any) -> list[Any]:
    """What ``find`` finds in content saved in several versions (``mc:AlternateContent``,
    Word's text boxes for new and for old readers): in the first version where it
    finds anything, never in two, so nothing is read twice."""
    for version in alternates.iterchildren(_CHOICE, _FALLBACK):
        found = list(find(version))
        if found:
            return found
    return []


def _paragraphs_and_tables(container: Any) -> Iterator[Any]:
    """The paragraphs (``w:p``) and tables (``w:tbl``) of a body, a cell or a text box."""
    return (child for child in _unwrapped(container) if child.tag in (_PARAGRAPH, _TABLE))


def _text_boxes(element: Any) -> Iterator[Any]:
    """The text boxes (``w:txbxContent``) anchored in an element, in order: one of the
    versions Word saves of each, none that is a tracked deletion."""
    for child in element.iterchildren():
        if child.tag == _TEXT_BOX:
            yield child
        elif child.tag == _ALTERNATES:
            yield from _first_found(_text_boxes, child)
        elif child.tag not in _DELETED:
            yield from _text_boxes(child)


def _addresses(document: Any) -> dict[str, str]:
    """The address of each of the document's relationships by id (a hyperlink names
    one by its ``r:id``)."""
    return {str(rel_id): str(rel.target_ref) for rel_id, rel in document.part.rels.items()}


def _numbering(element: Any, style: str, formats: dict[tuple[int, int], str]) -> str | None:
    """``bullet`` or ``numbered`` for a list item (``w:p``), else ``None``."""
    if style.startswith("List Bullet"):
        return "bullet"
    if style.startswith("List Number"):
        return "numbered"
    props = element.pPr
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


def _pieces(element: Any, addresses: dict[str, str]) -> Iterator[tuple[str, str | None]]:
    """The text of a paragraph's runs in order, each with its hyperlink's address
    (``""``: a link to no address in the file; ``None``: no link)."""
    for child in _unwrapped(element):
        if child.tag == _RUN:
            yield child.text, None
        elif child.tag == _HYPERLINK:
            text = _plain(list(_pieces(child, addresses)))
            yield text, addresses.get(str(child.get(_LINK_ID) or ""), "")


def _plain(pieces: list[tuple[str, str | None]]) -> str:
    """A paragraph's text, links as their text."""
    return "".join(text for text, _ in pieces)


def _inline(pieces: list[tuple[str, str | None]]) -> str:
    """A paragraph's text as one escaped line, hyperlinks as ``[text](address)``."""
    parts = [escape(text) if address is None else link(text, address) for text, address in pieces]
    return paragraph_text("".join(parts))


def _table(table: Any) -> list[str]:
    rows = [_cells(row) for row in _rows(table)]
    rows = [row for row in rows if any(row)]
    return table_lines(rows) if rows else []


def _rows(table: Any) -> Iterator[Any]:
    """A table's rows (``w:tr``), in content controls too."""
    return (child for child in _unwrapped(table) if child.tag == _ROW)


def _cells(row: Any) -> list[str]:
    """A row's cells in order: a cell spanning columns is followed by empty ones, and a
    cell that continues the one above (merged down) is empty. The cells as the file
    has them: python-docx's ``row.cells`` repeats a spanning cell once per column and
    looks up every merged cell through every row above (a small file takes hours)."""
    cells: list[str] = []
    for cell in _unwrapped(row):
        if cell.tag != _CELL:
            continue
        props = cell.find(f"{_W}tcPr")
        span = props.find(f"{_W}gridSpan") if props is not None else None
        merge = props.find(f"{_W}vMerge") if props is not None else None
        columns = min(_number(span, "val") or 1, MAX_COLUMNS) if span is not None else 1
        below = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
        text = "" if below else paragraph("\n".join(_cell_lines(cell)))
        cells += [text] + [""] * (columns - 1)
    return cells


def _cell_lines(container: Any) -> Iterator[str]:
    """The plain text of a cell (or a text box in one): a line for each paragraph, then
    its text boxes; a table in it as one line, its cells' text separated by ``;``."""
    for element in _paragraphs_and_tables(container):
        if element.tag == _TABLE:
            yield _nested_table(element)
            continue
        yield _plain(list(_pieces(element, {})))
        for box in _text_boxes(element):
            yield from _cell_lines(box)


def _nested_table(table: Any) -> str:
    """A table in a cell as one line of plain text: its cells' text, row by row,
    separated by ``;``."""
    cells = (cell for row in _rows(table) for cell in _unwrapped(row) if cell.tag == _CELL)
    texts = (" ".join(_cell_lines(cell)).strip() for cell in cells)
    return "; ".join(text for text in texts if text)
