"""The fixed text of a leaflet, one table per language.

Every word a leaflet prints that is neither the article's nor the clinic's (the
"Patient information" kicker, the box headings, the sign-off labels, "Page X of Y", the
default disclaimer) comes from a table ``pipeline/labels/<code>.toml``, read into a
:class:`Labels`. The web page, the PDF's running footer and the config's default
disclaimer all read the same table, and the tables present are the one list of the
languages leaflet can write (:data:`LANGUAGES`): ``leaflet.toml`` and an article's own
``language`` are checked against it, so a leaflet never claims a language its fixed
text is not written in.

>>> labels_for("en-GB").page.format(page=2, pages=5)
'Page 2 of 5'
>>> language_tag("EN-gb"), language_tag("fr"), language_tag("English")
('en-GB', None, None)
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from importlib.resources import files
from typing import Any


def _label(*placeholders: str) -> Any:
    """A label, and the ``{placeholders}`` its text must hold (no more, no fewer)."""
    return field(metadata={"placeholders": frozenset(placeholders)})


@dataclass(frozen=True)
class Labels:
    """One language's fixed leaflet text; the keys of ``pipeline/labels/en.toml``."""

    language_name: str = _label()
    kicker: str = _label()
    description: str = _label("clinic")
    logo_alt: str = _label("clinic")
    page: str = _label("page", "pages")
    abbreviations: str = _label()
    contact: str = _label()
    contact_lead: str = _label()
    references: str = _label()
    about: str = _label()
    disclaimer: str = _label()
    author: str = _label()
    reviewer: str = _label()
    version: str = _label()
    published: str = _label()
    review_date: str = _label()
    feedback: str = _label()
    other_formats: str = _label()
    web_version: str = _label()
    qr_alt: str = _label("address")
    address: str = _label()
    phone: str = _label()
    email: str = _label()
    website: str = _label()
    staff_note: str = _label("ease", "grade", "words")


def _shipped() -> tuple[str, ...]:
    folder = files(__name__)
    names = (p.name for p in folder.iterdir())
    return tuple(sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml")))


LANGUAGES: tuple[str, ...] = _shipped()
"""The language codes leaflet has fixed text for: one per ``<code>.toml`` here."""
_TAG = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{2}|[0-9]{3}))?")


def language_tag(value: str) -> str | None:
    """``value`` as a language tag in its usual case (``en``, ``en-GB``), or ``None``
    when it is not one whose fixed text leaflet ships."""
    match = _TAG.fullmatch(value)
    if not match or match[1].lower() not in LANGUAGES:
        return None
    region = match[2]
    return match[1].lower() + (f"-{region.upper()}" if region else "")


def unavailable(value: str) -> str:
    """What to say of a language leaflet cannot write, after the key's name.

    >>> print(unavailable("fr"))  # doctest: +ELLIPSIS
    'fr' is not available: the leaflet's fixed text is in English only; use "en" or ...
    """
    names = " or ".join(labels_for(code).language_name for code in LANGUAGES)
    shipped = ", ".join(f'"{code}"' for code in LANGUAGES)
    return (
        f"{value[:40]!r} is not available: the leaflet's fixed text is in {names} only; "
        f'use {shipped} or a regional form such as "{LANGUAGES[0]}-GB"'
    )


def labels_for(language: str) -> Labels:
    """The fixed text for ``language`` (``en``, ``en-GB``: the region is not looked at);
    :class:`LookupError` for a language not in :data:`LANGUAGES`."""
    code = language.partition("-")[0].lower()
    if code not in LANGUAGES:
        raise LookupError(f"no leaflet text in language {language!r}; have {LANGUAGES}")
    return _load(code)


@cache
def _load(code: str) -> Labels:
    text = files(__name__).joinpath(f"{code}.toml").read_text("utf-8")
    return parse_labels(text, f"pipeline/labels/{code}.toml")


def parse_labels(text: str, name: str) -> Labels:
    """A table of labels from TOML ``text``: every key of :class:`Labels`, each text with
    exactly its placeholders; :class:`ValueError` naming ``name`` and the key if not."""
    table = tomllib.loads(text)
    expected = {item.name: item.metadata["placeholders"] for item in fields(Labels)}
    if set(table) != set(expected):
        differ = sorted(set(table) ^ set(expected))
        raise ValueError(f"{name}: keys differ from the Labels fields: {differ}")
    for key, label in table.items():
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"{name}: {key} must be text")
        if _placeholders(label) != expected[key]:
            raise ValueError(f"{name}: {key} must use exactly {sorted(expected[key])}")
    return Labels(**table)


def _placeholders(text: str) -> frozenset[str]:
    """The ``{names}`` in a label.

    >>> sorted(_placeholders("Page {page} of {pages}"))
    ['page', 'pages']
    """
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
