"""The batch report: ``index.html`` (a page linking every leaflet) and ``report.csv``.

Both list, per input, its title, reading level and how many repairs each cleaning stage
made, so an editor can see at a glance which articles were most damaged; failures come
first, then the most repaired articles, then the files that are not articles.

Titles and file names come from untrusted articles: the page escapes them (Jinja2's
autoescape), and the CSV neutralises any cell a spreadsheet would run as a formula, as
OWASP advises for CSV injection (``=1+1`` is written ``'=1+1``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from functools import cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote

from pipeline.files import write_atomic
from pipeline.inputs import display
from pipeline.stages import STAGE_NAMES

if TYPE_CHECKING:
    from pathlib import Path

    import jinja2

    from pipeline.batch import Outcome

COLUMNS = (
    "source",
    "status",
    "title",
    "grade",
    "reading_ease",
    "repairs",
    *STAGE_NAMES,
    "outputs",
    "error",
)
REVIEW_PAGE = "review.html"
"""The kind of an article's static review page (``<name>.review.html``, made beside its
HTML leaflet): the page links the article's repair count to it."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ORDER = {"failed": 0, "built": 1, "skipped": 1, "not an article": 2}


def row(outcome: Outcome) -> dict[str, Any]:
    """One input's line of the report; an input never built has no counts."""
    entry = outcome.entry
    if entry is None:
        return {**_BLANK, "source": display(outcome.source.path), "status": outcome.status,
                "error": display(outcome.message)}  # fmt: skip
    level = entry.reading_level
    leaflets = {kind: o for kind, o in entry.outputs.items() if kind != REVIEW_PAGE}
    review = entry.outputs.get(REVIEW_PAGE)
    return {
        "source": display(outcome.source.path),
        "status": outcome.status,
        "title": entry.title,
        "grade": level.grade if level else "",
        "reading_ease": level.flesch_reading_ease if level else "",
        "repairs": sum(entry.repairs.values()),
        **{stage: entry.repairs.get(stage, 0) for stage in STAGE_NAMES},
        "outputs": [display(file) for file in entry.files()],
        "links": [(_href(o.file), label(k)) for k, o in leaflets.items()],
        "error": display(outcome.message),
        "html": next((_href(o.file) for k, o in leaflets.items() if k.endswith("html")), ""),
        "review": _href(review.file) if review else "",
    }


_BLANK: dict[str, Any] = {
    **dict.fromkeys(COLUMNS, ""), "outputs": [], "links": [], "html": "", "review": ""
}  # fmt: skip


def _href(file: str) -> str:
    """A link to an output from the index page, whatever bytes its name holds.

    >>> _href("a b.pdf"), _href("caf\\udce9.txt")
    ('a%20b.pdf', 'caf%E9.txt')
    """
    return quote(os.fsencode(file))


def label(kind: str) -> str:
    """How the page names an output: its format, then its variant.

    >>> label("pdf"), label("a5.large-print.pdf"), label("changes.json")
    ('PDF', 'PDF A5 large print', 'JSON changes')
    """
    *variant, fmt = kind.split(".")
    words = [part.upper() if part[:1].isalpha() and len(part) <= 2 else part for part in variant]
    return " ".join([fmt.upper(), *(w.replace("-", " ") for w in words)])


def write_reports(folder: Path, outcomes: Iterable[Outcome], heading: str) -> None:
    """Write ``report.csv`` and ``index.html`` into ``folder``, atomically; both stream
    row by row, so a batch of thousands never becomes one string."""
    ordered = sorted(outcomes, key=_rank)
    write_atomic(folder / "report.csv", partial(_write_csv, ordered))
    write_atomic(folder / "index.html", partial(_write_page, ordered, heading))


def _rank(outcome: Outcome) -> tuple[int, int]:
    repairs = sum(outcome.entry.repairs.values()) if outcome.entry else 0
    return _ORDER[outcome.status], -repairs


def _write_page(outcomes: list[Outcome], heading: str, handle: BinaryIO) -> None:
    rows = (row(outcome) for outcome in outcomes)
    page = _template().generate(
        heading=heading, rows=rows, count=len(outcomes), stages=list(STAGE_NAMES)
    )
    for chunk in page:
        handle.write(chunk.encode("utf-8"))


def neutralise(cell: object) -> object:
    """A CSV cell no spreadsheet runs as a formula: text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (numbers are kept).

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5 mg"), neutralise(-5.2)
    ('\\'=HYPERLINK("http://x")', "'-5 mg", -5.2)
    """
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _write_csv(outcomes: list[Outcome], handle: BinaryIO) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for outcome in outcomes:
        cells = row(outcome)
        cells["outputs"] = " ".join(cells["outputs"])
        writer.writerow({column: neutralise(cells[column]) for column in COLUMNS})
    text.flush()
    text.detach()  # leave the file open for write_atomic to sync and close


@cache
def _template() -> jinja2.Template:
    import jinja2

    source = resources.files("pipeline").joinpath("data/index.html.j2").read_text("utf-8")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(source)
