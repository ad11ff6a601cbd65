"""pipeline.config: loading leaflet.toml, defaults, overrides, errors, fingerprints."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pipeline.config import (
    DEFAULT_DISCLAIMER,
    Clinic,
    LeafletConfig,
    add_months,
    apply_overrides,
    config_fingerprint,
    default_published,
    load_config,
)
from pipeline.errors import ConfigError

FULL = """\
paper = "A5"
large_print = true
review_months = 24
disclaimer = "Ask us anything."
published = 2025-03-05
language = "en-GB"

[clinic]
name = "Riverside Surgery"
address = "1 River Lane\\nExampletown"
phone = "01632 960 000"
website = "https://riverside.example"
logo = "images/logo.png"
"""


def write(folder: Path, text: str, name: str = "leaflet.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def logo_folder(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(b"\x89PNG fake logo")
    return tmp_path


def test_full_file(logo_folder: Path) -> None:
    config = load_config(write(logo_folder, FULL))
    assert config == LeafletConfig(
        clinic=Clinic(
            name="Riverside Surgery",
            address="1 River Lane\nExampletown",
            phone="01632 960 000",
            website="https://riverside.example",
            logo=(logo_folder / "images" / "logo.png").resolve(),
        ),
        paper="A5",
        large_print=True,
        review_months=24,
        disclaimer="Ask us anything.",
        published=date(2025, 3, 5),
        language="en-GB",
    )
    assert config.review_by == date(2027, 3, 5)


def test_logo_is_relative_to_the_config_file(logo_folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = write(logo_folder, '[clinic]\nlogo = "images/logo.png"\n')
    # the working directory does not matter, only the file's folder
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(elsewhere)
        assert load_config(path).clinic.logo == (logo_folder / "images" / "logo.png").resolve()


@pytest.mark.parametrize("content", [None, "", "[clinic]\n"])
def test_defaults(content: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    if content is not None:
        write(tmp_path, content)
    config = load_config(None)
    assert config == LeafletConfig(published=date(2025, 1, 1))
    assert (config.paper, config.large_print, config.review_months) == ("A4", False, 12)
    assert config.clinic.name == "Your clinic" and "not set" in config.clinic.phone
    assert config.disclaimer == DEFAULT_DISCLAIMER and config.language == "en"


def test_reads_leaflet_toml_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, 'paper = "letter"\n')
    assert load_config(None).paper == "letter"


@pytest.mark.parametrize(
    ("epoch", "day"),
    [("0", date(1970, 1, 1)), ("1735689600", date(2025, 1, 1)), (" 1735775999 ", date(2025, 1, 1))],
)
def test_source_date_epoch(epoch: str, day: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert default_published() == day


def test_bad_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        default_published()


# (label, file content, words the one-line message must contain)
ERRORS = [
    ("unknown top key", 'papr = "A4"\n', ["'papr'", "remove it", "paper"]),
    ("unknown clinic key", '[clinic]\nfax = "1"\n', ["'clinic.fax'", "remove it"]),
    ("unknown table", "[fonts]\nbody = 1\n", ["'fonts'"]),
    ("bad paper", 'paper = "A3"\n', ["paper", "'A3'", "A4, A5, letter"]),
    ("paper case", 'paper = "a4"\n', ["paper", "'a4'"]),
    ("paper not a string", "paper = 4\n", ["paper must be", "4"]),
    ("large_print as string", 'large_print = "yes"\n', ["large_print must be true or false"]),
    ("review_months as bool", "review_months = true\n", ["review_months must be"]),
    ("review_months as float", "review_months = 1.5\n", ["review_months must be"]),
    ("review_months too big", "review_months = 120\n", ["review_months", "1 to 60"]),
    ("review_months zero", "review_months = 0\n", ["review_months"]),
    ("empty disclaimer", 'disclaimer = "  "\n', ["disclaimer", "not be empty"]),
    ("published as string", 'published = "2025-03-05"\n', ["published must be a date"]),
    ("published as datetime", "published = 2025-03-05T10:00:00\n", ["published must be a date"]),
    ("bad language", 'language = "English"\n', ["language", "'English'"]),
    ("clinic not a table", 'clinic = "Riverside"\n', ["clinic must be a [clinic] table"]),
    ("empty clinic name", '[clinic]\nname = ""\n', ["clinic.name", "non-empty"]),
    ("website without scheme", '[clinic]\nwebsite = "riverside.example"\n', ["https://"]),
    ("website javascript", '[clinic]\nwebsite = "javascript:alert(1)"\n', ["clinic.website"]),
    (
        "missing logo",
        '[clinic]\nlogo = "nope.png"\n',
        ["clinic.logo", "nope.png", "does not exist"],
    ),
    ("logo not an image", '[clinic]\nlogo = "leaflet.toml"\n', ["clinic.logo", "PNG, JPEG or SVG"]),
    ("logo not a string", "[clinic]\nlogo = 3\n", ["clinic.logo must be"]),
    ("not TOML", "paper = \n", ["not valid TOML"]),
]


@pytest.mark.parametrize(("content", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors(content: str, words: list[str], tmp_path: Path) -> None:
    path = write(tmp_path, content)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    for word in words:
        assert word in message


def test_missing_file_named_on_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("paper", "large_print", "expected"),
    [
        (None, None, ("A4", False)),
        ("A5", None, ("A5", False)),
        (None, True, ("A4", True)),
        ("letter", False, ("letter", False)),
    ],
)
def test_overrides(paper: str | None, large_print: bool | None, expected: tuple[str, bool]) -> None:
    base = LeafletConfig(published=date(2025, 1, 1))
    new = apply_overrides(base, paper=paper, large_print=large_print)
    assert (new.paper, new.large_print) == expected
    assert base.paper == "A4"  # a new object; the old one is unchanged


@pytest.mark.parametrize("paper", ["A3", "a4", ""])
def test_bad_paper_override(paper: str) -> None:
    with pytest.raises(ConfigError, match="--paper"):
        apply_overrides(LeafletConfig(), paper=paper)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 3, 5), 12, date(2026, 3, 5)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_fingerprint_is_stable_and_sensitive(logo_folder: Path) -> None:
    config = load_config(write(logo_folder, FULL))
    first = config_fingerprint(config)
    assert first == config_fingerprint(load_config(logo_folder / "leaflet.toml"))
    changed = {
        config_fingerprint(replace(config, paper="A4")),
        config_fingerprint(replace(config, large_print=False)),
        config_fingerprint(replace(config, published=date(2025, 3, 6))),
        config_fingerprint(replace(config, clinic=replace(config.clinic, phone="0"))),
    }
    assert first not in changed and len(changed) == 4
    assert config.clinic.logo is not None
    config.clinic.logo.write_bytes(b"\x89PNG another logo")
    assert config_fingerprint(config) != first


def test_the_example_settings_file_is_valid() -> None:
    example = Path(__file__).parent.parent / "leaflet.example.toml"
    config = load_config(example)
    assert config.clinic.name == "Riverside Surgery"
    assert config.paper == "A4" and not config.reading_level_note
