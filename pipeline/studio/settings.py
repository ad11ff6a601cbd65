"""The settings page: every key of ``leaflet.toml`` as a form field, saved atomically.

The form is built from the config dataclasses (:class:`~pipeline.config.LeafletConfig`
and :class:`~pipeline.config.Clinic`): each field's key, kind and default come from
them; only the words on the page (label, help) are kept here, in :data:`WORDING`.

Saving validates exactly as the command line does, by loading what would be written
with :func:`~pipeline.config.load_config`: each changed value on its own first (so every
bad value gets its message beside its field), then the whole file. Only a file that
loads is written, atomically; anything else leaves ``leaflet.toml`` as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import types
import typing
from dataclasses import MISSING, dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from pipeline.config import Clinic, LeafletConfig, default_published, load_config
from pipeline.errors import ConfigError, LeafletError
from pipeline.files import write_atomic

Kind = Literal["text", "textarea", "choice", "bool", "int", "date"]

WORDING: dict[str, tuple[str, str]] = {
    "clinic.name": ("Clinic name", "At the top of every page and as the PDF's author."),
    "clinic.address": ("Address", "In the “About this leaflet” box."),
    "clinic.phone": ("Phone number", "In the “About this leaflet” box."),
    "clinic.website": ("Website", "The full address, starting with https://. Optional."),
    "clinic.logo": ("Logo file", "A PNG, JPEG or SVG file, relative to the settings file."),
    "paper": ("Paper size", "The size the PDF is laid out for."),
    "large_print": ("Large print", "Body text of 18 pt instead of 14 pt."),
    "review_months": ("Review after (months)", "The review date is publication plus this."),
    "disclaimer": ("Disclaimer", "Printed in the “About this leaflet” box."),
    "published": ("Publication date", "Such as 2025-03-01; empty: the day it is made."),
    "language": ("Language", "A language tag such as en or en-GB."),
    "reading_level_note": ("Reading level note", "Print the reading level for staff."),
}
"""The label and help text of each key; keys not listed here show their own name."""

_LONG = {"disclaimer", "clinic.address"}


@dataclass(frozen=True)
class Setting:
    """One key of ``leaflet.toml`` as a form field."""

    key: str  # as the file and its error messages name it: "paper", "clinic.name"
    kind: Kind
    default: Any
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return WORDING.get(self.key, (self.key, ""))[0]

    @property
    def help(self) -> str:
        return WORDING.get(self.key, ("", ""))[1]

    @property
    def field_id(self) -> str:
        return "f-" + self.key.replace(".", "-")


def all_settings() -> tuple[Setting, ...]:
    """Every key, clinic details first, in the order the dataclasses declare them."""
    clinic = tuple(_settings(Clinic, "clinic."))
    return clinic + tuple(s for s in _settings(LeafletConfig, "") if s.key != "clinic")


def _settings(cls: type, prefix: str) -> typing.Iterator[Setting]:
    hints = get_type_hints(cls)
    for item in fields(cls):
        key = prefix + item.name
        default = item.default if item.default is not MISSING else None
        kind, choices = _kind(key, hints[item.name])
        yield Setting(key, kind, default, choices)


def _kind(key: str, hint: Any) -> tuple[Kind, tuple[str, ...]]:
    if get_origin(hint) in (Union, types.UnionType):  # "Path | None": a path as text
        hint = next(a for a in get_args(hint) if a is not type(None))
    if get_origin(hint) is Literal:
        return "choice", tuple(str(a) for a in get_args(hint))
    kinds: dict[Any, Kind] = {bool: "bool", int: "int", date: "date"}
    return kinds.get(hint, "textarea" if key in _LONG else "text"), ()


def form_values(config: LeafletConfig, config_path: Path) -> dict[str, str]:
    """What each field shows: the settings in force, as text (empty for a default date)."""
    values: dict[str, str] = {}
    for setting in all_settings():
        value = _get(config, setting.key)
        if setting.key == "published" and value == default_published():
            value = ""
        elif isinstance(value, Path):
            value = os.path.relpath(value, config_path.resolve().parent)
        values[setting.key] = _text(value)
    return values


def _get(config: LeafletConfig, key: str) -> Any:
    target: Any = config
    for part in key.split("."):
        target = getattr(target, part)
    return target


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    return value.isoformat() if isinstance(value, date) else str(value)


# ---------------------------------------------------------------- saving


def parse_form(form: typing.Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The values to write (those that differ from the defaults; an empty field is the
    default) and the errors of values that are not even the right kind of thing (a
    month count that is no number)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for setting in all_settings():
        raw = str(form.get(setting.key, "")).strip()
        try:
            value = _typed(setting, raw)
        except ValueError as error:
            errors[setting.key] = str(error)
            continue
        if value is not None and value != setting.default:
            values[setting.key] = value
    return values, errors


def _typed(setting: Setting, raw: str) -> Any:
    """The value a field's text stands for; ``None`` (the default) for an empty field."""
    if setting.kind == "bool":
        return bool(raw)
    if not raw:
        return None
    if setting.kind == "int":
        if not re.fullmatch(r"-?\d+", raw):
            raise ValueError(f"{setting.key} must be a whole number, such as 12")
        return int(raw)
    if setting.kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{setting.key} must be a date such as 2025-03-01") from None
    return raw


