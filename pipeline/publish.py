"""``leaflet build`` and batch ``leaflet clean`` as library calls.

>>> from pathlib import Path
>>> result = build(BuildSettings(inputs=(Path("raw"),), out_dir=Path("output")))  # doctest: +SKIP
>>> result.summary()  # doctest: +SKIP
'built 1, skipped 0, failed 0 in 2.0 s'

:func:`build` takes a frozen :class:`BuildSettings` and returns a
:class:`~pipeline.batch.BuildResult`; :func:`clean_batch` does the same with
:class:`CleanSettings`. Each describes its unit of work (:class:`BuildWork`,
:class:`CleanWork`: which outputs an article gets, what their bytes depend on, how a
worker makes them) and hands it to the batch runner (:func:`pipeline.batch.run_batch`),
which does the rest. Progress goes to an optional :class:`~pipeline.progress.Progress`.

Outputs, one set per article (``<name>`` is its slug, see :func:`~pipeline.batch.choose_name`):

- ``<name>.json``: the Document; the same for every variant.
- ``<name>.html`` and ``<name>.large-print.html``: the web page, in each print size.
- ``<name>.pdf``, ``<name>.large-print.pdf``, ``<name>.a5.pdf``, ``<name>.a5.large-print.pdf``:
  one PDF per :class:`Variant` (paper size and print size).
- ``<name>.review.html``: the static review page (its repairs marked in place), made
  whenever the HTML is.

An article's sidecars (``<file>.meta.toml``, ``<file>.review.json``) are read with it
and are part of its key: the sign-off details, and an editor's rejected repairs. So are
the images its figures show (:func:`pipeline.inputs.read_figures`): their bytes, or that
there is none.

Each output has its own key, so asking for one format or variant never touches another.
"""

from __future__ import annotations

import hashlib
import os
import sysconfig
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pipeline import __version__
from pipeline.article import FORMATS, Format, build_document, changes_writer, prepare, render
from pipeline.batch import BuildResult, Made, Task, run_batch, write_parts
from pipeline.config import PAPERS, LeafletConfig, Paper, apply_overrides, config_fingerprint
from pipeline.errors import ConfigError, InputError, echo
from pipeline.files import Data
from pipeline.inputs import Source, display
from pipeline.model import count_by_stage
from pipeline.progress import Progress
from pipeline.read import MAX_SIZE, Article, Kind, read_article, with_sidecar
from pipeline.readers.sidecar import SUFFIX as SIDECAR
from pipeline.report import REVIEW_PAGE
from pipeline.review import SIDECAR_SUFFIX as REVIEW
from pipeline.signoff import resolve_signoff
from pipeline.stages import STAGE_NAMES

if TYPE_CHECKING:
    from pipeline.normalise import CleanOptions
    from pipeline.review import Reviewed


@dataclass(frozen=True)
class Variant:
    """A printed form of the leaflet: a paper size and a print size; ``None`` and
    ``False`` keep the configuration's (``leaflet.toml``), which is the standard form.

    >>> [Variant.parse(v).name for v in ("standard", "large-print", "A5", "a5.large-print")]
    ['standard', 'large-print', 'a5', 'a5.large-print']
    >>> Variant.parse("a5.large-print").kind("pdf"), Variant.parse("a5").kind("html")
    ('a5.large-print.pdf', 'html')
    """

    paper: Paper | None = None
    large_print: bool = False

    @property
    def name(self) -> str:
        return ".".join(self._parts(paper=True)) or "standard"

    def kind(self, fmt: Format) -> str:
        """The output's kind (its file name after ``<name>.``): the parts of the variant
        that change that format, then the format. The paper changes only the PDF, the
        print size the HTML and the PDF, and nothing changes the JSON."""
        if fmt == "json":
            return fmt
        return ".".join([*self._parts(paper=fmt == "pdf"), fmt])

    def config(self, base: LeafletConfig, fmt: Format) -> LeafletConfig:
        """The settings ``fmt`` is rendered with in this variant."""
        paper = self.paper if fmt == "pdf" else None
        return apply_overrides(base, paper=paper, large_print=self.large_print or None)

    def within(self, config: LeafletConfig) -> Variant:
        """The same form, said relative to the configuration: A5 paper when the standard
        is A5 is the standard.

        >>> Variant("A5", True).within(LeafletConfig(paper="A5")).name
        'large-print'
        """
        paper = None if self.paper == config.paper else self.paper
        return Variant(paper, self.large_print and not config.large_print)

    def _parts(self, *, paper: bool) -> list[str]:
        parts = [self.paper.lower()] if paper and self.paper else []
        return parts + (["large-print"] if self.large_print else [])

    @classmethod
    def parse(cls, text: str) -> Variant:
        """``standard``, ``large-print``, a paper size (``a5``), or a paper size and
        ``large-print`` joined by a dot."""
        words = [w for w in text.strip().lower().split(".") if w != "standard"]
        papers = {p.lower(): p for p in PAPERS}
        paper = [papers[w] for w in words if w in papers]
        unknown = [w for w in words if w not in papers and w != "large-print"]
        if unknown or len(paper) > 1 or len(set(words)) != len(words):
            names = ", ".join(["standard", "large-print", *papers])
            raise ConfigError(f"--variants {echo(text)}: use {names}, or a paper.large-print")
        return cls(paper[0] if paper else None, "large-print" in words)


