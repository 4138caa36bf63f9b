"""casualty-figures: a validated table of every casualty and troop figure in news articles."""

import hashlib
from pathlib import Path

__version__ = "0.2.0"


def _grammar_fingerprint() -> str:
    """A hash of the code that decides what a figure is: any change to it is a new extractor,
    so a refresh reads every file again instead of keeping rows the old code found."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*here.glob("grammar/*.py"), *here.glob("extract/*.py"), here / "normalize.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


EXTRACTOR_VERSION = f"{__version__}+{_grammar_fingerprint()}"
