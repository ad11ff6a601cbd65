"""The articles a studio works on, and what it makes of them.

Two kinds of place hold articles: the ``folder`` the studio was started on (``leaflet
serve DIR``), and ``pasted``: text pasted or uploaded on the home page, kept in
``OUTPUT/studio/`` (:mod:`.kept`). Either way an article is a file with its review
sidecar beside it, and ``leaflet build FILE`` makes the same leaflet from it as the
studio does.

An article is read as ``leaflet build`` reads it (with its front matter, its
``.meta.toml`` sign-off and its figures), so the studio's leaflet is the command line's.
Reading, reviewing and sectioning happen once per version of an article and its sidecar
(the results are cached by the article and the sidecar's digest), and so does each
render (cached by the document and the bytes of the images it shows, so an edited chart
shows at once). Decisions are saved one at a time, each on the sidecar as it is then, so two
windows deciding on the same article at once both count.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pipeline.config import LeafletConfig, apply_overrides, load_config
from pipeline.inputs import Found, gather, image_state, without_figures
from pipeline.model import Document
from pipeline.read import Article, article_kind, load_article
from pipeline.review import (
    Mark,
    Review,
    Reviewed,
    review_beside,
    save_review,
    sidecar_key,
    text_digest,
)
from pipeline.studio import MAX_UPLOAD
from pipeline.studio.marking import token as mark_token
from pipeline.studio.security import NotFound, inside

Where = Literal["folder", "pasted"]
PLACES: tuple[Where, ...] = ("folder", "pasted")
KEEP_FITTING = "Keep only the decisions that fit"
"""The review page's button that saves a sidecar again with only what still fits."""
REVIEW_AGAIN = (
    f"press “{KEEP_FITTING}” on the article’s review, then reject again any repair "
    "that should stay rejected"
)
"""What to do about rejections that do not fit, said in the studio (the command line's
words, :data:`pipeline.review.REVIEW_AGAIN`, send the reader here)."""

_LOCK = threading.Lock()  # spaCy and WeasyPrint work one article at a time
_DECIDING = threading.Lock()  # a decision reads the sidecar, then writes it: one at a time


@dataclass(frozen=True)
class Studio:
    """Where one running studio reads and writes."""

    folder: Path | None
    output: Path
    config_path: Path
    max_upload: int = MAX_UPLOAD

    @property
    def pasted(self) -> Path:
        return self.output / "studio"

    def root(self, where: str) -> Path:
        """The folder ``where`` names; :class:`NotFound` for no such place."""
        if where == "pasted":
            return self.pasted
        if where == "folder" and self.folder is not None:
            return self.folder
        raise NotFound(where)

    def config(self, paper: str | None = None, large_print: bool | None = None) -> LeafletConfig:
        """The settings in the config file (defaults without one), with the choices made
        for this leaflet; :class:`ConfigError` for a file that cannot be used."""
        path = self.config_path
        config = load_config(path) if os.path.lexists(path) else LeafletConfig()
        return apply_overrides(config, paper=paper, large_print=large_print)


@dataclass(frozen=True)
class Prepared:
    """One article as the review page shows it."""

    where: Where
    name: str  # its path inside its place, as URLs name it
    path: Path
    article: Article
    reviewed: Reviewed
    document: Document


def locate(studio: Studio, where: str, name: str) -> Path:
    """The article file ``name`` in place ``where``; :class:`NotFound` for anything else."""
    path = inside(studio.root(where), name)
    if article_kind(path) is None:
        raise NotFound(name)
    return path


def prepare(studio: Studio, where: Where, name: str) -> Prepared:
    """Read, review and section one article (:class:`InputError` if it cannot be read)."""
    path = locate(studio, where, name)
    article = load_article(path, max_size=studio.max_upload, inside=studio.root(where))
    reviewed, document = _current(article, path)
    return Prepared(where, name, path, article, reviewed, document)


def _current(article: Article, path: Path) -> tuple[Reviewed, Document]:
    """The article reviewed with the decisions its sidecar holds now."""
    with _LOCK:
        return _reviewed(article, path, sidecar_key(path))


@lru_cache(maxsize=64)
def _reviewed(article: Article, path: Path, _sidecar: str) -> tuple[Reviewed, Document]:
    from pipeline.structure import structure

    reviewed = review_beside(article.text, path, action=REVIEW_AGAIN)
    cleaned = reviewed.cleaned
    document = structure(
        cleaned.text,
        changes=cleaned.changes,
        source=str(path),
        markdown=article.markdown,
        meta=article.meta,
        images=article.images,
    )
    return reviewed, document


def render(prepared: Prepared, config: LeafletConfig, fmt: str) -> bytes:
    """The leaflet as ``html`` or ``pdf``, or the cleaned text as ``txt``."""
    if fmt == "txt":
        return prepared.article.layout.restore(prepared.reviewed.cleaned.text).encode("utf-8")
    images = _images_digest(prepared.article)
    with _LOCK:
        return _render(prepared.document, config, fmt, images)


def _images_digest(article: Article) -> str:
    """What the images ``article`` shows are now (:func:`pipeline.inputs.image_state`)."""
    return "\0".join(image_state(Path(image.path)) for image in article.images)


@lru_cache(maxsize=16)
def _render(document: Document, config: LeafletConfig, fmt: str, _images: str) -> bytes:
    if fmt == "pdf":
        from pipeline.render.pdf import render_pdf

        return render_pdf(document, config)
    from pipeline.render.html import render_html

    return render_html(document, config).encode("utf-8")


def decide(prepared: Prepared, token: str, *, reject: bool) -> int:
    """Reject the change ``token`` names (or, not ``reject``, restore it) and save the
    sidecar; the line of the text it stands on. The decisions saved since ``prepared``
    was read are kept, and deciding the same twice is the same as once."""
    with _DECIDING:
        current, _document = _current(prepared.article, prepared.path)
        found = _mark(current, token) or _mark(prepared.reviewed, token)
        if found is None:
            raise NotFound(token)
        mark, reviewed = found
        rejected = current.rejected | {mark.key} if reject else current.rejected - {mark.key}
        save_review(prepared.path, Review(text_digest(prepared.article.text), rejected))
    return reviewed.cleaned.text.count("\n", 0, mark.start) + 1


def _mark(reviewed: Reviewed, token: str) -> tuple[Mark, Reviewed] | None:
    found = next((m for m in reviewed.marks if mark_token(m) == token), None)
    return (found, reviewed) if found else None


def forget_stale(prepared: Prepared) -> None:
    """Save the sidecar again with only the rejections that still fit the text."""
    with _DECIDING:
        current, _document = _current(prepared.article, prepared.path)
        review = Review(text_digest(prepared.article.text), current.rejected)
        save_review(prepared.path, review)


def found(studio: Studio) -> Found:
    """What is in the folder, found as ``leaflet build DIR`` finds it: by the batch's own
    walk (:func:`pipeline.inputs.gather`, as deep as :data:`pipeline.files.DEEPEST`,
    following links only while they stay inside; an article reached through a link is
    its file, listed once under its own name), less the images its Markdown articles
    show. Nothing without a folder; :class:`InputError` for a folder inside the output
    folder."""
    if studio.folder is None:
        return Found()
    return without_figures(gather([studio.folder], exclude=studio.output), studio.max_upload)


def articles(studio: Studio) -> Iterator[str]:
    """The names of the articles in the folder (:func:`found`), as URLs name them."""
    return (source.name for source in found(studio).articles)
