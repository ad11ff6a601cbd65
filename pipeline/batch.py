"""The batch runner: one loop for every command that turns many articles into files.

:func:`run_batch` takes a unit of :class:`Work` (what to make of one article: ``leaflet
build``'s leaflets, batch ``leaflet clean``'s cleaned text) and does the rest once for
all of them:

1. Gather the inputs (:func:`pipeline.inputs.gather`); files that are not articles and
   inputs that cannot be looked at are reported, never passed over, except the images a
   Markdown article shows as figures (:func:`pipeline.inputs.without_figures`), which
   are part of it.
2. Take the output folder's lock, read its build record (:mod:`pipeline.record`), and
   forget inputs gone from the input folders, or no longer read (a link that leads
   outside its folder), deleting their outputs.
3. For each article, read its bytes and its companions' once (bounded by ``max_size``;
   :data:`pipeline.inputs.COMPANIONS`: its sidecars), hash the images it shows
   (:func:`pipeline.inputs.read_figures`), and ask the work for the key of each output
   it wants; an article whose outputs are all current is skipped.
4. Send the rest, bytes and all, to the workers (:class:`pipeline.workers.WorkerPool`),
   which write each article's outputs to temporary files in the output folder.
5. In the order the articles were found, give each finished article its name (the
   naming rule, :func:`choose_name`), rename its outputs into place together, and
   record it. Outputs that print their own name (a web address) and were made under
   another name than the one given are made again under it, after the others.
6. Sweep any temporary files, save the record, write ``index.html`` and ``report.csv``.

Nothing here knows what an article becomes; nothing in the work knows about the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, count
from pathlib import Path
from typing import Protocol

from pipeline.errors import InputError, LeafletError, NameTooLongError, OutputError
from pipeline.files import (
    Data,
    Part,
    commit,
    discard,
    lock_folder,
    plain_name,
    signals_held,
    sweep_partial,
    write_part,
)
from pipeline.inputs import (
    Found,
    Problem,
    Source,
    display,
    gather,
    read_companions,
    read_figures,
    without_figures,
)
from pipeline.model import ReadingLevel
from pipeline.progress import Progress, Quiet
from pipeline.read import KINDS, MAX_SIZE, read_bytes
from pipeline.record import (
    RESERVED,
    BuildRecord,
    Failure,
    Output,
    RecordEntry,
    Status,
    name_key,
    record_in,
    safe_name,
)
from pipeline.workers import Result, WorkerPool


@dataclass(frozen=True)
class Task:
    """One article as a worker receives it: its bytes and its companions' (read once, by
    the runner: see :data:`pipeline.inputs.COMPANIONS`), the outputs to make, the folder
    to write them to, and what the record remembers of it (its facts, and the name it was
    given for the name it asked for)."""

    source: Source
    data: bytes
    kinds: tuple[str, ...]
    folder: Path
    facts: Mapping[str, str] = field(default_factory=dict)
    companions: Mapping[str, bytes] = field(default_factory=dict)
    wanted: str = ""
    name: str = ""

    def name_for(self, wanted: str) -> str:
        """The name to make the outputs with when they print their own name (a web
        address): the one the article was given, if it still asks for the same one.

        >>> task = Task(Source(Path("b.txt"), "b.txt"), b"", (), Path("."),
        ...             wanted="shared", name="shared-aceba9")
        >>> task.name_for("shared"), task.name_for("retitled")
        ('shared-aceba9', 'retitled')
        """
        return self.name if self.name and self.wanted == wanted else wanted


@dataclass(frozen=True)
class Made:
    """What a worker made of one article: the name it asks for, its outputs written to
    temporary files (by kind), and what the record and the report keep."""

    wanted: str
    parts: Mapping[str, Part]
    title: str = ""
    repairs: Mapping[str, int] = field(default_factory=dict)
    reading_level: ReadingLevel | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    named: str | None = None  # the name the outputs print, if any does (None: no output does)
    notes: tuple[str, ...] = ()  # what the user should know (a review that no longer fits)


class Work(Protocol):
    """What a batch makes of each article. ``setup`` and ``make`` run in the workers."""

    @property
    def verb(self) -> str:
        """What the progress bar says: ``building``."""

    @property
    def heading(self) -> str:
        """The report's heading: ``Leaflets``."""

    @property
    def encoding(self) -> str | None:
        """Every input's encoding when not UTF-8 (``None``: found per file), as ``make``
        reads it: the runner reads an article's figure lines with it."""

    def keys(self, source: Source, digest: str) -> dict[str, str]:
        """The outputs wanted of ``source`` (whose bytes, companions' and figures' have
        the SHA-256 ``digest``), by kind (``"pdf"``), each with the key of everything
        its bytes depend on."""

    def setup(self) -> None:
        """Load what ``make`` needs, once per worker."""

    def make(self, task: Task) -> Made:
        """Make ``task.kinds`` of one article into temporary files in ``task.folder``."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one input went: ``message`` is the error of a failed one, or what a file that
    is not an article is; ``kinds`` are the outputs made (or found current) this run."""

    source: Source
    status: Status
    seconds: float = 0.0
    message: str = ""
    entry: RecordEntry | None = None
    kinds: tuple[str, ...] = ()

    def files(self) -> list[str]:
        """The files this run made or found current for the input."""
        if self.entry is None:
            return []
        return [self.entry.outputs[k].file for k in self.kinds if k in self.entry.outputs]

    def describe(self) -> str:
        """The one line an input gets in a log."""
        if self.status == "failed":
            return display(f"failed   {self.message}")
        if self.status == "not an article":
            return display(f"other    {self.source.path}: not an article ({self.message})")
        files = self.files()
        shown = ", ".join(files)
        name = self.entry.name + "." if self.entry else ""
        if len(files) > 1 and all(f.startswith(name) for f in files):
            shown = f"{name}{{{','.join(f.removeprefix(name) for f in files)}}}"
        timing = f" ({self.seconds:.2f} s)" if self.status == "built" else ""
        return display(f"{self.status:<8} {self.source.path} -> {shown}{timing}")


