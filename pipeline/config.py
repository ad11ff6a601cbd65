"""Frozen, documented settings for publishing leaflets.

Settings come from ``leaflet.toml`` (in the working directory, or the file given with
``--config``); the command line may then override ``paper`` and ``large_print`` with
:func:`apply_overrides`. Each key is declared once, as a field of :class:`LeafletConfig`
or of one of its tables (:class:`Clinic`, :class:`SignOff`) with its default, its help
and its check in the field's metadata. Everything else comes from those declarations:
:data:`OPTIONS` (the keys as data, for a form or a table), the checks
:func:`load_config` and :func:`check_option` make, and the list below. Tests check that
the README's table and ``leaflet.example.toml`` agree with it.

An unknown key, a value of the wrong type or out of range, or a logo that is not a
safe image of its kind raises :class:`~pipeline.errors.ConfigError` with a one-line
message naming the file, the key and what to do. The placeholders for the clinic's
address and phone are meant to be noticed on a proof. Example::

    paper = "A5"
    large_print = true

    [clinic]
    name = "Riverside Surgery"
    phone = "01632 960 000"
    logo = "logo.png"

The keys, their types and defaults:

{options}
"""

from __future__ import annotations

import calendar
import codecs
import difflib
import errno
import hashlib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, is_dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from pipeline.errors import ConfigError
from pipeline.files import LINK_LOOP, NotRegular, TooLarge, link_to_nothing, read_regular, within
from pipeline.labels import labels_for, language_tag, unavailable
from pipeline.logo import MAX_BYTES as LOGO_MAX_BYTES
from pipeline.logo import LogoError, LogoImage, fit_logo, inspect_logo

