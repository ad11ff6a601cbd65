"""The body of a sectioned article: its running text, in reading order.

Running text is paragraphs, lists and the paragraphs of quotes. Title and headings are
not body text, and neither are tables and figures (cells and picture descriptions are
not sentences); readability and abbreviations read only the body.

>>> from pipeline.model import ListBlock, Paragraph, Quote, Section, Table
>>> lead = Section(None, 2, (Paragraph("Hello.", ("Hello.",)), Table(("a",), (("b",),))))
>>> uses = Section("Uses", 2, (ListBlock(("pain", "fever")), Quote((Paragraph("Hi.", ()),))))
>>> list(body_texts([lead, uses]))
['Hello.', 'pain', 'fever', 'Hi.']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.model import ListBlock, Paragraph, Quote, Section

TextBlock = Paragraph | ListBlock


def body_blocks(sections: Iterable[Section]) -> Iterator[TextBlock]:
    """Every paragraph and list (a quote's paragraphs too), sections and subsections in
    reading order."""
    for top in sections:
        for section in top.walk():
            for block in section.blocks:
                if isinstance(block, Quote):
                    yield from block.paragraphs
                elif isinstance(block, Paragraph | ListBlock):
                    yield block


def body_texts(sections: Iterable[Section]) -> Iterator[str]:
    """The text of every paragraph and of every list item."""
    for block in body_blocks(sections):
        if isinstance(block, ListBlock):
            yield from block.items
        else:
            yield block.text
