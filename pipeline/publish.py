"""``leaflet build`` and batch ``leaflet clean``: gather, work in parallel, then report.

A build runs in two passes, as a static-site generator does: first every changed article
is read, cleaned and sectioned, so every title is known; then each is rendered and
written. Names are stable: an article keeps the name it was first given while its title
keeps the same slug; a new article gets its title's slug, or ``<slug>-<hash of its path>``
when another article already has or claims that slug. Unchanged articles are skipped; a
failed article is reported with its path and the rest still build; the exit status is 1
if any failed.
"""

from __future__ import annotations

import argparse
import pickle
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.article import FORMATS, Job, prepare, write_outputs
from pipeline.batch import (
    Manifest,
    Outcome,
    Progress,
    Source,
    default_jobs,
    entry_dict,
    gather,
    input_key,
    run_all,
    short_hash,
    summary,
    sweep_partial,
    workers,
)
from pipeline.config import (
    CONFIG_NAME,
    LeafletConfig,
    apply_overrides,
    config_fingerprint,
    load_config,
)
from pipeline.errors import InputError
from pipeline.files import write_atomic
from pipeline.model import Document, ReadingLevel, count_by_stage
from pipeline.normalise import CleanOptions, clean
from pipeline.read import read_with_layout
from pipeline.report import row, write_reports
from pipeline.review import clean_beside, sidecar_key


def add_build_arguments(command: argparse.ArgumentParser) -> None:
    """The options only ``leaflet build`` has (``-j``, ``--force``, ``--skip`` and
    ``--encoding`` are shared with ``leaflet clean``)."""
    command.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    command.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    command.add_argument(
        "--format",
        default=",".join(FORMATS),
        help="comma-separated: json, html, pdf (default: all three)",
    )
    command.add_argument("--config", help="settings file (default: ./leaflet.toml if present)")
    command.add_argument("--paper", choices=["A4", "A5", "letter"], help="paper size")
    command.add_argument(
        "--large-print", action="store_true", default=None, help="body text of 16 pt or more"
    )
    command.add_argument("--model", help="a trained spaCy pipeline to use, if installed")


@dataclass(frozen=True)
class Settings:
    """Everything about a build run that is the same for every article."""

    out_dir: Path
    formats: tuple[str, ...]
    config: LeafletConfig
    options: CleanOptions
    encoding: str | None
    model: str | None
    jobs: int
    force: bool
    key: str  # what besides an input's bytes decides its outputs
    inputs: tuple[str, ...]  # the files and folders named on the command line


@dataclass(frozen=True)
class Prepared:
    """A sectioned article as the build's main process sees it: what naming and the build
    record need, and the Document itself, pickled once by the worker that made it and
    passed on untouched to the worker that renders it (unpickling a Document with its
    hundreds of changes in the main process would slow every batch)."""

    slug: str
    title: str
    reading_level: ReadingLevel | None
    repairs: dict[str, int]
    document: bytes | Document  # the Document itself when nothing crosses a process


def _prepare(job: Job, *, pickled: bool = True) -> Prepared:
    """Prepare one article; ``pickled=False`` when nothing crosses a process (no copy)."""
    doc = prepare(job)
    document = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) if pickled else doc
    return Prepared(doc.slug, doc.title, doc.reading_level, count_by_stage(doc.changes), document)


@dataclass(frozen=True)
class RenderJob:
    """What a worker needs to render and write one article."""

    document: bytes | Document  # pickled by _prepare in a worker, or the Document itself
    out_dir: Path
    name: str
    formats: tuple[str, ...]
    config: LeafletConfig


def _render(job: RenderJob) -> tuple[str, ...]:
    doc = job.document
    if isinstance(doc, bytes):
        doc = pickle.loads(doc)  # made by _prepare in a worker of this same run
    paths = write_outputs(doc, job.out_dir, job.name, job.formats, job.config)
    return tuple(p.name for p in paths)


def warm_up() -> None:
    """Set up spaCy, templates and fonts once in this process (a batch worker)."""
    from pipeline.article import build_document
    from pipeline.render import warm_up as warm_renderer

    build_document("Warm up\n\nA sentence to section.")
    warm_renderer()


def parse_formats(value: str) -> tuple[str, ...]:
    """``"pdf,html"`` to ``("pdf", "html")``; an unknown format is an error."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    if not formats or any(f not in FORMATS for f in formats):
        raise InputError(f"--format {value!r}: use a comma-separated list of {', '.join(FORMATS)}")
    return formats


def build_settings(args: argparse.Namespace, options: CleanOptions) -> Settings:
    """The run's settings from the command line and the configuration file."""
    formats = parse_formats(args.format)
    config_path = Path(args.config) if args.config else None
    config = apply_overrides(
        load_config(config_path), paper=args.paper, large_print=args.large_print
    )
    if args.model:
        from pipeline.structure import load_nlp

        load_nlp(args.model)  # a missing pipeline is one error now, not one per article
    # A default publication date (today) is left out, so a build tomorrow skips what is done.
    dated = config if _sets_published(config_path) else replace(config, published=date(1970, 1, 1))
    parts = (__version__, config_fingerprint(dated), ",".join(formats), repr(options))
    key = "|".join((*parts, args.encoding or "", args.model or ""))
    return Settings(
        Path(args.output), formats, config, options, args.encoding, args.model,
        args.jobs or default_jobs(), args.force, key, tuple(args.inputs),
    )  # fmt: skip


