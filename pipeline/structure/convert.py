"""The one place where an annotated outline Doc becomes a :class:`~pipeline.model.Document`.

It reads the span groups the components set (``article_blocks``, ``article_lists``,
``article_tables``, ``article_quotes``, ``article_sections``) and the sentences on each
paragraph token, and builds the frozen model; abbreviations, reading level and slug
are then derived from that model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline.model import (
    ArticleMeta,
    Block,
    Change,
    Document,
    Figure,
    ImageFile,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Suspect,
    Table,
)
from pipeline.readers.images import FIGURE_LINE
from pipeline.structure.abbreviations import find_abbreviations
from pipeline.structure.blocks import Label
from pipeline.structure.body import body_texts
from pipeline.structure.components import (
    LISTS_KEY,
    QUOTES_KEY,
    SECTIONS_KEY,
    TABLES_KEY,
    block_labels,
    outline_lines,
)
from pipeline.structure.lines import Line, heading_text, item_number, item_text
from pipeline.structure.markup import strip_inline_markup
from pipeline.structure.readability import reading_level
from pipeline.structure.sections import SectionSpan
from pipeline.structure.slug import slugify


@dataclass(frozen=True)
class _Outline:
    """What the converter reads from the Doc, gathered once."""

    doc: Doc
    lines: tuple[Line, ...]
    labels: tuple[Label, ...]
    lists: dict[int, tuple[int, bool]]  # first item -> (end, ordered)
    tables: dict[int, int]  # header row -> end
    quotes: dict[int, int]  # first line -> end
    sections: tuple[SectionSpan, ...]
    images: Mapping[str, ImageFile]


_CELL_BORDER = re.compile(r"^\||(?<!\\)\|$")
_CELL = re.compile(r"(?<!\\)\|")


def to_document(
    doc: Doc,
    *,
    text: str,
    changes: tuple[Change, ...] = (),
    suspects: tuple[Suspect, ...] = (),
    source: str | None = None,
    meta: ArticleMeta | None = None,
    images: Sequence[ImageFile] = (),
) -> Document:
    """The model of an outline Doc annotated by our components; ``images`` are the
    checked image files its figure lines name."""
    outline = _read(doc, {image.src: image for image in images})
    title = heading_text(outline.lines[0]) if outline.lines else ""
    sections = tuple(_sections(outline))
    return Document(
        title=title,
        slug=slugify(title),
        sections=sections,
        abbreviations=find_abbreviations(body_texts(sections)),
        reading_level=reading_level(sections),
        changes=changes,
        suspects=suspects,
        source=source,
        text=text,
        meta=meta or ArticleMeta(),
    )


def _read(doc: Doc, images: Mapping[str, ImageFile]) -> _Outline:
    lists = {s.start: (s.end, s.label_ == "ordered") for s in doc.spans[LISTS_KEY]}
    tables = {s.start: s.end for s in doc.spans[TABLES_KEY]}
    quotes = {s.start: s.end for s in doc.spans[QUOTES_KEY]}
    sections = tuple(SectionSpan(s.start, s.end, int(s.label_)) for s in doc.spans[SECTIONS_KEY])
    lines, labels = outline_lines(doc), block_labels(doc)
    return _Outline(doc, lines, labels, lists, tables, quotes, sections, images)


def _sections(outline: _Outline) -> Iterator[Section]:
    """The top-level sections; section spans come parents first, in reading order."""
    k = 0
    while k < len(outline.sections):
        section, k = _section(outline, k)
        yield section


def _section(outline: _Outline, k: int) -> tuple[Section, int]:
    """Section ``k`` with its subsections, and the index of the span after them."""
    span = outline.sections[k]
    children: list[Section] = []
    j = k + 1
    while j < len(outline.sections) and outline.sections[j].start < span.end:
        child, j = _section(outline, j)
        children.append(child)
    own_end = outline.sections[k + 1].start if children else span.end
    has_heading = outline.labels[span.start] == "heading"
    heading = heading_text(outline.lines[span.start]) if has_heading else None
    first_block = span.start + 1 if has_heading else span.start
    blocks = tuple(_blocks(outline, first_block, own_end))
    return Section(heading, span.level, blocks, tuple(children)), j


def _blocks(outline: _Outline, start: int, end: int) -> Iterator[Block]:
    """The paragraphs, lists, tables, quotes and figures of lines ``start`` to ``end``."""
    i = start
    while i < end:
        if i in outline.lists:
            list_end, ordered = outline.lists[i]
            yield _list(outline.lines[i:list_end], ordered)
            i = list_end
        elif i in outline.tables:
            yield _table(outline.lines[i : outline.tables[i]])
            i = outline.tables[i]
        elif i in outline.quotes:
            yield Quote(tuple(_paragraph(outline, j) for j in range(i, outline.quotes[i])))
            i = outline.quotes[i]
        else:
            if outline.labels[i] == "paragraph":
                yield _paragraph(outline, i)
            elif outline.labels[i] == "figure":
                yield _figure(outline.lines[i], outline.images)
            i += 1


def _paragraph(outline: _Outline, i: int) -> Paragraph:
    sentences: tuple[str, ...] = outline.doc[i]._.leaflet_sentences
    return Paragraph(outline.lines[i].text, sentences)


def _table(lines: Sequence[Line]) -> Table:
    """A table from its header row, its rows and its caption line; every row is cut or
    padded to the header's width."""
    header = table_cells(lines[0].text)
    rows = tuple(
        tuple((list(table_cells(line.text)) + [""] * len(header))[: len(header)])
        for line in lines[1:]
        if line.shape == "table_row"
    )
    captions = [line.text for line in lines if line.shape == "table_caption"]
    return Table(header, rows, captions[0] if captions else None)


def table_cells(row: str) -> tuple[str, ...]:
    """The cells of a Markdown table row, their markup read; ``\\|`` is a ``|`` in a cell.

    >>> table_cells("| **Age** | 3 \\\\| 4 |")
    ('Age', '3 | 4')
    """
    inner = _CELL_BORDER.sub("", row.strip())
    return tuple(strip_inline_markup(cell.strip()) for cell in _CELL.split(inner))


def _figure(line: Line, images: Mapping[str, ImageFile]) -> Figure:
    """A figure line's image, its description and its title as the caption."""
    found = FIGURE_LINE.fullmatch(line.text)
    assert found is not None and found["src"] in images  # the line's shape says so
    caption = strip_inline_markup(found["title"]) if found["title"] else None
    return Figure(images[found["src"]], strip_inline_markup(found["alt"]), caption)


def _list(lines: Sequence[Line], ordered: bool) -> ListBlock:
    """A list of ``lines``; a numbered one starts at its first item's number, so ``3.``
    and ``4.`` after a paragraph still read 3 and 4."""
    items = tuple(item_text(line) for line in lines)
    return ListBlock(items, ordered, start=item_number(lines[0]))
