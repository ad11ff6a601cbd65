"""Opening a corpus file: once as the run is planned, and again by each task as it starts,
checked each time on what was opened, never on its path alone.

- :func:`open_checked` opens a file without waiting (a pipe is never waited on) and
  checks what it opened: a regular file, inside the folder it was found in (links
  followed, asked of the opened file where the system names it).
- The plan reads all it needs in that one open (:func:`first_fields` and the Parquet
  footer, :func:`parquet_footer`), so a corpus of thousands of files on a network share
  is opened once each before the run, and keeps what it saw of each file (:class:`Seen`).
- :func:`open_task` opens a file for a task, with the same checks, and raises
  :class:`Changed` if it is not the file the plan saw: moved out of its folder by a
  link, swapped for a pipe, removed, grown or cut short. That file is reported, and the
  run goes on.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, cast

from pipeline.corpus.formats import Format
from pipeline.files import LeadsOut, NotRegular, open_regular

FIRST_LINE = 1_000_000  # bytes of a file's first line checked before a run (first_fields)


@dataclass(frozen=True)
class Seen:
    """What the plan saw of a corpus file, which each task checks again as it opens it:
    its size and modification time; the folder it must stay inside, links followed
    (``None`` for a file named itself, read wherever its link leads); whether its name
    was a link (if not, a task never follows one there)."""

    size: int
    mtime_ns: int
    inside: str | None
    link: bool


class Changed(ValueError):
    """A file a task is to read is not the file the plan saw (the message says what it is
    now: ``it is no longer there``)."""


def open_checked(
    path: str | os.PathLike[str], inside: str | None, *, follow: bool = True
) -> tuple[BinaryIO, os.stat_result]:
    """``path`` open for reading, and what ``fstat`` says of it, checked as
    :func:`~pipeline.files.open_regular` checks it (a path that leads outside ``inside``
    is :class:`~pipeline.files.LeadsOut`; a folder, a pipe or a device is refused, never
    waited on or read); with ``follow`` false, a link at ``path`` is an ``OSError``
    (ELOOP)."""
    fd, info = open_regular(path, inside, follow=follow)
    try:
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return open(fd, "rb"), info


def open_task(path: str, seen: Seen) -> BinaryIO:
    """``path`` open for a task: the file the plan saw, or :class:`Changed` saying what
    stands there now. Other errors of the system (a permission taken away) are raised."""
    try:
        handle, info = open_checked(path, seen.inside, follow=seen.link)
    except OSError as error:
        now = _now(error, seen)
        if now is None:
            raise
        raise Changed(now) from None
    if (info.st_size, info.st_mtime_ns) != (seen.size, seen.mtime_ns):
        handle.close()
        raise Changed(_modified(seen, info))
    return handle


def _now(error: OSError, seen: Seen) -> str | None:
    """What stands at a file's path now, from the error opening it gave; None for an
    error that says nothing of that."""
    if isinstance(error, LeadsOut):
        return "it now leads outside its input folder"
    if isinstance(error, (NotRegular, IsADirectoryError)):
        return "it is now a pipe, a socket, a device or a folder"
    if isinstance(error, FileNotFoundError):
        return "it is no longer there"
    if error.errno in (errno.ELOOP, errno.EMLINK):  # EMLINK: O_NOFOLLOW on FreeBSD
        return "it is now a link loop" if seen.link else "it is now a link"
    return None


def _modified(seen: Seen, info: os.stat_result) -> str:
    if info.st_size != seen.size:
        return f"it was {seen.size:,} bytes and is now {info.st_size:,}"
    return "it was written to"


def first_fields(handle: IO[bytes], fmt: Format) -> tuple[str, ...]:
    """The fields of a JSON Lines file's first record, read from the open ``handle``
    before a run to check them; none when its first :data:`FIRST_LINE` bytes hold no JSON
    object (its tasks check every record) or it cannot be read (its tasks say why)."""
    try:
        value = json.loads(decompressed(handle, fmt).readline(FIRST_LINE))
    except Exception:  # damaged in any of many ways: the task says how
        return ()
    return tuple(value) if isinstance(value, dict) else ()


def parquet_footer(handle: IO[bytes]) -> tuple[Any, tuple[str, ...]]:
    """A Parquet file's metadata and its columns, read from the open ``handle``; a
    damaged footer is a ``ValueError`` saying so."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(handle)
    except Exception as error:  # pyarrow reports a damaged footer in several ways
        raise ValueError(f"is not a readable Parquet file ({error}); check the file") from None
    try:
        names = tuple(parquet.schema_arrow.names)
    except Exception:  # a schema Arrow cannot read: its tasks say why
        names = ()
    return parquet.metadata, names


def decompressed(raw: IO[bytes], fmt: Format) -> IO[bytes]:
    """The file's bytes, decompressed as its name says."""
    if fmt.compression == "gzip":
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw))
    if fmt.compression == "zstd":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        return io.BufferedReader(reader)
    return raw