@dataclass(frozen=True)
class BuildResult:
    """What a batch did: every input's :class:`Outcome`, in the order they were reported."""

    folder: Path
    outcomes: tuple[Outcome, ...]
    seconds: float

    def count(self, status: Status) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def summary(self) -> str:
        """``built 3, skipped 1, failed 0 in 2.1 s`` (and how many files were not articles)."""
        line = ", ".join(f"{s} {self.count(s)}" for s in ("built", "skipped", "failed"))
        line += f" in {self.seconds:.1f} s"
        others = self.count("not an article")
        if others:
            line += f"; {others} file{'s' if others > 1 else ''} not an article"
        return line


def run_batch(
    work: Work,
    inputs: Sequence[Path],
    folder: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    max_size: int = MAX_SIZE,
    progress: Progress | None = None,
) -> BuildResult:
    """Make ``work`` of every article in ``inputs`` into ``folder`` (the steps are in the
    module's docstring). Raises :class:`InputError` when there is nothing to do at all,
    and :class:`OutputError` when ``folder`` cannot be used."""
    from pipeline.report import write_reports

    started = time.perf_counter()
    found = without_figures(gather(inputs, exclude=folder), max_size, work.encoding)
    if not found.articles and not found.problems:
        names = " ".join(display(p) for p in inputs)
        raise InputError(
            f"{names}: no articles found (leaflet reads {', '.join(KINDS)} files"
            + (f"; {len(found.others)} other files are not articles)" if found.others else ")")
        )
    if not found.articles and _all_missing(found.problems, inputs):  # a mistyped path:
        raise InputError("; ".join(p.message for p in found.problems))  # no report of it
    _check_folder(folder)
    _check_reports_free(folder)
    with lock_folder(folder):
        outcomes = _Run(
            work, folder, force, max_size, Quiet() if progress is None else progress
        ).go(found, jobs)
        write_reports(folder, outcomes, work.heading)
    return BuildResult(folder, tuple(outcomes), time.perf_counter() - started)


def _all_missing(problems: Sequence[Problem], inputs: Sequence[Path]) -> bool:
    """Whether every problem is an input named on the command line that is not there at
    all (not even as a broken link): nothing was found to report on."""
    given = set(inputs)
    return all(p.path in given and not os.path.lexists(p.path) for p in problems)


