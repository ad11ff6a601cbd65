"""Markdown files: the text, its front matter as metadata, and the images it shows.

The front matter is taken out of the article's text (it is metadata, never printed)
and kept in the :class:`~pipeline.readers.text.Layout`, so ``leaflet clean`` writes it
back unchanged above the cleaned text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from pipeline.errors import InputError
from pipeline.readers.frontmatter import split_front_matter
from pipeline.readers.images import find_images
from pipeline.readers.text import (
    Article,
    decode_with_layout,
    holds_text,
    refuse_blank,
    refuse_empty,
)


def read_markdown(data: bytes, path: Path, encoding: str | None = None) -> Article:
    """A ``.md`` file: its text without the front matter, what that says, its figures."""
    name = str(path)
    text, layout = decode_with_layout(data, name, encoding)
    header, body, meta = split_front_matter(text, name)
    if header and not holds_text(body):
        raise InputError(f"{name}: has front matter but no article text after it; add the text")
    refuse_empty(body, name)
    refuse_no_words(body, name)
    images = find_images(body, path.parent, name)
    return Article(body, "markdown", replace(layout, header=header), meta, images)


# What Markdown writes that is no text: a block's mark at a line's start (a heading's #,
# a list's -, * or +, a number and its full stop, a quote's >) and the marks of emphasis,
# code, rules and tables.
_SYNTAX = re.compile(r"^[ \t]*(?:#{1,6}|[-*+>]|\d{1,9}[.)])(?=\s|$)|[*_`~#>|=\-]", re.MULTILINE)


def refuse_no_words(body: str, name: str | None) -> None:
    """:func:`~pipeline.readers.text.refuse_blank` for Markdown: marks alone (``#``,
    ``- ``, ``> ``) around invisible characters are no text either; the sectioning would
    make an empty leaflet of them.

    >>> refuse_no_words("# Dosage\\n\\n- 5 mg", "a.md")
    >>> refuse_no_words("#\\n- \\u200b\\n> ", "a.md")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    pipeline.errors.InputError: a.md: holds no text (only blank space or invisible
    characters); give it the article's text
    """
    refuse_blank(_SYNTAX.sub("", body), name)
