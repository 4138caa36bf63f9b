"""The published table is checked, not trusted; it is published whole; one run writes at a time."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import load, refresh

from .conftest import DEV, run_cli, run_command

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ["fakes-1914947537", "fakes-1918150036", "gva-8b3b34bf4f"]
NEW = "fakes-1923848307"


def copy_articles(names, raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        for suffix in (".txt", ".meta.json"):
            shutil.copy(DEV / f"{name}{suffix}", raw / f"{name}{suffix}")


def run(raw: Path, out: Path, *extra: str) -> int:
    return run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1", *extra)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def tables(out: Path) -> tuple[pa.Table, pa.Table]:
    return pq.read_table(out / "statements.parquet"), pq.read_table(out / "documents.parquet")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """A raw folder of three real articles and the outputs of one run over it."""
    root = tmp_path_factory.mktemp("built")
    copy_articles(ARTICLES, root / "raw")
    assert run(root / "raw", root / "out") == 0
    return root / "raw", root / "out"


@pytest.fixture
def published(built, tmp_path) -> tuple[Path, Path]:
    """A copy of the built outputs (links kept as links) to damage."""
    raw, out = built
    shutil.copytree(raw, tmp_path / "raw")
    shutil.copytree(out, tmp_path / "out", symlinks=True)
    return tmp_path / "raw", tmp_path / "out"


def real(path: Path) -> Path:
    return Path(os.path.realpath(path))


@pytest.mark.parametrize("what", ["link", "file"])
def test_deleted_table_is_rebuilt(built, published, capsys, what):
    raw, out = published
    before = tables(built[1])
    target = out / "statements.parquet"
    (target if what == "link" else real(target)).unlink()
    capsys.readouterr()
    assert run(raw, out) == 0
    err = capsys.readouterr().err
    assert "statements.parquet" in err.splitlines()[0]  # the run says what it found, in one line
    after = tables(out)
    assert after[0].num_rows == before[0].num_rows > 0
    assert after[0].equals(before[0]) and after[1].equals(before[1])


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _bit_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _half_rows(path: Path) -> None:
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows // 2), path)


@pytest.mark.parametrize("table", ["statements.parquet", "documents.parquet"])
@pytest.mark.parametrize("damage", [_truncate, _empty, _bit_flip, _half_rows], ids=lambda f: f.__name__[1:])
def test_damaged_table_is_found_and_rebuilt(built, published, capsys, table, damage):
    raw, out = published
    before = tables(built[1])
    damaged = real(out / table)
    damage(damaged)
    capsys.readouterr()
    assert run(raw, out) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"note: {damaged}") and err[0].endswith("not reused, every file is read again")
    after = tables(out)
    assert after[0].equals(before[0]) and after[1].equals(before[1])


@pytest.mark.parametrize("journal", ["", "{garbled", '{"version": 5}', "[]", '{"version": "../x"}'])
def test_empty_or_garbled_journal_is_one_line_and_the_run_goes_on(built, published, capsys, journal):
    raw, out = published
    (out / ".commit").write_text(journal)
    capsys.readouterr()
    assert run(raw, out) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"note: discarded the unreadable journal {out / '.commit'} (")
    assert not (out / ".commit").exists()
    assert tables(out)[0].equals(tables(built[1])[0])


def _staged_tables(out: Path) -> list[Path]:
    """The statements a killed commit left staged, wherever the layout keeps them."""
    published = real(out / "statements.parquet")
    found = [*out.glob(".staging/statements.parquet"), *out.glob(".versions/*/statements.parquet")]
    return [p for p in found if real(p) != published]


def test_staged_table_in_a_journal_is_checked_before_it_is_put_in_place(published, tmp_path):
    raw, out = published
    copy_articles([NEW], raw)
    killed = cli(
        "run",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--quiet",
        "--workers",
        "1",
        env={"CASUALTY_KILL_AT": "committing"},
    )
    assert killed.returncode == -signal.SIGKILL
    [staged] = _staged_tables(out)
    _bit_flip(staged)
    result = cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("note: discarded an interrupted run's staged table: ")
    assert run(raw, tmp_path / "scratch") == 0
    assert tables(out)[0].equals(tables(tmp_path / "scratch")[0])


def _consistent(out: Path) -> None:
    statements, documents = tables(out)
    doc_ids = set(documents.column("doc_id").to_pylist())
    assert set(statements.column("doc_id").to_pylist()) <= doc_ids
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == set(documents.column("source_path").to_pylist())


def test_kill_inside_the_commit_never_publishes_a_mixed_pair(published):
    raw, out = published
    copy_articles([NEW], raw)
    killed = cli(
        "run",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--quiet",
        "--workers",
        "1",
        env={"CASUALTY_KILL_AT": "half-committed"},
    )  # the pointer has moved, links not made
    assert killed.returncode == -signal.SIGKILL
    _consistent(out)  # what a reader sees while the recovery is still pending


def test_empty_raw_folder_keeps_the_last_table(published, capsys):
    raw, out = published
    before = (out / "statements.parquet").read_bytes()
    for path in raw.iterdir():
        path.unlink()
    capsys.readouterr()
    assert run(raw, out) == 1
    assert capsys.readouterr().err.strip() == (
        f"error: the raw folder {raw} is empty: nothing published, the last table stays "
        f"(--allow-shrink publishes an empty table)"
    )
    assert (out / "statements.parquet").read_bytes() == before


def test_run_that_would_drop_over_a_fifth_of_the_figures_refuses(published, capsys):
    raw, out = published
    before = (out / "statements.parquet").read_bytes()
    rows = pq.read_table(out / "statements.parquet").num_rows
    for name in ARTICLES[:2]:
        (raw / f"{name}.txt").unlink()
    capsys.readouterr()
    assert run(raw, out) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("error: the new table has ") and f"fewer than the {rows} published" in err[-1]
    assert (out / "statements.parquet").read_bytes() == before
    assert not (out / ".staging").exists()
    assert run(raw, out, "--allow-shrink") == 0
    assert pq.read_table(out / "statements.parquet").num_rows < rows * 0.8


def test_every_file_the_run_stages_is_published_and_checked(published, monkeypatch, capsys):
    """Stages added later write their own files into the staging folder: all of them go out."""
    raw, out = published
    copy_articles([NEW], raw)
    original = refresh.fault_point

    def add_outputs(name):
        if name == "staged":
            pq.write_table(pa.table({"extra_id": ["a", "b"]}), out / ".staging" / "extra.parquet")
            (out / ".staging" / "extra").mkdir()
            (out / ".staging" / "extra" / "index.html").write_text("<h1>extra</h1>")
        original(name)

    monkeypatch.setattr(refresh, "fault_point", add_outputs)
    assert run(raw, out) == 0
    monkeypatch.setattr(refresh, "fault_point", original)
    assert pq.read_table(out / "extra.parquet").num_rows == 2
    assert (out / "extra" / "index.html").read_text() == "<h1>extra</h1>"
    outputs = json.loads((out / "manifest.json").read_text())["outputs"]
    assert outputs["extra.parquet"]["rows"] == 2 and "extra/index.html" in outputs
    damaged = real(out / "extra" / "index.html")
    _bit_flip(damaged)  # what is published is checked, all of it
    capsys.readouterr()
    assert run(raw, out) == 0
    assert capsys.readouterr().err.splitlines()[0].startswith(f"note: {damaged}")


def test_journal_and_manifest_reach_the_disk_before_they_are_trusted(published, monkeypatch):
    raw, out = published
    copy_articles([NEW], raw)
    synced = []
    fsync = os.fsync

    def recording(fd):
        synced.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        fsync(fd)

    monkeypatch.setattr(load.os, "fsync", recording)
    assert run(raw, out) == 0
    assert any(name.startswith("..commit.") for name in synced)  # the temporary name of .commit
    assert any(name.startswith(".manifest.json.") for name in synced)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_kill_9_of_the_run_takes_its_workers_and_frees_the_lock(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    copy_articles(sorted({p.stem.split(".")[0] for p in DEV.glob("*.txt")}), raw)
    proc = subprocess.Popen(
        run_command(raw, out, workers=2),
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert len(workers) >= 2, "the pool never started"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "pool workers outlived the run"
    result = cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1")
    assert result.returncode == 0, result.stderr


def test_stage_commands_never_touch_the_published_files(published):
    raw, out = published
    copy_articles([NEW], raw)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert run_cli("ingest", "--raw", str(raw), "--out", str(out), "--quiet") == 0
    assert run_cli("extract", "--out", str(out), "--quiet", "--workers", "1") == 0
    assert run_cli("validate", "--out", str(out), "--quiet") == 0
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert pq.read_table(out / "stages" / "statements.parquet").num_rows > 0
