"""The review as one static page: readable without the studio, without scripts.

:func:`write_review_page` writes it beside the leaflets (``leaflet build`` calls it), so
the batch ``index.html`` can link each article's repair counts to it and a folder can be
reviewed without a server. It shows the same marked text as the studio, with the same
tips (on hover, or on focus: each marked change can be reached with Tab), but no
buttons: decisions are made in the studio.

>>> from pipeline.review import clean_reviewed
>>> page = render_review_page(clean_reviewed("Thе <b>wоrd</b>"), title="T", source="a.txt")
>>> "&lt;b&gt;" in page and "<script" not in page
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.files import write_atomic
from pipeline.normalise import STAGES
from pipeline.review import Reviewed
from pipeline.stages import STAGE_TITLES
from pipeline.studio.marking import marked_lines


@dataclass(frozen=True)
class StageCount:
    """How many changes one stage proposed: applied, and rejected by an editor."""

    stage: str
    name: str
    repairs: int
    rejected: int


def stage_counts(reviewed: Reviewed) -> list[StageCount]:
    """The stages that proposed anything, in pipeline order.

    >>> from pipeline.review import clean_reviewed
    >>> stage_counts(clean_reviewed("Thе wоrd"))
    [StageCount(stage='homoglyphs', name='Look-alike letters', repairs=2, rejected=0)]
    """
    counts = []
    for stage in dict.fromkeys([*STAGES, *(m.key.stage for m in reviewed.marks)]):
        marks = [m for m in reviewed.marks if m.key.stage == stage]
        if marks:
            rejected = sum(m.rejected for m in marks)
            name = STAGE_TITLES.get(stage, stage)
            counts.append(StageCount(stage, name, len(marks) - rejected, rejected))
    return counts


@cache
def environment() -> Environment:
    """The studio's templates: autoescaped, and an unknown name is an error."""
    env = Environment(
        loader=PackageLoader("pipeline.studio", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(stage_names=STAGE_TITLES)
    return env


@cache
def static_text(name: str) -> str:
    """A file of ``pipeline/studio/static/``."""
    return files("pipeline.studio").joinpath("static", name).read_text("utf-8")


def render_review_page(reviewed: Reviewed, *, title: str, source: str) -> str:
    """The static review page of one article (see the module docstring)."""
    styles = Markup((static_text("review.css") + static_text("page.css")).replace("</", "<\\/"))
    return (
        environment()
        .get_template("review-static.html.j2")
        .render(
            title=title,
            source=source,
            reviewed=reviewed,
            counts=stage_counts(reviewed),
            lines=marked_lines(reviewed, interactive=False),
            styles=styles,
        )
    )


def write_review_page(path: Path, reviewed: Reviewed, *, title: str, source: str) -> None:
    """Write the static review page to ``path``, atomically."""
    write_atomic(path, render_review_page(reviewed, title=title, source=source))
