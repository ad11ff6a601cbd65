"""Sizes as people write them on a command line: the one parser of every size option
(``--max-size``, ``--part-size``, ``--max-record-size``).

``k``, ``M`` and ``G`` are thousands, millions and billions of bytes, with or without a
``B`` and in either case (``100k``, ``100KB``, ``4M``, ``4mb``); ``KiB``, ``MiB`` and
``GiB`` (or ``Ki``, ``Mi``, ``Gi``) are powers of 1024; a plain number is bytes. Every
size is at least a byte and at most :data:`LARGEST` (1000G).

>>> [parse_size(s) for s in ("4M", "4MB", "4MiB", "100k", "100KB", "1.5G", "2000")]
[4000000, 4000000, 4194304, 100000, 100000, 1500000000, 2000]
>>> show_size(4_000_000), show_size(65_536), show_size(1234)
('4MB', '64KiB', '1234')
"""

from __future__ import annotations

import re

from pipeline.errors import echo

_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:([kmg])(i?))?b?", re.IGNORECASE | re.ASCII)
_FACTORS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}
_SHOWN = (("GB", 10**9), ("MB", 10**6), ("KB", 10**3), ("GiB", 2**30), ("MiB", 2**20),
          ("KiB", 2**10))  # fmt: skip
LARGEST = 1000 * 10**9
"""The largest size any option takes: a limit, not a promise (what leaflet reads takes
the memory of its own size, never of the limit); beyond it is a typing slip."""


def parse_size(value: str) -> int:
    """The bytes ``value`` says, from 1 to :data:`LARGEST`; a ValueError with the
    one-line message every size option gives."""
    match = _SIZE.fullmatch(value.strip())
    unit = f"{match[2] or ''}{match[3] or ''}".lower() if match else ""
    size = float(match[1]) * _FACTORS[unit] if match else 0.0  # inf for 400 digits
    if size < 1:
        raise ValueError(
            f"{echo(value)} is not a size; write it as 4M, 4MB, 64KiB or a number of bytes"
        )
    if size > LARGEST:
        raise ValueError(
            f"{echo(value)} is over the largest size, {show_size(LARGEST)}; give a smaller size"
        )
    return int(size)


def show_size(size: int) -> str:
    """A size in the shortest form :func:`parse_size` reads back exactly."""
    for unit, factor in _SHOWN:
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)
