"""The one place where an annotated outline Doc becomes a :class:`~pipeline.model.Document`.

It reads the span groups the components set (``article_blocks``, ``article_lists``,
``article_sections``) and the sentences on each paragraph token, and builds the frozen
model; abbreviations, reading level and slug are then derived from that model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline.model import Block, Change, Document, ListBlock, Paragraph, Section, Suspect
from pipeline.structure.abbreviations import find_abbreviations
from pipeline.structure.blocks import Label
from pipeline.structure.body import body_texts
from pipeline.structure.components import (
    LISTS_KEY,
    SECTIONS_KEY,
    block_labels,
    outline_lines,
)
from pipeline.structure.lines import Line, heading_text, item_number, item_text
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
    sections: tuple[SectionSpan, ...]


def to_document(
    doc: Doc,
    *,
    text: str,
    changes: tuple[Change, ...] = (),
    suspects: tuple[Suspect, ...] = (),
    source: str | None = None,
) -> Document:
    """The model of an outline Doc annotated by our components."""
    outline = _read(doc)
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
    )


def _read(doc: Doc) -> _Outline:
    lists = {s.start: (s.end, s.label_ == "ordered") for s in doc.spans[LISTS_KEY]}
    sections = tuple(SectionSpan(s.start, s.end, int(s.label_)) for s in doc.spans[SECTIONS_KEY])
    return _Outline(doc, outline_lines(doc), block_labels(doc), lists, sections)


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
    """The paragraphs and lists of lines ``start`` to ``end``."""
    i = start
    while i < end:
        if i in outline.lists:
            list_end, ordered = outline.lists[i]
            yield _list(outline.lines[i:list_end], ordered)
            i = list_end
            continue
        if outline.labels[i] == "paragraph":
            sentences: tuple[str, ...] = outline.doc[i]._.leaflet_sentences
            yield Paragraph(outline.lines[i].text, sentences)
        i += 1


def _list(lines: Sequence[Line], ordered: bool) -> ListBlock:
    """A list of ``lines``; a numbered one starts at its first item's number, so ``3.``
    and ``4.`` after a paragraph still read 3 and 4."""
    items = tuple(item_text(line) for line in lines)
    return ListBlock(items, ordered, start=item_number(lines[0]))
