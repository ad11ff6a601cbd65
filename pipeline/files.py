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
from pathlib import Path

from pipeline.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # what open() would give a new file


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A failure is an :class:`~pipeline.errors.OutputError` naming the file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _write(path, payload)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(
            f"{path}: cannot be written ({reason}); give a file name in a folder you can write to"
        ) from None


def _write(path: Path, payload: bytes) -> None:
    if path.is_dir():
        raise IsADirectoryError(21, "it is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