Paper = Literal["A4", "A5", "letter"]
PAPERS: tuple[Paper, ...] = get_args(Paper)
Kind = Literal["string", "boolean", "integer", "date"]
# A check takes a value of the right type and the config file's folder, and returns the
# value to use (perhaps normalised) or raises _Refused with what is wrong.
Check = Callable[[Any, Path], Any]
CONFIG_NAME = "leaflet.toml"
CONFIG_MAX_BYTES = 1_000_000
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
DEFAULT_DISCLAIMER = labels_for("en").disclaimer
_LATEST_EPOCH = int(datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# WHATWG's "valid e-mail address", with at least one dot in the domain.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})+")
# tomllib takes time and memory quadratic in the parts of a dotted key (a.a.a...: 20,000
# parts cost 1.5 GB), so a key of more parts than any leaflet.toml needs is refused first.
# Only where TOML reads a key: at the start of a line or a [table] header, and after the
# { or , of an inline table; text in a value or a comment ("1.2.3...") is no key.
_KEY_PARTS = 16
_DEEP_KEY = re.compile(
    rf"(?:^[ \t]*+\[{{0,2}}|[{{,])[ \t]*+"
    rf"(?:(?:[A-Za-z0-9_-]++|\"[^\"\n]{{0,200}}+\"|'[^'\n]{{0,200}}+')\s*+\.\s*+){{{_KEY_PARTS}}}",
    re.MULTILINE,
)
_LOGO_ADVICE = "fix the path (relative to the config file) or remove the key"
_GIVEN_ADVICE = "check the --config path"  # for a settings file named with --config
_DEFAULT_ADVICE = "fix it, or move it away to use the defaults (or give --config FILE)"
_NOT_IN_ADDRESS = frozenset('<>"{}|\\^`')  # never unescaped in a web address (RFC 3986)
_PHONE = re.compile(r"\+?[0-9 ()./-]+(?: ?(?:ext\.?|x) ?[0-9]+)?", re.IGNORECASE)


class _Refused(ValueError):
    """What is wrong with a value, phrased to follow the key's name."""


# --- the declarations -------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    help: str
    wanted: str = ""
    check: Check | None = None
    shown_default: str = ""
    max_length: int = 0
    lines: int = 1
    required: bool = False


def setting(
    default: Any = None,
    *,
    help: str,
    wanted: str = "",
    check: Check | None = None,
    factory: Callable[[], Any] | None = None,
    shown_default: str = "",
    max_length: int = 0,
    lines: int = 1,
    required: bool = False,
) -> Any:
    """A config field: its default (or ``factory``), a one-line ``help``, what a valid
    value looks like for messages (``wanted``; by default from the field's type), a
    ``check`` of the value, and ``shown_default`` for a default that is computed. Text
    has a ``max_length`` and a number of ``lines``, and may be ``required`` not blank."""
    spec = _Spec(help, wanted, check, shown_default, max_length, lines, required)
    if factory is not None:
        return field(default_factory=factory, metadata={"leaflet": spec})
    return field(default=default, metadata={"leaflet": spec})


def _text(limit: int, *, lines: int = 1, required: bool = False) -> Check:
    """A check for text: at most ``limit`` characters and ``lines`` lines, no control
    characters (a line break only where ``lines`` > 1), not blank when ``required``."""

    def check(value: str, folder: Path) -> str:
        if required and not value.strip():
            raise _Refused("must not be empty; remove the key to use the default")
        if len(value) > limit:
            raise _Refused(f"is {len(value):,} characters long; shorten it to {limit} at most")
        for ch in value:
            if (ch != "\n" or lines == 1) and is_control(ch):
                raise _Refused(f"contains the control character U+{ord(ch):04X}; remove it")
        if value.count("\n") >= lines:
            raise _Refused(f"has more than {lines} lines; shorten it")
        return value

    return check


def is_control(ch: str) -> bool:
    """A control character, or one that overrides the direction of the text around it
    (``U+202E``): neither belongs in a setting or a sign-off detail.

    >>> is_control("\\x1b"), is_control("\\u202e"), is_control("é")
    (True, True, False)
    """
    return unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS


def _all(*checks: Check) -> Check:
    def check(value: Any, folder: Path) -> Any:
        for one in checks:
            value = one(value, folder)
        return value

    return check


def _matches(pattern: re.Pattern[str], example: str) -> Check:
    def check(value: str, folder: Path) -> str:
        if value and not pattern.fullmatch(value):
            raise _Refused(f"{value[:80]!r} is not valid; write it like {example}")
        return value

    return check


def _phone(value: str, folder: Path) -> str:
    if value and sum(ch.isdigit() for ch in value) < 3:
        raise _Refused(f"{value[:80]!r} has no phone number in it; write it like 01632 960 001")
    return value


def _web_address(value: str, folder: Path) -> str:
    """An ``http(s)`` address with a host, no spaces, no user name or password."""
    if not value:
        return value
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise _Refused(
            f"{value[:80]!r} is not a web address; write it in full, starting with https://"
        )
    if any(ch.isspace() for ch in value):
        raise _Refused(f"{value[:80]!r} contains a space; write %20 or remove it")
    odd = next((ch for ch in value if ch in _NOT_IN_ADDRESS), None)
    if odd is not None:  # a scanner or a mail program would stop at it, or reject it
        raise _Refused(f"{value[:80]!r} contains {odd}; write %{ord(odd):02X} or remove it")
    return value


def _base_url(value: str, folder: Path) -> str:
    """A web address ending in ``/``, with no query or fragment (each leaflet's address is
    this followed by its file name)."""
    value = _web_address(value, folder)
    if value and (urlsplit(value).query or urlsplit(value).fragment or "?" in value):
        raise _Refused(f"{value[:80]!r} has a ? or # part; give the folder's address only")
    return value if not value or value.endswith("/") else value + "/"


def _between(low: int, high: int) -> Check:
    def check(value: int, folder: Path) -> int:
        if not low <= value <= high:
            raise _Refused(f"must be from {low} to {high}, not {value}")
        return value

    return check


def _date_in_range(value: date, folder: Path) -> date:
    if not EARLIEST <= value <= LATEST:
        raise _Refused(
            f"{value.isoformat()} is out of range; use a date from {EARLIEST} to {LATEST}"
        )
    return value


def _language(value: str, folder: Path) -> str:
    """A language whose fixed text is shipped (:data:`pipeline.labels.LANGUAGES`), such
    as ``en`` or ``en-GB``, normalised to that case."""
    tag = language_tag(value)
    if tag is None:
        raise _Refused(unavailable(value))
    return tag


def _logo(value: str, folder: Path) -> Path:
    """The logo's resolved path: inside the config file's folder, a PNG, JPEG or SVG
    file whose bytes are what its name says, within the size limits."""
    try:
        inside = within(folder, folder / value)
        path = Path(os.path.realpath(folder / value))
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        raise _Refused(f"{value[:80]!r} cannot be found ({error}); fix the path") from None
    if not inside:
        raise _Refused(
            f"{value[:80]!r} is outside the config file's folder; copy the logo into that folder"
        )
    try:
        data = _read_limited(path, LOGO_MAX_BYTES, advice=_LOGO_ADVICE)
        inspect_logo(data, path.suffix)
    except (_Refused, LogoError) as error:
        raise _Refused(f"{value[:80]!r} {error}") from None
    return path


def default_published() -> date:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` when that is set, for reproducible builds.

    With ``SOURCE_DATE_EPOCH=1735689600`` this is ``date(2025, 1, 1)``.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC).date()
    if not re.fullmatch(r"[0-9]{1,12}", epoch) or int(epoch) > _LATEST_EPOCH:
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a Unix time from 0 to {_LATEST_EPOCH} "
            "(whole seconds since 1970-01-01); set it to one, or unset it"
        )
    return datetime.fromtimestamp(int(epoch), UTC).date()


@dataclass(frozen=True)
class Clinic:
    """Who publishes the leaflet; shown in the page header and the "About" box."""

    name: str = setting(
        "Your clinic",
        help="The clinic's name: the page header and the PDF's author",
        max_length=120,
        required=True,
    )
    address: str = setting(
        "Clinic address not set (add it to leaflet.toml)",
        help="Postal address for the Contact us box; one line per line",
        max_length=400,
        lines=8,
    )
    phone: str = setting(
        "Clinic phone number not set (add it to leaflet.toml)",
        help="Phone number for the Contact us box",
        max_length=80,
    )
    website: str = setting(
        "",
        help="The clinic's web address, starting with https:// (empty: not shown)",
        max_length=300,
        check=_web_address,
    )
    logo: Path | None = setting(
        None,
        help="PNG, JPEG or SVG file, relative to this file and inside its folder",
        wanted="the name of a PNG, JPEG or SVG file",
        max_length=300,
        check=_logo,
        shown_default="none",
    )


@dataclass(frozen=True)
class SignOff:
    """What a clinic signs a leaflet off with: clinic-wide defaults that an article's own
    front matter may override. Empty text is not shown."""

    author: str = setting("", help="Who wrote the leaflets (name and role)", max_length=200)
    reviewer: str = setting(
        "", help="The clinician who reviewed them (name and role)", max_length=200
    )
    version: str = setting("", help='The leaflets\' version, such as "1.0"', max_length=40)
    feedback_email: str = setting(
        "",
        help="Email address for comments on a leaflet",
        max_length=254,
        check=_matches(_EMAIL, "leaflets@clinic.example"),
    )
    feedback_phone: str = setting(
        "",
        help="Phone number for comments on a leaflet",
        max_length=80,
        check=_all(_matches(_PHONE, "01632 960 001"), _phone),
    )
    other_formats: str = setting(
        "",
        help="Where to ask for large print, other languages or easy read (a sentence)",
        max_length=400,
    )


@dataclass(frozen=True)
class LeafletConfig:
    """Everything the renderers need besides the document itself."""

    clinic: Clinic = field(default_factory=Clinic)
    paper: Paper = setting("A4", help='Paper size: "A4", "A5" or "letter"')
    large_print: bool = setting(False, help="true: body text 18 pt instead of 14 pt")
    review_months: int = setting(
        12,
        help="The review date is the publication date plus this many months",
        wanted="a whole number of months from 1 to 60",
        check=_between(1, 60),
    )
    disclaimer: str = setting(
        DEFAULT_DISCLAIMER,
        help="Printed in the About this leaflet box",
        max_length=600,
        required=True,
    )
    published: date = setting(
        help="Publication date when an article gives none, such as 2025-03-01 (no quotes)",
        check=_date_in_range,
        factory=default_published,
        shown_default="the day of the build, or of SOURCE_DATE_EPOCH",
    )
    language: str = setting(
        "en",
        help='Language of the leaflets: "en" or a regional form such as "en-GB"',
        max_length=20,
        check=_language,
    )
    reading_level_note: bool = setting(
        False, help="true: print the reading level for staff in the About this leaflet box"
    )
    base_url: str = setting(
        "",
        help="Web address the HTML leaflets are published under, for a QR code (empty: no code)",
        max_length=200,
        check=_base_url,
    )
    signoff: SignOff = field(default_factory=SignOff)

    @property
    def review_by(self) -> date:
        """The publication date plus ``review_months`` (the day clamped to the month's end).

        >>> LeafletConfig(published=date(2024, 1, 31), review_months=1).review_by
        datetime.date(2024, 2, 29)
        """
        return add_months(self.published, self.review_months)


def add_months(day: date, months: int) -> date:
    """``day`` moved on by whole ``months``, clamped to the last day of the month.

    >>> add_months(date(2025, 3, 15), 12)
    datetime.date(2026, 3, 15)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- the declarations as data --------------------------------------------------------------

_KIND_OF_TYPE: dict[Any, Kind] = {
    str: "string", bool: "boolean", int: "integer", date: "date", Path | None: "string"
}  # fmt: skip
_WANTED: dict[Kind, str] = {
    "string": "text in quotes",
    "boolean": "true or false",
    "integer": "a whole number",
    "date": "a date such as 2025-03-01 (no quotes)",
}


@dataclass(frozen=True)
class Option:
    """One key of ``leaflet.toml``, as declared: where it goes, its TOML type, its default
    (``default_text`` as the README shows it), its help, and what a valid value is."""

    table: str  # "" for a top-level key
    key: str
    kind: Kind
    default: Any
    default_text: str
    help: str
    wanted: str
    choices: tuple[str, ...] = ()
    max_length: int = 0  # text: the most characters (0: not text)
    lines: int = 1  # text: the most lines
    required: bool = False  # text: may not be blank
    check: Check | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The key as messages name it: ``paper``, ``clinic.name``."""
        return f"{self.table}.{self.key}" if self.table else self.key

    @property
    def heading(self) -> str:
        """The key as the README's table shows it: ``paper``, ``[clinic] name``."""
        return f"[{self.table}] {self.key}" if self.table else self.key


def _tables() -> dict[str, type]:
    hints = get_type_hints(LeafletConfig)
    return {f.name: hints[f.name] for f in fields(LeafletConfig) if is_dataclass(hints[f.name])}


def _declared(cls: type, table: str) -> Iterator[Option]:
    hints = get_type_hints(cls)
    for item in fields(cls):
        if "leaflet" in item.metadata:
            yield _option(table, item, hints[item.name])


def _option(table: str, item: Field[Any], hint: Any) -> Option:
    spec: _Spec = item.metadata["leaflet"]
    literal = get_origin(hint) is Literal
    kind: Kind = "string" if literal else _KIND_OF_TYPE[hint]
    choices = tuple(get_args(hint)) if literal else ()
    wanted = spec.wanted or (f"one of {', '.join(choices)}" if literal else _WANTED[kind])
    default = None if item.default is MISSING else item.default
    shown = spec.shown_default or toml_value(default)
    check = spec.check
    if spec.max_length:
        text = _text(spec.max_length, lines=spec.lines, required=spec.required)
        check = _all(text, check) if check else text
    limits = (spec.max_length, spec.lines, spec.required)
    return Option(
        table, item.name, kind, default, shown, spec.help, wanted, choices, *limits, check
    )


def toml_value(value: Any) -> str:
    """A value as TOML writes it.

    >>> toml_value("A4"), toml_value(False), toml_value(12), toml_value(date(2025, 3, 1))
    ('"A4"', 'false', '12', '2025-03-01')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value.isoformat() if isinstance(value, date) else str(value)


TABLES: dict[str, type] = _tables()
OPTIONS: tuple[Option, ...] = (
    *_declared(LeafletConfig, ""),
    *(declared for name, cls in TABLES.items() for declared in _declared(cls, name)),
)
_BY_NAME = {declared.name: declared for declared in OPTIONS}


def option(name: str) -> Option:
    """The declared option called ``name`` (``"paper"``, ``"clinic.logo"``).

    >>> option("signoff.feedback_email").kind
    'string'
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ConfigError(_unknown(name, name.rpartition(".")[0])) from None


def options_text() -> str:
    """The options as an indented list, for this module's docstring."""
    return "\n".join(
        f"``{o.heading}`` ({o.kind}, default {o.default_text})\n    {o.help}." for o in OPTIONS
    )


__doc__ = (__doc__ or "").replace("{options}", options_text())


# --- checking values ---------------------------------------------------------------------


def check_option(name: str, value: object, *, folder: Path = Path(".")) -> str | None:
    """The one-line message for a bad value of option ``name``, or ``None`` if it is good.

    ``value`` is what TOML gives, or the text a form field holds (``"true"``, ``"12"``,
    ``"2025-03-01"``); a logo is looked for in ``folder``.

    >>> check_option("review_months", "12") is None
    True
    >>> check_option("signoff.feedback_email", "nobody")
    "signoff.feedback_email 'nobody' is not valid; write it like leaflets@clinic.example"
    """
    try:
        parse_option(name, value, folder=folder)
    except ConfigError as error:
        return str(error)
    return None


def parse_option(name: str, value: object, *, folder: Path = Path(".")) -> Any:
    """The value to use for option ``name`` from a TOML value or a form's text;
    :class:`ConfigError` (a one-line message) if it is not valid."""
    known = option(name)
    if isinstance(value, str) and known.kind != "string":
        value = _from_text(value, known.kind)
    try:
        return _convert(known, value, folder)
    except _Refused as error:
        raise ConfigError(str(error)) from None


def _from_text(text: str, kind: Kind) -> Any:
    """A form's text as a value of ``kind``; left as text (and then refused) if it is not one."""
    text = text.strip()
    try:
        if kind == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if kind == "integer" and re.fullmatch(r"[+-]?[0-9]{1,9}", text):
            return int(text)
        if kind == "date" and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    return text


def _convert(known: Option, value: object, folder: Path) -> Any:
    if not _is_kind(value, known.kind) or (known.choices and value not in known.choices):
        raise _Refused(f"{known.name} must be {known.wanted}, not {_shown(value)}")
    if known.check is None:
        return value
    try:
        return known.check(value, folder)
    except _Refused as error:
        raise _Refused(f"{known.name} {error}") from None


def _is_kind(value: object, kind: Kind) -> bool:
    # bool is a subclass of int, and datetime of date: neither is what was meant.
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, {"string": str, "boolean": bool}[kind])


def _shown(value: object) -> str:
    text = toml_value(value) if isinstance(value, bool | date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unknown(name: str, table: str = "") -> str:
    known = [o.name for o in OPTIONS if o.table == table] + ([] if table else list(TABLES))
    close = difflib.get_close_matches(name[:100], known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {name[:60]!r}{hint}; remove it (known keys: {', '.join(known)})"


# --- loading -----------------------------------------------------------------------------


def load_config(path: Path | None = None) -> LeafletConfig:
    """Read settings from ``path``, or from ``./leaflet.toml`` if it exists, else defaults.

    >>> load_config(Path("/nonexistent/leaflet.toml"))
    Traceback (most recent call last):
    pipeline.errors.ConfigError: /nonexistent/leaflet.toml: does not exist; check the --config path
    """
    advice = _GIVEN_ADVICE
    if path is None:
        path, advice = Path(CONFIG_NAME), _DEFAULT_ADVICE
        if not os.path.lexists(path):
            return LeafletConfig()
    try:
        return _parse(_toml_data(_config_text(path, advice)), path.absolute().parent)
    except _Refused as error:
        raise ConfigError(f"{path}: {error}") from None


def read_config(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of the config file at ``path`` and the TOML data in it, its values not
    yet checked (for an editor that keeps the file's comments; :func:`parse_config`
    checks them). :class:`ConfigError` naming the file, as :func:`load_config` says it,
    for a file that cannot be read, is not UTF-8 or is not TOML."""
    try:
        text = _config_text(path)
        return text, _toml_data(text)
    except _Refused as error:
        raise ConfigError(f"{path}: {error}") from None


def config_from_text(text: str, *, folder: Path = Path(".")) -> LeafletConfig:
    """The config a file holding ``text`` gives, checked as :func:`load_config` checks the
    file (its size, its keys, every value); :class:`ConfigError` (without a file name)
    if it cannot be used. For an editor: what it writes, the command line can read."""
    try:
        _refuse_over(len(text.encode("utf-8")), CONFIG_MAX_BYTES)
        return _parse(_toml_data(text), folder)
    except _Refused as error:
        raise ConfigError(str(error)) from None


def parse_toml(data: bytes) -> dict[str, Any]:
    """The TOML document in ``data``, read safely (leaflet's own files are all TOML);
    a :class:`ValueError` saying what is wrong, to follow the file's name, if it is not.

    >>> parse_toml(b"a = 1")
    {'a': 1}
    """
    return _toml_data(_utf8(data))


def _config_text(path: Path, advice: str = _GIVEN_ADVICE) -> str:
    return _utf8(_read_limited(path, CONFIG_MAX_BYTES, advice=advice))


def _utf8(data: bytes) -> str:
    try:
        return codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Refused(
            f"is not UTF-8 text (byte 0x{data[error.start]:02X} at position {error.start}); "
            "save it as UTF-8"
        ) from None


def _toml_data(text: str) -> dict[str, Any]:
    if _DEEP_KEY.search(text):
        raise _Refused(f"has a key of more than {_KEY_PARTS} dotted parts; leaflet's keys have two")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _Refused(f"is not valid TOML ({error}); fix the syntax") from None
    except ValueError:  # tomllib's own, for an integer of more than 4,300 digits
        raise _Refused("has a number too long to read; fix it") from None
    except RecursionError:  # arrays or inline tables nested hundreds deep
        raise _Refused("nests values too deeply; leaflet's settings are not nested") from None


def _read_limited(path: Path, limit: int, *, advice: str = "") -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them
    (:func:`pipeline.files.read_regular`): a folder, a pipe, a device (``/dev/zero``) or
    a huge file is refused rather than read."""
    tail = f"; {advice}" if advice else ""
    try:
        return read_regular(path, limit)
    except TooLarge:
        raise _Refused(_over(limit)) from None
    except FileNotFoundError:
        raise _Refused(f"{link_to_nothing(path) or 'does not exist'}{tail}") from None
    except IsADirectoryError:
        raise _Refused(f"is a folder, not a file{tail}") from None
    except NotRegular:
        raise _Refused(f"is not a regular file (a pipe or device){tail}") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _Refused(LINK_LOOP) from None
        raise _Refused(f"cannot be read ({error.strerror}){tail}") from None


def _refuse_over(size: int, limit: int) -> None:
    if size > limit:
        raise _Refused(_over(limit))


def _over(limit: int) -> str:
    return f"is over the limit of {limit:,} bytes; use a smaller file"


def parse_config(data: Mapping[str, Any], *, folder: Path = Path(".")) -> LeafletConfig:
    """The config that TOML ``data`` describes, every value checked; ``folder`` is where
    a logo is looked for. :class:`ConfigError` (without a file name) if any is wrong."""
    try:
        return _parse(data, folder)
    except _Refused as error:
        raise ConfigError(str(error)) from None


def _parse(data: Mapping[str, Any], folder: Path) -> LeafletConfig:
    _refuse_unknown(data)
    values: dict[str, dict[str, Any]] = {"": {}, **{name: {} for name in TABLES}}
    for known in OPTIONS:
        source = data.get(known.table, {}) if known.table else data
        if known.key in source:
            values[known.table][known.key] = _convert(known, source[known.key], folder)
    tables = {name: cls(**values[name]) for name, cls in TABLES.items()}
    return LeafletConfig(**values[""], **tables)


def _refuse_unknown(data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if key in TABLES:
            if not isinstance(value, dict):
                raise _Refused(f"{key} must be a [{key}] table, not {_shown(value)}")
            for inner in value:
                if f"{key}.{inner}" not in _BY_NAME:
                    raise _Refused(_unknown(f"{key}.{inner}", key))
        elif key not in _BY_NAME:
            raise _Refused(_unknown(key))


def apply_overrides(
    config: LeafletConfig, *, paper: str | None = None, large_print: bool | None = None
) -> LeafletConfig:
    """A copy of ``config`` with the command line's ``--paper`` / ``--large-print`` applied.

    >>> apply_overrides(LeafletConfig(), paper="A5").paper
    'A5'
    """
    changes: dict[str, Any] = {"paper": paper, "large_print": large_print}
    checked = {}
    for name, value in changes.items():
        if value is not None:
            try:
                checked[name] = parse_option(name, value)
            except ConfigError as error:
                raise ConfigError(f"--{name.replace('_', '-')}: {error}") from None
    return replace(config, **checked)


# --- the logo and the fingerprint ------------------------------------------------------------


def logo_image(path: Path) -> LogoImage:
    """The logo at ``path`` as the leaflet embeds it, checked again (the file may have
    changed since the config was loaded) and scaled down once per process and version
    of the file, not once per article; :class:`ConfigError` if it is no longer good."""
    try:
        info = path.stat()
        return _logo_image(path, info.st_mtime_ns, info.st_size)
    except (OSError, _Refused, LogoError) as error:
        reason = f"cannot be read ({error.strerror})" if isinstance(error, OSError) else error
        raise ConfigError(f"clinic.logo {str(path)!r} {reason}") from None


@lru_cache(maxsize=8)
def _logo_image(path: Path, mtime_ns: int, size: int) -> LogoImage:
    data = _read_limited(path, LOGO_MAX_BYTES)
    return fit_logo(data, inspect_logo(data, path.suffix))


def config_fingerprint(config: LeafletConfig) -> str:
    """A stable hex digest of every setting and the logo's bytes, for incremental builds.

    >>> len(config_fingerprint(LeafletConfig(published=date(2025, 1, 1))))
    64
    """
    settings = asdict(config)
    logo = config.clinic.logo
    settings["clinic"]["logo"] = str(logo) if logo else None
    settings["logo_sha256"] = hashlib.sha256(_logo_bytes(logo)).hexdigest() if logo else None
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _logo_bytes(path: Path) -> bytes:
    try:
        return _read_limited(path, LOGO_MAX_BYTES)
    except _Refused as error:
        raise ConfigError(f"clinic.logo {str(path)!r} {error}") from None
