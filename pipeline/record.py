"""The build record: what each input was last made into, and from what.

``OUTDIR/.leaflet-manifest.json`` holds a version number and one :class:`RecordEntry` per
input, one line each, keyed by the input's path from the output folder (so moving the
whole project keeps it valid)::

    {"version": 1, "entries": {
    "../raw/botox.txt": {"source": "raw/botox.txt", "wanted": "botox", "name": "botox",
      "title": "Botox", "outputs": {"pdf": {"file": "botox.pdf", "key": "9f2…", "size": 48211}},
      "repairs": {"homoglyphs": 346}, "reading_level": {…}, "facts": {}, "failure": null}
    }}

Each output has its own key (a digest of the input's bytes and of everything else its
bytes depend on) and its size, so an output is rebuilt when anything it depends on
changes or when it was emptied or cut short. ``facts`` keeps what an article should
remember between builds (for example the day it was first published).

During a run, finished articles are appended to ``.leaflet-journal.jsonl``, one line
each, so an interrupted or killed run keeps what it finished at a cost that does not
grow with the batch; the next load replays it, and :meth:`BuildRecord.save` folds it into
the record once, at the end.

The record is checked when read: a record from a newer leaflet, or a damaged one (not
JSON, a wrong field, a name or an output that is not a plain file name inside the output
folder or that is one of the batch's own files, two inputs owning one file), is not
trusted: :attr:`BuildRecord.problem` says why and every article is rebuilt. Only files
inside the output folder are ever written or deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal

from pipeline.files import open_own, plain_name, read_own, remove_output, write_atomic
from pipeline.model import ReadingLevel

RECORD_NAME = ".leaflet-manifest.json"
JOURNAL_NAME = ".leaflet-journal.jsonl"
VERSION = 1
"""The record format this leaflet writes and reads."""
RESERVED = frozenset({"index.html", "report.csv"})
"""Files every batch writes itself: no article is ever given these names (and leaflet's
own files, ``.leaflet-*``, are hidden, which no output is: see
:func:`~pipeline.files.plain_name`)."""

Status = Literal["built", "skipped", "failed", "not an article"]
"""How one input went in a run."""


class RecordProblem(ValueError):
    """A record that cannot be trusted; the message says why."""


@dataclass(frozen=True, slots=True)
class Output:
    """One file made from an input: its name in the output folder, the key it was made
    with, and its size when written."""

    file: str
    key: str
    size: int


@dataclass(frozen=True, slots=True)
class Failure:
    """Why an input could not be made into anything (empty, not text...), and the key it
    failed with: while the key is the same, the input fails the same way without work."""

    key: str
    message: str


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """What the record knows about one input."""

    source: str  # the input as the run that built it saw it, for reports
    wanted: str  # the name the article asked for (its slug)
    name: str  # the name it was given (``wanted``, or ``wanted-<hash>`` for a namesake)
    title: str = ""
    outputs: Mapping[str, Output] = field(default_factory=dict)  # by kind: "pdf", "a5.pdf"
    repairs: Mapping[str, int] = field(default_factory=dict)
    reading_level: ReadingLevel | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    failure: Failure | None = None  # the last run's, if the input itself failed

    def files(self) -> list[str]:
        """The entry's output files, in the order they were recorded."""
        return [output.file for output in self.outputs.values()]

    def to_json(self) -> dict[str, Any]:
        value = asdict(self)
        value["outputs"] = {kind: asdict(o) for kind, o in self.outputs.items()}
        value["failure"] = asdict(self.failure) if self.failure else None
        return value


