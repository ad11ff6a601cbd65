"""Writing outputs atomically: a reader sees the old file or the new one, never half.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out" / "a.txt"
>>> write_atomic(target, "hello")
>>> target.read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # what open() would give a new file


Writer = Callable[[BinaryIO], None]


def write_atomic(path: Path, data: str | bytes | Writer) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    ``data`` may be a function that writes to the open file, so a large output (a 50 MB
    article's JSON) streams to disk instead of being built in memory first. A failure is
    an :class:`~pipeline.errors.OutputError` naming the file.
    """
    try:
        _write(path, data)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(
            f"{path}: cannot be written ({reason}); give a file name in a folder you can write to"
        ) from None


def _write(path: Path, data: str | bytes | Writer) -> None:
    if path.is_dir():
        raise IsADirectoryError(21, "it is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
