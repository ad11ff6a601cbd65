"""Sectioning: cleaned article text in, a :class:`~pipeline.model.Document` out.

This sub-package is the only place spaCy is used; no spaCy type leaves it.

- :func:`structure` — the stage itself.
- :func:`slugify` — the file-name slug of a title.
- :func:`find_abbreviations` — abbreviations defined in some texts (Schwartz–Hearst).
- :func:`reading_level` — Flesch reading ease and Flesch–Kincaid grade of sections.
"""

from __future__ import annotations

from pipeline.model import ArticleMeta, Change, Document, ImageFile, Suspect
from pipeline.structure.abbreviations import find_abbreviations
from pipeline.structure.components import annotate, load_nlp
from pipeline.structure.convert import to_document
from pipeline.structure.lines import Line, image_title, looks_like_markdown, read_lines
from pipeline.structure.readability import reading_level
from pipeline.structure.slug import slugify

__all__ = ["find_abbreviations", "load_nlp", "reading_level", "slugify", "structure"]


def structure(
    text: str,
    *,
    changes: tuple[Change, ...] = (),
    suspects: tuple[Suspect, ...] = (),
    source: str | None = None,
    markdown: bool | None = None,
    model: str | None = None,
    meta: ArticleMeta | None = None,
    images: tuple[ImageFile, ...] = (),
) -> Document:
    """Section cleaned article text into a :class:`~pipeline.model.Document`.

    ``text`` has one title, heading, paragraph or list item per line, with blank lines
    between. The steps, each in its own module:

    1. Decide whether the text is Markdown (``markdown=None``: the source ends in ``.md``
       or a line starts with ``#``) and read it into shaped lines (:mod:`.lines`).
    2. Build the outline Doc, one token per line, and run our spaCy components on it
       (:mod:`.components`): ``leaflet_blocks`` labels the lines (:mod:`.blocks`),
       ``leaflet_sections`` finds sections and levels (:mod:`.sections`), and
       ``leaflet_sentences`` splits each paragraph into sentences.
    3. Convert the Doc into the model (:mod:`.convert`), with the slug, the
       abbreviations and the reading level derived from it.

    ``meta`` is what the article says about itself (Markdown front matter): its
    ``title`` is the Document's title unless the text starts with a ``#`` title of its
    own. ``images`` are the checked image files beside the article
    (:func:`pipeline.readers.images.find_images`); a Markdown line that is just one of
    them is a figure.

    ``model=None`` uses ``spacy.blank("en")`` and the sentencizer; a trained pipeline's
    name (``"en_core_web_sm"``) uses its parser for sentences, if it is installed. The
    pipeline is built once per process.

    >>> doc = structure("Aspirin\\n\\nIt helps.\\n\\nRisks:\\n\\nIt can bleed. Ask first.")
    >>> doc.title, [(s.heading, s.level) for s in doc.sections]
    ('Aspirin', [(None, 2), ('Risks', 2)])
    >>> doc.sections[1].blocks[0].sentences
    ('It can bleed.', 'Ask first.')
    """
    if markdown is None:
        markdown = looks_like_markdown(text, source)
    lines = read_lines(text, markdown=markdown, figures=frozenset(i.src for i in images))
    if meta is not None and meta.title and not _has_title(lines):
        lines = (Line(meta.title, "label"), *lines)
    elif markdown:
        lines = image_title(lines)  # a figure first, and no title: its description
    doc = annotate(load_nlp(model), lines)
    return to_document(
        doc, text=text, changes=changes, suspects=suspects, source=source, meta=meta,
        images=images,
    )  # fmt: skip


def _has_title(lines: tuple[Line, ...]) -> bool:
    """The text starts with a Markdown title (``# Title``)."""
    return bool(lines) and lines[0].shape == "markdown_heading" and lines[0].depth == 1
