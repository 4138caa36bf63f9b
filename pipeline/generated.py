"""The files generated from pipeline/schema.py: the expectation suites and the README's data
dictionary (`python -m pipeline schema` checks them, `--write` regenerates them)."""

from __future__ import annotations

import json
from pathlib import Path

from . import paths, schema
from .load import write_json
from .readme import check_readme, write_readme


def _suites() -> dict[Path, dict]:
    return {paths.SUITE: schema.expectation_suite(), paths.INCIDENTS_SUITE: schema.incidents_suite()}


def write() -> list[Path]:
    """Regenerate every generated file; returns their paths."""
    for path, suite in _suites().items():
        write_json(path, suite)
    write_readme(paths.README)
    return [*_suites(), paths.README]


def stale() -> list[Path]:
    """The generated files that are missing or differ from what schema.py gives."""
    out_of_date = [
        path
        for path, suite in _suites().items()
        if not path.exists() or json.loads(path.read_text(encoding="utf-8")) != suite
    ]
    if not check_readme(paths.README):
        out_of_date.append(paths.README)
    return out_of_date
