"""The cleaning block: one record's text in, the cleaned text and its account out.

This is the only place a corpus record is cleaned; both engines, :func:`clean_series` and
:func:`clean_frame` call :func:`clean_value`. A value that cannot be cleaned (missing,
null, not a string, too large, or holding no text: only blank space or invisible
characters, as read or once cleaned) comes back as it was, with a one-line ``error``;
cleaning itself never raises, so one record never stops a run. An empty string is no
error: there is nothing in it to clean or to lose.

>>> result = clean_value("c\\u0435l\\u0435brat\\u0435d", CorpusSettings())
>>> result.text, result.changes["homoglyphs"], result.error
('celebrated', 1, None)
>>> clean_value(42, CorpusSettings()).error
"not text: the 'text' field is a number"
>>> clean_value("\\u200b\\u200b", CorpusSettings()).error
"no text: the 'text' field holds only blank space or invisible characters"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.corpus.settings import CorpusSettings
from pipeline.errors import echo
from pipeline.normalise import STAGES, clean
from pipeline.readers.text import BLANK, holds_text

# The columns leaflet adds to every record (the cleaned text stays in its own column).
CHANGES = "leaflet_changes"  # how many changes each stage made: {stage: count}
SUSPECTS = "leaflet_suspects"  # how many things the cleaner left but found odd
ERROR = "leaflet_error"  # why the record was not cleaned, or null
CHANGE_LIST = "leaflet_changes_json"  # with --with-changes: every change, as JSON
ADDED = (CHANGES, SUSPECTS, ERROR, CHANGE_LIST)


def own_field_problem(names: Iterable[str]) -> str | None:
    """Why a record, or a Parquet file, whose fields are ``names`` is not cleaned: it has
    a field named as one leaflet adds (:data:`ADDED`), which it would replace unseen;
    ``None`` if it has none.

    >>> own_field_problem(["text", "id"]) is None
    True
    >>> own_field_problem(["text", "leaflet_error"]).split(";")[0]
    "has a field 'leaflet_error', which leaflet writes itself"
    """
    own = [name for name in names if name in ADDED]
    if not own:
        return None
    return (
        f"has a field {echo(own[0])}, which leaflet writes itself; rename or remove that "
        "field (leaflet's own output? clean the corpus it was made from)"
    )


class Missing:
    """The value of a field a record does not have."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()

SURROGATE = re.compile("[\ud800-\udfff]")  # JSON can hold one alone; UTF-8 cannot
_JSON_TYPES = {bool: "true or false", int: "a number", float: "a number", dict: "an object"}
_JSON_TYPES |= {list: "a list", bytes: "bytes"}


@dataclass(frozen=True)
class Result:
    """What cleaning one value gave.

    ``text`` is the cleaned text, or the value as it was when ``error`` says why it was
    not cleaned; ``size`` is the UTF-8 bytes of the text cleaned (0 if it was not).
    """

    text: Any
    changes: dict[str, int]
    suspects: int = 0
    error: str | None = None
    change_list: str | None = None
    size: int = 0
    changed: bool = False

    @property
    def total(self) -> int:
        return sum(self.changes.values())


def no_changes() -> dict[str, int]:
    """A count of zero for every stage, in pipeline order: the same keys on every record."""
    return dict.fromkeys(STAGES, 0)


def clean_value(value: Any, settings: CorpusSettings) -> Result:
    """Clean one record's text, or say in one line why it cannot be cleaned."""
    problem, size = _refusal(value, settings)
    if problem is not None:
        return Result(value, no_changes(), error=problem)
    try:
        cleaned = clean(value, settings.options)
    except Exception as error:  # a bug in a stage must not stop the corpus
        bug = f"{type(error).__name__}: {error}"
        return Result(value, no_changes(), error=f"cleaning failed: {bug}; please report it")
    if value and not holds_text(cleaned.text):  # control characters alone, a mojibake space
        return Result(value, no_changes(), error=_blank(settings.text_field))
    counts = no_changes()
    for change in cleaned.changes:
        counts[change.stage] += 1
    plan = cleaned.changes_json(compact=True) if settings.with_changes else None
    return Result(
        cleaned.text, counts, len(cleaned.suspects), None, plan, size, cleaned.text != value
    )


def is_null(value: Any) -> bool:
    """Null as JSON, Arrow and pandas write it: None, NaN, ``pd.NA`` or ``pd.NaT``.

    >>> [is_null(v) for v in (None, float("nan"), "", 0)]
    [True, True, False, False]
    """
    if value is None or (isinstance(value, float) and value != value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _refusal(value: Any, settings: CorpusSettings) -> tuple[str | None, int]:
    """Why ``value`` cannot be cleaned (or None), and its size in UTF-8 bytes."""
    field = settings.text_field
    if value is MISSING:
        return f"no text: the record has no {echo(field)} field", 0
    if is_null(value):
        return f"no text: the {echo(field)} field is null", 0
    if not isinstance(value, str):
        kind = _JSON_TYPES.get(type(value), type(value).__name__)
        return f"not text: the {echo(field)} field is {kind}", 0
    surrogate = SURROGATE.search(value)
    if surrogate is not None:
        where = f"U+{ord(surrogate.group()):04X} at character {surrogate.start()}"
        return f"not text: a lone surrogate ({where}), which UTF-8 cannot hold", 0
    size = len(value.encode("utf-8"))
    if size > settings.max_record_size:
        limit = settings.max_record_size
        return f"too large: {size:,} bytes of text, over the limit of {limit:,} bytes", size
    if value and not holds_text(value):
        return _blank(field), 0
    return None, size


def _blank(field: str) -> str:
    """The error of a record that holds no text (:func:`~pipeline.readers.text.holds_text`)."""
    return f"no text: the {echo(field)} field holds {BLANK}"
