"""Every module of the package imports on its own, and no two modules import each other, even
through a chain or from inside a function (a cycle that happens to work today breaks when an
import moves to the top of a file)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from pipeline import paths

PACKAGE = paths.ROOT / "pipeline"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(paths.ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of the imports under `if TYPE_CHECKING:`, which never run."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def imported(name: str, path: Path) -> set[str]:
    """The package's modules that the module imports anywhere in its file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = _type_checking_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                # `from . import build` names a module; `from .load import write_json` a name in one.
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the chain of modules that closes it."""
    found, done = [], set()

    def walk(node: str, chain: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in chain:
                found.append(chain[chain.index(nxt) :] + [nxt])
            elif nxt not in done:
                walk(nxt, [*chain, nxt])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            walk(start, [start])
    return found


def test_the_walk_sees_the_package_and_its_imports():
    graph = {name: imported(name, path) for name, path in MODULES.items()}
    assert {"pipeline.cli", "pipeline.build", "pipeline.incidents", "pipeline.report.page"} <= set(graph)
    assert "pipeline.run" in graph["pipeline.cli"]  # imported inside a function
    assert "pipeline.build" in graph["pipeline.run"]  # `from . import build`
    assert "pipeline.load" in graph["pipeline.build"]  # `from .load import ...`
    assert "pipeline.report.data" in graph["pipeline.report.page"]  # `from . import ... data`
    assert "pipeline.load" in graph["pipeline.report.page"]  # `from ..load import ...`


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_through_others():
    graph = {name: imported(name, path) for name, path in MODULES.items()}
    assert cycles(graph) == []


# (__main__ is left out: importing it runs the command line.)
@pytest.mark.parametrize("name", sorted(set(MODULES) - {"pipeline.__main__"}))
def test_every_module_imports(name):
    importlib.import_module(name)
