"""Fault campaign: kill runs at random and inside the publish, damage the published state,
and check that every recovery equals a build from scratch and no reader sees a mixed pair.

    PYTHONPATH=. .venv/bin/python tools/fault_campaign.py --random-kills 30 --commit-kills 10

A reader thread reads the published pair all along (through `.current`, resolved once), and
after each kill the files a user opens (`OUT/statements.parquet`, `OUT/documents.parquet`)
are read before the next run recovers anything. Its mixed pairs are counted by phase: the kill
and recovery runs (where there must be none) apart from reads of a version the campaign has
damaged in place on purpose (where the reader is meant to see the damage). Last, the worst
time of any article of 100 KB or less, hostile or real (tools/article_times.py).
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
    """Reads the published pair over and over while runs publish and die, counting reads and
    mixed pairs by phase. A read never spans a change of phase (both hold `lock`). In the
    phase where the campaign damages published files in place on purpose, reads of a damaged
    version are counted apart: there the reader is meant to see damage, and only the runs'
    own publishes must never show a mixed pair."""

    DAMAGED = "reads of a version damaged on purpose"

    def __init__(self, out: Path):
        super().__init__(daemon=True)
        self.out, self.stop, self.phase = out, False, "before the first kill"
        self.lock = threading.Lock()
        self.damaged: set[Path] = set()
        self.reads: dict[str, int] = {}
        self.mixed: dict[str, int] = {}
        self.examples: list[str] = []

    def set_phase(self, phase: str) -> None:
        with self.lock:
            self.phase = phase

    def mark_damaged(self, folder: Path) -> None:
        with self.lock:
            self.damaged.add(folder)

    def run(self):
        while not self.stop:
            with self.lock:
                try:
                    folder = Path(os.path.realpath(self.out / ".current"))
                    bad = mixed(folder)
                except (OSError, ValueError):  # nothing published yet, a version removed mid-read
                    bad = None
                phase = self.DAMAGED if folder in self.damaged else self.phase
            if bad is None:
                time.sleep(0.05)
                continue
            self.reads[phase] = self.reads.get(phase, 0) + 1
            self.mixed[phase] = self.mixed.get(phase, 0) + bad
            if bad and phase != self.DAMAGED and len(self.examples) < 5:
                self.examples.append(f"{phase}: {folder.name}")
            time.sleep(0)  # let the campaign take the lock between reads

    def outside_damage(self) -> int:
        return sum(n for phase, n in self.mixed.items() if phase != self.DAMAGED)


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
    parser.add_argument("--article-sizes", default="25,50,100", help="hostile article sizes in KB; '' skips")
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
        reader.set_phase(f"{kind}-kill runs")
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
        reader.set_phase("recovery runs")
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
        reader.set_phase("repair runs after damage")
        if kind not in ("delete-link", "empty-journal", "garbled-journal"):  # those leave the pair whole
            reader.mark_damaged(Path(os.path.realpath(out / ".current")))
        damage(out, kind)
        counts["corrupted states tried"] += 1
        finish(raw, out)
        got, want = tables(out), expected(state)
        counts["corrupted states repaired"] += got[0].equals(want[0]) and got[1].equals(want[1])
    reader.stop = True
    reader.join()
    for phase, reads in reader.reads.items():
        counts[f"reader, {phase}: mixed pairs / reads"] = f"{reader.mixed[phase]} / {reads}"
    counts["mixed pairs seen by the reader outside deliberate damage"] = reader.outside_damage()
    for name, value in counts.items():
        print(f"{name}: {value}")
    for example in reader.examples:
        print(f"mixed pair: {example}")
    shutil.rmtree(work, ignore_errors=True)
    failed = counts["mismatches against scratch"] or counts["mixed pairs after a kill"]
    if args.article_sizes:
        import article_times

        results = article_times.measure([int(kb) for kb in args.article_sizes.split(",")], 20)
        print("\n".join(article_times.summary(results, show=5)))
        failed = failed or results[0]["cpu_seconds"] >= article_times.LIMIT_SECONDS
    return 1 if failed or reader.outside_damage() else 0


if __name__ == "__main__":
    sys.exit(main())
