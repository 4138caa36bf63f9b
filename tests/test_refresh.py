"""Scheduled refreshes: only new work, identical to a full build, safe when killed."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import paths, publish

from .conftest import DEV, run_cli

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def build(raw: Path, out: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1", *extra, env=env)


def copy_articles(names: list[str], raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        for suffix in (".txt", ".meta.json"):
            shutil.copy(DEV / f"{name}{suffix}", raw / f"{name}{suffix}")


def same_tables(a: Path, b: Path) -> None:
    for name in ("statements.parquet", "documents.parquet", "incidents.parquet"):
        assert pq.read_table(a / name).equals(pq.read_table(b / name)), name


def visible_bytes(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


ARTICLES = ["fakes-1914947537", "fakes-1918150036", "gva-8b3b34bf4f", "fakes-1923848307"]


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    copy_articles(ARTICLES[:3], folder)
    return folder


def test_refresh_equals_a_build_from_scratch(raw, tmp_path):
    out = tmp_path / "out"
    assert build(raw, out).returncode == 0
    copy_articles(ARTICLES[3:], raw)  # a new article
    (raw / "gva-8b3b34bf4f.txt").write_text("Shooting\n\nThree people were killed on Sunday.\n")  # changed
    (raw / "fakes-1918150036.txt").unlink()  # removed
    (raw / "fakes-1918150036.meta.json").unlink()
    result = build(raw, out, "--allow-shrink")  # the article removed held over 20% of the figures
    assert result.returncode == 0, result.stderr
    assert "(2 files read, 1 unchanged and reused)" in result.stderr
    scratch = tmp_path / "scratch"
    assert build(raw, scratch).returncode == 0
    same_tables(out, scratch)


def test_second_run_with_nothing_new_does_no_work(raw, tmp_path):
    out = tmp_path / "out"
    assert build(raw, out).returncode == 0
    before = visible_bytes(out)
    result = build(raw, out)
    assert result.returncode == 0
    assert f"nothing new in {raw} since the last run" in result.stderr
    assert "documents read" not in result.stderr  # no extraction at all
    assert visible_bytes(out) == before


def test_new_extractor_version_reads_everything_again(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(raw, out).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["extractor_version"] = "0.0.0-older"
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = build(raw, out)
    assert "(3 files read, 0 unchanged and reused)" in result.stderr


def test_changes_are_recorded(raw, tmp_path):
    out = tmp_path / "out"
    assert build(raw, out).returncode == 0
    first = pq.read_table(out / "statements.parquet").num_rows
    copy_articles(ARTICLES[3:], raw)
    result = build(raw, out)
    changes = json.loads((out / "changes.json").read_text())
    added = pq.read_table(out / "statements.parquet").num_rows - first
    assert changes["added"] == added > 0 and changes["removed"] == 0 and changes["changed"] == 0
    publisher = json.loads((DEV / f"{ARTICLES[3]}.meta.json").read_text())["publisher"]
    assert changes["by_publisher"][publisher]["added"] == added
    assert f"changes since the last table: {added} added, 0 removed, 0 changed" in result.stderr


@pytest.mark.parametrize("stage", ["staged", "committing", "half-committed"])
def test_killed_run_leaves_consistent_outputs(raw, tmp_path, stage):
    out = tmp_path / "out"
    assert build(raw, out).returncode == 0
    before = visible_bytes(out)
    copy_articles(ARTICLES[3:], raw)
    killed = build(raw, out, env={"CASUALTY_KILL_AT": stage})
    assert killed.returncode == -signal.SIGKILL
    for table in ("statements.parquet", "documents.parquet"):
        pq.read_table(out / table)  # every table is readable, never half-written
    if stage != "half-committed":
        assert visible_bytes(out) == before  # nothing of the killed run is visible
    note = publish.recover(out)  # what the next run does first
    assert note is not None
    manifest = json.loads((out / "manifest.json").read_text())
    documents = pq.read_table(out / "documents.parquet").column("source_path").to_pylist()
    assert set(manifest["files"]) == set(documents)  # the manifest describes the tables beside it
    assert build(raw, out).returncode == 0
    scratch = tmp_path / "scratch"
    assert build(raw, scratch).returncode == 0
    same_tables(out, scratch)


def test_second_run_while_one_holds_the_lock(raw, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a+") as held:
        fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        result = build(raw, out)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: another run is writing {out} (lock {out / '.lock'} held by "
        f"pid 4242); try again when it has finished"
    )


def test_failed_validation_keeps_the_last_good_table(raw, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 0
    good = (out / "statements.parquet").read_bytes()
    strict = json.loads(paths.SUITE.read_text())
    strict["expectations"].append(
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "count", "max_value": 0}}
    )
    suite = tmp_path / "strict.json"
    suite.write_text(json.dumps(strict))
    monkeypatch.setattr(paths, "SUITE", suite)
    copy_articles(ARTICLES[3:], raw)
    capsys.readouterr()
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 1
    err = capsys.readouterr().err
    assert (
        "validation failed" in err and f"the last good table is kept in {out / 'statements.parquet'}" in err
    )
    assert (out / "statements.parquet").read_bytes() == good
    assert (out / "statements.failed.parquet").exists()
    assert (out / "validation-failed" / "index.html").exists()
