"""Markdown front matter: the YAML block at the top of a file, read as what the article
says about itself (:class:`~pipeline.model.ArticleMeta`), never printed.

The block opens with ``---`` on the file's first line and closes with ``---`` (or
``...``). Its keys are the fields of ``ArticleMeta`` (a ``-`` may stand for ``_``)::

    ---
    title: Botox beyond beauty
    author: Dr A. Patel
    reviewer: Dr B. Jones, consultant neurologist
    version: "2.1"
    published: 2025-03-01
    review_date: 2027-03-01
    references:
      - NHS. Botulinum toxin. https://www.nhs.uk/
    language: en
    ---

Only plain YAML is read, with PyYAML's base loader: every value is text (``1.10``
stays ``1.10``), and tags (``!!python/object``) are refused, so nothing is ever
constructed but strings, lists and mappings, nested at most :data:`MAX_DEPTH` deep, and
aliases (``*a``, which repeat a value without bound) are refused. A
key leaflet does not know, a value of the wrong kind, or text with a control character
or a direction override in it (``U+202E``, as :mod:`pipeline.config` refuses too) is an
error that names the key and says what to write instead.

>>> header, body, meta = split_front_matter("---\\nauthor: Dr Who\\n---\\n# Title\\n", "a.md")
>>> header, body, meta.author
('---\\nauthor: Dr Who\\n---\\n', '# Title\\n', 'Dr Who')
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from pipeline.config import is_control
from pipeline.errors import InputError
from pipeline.labels import language_tag, unavailable
from pipeline.model import ArticleMeta

MAX_FRONT_MATTER = 65_536
"""The front matter may be at most this many characters."""
MAX_DEPTH = 4
"""Lists and keys may nest at most this deep (leaflet's keys need two: a list in a key)."""

_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
TEXT_KEYS = ("title", "author", "reviewer", "version")
DATE_KEYS = ("published", "review_date")
KEYS = tuple(field.name for field in dataclasses.fields(ArticleMeta))
"""The keys front matter (and a sidecar) may give: the fields of ArticleMeta."""


def split_front_matter(text: str, name: str) -> tuple[str, str, ArticleMeta]:
    """The front matter as written, the rest of the text, and what the front matter says."""
    if not re.match(r"---[ \t]*\n", text):
        return "", text, ArticleMeta()
    close = _CLOSE.search(text, 4)
    if close is None or close.start() > MAX_FRONT_MATTER:
        raise InputError(
            f"{name}: the front matter that starts with --- on line 1 is not closed within "
            f"{MAX_FRONT_MATTER:,} characters; end it with a line of ---"
        )
    end = text.find("\n", close.end())
    end = len(text) if end < 0 else end + 1
    return text[:end], text[end:], parse_front_matter(text[4 : close.start()], name)


def parse_front_matter(source: str, name: str) -> ArticleMeta:
    """The ``ArticleMeta`` a front matter's YAML says.

    >>> parse_front_matter("published: 2025-03-01\\nreferences: NHS", "a.md").references
    ('NHS',)
    """
    try:
        _refuse_tags_and_depth(source, name)
        values = yaml.load(source, Loader=yaml.BaseLoader)  # noqa: S506 (text only, no tags)
    except yaml.YAMLError as error:
        problem = _problem(error)
        raise InputError(
            f"{name}: the front matter is not valid YAML ({problem}); mend it, or remove the "
            "lines between the two --- lines"
        ) from None
    if values is None or values == "":
        return ArticleMeta()
    if not isinstance(values, dict):
        raise InputError(f"{name}: the front matter must be keys and values, like author: Dr Who")
    fields: dict[str, Any] = {}
    for key, value in values.items():
        field = str(key).replace("-", "_")
        if field not in KEYS:
            raise InputError(
                f"{name}: front matter key {key!r} is not one leaflet knows; "
                f"use {', '.join(KEYS)}, or remove it"
            )
        if value not in (None, ""):
            fields[field] = meta_value(field, value, name)
    return ArticleMeta(**fields)


def _refuse_tags_and_depth(source: str, name: str) -> None:
    """An explicit tag (``!!python/name:os.system``) anywhere is an error, and so are
    lists or keys nested more than :data:`MAX_DEPTH` deep (``[[[[…`` thousands deep is a
    ``RecursionError`` once loaded), and so is an alias (``*a``): each repeats a value
    written once, and 64 KB of them can stand for gigabytes. The events are read one by
    one, so aliases are never expanded here."""
    depth = 0
    for event in yaml.parse(source, Loader=yaml.BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            raise InputError(
                f"{name}: the front matter repeats a value with a YAML alias "
                f"(*{event.anchor}); write each value out where it goes"
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise InputError(
                f"{name}: the front matter has a YAML tag ({tag}); write plain values only"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    f"{name}: the front matter nests lists or keys more than {MAX_DEPTH} "
                    "deep; write plain values, like author: Dr Who"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


@dataclass(frozen=True)
class Syntax:
    """How a file gives an article's details, for reading its values and for messages
    that say what to write: in front matter (YAML, every value text) or in a sidecar
    (TOML, a date written as a date)."""

    where: str  # what follows the file's name in a message: "front matter "
    assign: str  # between a key and its value: ": "
    quote: str  # around text: '"' in TOML
    texts: str  # how to write a list of texts
    dates_as_text: bool  # a date is given as text (YAML), else as a date (TOML)

    def example(self, field: str, value: str) -> str:
        """``author: ...`` or ``author = "..."``.

        >>> FRONT_MATTER.example("version", "..."), SIDECAR.example("version", "...")
        ('version: ...', 'version = "..."')
        """
        return f"{field}{self.assign}{self.quote}{value}{self.quote}"


FRONT_MATTER = Syntax("front matter ", ": ", "", "one per line starting with -", True)
SIDECAR = Syntax("", " = ", '"', 'like references = ["NHS. ..."]', False)


def meta_value(field: str, value: object, name: str, syntax: Syntax = FRONT_MATTER) -> object:
    """The value of key ``field`` (one of :data:`KEYS`) as ``ArticleMeta`` holds it,
    checked the one way for front matter and sidecars; an :class:`InputError` naming
    the file ``name`` (and where in it, ``syntax.where``) says what to write.

    >>> meta_value("language", " en-gb ", "a.md"), meta_value("version", "2", "s", SIDECAR)
    ('en-GB', '2')
    >>> meta_value("version", 1.1, "s.toml", SIDECAR)
    Traceback (most recent call last):
    pipeline.errors.InputError: s.toml: version must be text in quotes, like version = "..."
    """
    where = f"{name}: {syntax.where}{field}"
    if field in TEXT_KEYS and isinstance(value, str):
        return checked_text(value, where)
    if field in DATE_KEYS:
        return _date(value, where, syntax)
    if field == "references":
        return _references(value, where, syntax)
    if field == "language":
        return _language(value, where, syntax)
    quoted = " in quotes" if syntax.quote else ""
    raise InputError(f"{where} must be text{quoted}, like {syntax.example(field, '...')}")


def _date(value: object, where: str, syntax: Syntax) -> date:
    day = None
    if syntax.dates_as_text and isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(value.strip())
    elif not syntax.dates_as_text and type(value) is date:  # a datetime is no date
        day = value
    if day is None or not 1900 <= day.year <= 2999:
        quotes = "" if syntax.dates_as_text else " (no quotes)"
        raise InputError(
            f"{where} must be a date from 1900 to 2999 written like 2025-03-01{quotes}"
        )
    return day


def _references(value: object, where: str, syntax: Syntax) -> tuple[str, ...]:
    references = text_list(value)
    if references is None:
        raise InputError(f"{where} must be a list of texts, {syntax.texts}")
    return tuple(checked_text(item, where) for item in references)


def _language(value: object, where: str, syntax: Syntax) -> str:
    code = value.strip() if isinstance(value, str) else ""
    if not _LANGUAGE.fullmatch(code):
        raise InputError(
            f"{where} must be a language code, like {syntax.example('language', 'en-GB')}"
        )
    tag = language_tag(code)
    if tag is None:  # a language whose fixed leaflet text is not shipped
        raise InputError(f"{where} {unavailable(code)}")
    return tag


def checked_text(text: str, where: str) -> str:
    """``text`` stripped; an :class:`InputError` (``where`` begins it) for a control
    character or a direction override in it (a tab or a line break is fine).

    >>> checked_text(" Dr Who ", "a.md: author")
    'Dr Who'
    >>> checked_text("Dr \\u202eohW", "a.md: author")
    Traceback (most recent call last):
    pipeline.errors.InputError: a.md: author contains the control character U+202E; remove it
    """
    bad = next((ch for ch in text if ch not in "\t\n" and is_control(ch)), None)
    if bad is not None:
        raise InputError(f"{where} contains the control character U+{ord(bad):04X}; remove it")
    return text.strip()


def text_list(value: object) -> tuple[str, ...] | None:
    """A text or a list of texts as a tuple, stripped, blanks left out; ``None`` when
    ``value`` is neither.

    >>> text_list(["A ", " "]), text_list("B"), text_list([1])
    (('A',), ('B',), None)
    """
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return None
    return tuple(item.strip() for item in items if item.strip())


def _problem(error: yaml.YAMLError) -> str:
    """The parser's complaint in a few words, with the line it is on."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or type(error).__name__
    where = f" on line {mark.line + 2}" if mark is not None else ""
    return f"{problem}{where}"
