"""Public names a package loads from their modules when first asked for (PEP 562), so
that importing the package costs nothing its caller does not use.

>>> import sys, types
>>> sys.modules["demo"] = types.ModuleType("demo")
>>> load = lazy_names("demo", {"dedent": "textwrap"})
>>> load("dedent")("  a").strip(), "dedent" in vars(sys.modules["demo"])
('a', True)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: each name in ``homes`` is loaded from the
    module named there on first use, then kept in the package like any other name."""
    namespace = vars(sys.modules[package])

    def load(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(homes[name]), name)
        namespace[name] = value
        return value

    return load
