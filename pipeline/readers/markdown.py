"""Markdown files: the text, its front matter as metadata, and the images it shows.

The front matter is taken out of the article's text (it is metadata, never printed)
and kept in the :class:`~pipeline.readers.text.Layout`, so ``leaflet clean`` writes it
back unchanged above the cleaned text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.errors import InputError
from pipeline.readers.frontmatter import split_front_matter
from pipeline.readers.images import find_images
from pipeline.readers.text import Article, decode_with_layout, holds_text, refuse_empty


def read_markdown(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """A ``.md`` file: its text without the front matter, what that says, its figures."""
    name = str(path)
    text, layout = decode_with_layout(data, name, encoding)
    header, body, meta = split_front_matter(text, name)
    if header and not holds_text(body):
        raise InputError(f"{name}: has front matter but no article text after it; add the text")
    refuse_empty(body, name)
    images = find_images(body, path.parent, name)
    return Article(body, "markdown", replace(layout, header=header), meta, images)
