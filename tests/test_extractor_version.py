"""The extractor version changes whenever anything that decides a figure changes."""

from __future__ import annotations

from pathlib import Path

import pipeline


def test_every_grammar_file_is_in_the_fingerprint():
    here = Path(pipeline.__file__).resolve().parent
    expected = {p for folder in ("grammar", "extract") for p in (here / folder).rglob("*") if p.is_file()}
    expected = {p for p in expected if "__pycache__" not in p.parts}
    files = set(pipeline.grammar_files())
    assert expected <= files, sorted(str(p) for p in expected - files)
    assert any(p.suffix == ".toml" for p in files)  # the catalogue of sources is data, and counts
    assert here / "normalize.py" in files
