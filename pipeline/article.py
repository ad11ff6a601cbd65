"""One article, from text to Document to the bytes of each output format.

These functions are what batch workers run; each sets up nothing itself (spaCy, the
templates and the fonts are cached per process by the modules that own them), and
large outputs are :data:`~pipeline.files.Writer` functions that stream to the file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, get_args

from pipeline.errors import require_text
from pipeline.files import Data

if TYPE_CHECKING:
    from pipeline.config import LeafletConfig
    from pipeline.model import ArticleMeta, Change, Cleaned, Document, ImageFile, Suspect
    from pipeline.normalise import CleanOptions
    from pipeline.read import Article
    from pipeline.signoff import LeafletSignOff

Format = Literal["json", "html", "pdf"]
FORMATS: tuple[Format, ...] = get_args(Format)


def build_document(
    text: str,
    *,
    source: str | None = None,
    options: CleanOptions | None = None,
    markdown: bool | None = None,
    model: str | None = None,
    meta: ArticleMeta | None = None,
    images: tuple[ImageFile, ...] = (),
    article: Path | None = None,
) -> Document:
    """Clean ``text`` and section it: the Document every renderer reads (``meta`` and
    ``images``: what the reader found, see :func:`pipeline.structure.structure`).

    Text with nothing in it, or nothing a reader would see (blank space, invisible
    characters) before or after cleaning, is an :class:`~pipeline.errors.InputError`,
    as on the command line; bytes are a :class:`TypeError` (decode them first).
    ``article`` is the file ``text`` was read from: an editor's decisions beside it
    (``article.txt.review.json``, see :mod:`pipeline.review`) are honoured.

    >>> build_document("A Title\\n\\nSome tеxt.").title
    'A Title'
    >>> build_document("", source="notes.txt")
    Traceback (most recent call last):
    pipeline.errors.InputError: notes.txt: the article is empty; give it the article's text
    >>> build_document("\\u200b\\u200b\\n")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    pipeline.errors.InputError: the article holds no text (only blank space or invisible
    characters); give it the article's text
    """
    from pipeline.review import clean_beside

    require_text(text, "build_document")
    _require_words(text, source, markdown)
    cleaned = clean_beside(text, article, options, name=source).cleaned
    return _sectioned(cleaned, source, markdown, model, meta, images)


def prepare(
    article: Article,
    *,
    source: str,
    options: CleanOptions | None = None,
    model: str | None = None,
    cleaned: Cleaned | None = None,
) -> Document:
    """Clean and section an article as its reader gave it, with what the reader found
    beside the text (front matter or sidecar, figures' images). ``cleaned`` is its text
    already cleaned (a batch cleans it with an editor's decisions, and keeps the review
    for the review page)."""
    _require_words(article.text, source, article.markdown)
    if cleaned is None:
        from pipeline.normalise import clean
        from pipeline.readers.text import refuse_blank

        cleaned = clean(article.text, options)
        refuse_blank(cleaned.text, source)  # as review_beside asks of what it cleans
    return _sectioned(cleaned, source, article.markdown, model, article.meta, article.images)


def _require_words(text: str, source: str | None, markdown: bool | None) -> None:
    """The readers' rule for a file's text (:func:`~pipeline.readers.text.refuse_empty`,
    and for Markdown :func:`~pipeline.readers.markdown.refuse_no_words`), for text given
    to the library."""
    from pipeline.readers.markdown import refuse_no_words
    from pipeline.readers.text import refuse_empty

    refuse_empty(text, source, "article")
    if markdown:
        refuse_no_words(text, source)


def _sectioned(
    cleaned: Cleaned,
    source: str | None,
    markdown: bool | None,
    model: str | None,
    meta: ArticleMeta | None,
    images: tuple[ImageFile, ...],
) -> Document:
    from pipeline.structure import structure

    return structure(
        cleaned.text, changes=cleaned.changes, suspects=cleaned.suspects, source=source,
        markdown=markdown, model=model, meta=meta, images=images,
    )  # fmt: skip


def render(
    doc: Document, fmt: Format, config: LeafletConfig, signoff: LeafletSignOff | None = None
) -> Data:
    """``doc`` in one format: the JSON as a function that streams it to the file.

    ``signoff`` is what the leaflet shows and the JSON records as its sign-off (the same
    for every format of one article); by default :func:`~pipeline.signoff.resolve_signoff`
    of ``doc`` and ``config``.
    """
    if signoff is None:
        from pipeline.signoff import resolve_signoff

        signoff = resolve_signoff(doc, config)
    if fmt == "json":
        return partial(_write_json, {**doc.to_dict(), "signoff": signoff.to_dict()})
    if fmt == "html":
        from pipeline.render.html import render_html

        return render_html(doc, config, signoff=signoff)
    from pipeline.render.pdf import render_pdf

    return render_pdf(doc, config, signoff=signoff)


def _write_json(data: dict[str, Any], handle: BinaryIO) -> None:
    """The JSON streamed into the open file, chunk by chunk (never one giant string)."""
    with _text(handle) as text:
        json.dump(data, text, ensure_ascii=False, indent=1)
        text.write("\n")


def changes_writer(cleaned: Cleaned) -> Data:
    """The plan as JSON, ``{"changes": [...], "suspects": [...]}``: the same text as
    :meth:`Cleaned.changes_json`, written one item at a time, so a 50 MB article's
    hundreds of thousands of changes never become one string.

    >>> from pipeline.model import Change, Cleaned, Suspect
    >>> plans = [Cleaned("", "", (Change("commas", "comma", 3, 7, " and", ","),) * 2,
    ...                  (Suspect(0, 1, "x", "odd"),)), Cleaned("", "", ())]
    >>> def written(plan):
    ...     buffer = io.BytesIO(); changes_writer(plan)(buffer); return buffer.getvalue().decode()
    >>> [written(plan) == plan.changes_json() for plan in plans]
    [True, True]
    """
    lists: dict[str, Sequence[Change | Suspect]] = {
        "changes": cleaned.changes,
        "suspects": cleaned.suspects,
    }

    def write(handle: BinaryIO) -> None:
        with _text(handle) as text:
            for piece in _lists_json(lists):
                text.write(piece)

    return write


def _lists_json(lists: Mapping[str, Sequence[Change | Suspect]]) -> Iterator[str]:
    """An object of lists as ``json.dumps(..., indent=1)`` writes it, piece by piece."""
    yield "{"
    for number, (key, items) in enumerate(lists.items()):
        yield ("\n " if number == 0 else ",\n ") + json.dumps(key) + ": "
        for index, item in enumerate(items):
            body = json.dumps(item.to_dict(), ensure_ascii=False, indent=1)
            yield ("[\n  " if index == 0 else ",\n  ") + body.replace("\n", "\n  ")
        yield "\n ]" if items else "[]"
    yield "\n}\n"


@contextmanager
def _text(handle: BinaryIO) -> Iterator[io.TextIOWrapper]:
    """A UTF-8 text layer over an open binary file, detached (not closed) at the end, so
    the file's writer can sync and close it."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
    yield text
    text.flush()
    text.detach()
