"""The folder view: every article in the folder with what cleaning found in it, and
what else is there, not read, as ``leaflet build DIR`` finds and lists it (the batch's
own walk, :func:`pipeline.studio.articles.found`).

Damage is repairs per 1,000 words, so a long article and a short one compare fairly.
The view sorts by any column and filters by words in the title or name and by status,
all from the query string (plain links and a GET form).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pipeline.errors import InputError, LeafletError
from pipeline.inputs import Source, display
from pipeline.normalise import STAGES
from pipeline.read import read_bytes
from pipeline.studio import articles
from pipeline.studio.articles import Prepared, Studio
from pipeline.studio.security import NotFound

STATUSES = {
    "failed": "Cannot be read",
    "attention": "Sidecar needs attention",
    "reviewed": "Repairs rejected",
    "new": "As cleaned",
}
COLUMNS = ("title", "words", "damage", *STAGES, "suspects", "grade", "status")


@dataclass(frozen=True)
class Row:
    """One article of the folder."""

    name: str
    title: str = ""
    words: int = 0
    repairs: dict[str, int] = field(default_factory=dict)
    suspects: int = 0
    grade: float | None = None
    rejected: int = 0
    status: str = "new"  # a key of STATUSES
    message: str = ""

    def per_thousand(self, stage: str | None = None) -> float:
        """Repairs per 1,000 words, of one stage or (``None``) of all."""
        count = sum(self.repairs.values()) if stage is None else self.repairs.get(stage, 0)
        return 1000 * count / self.words if self.words else 0.0

    def value(self, column: str) -> Any:
        """What the view sorts ``column`` by."""
        if column == "damage" or column in STAGES:
            return self.per_thousand(None if column == "damage" else column)
        if column == "grade":
            return -1.0 if self.grade is None else self.grade
        if column == "title":
            return (self.title or self.name).casefold()
        return getattr(self, column)


@dataclass(frozen=True)
class Unread:
    """Something in the folder that is not listed as an article, and what it is, as
    ``leaflet build`` lists it as not an article: a file of another kind, a link to an
    article listed under its own name, a folder nested too deep to be read."""

    name: str
    what: str


@dataclass(frozen=True)
class Listing:
    """What the folder view shows: a row for each article (one that cannot be read says
    why), what is not read (:class:`Unread`), and the warnings the batch gives once (a
    sidecar named in other letters)."""

    rows: list[Row]
    unread: list[Unread]
    notes: tuple[str, ...] = ()


def listing(studio: Studio) -> Listing:
    """The folder as the batch walk finds it (:func:`.articles.found`), each article read."""
    found = articles.found(studio)
    top = studio.folder or Path()
    rows = [_read(studio, source) for source in found.articles]
    rows += [Row(_name(top, p.path), status="failed", message=p.message)
             for p in found.problems]  # fmt: skip
    unread = [Unread(_name(top, other.path), other.what) for other in found.others]
    return Listing(rows, unread, found.notes)


def _read(studio: Studio, source: Source) -> Row:
    unnamed = _unaddressable(source.name)
    if unnamed:
        message = (f"{display(source.path)}: its name {unnamed}, so the studio cannot open "
                   "it; rename it (leaflet build reads it as it is)")  # fmt: skip
        return Row(display(source.name), status="failed", message=message)
    try:
        return _row(articles.prepare(studio, "folder", source.name))
    except LeafletError as error:
        return Row(source.name, status="failed", message=display(str(error)))
    except NotFound:  # not a file in the folder (a pipe), or no longer (gone, led out)
        message = display(_unopened(source, studio.max_upload))
        return Row(source.name, status="failed", message=message)


def _unaddressable(name: str) -> str | None:
    r"""Why no address of the studio's can name the article ``name`` (``None``: one can).

    >>> _unaddressable("café.txt"), _unaddressable("caf\udce9.txt"), _unaddressable("a\nb.txt")
    (None, 'is not UTF-8 text', 'holds a line break')
    """
    if "\n" in name:  # an address's name (Starlette's path) is one line
        return "holds a line break"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "is not UTF-8 text"
    return None


def _unopened(source: Source, limit: int) -> str:
    """Why an article the walk found is not a file the studio opens, as the batch says it
    (:func:`~pipeline.read.read_bytes`)."""
    try:
        read_bytes(source.path, limit, source.within)
    except InputError as error:
        return str(error)
    return f"{display(source.path)}: is not a file the studio opens; give a file"


def _name(top: Path, path: Path) -> str:
    """What the walk found at ``path`` in the folder ``top``, named from it as an article
    is (``top`` itself by its own name).

    >>> _name(Path("in"), Path("in/sub/b.txt")), _name(Path("in"), Path("in"))
    ('sub/b.txt', 'in')
    """
    return display(path.relative_to(top).as_posix() if path != top else top)


def _row(prepared: Prepared) -> Row:
    doc, reviewed = prepared.document, prepared.reviewed
    level = doc.reading_level
    rejected = len(reviewed.rejected)
    status = "attention" if reviewed.problem else "reviewed" if rejected else "new"
    repairs: dict[str, int] = {}
    for change in reviewed.cleaned.changes:
        repairs[change.stage] = repairs.get(change.stage, 0) + 1
    return Row(
        prepared.name, doc.title, level.words if level else 0, repairs,
        len(reviewed.cleaned.suspects), round(level.grade, 1) if level else None,
        rejected, status, reviewed.problem,
    )  # fmt: skip


@dataclass(frozen=True)
class View:
    """How the folder is shown: sorted by ``sort``, filtered by ``query`` and ``status``."""

    sort: str = "damage"
    descending: bool = True
    query: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> View:
        sort = params.get("sort", "damage")
        return cls(
            sort if sort in COLUMNS else "damage",
            params.get("order", "desc") != "asc",
            params.get("q", "").strip()[:200],
            params.get("status", "") if params.get("status") in STATUSES else "",
        )

    def apply(self, found: list[Row]) -> list[Row]:
        words = self.query.casefold()
        kept = [
            r
            for r in found
            if (not words or words in r.title.casefold() or words in r.name.casefold())
            and (not self.status or r.status == self.status)
        ]
        return sorted(kept, key=lambda r: (r.value(self.sort), r.name), reverse=self.descending)

    def link(self, column: str) -> str:
        """The address that sorts by ``column``: the other way round if it already does;
        numbers start from the largest, titles from A."""
        if column == self.sort:
            descending = not self.descending
        else:
            descending = column not in ("title", "status")
        view = replace(self, sort=column, descending=descending)
        return "/folder?" + view.query_string()

    def query_string(self) -> str:
        values = {"sort": self.sort, "order": "desc" if self.descending else "asc"}
        values |= {k: v for k, v in (("q", self.query), ("status", self.status)) if v}
        return urlencode(values)

    def aria_sort(self, column: str) -> str:
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"
