"""Sidecar files: what a clinic signs an article off with, in a TOML file beside it.

Any article (``aspirin.txt``, ``aspirin.docx``, ``aspirin.html``, ``aspirin.md``) may
have a sidecar named after its whole file name with ``.meta.toml`` added
(``aspirin.docx.meta.toml``), so the article itself need not be edited. Its keys are the
front matter's (:data:`KEYS`, a ``-`` may stand for ``_``), written as TOML::

    author = "Dr Amira Patel, GP"
    reviewer = "Dr Ben Jones, consultant cardiologist"
    version = "1.10"
    published = 2025-03-01
    review_date = 2027-03-01
    references = [
      "NHS. Low-dose aspirin. https://www.nhs.uk/medicines/low-dose-aspirin/",
    ]
    language = "en-GB"

:func:`pipeline.read.load_article` reads it with the article, so what it says reaches
``Document.meta`` exactly as front matter does. A key the sidecar and the front matter
both give is an error (keep one), and so is an unknown key or a value of the wrong
kind: one line naming the sidecar and saying what to write.

>>> parse_sidecar(b'author = "Dr Who"\\npublished = 2025-03-01', "a.txt.meta.toml").published
datetime.date(2025, 3, 1)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pipeline.config import parse_toml
from pipeline.errors import InputError
from pipeline.files import beside
from pipeline.model import ArticleMeta
from pipeline.readers.frontmatter import KEYS, SIDECAR, meta_value

SUFFIX = ".meta.toml"
"""A sidecar's name is its article's file name followed by this."""
MAX_SIZE = 65_536
"""A sidecar may be at most this many bytes."""


def sidecar_path(article: Path) -> Path:
    """Where the sidecar of ``article`` is: beside the article's own file (for a link,
    the file it leads to: :func:`pipeline.files.beside`).

    >>> sidecar_path(Path("inbox/aspirin.docx")).as_posix()
    'inbox/aspirin.docx.meta.toml'
    """
    return beside(article, SUFFIX)


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is named as a sidecar (a batch lists it as no article).

    >>> is_sidecar(Path("a.txt.meta.toml")), is_sidecar(Path("leaflet.toml"))
    (True, False)
    """
    return path.name.lower().endswith(SUFFIX)


def parse_sidecar(data: bytes, name: str) -> ArticleMeta:
    """What the sidecar's bytes say; :class:`InputError` naming ``name`` if they are not
    a sidecar leaflet can use."""
    if len(data) > MAX_SIZE:
        size = len(data)
        raise InputError(f"{name}: is {size:,} bytes, over the limit of {MAX_SIZE:,}; shorten it")
    try:
        table = parse_toml(data)
    except ValueError as error:
        raise InputError(f"{name}: {error}") from None
    fields: dict[str, Any] = {}
    for key, value in table.items():
        field = key.replace("-", "_")
        if field not in KEYS:
            raise InputError(
                f"{name}: unknown key {key[:60]!r}; use {', '.join(KEYS)}, or remove it"
            )
        fields[field] = meta_value(field, value, name, SIDECAR)
    return ArticleMeta(**{key: value for key, value in fields.items() if value})


def merge_meta(own: ArticleMeta, sidecar: ArticleMeta, name: str) -> ArticleMeta:
    """What the article's own front matter and its sidecar ``name`` say together; a key
    both give is an :class:`InputError`.

    >>> merge_meta(ArticleMeta(title="T"), ArticleMeta(author="A"), "s").author
    'A'
    """
    given = {f.name: getattr(sidecar, f.name) for f in dataclasses.fields(sidecar)}
    given = {key: value for key, value in given.items() if value}
    for key in given:
        if getattr(own, key):
            raise InputError(
                f"{name}: {key} is also in the article's front matter; keep one of them"
            )
    return dataclasses.replace(own, **given)