def _sets_published(config_path: Path | None) -> bool:
    path = config_path or Path(CONFIG_NAME)
    try:
        return "published" in tomllib.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return False


def run_build(args: argparse.Namespace) -> int:
    """``leaflet build``: every input to JSON, HTML and PDF in the output folder."""
    from pipeline.cli import options_from

    started = time.perf_counter()
    settings = build_settings(args, options_from(args))
    sources, missing = gather(args.inputs, exclude=settings.out_dir)
    if not sources and not missing:
        raise InputError(f"{' '.join(args.inputs)}: no .txt or .md articles found")
    manifest = Manifest.load(settings.out_dir)
    progress = Progress(len(sources) + len(missing), "building")
    build = _Build(settings, manifest, progress)
    try:
        build.run(sources, missing)
    finally:
        progress.close()
        manifest.save()
        sweep_partial(settings.out_dir)
    return finish(settings.out_dir, build.outcomes, "Leaflets", started)


def finish(out_dir: Path, outcomes: list[Outcome], heading: str, started: float) -> int:
    """Write the report, print the summary; the exit status (1 if any article failed)."""
    rows = [row(o.entry or {"source": str(o.source.path)}, o.status, o.error) for o in outcomes]
    write_reports(out_dir, rows, heading)
    print(summary(outcomes, time.perf_counter() - started))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


class _Build:
    """One run of ``leaflet build``: the two passes and what came of each article."""

    def __init__(self, settings: Settings, manifest: Manifest, progress: Progress) -> None:
        self.settings, self.manifest, self.progress = settings, manifest, progress
        self.outcomes: list[Outcome] = []

    def run(self, sources: list[Source], missing: list[Outcome]) -> None:
        for outcome in missing:
            self._add(outcome)
        # a moved or deleted input frees its name and its files
        self.manifest.prune(Path(given) for given in self.settings.inputs)
        keys = self._keys(sources)
        force = self.settings.force
        stale = [s for s in keys if force or not self.manifest.is_current(s, keys[s])]
        for source in (s for s in keys if s not in stale):
            self._add(Outcome(source, "skipped", entry=self.manifest.entry(source)))
        with workers(min(self.settings.jobs, len(stale)), warm_up) as pool:
            docs = self._prepare(stale, pool)
            self._render(docs, self._names(docs), keys, pool)

    def _add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.progress.report(outcome)

    def _keys(self, sources: list[Source]) -> dict[Source, str]:
        keys = {}
        for source in sources:
            try:
                keys[source] = input_key(source.path, self.settings.key, sidecar_key(source.path))
            except OSError as error:
                message = f"{source.path}: cannot be read ({error.strerror}); check its permissions"
                self._add(Outcome(source, "failed", error=message))
        return keys

    def _prepare(self, stale: list[Source], pool: Any) -> dict[Source, tuple[Prepared, float]]:
        settings = self.settings
        jobs = [
            (Job(s.path, settings.encoding, settings.options, settings.model), str(s.path))
            for s in stale
        ]
        docs: dict[Source, tuple[Prepared, float]] = {}
        work = _prepare if pool is not None else partial(_prepare, pickled=False)
        for index, ok, result, seconds in run_all(work, jobs, pool):
            if ok and isinstance(result, Prepared):
                docs[stale[index]] = (result, seconds)
            else:
                self._add(Outcome(stale[index], "failed", error=str(result)))
        return docs

    def _names(self, docs: dict[Source, tuple[Prepared, float]]) -> dict[Source, str]:
        """Stable, distinct output names for the articles about to be written."""
        entries = self.manifest.entries
        claims = Counter(doc.slug for doc, _ in docs.values())
        names = {}
        for source, (doc, _) in docs.items():
            key = self.manifest.key_of(source)
            entry = entries.get(key, {})
            taken = {e.get("name") for k, e in entries.items() if k != key}
            if entry.get("slug") == doc.slug and entry.get("name") not in taken:
                names[source] = str(entry["name"])  # keep the name it was given
            elif claims[doc.slug] == 1 and doc.slug not in taken:
                names[source] = doc.slug
            else:
                names[source] = f"{doc.slug}-{short_hash(key)}"
        return names

    def _render(
        self,
        docs: dict[Source, tuple[Prepared, float]],
        names: dict[Source, str],
        keys: dict[Source, str],
        pool: Any,
    ) -> None:
        order = list(docs)
        settings = self.settings
        jobs = [
            (RenderJob(docs[s][0].document, settings.out_dir, names[s], settings.formats,
                       settings.config),
             str(s.path))
            for s in order
        ]  # fmt: skip
        for index, ok, result, seconds in run_all(_render, jobs, pool):
            source = order[index]
            if not ok or not isinstance(result, tuple):
                self._add(Outcome(source, "failed", error=str(result)))
                continue
            doc, prepare_seconds = docs[source]
            self._built(source, doc, names[source], keys[source], result, seconds + prepare_seconds)

    def _built(
        self, source: Source, doc: Prepared, name: str, key: str,
        outputs: tuple[str, ...], seconds: float,
    ) -> None:  # fmt: skip
        old = self.manifest.entry(source).get("outputs", [])
        for stale_name in set(old) - set(outputs):
            (self.settings.out_dir / stale_name).unlink(missing_ok=True)
        entry = entry_dict(
            source=str(source.path), key=key, name=name, slug=doc.slug, title=doc.title,
            outputs=list(outputs), repairs=doc.repairs, reading_level=doc.reading_level,
        )  # fmt: skip
        self.manifest.record(source, entry)
        self._add(Outcome(source, "built", seconds, entry=entry))


