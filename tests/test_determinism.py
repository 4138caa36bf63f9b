"""The table does not depend on the process: Dask workers and pool workers each start with
their own hash seed, so nothing the grammar decides may follow a set's order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import SHARED

ROOT = Path(__file__).resolve().parent.parent

# Every claimant and date found in the airwars articles, in one process with a given seed.
SCRIPT = """
import datetime as dt, json, sys
from pathlib import Path
from pipeline.build import extract_document
from pipeline.ingest import read_raw
out = []
for doc in read_raw(Path(sys.argv[1]), dt.date(2026, 11, 23)):
    doc, rows = extract_document(doc)
    out += [(r["statement_id"], r["claimant"], str(r["event_date_start"])) for r in rows]
print(json.dumps(out))
"""


def test_same_figures_whatever_the_hash_seed(tmp_path):
    # airwars-dev holds an article whose claimant once followed set order
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "airwars-dev.jsonl").write_bytes((SHARED / "corpora" / "airwars-dev.jsonl").read_bytes())
    results = []
    for seed in ("1", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(raw)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(out))
    assert len(results[0]) > 2000
    assert results[0] == results[1]
