"""The fixed leaflet text comes from one table per language; the tables present are the
languages leaflet accepts, in leaflet.toml, front matter and sidecars alike."""

from __future__ import annotations

import re
from dataclasses import fields
from importlib.resources import files
from pathlib import Path

import pytest

from pipeline.config import DEFAULT_DISCLAIMER, parse_config
from pipeline.errors import ConfigError, InputError
from pipeline.labels import LANGUAGES, Labels, labels_for, language_tag, parse_labels
from pipeline.readers.frontmatter import parse_front_matter
from pipeline.readers.sidecar import parse_sidecar
from pipeline.render.pdf import page_rule

ROOT = Path(__file__).resolve().parents[1]
EN = files("pipeline.labels").joinpath("en.toml").read_text("utf-8")


def test_english_is_shipped_and_complete() -> None:
    assert LANGUAGES == ("en",)
    english = labels_for("en")
    assert all(getattr(english, item.name).strip() for item in fields(Labels))
    assert labels_for("en-GB") is english and labels_for("EN-us") is english
    assert english.disclaimer == DEFAULT_DISCLAIMER


@pytest.mark.parametrize("language", ["fr", "de-DE", "xx"])
def test_other_languages_have_no_table(language: str) -> None:
    with pytest.raises(LookupError):
        labels_for(language)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace('kicker = "Patient information"\n', ""), "['kicker']"),
        (lambda text: text + 'extra = "x"\n', "['extra']"),
        (lambda text: text.replace("{page} of {pages}", "{page} of all"), "page must use"),
        (lambda text: text.replace("{clinic} logo", "{klinik} logo"), "logo_alt must use"),
        (lambda text: text.replace('kicker = "Patient information"', "kicker = 3"), "kicker"),
        (lambda text: text.replace('contact = "Contact us"', 'contact = "  "'), "contact"),
        (lambda text: text, ""),  # negative row: the shipped table itself is good
    ],
)
def test_a_translation_is_checked(change: object, message: str) -> None:
    text = change(EN)  # type: ignore[operator]
    if not message:
        assert parse_labels(text, "xx.toml") == labels_for("en")
        return
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_labels(text, "pipeline/labels/xx.toml")


@pytest.mark.parametrize(
    ("value", "tag"),
    [("en", "en"), ("EN", "en"), ("en-gb", "en-GB"), ("en-001", "en-001"),
     ("fr", None), ("en-Latn-GB", None), ("English", None), ("", None)],
)  # fmt: skip
def test_language_tags(value: str, tag: str | None) -> None:
    assert language_tag(value) == tag


def test_every_place_a_language_is_given_refuses_one_not_shipped() -> None:
    with pytest.raises(ConfigError, match="language 'fr' is not available.*English only"):
        parse_config({"language": "fr"})
    with pytest.raises(InputError, match="a.md: front matter language 'fr' is not available"):
        parse_front_matter("language: fr", "a.md")
    with pytest.raises(InputError, match="a.txt.meta.toml: language 'fr' is not available"):
        parse_sidecar(b'language = "fr"', "a.txt.meta.toml")
    assert parse_front_matter("language: en-gb", "a.md").language == "en-GB"


def visible_template_text() -> str:
    """The leaflet template with Jinja and HTML markup taken out: what it prints itself."""
    template = (ROOT / "pipeline" / "render" / "templates" / "leaflet.html.j2").read_text()
    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"<[^>]*>"):
        template = re.sub(pattern, " ", template, flags=re.S)
    return template


def test_the_template_prints_no_words_of_its_own() -> None:
    """Every word a leaflet prints comes from the labels, the article or the clinic."""
    words = re.findall(r"[A-Za-z]{2,}", visible_template_text())
    assert words == []


def test_the_pdf_footer_comes_from_the_labels() -> None:
    css = (ROOT / "pipeline" / "render" / "static" / "pdf.css").read_text()
    assert re.findall(r'content:\s*"', css) == []  # no text in the stylesheet
    assert 'content: "Page " counter(page) " of " counter(pages);' in page_rule("A4")
