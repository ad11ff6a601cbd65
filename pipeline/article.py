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
from pipeline.files import Writer, write_atomic
from pipeline.model import Document
from pipeline.normalise import CleanOptions, clean
from pipeline.read import read_text

FORMATS = ("json", "html", "pdf")


def build_document(
    text: str,
    *,
    source: str | None = None,
    options: CleanOptions | None = None,
    markdown: bool | None = None,
    model: str | None = None,
) -> Document:
    """Clean ``text`` and section it: the Document every renderer reads.

    >>> build_document("A Title\\n\\nSome tеxt.").title
    'A Title'
    """
    from pipeline.structure import structure

    cleaned = clean(text, options)
    return structure(
        cleaned.text,
        changes=cleaned.changes,
        suspects=cleaned.suspects,
        source=source,
        markdown=markdown,
        model=model,
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
    text = read_text(job.path, job.encoding)
    return build_document(
        text,
        source=str(job.path),
        options=job.options,
        markdown=True if job.path.suffix.lower() == ".md" else None,  # None: look at the text
        model=job.model,
    )


def _write_json(data: dict[str, Any], handle: BinaryIO) -> None:
    """The JSON streamed into the open file, chunk by chunk (never one giant string)."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=True)
    json.dump(data, text, ensure_ascii=False, indent=1)
    text.write("\n")
    text.detach()  # leave the file open for write_atomic to sync and close


def write_outputs(
    doc: Document, out_dir: Path, name: str, formats: tuple[str, ...], config: LeafletConfig
) -> tuple[Path, ...]:
    """Render ``doc`` in each format and write ``out_dir/<name>.<format>`` atomically.

    Everything is rendered before anything is written, so a failure leaves no new file.
    """
    rendered = {fmt: _render(doc, fmt, config) for fmt in formats}
    paths = []
    for fmt, data in rendered.items():
        path = out_dir / f"{name}.{fmt}"
        write_atomic(path, data)
        paths.append(path)
    return tuple(paths)


def _render(doc: Document, fmt: str, config: LeafletConfig) -> str | bytes | Writer:
    if fmt == "json":
        return partial(_write_json, doc.to_dict())
    if fmt == "html":
        from pipeline.render.html import render_html

        return render_html(doc, config)
    from pipeline.render.pdf import render_pdf

    return render_pdf(doc, config)
