"""The examples in the sectioning modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pipeline.structure

MODULES = sorted(
    f"pipeline.structure.{info.name}" for info in pkgutil.iter_modules(pipeline.structure.__path__)
) + ["pipeline.structure"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
