"""The benchmark measures real runs on real articles, in wall and in CPU seconds of every
process of the run, and reports its speed against a reference scan of the same text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from pipeline import bench

from .conftest import SHARED

GVA = SHARED / "corpora" / "gva-news.jsonl"


def test_stages_time_every_stage_of_a_real_run(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SHARED / "seeds", raw)
    report = bench.stages(raw, tmp_path / "out")
    for kind in ("wall_seconds", "cpu_seconds"):
        assert tuple(report[kind]) == bench.STAGES
        assert all(seconds >= 0 for seconds in report[kind].values())
    assert report["cpu_seconds"]["extract"] > 0
    # The write stage wrote the figures the extract stage found, not an empty table.
    assert pq.read_table(tmp_path / "out" / "statements.parquet").num_rows == 17


def test_cpu_seconds_count_the_work_of_child_processes():
    before = bench.cpu_seconds()
    # A child that burns about half a CPU second, then ends and is waited for (as pool workers are).
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass",
        ],
        check=True,
    )
    assert bench.cpu_seconds() - before >= 0.45


def test_peak_memory_adds_up_the_children():
    memory = bench.PeakMemory(every=0.02)
    memory.start()
    child = subprocess.Popen(
        [sys.executable, "-c", "import time\nblock = bytearray(300_000_000)\ntime.sleep(1.5)"]
    )
    child.wait()
    time.sleep(0.05)
    assert memory.stop() >= 300  # MB: the child's block, counted in this process's tree


def test_a_quick_run_reports_cpu_speed_against_the_reference(tmp_path):
    report = bench.run(
        GVA, tmp_path / "work", runs=1, large_mb=0, reference_mb=0, articles=40, validation_time=False
    )
    one, two = report["workers_1"], report["workers_2"]
    assert report["articles"] == 40 and report["text_mb"] > 0
    for result in (one, two):
        assert result["cpu_seconds"] > 0 and result["wall_seconds"] > 0 and result["figures"] > 0
        # (megabytes and seconds are rounded in the report, to two places: allow for that)
        speed = report["text_mb"] / result["cpu_seconds"]
        assert result["mb_per_cpu_s"] == pytest.approx(speed, rel=0.1)
        assert result["peak_mb"] > 50  # the main process alone holds pyarrow and the grammar
    # Both runs found the same figures: the number of workers does not change the table.
    assert one["figures"] == two["figures"]
    scan = report["reference_scan"]
    assert scan["cpu_seconds"] > 0
    assert report["ratio_to_reference"] == round(one["mb_per_cpu_s"] / scan["mb_per_cpu_s"], 3)
    shares = report["stages"]["cpu_share"]
    assert set(shares) == set(bench.STAGES) and abs(sum(shares.values()) - 1) < 0.01
    text = bench.summary(report)
    assert "of the reference scan's speed (target >= 0.4)" in text
    assert "incidents:" in text and "(target under 15%)" in text
    assert (tmp_path / "work" / "out1" / "incidents.parquet").exists()  # the run had every stage
