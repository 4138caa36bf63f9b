"""Hostile raw folders: one bad file is one `skipped` row, never the end of the run.

Each case is read the way a run reads it (plan, fingerprint, documents, tables); the last
test runs the command on a folder holding every case beside real articles.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import build, ingest, refresh
from pipeline.paths import Outputs

from .conftest import SEEDS, run_cli, run_command

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)
GOOD = "Blast in the market\n\nTwelve people were killed in the blast on Friday, police said.\n"
DEEP = b"[" * 100_000 + b"]" * 100_000


@contextmanager
def time_limit(seconds: int):
    """A read that would hang (a FIFO, /dev/zero) fails the test instead of stopping it."""

    def expired(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def stage(raw: Path, out: Path) -> tuple[dict[str, list[dict]], list[dict], dict]:
    """What a run stages for a raw folder: documents by source path, statements, fingerprints."""
    inputs = ingest.plan(raw)
    fingerprints = {item.rel: refresh.fingerprint(item, None) for item in inputs}
    docs = refresh.documents(inputs, fingerprints, None, Outputs(out), TODAY)
    build.write_tables(build.extracted(docs, 1), Outputs(out))
    by_path: dict[str, list[dict]] = {}
    for row in pq.read_table(out / "documents.parquet").to_pylist():
        by_path.setdefault(row["source_path"], []).append(row)
    return by_path, pq.read_table(out / "statements.parquet").to_pylist(), fingerprints


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def assert_good_article_read(docs: dict, rows: list[dict]) -> None:
    assert docs["good.txt"][0]["status"] == "ok"
    assert any(r["source_path"] == "good.txt" and r["count"] == 12 for r in rows)


def test_json_lines_record_nested_100000_deep(raw, tmp_path):
    (raw / "feed.jsonl").write_bytes(
        b'{"id": "a", "text": ' + DEEP + b"}\n" + json.dumps({"id": "b", "text": GOOD}).encode() + b"\n"
    )
    docs, rows, _ = stage(raw, tmp_path / "out")
    first, second = docs["feed.jsonl"]
    assert first["status"] == "skipped" and first["reason"] == "line 1: invalid JSON (nested too deeply)"
    assert second["status"] == "ok" and any(r["record_id"] == "b" for r in rows)
    assert_good_article_read(docs, rows)


def test_sidecar_nested_100000_deep(raw, tmp_path):
    (raw / "article.txt").write_text(GOOD, encoding="utf-8")
    (raw / "article.meta.json").write_bytes(b'{"title": ' + DEEP + b"}")
    docs, rows, _ = stage(raw, tmp_path / "out")
    row = docs["article.txt"][0]
    assert row["status"] == "ok"
    assert row["reason"] == "metadata article.meta.json unreadable (nested too deeply)"


def test_lone_surrogate_in_a_record(raw, tmp_path):
    (raw / "feed.jsonl").write_text(
        '{"id": "a", "text": "Five people \\ud800 were killed."}\n'
        '{"id": "b", "title": "\\udfff", "text": "Six people were killed."}\n'
        '{"id": "c", "text": "A pair \\ud83d\\ude00 is fine: 7 people were killed."}\n'
    )
    docs, rows, _ = stage(raw, tmp_path / "out")
    a, b, c = docs["feed.jsonl"]
    assert a["status"] == b["status"] == "skipped"
    assert a["reason"].startswith("line 1: invalid JSON (a lone surrogate escape")
    assert b["reason"].startswith("line 2: invalid JSON (a lone surrogate escape")
    assert c["status"] == "ok" and "\U0001f600" in c["text"]


def test_lone_surrogate_in_a_sidecar(raw, tmp_path):
    (raw / "article.txt").write_text(GOOD, encoding="utf-8")
    (raw / "article.meta.json").write_text('{"title": "\\ud800", "publisher": "X"}')
    docs, rows, _ = stage(raw, tmp_path / "out")
    row = docs["article.txt"][0]
    assert row["status"] == "ok" and row["publisher"] is None
    assert row["reason"].startswith("metadata article.meta.json unreadable (a lone surrogate escape")


def test_file_name_that_is_not_utf8(raw, tmp_path):
    os.close(os.open(os.fsencode(raw) + b"/bad\xffname.txt", os.O_CREAT | os.O_WRONLY, 0o644))
    folder = os.fsencode(raw) + b"/\xfe-folder"
    os.mkdir(folder)
    with open(folder + b"/inside.txt", "wb") as f:
        f.write(GOOD.encode())
    docs, rows, _ = stage(raw, tmp_path / "out")
    for name in ("bad\\xffname.txt", "\\xfe-folder/inside.txt"):
        assert docs[name][0]["status"] == "skipped"
        assert docs[name][0]["reason"] == "file name is not valid UTF-8; not read"
    assert_good_article_read(docs, rows)


def test_count_too_large_for_the_table(raw, tmp_path):
    (raw / "huge.txt").write_text(
        "Huge\n\nAt least 99999999999999999999999 people were killed. Nine people were wounded on Friday.\n",
        encoding="utf-8",
    )
    docs, rows, _ = stage(raw, tmp_path / "out")
    row = docs["huge.txt"][0]
    assert row["status"] == "ok"
    assert "too large to be a count" in row["reason"]
    counts = [r["count"] for r in rows if r["source_path"] == "huge.txt"]
    assert counts == [9]  # the other figure of the article is kept


@pytest.mark.parametrize("make", ["loop", "dangling", "folder", "passwd", "dev-zero"])
def test_symbolic_links_are_not_followed(raw, tmp_path, make):
    link = raw / "link.txt"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "outside.txt").write_text(GOOD, encoding="utf-8")
    target = {
        "loop": link,
        "dangling": raw / "nowhere.txt",
        "folder": elsewhere,
        "passwd": Path("/etc/passwd"),
        "dev-zero": Path("/dev/zero"),
    }[make]
    link.symlink_to(target)
    with time_limit(60):
        docs, rows, fingerprints = stage(raw, tmp_path / "out")
    assert sorted(docs) == ["good.txt", "link.txt"]  # nothing below a linked folder is read
    assert docs["link.txt"][0]["status"] == "skipped"
    assert docs["link.txt"][0]["reason"] == "symbolic link; not followed"
    # nothing of the target (hash, size, time) goes into the manifest
    assert fingerprints["link.txt"] == {"skipped": "symbolic link; not followed"}


def test_fifo_is_never_opened(raw, tmp_path):
    os.mkfifo(raw / "pipe.txt")
    with time_limit(60):
        docs, rows, fingerprints = stage(raw, tmp_path / "out")
    assert docs["pipe.txt"][0]["status"] == "skipped"
    assert docs["pipe.txt"][0]["reason"] == "not a regular file (FIFO); not opened"
    assert_good_article_read(docs, rows)


def test_a_regular_file_replaced_by_a_fifo_is_not_waited_on(tmp_path):
    """Between listing and reading, a file can become a FIFO: the read refuses it at once."""
    path = tmp_path / "a.txt"
    os.mkfifo(path)
    with time_limit(30), pytest.raises(OSError, match="not a regular file"):
        ingest.RawFile(path)


def _without_file_permission_override():
    """As root the permission bits are not checked: drop the two capabilities that skip them."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_unprivileged(raw: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        run_command(raw, out, workers=1),
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=_without_file_permission_override,
        timeout=300,
    )


