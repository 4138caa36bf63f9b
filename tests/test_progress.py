"""The progress bar as a person at a terminal sees it, on a terminal that reports no size."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
from pathlib import Path

from .conftest import DEV, run_command

ROOT = Path(__file__).resolve().parent.parent


def test_progress_bar_shows_stage_totals_and_validation_on_a_sizeless_terminal(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("fakes-1914947537", "gva-8b3b34bf4f"):
        for suffix in (".txt", ".meta.json"):
            shutil.copy(DEV / f"{name}{suffix}", raw / f"{name}{suffix}")
    total = sum(p.stat().st_size for p in raw.iterdir())
    master, slave = pty.openpty()  # a new pty reports 0 columns and 0 rows
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    run = subprocess.Popen(
        run_command(raw, tmp_path / "out", quiet=False),
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    screen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            screen += chunk
        elif run.poll() is not None:
            break
    os.close(master)
    assert run.wait(timeout=120) == 0
    lines = screen.decode(errors="replace").replace("\r", "\n").splitlines()
    extract = [line for line in lines if line.startswith("extract:")]
    assert extract, lines
    last = extract[-1]
    assert "100%" in last and f"/{total / 1000:.2f}k" in last and "2/2 files" in last
    assert len(last) <= 80
    assert any(line.startswith("validate: checking the table against statements.json [") for line in lines), (
        lines
    )
