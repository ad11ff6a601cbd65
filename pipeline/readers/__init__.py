"""Readers: one per kind of file, each giving the cleaner the same plain article.

Every reader takes a file's bytes, its path and an optional ``--encoding`` and returns
an :class:`~pipeline.readers.text.Article`. Text files give their text; every richer
format is written as Markdown (``# Title``, ``## Heading``, ``- item``, paragraphs,
``> quote``, table rows), so the sectioner reads all of them the same way and the
cleaner cleans them the same way, and every change's position points into the text
the reader produced.

- :mod:`.text` — ``.txt``: the encoding from a BOM, UTF-8, or detected per file.
- :mod:`.markdown` — ``.md``: front matter as metadata (:mod:`.frontmatter`), and the
  images beside the article that it shows (:mod:`.images`).
- :mod:`.html` — ``.html``, ``.htm``: the page's article (trafilatura).
- :mod:`.docx` — ``.docx``: Word's headings, lists, quotes and tables (python-docx).
- :mod:`.emit` — writing those as Markdown, escaped.

The table of which suffix is which kind is :data:`pipeline.read.KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.readers.docx import read_docx
from pipeline.readers.html import read_html
from pipeline.readers.markdown import read_markdown
from pipeline.readers.text import Article, read_text_article

Reader = Callable[[bytes, Path, "str | None"], Article]


def read_text_file(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """A ``.txt`` file: its text and layout."""
    return read_text_article(data, str(path), encoding)


__all__ = ["Article", "Reader", "read_docx", "read_html", "read_markdown", "read_text_file"]