def to_toml(values: dict[str, Any]) -> str:
    """``leaflet.toml`` holding ``values`` (top-level keys, then ``[clinic]``).

    >>> print(to_toml({"paper": "A5", "clinic.name": 'St "Mary\\'s"'}), end="")
    # leaflet settings, saved by `leaflet serve`; leaflet.example.toml explains every key.
    paper = "A5"
    <BLANKLINE>
    [clinic]
    name = "St \\"Mary's\\""
    """
    lines = [
        "# leaflet settings, saved by `leaflet serve`; leaflet.example.toml explains every key."
    ]
    lines += [f"{k} = {_toml_value(v)}" for k, v in values.items() if "." not in k]
    clinic = [(k.split(".", 1)[1], v) for k, v in values.items() if k.startswith("clinic.")]
    if clinic:
        lines += ["", "[clinic]", *(f"{k} = {_toml_value(v)}" for k, v in clinic)]
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return value.isoformat() if isinstance(value, date) else str(value)
    escaped = "".join(_toml_char(c) for c in str(value))
    return f'"{escaped}"'


def _toml_char(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04X}"
    return char


def save(config_path: Path, form: typing.Mapping[str, Any]) -> dict[str, str]:
    """Validate the form and write ``config_path`` if every value is good; the errors by
    key otherwise (``""`` for one that belongs to no single field), and nothing written."""
    try:
        return _save(config_path, form)
    except (OSError, LeafletError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return {"": f"{config_path}: cannot be saved ({reason}); check the folder's permissions"}


def _save(config_path: Path, form: typing.Mapping[str, Any]) -> dict[str, str]:
    values, errors = parse_form(form)
    for key, value in values.items():
        if key not in errors:
            message = _check(config_path, {key: value})
            if message:
                errors[key] = message
    if not errors:
        message = _check(config_path, values)
        if message:
            errors[_key_in(message)] = message
    if not errors:
        write_atomic(config_path, to_toml(values))
    return errors


def _check(config_path: Path, values: dict[str, Any]) -> str:
    """The command line's message for a file holding ``values``, or ``""`` if it loads.
    The file is written beside ``config_path``, so a relative logo means the same."""
    folder = config_path.resolve().parent
    handle, name = tempfile.mkstemp(prefix=".leaflet-check-", suffix=".toml", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(to_toml(values))
        load_config(Path(name))
    except ConfigError as error:
        return str(error).removeprefix(f"{name}: ")
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
    return ""


def _key_in(message: str) -> str:
    """The key a message names, longest first (``clinic.name`` before ``name``)."""
    for setting in sorted(all_settings(), key=lambda s: -len(s.key)):
        if re.search(rf"(?<![\w.]){re.escape(setting.key)}\b", message):
            return setting.key
    return ""
