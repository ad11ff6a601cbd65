"""The settings page: every option of ``leaflet.toml`` as a form field, saved in place.

The form is :data:`pipeline.config.OPTIONS`: each option's key, kind, help, default,
choices, length and lines come from its one declaration, and each value is checked by
:func:`~pipeline.config.parse_option`, so a bad one gets the command line's own one-line
message beside its field. Only the label (the key in words) and the titles of the
groups are made here.

Saving edits the file rather than writing a new one: its comments, its layout and the
values of fields left as they were stay as the clinic wrote them (tomlkit). An empty
field removes its key, so the default applies. Keys that are no leaflet setting are
turned into comments at the end of the file, so it loads again and nothing typed is
lost; the page says so before saving. The new text must load as
:func:`~pipeline.config.load_config` reads it before it is written, atomically; a file
that cannot be read as TOML at all is reported, and saving replaces it (the page warns).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from pipeline.config import (
    OPTIONS,
    TABLES,
    Option,
    config_from_text,
    parse_config,
    parse_option,
    read_config,
    toml_value,
)
from pipeline.errors import ConfigError, LeafletError
from pipeline.files import write_atomic

Control = Literal["checkbox", "select", "textarea", "text", "short"]
TITLES = {"clinic": "The clinic", "": "Leaflets", "signoff": "Sign-off"}
"""Each group's title on the page (``""``: the keys outside any table)."""
HEADER = "leaflet settings, saved by `leaflet serve`; leaflet.example.toml explains every key."
KEPT = "Not leaflet settings, kept as comments by `leaflet serve`: fix their names or remove them."
_NAMES = frozenset(o.name for o in OPTIONS)
_ABSENT = object()


@dataclass(frozen=True)
class Field:
    """One option as a form field."""

    option: Option

    @property
    def name(self) -> str:
        return self.option.name

    @property
    def field_id(self) -> str:
        return "f-" + self.name.replace(".", "-")

    @property
    def label(self) -> str:
        """The key in words: ``feedback_email`` is "Feedback email"."""
        words = self.option.key.replace("_", " ").capitalize().split(" ")
        return " ".join("URL" if word == "url" else word for word in words)

    @property
    def control(self) -> Control:
        option = self.option
        if option.kind == "boolean":
            return "checkbox"
        if option.choices:
            return "select"
        if option.lines > 1:
            return "textarea"
        return "text" if option.kind == "string" else "short"

    @property
    def hint(self) -> str:
        """The option's help, and what an empty field means when that is not nothing."""
        option, shown = self.option, ""
        if self.control in ("text", "textarea", "short") and option.default != "":
            default = option.default
            shown = f"“{default}”" if isinstance(default, str) else option.default_text
        help = option.help
        if self.control == "checkbox" and help.startswith("true: "):  # as the file says it
            help = "Ticked: " + help.removeprefix("true: ")
        return f"{help}." + (f" Empty: {shown}." if shown else "")


@dataclass(frozen=True)
class Group:
    """The fields of one table of the file (``table`` ``""``: the keys outside any)."""

    table: str
    title: str
    about: str
    fields: tuple[Field, ...]


@cache
def groups() -> tuple[Group, ...]:
    """The form's groups: the clinic first, then the file's own order."""
    tables = dict.fromkeys(["clinic", *(o.table for o in OPTIONS)])
    return tuple(
        Group(
            table,
            TITLES.get(table, table.capitalize()),
            _about(table),
            tuple(Field(o) for o in OPTIONS if o.table == table),
        )
        for table in tables
    )


def _about(table: str) -> str:
    """The first paragraph of the table's declaration (none for the top level)."""
    if not table:
        return ""
    doc = inspect.getdoc(TABLES[table]) or ""
    return " ".join(doc.split("\n\n")[0].split())


def fields() -> tuple[Field, ...]:
    return tuple(f for group in groups() for f in group.fields)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Current:
    """The settings file as the page finds it."""

    document: TOMLDocument  # what saving edits: a new one for a missing or unreadable file
    data: dict[str, Any] = field(default_factory=dict)  # the values in it, as TOML gives them
    problem: str = ""  # why the command line cannot use the file, or ""
    replaces: bool = False  # the file cannot be read as TOML: saving replaces it
    strays: tuple[tuple[str, str], ...] = ()  # (table, key) of what is no option

    @property
    def stray_names(self) -> list[str]:
        """The strays as messages name keys: ``papr``, ``clinic.fax``."""
        return [f"{table}.{key}" if table else key for table, key in self.strays]

    def value(self, option: Option) -> Any:
        """The option's value in the file, or ``_ABSENT``."""
        holder = self.data.get(option.table, {}) if option.table else self.data
        return holder.get(option.key, _ABSENT) if isinstance(holder, dict) else _ABSENT

    def texts(self) -> dict[str, str]:
        """What each field shows: the file's value as text; for a key not set, empty (the
        default), or the default's choice or box."""
        texts = {}
        for f in fields():
            value = self.value(f.option)
            if value is _ABSENT:
                value = f.option.default if f.control in ("checkbox", "select") else ""
            texts[f.name] = _as_text(value)
        return texts

    def errors(self, folder: Path) -> dict[str, str]:
        """The config's message for each bad value in the file, by option."""
        found = {}
        for f in fields():
            value = self.value(f.option)
            if value is not _ABSENT:
                table = f.option.table
                try:
                    parse_config({table: {f.option.key: value}} if table else {f.name: value},
                                 folder=folder)  # fmt: skip
                except ConfigError as error:
                    found[f.name] = str(error)
        return found


