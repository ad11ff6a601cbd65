"""Writing outputs: whole files or nothing, and only where leaflet may write.

- :func:`write_atomic` writes a file inside a folder leaflet owns (an output folder): to
  a temporary file beside it, then renamed into place, so a reader sees the old file or
  the new one, never half. Whatever stood at the name (a symlink, a pipe) is replaced,
  never followed.
- :func:`write_output` writes a file the user named (``leaflet clean -o FILE``): a device
  or a pipe is written to, never replaced; a symlink's target is replaced atomically.
- :func:`write_part` and :func:`commit` let a batch write all of an article's outputs
  first and rename them into place together, so they change together or not at all.
- :func:`remove_output` deletes only files inside the output folder.
- :func:`lock_folder` keeps two runs from writing into one output folder at once.
- :func:`open_own` and :func:`read_own` open leaflet's own files in an output folder (the
  lock, the build record's journal, the record) without following a link or waiting on a
  pipe that stands at their name.
- :func:`open_at_once` and :func:`read_regular` open the user's files (articles, images,
  settings) without waiting on a pipe, whatever stands at the name by then.
- :func:`within` is the one test of whether a file, links followed, is inside a folder;
  :func:`link_to_nothing` says what a link to no file is.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out" / "a.txt"
>>> write_atomic(target, "hello")
>>> target.read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import NameTooLongError, OutputError

PART_PREFIX = ".leaflet-"
PART_SUFFIX = ".part"
LOCK_NAME = ".leaflet.lock"
LOCK_WAIT = 5.0
"""Seconds a run waits for another run to let go of its output folder."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # what open() would give a new file
_OWN = os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


Writer = Callable[[BinaryIO], None]
"""A function that writes an output into an open file (a large output streams to disk)."""

Data = str | bytes | Writer


