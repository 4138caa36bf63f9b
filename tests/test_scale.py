"""Workers and clusters give the same table as one process, row for row."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from .conftest import SHARED, run_cli

CORPUS = SHARED / "corpora" / "fakes-dev.jsonl"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    raw = tmp_path_factory.mktemp("corpus") / "raw"
    raw.mkdir()
    shutil.copy(CORPUS, raw / CORPUS.name)
    return raw


@pytest.fixture(scope="module")
def one_worker(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("one")
    assert run_cli("run", "--raw", str(corpus), "--out", str(out), "--quiet", "--workers", "1") == 0
    return out


def tables(out):
    return [pq.read_table(out / name) for name in ("statements.parquet", "documents.parquet")]


def test_two_workers_give_the_same_table(corpus, one_worker, tmp_path):
    assert run_cli("run", "--raw", str(corpus), "--out", str(tmp_path), "--quiet", "--workers", "2") == 0
    for ours, theirs in zip(tables(tmp_path), tables(one_worker), strict=False):
        assert ours.num_rows > 0 and ours.equals(theirs)


def test_dask_cluster_gives_the_same_table(corpus, one_worker, tmp_path):
    """A LocalCluster of two worker processes on 127.0.0.1, reached through its address."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as cluster:
        code = run_cli(
            "run",
            "--raw",
            str(corpus),
            "--out",
            str(tmp_path),
            "--quiet",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert code == 0
    for ours, theirs in zip(tables(tmp_path), tables(one_worker), strict=False):
        assert ours.equals(theirs)


def test_scheduler_from_environment(corpus, one_worker, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as cluster:
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
        assert run_cli("run", "--raw", str(corpus), "--out", str(tmp_path), "--quiet") == 0
    assert tables(tmp_path)[0].equals(tables(one_worker)[0])


def test_cluster_started_as_the_readme_says(corpus, one_worker, tmp_path):
    """`dask scheduler` and `dask worker` as separate processes, the way the README starts a
    cluster: every table (the incidents too) comes back identical to one local worker."""
    pytest.importorskip("distributed")
    dask = Path(sys.executable).with_name("dask")
    with socket.socket() as s:  # a free port, so two test runs at once do not collide
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    # The workers import this project, as the README says they must: from this checkout.
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    options = {
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "env": {**os.environ, "PYTHONPATH": path},
    }
    port = address.rsplit(":", 1)[1]
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], **options
    )
    worker = subprocess.Popen(
        [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"], **options
    )
    try:
        _wait_for_workers(address, 2)
        code = run_cli("run", "--raw", str(corpus), "--out", str(tmp_path), "--quiet", "--scheduler", address)
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=60)
    assert code == 0
    for name in ("statements.parquet", "documents.parquet", "incidents.parquet"):
        ours, theirs = pq.read_table(tmp_path / name), pq.read_table(one_worker / name)
        assert ours.num_rows > 0 and ours.equals(theirs), name


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(n, timeout=60)