def entry_from_json(value: Any) -> RecordEntry:
    """A :class:`RecordEntry` from its JSON form; :class:`RecordProblem` if it is not one
    (a name or an output file that is not :func:`allowed` is one way not to be).

    >>> entry_from_json({"source": "a.txt", "wanted": "a", "name": "a",
    ...                  "outputs": {"pdf": {"file": "../a.pdf", "key": "k", "size": 1}}})
    Traceback (most recent call last):
    pipeline.record.RecordProblem: output '../a.pdf' is not a file inside the output folder
    >>> entry_from_json({"source": "a.txt", "wanted": "a", "name": "../../pwned"})
    Traceback (most recent call last):
    pipeline.record.RecordProblem: name '../../pwned' is not a file name inside the output folder
    """
    data = _object(value, "entry")
    strings = {k: _text(data.get(k, ""), k) for k in ("source", "wanted", "name", "title")}
    outputs = {
        _text(kind, "output kind"): _output(kind, raw)
        for kind, raw in _object(data.get("outputs", {}), "outputs").items()
    }
    repairs = {_text(k, "stage"): _count(v) for k, v in _object(data.get("repairs", {})).items()}
    facts = {_text(k, "fact"): _text(v, "fact") for k, v in _object(data.get("facts", {})).items()}
    _check_name(strings["name"], outputs)
    level = data.get("reading_level")
    try:
        reading_level = ReadingLevel(**_object(level, "reading_level")) if level else None
    except TypeError:
        raise RecordProblem("reading_level has the wrong fields") from None
    return RecordEntry(
        **strings, outputs=outputs, repairs=repairs, reading_level=reading_level, facts=facts,
        failure=_failure(data.get("failure")),
    )  # fmt: skip


def _failure(value: Any) -> Failure | None:
    if value is None:
        return None
    data = _object(value, "failure")
    return Failure(_text(data.get("key"), "failure key"), _text(data.get("message"), "message"))


def _output(kind: str, value: Any) -> Output:
    data = _object(value, "output")
    output = Output(_text(data.get("file"), "file"), _text(data.get("key"), "key"),
                    _count(data.get("size")))  # fmt: skip
    if not allowed(output.file) or not output.file.endswith("." + kind):
        raise RecordProblem(f"output {output.file!r} is not a file inside the output folder")
    return output


def _check_name(name: str, outputs: Mapping[str, Output]) -> None:
    """An entry's name (``""`` for an input that never had outputs) must make only
    :func:`allowed` files with the kinds the entry has."""
    files = [f"{name}.{kind}" for kind in outputs] or [name]
    if (name or outputs) and not all(allowed(file) for file in files):
        raise RecordProblem(f"name {name!r} is not a file name inside the output folder")


def allowed(file: str) -> bool:
    """Whether a record may name ``file``: a :func:`~pipeline.files.plain_name` (relative,
    inside the output folder, not hidden) that is not one of the batch's own files.

    >>> allowed("a.pdf"), allowed("nested/a.md"), allowed("../a.pdf"), allowed("/etc/passwd")
    (True, True, False, False)
    >>> allowed(".leaflet-manifest.json"), allowed("index.html"), allowed("nested/index.html")
    (False, False, True)
    """
    return plain_name(file) and file not in RESERVED


def safe_name(wanted: str) -> str:
    r"""The name an article asks for (its slug, or for ``leaflet clean`` its path without
    the suffix) made a :func:`~pipeline.files.plain_name`: no leading dot in any part, a
    backslash as ``-``, an empty part as ``article``, and a folder named as a batch's own
    file (an input folder ``index.html``) given ``-folder``, so the batch can still write
    its ``index.html``.

    >>> safe_name("botox"), safe_name("sub/a"), safe_name(".hidden"), safe_name("a\\b")
    ('botox', 'sub/a', 'hidden', 'a-b')
    >>> safe_name(""), safe_name("../x"), safe_name("/etc/passwd")
    ('article', 'article/x', 'article/etc/passwd')
    >>> safe_name("index.html/a"), safe_name("Report.CSV/a"), safe_name("a/index.html/b")
    ('index.html-folder/a', 'Report.CSV-folder/a', 'a/index.html/b')
    """
    parts = [
        p.replace("\\", "-").replace("\0", "-").lstrip(".") or "article" for p in wanted.split("/")
    ]
    if len(parts) > 1 and name_key(parts[0]) in RESERVED:
        parts[0] += "-folder"
    return "/".join(parts)


def _object(value: Any, what: str = "value") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RecordProblem(f"{what} is not an object")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise RecordProblem(f"{what} is not a string")
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RecordProblem(f"{value!r} is not a count")
    return value


