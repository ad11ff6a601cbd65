"""``leaflet build`` and batch ``leaflet clean``: gather, work in parallel, then report.

A build runs in two passes, as a static-site generator does: first every changed article
is read, cleaned and sectioned (titles are then known, so two articles with the same
title get distinct, stable names: ``<slug>-<hash of its path>``); then each is rendered
and written. Unchanged articles are skipped; a failed article is reported with its path
and the rest still build; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, replace
from datetime import date
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
    workers,
)
from pipeline.config import LeafletConfig, apply_overrides, config_fingerprint, load_config
from pipeline.errors import InputError
from pipeline.files import write_atomic
from pipeline.model import Cleaned, Document
from pipeline.normalise import CleanOptions, clean
from pipeline.read import read_text
from pipeline.report import row, write_reports


def add_build_arguments(command: argparse.ArgumentParser) -> None:
    """The options of ``leaflet build``."""
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
    command.add_argument(
        "-j", "--jobs", type=int, default=None, help="worker processes (default: number of cores)"
    )
    command.add_argument("--force", action="store_true", help="rebuild up-to-date articles")
    command.add_argument("--model", help="a trained spaCy pipeline to use, if installed")


@dataclass(frozen=True)
class RenderJob:
    """What a worker needs to render and write one article."""

    doc: Document
    out_dir: Path
    name: str
    formats: tuple[str, ...]
    config: LeafletConfig


def _render(job: RenderJob) -> tuple[str, ...]:
    paths = write_outputs(job.doc, job.out_dir, job.name, job.formats, job.config)
    return tuple(p.name for p in paths)


def warm_up() -> None:
    """Set up spaCy, templates and fonts once in this process (a batch worker)."""
    from pipeline.article import build_document
    from pipeline.render import warm_up as warm_renderer

    build_document("Warm up\n\nA sentence to section.")
    warm_renderer()


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(f"--format {value!r}: use a comma-separated list of {', '.join(FORMATS)}")
    return formats


def _settings_key(config: LeafletConfig, args: argparse.Namespace, *parts: str) -> str:
    """What besides the input decides the outputs: tool version, settings, options.

    A default publication date (today) is left out, so a build tomorrow skips what is done.
    """
    settings = config if args.config_published else replace(config, published=date(1970, 1, 1))
    return "|".join((__version__, config_fingerprint(settings), *parts))


def run_build(args: argparse.Namespace) -> int:
    """``leaflet build``: every input to JSON, HTML and PDF in the output folder."""
    from pipeline.cli import options_from

    started = time.perf_counter()
    formats = parse_formats(args.format)
    config_path = Path(args.config) if args.config else None
    config = apply_overrides(
        load_config(config_path), paper=args.paper, large_print=args.large_print
    )
    args.config_published = _sets_published(config_path)
    if args.model:
        from pipeline.structure import load_nlp

        load_nlp(args.model)  # a missing pipeline is one error now, not one per article
    options = options_from(args)
    key = _settings_key(config, args, ",".join(formats), repr(options), args.model or "")
    build = _Build(Path(args.output), formats, config, options, args, key)
    return build.run(started)


def _sets_published(config_path: Path | None) -> bool:
    path = config_path or Path("leaflet.toml")
    try:
        return "published" in path.read_text("utf-8")
    except OSError:
        return False


class _Build:
    """One run of ``leaflet build`` (gathering, the two passes, the report)."""

    def __init__(
        self,
        out_dir: Path,
        formats: tuple[str, ...],
        config: LeafletConfig,
        options: CleanOptions,
        args: argparse.Namespace,
        key: str,
    ) -> None:
        self.out_dir, self.formats, self.config, self.options = out_dir, formats, config, options
        self.args, self.key = args, key
        self.jobs = args.jobs or default_jobs()
        self.manifest = Manifest.load(out_dir)
        self.outcomes: list[Outcome] = []

    def run(self, started: float) -> int:
        sources, problems = gather(self.args.inputs)
        if not sources and not problems:
            raise InputError(f"{' '.join(self.args.inputs)}: no .txt or .md articles found")
        self.progress = Progress(len(sources) + len(problems), "building")
        try:
            self._fail_all([(Source(Path(p.split(":")[0]), p.split(":")[0]), p) for p in problems])
            keys = self._keys(sources)
            stale = [s for s in keys if self.args.force or not self.manifest.is_current(s, keys[s])]
            self._skip([s for s in keys if s not in stale])
            with workers(min(self.jobs, len(stale)), warm_up) as self.pool:
                docs = self._prepare(stale)
                self._render(docs, self._names(sources, docs), keys)
        finally:
            self.progress.close()
        self._report(sources)
        print(summary(self.outcomes, time.perf_counter() - started))
        return 1 if any(o.status == "failed" for o in self.outcomes) else 0

    def _keys(self, sources: list[Source]) -> dict[Source, str]:
        keys = {}
        for source in sources:
            try:
                keys[source] = input_key(source.path, self.key)
            except OSError as error:
                self._fail_all([(source, f"{source.path}: cannot be read ({error.strerror})")])
        return keys

    def _fail_all(self, failures: list[tuple[Source, str]]) -> None:
        for source, message in failures:
            outcome = Outcome(source, "failed", error=message)
            self.outcomes.append(outcome)
            self.progress.report(outcome)

    def _skip(self, sources: list[Source]) -> None:
        for source in sources:
            outcome = Outcome(source, "skipped", entry=self.manifest.entries[str(source.path)])
            self.outcomes.append(outcome)
            self.progress.report(outcome)

    def _prepare(self, stale: list[Source]) -> dict[Source, tuple[Document, float]]:
        jobs = [
            (Job(s.path, self.args.encoding, self.options, self.args.model), str(s.path))
            for s in stale
        ]
        docs: dict[Source, tuple[Document, float]] = {}
        for index, ok, result, seconds in run_all(prepare, jobs, self.pool):
            if ok and isinstance(result, Document):
                docs[stale[index]] = (result, seconds)
            else:
                self._fail_all([(stale[index], str(result))])
        return docs

    def _names(
        self, sources: list[Source], docs: dict[Source, tuple[Document, float]]
    ) -> dict[Source, str]:
        """Names are stable: a source keeps the name it was given. A new one gets its
        title's slug, or ``<slug>-<hash of its path>`` where another article has that title."""
        kept = {
            s: self.manifest.entries[str(s.path)]
            for s in sources
            if s not in docs and str(s.path) in self.manifest.entries
        }
        slugs = [docs[s][0].slug for s in docs] + [e.get("slug", "") for e in kept.values()]
        taken = {e.get("name", "") for e in kept.values()}
        names = {s: str(e.get("name", "")) for s, e in kept.items()}
        for source, (doc, _) in docs.items():
            unique = slugs.count(doc.slug) == 1 and doc.slug not in taken
            names[source] = doc.slug if unique else f"{doc.slug}-{short_hash(str(source.path))}"
        return names

    def _render(
        self,
        docs: dict[Source, tuple[Document, float]],
        names: dict[Source, str],
        keys: dict[Source, str],
    ) -> None:
        order = list(docs)
        jobs = [
            (RenderJob(docs[s][0], self.out_dir, names[s], self.formats, self.config), str(s.path))
            for s in order
        ]
        for index, ok, result, seconds in run_all(_render, jobs, self.pool):
            source = order[index]
            if not ok or not isinstance(result, tuple):
                self._fail_all([(source, str(result))])
                continue
            self._built(
                source,
                docs[source][0],
                names[source],
                keys[source],
                result,
                seconds + docs[source][1],
            )

    def _built(
        self,
        source: Source,
        doc: Document,
        name: str,
        key: str,
        outputs: tuple[str, ...],
        seconds: float,
    ) -> None:
        old = self.manifest.entries.get(str(source.path), {}).get("outputs", [])
        for stale_name in set(old) - set(outputs):
            (self.out_dir / stale_name).unlink(missing_ok=True)
        entry = _entry(source, doc, name, key, outputs)
        self.manifest.record(source, entry)
        outcome = Outcome(source, "built", seconds, entry=entry)
        self.outcomes.append(outcome)
        self.progress.report(outcome)

    def _report(self, sources: list[Source]) -> None:
        rows = [
            row(o.entry or {"source": str(o.source.path)}, o.status, o.error) for o in self.outcomes
        ]
        self.out_dir.mkdir(parents=True, exist_ok=True)
        write_reports(self.out_dir, rows, "Leaflets")


