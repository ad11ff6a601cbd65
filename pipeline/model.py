"""Frozen data passed between the pipeline's stages.

Cleaning produces a :class:`Cleaned` (the text and every :class:`Change` made to it);
sectioning turns that into a :class:`Document`; rendering reads only the Document.
Nothing here is mutated after it is built, and nothing here imports spaCy.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from operator import attrgetter
from typing import Any, Literal, NamedTuple, cast


class Change(NamedTuple):
    """One edit proposed by a cleaning stage.

    ``start`` and ``end`` index the text *as that stage received it*: the stages run in
    order, and replaying each stage's changes on the previous stage's output gives the
    next text (see :func:`pipeline.normalise.replay`).

    A named tuple, as ftfy's explanation steps are: frozen, and a spun megabyte's tens of
    thousands of them cost a third of what frozen dataclasses would to make.

    >>> Change("homoglyphs", "cyrillic", 1, 2, "\\u0435", "e").delta
    0
    """

    stage: str
    rule: str
    start: int
    end: int
    before: str
    after: str
    note: str = ""

    @property
    def delta(self) -> int:
        """How much longer (or, negative, shorter) the text becomes."""
        return len(self.after) - len(self.before)

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


START, END = attrgetter("start"), attrgetter("end")
"""Where a :class:`Change` starts and ends: the keys changes are sorted and searched by."""

change_of = cast(
    Callable[[tuple[str, str, int, int, str, str, str]], Change], partial(tuple.__new__, Change)
)
"""A :class:`Change` from a tuple of its seven fields, made in C (the named tuple's own
constructor is Python code): for the stages that make tens of thousands of them.

>>> change_of(("unicode", "invisible", 2, 3, "\u200b", "", "")) == Change(
...     "unicode", "invisible", 2, 3, "\u200b", "")
True
"""


@dataclass(frozen=True)
class Suspect:
    """Something the cleaner left in place but found odd, for an editor to look at.

    ``start`` and ``end`` index the *cleaned* text; ``text`` is what stands there and
    ``reason`` says, in a few words, why it looks out of place.

    >>> Suspect(4, 8, "Gαq", "Greek letter inside a Latin word").text
    'Gαq'
    """

    start: int
    end: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Cleaned:
    """What :func:`pipeline.clean` returns: the original, the result and the plan between,
    and the suspects: what the cleaner left but found odd (offsets into ``text``)."""

    original: str
    text: str
    changes: tuple[Change, ...] = ()
    suspects: tuple[Suspect, ...] = ()

    def changes_json(self, *, compact: bool = False) -> str:
        """The plan as JSON: ``{"changes": [...], "suspects": [...]}``; each change has
        stage, rule, start, end, before, after and note, each suspect start, end, text and
        reason (offsets into the cleaned text). :func:`changes_from_json` reads it back.
        ``compact``: on one line with no spaces, as a field of a corpus record."""
        plan = {
            "changes": [c.to_dict() for c in self.changes],
            "suspects": [s.to_dict() for s in self.suspects],
        }
        if compact:
            return json.dumps(plan, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(plan, ensure_ascii=False, indent=1) + "\n"

    def by_stage(self) -> dict[str, tuple[Change, ...]]:
        """The changes grouped by stage, in pipeline order."""
        groups: dict[str, list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.stage, []).append(change)
        return {stage: tuple(changes) for stage, changes in groups.items()}


def changes_from_json(text: str) -> tuple[Change, ...]:
    """The changes of a plan written by :meth:`Cleaned.changes_json` (or, from leaflet
    before suspects, a bare list of changes), ready for :func:`pipeline.replay`.

    >>> changes_from_json('{"changes": [{"stage": "commas", "rule": "comma", "start": 0, '
    ...     '"end": 4, "before": " and", "after": ","}], "suspects": []}')[0].after
    ','
    """
    plan = json.loads(text)
    items = plan["changes"] if isinstance(plan, dict) else plan
    return tuple(Change(**item) for item in items)


def count_by_stage(changes: Iterable[Change]) -> dict[str, int]:
    """How many changes each stage made, in pipeline order.

    >>> count_by_stage([Change("commas", "comma", 0, 4, " and", ",")])
    {'commas': 1}
    """
    return dict(Counter(change.stage for change in changes))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text and its sentences (each a substring of ``text``)."""

    text: str
    sentences: tuple[str, ...]
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class ListBlock:
    """A bulleted (``ordered=False``) or numbered list.

    ``start`` is the number of a numbered list's first item, as the article wrote it: a
    list that continues after a paragraph (``3.``, ``4.``) starts at 3. It is 1 for
    bulleted lists.
    """

    items: tuple[str, ...]
    ordered: bool = False
    kind: Literal["list"] = "list"
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A table: a header row and body rows of cells (every row as wide as the header),
    and its caption if the article gives one.

    >>> Table(("Age", "Dose"), (("16-64", "300 mg"),)).width
    2
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    kind: Literal["table"] = "table"

    @property
    def width(self) -> int:
        return len(self.header)


