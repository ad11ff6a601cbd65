"""The library's surface: what ``pipeline`` exports, its type marker, and clear errors
for the mistakes a library user makes (bytes for text, an empty article)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import pipeline
from pipeline import (
    ConfigError,
    InputError,
    LeafletError,
    OutputError,
    build_document,
    clean,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("error", [InputError, ConfigError, OutputError])
def test_errors_are_exported_and_share_a_root(error: type[Exception]) -> None:
    assert issubclass(error, LeafletError) and error.__module__ == "pipeline.errors"
    assert error.__name__ in pipeline.__all__


def test_everything_exported_exists() -> None:
    assert [name for name in pipeline.__all__ if not hasattr(pipeline, name)] == []


def test_the_package_is_typed() -> None:
    assert (ROOT / "pipeline" / "py.typed").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    data = project["tool"]["setuptools"]["package-data"]["pipeline"]
    assert "py.typed" in data and "labels/*.toml" in data


@pytest.mark.parametrize(
    ("text", "source", "message"),
    [
        ("", None, "the article is empty; give it the article's text"),
        (" \n\t\n", "inbox/a.txt", "inbox/a.txt: the article is empty"),
    ],
)
def test_an_empty_article_is_an_input_error(text: str, source: str | None, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        build_document(text, source=source)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("function", [clean, build_document])
@pytest.mark.parametrize("value", [b"Aspirin", bytearray(b"Aspirin"), memoryview(b"Aspirin")])
def test_bytes_are_a_type_error_that_says_to_decode(function: object, value: object) -> None:
    with pytest.raises(TypeError, match=r"takes text \(str\), not \w+: decode it first"):
        function(value)  # type: ignore[operator]


@pytest.mark.parametrize("function", [clean, build_document])
def test_other_values_are_a_type_error(function: object) -> None:
    with pytest.raises(TypeError, match=r"takes text \(str\), not NoneType$"):
        function(None)  # type: ignore[operator]


def test_text_still_works() -> None:
    """Negative row: text is cleaned and sectioned as before."""
    assert clean("cеlеbratеd").text == "celebrated"
    assert build_document("Aspirin\n\nTake it with food.").title == "Aspirin"
