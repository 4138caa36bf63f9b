"""The benchmark's stage breakdown runs the real stages on real articles."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq

from pipeline import bench

from .conftest import SHARED


def test_stages_time_every_stage_of_a_real_run(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SHARED / "seeds", raw)
    report = bench.stages(raw, tmp_path / "out")
    assert list(report["seconds"]) == ["ingest", "first_pass", "extract", "normalize", "write", "incidents"]
    assert all(seconds >= 0 for seconds in report["seconds"].values())
    # The write stage wrote the figures the extract stage found, not an empty table.
    assert pq.read_table(tmp_path / "out" / "statements.parquet").num_rows == 17


def test_summary_names_the_stages_and_the_target():
    report = {
        "machine": "m",
        "corpus": "c",
        "text_mb": 6.0,
        "articles": 10,
        "workers_1": {
            "median_seconds": 4.0,
            "runs": [4.0],
            "mb_per_s_per_core": 1.5,
            "articles_per_s_per_core": 2.5,
        },
        "workers_2": {
            "median_seconds": 2.2,
            "runs": [2.2],
            "mb_per_s_per_core": 1.36,
            "articles_per_s_per_core": 2.3,
        },
        "speedup_1_to_2": 1.82,
        "validation_seconds": 1.0,
        "stages": {"seconds": {"ingest": 0.1, "first_pass": 0.5, "extract": 3.0}, "target_seconds": 2.0},
    }
    text = bench.summary(report)
    assert "first pass 0.5 s" in text and "3.0 MB/s would be 2.0 s in all" in text
