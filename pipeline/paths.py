"""Every path the pipeline uses, in one place; overridable from the command line or the
environment (CASUALTY_RAW, CASUALTY_OUT)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPECTATIONS = ROOT / "expectations"
SUITE = EXPECTATIONS / "statements.json"
INCIDENTS_SUITE = EXPECTATIONS / "incidents.json"
README = ROOT / "README.md"
SHARED = Path(os.environ.get("CASUALTY_SHARED", ROOT.parent / "shared"))
# Inside an output folder: where the stage commands (ingest, extract, validate) work.
STAGES = "stages"


def default_raw() -> Path:
    return Path(os.environ.get("CASUALTY_RAW", "data/raw"))


def default_out() -> Path:
    return Path(os.environ.get("CASUALTY_OUT", "data/processed"))


class Outputs:
    """The files one run writes into its output folder."""

    def __init__(self, out: Path):
        self.dir = Path(out)
        self.statements = self.dir / "statements.parquet"
        self.documents = self.dir / "documents.parquet"
        self.incidents = self.dir / "incidents.parquet"
        self.datapackage = self.dir / "datapackage.json"
        self.validation = self.dir / "validation"
        self.validation_summary = self.dir / "validation.json"
