"""The settings page over HTTP: the form is the config's declarations, a bad value is the
config's own message beside its field, and saving keeps what the clinic wrote by hand."""

from __future__ import annotations

import html
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from pipeline.config import (
    OPTIONS,
    check_option,
    load_config,
    option,
    parse_config,
    parse_option,
)
from pipeline.errors import ConfigError
from pipeline.studio.settings import Field, fields
from tests.studio.conftest import Client

# A good value for every option, as a form's text (a test below checks none is missing).
GOOD = {
    "paper": "letter",
    "large_print": "true",
    "review_months": "24",
    "disclaimer": "Ask us about anything in this leaflet.",
    "published": "2025-03-05",
    "language": "en-gb",
    "reading_level_note": "true",
    "base_url": "https://riverside.example/leaflets",
    "clinic.name": "Riverside Surgery",
    "clinic.address": "1 River Lane\r\nExampletown\r\nEX1 2AB",
    "clinic.phone": "01632 960 000",
    "clinic.website": "https://riverside.example",
    "clinic.logo": "images/logo.png",
    "signoff.author": "Dr Asha Patel, GP",
    "signoff.reviewer": "Sam Jones, Practice Nurse",
    "signoff.version": "2.1",
    "signoff.feedback_email": "leaflets@riverside.example",
    "signoff.feedback_phone": "+44 1632 960 001 ext. 4",
    "signoff.other_formats": "Ask at reception for large print or another language.",
}

# Bad values: every kind of check, on every table.
BAD = [
    ("clinic.website", "ftp://x.example"),
    ("clinic.name", "R" * 121),
    ("clinic.address", "\n".join(["line"] * 9)),
    ("clinic.phone", "ring\x07us"),
    ("clinic.logo", "missing.png"),
    ("clinic.logo", "../outside.png"),
    ("clinic.logo", "images/fake.png"),
    ("review_months", "0"),
    ("review_months", "twelve"),
    ("paper", "B5"),
    ("published", "2025-02-30"),
    ("published", "1850-01-01"),
    ("language", "English!"),
    ("base_url", "https://x.example/?q=1"),
    ("signoff.feedback_email", "nobody"),
    ("signoff.feedback_phone", "call us"),
    ("signoff.version", "v" * 41),
]

COMMENTED = """\
# Riverside's leaflets: ask Sam before changing the paper.
paper = "A5"  # the practice prints A5
papr = "A4"

[clinic]
# The name as the sign outside says it.
name = "Riverside Surgery"
fax = "01632 960 999"

[extra]
colour = "green"
"""


def _post(client: Client, values: dict[str, str]) -> tuple[int, str]:
    response = client.http.post("/settings", data={"csrf_token": client.token, **values})
    return response.status_code, response.text


