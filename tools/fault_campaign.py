"""Fault campaign: kill runs at random and inside the publish, damage the published state,
and check that every recovery equals a build from scratch and no reader sees a mixed pair.

    PYTHONPATH=. .venv/bin/python tools/fault_campaign.py --random-kills 30 --commit-kills 10

A reader thread reads the published pair all along (through `.current`, resolved once), and
after each kill the files a user opens (`OUT/statements.parquet`, `OUT/documents.parquet`)
are read before the next run recovers anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "gold" / "dev"


def run(raw: Path, out: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            "--raw",
            str(raw),
            "--out",
            str(out),
            "--quiet",
            "--workers",
            "2",
            "--allow-shrink",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(raw: Path, out: Path) -> str:
    proc = run(raw, out)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"a recovery run failed ({proc.returncode}): {err}")
    return err


def mixed(folder: Path) -> bool:
    """True when the statements, documents and manifest in a folder are not of one run."""
    statements = pq.read_table(folder / "statements.parquet", columns=["doc_id"])
    documents = pq.read_table(folder / "documents.parquet", columns=["doc_id", "source_path"])
    manifest = json.loads((folder / "manifest.json").read_text())
    return not (
        set(statements.column("doc_id").to_pylist()) <= set(documents.column("doc_id").to_pylist())
        and set(manifest["files"]) == set(documents.column("source_path").to_pylist())
    )


def tables(folder: Path):
    return pq.read_table(folder / "statements.parquet"), pq.read_table(folder / "documents.parquet")


class Reader(threading.Thread):
    """Reads the published pair over and over while runs publish and die."""

    def __init__(self, out: Path):
        super().__init__(daemon=True)
        self.out, self.reads, self.mixed, self.stop = out, 0, 0, False

    def run(self):
        while not self.stop:
            try:
                folder = Path(os.path.realpath(self.out / ".current"))
                bad = mixed(folder)
            except (OSError, ValueError):  # nothing published yet, or a version removed mid-read
                time.sleep(0.05)
                continue
            self.reads += 1
            self.mixed += bad


def raw_state(raw: Path, names: list[str]) -> str:
    for path in raw.iterdir():
        path.unlink()
    for name in names:
        for suffix in (".txt", ".meta.json"):
            shutil.copy(DEV / f"{name}{suffix}", raw / f"{name}{suffix}")
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:12]


def damage(out: Path, kind: str) -> None:
    table = Path(os.path.realpath(out / random.choice(["statements.parquet", "documents.parquet"])))
    data = table.read_bytes()
    if kind == "delete-file":
        table.unlink()
    elif kind == "delete-link":
        (out / "statements.parquet").unlink()
    elif kind == "truncate":
        table.write_bytes(data[: len(data) // 2])
    elif kind == "zero-length":
        table.write_bytes(b"")
    elif kind == "bit-flip":
        flipped = bytearray(data)
        flipped[random.randrange(len(flipped))] ^= 1 << random.randrange(8)
        table.write_bytes(bytes(flipped))
    elif kind == "half-rows":
        whole = pq.read_table(table)
        pq.write_table(whole.slice(0, whole.num_rows // 2), table)
    elif kind == "empty-journal":
        (out / ".commit").write_text("")
    elif kind == "garbled-journal":
        (out / ".commit").write_bytes(os.urandom(40))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--random-kills", type=int, default=30)
    parser.add_argument("--commit-kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    random.seed(args.seed)
    names = sorted({p.name.split(".")[0] for p in DEV.glob("*.txt")})
    work = Path(tempfile.mkdtemp(prefix="fault-campaign-"))
    raw, out = work / "raw", work / "out"
    raw.mkdir()
    states = [random.sample(names, 10) for _ in range(4)]
    scratch: dict[str, tuple] = {}

    def expected(state: str):
        if state not in scratch:
            folder = work / f"scratch-{state}"
            finish(raw, folder)
            scratch[state] = tables(folder)
        return scratch[state]

    counts = {
        "random kills": 0,
        "killed before finishing": 0,
        "commit kills": 0,
        "recoveries": 0,
        "mismatches against scratch": 0,
        "mixed pairs after a kill": 0,
        "corrupted states tried": 0,
        "corrupted states repaired": 0,
    }
    state = raw_state(raw, states[0])
    started = time.monotonic()
    finish(raw, out)
    duration = time.monotonic() - started
    reader = Reader(out)
    reader.start()

    def check(state: str) -> None:
        counts["recoveries"] += 1
        got, want = tables(out), expected(state)
        if not (got[0].equals(want[0]) and got[1].equals(want[1])):
            counts["mismatches against scratch"] += 1

    plan = ["random"] * args.random_kills + ["commit"] * args.commit_kills
    random.shuffle(plan)
    for kind in plan:
        state = raw_state(raw, random.choice(states))
        if kind == "random":
            proc = run(raw, out)
            time.sleep(random.uniform(0.2, duration * 1.1))
            counts["random kills"] += 1
            if proc.poll() is None:
                counts["killed before finishing"] += 1
            proc.kill()
            proc.communicate()
        else:
            point = random.choice(["committing", "half-committed"])
            proc = run(raw, out, {"CASUALTY_KILL_AT": point})
            proc.communicate()
            counts["commit kills"] += proc.returncode == -signal.SIGKILL
        try:
            counts["mixed pairs after a kill"] += mixed(out)
        except (OSError, ValueError):
            pass  # nothing published yet
        finish(raw, out)
        check(state)
    for kind in [
        "delete-file",
        "delete-link",
        "truncate",
        "zero-length",
        "bit-flip",
        "half-rows",
        "empty-journal",
        "garbled-journal",
    ]:
        damage(out, kind)
        counts["corrupted states tried"] += 1
        finish(raw, out)
        got, want = tables(out), expected(state)
        counts["corrupted states repaired"] += got[0].equals(want[0]) and got[1].equals(want[1])
    reader.stop = True
    reader.join()
    counts["reader reads"] = reader.reads
    counts["mixed pairs seen by the reader"] = reader.mixed
    for name, value in counts.items():
        print(f"{name}: {value}")
    shutil.rmtree(work, ignore_errors=True)
    return (
        1 if counts["mismatches against scratch"] or reader.mixed or counts["mixed pairs after a kill"] else 0
    )


if __name__ == "__main__":
    sys.exit(main())