def _check_folder(folder: Path) -> None:
    """:class:`OutputError` for an output folder that is something else, or a link to
    nothing (which cannot be made a folder)."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise OutputError(f"{display(folder)}: is not a folder; give a folder for the outputs")
    if os.path.islink(folder) and not os.path.exists(folder):
        raise OutputError(
            f"{display(folder)}: is a link to no folder; fix or remove the link, or give "
            "another folder for the outputs"
        )


def _check_reports_free(folder: Path) -> None:
    """:class:`OutputError` for a folder leaflet has not written to that holds a file of
    the name of a batch's own (``index.html``, ``report.csv``: :data:`RESERVED`): it is
    someone's, and the batch would write over it."""
    if record_in(folder):
        return
    try:  # each name as a Mac or a USB stick knows it: Index.html is index.html there
        there = {name_key(name): name for name in os.listdir(folder)}
    except OSError:  # no folder yet (or none to use: said when it is made)
        return
    for name in sorted(RESERVED):
        if (found := there.get(name_key(name))) is not None:
            raise OutputError(
                f"{display(folder / found)}: is already there, and this folder has no build "
                "record to say leaflet made it; move or delete it, or give another folder "
                "for the outputs"
            )


FOREIGN = "a file already in the output folder that leaflet did not make"
"""The owner of a name whose file is there but is no input's: it is never written over."""


@dataclass(frozen=True)
class _Plan:
    """What the runner remembers of an article while a worker has it."""

    source: Source
    key: str  # the record's key for the input
    keys: dict[str, str]  # the key of each output being made
    wanted: str = ""  # for a remake: the name it asked for,
    name: str = ""  # and the name it was given, to make its outputs with


_Planned = tuple[_Plan, Task] | None


