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


NO_TEXT = "holds no text (only blank space or invisible characters); give it the article's text"
BLANK_TEXTS = {  # text with no character a reader would see, as read or once cleaned
    "whitespace, NEL, LS": " \n\t\n\u2028\u0085\n",
    "zero-width": "\u200b\u200b\u200b\n",
    "soft hyphens, word joiner": "\u00ad\u00ad\u2060",
    "BOM": "\ufeff",
    "control characters (blank once cleaned)": "\x07\x07\n",
    "braille blanks, Hangul filler": "\u2800\u2800\u3164\n",
    "combining marks alone": "\u0301\u0308\n",
}


@pytest.mark.parametrize(
    ("text", "source", "message"),
    [
        ("", None, "the article is empty; give it the article's text"),
        ("", "inbox/a.txt", "inbox/a.txt: the article is empty; give it the article's text"),
        *[(text, "inbox/a.txt", f"inbox/a.txt: {NO_TEXT}") for text in BLANK_TEXTS.values()],
        *[(text, None, f"the article {NO_TEXT}") for text in BLANK_TEXTS.values()],
    ],
)
def test_an_empty_article_is_an_input_error(text: str, source: str | None, message: str) -> None:
    with pytest.raises(InputError) as caught:
        build_document(text, source=source)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", BLANK_TEXTS.values(), ids=BLANK_TEXTS)
def test_an_article_read_and_prepared_that_holds_no_text_is_an_input_error(
    tmp_path: Path, text: str
) -> None:
    """``load_article`` refuses the file (all but control characters, which only cleaning
    removes); ``prepare`` the text a caller made itself."""
    from pipeline.article import prepare
    from pipeline.read import Article, load_article

    path = tmp_path / "a.txt"
    path.write_text(text, "utf-8")
    if "\x07" not in text:
        with pytest.raises(InputError, match=f"^{path}: holds no text"):
            load_article(path)
    with pytest.raises(InputError) as caught:
        prepare(Article(text), source="a.txt")
    assert str(caught.value) == f"a.txt: {NO_TEXT}"


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
    assert build_document("\u200bAspirin\n\n\u2060Take it.").title == "Aspirin"
    assert clean("\u200b\u200b\u200b\n").text == "\n"  # clean(): text to text, refusing none
