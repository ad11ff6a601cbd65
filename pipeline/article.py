"""One article, from text to Document to files: the work a build does per input.

These functions are what batch workers run; each sets up nothing itself (spaCy, the
templates and the fonts are cached per process by the modules that own them).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.config import LeafletConfig
from pipeline.errors import InputError, require_text
from pipeline.files import Writer, write_atomic
from pipeline.model import ArticleMeta, Document, ImageFile
from pipeline.normalise import CleanOptions
from pipeline.read import load_article
from pipeline.review import clean_beside
from pipeline.signoff import LeafletSignOff, resolve_signoff

FORMATS = ("json", "html", "pdf")


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

Text with nothing in it is an :class:`~pipeline.errors.InputError`, as on the command
    line; bytes are a :class:`TypeError` (decode them first). ``article`` is the file
    ``text`` was read from: an editor's decisions beside it (``article.txt.review.json``)
    are honoured.

    >>> build_document("A Title\\n\\nSome tеxt.").title
    'A Title'
    >>> build_document("  \\n", source="notes.txt")
    Traceback (most recent call last):
    pipeline.errors.InputError: notes.txt: the article is empty; give it the article's text
    """
    from pipeline.structure import structure

    require_text(text, "build_document")
    if not text.strip():
        where = f"{source}: " if source else ""
        raise InputError(f"{where}the article is empty; give it the article's text")
    cleaned = clean_beside(text, article, options).cleaned
    return structure(
        cleaned.text,
        changes=cleaned.changes,
        suspects=cleaned.suspects,
        source=source,
        markdown=markdown,
        model=model,
        meta=meta,
        images=images,
    )


@dataclass(frozen=True)
class Job:
    """What a worker needs to prepare one article."""

    path: Path
    encoding: str | None = None
    options: CleanOptions = CleanOptions()
    model: str | None = None


def prepare(job: Job) -> Document:
    """Read, clean and section one input file."""
    article = load_article(job.path, job.encoding)
    return build_document(
        article.text,
        source=str(job.path),
        options=job.options,
        markdown=article.markdown,  # None: look at the text
        model=job.model,
        meta=article.meta,
        images=article.images,
        article=job.path,
    )


def _write_json(data: dict[str, Any], handle: BinaryIO) -> None:
    """The JSON streamed into the open file, chunk by chunk (never one giant string)."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=True)
    json.dump(data, text, ensure_ascii=False, indent=1)
    text.write("\n")
    text.detach()  # leave the file open for write_atomic to sync and close


def write_outputs(
    doc: Document,
    out_dir: Path,
    name: str,
    formats: tuple[str, ...],
    config: LeafletConfig,
    *,
    signoff: LeafletSignOff | None = None,
) -> tuple[Path, ...]:
    """Render ``doc`` in each format and write ``out_dir/<name>.<format>`` atomically.

    ``signoff`` is what every format shows and records as the leaflet's sign-off; by
    default :func:`~pipeline.signoff.resolve_signoff` of ``doc`` and ``config`` for this
    ``name``. Everything is rendered before anything is written, so a failure leaves no
    new file.
    """
    signed = signoff or resolve_signoff(doc, config, name=name)
    rendered = {fmt: _render(doc, fmt, config, signed) for fmt in formats}
    paths = []
    for fmt, data in rendered.items():
        path = out_dir / f"{name}.{fmt}"
        write_atomic(path, data)
        paths.append(path)
    return tuple(paths)


def _render(
    doc: Document, fmt: str, config: LeafletConfig, signoff: LeafletSignOff
) -> str | bytes | Writer:
    if fmt == "json":
        return partial(_write_json, {**doc.to_dict(), "signoff": signoff.to_dict()})
    if fmt == "html":
        from pipeline.render.html import render_html

        return render_html(doc, config, signoff=signoff)
    from pipeline.render.pdf import render_pdf

    return render_pdf(doc, config, signoff=signoff)
