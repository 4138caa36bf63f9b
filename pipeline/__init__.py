"""casualty-figures: a validated table of every casualty and troop figure in news articles."""

import hashlib
from pathlib import Path

__version__ = "0.6.0"


def grammar_files() -> list[Path]:
    """The files that decide what a figure is: the grammar's code and its data files (the
    catalogue of sources decides claimants as much as the code does)."""
    here = Path(__file__).resolve().parent
    grammar = [p for folder in ("grammar", "extract") for p in (here / folder).iterdir() if p.is_file()]
    return sorted([*grammar, here / "normalize.py"])


def _grammar_fingerprint() -> str:
    """A hash of the grammar's files: any change to them is a new extractor, so a refresh
    reads every file again instead of keeping rows the old code found."""
    digest = hashlib.sha256()
    for path in grammar_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


EXTRACTOR_VERSION = f"{__version__}+{_grammar_fingerprint()}"
