"""Frozen, documented settings for publishing leaflets.

Settings come from ``leaflet.toml`` (in the working directory, or the file given with
``--config``); the command line may then override ``paper`` and ``large_print`` with
:func:`apply_overrides`. Every key is listed below; any other key, a value of the wrong
type, a paper size we do not know or a logo file that does not exist raises
:class:`~pipeline.errors.ConfigError` with a one-line message naming the file, the key
and what to do.

==================  =======  =========================  ============================================
Key                 Type     Default                    Meaning
==================  =======  =========================  ============================================
paper               string   "A4"                       "A4", "A5" or "letter"
large_print         boolean  false                      body text 18 pt instead of 14 pt
review_months       integer  12                         review date = publication + this (1 to 60)
disclaimer          string   DEFAULT_DISCLAIMER         printed in the "About this leaflet" box
published           date     today / SOURCE_DATE_EPOCH  publication date, e.g. 2025-03-01
language            string   "en"                       BCP 47 tag for <html lang> and the PDF
reading_level_note  boolean  false                      print the reading level for staff in the box
[clinic] name       string   "Your clinic"              page header and PDF author
[clinic] address    string   placeholder text           "About this leaflet" box
[clinic] phone      string   placeholder text           "About this leaflet" box
[clinic] website    string   "" (not shown)             full address starting with https://
[clinic] logo       string   none                       PNG, JPEG or SVG; relative to this file
==================  =======  =========================  ============================================

The placeholders are meant to be noticed on a proof: a clinic sets its own details
before printing. Example::

    paper = "A5"
    large_print = true

    [clinic]
    name = "Riverside Surgery"
    phone = "01632 960 000"
    logo = "logo.png"
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import re
import tomllib
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from pipeline.errors import ConfigError

Paper = Literal["A4", "A5", "letter"]
PAPERS: tuple[Paper, ...] = get_args(Paper)
CONFIG_NAME = "leaflet.toml"
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
DEFAULT_DISCLAIMER = (
    "This leaflet is general information. It does not replace advice from your own "
    "clinician: talk to them about your care."
)
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def default_published() -> date:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` when that is set, for reproducible builds.

    With ``SOURCE_DATE_EPOCH=1735689600`` this is ``date(2025, 1, 1)``.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC).date()
    if not epoch.isdigit():
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds; "
            "set it to a Unix timestamp or unset it"
        )
    return datetime.fromtimestamp(int(epoch), UTC).date()


@dataclass(frozen=True)
class Clinic:
    """Who publishes the leaflet; shown in the page header and the "About" box."""

    name: str = "Your clinic"
    address: str = "Clinic address not set (add it to leaflet.toml)"
    phone: str = "Clinic phone number not set (add it to leaflet.toml)"
    website: str = ""
    logo: Path | None = None


@dataclass(frozen=True)
class LeafletConfig:
    """Everything the renderers need besides the document itself."""

    clinic: Clinic = field(default_factory=Clinic)
    paper: Paper = "A4"
    large_print: bool = False
    review_months: int = 12
    disclaimer: str = DEFAULT_DISCLAIMER
    published: date = field(default_factory=default_published)
    language: str = "en"
    reading_level_note: bool = False

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


# key -> (expected Python type, what to write in the message)
_TOP_KEYS: dict[str, tuple[type, str]] = {
    "paper": (str, "a string: A4, A5 or letter"),
    "large_print": (bool, "true or false"),
    "review_months": (int, "a whole number of months from 1 to 60"),
    "disclaimer": (str, "a non-empty string"),
    "published": (date, "a date such as 2025-03-01 (no quotes)"),
    "language": (str, 'a language tag such as "en" or "en-GB"'),
    "reading_level_note": (bool, "true or false"),
    "clinic": (dict, "a [clinic] table"),
}
_CLINIC_KEYS: dict[str, tuple[type, str]] = {
    "name": (str, "a non-empty string"),
    "address": (str, "a string"),
    "phone": (str, "a string"),
    "website": (str, 'a web address starting with "https://"'),
    "logo": (str, "a path to a PNG, JPEG or SVG file"),
}


def load_config(path: Path | None = None) -> LeafletConfig:
    """Read settings from ``path``, or from ``./leaflet.toml`` if it exists, else defaults.

    >>> load_config(Path("/nonexistent/leaflet.toml"))
    Traceback (most recent call last):
    pipeline.errors.ConfigError: /nonexistent/leaflet.toml: file not found; check the --config path
    """
    if path is None:
        path = Path(CONFIG_NAME)
        if not path.is_file():
            return LeafletConfig()
    return _parse(path, _read_toml(path))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; check the --config path") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error}); fix the syntax") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None


def _parse(path: Path, data: dict[str, Any]) -> LeafletConfig:
    _check_keys(path, data, _TOP_KEYS, prefix="")
    clinic_data = data.get("clinic", {})
    _check_keys(path, clinic_data, _CLINIC_KEYS, prefix="clinic.")
    values = {k: v for k, v in data.items() if k != "clinic"}
    clinic = _clinic(path, clinic_data)
    config = LeafletConfig(clinic=clinic, **values)
    _check_values(path, config)
    return config


def _check_keys(
    path: Path, data: dict[str, Any], allowed: dict[str, tuple[type, str]], *, prefix: str
) -> None:
    for key, value in data.items():
        if key not in allowed:
            known = ", ".join(prefix + k for k in allowed)
            raise ConfigError(
                f"{path}: unknown key {prefix + key!r}; remove it (known keys: {known})"
            )
        expected, wanted = allowed[key]
        # bool is a subclass of int, and datetime of date: neither is what was meant.
        wrong_kind = isinstance(value, bool) and expected is not bool
        if not isinstance(value, expected) or wrong_kind or isinstance(value, datetime):
            raise ConfigError(f"{path}: {prefix}{key} must be {wanted}, not {value!r}")


def _clinic(path: Path, data: dict[str, Any]) -> Clinic:
    values = {k: v for k, v in data.items() if k != "logo"}
    logo = data.get("logo")
    clinic = Clinic(**values, logo=_logo_path(path, logo) if logo is not None else None)
    if not clinic.name.strip():
        raise ConfigError(f"{path}: clinic.name must be a non-empty string; set your clinic's name")
    if clinic.website and not clinic.website.startswith(("https://", "http://")):
        raise ConfigError(
            f"{path}: clinic.website {clinic.website!r} must start with https://; "
            "write the full address"
        )
    return clinic


def _logo_path(path: Path, logo: str) -> Path:
    resolved = (path.parent / logo).resolve()
    if resolved.suffix.lower() not in LOGO_SUFFIXES:
        raise ConfigError(f"{path}: clinic.logo {logo!r} must be a PNG, JPEG or SVG file")
    if not resolved.is_file():
        raise ConfigError(
            f"{path}: clinic.logo file {str(resolved)!r} does not exist; "
            "fix the path (relative to the config file) or remove the key"
        )
    return resolved


def _check_values(path: Path | str, config: LeafletConfig) -> None:
    if config.paper not in PAPERS:
        raise ConfigError(f"{path}: paper {config.paper!r} is not one of A4, A5, letter; pick one")
    if not 1 <= config.review_months <= 60:
        raise ConfigError(f"{path}: review_months must be from 1 to 60, not {config.review_months}")
    if not config.disclaimer.strip():
        raise ConfigError(f"{path}: disclaimer must not be empty; remove the key for the default")
    if not _LANGUAGE_RE.fullmatch(config.language):
        raise ConfigError(
            f'{path}: language {config.language!r} is not a language tag; use e.g. "en"'
        )


def apply_overrides(
    config: LeafletConfig, *, paper: str | None = None, large_print: bool | None = None
) -> LeafletConfig:
    """A copy of ``config`` with the command line's ``--paper`` / ``--large-print`` applied.

    >>> apply_overrides(LeafletConfig(), paper="A5").paper
    'A5'
    """
    if paper is not None and paper not in PAPERS:
        raise ConfigError(f"--paper {paper!r} is not one of A4, A5, letter; pick one")
    new = config
    if paper is not None:
        new = replace(new, paper=paper)
    if large_print is not None:
        new = replace(new, large_print=large_print)
    return new


def config_fingerprint(config: LeafletConfig) -> str:
    """A stable hex digest of every setting and the logo's bytes, for incremental builds.

    >>> len(config_fingerprint(LeafletConfig(published=date(2025, 1, 1))))
    64
    """
    settings = asdict(config)
    logo = config.clinic.logo
    settings["clinic"]["logo"] = str(logo) if logo else None
    settings["logo_sha256"] = hashlib.sha256(logo.read_bytes()).hexdigest() if logo else None
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