STANDARD = Variant()


def parse_variants(text: str) -> tuple[Variant, ...]:
    """``"standard,large-print"`` to the variants, each once."""
    return tuple(dict.fromkeys(Variant.parse(v) for v in text.split(",") if v.strip()))


def parse_formats(text: str) -> tuple[Format, ...]:
    """``"pdf,html"`` to the formats, in the order they are made; an unknown format is an
    error.

    >>> parse_formats("PDF, html")
    ('html', 'pdf')
    """
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats or any(f not in FORMATS for f in formats):
        raise InputError(
            f"--format {echo(text)}: use a comma-separated list of {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in formats)


@dataclass(frozen=True)
class BuildSettings:
    """Everything a build needs; the same for every article."""

    inputs: tuple[Path, ...]  # article files and folders
    out_dir: Path
    config: LeafletConfig = field(default_factory=LeafletConfig)
    formats: tuple[Format, ...] = FORMATS
    variants: tuple[Variant, ...] = (STANDARD,)
    skip: tuple[str, ...] = ()  # cleaning stages to leave out, by name
    encoding: str | None = None  # every input's encoding, when not UTF-8
    model: str | None = None  # a trained spaCy pipeline, if installed
    jobs: int = 1  # worker processes
    force: bool = False  # rebuild what is up to date
    max_size: int = MAX_SIZE  # the largest input read, in bytes


@dataclass(frozen=True)
class CleanSettings:
    """Everything a batch clean needs."""

    inputs: tuple[Path, ...]
    out_dir: Path
    skip: tuple[str, ...] = ()
    encoding: str | None = None
    jobs: int = 1
    force: bool = False
    max_size: int = MAX_SIZE


def build(settings: BuildSettings, progress: Progress | None = None) -> BuildResult:
    """Publish every article in ``settings.inputs`` into ``settings.out_dir``: the JSON,
    HTML and PDF of each variant asked for, skipping what is up to date."""
    return _run(BuildWork.of(settings), settings, progress)


def clean_batch(settings: CleanSettings, progress: Progress | None = None) -> BuildResult:
    """Clean every article in ``settings.inputs`` into ``settings.out_dir``: the cleaned
    text (same name, line endings and BOM as the input; a web page or Word document as
    ``<name>.md``) and ``<name>.changes.json``."""
    return _run(CleanWork.of(settings), settings, progress)


def _run(
    work: BuildWork | CleanWork,
    settings: BuildSettings | CleanSettings,
    progress: Progress | None,
) -> BuildResult:
    return run_batch(
        work, settings.inputs, settings.out_dir, jobs=settings.jobs, force=settings.force,
        max_size=settings.max_size, progress=progress,
    )  # fmt: skip


@dataclass(frozen=True)
class BuildWork:
    """What ``leaflet build`` makes of one article: each output kind, the settings it is
    rendered with, and the key of everything besides the input that decides its bytes."""

    outputs: Mapping[str, tuple[Format, LeafletConfig]]
    keys_of: Mapping[str, str]
    config: LeafletConfig = field(default_factory=LeafletConfig)  # the standard form's
    skip: tuple[str, ...] = ()
    encoding: str | None = None
    model: str | None = None
    verb: ClassVar[str] = "building"
    heading: ClassVar[str] = "Leaflets"

    @classmethod
    def of(cls, settings: BuildSettings) -> BuildWork:
        common = _fingerprint(_check_skip(settings.skip), settings.encoding, settings.model or "")
        variants = [variant.within(settings.config) for variant in settings.variants]
        outputs = {
            variant.kind(fmt): (fmt, variant.config(settings.config, fmt))
            for variant in variants
            for fmt in settings.formats
        }
        keys = {kind: _output_key(common, fmt, config) for kind, (fmt, config) in outputs.items()}
        if "html" in settings.formats:
            keys[REVIEW_PAGE] = _digest(common, REVIEW_PAGE)
        return cls(outputs, keys, settings.config, settings.skip, settings.encoding, settings.model)

    def keys(self, source: Source, digest: str) -> dict[str, str]:
        return {kind: _digest(digest, key) for kind, key in self.keys_of.items()}

    def setup(self) -> None:
        """spaCy (and the model), the templates and the fonts, once per worker."""
        from pipeline.render import warm_up

        build_document("Warm up\n\nA sentence.", options=_options(self.skip), model=self.model)
        warm_up()

    def make(self, task: Task) -> Made:
        """Read the article (with its sidecar and figures), clean it with an editor's
        decisions, section it, resolve its sign-off once, and make each output asked for."""
        source = display(task.source.path)
        article = _article(task, self.encoding)
        reviewed = _reviewed(article.text, task, self.skip)
        doc = prepare(article, source=source, model=self.model, cleaned=reviewed.cleaned)
        name = task.name_for(doc.slug)
        first = first_published(task.facts)
        signed = resolve_signoff(doc, self.config, name=name, first_published=first)
        outputs = (
            (kind, _later(render_review_page, reviewed, doc.title, source)
             if kind == REVIEW_PAGE else _later(render, doc, *self.outputs[kind], signed))
            for kind in task.kinds
        )  # fmt: skip
        parts = write_parts(task.folder, outputs, doc.slug)
        return Made(
            doc.slug, parts, doc.title, count_by_stage(doc.changes), doc.reading_level,
            facts={} if first else {FIRST_PUBLISHED: signed.published.isoformat()},
            named=name if self.config.base_url else None,  # the web address prints the name
            notes=(reviewed.problem,) if reviewed.problem else (),
        )  # fmt: skip


def render_review_page(reviewed: Reviewed, title: str, source: str) -> str:
    """The review page (the studio's renderer, loaded only when one is made)."""
    from pipeline.studio.review_page import render_review_page as render_page

    return render_page(reviewed, title=title, source=source)


def _article(task: Task, encoding: str | None) -> Article:
    """The task's article, with what its sidecar says (its bytes were read with it), as
    :func:`pipeline.read.load_article` reads one article: a sidecar that cannot be used
    fails it in ``leaflet clean`` as in ``leaflet build``."""
    path = task.source.path
    return with_sidecar(read_article(task.data, path, encoding), task.companions.get(SIDECAR), path)


def _reviewed(text: str, task: Task, skip: tuple[str, ...]) -> Reviewed:
    """``text`` cleaned with the decisions in the article's review sidecar, if it has one
    (its bytes were read with the article)."""
    from pipeline.review import review_beside

    decisions = task.companions.get(REVIEW)
    beside = task.source.path if decisions is not None else None
    name = str(task.source.path)  # as the article's reader names it
    return review_beside(text, beside, _options(skip), sidecar=decisions, name=name)


FIRST_PUBLISHED = "first_published"
"""The fact an article's record keeps of the date its leaflet was first published, so a
rebuild (a new logo, another day) never re-dates it; the article's own date always wins."""


def first_published(facts: Mapping[str, str]) -> date | None:
    """The first publication date the record remembers; ``None`` if none (or not a date).

    >>> first_published({FIRST_PUBLISHED: "2025-03-01"}), first_published({})
    (datetime.date(2025, 3, 1), None)
    """
    try:
        return date.fromisoformat(facts[FIRST_PUBLISHED])
    except (KeyError, ValueError):
        return None


@dataclass(frozen=True)
class CleanWork:
    """What batch ``leaflet clean`` makes of one article: its cleaned text, under its own
    name (a web page's or Word document's as ``<name>.md``: :data:`MARKDOWN_FROM`), and
    its changes as ``<name>.changes.json``."""

    skip: tuple[str, ...]
    encoding: str | None
    common: str
    verb: ClassVar[str] = "cleaning"
    heading: ClassVar[str] = "Cleaned articles"

    @classmethod
    def of(cls, settings: CleanSettings) -> CleanWork:
        skip = _check_skip(settings.skip)
        return cls(skip, settings.encoding, _fingerprint(skip, settings.encoding))

    def keys(self, source: Source, digest: str) -> dict[str, str]:
        return {
            _text_kind(source): _digest(digest, self.common, "text"),
            "changes.json": _digest(digest, self.common, "changes"),
        }

    def setup(self) -> None:
        """The word list and look-alike tables, once per worker."""
        from pipeline.normalise import clean

        clean("Warm up: smoothin’ wrinklеs an’ linеs.")

    def make(self, task: Task) -> Made:
        article = _article(task, self.encoding)
        reviewed = _reviewed(article.text, task, self.skip)
        cleaned = reviewed.cleaned
        wanted = task.source.name.rsplit(".", 1)[0]
        outputs = {
            _text_kind(task.source): _later(article.layout.restore, cleaned.text),
            "changes.json": _later(changes_writer, cleaned),
        }
        parts = write_parts(task.folder, outputs.items(), wanted)
        notes = (reviewed.problem,) if reviewed.problem else ()
        return Made(wanted, parts, repairs=count_by_stage(cleaned.changes), notes=notes)


def _later(fn: Callable[..., Data], *args: object) -> Callable[[], Data]:
    return lambda: fn(*args)


MARKDOWN_FROM: frozenset[Kind] = frozenset({"html", "docx"})
"""The kinds of article whose cleaned text is the Markdown its reader made of it, so
batch ``leaflet clean`` writes it as ``<name>.md``, never as a web page or Word file."""


def _text_kind(source: Source) -> str:
    """A cleaned file's kind: its input's suffix (``txt``, ``md``), or ``md`` for a web
    page or Word document (:data:`MARKDOWN_FROM`).

    >>> [_text_kind(Source(Path(n), n, k)) for n, k in [("a.TXT", "text"), ("a.docx", "docx")]]
    ['TXT', 'md']
    """
    if source.kind in MARKDOWN_FROM:
        return "md"
    return source.path.suffix.removeprefix(".") or "txt"


def _options(skip: tuple[str, ...]) -> CleanOptions:
    from pipeline.normalise import CleanOptions

    return CleanOptions(**dict.fromkeys(skip, False))


def _check_skip(skip: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [stage for stage in skip if stage not in STAGE_NAMES]
    if unknown:
        names = ", ".join(STAGE_NAMES)
        raise ConfigError(f"--skip {unknown[0]}: no such stage; use one of {names}")
    return tuple(sorted(set(skip), key=STAGE_NAMES.index))


def _output_key(common: str, fmt: Format, config: LeafletConfig) -> str:
    """What besides the input decides an output's bytes: the JSON depends on no setting."""
    return _digest(common, fmt, config_fingerprint(_undated(config)) if fmt != "json" else "")


def _undated(config: LeafletConfig) -> LeafletConfig:
    """The settings with today's date left out: a leaflet dated by default (today) is not
    rebuilt tomorrow; a date from ``leaflet.toml`` or ``SOURCE_DATE_EPOCH`` counts."""
    if config.published == datetime.now(UTC).date():
        return replace(config, published=date(1970, 1, 1))
    return config


def _fingerprint(skip: tuple[str, ...], encoding: str | None, *more: str) -> str:
    """What every output of a run depends on: leaflet's version and code, the packages
    installed, and the options."""
    return _digest(__version__, _code(), _packages(), ",".join(skip), encoding or "", *more)


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


@cache
def _code() -> str:
    """A digest of leaflet's own files (code, templates, stylesheets, tables); compiled
    files (``__pycache__``) are left out, since Python writes them as it pleases."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    files = (p for p in root.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _packages() -> str:
    """The packages installed beside leaflet, with their versions (from the names of
    their ``.dist-info`` folders: one listing, no imports)."""
    folders = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    names = sorted(
        name
        for folder in folders
        if os.path.isdir(folder)
        for name in os.listdir(folder)
        if name.endswith(".dist-info")
    )
    return "\n".join(names)


__all__ = [
    "BuildResult",
    "BuildSettings",
    "BuildWork",
    "CleanSettings",
    "CleanWork",
    "STANDARD",
    "Variant",
    "build",
    "clean_batch",
    "parse_formats",
    "parse_variants",
]