# ---------------------------------------------------------------- leaflet clean DIR...


@dataclass(frozen=True)
class CleanJob:
    """What a worker needs to clean one article and write the text and its changes."""

    path: Path
    out_dir: Path
    name: str
    encoding: str | None
    options: CleanOptions


def _warm_clean() -> None:
    """Load the word list and look-alike tables once in this process (a batch worker)."""
    clean("Warm up: smoothin’ wrinklеs an’ linеs.")


def _clean_one(job: CleanJob) -> tuple[tuple[str, ...], dict[str, int]]:
    text, layout = read_with_layout(job.path, job.encoding)
    cleaned = clean_beside(text, job.path, job.options).cleaned
    text_path = job.out_dir / job.name
    changes_path = text_path.with_name(text_path.stem + ".changes.json")
    write_atomic(changes_path, cleaned.changes_json())
    write_atomic(text_path, layout.restore(cleaned.text))
    names = tuple(str(p.relative_to(job.out_dir)) for p in (text_path, changes_path))
    return names, count_by_stage(cleaned.changes)


def run_clean_batch(args: argparse.Namespace) -> int:
    """``leaflet clean DIR... -o OUTDIR``: the cleaned text and its changes per article."""
    from pipeline.cli import options_from

    started = time.perf_counter()
    if not args.output or args.output == "-":
        raise InputError("several inputs or a folder: give an output folder with -o OUTDIR")
    out_dir, options = Path(args.output), options_from(args)
    sources, missing = gather(args.inputs, exclude=out_dir)
    if not sources and not missing:
        raise InputError(f"{' '.join(args.inputs)}: no .txt or .md articles found")
    progress = Progress(len(sources) + len(missing), "cleaning")
    for outcome in missing:
        progress.report(outcome)
    settings = f"{__version__}|clean|{options!r}|{args.encoding}"
    try:
        outcomes = missing + _clean_all(sources, out_dir, options, settings, args, progress)
    finally:
        progress.close()
        sweep_partial(out_dir)
    return finish(out_dir, outcomes, "Cleaned articles", started)


def _clean_names(sources: list[Source]) -> dict[Source, str]:
    counts = Counter(s.name for s in sources)
    return {
        s: s.name if counts[s.name] == 1
        else str(Path(s.name).with_stem(f"{Path(s.name).stem}-{short_hash(str(s.path))}"))
        for s in sources
    }  # fmt: skip


def _clean_all(
    sources: list[Source], out_dir: Path, options: CleanOptions, settings: str,
    args: argparse.Namespace, progress: Progress,
) -> list[Outcome]:  # fmt: skip
    manifest = Manifest.load(out_dir)
    manifest.prune(Path(given) for given in args.inputs)
    try:
        return _clean_stale(sources, out_dir, options, settings, args, progress, manifest)
    finally:
        manifest.save()


def _clean_stale(
    sources: list[Source], out_dir: Path, options: CleanOptions, settings: str,
    args: argparse.Namespace, progress: Progress, manifest: Manifest,
) -> list[Outcome]:  # fmt: skip
    names = _clean_names(sources)
    keys = {s: input_key(s.path, settings, names[s], sidecar_key(s.path)) for s in sources}
    stale = [s for s in sources if args.force or not manifest.is_current(s, keys[s])]
    outcomes = [Outcome(s, "skipped", entry=manifest.entry(s)) for s in sources if s not in stale]
    for outcome in outcomes:
        progress.report(outcome)
    jobs = [
        (CleanJob(s.path, out_dir, names[s], args.encoding, options), str(s.path)) for s in stale
    ]
    with workers(min(args.jobs or default_jobs(), len(jobs)), _warm_clean) as pool:
        for index, ok, result, seconds in run_all(_clean_one, jobs, pool):
            source = stale[index]
            if ok and isinstance(result, tuple):
                entry = entry_dict(
                    source=str(source.path), key=keys[source], name=names[source],
                    outputs=list(result[0]), repairs=result[1],
                )  # fmt: skip
                manifest.record(source, entry)
                outcomes.append(Outcome(source, "built", seconds, entry=entry))
            else:
                outcomes.append(Outcome(source, "failed", error=str(result)))
            progress.report(outcomes[-1])
    return outcomes
