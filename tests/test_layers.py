"""The package's layers: no import cycle, only the command line knows argparse, and each
command loads only what it uses."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "pipeline"
HEAVY = ("spacy", "weasyprint", "fontTools", "ftfy", "wordfreq", "jinja2", "rich",
         "dask", "distributed", "pandas", "pyarrow", "starlette", "uvicorn")  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, in functions too, but not under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _runtime_imports(node)


def imported(path: Path, modules: set[str]) -> set[str]:
    """The modules of the package that ``path`` imports, as named (a submodule when
    ``from package import submodule``)."""
    found = set()
    for node in _runtime_imports(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif node.module in modules:
            names = {f"{node.module}.{alias.name}" for alias in node.names}
            found |= (names & modules) or {node.module}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: imported(path, modules) - {name} for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for child in sorted(graph[node]):
            if state.get(child) == 1:
                return path[path.index(child) :] + [child]
            if child not in state and (cycle := visit(child)):
                return cycle
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_graph_sees_imports() -> None:
    graph = import_graph()
    assert {"pipeline.batch", "pipeline.article"} <= graph["pipeline.publish"]
    assert {"pipeline.record", "pipeline.workers"} <= graph["pipeline.batch"]
    assert "pipeline.publish" in graph["pipeline.cli"]  # imported inside a function
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package() -> None:
    assert find_cycle(import_graph()) == []


def imports_argparse(source: str) -> bool:
    """Whether ``source`` imports argparse anywhere: at the top, in a function, under
    ``if TYPE_CHECKING:`` (a library signature typed with ``argparse.Namespace`` is
    what this looks for), or by name through ``importlib.import_module``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module"):
            names = [a.value for a in node.args[:1] if isinstance(a, ast.Constant)]
        else:
            continue
        if any(name == "argparse" or name.startswith("argparse.") for name in names):
            return True
    return False


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import argparse", True),
        ("import os, argparse as ap", True),
        ("from argparse import Namespace", True),
        ("def f():\n    import argparse", True),
        ("if TYPE_CHECKING:\n    from argparse import Namespace", True),
        ("import importlib\nimportlib.import_module('argparse')", True),
        ("import argparser", False),
        ("from pipeline import argparse_help", False),
        ("from .argparse import x", False),  # a module of the package's own, not argparse
        ('"""import argparse"""', False),
        ("# import argparse", False),
        ("parse_args = 'argparse'", False),
    ],
)
def test_argparse_imports_are_found(source: str, expected: bool) -> None:
    assert imports_argparse(source) is expected


def test_only_the_command_line_imports_argparse() -> None:
    importers = sorted(
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if imports_argparse(path.read_text("utf-8"))
    )
    assert importers == ["pipeline.cli"]


LOADED = """
import json, sys
from pipeline.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as stop:
    status = stop.code
heavy = {heavy!r}
print(json.dumps([status, sorted(m for m in heavy if m in sys.modules)]))
"""


def loaded(*args: str, cwd: Path = ROOT) -> tuple[int, list[str]]:
    """Run the command in a fresh interpreter: its status and the heavy modules it loaded."""
    script = LOADED.format(heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )  # fmt: skip
    status, modules = json.loads(result.stdout.splitlines()[-1])
    return status, modules


@pytest.mark.parametrize("command", [[], ["build"], ["clean"], ["explain"], ["serve"]])
def test_help_loads_nothing_heavy(command: list[str]) -> None:
    assert loaded(*command, "--help") == (0, [])


def test_clean_loads_only_the_cleaner(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Title\n\nSome tеxt.\n", "utf-8")
    status, modules = loaded("clean", str(source), "-o", str(tmp_path / "b.txt"))
    assert status == 0
    assert modules == ["ftfy", "wordfreq"]


def test_a_batch_clean_loads_no_corpus_or_studio_library(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Title\n\nSome tеxt.\n", "utf-8")
    status, modules = loaded("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1")
    assert status == 0
    assert not {"dask", "distributed", "pandas", "pyarrow", "starlette", "uvicorn"} & set(modules)


@pytest.mark.skipif(importlib.util.find_spec("weasyprint") is None, reason="needs WeasyPrint")
def test_an_up_to_date_build_loads_neither_spacy_nor_weasyprint(tmp_path: Path) -> None:
    source = tmp_path / "in" / "a.txt"
    source.parent.mkdir()
    source.write_text("Title\n\nSome text.\n", "utf-8")
    build = ("build", str(source.parent), "-o", str(tmp_path / "out"), "-j", "1")
    assert loaded(*build)[0] == 0
    status, modules = loaded(*build)
    assert status == 0
    assert not {"spacy", "weasyprint", "fontTools", "ftfy", "wordfreq"} & set(modules)
