"""Shared fixtures: the real articles in ../shared and one pipeline run over the seeds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import paths
from pipeline.cli import main

SHARED = paths.SHARED
SEEDS = SHARED / "seeds"
GOLD_SEEDS = SHARED / "gold" / "seeds.jsonl"
GOLD_DEV = SHARED / "gold" / "dev.jsonl"
DEV = SHARED / "gold" / "dev"


# The end-to-end tier (`make test` runs it after the fast tier, `make test-fast` leaves it out):
# whole files that run the pipeline on real corpora, in a browser or under injected faults,
# every test that uses a fixture built by such a run, and the tests marked @pytest.mark.e2e
# in the other files (each runs the pipeline on a folder of its own). test_linear.py is here
# too: it times the extractor on long articles, seconds each, which the fast tier cannot afford;
# so are test_fetch.py (servers on 127.0.0.1 with real waits and deadlines) and test_bench.py
# (the benchmark's own runs, in child processes).
E2E_FILES = {
    "test_bench.py",
    "test_changes.py",
    "test_determinism.py",
    "test_faults.py",
    "test_fetch.py",
    "test_golden.py",
    "test_incidents.py",
    "test_linear.py",
    "test_progress.py",
    "test_publish.py",
    "test_refresh.py",
    "test_release.py",
    "test_report.py",
    "test_scale.py",
}
E2E_FIXTURES = {"seeds_run", "seed_rows", "seed_texts"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in E2E_FILES or E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


def run_cli(*args: str) -> int:
    return main(list(args))


def score(gold: Path, statements: Path) -> str:
    """The last line score.py prints."""
    out = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(statements)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


def parse_score(line: str) -> dict[str, float]:
    values = {}
    for token in line.replace("(", " ").replace(")", " ").split():
        if "=" in token:
            key, value = token.split("=", 1)
            try:
                values[key] = float(value)
            except ValueError:
                pass
    return values


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory) -> Path:
    """The seed articles, copied as a user would into a raw folder, and run once."""
    root = tmp_path_factory.mktemp("seeds")
    raw = root / "raw"
    shutil.copytree(SEEDS, raw)
    out = root / "out"
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 0
    return out


@pytest.fixture(scope="session")
def seed_rows(seeds_run) -> list[dict]:
    return pq.read_table(seeds_run / "statements.parquet").to_pylist()


@pytest.fixture(scope="session")
def seed_texts(seeds_run) -> dict[str, str]:
    docs = pq.read_table(seeds_run / "documents.parquet").to_pylist()
    return {d["doc_id"]: d["text"] for d in docs}


def run_command(raw: Path, out: Path, workers: int = 1, quiet: bool = True) -> list[str]:
    """The command line of a pipeline run, as a user or cron types it."""
    flags = ["--quiet"] if quiet else []
    return [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        "--raw",
        str(raw),
        "--out",
        str(out),
        *flags,
        "--workers",
        str(workers),
    ]
