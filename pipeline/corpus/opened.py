"""Opening a corpus file as the run is planned: once, checked on what was opened.

- :func:`open_checked` opens a file without waiting (a pipe is never waited on) and
  checks that it opened a regular file.
- The plan reads all it needs in that one open (:func:`first_fields` and the Parquet
  footer, :func:`parquet_footer`), so a corpus of thousands of files on a network share
  is opened once each before the run.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import stat
from typing import IO, Any, BinaryIO, cast

from pipeline.corpus.formats import Format
from pipeline.files import NotRegular

FIRST_LINE = 1_000_000  # bytes of a file's first line checked before a run (first_fields)
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def open_checked(path: str | os.PathLike[str]) -> tuple[BinaryIO, os.stat_result]:
    """``path`` open for reading, and what ``fstat`` says of it. A pipe, a device or a
    folder is :class:`~pipeline.files.NotRegular`, opened without waiting and never
    read."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, "it is not a regular file (a pipe or device)")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return open(fd, "rb"), info


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
