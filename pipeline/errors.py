"""The exceptions leaflet raises. Each message names the file and says what to do.

``LeafletError``
    The root; the CLI prints ``str(error)`` on one line and exits with status 1.
``InputError``
    Raised by :mod:`pipeline.read` and :mod:`pipeline.readers` for an input that cannot
    be read: missing, empty or holding no text (only blank space or invisible
    characters, as read or once cleaned), binary, not valid in the chosen encoding (or
    of an encoding that cannot be told), a web page with no article, a file that is not
    a Word document, invalid front matter, a figure's image that is not a usable image;
    and by
    :func:`pipeline.render.render_pdf` for an article too long for a PDF.
``ConfigError``
    Raised by :mod:`pipeline.config` for a configuration file that cannot be read, or
    with an unknown key, a value of the wrong type or out of range, or a logo that is
    missing or not a safe image of its kind; and for a bad ``SOURCE_DATE_EPOCH``.
``OutputError``
    Raised by :func:`pipeline.files.write_atomic` when an output cannot be written (the
    name is a folder, the folder is a file, no permission, the disk is full).

Sidecar files (:mod:`pipeline.readers.sidecar`) and an article's sign-off
(:func:`pipeline.signoff.resolve_signoff`: a review date before the publication date, a
language leaflet cannot write) raise ``InputError`` too; so does
:func:`pipeline.build_document` for an empty article, or one that holds no text. Text
given as bytes (or anything but ``str``) to :func:`pipeline.clean` or
:func:`pipeline.build_document` is a programming mistake, not a user's: a
:class:`TypeError` (:func:`require_text`).
"""

from __future__ import annotations


class LeafletError(Exception):
    """Base class: anything leaflet reports to a user as a one-line message."""


class InputError(LeafletError):
    """An input file that cannot be read as text."""


class NoPdfError(InputError):
    """An article leaflet makes no PDF of (too long, a table too wide): ``str()`` is the
    message with the command line's alternative (``--format json,html``), ``plain`` the
    message with one anyone can take (its web page), for the studio."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}, or build only --format json,html")
        self.name, self.reason = name, reason
        self.plain = f"{name}: {reason}, or print its web page instead"


class ConfigError(LeafletError):
    """A configuration file or option that cannot be used."""


class OutputError(LeafletError):
    """An output file that cannot be written."""


class NameTooLongError(OutputError):
    """An output whose file name is longer than its folder's file system takes: ``name``
    is that name, ``limit`` the most bytes a name may have there (``None`` when the
    system said the whole path is too long)."""

    def __init__(self, message: str, name: str, limit: int | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.limit = limit


ECHOED = 40
"""The most characters of a value a message repeats (:func:`echo`)."""


def echo(value: str, *, quoted: bool = True) -> str:
    """A value the user gave (an option's, a field's name), as every message repeats it:
    quoted as Python writes it (or bare, where a message names it so: ``--model x``),
    and cut short after :data:`ECHOED` characters with its length said, so a
    5,000-digit ``-j`` is still one short line.

    >>> echo("0"), echo("a\\nb"), echo("en_core_web_sm", quoted=False)
    ("'0'", "'a\\\\nb'", 'en_core_web_sm')
    >>> print(echo("9" * 5000))
    '9999999999999999999999999999999999999999…' (5,000 characters)
    >>> print(echo("tcp://" + "x" * 5000, quoted=False))
    tcp://xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (5,006 characters)
    """
    cut = value[:ECHOED]
    shown = repr(cut) if quoted else cut
    if len(value) <= ECHOED:
        return shown
    shown = f"{shown[:-1]}…{shown[-1]}" if quoted else f"{shown}…"
    return f"{shown} ({len(value):,} characters)"


def require_text(value: object, function: str) -> None:
    """A :class:`TypeError` saying what to do when ``value``, given to ``function``, is
    not text.

    >>> require_text(b"Aspirin", "clean")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    TypeError: clean() takes text (str), not bytes: decode it first, e.g. data.decode("utf-8"), ...
    """
    if isinstance(value, str):
        return
    if isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(
            f"{function}() takes text (str), not {type(value).__name__}: decode it first, "
            'e.g. data.decode("utf-8"), or read the file with pipeline.read.load_article'
        )
    raise TypeError(f"{function}() takes text (str), not {type(value).__name__}")