@dataclass(frozen=True)
class Quote:
    """A block quote: one or more paragraphs quoted from someone else."""

    paragraphs: tuple[Paragraph, ...]
    kind: Literal["quote"] = "quote"


@dataclass(frozen=True)
class ImageFile:
    """An image file beside an article, checked: its real type and its size in pixels.

    ``src`` is the address as the article wrote it (``chart.png``); ``path`` the file's
    absolute, resolved path, which renderers read (and nothing else).
    """

    src: str
    path: str
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Figure:
    """An image the article shows, with its text alternative and an optional caption."""

    image: ImageFile
    alt: str
    caption: str | None = None
    kind: Literal["figure"] = "figure"


Block = Paragraph | ListBlock | Table | Quote | Figure


@dataclass(frozen=True)
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level.

    ``heading`` is ``None`` for the lead (the text before the first heading) and for
    closing words set apart from the last section. ``level`` is 2 for top sections
    (the title is the only level 1), 3 for their subsections, and so on.
    """

    heading: str | None
    level: int
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The texts of this section's own paragraphs (not its subsections')."""
        return tuple(b.text for b in self.blocks if isinstance(b, Paragraph))

    def walk(self) -> Iterator[Section]:
        """This section, then every subsection, in reading order."""
        yield self
        for sub in self.sections:
            yield from sub.walk()


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation the article defines, e.g. ``Abbreviation("OAB", "Overactive bladder")``."""

    short: str
    expansion: str


@dataclass(frozen=True)
class ReadingLevel:
    """Readability of the body text (title and headings excluded)."""

    flesch_reading_ease: float
    grade: float  # Flesch-Kincaid grade level
    words: int
    sentences: int
    syllables: int


@dataclass(frozen=True)
class ArticleMeta:
    """What an article says about itself (Markdown front matter, or a sidecar), for the
    sign-off part of a leaflet. Every field is optional: ``None`` (or empty) means the
    article does not say, and the clinic-wide default from ``leaflet.toml`` applies.
    """

    title: str | None = None
    author: str | None = None
    reviewer: str | None = None  # the clinical reviewer
    version: str | None = None
    published: date | None = None
    review_date: date | None = None
    references: tuple[str, ...] = ()
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self)
        for key in ("published", "review_date"):
            values[key] = values[key].isoformat() if values[key] else None
        values["references"] = list(self.references)
        return values


@dataclass(frozen=True)
class Document:
    """A cleaned, sectioned article: everything a renderer needs, and nothing spaCy."""

    title: str
    slug: str
    sections: tuple[Section, ...]
    abbreviations: tuple[Abbreviation, ...] = ()
    reading_level: ReadingLevel | None = None
    changes: tuple[Change, ...] = ()
    source: str | None = None
    text: str = field(default="", repr=False)  # the cleaned text the model was built from
    suspects: tuple[Suspect, ...] = ()
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    def walk(self) -> Iterator[Section]:
        """Every section and subsection in reading order."""
        for section in self.sections:
            yield from section.walk()

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form written to ``<slug>.json``."""
        return {
            "title": self.title,
            "slug": self.slug,
            "source": self.source,
            "sections": [_section_dict(s) for s in self.sections],
            "abbreviations": [asdict(a) for a in self.abbreviations],
            "reading_level": asdict(self.reading_level) if self.reading_level else None,
            "changes": [c.to_dict() for c in self.changes],
            "suspects": [s.to_dict() for s in self.suspects],
            "meta": self.meta.to_dict(),
        }


def _section_dict(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "level": section.level,
        "paragraphs": list(section.paragraphs),
        "lists": [
            {"ordered": b.ordered, "start": b.start, "items": list(b.items)}
            for b in section.blocks
            if isinstance(b, ListBlock)
        ],
        "blocks": [_block_dict(b) for b in section.blocks],
        "sections": [_section_dict(s) for s in section.sections],
    }


def _block_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "sentences": list(block.sentences)}
    if isinstance(block, Table):
        header, rows = list(block.header), [list(row) for row in block.rows]
        return {"type": "table", "caption": block.caption, "header": header, "rows": rows}
    if isinstance(block, Quote):
        return {"type": "quote", "paragraphs": [_block_dict(p) for p in block.paragraphs]}
    if isinstance(block, Figure):
        image = {k: v for k, v in asdict(block.image).items() if k != "path"}  # no local paths
        return {"type": "figure", "alt": block.alt, "caption": block.caption, **image}
    return {
        "type": "list",
        "ordered": block.ordered,
        "start": block.start,
        "items": list(block.items),
    }
