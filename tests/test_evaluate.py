"""make evaluate's errors file names the rules behind each extra or wrong figure."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.evaluate import with_rules


def test_extra_and_wrong_figures_show_their_rules(tmp_path):
    table = tmp_path / "statements.parquet"
    rows = {
        "source_path": ["dev/a1.txt", "dev/a1.txt", "dev/b2.txt"],
        "category": ["killed", "injured", "killed"],
        "count": [12, 3, 12],
        "rules": [
            "link=after claimant=pronoun dates=paragraph_before",
            "link=before claimant=none dates=publication",
            "link=toll claimant=sentence dates=sentence",
        ],
    }
    pq.write_table(pa.table(rows), table)
    lines = [
        "MISSED  a1: killed 40 «forty were killed»",
        "EXTRA   a1: killed 12 «12 people were killed»",
        "WRONG claimant  b2: killed 12: want 'police', got 'army'",
        "figures: precision=1.000 recall=1.000 f1=1.000",
    ]
    shown = with_rules(lines, table)
    assert shown[0] == lines[0] and shown[3] == lines[3]
    assert shown[1] == lines[1] + "  [link=after claimant=pronoun dates=paragraph_before]"
    assert shown[2] == lines[2] + "  [link=toll claimant=sentence dates=sentence]"
