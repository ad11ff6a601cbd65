"""The batch report: ``index.html`` (a page linking every leaflet) and ``report.csv``.

Both list, per article, its title, reading level and how many repairs each cleaning stage
made, so an editor can see at a glance which articles were most damaged.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from pipeline.files import write_atomic
from pipeline.normalise import STAGES

COLUMNS = (
    "source",
    "status",
    "title",
    "grade",
    "reading_ease",
    "repairs",
    *STAGES,
    "outputs",
    "error",
)


def row(entry: dict[str, Any], status: str, error: str = "") -> dict[str, Any]:
    """One article's line of the report, from its manifest entry."""
    level = entry.get("reading_level") or {}
    repairs = entry.get("repairs") or {}
    return {
        "source": entry.get("source", ""),
        "status": status,
        "title": entry.get("title", ""),
        "grade": level.get("grade", ""),
        "reading_ease": level.get("flesch_reading_ease", ""),
        "repairs": sum(repairs.values()),
        **{stage: repairs.get(stage, 0) for stage in STAGES},
        "outputs": entry.get("outputs", []),
        "error": error,
        "html": next((o for o in entry.get("outputs", []) if o.endswith(".html")), ""),
    }


def write_reports(out_dir: Path, rows: list[dict[str, Any]], heading: str) -> None:
    """Write ``report.csv`` and ``index.html`` into ``out_dir``, atomically."""
    ordered = sorted(rows, key=lambda r: (r["status"] != "failed", -int(r["repairs"] or 0)))
    write_atomic(out_dir / "report.csv", _csv(ordered))
    write_atomic(
        out_dir / "index.html",
        _template().render(heading=heading, rows=ordered, stages=list(STAGES)),
    )


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for item in rows:
        writer.writerow({**item, "outputs": " ".join(item["outputs"])})
    return buffer.getvalue()


@cache
def _template() -> jinja2.Template:
    source = resources.files("pipeline").joinpath("data/index.html.j2").read_text("utf-8")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(source)
