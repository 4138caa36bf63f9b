"""Incremental runs: only new work is done, nothing is lost, every change is kept.

The manifest records, per raw file, a hash of its content (and its sidecar's) and the
extractor version; an unchanged file's rows are copied from the last table, in the same
order a full build writes them, so the result equals a build from scratch. The hash kept
for a file that is read is the hash of the bytes that were read (ingest.RawFile), so a
file rewritten during a run is read again by the next one. How outputs are published and
checked is in publish.py; the lock that keeps two runs apart is here.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import signal
import stat
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq

from . import EXTRACTOR_VERSION
from .build import document_from_row
from .ingest import MAX_ARTICLE_BYTES, Document, RawFile, RawInput, read_input, skipped
from .paths import Outputs

# Columns compared to tell a changed figure from an unchanged one.
COMPARED = ("category", "count", "count_min", "count_max", "qualifier", "subject", "subject_kind",
            "claimant", "perpetrator", "location", "event_date_start", "event_date_end",
            "date_precision", "is_cumulative", "quote", "parent_statement_id")


class Busy(Exception):
    """Another run holds the output folder."""


def fault_point(name: str) -> None:
    """Fault injection for the crash tests: CASUALTY_KILL_AT=name kills the run here."""
    if os.environ.get("CASUALTY_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def lock(out: Path) -> Iterator[None]:
    """One writer per output folder. The lock is a POSIX record lock: it belongs to this
    process alone (pool workers do not inherit it) and the kernel drops it when the process
    dies, however it dies, so a lock whose holder is gone is simply taken."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "another process"
            raise Busy(f"another run is writing {out} (lock {path} held by pid {holder}); "
                       f"try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


# --- what changed in the raw folder -----------------------------------------------------

def _stat_key(path: Path) -> list[int]:
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(f"{path} is not a regular file")
    return [info.st_size, info.st_mtime_ns]


def _hash(path: Path) -> dict:
    with RawFile(path) as file:
        while file.read(1 << 20):
            pass
    return file.fingerprint()


def fingerprint(item: RawInput, previous: dict | None) -> dict:
    """What the manifest keeps of one raw input: the sha256 of the file and of its sidecar,
    with size and mtime so an unchanged file skips hashing; for an input that is not read
    (a link, a special file, an unreadable file), why not."""
    if item.skip_reason:
        return {"skipped": item.skip_reason}
    try:
        stats = [_stat_key(item.path)] + ([_stat_key(item.sidecar)] if item.sidecar else [])
        if previous and previous.get("stat") == stats:
            return previous
        result = {"file": _hash(item.path)}
        if item.sidecar:
            result["sidecar"] = _hash(item.sidecar)
    except OSError as error:
        return {"skipped": f"cannot read file: {error.strerror or error}"}
    return _with_stat(result)


def _with_stat(read: dict) -> dict:
    """A fingerprint from what RawFile saw: size and mtime are kept only when both files were
    read whole, so a file that changed while it was read is hashed again next time."""
    parts = [read["file"]] + ([read["sidecar"]] if "sidecar" in read else [])
    result = {"sha256": read["file"]["sha256"], "sidecar_sha256": read.get("sidecar", {}).get("sha256")}
    if all(p["mtime_ns"] is not None for p in parts):
        result["stat"] = [[p["size"], p["mtime_ns"]] for p in parts]
    return result


def fingerprints(inputs: list[RawInput], manifest: dict | None) -> dict[str, dict]:
    known = (manifest or {}).get("files", {})
    return {item.rel: fingerprint(item, known.get(item.rel)) for item in inputs}


def new_manifest(fingerprints: dict[str, dict]) -> dict:
    return {"extractor_version": EXTRACTOR_VERSION, "files": fingerprints}


CONTENT_KEYS = ("sha256", "sidecar_sha256", "skipped")


def _same_content(a: dict | None, b: dict | None) -> bool:
    return bool(a and b) and all(a.get(k) == b.get(k) for k in CONTENT_KEYS)


def up_to_date(manifest: dict | None, fingerprints: dict[str, dict]) -> bool:
    """True when the last (checked) run already covered exactly these files, with this extractor."""
    if not manifest or manifest.get("extractor_version") != EXTRACTOR_VERSION:
        return False
    files = manifest.get("files", {})
    return files.keys() == fingerprints.keys() and all(
        _same_content(files[k], fingerprints[k]) for k in fingerprints)


def _order(source_path: str) -> PurePosixPath:
    return PurePosixPath(source_path)


def _groups(path: Path, columns=None) -> Iterator[tuple[str, list[dict]]]:
    """Rows of a table grouped by source_path, in table order (the order runs write)."""
    if not path.exists():
        return
    current, rows = None, []
    for batch in pq.ParquetFile(path).iter_batches(batch_size=2048, columns=columns):
        for row in batch.to_pylist():
            if row["source_path"] != current:
                if rows:
                    yield current, rows
                current, rows = row["source_path"], []
            rows.append(row)
    if rows:
        yield current, rows


class Previous:
    """The last run's rows, walked once in order alongside the raw files."""

    def __init__(self, outputs: Outputs):
        self.documents = _groups(outputs.documents)
        self.statements = _groups(outputs.statements)
        self.next_documents = next(self.documents, None)
        self.next_statements = next(self.statements, None)

    def take(self, source_path: str) -> tuple[list[dict], list[dict]]:
        key = _order(source_path)
        while self.next_documents and _order(self.next_documents[0]) < key:
            self.next_documents = next(self.documents, None)
        while self.next_statements and _order(self.next_statements[0]) < key:
            self.next_statements = next(self.statements, None)
        docs = stmts = []
        if self.next_documents and self.next_documents[0] == source_path:
            docs = self.next_documents[1]
        if self.next_statements and self.next_statements[0] == source_path:
            stmts = self.next_statements[1]
        return docs, stmts


def documents(inputs: list[RawInput], fingerprints: dict[str, dict], manifest: dict | None,
              outputs: Outputs, today: dt.date, limit: int = MAX_ARTICLE_BYTES,
              counts: Counter | None = None) -> Iterator[Document]:
    """Every document of the raw folder in build order; unchanged inputs carry their old rows."""
    reusable = manifest and manifest.get("extractor_version") == EXTRACTOR_VERSION
    files = (manifest or {}).get("files", {})
    previous = Previous(outputs) if reusable else None
    for item in inputs:
        known = fingerprints[item.rel]
        if "skipped" in known:  # nothing to reuse or read: the reason is all there is
            yield skipped(item, known["skipped"])
            continue
        if previous and _same_content(files.get(item.rel), known):
            old_docs, old_rows = previous.take(item.rel)
            if old_docs:
                rows_by_doc = defaultdict(list)
                for row in old_rows:
                    rows_by_doc[row["doc_id"]].append(row)
                for row in old_docs:
                    doc = document_from_row(row)
                    doc.cached_rows = rows_by_doc.get(doc.doc_id, [])
                    yield doc
                if counts is not None:
                    counts["reused"] += 1
                continue
        if counts is not None:
            counts["extracted"] += 1
        read: dict = {}
        yield from read_input(item, today, limit, read)
        # the manifest keeps the hash of what was read, not of what was there earlier
        fingerprints[item.rel] = _with_stat(read) if "file" in read else {
            "skipped": "could not be read whole"}


# --- what changed in the table ----------------------------------------------------------

def _figures(path: Path) -> dict[str, tuple]:
    try:
        table = pq.read_table(path, columns=["statement_id", "publisher", *COMPARED])
    except Exception:  # no table, or one that failed its check: every figure counts as new
        return {}
    return {row["statement_id"]: (row["publisher"], row["category"],
                                  tuple(str(row[c]) for c in COMPARED))
            for row in table.to_pylist()}


def changes(old_table: Path, new_table: Path) -> dict:
    """Figures added, removed and changed since the last table, by publisher and category."""
    old, new = _figures(old_table), _figures(new_table)
    kinds = {"added": [k for k in new if k not in old],
             "removed": [k for k in old if k not in new],
             "changed": [k for k in new if k in old and new[k][2] != old[k][2]]}
    result: dict = {name: len(ids) for name, ids in kinds.items()}
    for group, index in (("by_publisher", 0), ("by_category", 1)):
        table: dict = defaultdict(lambda: {"added": 0, "removed": 0, "changed": 0})
        for name, ids in kinds.items():
            for k in ids:
                source = old if name == "removed" else new
                table[str(source[k][index])][name] += 1
        result[group] = dict(sorted(table.items()))
    result.update({f"{name}_ids": sorted(ids) for name, ids in kinds.items()})
    return result


def change_line(report: dict) -> str:
    by_category = ", ".join(f"{category} +{v['added']}/-{v['removed']}/~{v['changed']}"
                            for category, v in report["by_category"].items())
    return (f"changes since the last table: {report['added']} added, {report['removed']} removed, "
            f"{report['changed']} changed" + (f" ({by_category})" if by_category else ""))
