"""The exceptions leaflet raises. Each message names the file and says what to do.

``LeafletError``
    The root; the CLI prints ``str(error)`` on one line and exits with status 1.
``InputError``
    Raised by :mod:`pipeline.read` and :mod:`pipeline.readers` for an input that cannot
    be read: missing, empty, binary, not valid in the chosen encoding (or of an encoding
    that cannot be told), a web page with no article, a file that is not a Word document,
    invalid front matter, a figure's image that is not a usable image; and by
    :func:`pipeline.render.render_pdf` for an article too long for a PDF.
``ConfigError``
    Raised by :mod:`pipeline.config` for a configuration file that cannot be read, or
    with an unknown key, a value of the wrong type or out of range, or a logo that is
    missing or not a safe image of its kind; and for a bad ``SOURCE_DATE_EPOCH``.
``OutputError``
    Raised by :func:`pipeline.files.write_atomic` when an output cannot be written (the
    name is a folder, the folder is a file, no permission, the disk is full).
"""

from __future__ import annotations


class LeafletError(Exception):
    """Base class: anything leaflet reports to a user as a one-line message."""


class InputError(LeafletError):
    """An input file that cannot be read as text."""


class ConfigError(LeafletError):
    """A configuration file or option that cannot be used."""


class OutputError(LeafletError):
    """An output file that cannot be written."""