class _Run:
    """One run of a batch: the record, and what came of each input."""

    def __init__(
        self, work: Work, folder: Path, force: bool, max_size: int, progress: Progress
    ) -> None:
        self.work, self.folder, self.force, self.max_size = work, folder, force, max_size
        self.progress = progress
        self.record = BuildRecord.load(folder)
        self.outcomes: list[Outcome] = []
        self.plans: dict[int, _Plan] = {}
        self.remakes: list[_Plan] = []  # made under a name other than the one given
        self.reserved: dict[str, str] = {}  # names given to remakes, by name: input key
        self._listed: dict[str, dict[str, set[str]]] = {}  # by folder: names by key

    def go(self, found: Found, jobs: int) -> list[Outcome]:
        self.progress.start(len(found.articles) + len(found.others) + len(found.problems),
                            self.work.verb)  # fmt: skip
        try:
            if self.record.problem:
                self.progress.note(self.record.problem)
            for note in found.notes:
                self.progress.note(note)
            sweep_partial(self.folder)
            self._report_others(found)
            self.record.prune(found.folders)
            self._forget_others(found)
            workers = min(jobs, len(found.articles))
            with WorkerPool(self.work.make, workers, setup=self.work.setup) as pool:
                self._hand_out(pool, (self._plan(source) for source in found.articles))
                remakes, self.remakes = self.remakes, []
                self._hand_out(pool, (self._plan(p.source, remake=p) for p in remakes))
        finally:
            self.progress.stop()
            self.record.save()
            sweep_partial(self.folder)
        return self.outcomes

    def _hand_out(self, pool: WorkerPool[Task, Made], plans: Iterable[_Planned]) -> None:
        """Run the tasks planned (``None``: nothing to do) and finish each in order."""
        numbers = count()

        def tasks() -> Iterator[tuple[Task, str]]:
            for planned in plans:
                if planned is not None:
                    self.plans[next(numbers)] = planned[0]
                    yield planned[1], display(planned[0].source.path)

        for result in _in_order(pool.run(tasks())):
            self._finish(self.plans.pop(result.index), result)

    def _add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.progress.report(outcome)

    def _report_others(self, found: Found) -> None:
        for other in found.others:
            self._add(Outcome(Source(other.path, display(other.path)), "not an article",
                              message=other.what))  # fmt: skip
        for problem in found.problems:
            self._add(Outcome(Source(problem.path, display(problem.path)), "failed",
                              message=problem.message))  # fmt: skip

    def _forget_others(self, found: Found) -> None:
        """Delete what an earlier run made of a file this run does not read as an article
        (a link that now leads outside its folder, which an older leaflet built), unless
        this run reads the same file another way."""
        made = set()
        for other in found.others:
            key = self.record.key_of(other.path)
            entry = self.record.get(key)
            if entry is not None and entry.source == display(other.path):
                made.add(key)
        if made:
            reading = {self.record.key_of(source.path) for source in found.articles}
            for key in made - reading:
                self.record.forget(key)

    def _plan(self, source: Source, remake: _Plan | None = None) -> _Planned:
        """The task for an article that needs work; ``None`` for one reported skipped (or
        failed, when it cannot be read). A ``remake`` makes the outputs it made before,
        under the name it was given."""
        try:
            data = read_bytes(source.path, self.max_size, source.within)
            companions = read_companions(source.path)
        except LeafletError as error:
            self._add(Outcome(source, "failed", message=str(error)))
            return None
        key = self.record.key_of(source.path)
        figures = read_figures(source, data, self.work.encoding)
        wanted = self.work.keys(source, digest(data, companions, figures))
        entry = self.record.get(key)
        if remake is not None:
            plan = replace(remake, key=key, keys={k: wanted[k] for k in remake.keys if k in wanted})
            named = (plan.wanted, plan.name)
        elif (stale := self._stale(source, key, wanted, entry)) is None:
            return None
        else:
            plan = _Plan(source, key, stale)
            named = (entry.wanted, entry.name) if entry else ("", "")
        task = Task(source, data, tuple(plan.keys), self.folder, entry.facts if entry else {},
                    companions, *named)  # fmt: skip
        return plan, task

    def _stale(
        self, source: Source, key: str, wanted: dict[str, str], entry: RecordEntry | None
    ) -> dict[str, str] | None:
        """The outputs of ``source`` to make, by kind, with their keys; ``None`` (and the
        article reported) when there are none, or when it would fail as it did before."""
        stale = {
            kind: output_key
            for kind, output_key in wanted.items()
            if self.force or not self.record.is_current(key, kind, output_key)
        }
        if not stale:
            self._add(Outcome(source, "skipped", entry=entry, kinds=tuple(wanted)))
            return None
        if not self.force and entry and entry.failure and entry.failure.key == _key(stale):
            self._add(Outcome(source, "failed", message=entry.failure.message))
            return None  # it would fail the same way again
        return stale

    def _finish(self, plan: _Plan, result: Result[Made]) -> None:
        made = result.value
        if made is None:
            self._failed(plan, result)
            return
        old = self.record.get(plan.key)
        kinds = {*made.parts, *(old.outputs if old else ())}
        name = plan.name or choose_name(made.wanted, plan.key, kinds, old, self._owner_of(kinds))
        if made.named is not None and made.named != name:
            self._remake(plan, made, name)
            return
        if (
            old is not None
            and name != old.name
            and not plan.name
            and old.outputs.keys() - made.parts
        ):
            # Renamed (a file of someone else's took its name) with outputs still current
            # under the old one: all are made again under the new, never half and half.
            every = {kind: output.key for kind, output in old.outputs.items()}
            self._remake(replace(plan, keys={**every, **plan.keys}), made, name)
            return
        entry = _entry(plan, made, name, old)
        for note in made.notes:
            self.progress.note(note)
        try:
            with signals_held():  # the files and the record change together
                commit(self.folder, {p.name: f"{name}.{kind}" for kind, p in made.parts.items()})
                self.record.put(plan.key, entry)
        except OutputError as error:
            discard(self.folder, [part.name for part in made.parts.values()])
            self._add(Outcome(plan.source, "failed", message=_output_failed(plan, error)))
            return
        finally:
            self.reserved.pop(name_key(name), None)
        self._add(Outcome(plan.source, "built", result.seconds, entry=entry,
                          kinds=tuple(made.parts)))  # fmt: skip

    def _owner(self, name: str) -> str | None:
        return self.reserved.get(name_key(name)) or self.record.owner(name)

    def _owner_of(self, kinds: Iterable[str]) -> Callable[[str], str | None]:
        """Who owns a name for outputs of ``kinds``: an input, or :data:`FOREIGN` where one
        of those files is already there and the record does not name it as the input's
        (a user's own ``notes.pdf``, or ``notes.a5.pdf`` beside an article's ``notes.pdf``
        before it is first made on A5)."""

        def owner(name: str) -> str | None:
            found = self._owner(name)
            if self.record.problem:  # damaged: the folder is leaflet's, and every
                return found  # article is rebuilt over its own files
            entry = self.record.get(found) if found is not None else None
            known = set(entry.files()) if entry is not None else set()  # the input's own
            files = (f"{name}.{kind}" for kind in kinds)  # (choose_name asks of plain names)
            if any(self._there(f) - known for f in files):
                return FOREIGN  # a kind it had not made yet: a user's a5.pdf is not its
            return found

        return owner

    def _there(self, file: str) -> set[str]:
        """The files in the output folder that are ``file`` to a system that does not
        tell case or an accent's spelling apart (:func:`~pipeline.record.name_key`):
        ``Notes.pdf`` beside ``notes.pdf`` would be one file copied to a Mac or a USB
        stick. Each folder is listed once a run, and what it held is asked again."""
        folder, _, base = file.rpartition("/")
        if folder not in self._listed:
            names: dict[str, set[str]] = {}
            with contextlib.suppress(OSError):  # no such folder yet: nothing there
                for entry in os.scandir(self.folder / folder):
                    names.setdefault(name_key(entry.name), set()).add(entry.name)
            self._listed[folder] = names
        prefix = f"{folder}/" if folder else ""
        named = (prefix + n for n in self._listed[folder].get(name_key(base), ()))
        return {f for f in named if os.path.lexists(self.folder / f)}  # (since deleted?)

    def _remake(self, plan: _Plan, made: Made, name: str) -> None:
        """Outputs that print their own name (a web address) were made under another
        name than the one the article is given: make them again under that name, which is
        kept for it meanwhile. A remake that still differs means the article changed."""
        discard(self.folder, [part.name for part in made.parts.values()])
        if plan.name:
            where = display(plan.source.path)
            self._add(
                Outcome(
                    plan.source,
                    "failed",
                    message=f"{where}: changed while it was being built; build again",
                )
            )
            return
        self.reserved[name_key(name)] = plan.key
        self.remakes.append(replace(plan, wanted=made.wanted, name=name))

    def _failed(self, plan: _Plan, result: Result[Made]) -> None:
        """Report a failure; one that is the input's own (empty, not text) is recorded,
        so that the next run reports it again without the work, until the input or the
        settings change."""
        self._add(Outcome(plan.source, "failed", message=result.error))
        if result.error_type == InputError.__name__:
            old = self.record.get(plan.key) or RecordEntry(display(plan.source.path), "", "")
            failure = Failure(_key(plan.keys), result.error)
            self.record.put(plan.key, replace(old, failure=failure))