def write_atomic(path: Path, data: Data) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    ``data`` may be a :data:`Writer`, so a large output (a 50 MB article's JSON) streams
    to disk instead of being built in memory first. A failure is an
    :class:`~pipeline.errors.OutputError` naming the file.
    """
    with reported_as_output(path):
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "it is a folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        part = _write_part(path.parent, data)
        try:
            os.replace(part, path)
        except BaseException:
            _unlink(part)
            raise


def write_output(path: Path, data: Data) -> None:
    """Write a file the user named: a device or pipe (``/dev/null``, a FIFO) is written
    to as it is, never replaced; a symlink's target is replaced (atomically), not the
    link; anything else as :func:`write_atomic`."""
    try:
        info = path.stat()  # follows a symlink to what it names
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        with reported_as_output(path), path.open("wb") as handle:
            fill(handle, data)
        return
    write_atomic(Path(os.path.realpath(path)) if os.path.islink(path) else path, data)


@dataclass(frozen=True)
class Part:
    """A finished temporary file in an output folder, waiting for its final name."""

    name: str  # relative to the folder
    size: int


def write_part(folder: Path, data: Data, label: str) -> Part:
    """Write ``data`` to a new temporary file in ``folder`` (synced to disk); ``label``
    is the output's name for an error message."""
    with reported_as_output(folder / label):
        path = _write_part(folder, data)
    return Part(path.name, path.stat().st_size)


def commit(folder: Path, moves: Mapping[str, str]) -> None:
    """Rename each finished part (``moves``: part name to final name, both relative to
    ``folder``) into place, once every final name is known to take it (so an article's
    files change together, or none does: a folder at one name, or a name too long,
    leaves them all as they were); hold back Ctrl-C around it (:func:`signals_held`)."""
    for final in moves.values():  # no folder is made for one before all are known to fit
        _check_name(folder, final)
    for final in moves.values():
        _check_target(folder, final)
    for part, final in moves.items():
        with reported_as_output(folder / final):
            os.replace(folder / part, folder / final)


def _check_name(folder: Path, final: str) -> None:
    """Raise :class:`OutputError` unless ``final`` is a name inside ``folder`` whose every
    part its file system takes; nothing is made or looked at."""
    target = folder / final
    with reported_as_output(target):
        if not plain_name(final):
            raise PermissionError(errno.EACCES, "not a file name inside the output folder")
    longest = _longest_name(folder)
    for part in Path(final).parts:
        if len(os.fsencode(part)) > longest:
            message = f"{target}: cannot be written (File name too long); give a shorter name"
            raise NameTooLongError(message, part, longest)


def _check_target(folder: Path, final: str) -> None:
    """Raise :class:`OutputError` unless a file can be renamed to ``folder/final`` (its
    folder made if needed); its name was checked (:func:`_check_name`)."""
    target = folder / final
    with reported_as_output(target):
        if target.is_dir() and not target.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "it is a folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not within(folder, target.parent):
            raise PermissionError(errno.EACCES, "its folder is a link out of the output folder")


def _longest_name(folder: Path) -> int:
    """The longest file name (in bytes) the file system of ``folder`` takes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):  # not said: the rename will tell
        return sys.maxsize


def discard(folder: Path, parts: Iterator[str] | list[str]) -> None:
    """Remove temporary files that will not be used."""
    for part in parts:
        _unlink(folder / part)


def remove_output(folder: Path, name: str) -> None:
    """Delete ``folder/name`` if it is a :func:`plain_name` inside ``folder`` (a link is
    removed, not followed), and the folders it was in inside ``folder`` that it leaves
    empty (an output's own folder, made for it), so that the name is free for a file.

    >>> remove_output(Path("/tmp"), "../etc/passwd")
    Traceback (most recent call last):
    ValueError: ../etc/passwd is outside /tmp; not deleted
    """
    target = folder / name
    if not plain_name(name) or not within(folder, target.parent):
        raise ValueError(f"{name} is outside {folder}; not deleted")
    with contextlib.suppress(OSError):  # gone, a folder, or its folder a file now: left
        target.unlink()
    for parent in Path(name).parents[:-1]:  # not the output folder itself
        try:
            os.rmdir(folder / parent)  # only an empty folder; never a link's target
        except OSError:
            break


def plain_name(name: str) -> bool:
    r"""Whether ``name`` is a name leaflet may give an output in its output folder: a
    relative path whose every part is a plain file name (not empty, no leading dot, so
    never ``..`` nor one of leaflet's own hidden files), with no backslash or NUL.

    >>> [plain_name(n) for n in ("a.pdf", "sub/a.md", "../a.pdf", "/etc/passwd", "a//b")]
    [True, True, False, False, False]
    >>> [plain_name(n) for n in (".leaflet-manifest.json", "sub/.x", "a\\b", "a\0")]
    [False, False, False, False]
    """
    return not ("\0" in name or "\\" in name) and all(
        part and not part.startswith(".") for part in name.split("/")
    )


def within(folder: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether ``path``, every link followed, is ``folder`` or inside it (``folder``'s own
    links followed too): the one test of "inside the folder" for what leaflet reads (a
    file found in an input folder, a sidecar, a figure's image, the logo) and writes (an
    output). A link to nothing counts where it leads; a link loop where it stands.

    >>> within("/a/b", "/a/b/c/../d"), within("/a/b", "/a/b"), within("/a/b", "/a/bc")
    (True, True, False)
    >>> within("/a/b", "/a/b/../c"), within("/", "/etc")
    (False, True)
    """
    return _real(path).startswith(_real(folder))


def itself(path: Path) -> Path:
    """The file ``path`` names: ``path`` itself, or for a link the file it leads to (every
    link followed), named as ``path`` is (a relative path stays relative).

    >>> itself(Path("inbox/a.txt")).as_posix()  # not a link
    'inbox/a.txt'
    """
    if not os.path.islink(path):
        return path
    real = os.path.realpath(path)
    return Path(real if path.is_absolute() else os.path.relpath(real))


def beside(article: Path, suffix: str) -> Path:
    """Where the file named after ``article`` with ``suffix`` added stands (one of its
    sidecars): beside the article's own file, so an article reached through a link has
    the sidecars of the file it leads to, whatever name it is read under.

    >>> beside(Path("inbox/aspirin.docx"), ".meta.toml").as_posix()
    'inbox/aspirin.docx.meta.toml'
    """
    own = itself(article)
    return own.with_name(own.name + suffix)


LOOP = ("is a link that leads back to itself (a loop)", "fix or remove the link")
"""What is said of a link that leads back to itself, wherever it is met, and what to do."""
LINK_LOOP = "; ".join(LOOP)
"""The same, as one message says it."""


def link_to_nothing(path: str | os.PathLike[str]) -> str | None:
    """What a link at ``path`` that leads to no file is, as every message says it; ``None``
    when no link stands there.

    >>> link_to_nothing("/")
    """
    try:
        return f"is a link to {os.readlink(path)}, which does not exist"
    except (OSError, ValueError):
        return None


def _real(path: str | os.PathLike[str]) -> str:
    """The path with every link followed, ending in a separator (so that a folder's is a
    prefix of exactly what is inside it)."""
    return os.path.join(os.path.realpath(path), "")


def sweep_partial(folder: Path) -> None:
    """Remove temporary files a killed run may have left (``.leaflet-*.part``), as deep
    as outputs go (:data:`DEEPEST`)."""
    if folder.is_dir():
        for leftover in under(folder):
            if leftover.name.startswith(PART_PREFIX) and leftover.name.endswith(PART_SUFFIX):
                _unlink(leftover)


DEEPEST = 64
"""Folders inside folders any walk goes down (a batch's inputs, a corpus, an output
folder): what is deeper is listed or left alone, never read, so a folder nested
thousands deep stops no run."""


def under(folder: Path) -> Iterator[Path]:
    """Everything in ``folder`` and the folders in it, in no set order, except those
    folders themselves: down to :data:`DEEPEST` folders, where a deeper folder is given
    itself, unread. Links to folders are given, not followed; a folder that cannot be
    read is passed over. One level at a time, never a call per level.

    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> deep = top.joinpath(*["d"] * (DEEPEST + 5)); deep.mkdir(parents=True)
    >>> (deep / "x.txt").write_text("x") and [len(p.relative_to(top).parts) for p in under(top)]
    [65]
    """
    stack = [(folder, 0)]
    while stack:
        here, depth = stack.pop()
        try:
            with os.scandir(here) as scan:
                entries = [(here / e.name, e.is_dir(follow_symlinks=False)) for e in scan]
        except OSError:
            continue
        for path, is_folder in entries:
            if is_folder and depth < DEEPEST:
                stack.append((path, depth + 1))
            else:
                yield path


@contextlib.contextmanager
def lock_folder(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``folder`` for this run; another run waits up to ``wait`` seconds (default
    :data:`LOCK_WAIT`), then stops with an :class:`OutputError`. The lock goes with the
    process, however it ends."""
    import fcntl

    with reported_as_output(folder / LOCK_NAME):
        folder.mkdir(parents=True, exist_ok=True)
        fd = open_own(folder / LOCK_NAME, os.O_RDWR)
    try:
        deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"{folder}: another leaflet run is writing to this folder; "
                        "wait for it to finish, or choose another output folder"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # also lets go of the lock


def open_own(path: Path, flags: int) -> int:
    """A descriptor of leaflet's own file ``path`` in an output folder, opened with
    ``flags`` (created if missing). Whatever else stands at the name (a link, a pipe, a
    device) is removed first, as :func:`write_atomic` replaces it; it is never followed or
    written to. A folder there is an :class:`OSError`."""
    with contextlib.suppress(FileNotFoundError):
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            os.unlink(path)
    fd = os.open(path, flags | os.O_CREAT | _OWN, _MODE)
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # put there since the check above
        os.close(fd)
        raise OSError(errno.EEXIST, "not a regular file")
    return fd


def read_own(path: Path) -> bytes | None:
    """The bytes of leaflet's own file ``path`` in an output folder; ``None`` if there is
    none. A link is never followed, nor a pipe waited on: anything but a regular file
    is an :class:`OSError` saying what it is."""
    try:
        fd = os.open(path, os.O_RDONLY | _OWN)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "it is a link, which leaflet does not follow") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file")
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def open_at_once(path: str | os.PathLike[str], *, follow: bool = True) -> int:
    """A descriptor for reading ``path`` (links followed, unless ``follow`` is false: a
    link there is then an ``OSError``, ELOOP), opened without waiting (a pipe with no
    writer opens at once, where a plain open waits for one): check the file's type on
    it, never on the path, which may be another file by the time it is opened."""
    nofollow = 0 if follow else os.O_NOFOLLOW
    return os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | nofollow)


class NotRegular(OSError):
    """What :func:`read_regular` found is not a regular file: a pipe, a device, a socket."""


class TooLarge(OSError):
    """What :func:`read_regular` found is over its limit: ``size`` bytes (its size, or as
    many as were read before the limit, for a file that grew while it was read)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"it is over the limit of {limit:,} bytes")
        self.size = size
        self.limit = limit


class LeadsOut(OSError):
    """What :func:`read_regular` opened is not inside the folder it must be in: a link
    changed to lead out between the check of its path and the opening."""


def opened_within(folder: str | os.PathLike[str], fd: int) -> bool:
    """Whether the file open at ``fd`` is in ``folder`` (:func:`within`), asked of what
    was opened, where the system names it (``/proc/self/fd``); true where it does not
    (the path's own check, made just before opening, is then all there is)."""
    try:
        opened = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return True
    return within(folder, opened)


def open_regular(
    path: str | os.PathLike[str],
    inside: str | os.PathLike[str] | None = None,
    *,
    follow: bool = True,
) -> tuple[int, os.stat_result]:
    """A descriptor open for reading the regular file at ``path`` (the caller closes it),
    and what ``fstat`` says of it. Opened with :func:`open_at_once` and checked on what
    was opened: a path that leads outside ``inside`` is :class:`LeadsOut`, refused before
    it is opened (a device may act on being opened) and again on what was opened (a link
    changed since, or just now); a folder is :class:`IsADirectoryError`, a pipe or a
    device :class:`NotRegular`, never waited on."""
    if inside and not within(inside, path):  # not even opened (a device may act on it)
        raise LeadsOut(errno.EACCES, "it leads outside the folder it was found in")
    fd = open_at_once(path, follow=follow)
    try:
        if inside and not opened_within(inside, fd):  # a link changed since, or just now
            raise LeadsOut(errno.EACCES, "it leads outside the folder it was found in")
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, "it is not a regular file (a pipe or device)")
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_regular(path: Path, limit: int, inside: str | os.PathLike[str] | None = None) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them: the one
    bounded reader of the user's files. Opened with :func:`open_regular` and checked on
    what was opened, a folder (:class:`IsADirectoryError`), or a pipe or a device
    (:class:`NotRegular`) is refused, never waited on or read without end; a file over
    ``limit`` is :class:`TooLarge`, refused before it is read, and memory follows what is
    there, never the limit (``--max-size 100G``): see :func:`read_limited`."""
    fd, info = open_regular(path, inside)
    try:
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        with open(fd, "rb", closefd=False) as handle:
            data = read_limited(handle, limit, info.st_size)
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while it was read
        raise TooLarge(len(data), limit)
    return data


CHUNK = 1 << 24
"""The most bytes asked for in one read beyond a file's own size (16 MiB)."""


def read_limited(handle: BinaryIO, max_size: int, expected: int = CHUNK) -> bytes:
    """At most ``max_size + 1`` bytes from ``handle`` (one more than allowed says it is
    too large), in reads of the ``expected`` size (a file's, plus one), then of
    :data:`CHUNK`: memory follows what is there, never the limit (``--max-size 100G``).

    >>> import io
    >>> read_limited(io.BytesIO(b"12 bytes....."), 100_000_000_000, 13)
    b'12 bytes.....'
    >>> read_limited(io.BytesIO(b"12 bytes....."), 5), read_limited(io.BytesIO(b""), 5)
    (b'12 byt', b'')
    """
    chunks, total, size = [], 0, min(expected, max_size) + 1
    while total <= max_size:
        chunk = handle.read(min(size, max_size + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        size = CHUNK
    return b"".join(chunks)


def cannot_read(error: OSError) -> tuple[str, str]:
    """Why a file or folder cannot be read, for an error of the system no other message
    names, and what to do about it.

    >>> cannot_read(OSError(errno.ENAMETOOLONG, "File name too long"))
    ('cannot be read (File name too long)', 'give a shorter name')
    """
    reason = f"cannot be read ({error.strerror or type(error).__name__})"
    if error.errno == errno.ENAMETOOLONG:
        return reason, "give a shorter name"
    return reason, "check its permissions"


@contextlib.contextmanager
def reported_as_output(path: Path) -> Iterator[None]:
    """An error of the system on an output (a name too long, a folder not writable) as
    one line naming it and what to do."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or type(error).__name__
        if error.errno == errno.ENAMETOOLONG:
            message = f"{path}: cannot be written ({reason}); give a shorter name"
            raise NameTooLongError(message, path.name) from None
        advice = "give a name in a folder you can write to"
        raise OutputError(f"{path}: cannot be written ({reason}); {advice}") from None


def json_text(value: object, *, indent: int | None = 1) -> str:
    r"""``value`` as JSON text that can be written as UTF-8: a file name's bytes that are
    not UTF-8 (held as lone surrogates, ``\udcff``) are written as JSON's escapes, which
    read back as the same name; the rest as itself.

    >>> text = json_text({"file": "caf\udce9.jsonl"}, indent=None)
    >>> text, json.loads(text) == {"file": "caf\udce9.jsonl"}
    ('{"file": "caf\\udce9.jsonl"}', True)
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _write_part(folder: Path, data: Data) -> Path:
    fd, name = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, _MODE)
    except BaseException:
        _unlink(path)
        raise
    return path


def fill(handle: BinaryIO, data: Data) -> None:
    """Write ``data`` (text as UTF-8, bytes, or a :data:`Writer`) into an open file."""
    if callable(data):
        data(handle)
    else:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM (delivered on leaving) where the system allows it."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