def test_unreadable_file_and_folder(raw, tmp_path):
    (raw / "secret.txt").write_text(GOOD, encoding="utf-8")
    (raw / "secret.txt").chmod(0)
    (raw / "locked").mkdir()
    (raw / "locked" / "inside.txt").write_text(GOOD, encoding="utf-8")
    (raw / "locked").chmod(0)
    try:
        result = run_unprivileged(raw, tmp_path / "out")
    finally:
        (raw / "locked").chmod(0o755)
    assert result.returncode == 0, result.stderr
    docs = {r["source_path"]: r for r in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    assert docs["secret.txt"]["status"] == "skipped"
    assert docs["secret.txt"]["reason"] == "cannot read file: Permission denied"
    assert docs["locked"]["status"] == "skipped"
    assert docs["locked"]["reason"] == "cannot read folder: Permission denied"
    assert docs["good.txt"]["status"] == "ok"


def test_file_rewritten_while_the_run_reads_it(tmp_path, monkeypatch, capsys):
    """The file is checked whole, then emptied by a writer before it is read, then written
    again: what the run keeps is the hash of what it read, so the next run reads it again."""
    raw = tmp_path / "raw"
    raw.mkdir()
    article = raw / "a.txt"
    article.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    checked = refresh.fingerprint

    def writer_starts_after_the_check(item, previous):
        result = checked(item, previous)
        if item.rel == "a.txt":
            os.truncate(item.path, 0)  # the writer has opened the file with "w"
        return result

    monkeypatch.setattr(refresh, "fingerprint", writer_starts_after_the_check)
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 0
    monkeypatch.setattr(refresh, "fingerprint", checked)
    assert pq.read_table(out / "documents.parquet").to_pylist()[0]["reason"] == "empty article text"
    article.write_text(GOOD, encoding="utf-8")  # the writer finishes
    stat = article.stat()
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    capsys.readouterr()
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 0
    assert "nothing new" not in capsys.readouterr().err
    row = pq.read_table(out / "documents.parquet").to_pylist()[0]
    assert row["status"] == "ok" and row["figure_count"] > 0


def test_hostile_folder_with_real_articles(tmp_path, seed_rows):
    """Every hostile case at once beside the seed articles: exit 0, every file has its row,
    the real articles' figures are those a clean run finds."""
    raw = tmp_path / "raw"
    shutil.copytree(SEEDS, raw)
    (raw / "deep.jsonl").write_bytes(b'{"id": "a", "text": ' + DEEP + b"}\n")
    (raw / "deep-meta.txt").write_text(GOOD, encoding="utf-8")
    (raw / "deep-meta.meta.json").write_bytes(b'{"title": ' + DEEP + b"}")
    (raw / "surrogate.jsonl").write_text('{"id": "s", "text": "Five people \\ud800 were killed."}\n')
    (raw / "huge.txt").write_text("Huge\n\nAt least 99999999999999999999999 people were killed.\n")
    os.close(os.open(os.fsencode(raw) + b"/bad\xffname.txt", os.O_CREAT | os.O_WRONLY, 0o644))
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "dangling.txt").symlink_to(raw / "nowhere.txt")
    (raw / "folder-link").symlink_to(SEEDS)
    (raw / "passwd.txt").symlink_to("/etc/passwd")
    (raw / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(raw / "pipe.txt")
    (raw / "secret.txt").write_text(GOOD, encoding="utf-8")
    (raw / "secret.txt").chmod(0)
    (raw / "locked").mkdir()
    (raw / "locked" / "inside.txt").write_text(GOOD, encoding="utf-8")
    (raw / "locked").chmod(0)
    out = tmp_path / "out"
    try:
        result = run_unprivileged(raw, out)
    finally:
        (raw / "locked").chmod(0o755)
    assert result.returncode == 0, result.stderr
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    expected = {p.name for p in SEEDS.glob("*.txt")} | {
        "deep.jsonl",
        "deep-meta.txt",
        "surrogate.jsonl",
        "huge.txt",
        "bad\\xffname.txt",
        "loop.txt",
        "dangling.txt",
        "folder-link",
        "passwd.txt",
        "zero.txt",
        "pipe.txt",
        "secret.txt",
        "locked",
    }
    assert {d["source_path"] for d in docs} == expected
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    assert all(d["status"] == "ok" for d in docs if d["source_path"] in seeds | {"deep-meta.txt", "huge.txt"})
    assert all(
        d["status"] == "skipped" and d["reason"]
        for d in docs
        if d["source_path"] not in seeds | {"deep-meta.txt", "huge.txt"}
    )
    key = ("source_path", "char_start", "char_end", "category", "count")
    published = [
        tuple(r[k] for k in key)
        for r in pq.read_table(out / "statements.parquet").to_pylist()
        if r["source_path"] in seeds
    ]
    assert published == [tuple(r[k] for k in key) for r in seed_rows]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["passwd.txt"] == {"skipped": "symbolic link; not followed"}
