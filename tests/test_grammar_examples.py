"""Every pattern of the grammar modules that keep EXAMPLES matches its example, and every
pattern they hold has one: a reader sees what each is for, and a change that breaks one fails."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import pytest
import regex

import pipeline.grammar
from pipeline.grammar.patterns import CaselessPattern

GRAMMAR = [
    importlib.import_module(f"pipeline.grammar.{m.name}")
    for m in pkgutil.iter_modules(pipeline.grammar.__path__)
]
MODULES = [module for module in GRAMMAR if hasattr(module, "EXAMPLES")]
CASES = [(module.__name__, name, example) for module in MODULES for name, example in module.EXAMPLES.items()]


def _assigned(module) -> set[str]:
    """The names a module assigns at its top level (not those it imports)."""
    tree = ast.parse(inspect.getsource(module))
    return {
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def test_every_pattern_of_those_modules_has_an_example():
    assert len(MODULES) >= 3
    for module in MODULES:
        own = {
            name
            for name in _assigned(module)
            if isinstance(getattr(module, name), (regex.Pattern, CaselessPattern))
        }
        assert own - module.EXAMPLES.keys() == set(), module.__name__
        assert module.EXAMPLES.keys() - own == set(), module.__name__


@pytest.mark.parametrize("module, name, example", CASES, ids=[f"{m}.{n}" for m, n, _ in CASES])
def test_pattern_matches_its_example(module, name, example):
    pattern = getattr(importlib.import_module(module), name)
    match = pattern.search(example)
    assert match and match.group(), f"{name} does not match {example!r}"
    if isinstance(pattern, CaselessPattern) and pattern.starts:  # and its fast search finds it too
        assert pattern.first(example).span() == match.span(), name