def _entry(
    source: Source, doc: Document, name: str, key: str, outputs: tuple[str, ...]
) -> dict[str, Any]:
    repairs: dict[str, int] = {}
    for change in doc.changes:
        repairs[change.stage] = repairs.get(change.stage, 0) + 1
    return entry_dict(
        source=str(source.path),
        key=key,
        name=name,
        slug=doc.slug,
        title=doc.title,
        outputs=list(outputs),
        repairs=repairs,
        reading_level=doc.reading_level.__dict__ if doc.reading_level else None,
    )


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
    cleaned = clean(read_text(job.path, job.encoding), job.options)
    text_path = job.out_dir / job.name
    changes_path = text_path.with_name(text_path.stem + ".changes.json")
    write_atomic(text_path, cleaned.text)
    write_atomic(changes_path, _changes_json(cleaned))
    names = tuple(str(p.relative_to(job.out_dir)) for p in (text_path, changes_path))
    return names, {stage: len(changes) for stage, changes in cleaned.by_stage().items()}


def _changes_json(cleaned: Cleaned) -> str:
    return json.dumps([c.to_dict() for c in cleaned.changes], ensure_ascii=False, indent=1) + "\n"


def run_clean_batch(args: argparse.Namespace) -> int:
    """``leaflet clean DIR... -o OUTDIR``: the cleaned text and its changes per article."""
    from pipeline.cli import options_from

    started = time.perf_counter()
    if not args.output or args.output == "-":
        raise InputError("several inputs or a folder: give an output folder with -o OUTDIR")
    out_dir, options = Path(args.output), options_from(args)
    sources, problems = gather(args.inputs)
    if not sources and not problems:
        raise InputError(f"{' '.join(args.inputs)}: no .txt or .md articles found")
    names = _clean_names(sources)
    manifest = Manifest.load(out_dir)
    settings = f"{__version__}|clean|{options!r}|{args.encoding}"
    progress = Progress(len(sources) + len(problems), "cleaning")
    outcomes = [Outcome(Source(Path(p.split(":")[0]), p), "failed", error=p) for p in problems]
    try:
        for outcome in outcomes:
            progress.report(outcome)
        outcomes += _clean_all(sources, names, manifest, settings, out_dir, options, args, progress)
    finally:
        progress.close()
    rows = [row(o.entry or {"source": str(o.source.path)}, o.status, o.error) for o in outcomes]
    out_dir.mkdir(parents=True, exist_ok=True)
    write_reports(out_dir, rows, "Cleaned articles")
    print(summary(outcomes, time.perf_counter() - started))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _clean_names(sources: list[Source]) -> dict[Source, str]:
    counts: dict[str, int] = {}
    for source in sources:
        counts[source.name] = counts.get(source.name, 0) + 1
    return {
        s: s.name
        if counts[s.name] == 1
        else str(Path(s.name).with_stem(f"{Path(s.name).stem}-{short_hash(str(s.path))}"))
        for s in sources
    }