class BuildRecord:
    """The record of one output folder, as a run reads and updates it."""

    def __init__(self, folder: Path, entries: dict[str, RecordEntry], problem: str = "") -> None:
        self.folder = folder
        self.entries = entries
        self.problem = problem  # why the record on disk was not trusted ("" if it was)
        self.changed = bool(problem)
        self._owners = {
            name_key(name): key for key, entry in entries.items() for name in _names(entry)
        }
        self._journal: IO[str] | None = None

    @classmethod
    def load(cls, folder: Path) -> BuildRecord:
        """The record in ``folder`` with the journal of an unfinished run replayed; an
        empty record (with :attr:`problem` set) if it cannot be trusted."""
        try:
            entries = _read_record(folder / RECORD_NAME)
            replayed = _replay(folder / JOURNAL_NAME, entries)
            _check_owners(entries)
        except RecordProblem as problem:
            return cls(folder, {}, f"{folder / RECORD_NAME}: {problem}; every article is rebuilt")
        record = cls(folder, entries)
        record.changed = replayed
        return record

    def key_of(self, path: Path) -> str:
        """How the record knows an input: its path from the output folder."""
        return os.path.relpath(os.path.realpath(path), os.path.realpath(self.folder))

    def get(self, key: str) -> RecordEntry | None:
        return self.entries.get(key)

    def is_current(self, key: str, kind: str, output_key: str) -> bool:
        """Whether the input's ``kind`` output was made with ``output_key`` and is still
        there, whole (a regular file of the size it was written with)."""
        entry = self.entries.get(key)
        output = entry.outputs.get(kind) if entry else None
        if output is None or output.key != output_key:
            return False
        try:
            info = os.lstat(self.folder / output.file)
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and info.st_size == output.size

    def owner(self, name: str) -> str | None:
        """The input whose outputs are named ``name.<kind>`` (or a name a file system
        may take for it: see :func:`name_key`), if any."""
        return self._owners.get(name_key(name))

    def put(self, key: str, entry: RecordEntry) -> None:
        """Record what an input was made into; delete the files it no longer has."""
        self._drop(key, keep=entry)
        self.entries[key] = entry
        self._owners.update((name_key(name), key) for name in _names(entry))
        self._append({"input": key, "entry": entry.to_json()})

    def forget(self, key: str) -> None:
        """Forget an input and delete its outputs."""
        self._drop(key, keep=None)
        del self.entries[key]
        self._append({"input": key, "forget": True})

    def prune(self, folders: Iterable[Path]) -> list[str]:
        """Forget inputs gone from the input ``folders`` and delete their outputs: moved,
        renamed or deleted, or no longer an article where they were (a folder or a pipe
        now stands there, or a link, to anywhere: what it leads to is read under its own
        name, if at all). Inputs elsewhere (another folder, one not there today, such as
        an unplugged drive) are kept."""
        roots = tuple(os.path.realpath(f) + os.sep for f in folders if f.is_dir())
        if not roots:
            return []
        here = os.path.realpath(self.folder)
        places = {key: os.path.normpath(os.path.join(here, key)) for key in self.entries}
        gone = [key for key, place in places.items() if _gone(place, roots)]
        for key in gone:
            self.forget(key)
        return gone

    def save(self) -> None:
        """Write the whole record (if anything changed) and drop the journal."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self.changed:
            write_atomic(self.folder / RECORD_NAME, self._write)
            self.changed = False
        with contextlib.suppress(OSError):  # a journal left is replayed again: no harm
            (self.folder / JOURNAL_NAME).unlink()

    def _write(self, handle: BinaryIO) -> None:
        """The record as JSON, one line per input (streamed, and easy to read in a diff)."""
        handle.write(b'{"version": %d, "entries": {' % VERSION)
        for number, key in enumerate(sorted(self.entries)):
            line = json.dumps(key) + ": " + json.dumps(self.entries[key].to_json())
            handle.write((",\n" if number else "\n").encode() + line.encode("ascii"))
        handle.write(b"\n}}\n")

    def _drop(self, key: str, keep: RecordEntry | None) -> None:
        """Delete the files of ``key``'s entry that ``keep`` does not have, and let go of
        the names it no longer uses."""
        old = self.entries.get(key)
        if old is None:
            return
        for file in set(old.files()) - set(keep.files() if keep else ()):
            with contextlib.suppress(ValueError):  # its folder has become a link out: left
                remove_output(self.folder, file)
        for name in set(_names(old)) - set(_names(keep) if keep else ()):
            if self._owners.get(folded := name_key(name)) == key:
                del self._owners[folded]

    def _append(self, line: dict[str, Any]) -> None:
        """One line in the journal, kept by an interrupted or killed run. The journal is
        a convenience: if it cannot be written (a full disk), the run goes on, and
        :meth:`save` says whether the record itself can be."""
        self.changed = True
        try:
            if self._journal is None:
                fd = open_own(self.folder / JOURNAL_NAME, os.O_WRONLY | os.O_APPEND)
                self._journal = open(fd, "a", encoding="ascii")  # noqa: SIM115
            self._journal.write(json.dumps(line, separators=(",", ":")) + "\n")
            self._journal.flush()
        except OSError:
            pass


def _read_record(path: Path) -> dict[str, RecordEntry]:
    try:
        raw = read_own(path)
    except OSError as error:
        raise RecordProblem(f"cannot be read ({error.strerror})") from None
    if raw is None:
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordProblem(f"cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise RecordProblem("is damaged (not JSON)") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise RecordProblem("has no version number (an older leaflet's record, or damaged)")
    if data["version"] > VERSION:
        raise RecordProblem(
            f"was written by a newer leaflet (record version {data['version']}; "
            f"this one reads version {VERSION})"
        )
    if data["version"] < VERSION:
        raise RecordProblem(f"is from an older leaflet (record version {data['version']})")
    return {_text(key, "input"): _entry(key, value) for key, value in _object(
        data.get("entries"), "entries").items()}  # fmt: skip


def _entry(key: str, value: Any) -> RecordEntry:
    try:
        return entry_from_json(value)
    except RecordProblem as problem:
        raise RecordProblem(f"is damaged (input {key!r}: {problem})") from None


def _replay(path: Path, entries: dict[str, RecordEntry]) -> bool:
    """Apply the journal an unfinished run left; a line cut short by a kill ends it."""
    try:
        data = read_own(path)
    except OSError as error:
        raise RecordProblem(f"its journal cannot be read ({error.strerror})") from None
    if data is None:
        return False
    lines = data.decode("utf-8", errors="replace").splitlines()
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            break
        key = _text(_object(item, "journal line").get("input"), "input")
        if item.get("forget"):
            entries.pop(key, None)
        else:
            entries[key] = _entry(key, item.get("entry"))
    return True


def _gone(path: str, roots: tuple[str, ...]) -> bool:
    """Whether the input at ``path`` (the real path it had when it was built, which no
    link may stand in any more) is under one of ``roots`` and no longer a file there.
    Where that cannot be told (a folder this user may not read, a share that does not
    answer), it is not gone: its outputs are kept.

    >>> _gone("/nowhere/in/a.txt", ("/nowhere/in/",)), _gone("/nowhere/a.txt", ("/in/",))
    (True, False)
    """
    if not path.startswith(roots):
        return False
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return os.path.realpath(path) != path or not stat.S_ISREG(mode)


def record_in(folder: Path) -> bool:
    """Whether leaflet has written to ``folder`` before: its record (or the journal of a
    first run cut short) is there, damaged or not."""
    return any(os.path.lexists(folder / name) for name in (RECORD_NAME, JOURNAL_NAME))


def name_key(name: str) -> str:
    """What a name is to a file system that does not tell case apart, or that stores
    names composed (macOS, Windows, exFAT): two inputs whose names differ only so would
    write one file there, so they are given names that differ otherwise.

    >>> name_key("Café") == name_key("cafe\u0301")
    True
    """
    return unicodedata.normalize("NFC", name).casefold()


def _names(entry: RecordEntry) -> Iterator[str]:
    if entry.name:
        yield entry.name
    for kind, output in entry.outputs.items():
        yield output.file.removesuffix("." + kind)


def _check_owners(entries: Mapping[str, RecordEntry]) -> None:
    seen: dict[str, str] = {}
    for key, entry in entries.items():
        for file in entry.files():
            if seen.setdefault(file, key) != key:
                raise RecordProblem(f"is damaged ({file!r} is claimed by two inputs)")