def _field_error(page: str, name: str) -> str | None:
    field_id = "f-" + name.replace(".", "-")
    found = re.search(rf'id="{field_id}-error"><strong>Error:</strong> (.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def _page_values(page: str) -> dict[str, str]:
    """What a browser would send back: every field as the page shows it."""
    values: dict[str, str] = {}
    for name, control in _controls(page).items():
        if control["tag"] == "input" and control.get("type") == "checkbox":
            if "checked" in control:
                values[name] = control["value"]
        else:
            values[name] = control.get("value", control.get("text", ""))
    return values


class _Form(HTMLParser):
    """The form's controls by name: the tag, its attributes, a textarea's text, and a
    select's options (``|A4|A5|letter``) with the one chosen as its ``value``."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: dict[str, dict[str, str]] = {}
        self.open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in ("input", "select", "textarea") and found.get("name", "csrf_token") != (
            "csrf_token"
        ):
            self.controls[found["name"]] = self.open = {"tag": tag, **found, "text": ""}
            self.open["options"] = ""
        elif tag == "option" and self.open is not None:
            self.open["options"] += "|"
            if "selected" in found:
                self.open["selecting"] = "1"

    def handle_data(self, data: str) -> None:
        if self.open is None:
            return
        if self.open["tag"] == "textarea":
            self.open["text"] += data
        elif self.open["tag"] == "select" and data.strip():
            self.open["options"] += data.strip()
            if self.open.pop("selecting", ""):
                self.open["value"] = data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("select", "textarea"):
            self.open = None


def _controls(page: str) -> dict[str, dict[str, str]]:
    parser = _Form()
    parser.feed(page)
    return parser.controls


@pytest.fixture
def logo(client: Client) -> Path:
    folder = client.studio.config_path.parent / "images"
    folder.mkdir()
    Image.new("RGB", (120, 40), "navy").save(folder / "logo.png")
    (folder / "fake.png").write_bytes(b"GIF89a not a png")
    (client.studio.config_path.parent / "outside.png").write_bytes(b"")
    return folder / "logo.png"


# ---------------------------------------------------------------- the form


def test_every_option_is_a_field_with_its_declaration(client: Client) -> None:
    page = client.http.get("/settings").text
    controls = _controls(page)
    assert set(controls) == {o.name for o in OPTIONS}
    for declared in OPTIONS:
        control = controls[declared.name]
        hint = re.search(rf'id="{control["id"]}-help">(.*?)</p>', page, re.S)
        assert hint and declared.help.removeprefix("true: ") in html.unescape(hint.group(1))
        assert control["aria-describedby"].startswith(f"{control['id']}-help")
        expected_tag = "textarea" if declared.lines > 1 else "input"
        expected_tag = "select" if declared.choices else expected_tag
        assert control["tag"] == expected_tag, declared.name
        if declared.choices:
            assert control["options"].split("|")[1:] == list(declared.choices)
        if declared.kind == "string" and not declared.choices:
            assert control["maxlength"] == str(declared.max_length), declared.name
        assert (control.get("type") == "checkbox") == (declared.kind == "boolean")


def test_every_option_has_a_good_value_here() -> None:
    assert set(GOOD) == {o.name for o in OPTIONS}


@pytest.mark.parametrize(
    ("key", "label", "empty"),
    [
        ("clinic.name", "Name", "Empty: “Your clinic”."),
        ("base_url", "Base URL", ""),
        ("signoff.feedback_email", "Feedback email", ""),
        ("review_months", "Review months", "Empty: 12."),
        ("published", "Published", "Empty: the day of the build, or of SOURCE_DATE_EPOCH."),
        ("paper", "Paper", ""),
        ("large_print", "Large print", ""),
    ],
)
def test_labels_and_hints_come_from_the_declarations(key: str, label: str, empty: str) -> None:
    (field,) = [f for f in fields() if f.name == key]
    assert field == Field(option(key))
    assert field.label == label
    assert field.hint.startswith(option(key).help) or field.hint == "Ticked: " + (
        option(key).help.removeprefix("true: ") + "."
    )
    assert field.hint.endswith(empty) and ("Empty:" in field.hint) == bool(empty)


# ---------------------------------------------------------------- saving


def test_good_values_are_saved_and_load(client: Client, logo: Path) -> None:
    status, page = _post(client, GOOD)
    assert status == 200 and "Saved." in page
    path = client.studio.config_path
    config = load_config(path)
    folder = path.parent
    for declared in OPTIONS:
        table = getattr(config, declared.table) if declared.table else config
        text = GOOD[declared.name].replace("\r\n", "\n")
        assert getattr(table, declared.key) == parse_option(declared.name, text, folder=folder)
    written = tomllib.loads(path.read_text("utf-8"))
    assert written["clinic"]["logo"] == "images/logo.png"  # as typed, not resolved
    assert oct(path.stat().st_mode)[-3:] in ("644", "664", "666")  # as any file the user saves
    preview = client.http.get("/leaflet/folder/botox-beyond-beauty.txt?format=html").text
    assert "Riverside Surgery" in preview and "01632 960 000" in preview
    again = _page_values(client.http.get("/settings").text)
    assert again["clinic.address"] == GOOD["clinic.address"].replace("\r\n", "\n")
    assert _post(client, again)[0] == 200 and load_config(path) == config


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_value_is_the_configs_message_beside_its_field_and_nothing_is_saved(
    client: Client, logo: Path, name: str, value: str
) -> None:
    path = client.studio.config_path
    path.write_text('[clinic]\nname = "Riverside Surgery"\n', "utf-8")
    before = path.read_bytes()
    status, page = _post(client, {"clinic.name": "Hillside", name: value})
    assert status == 400
    expected = check_option(name, value.strip(), folder=path.parent)
    assert expected is not None and _field_error(page, name) == expected
    field_id = "f-" + name.replace(".", "-")
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', page)
    assert [_field_error(page, o.name) for o in OPTIONS].count(None) == len(OPTIONS) - 1
    assert "Nothing was saved" in page
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir() if p.is_file()) == [
        "leaflet.toml",
        "outside.png",
    ]


@pytest.mark.parametrize(
    "value",
    ['St "Mary\'s"', "back\\slash", 'three """ quotes', 'trailing quote"', "Ωmega – “curly”"],
)
def test_awkward_text_is_written_as_valid_toml(client: Client, value: str) -> None:
    address = f"{value}\r\n{value}"
    assert _post(client, {"clinic.name": value, "clinic.address": address})[0] == 200
    clinic = load_config(client.studio.config_path).clinic
    assert (clinic.name, clinic.address) == (value, f"{value}\n{value}")


def test_an_empty_field_removes_its_key(client: Client) -> None:
    path = client.studio.config_path
    path.write_text('review_months = 6\n[clinic]\nname = "Riverside"\nphone = "0"\n', "utf-8")
    values = {**_page_values(client.http.get("/settings").text), "review_months": ""}
    values["clinic.phone"] = "01632 960 000"
    assert _post(client, values)[0] == 200
    data = tomllib.loads(path.read_text("utf-8"))
    assert data == {"clinic": {"name": "Riverside", "phone": "01632 960 000"}}
    assert load_config(path).review_months == 12