def digest(
    data: bytes, companions: Mapping[str, bytes], figures: Mapping[str, str] | None = None
) -> str:
    """The SHA-256 of an article's bytes, its companions' (by suffix) and the state of
    each image it shows (by address, see :func:`pipeline.inputs.read_figures`); of the
    bytes alone when it has none of these.

    >>> digest(b"text", {}) == hashlib.sha256(b"text").hexdigest()
    True
    >>> digest(b"text", {".meta.toml": b""}) == digest(b"text", {})
    False
    >>> digest(b"text", {}, {"a.png": "none"}) == digest(b"text", {}, {"a.png": "9f2c"})
    False
    """
    hashed = hashlib.sha256(data)
    for suffix, extra in sorted(companions.items()):
        hashed.update(b"\0" + suffix.encode() + b"\0" + hashlib.sha256(extra).digest())
    for src, state in sorted((figures or {}).items()):
        hashed.update(b"\0figure\0" + _utf8(src) + b"\0" + _utf8(state))
    return hashed.hexdigest()


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _key(keys: Mapping[str, str]) -> str:
    """One key for a set of outputs and their keys."""
    return hashlib.sha256(json.dumps(sorted(keys.items())).encode()).hexdigest()


def _entry(plan: _Plan, made: Made, name: str, old: RecordEntry | None) -> RecordEntry:
    """The record of a finished article: its new outputs beside the ones it already had."""
    outputs = dict(old.outputs) if old else {}
    for kind, part in made.parts.items():
        outputs[kind] = Output(f"{name}.{kind}", plan.keys[kind], part.size)
    return RecordEntry(
        source=display(plan.source.path),
        wanted=made.wanted,
        name=name,
        title=made.title,
        outputs=outputs,
        repairs=dict(made.repairs),
        reading_level=made.reading_level,
        facts={**(old.facts if old else {}), **made.facts},
    )


