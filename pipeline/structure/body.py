"""The body of a sectioned article: its paragraphs and lists, in reading order.

Title and headings are not body text; readability and abbreviations read only this.

>>> from pipeline.model import ListBlock, Paragraph, Section
>>> lead = Section(None, 2, (Paragraph("Hello.", ("Hello.",)),))
>>> uses = Section("Uses", 2, (ListBlock(("pain", "fever")),))
>>> list(body_texts([lead, uses]))
['Hello.', 'pain', 'fever']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.model import Block, ListBlock, Section


def body_blocks(sections: Iterable[Section]) -> Iterator[Block]:
    """Every paragraph and list, sections and subsections in reading order."""
    for top in sections:
        for section in top.walk():
            yield from section.blocks


def body_texts(sections: Iterable[Section]) -> Iterator[str]:
    """The text of every paragraph and of every list item."""
    for block in body_blocks(sections):
        if isinstance(block, ListBlock):
            yield from block.items
        else:
            yield block.text