def test_saving_keeps_comments_and_turns_strays_into_comments(client: Client) -> None:
    path = client.studio.config_path
    path.write_text(COMMENTED, "utf-8")
    page = client.http.get("/settings").text
    assert "The settings file has a problem" in page
    assert "Saving keeps papr, clinic.fax, extra as comments" in html.unescape(page)
    values = {**_page_values(page), "clinic.phone": "01632 960 000"}
    assert values["paper"] == "A5" and values["clinic.name"] == "Riverside Surgery"
    assert _post(client, values)[0] == 200
    text = path.read_text("utf-8")
    config = load_config(path)
    assert (config.paper, config.clinic.name, config.clinic.phone) == (
        "A5",
        "Riverside Surgery",
        "01632 960 000",
    )
    for line in COMMENTED.splitlines():  # every line is kept, as itself or as a comment
        assert line in text.splitlines() or f"# {line}" in text.splitlines(), line
    assert 'paper = "A5"  # the practice prints A5' in text
    assert "The settings file has a problem" not in client.http.get("/settings").text


# ---------------------------------------------------------------- files that cannot be used

UNUSABLE = [
    ("not UTF-8", b'[clinic]\nname = "Caf\xe9"\n', True),
    ("not TOML", b'paper = "A5\n', True),
    ("a bad value", b'paper = "B5"\n', False),
    ("a bad table", b'clinic = "Riverside"\n', False),
    ("an unknown key", b'paper = "A5"\npapr = "A4"\n', False),
]


@pytest.mark.parametrize(
    ("data", "replaces"), [u[1:] for u in UNUSABLE], ids=[u[0] for u in UNUSABLE]
)
def test_a_file_that_cannot_be_used_is_reported_not_a_crash(
    client: Client, data: bytes, replaces: bool
) -> None:
    path = client.studio.config_path
    path.write_bytes(data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    page = client.http.get("/settings")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "The settings file has a problem" in text and str(caught.value) in text
    assert ("Saving this form replaces the file" in text) == replaces
    preview = client.http.get("/leaflet/folder/botox-beyond-beauty.txt?format=pdf")
    assert preview.status_code == 422 and str(caught.value) in html.unescape(preview.text)
    assert path.read_bytes() == data  # looking changes nothing


def test_a_bad_value_in_the_file_is_shown_beside_its_field(client: Client) -> None:
    path = client.studio.config_path
    path.write_text('paper = "B5"\nreview_months = "12"\n', "utf-8")
    page = client.http.get("/settings").text
    for name, value in [("paper", "B5"), ("review_months", "12")]:  # TOML text, not a number
        with pytest.raises(ConfigError) as caught:
            parse_config({name: value})
        assert _field_error(page, name) == str(caught.value)
        assert _page_values(page)[name] == value  # shown as it is, to be corrected
    assert _post(client, _page_values(page))[0] == 400  # still wrong: nothing saved


def test_an_unreadable_file_is_replaced_only_when_saved(client: Client) -> None:
    path = client.studio.config_path
    path.write_bytes(b'paper = "A5\n')
    page = client.http.get("/settings").text
    assert _post(client, {**_page_values(page), "clinic.name": "Riverside"})[0] == 200
    assert load_config(path).clinic.name == "Riverside"


@pytest.mark.parametrize(
    "text",
    [
        'clinic.name = "Riverside"\nclinic.phone = "0"\n',  # dotted keys
        'clinic = {name = "Riverside", phone = "0"}\n',  # an inline table
        '\ufeff[clinic]\r\nname = "Riverside"\r\nphone = "0"\r\n',  # a BOM, Windows lines
        'clinic = "Riverside"\n',  # no table at all: kept as a comment
        "[signoff]\n[clinic]\nname = 'Riverside'\nphone = '''0'''\n",  # literal strings
    ],
)
def test_any_shape_of_file_is_edited(client: Client, text: str) -> None:
    path = client.studio.config_path
    path.write_text(text, "utf-8")
    values = _page_values(client.http.get("/settings").text)
    values.update({"clinic.name": "Riverside", "clinic.phone": "01632 960 000", "paper": "A5"})
    assert _post(client, values)[0] == 200
    config = load_config(path)
    assert (config.clinic.name, config.clinic.phone, config.paper) == (
        "Riverside",
        "01632 960 000",
        "A5",
    )


def test_a_file_that_cannot_be_written_is_a_message(client: Client) -> None:
    path = client.studio.config_path
    path.mkdir()  # a folder where the file should be
    page = client.http.get("/settings")
    assert page.status_code == 200 and "is a folder, not a file" in html.unescape(page.text)
    status, text = _post(client, {"clinic.name": "Riverside"})
    assert status == 400 and "cannot be written" in html.unescape(text)
    assert path.is_dir() and not any(path.iterdir())
    preview = client.http.get("/leaflet/folder/botox-beyond-beauty.txt?format=html")
    assert preview.status_code == 422 and "is a folder, not a file" in preview.text