def _output_failed(plan: _Plan, error: OutputError) -> str:
    """The message for an article whose outputs could not be put in place: it names the
    article, and for a name too long (the name of a batch clean's output is the input's),
    what to rename."""
    source = display(plan.source.path)
    if isinstance(error, NameTooLongError) and error.limit is not None:
        name = display(error.name)
        return (
            f"{source}: its output's name (…{name[-30:]}) would be "
            f"{len(os.fsencode(error.name)):,} bytes, over the {error.limit:,} the output "
            "folder takes; rename the input shorter"
        )
    if isinstance(error, NameTooLongError):
        return (
            f"{source}: its output's path would be longer than the system takes; give an "
            "output folder with a shorter path, or rename the input shorter"
        )
    return f"{source}: {error}"


def write_parts(
    folder: Path, outputs: Iterable[tuple[str, Callable[[], Data]]], name: str
) -> dict[str, Part]:
    """Make and write each output (by kind) to a temporary file, one at a time; if any
    fails, none is kept, so an article's outputs change together or not at all."""
    parts: dict[str, Part] = {}
    try:
        for kind, make in outputs:
            parts[kind] = write_part(folder, make(), f"{name}.{kind}")
    except BaseException:
        discard(folder, [part.name for part in parts.values()])
        raise
    return parts


def _in_order(results: Iterable[Result[Made]]) -> Iterator[Result[Made]]:
    """Results in the order their items were given, so names never depend on which
    worker was quicker."""
    waiting: dict[int, Result[Made]] = {}
    following = 0
    for result in results:
        waiting[result.index] = result
        while following in waiting:
            yield waiting.pop(following)
            following += 1


def choose_name(
    wanted: str,
    key: str,
    kinds: Iterable[str],
    previous: RecordEntry | None,
    owner: Callable[[str], str | None],
) -> str:
    """The naming rule: the name the input with record key ``key`` gets for its outputs
    (``<name>.<kind>``).

    An article keeps the name it was given while it asks for the same one; otherwise it
    gets what it asks for (its slug) if no other input owns that name, else
    ``<wanted>-<hash of its key>`` (longer, then numbered, if that is taken too). No
    name makes a file a batch writes itself (``index.html``, :data:`RESERVED`), a hidden
    file or one outside the folder (:func:`~pipeline.record.safe_name`), whatever the
    record says.

    >>> owners = {"shared": "a.txt"}.get
    >>> choose_name("shared", "a.txt", ["pdf"], None, owners)
    'shared'
    >>> choose_name("shared", "b.txt", ["pdf"], None, owners)
    'shared-aceba9'
    >>> choose_name("index", "c.txt", ["json", "html"], None, owners)
    'index-fe4c80'
    >>> choose_name(".leaflet-manifest", "d.txt", ["json"], None, owners)
    'leaflet-manifest'
    """
    kinds = tuple(kinds)

    def free(name: str) -> bool:
        reserved = any(f"{name}.{k}" in RESERVED for k in kinds) or safe_name(name) != name
        return plain_name(name) and owner(name) in (None, key) and not reserved

    if previous is not None and previous.wanted == wanted and free(previous.name):
        return previous.name
    stem = safe_name(wanted)
    tag = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()
    candidates = (stem, f"{stem}-{tag[:6]}", f"{stem}-{tag[:12]}")
    numbered = (f"{stem}-{tag[:6]}-{n}" for n in count(2))
    return next(name for name in chain(candidates, numbered) if free(name))