def _as_text(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else ""
    return value if isinstance(value, str) else toml_value(value)


def read_settings(path: Path) -> Current:
    """The file at ``path`` to show and edit; what is wrong with it is reported in the
    result, never raised."""
    if not os.path.lexists(path):
        return Current(_new_document())
    try:
        text, data = read_config(path)
        document = tomlkit.parse(text)
    except ConfigError as error:
        return Current(_new_document(), problem=str(error), replaces=True)
    except (TOMLKitError, ValueError, RecursionError) as error:
        problem = f"{path}: cannot be edited here ({error}); fix it by hand"
        return Current(_new_document(), problem=problem, replaces=True)
    try:
        parse_config(data, folder=path.absolute().parent)
        problem = ""
    except ConfigError as error:
        problem = f"{path}: {error}"
    return Current(document, data, problem, strays=tuple(_strays(data)))


def _new_document() -> TOMLDocument:
    document = tomlkit.document()
    document.add(tomlkit.comment(HEADER))
    return document


def _strays(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the file holds that is no option, as ``(table, key)``: a key, or a table's
    name when its value is not a table."""
    found = []
    for key, value in data.items():
        if key in TABLES and isinstance(value, dict):
            found += [(key, inner) for inner in value if f"{key}.{inner}" not in _NAMES]
        elif key in TABLES or key not in _NAMES:
            found.append(("", key))
    return found


# ---------------------------------------------------------------- saving


def save(path: Path, form: Mapping[str, Any]) -> dict[str, str]:
    """Check the form and save it into the file at ``path`` if every value is good; the
    messages by option otherwise (``""`` for one that belongs to no field), and the file
    left as it was."""
    folder = path.absolute().parent
    values, errors = parse_form(form, folder)
    if errors:
        return errors
    try:
        text = tomlkit.dumps(edited(read_settings(path), values))
        config_from_text(text, folder=folder)  # as `leaflet build` will read the file
    except (TOMLKitError, ConfigError) as error:
        return {"": f"{path}: cannot be edited here ({error}); correct the file by hand"}
    try:
        write_atomic(path, text)
    except LeafletError as error:
        return {"": str(error)}
    return {}


def submitted(form: Mapping[str, Any]) -> dict[str, str]:
    """Each field's text as sent: line breaks as in a file, blank space trimmed, and a
    checkbox as ``true`` or ``""``."""
    texts = {}
    for f in fields():
        text = str(form.get(f.name, "")).replace("\r\n", "\n").replace("\r", "\n").strip()
        texts[f.name] = ("true" if text else "") if f.control == "checkbox" else text
    return texts


def parse_form(form: Mapping[str, Any], folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The value of each field (``None``: empty, the default) and the message of each bad
    one, checked as the command line checks them (a logo is looked for in ``folder``)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    texts = submitted(form)
    for f in fields():
        text = texts[f.name] or ("false" if f.control == "checkbox" else "")
        if not text:
            values[f.name] = None
            continue
        try:
            parsed = parse_option(f.name, text, folder=folder)
        except ConfigError as error:
            errors[f.name] = str(error)
            continue
        values[f.name] = text if isinstance(parsed, Path) else parsed  # a logo as written
    return values, errors


def edited(current: Current, values: Mapping[str, Any]) -> TOMLDocument:
    """The file's document with ``values`` in it and what is no option commented out;
    a value that did not change, or a default never written, is left alone."""
    document = current.document
    strays = _take_strays(document, current.strays)
    for f in fields():
        old, new = current.value(f.option), values.get(f.name)
        if new is None:
            if old is not _ABSENT:
                del _table(document, f.option.table)[f.option.key]
        elif not _same(new, old) and not (old is _ABSENT and _same(new, f.option.default)):
            _table(document, f.option.table)[f.option.key] = _item(new)
    if strays:
        document.add(tomlkit.nl())
        for line in (KEPT, *strays):
            document.add(tomlkit.comment(line))
    return document


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b  # True is not 1, nor a date a datetime


def _item(value: Any) -> Any:
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value, multiline=True)
    return value


def _table(document: TOMLDocument, table: str) -> Any:
    if not table:
        return document
    if table not in document:
        document[table] = tomlkit.table()
    return document[table]


def _take_strays(document: TOMLDocument, strays: tuple[tuple[str, str], ...]) -> list[str]:
    """Remove each stray key (``clinic.fax``, ``papr``); the TOML lines that held them."""
    lines: list[str] = []
    for table, key in strays:
        holder = document[table] if table else document
        value = holder[key]
        lines += tomlkit.dumps({table: {key: value}} if table else {key: value}).splitlines()
        del holder[key]
    return lines