def _clean_all(
    sources: list[Source],
    names: dict[Source, str],
    manifest: Manifest,
    settings: str,
    out_dir: Path,
    options: CleanOptions,
    args: argparse.Namespace,
    progress: Progress,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    keys = {s: input_key(s.path, settings, names[s]) for s in sources}
    stale = [s for s in sources if args.force or not manifest.is_current(s, keys[s])]
    for source in (s for s in sources if s not in stale):
        outcomes.append(Outcome(source, "skipped", entry=manifest.entries[str(source.path)]))
        progress.report(outcomes[-1])
    jobs = [
        (CleanJob(s.path, out_dir, names[s], args.encoding, options), str(s.path)) for s in stale
    ]
    with workers(min(args.jobs or default_jobs(), len(jobs)), _warm_clean) as pool:
        for index, ok, result, seconds in run_all(_clean_one, jobs, pool):
            source = stale[index]
            if ok and isinstance(result, tuple):
                entry = entry_dict(
                    source=str(source.path),
                    key=keys[source],
                    name=names[source],
                    outputs=list(result[0]),
                    repairs=result[1],
                )
                manifest.record(source, entry)
                outcomes.append(Outcome(source, "built", seconds, entry=entry))
            else:
                outcomes.append(Outcome(source, "failed", error=str(result)))
            progress.report(outcomes[-1])
    return outcomes
