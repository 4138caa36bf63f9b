"""Incremental, crash-safe runs: only new work is done, nothing is lost, every change is kept.

A run stages all of its outputs in `OUT/.staging/`, validates them there, then commits
them into place under a journal (`OUT/.commit`). A run killed at any point leaves either
the previous outputs untouched, or a journal the next run rolls forward before it does
anything else, so the tables, their validation report and the manifest always belong
together. The manifest records, per raw file, a hash of its content (and its sidecar's)
and the extractor version; an unchanged file's rows are copied from the last table, in
the same order a full build writes them, so the result equals a build from scratch.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq

from . import EXTRACTOR_VERSION
from .build import document_from_row
from .ingest import MAX_ARTICLE_BYTES, Document, RawInput, read_input
from .load import write_json
from .paths import Outputs

# Outputs that belong together: committed as one, in this order.
COMMITTED = ("statements.parquet", "incidents.parquet", "documents.parquet", "datapackage.json", "validation.json",
             "validation", "changes.json", "manifest.json")
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
    out.mkdir(parents=True, exist_ok=True)
    path = out / ".lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Busy(f"another run is writing {out} (lock {path} held by pid {holder}); "
                       f"try again when it has finished") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


# --- commit and recovery ---------------------------------------------------------------

def staging_dir(out: Path) -> Path:
    return out / ".staging"


def _move_into_place(source: Path, target: Path, trash: Path) -> None:
    if target.is_dir() and source.is_dir():
        trash.mkdir(parents=True, exist_ok=True)
        os.replace(target, trash / target.name)
    os.replace(source, target)


def commit(out: Path) -> None:
    """Move every staged output into place, under a journal that makes it all-or-nothing."""
    staging = staging_dir(out)
    names = [n for n in COMMITTED if (staging / n).exists()]
    write_json(out / ".commit", {"names": names})
    fault_point("committing")
    for i, name in enumerate(names):
        _move_into_place(staging / name, out / name, staging / ".old")
        if i == 0:
            fault_point("half-committed")
    os.unlink(out / ".commit")
    shutil.rmtree(staging, ignore_errors=True)


def recover(out: Path) -> str | None:
    """Finish a commit a killed run left half done, or throw away what it had only staged."""
    staging, journal = staging_dir(out), out / ".commit"
    if journal.exists():
        names = json.loads(journal.read_text(encoding="utf-8"))["names"]
        for name in names:
            if (staging / name).exists():
                _move_into_place(staging / name, out / name, staging / ".old")
        journal.unlink()
        shutil.rmtree(staging, ignore_errors=True)
        return "finished the commit of an interrupted run"
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        return "discarded the staged outputs of an interrupted run"
    return None


# --- what changed in the raw folder -----------------------------------------------------

def fingerprint(item: RawInput, previous: dict | None) -> dict:
    """sha256 of a raw file and its sidecar; size and mtime let an unchanged file skip hashing."""
    stats = [p.stat() for p in item.content_files()]
    size = sum(s.st_size for s in stats)
    mtime = max(s.st_mtime_ns for s in stats)
    if previous and previous.get("size") == size and previous.get("mtime_ns") == mtime:
        return previous
    digest = hashlib.sha256()
    for path in item.content_files():
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\x00")
    return {"sha256": digest.hexdigest(), "size": size, "mtime_ns": mtime}


def read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def new_manifest(fingerprints: dict[str, dict]) -> dict:
    return {"extractor_version": EXTRACTOR_VERSION, "files": fingerprints}


def _same_content(a: dict | None, b: dict | None) -> bool:
    return bool(a and b) and a["sha256"] == b["sha256"]


def up_to_date(manifest: dict | None, fingerprints: dict[str, dict], outputs: Outputs) -> bool:
    """True when the last run already covered exactly these files, with this extractor."""
    if not manifest or manifest.get("extractor_version") != EXTRACTOR_VERSION:
        return False
    if not (outputs.statements.exists() and outputs.documents.exists()):
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
        if previous and _same_content(files.get(item.rel), fingerprints[item.rel]):
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
        yield from read_input(item, today, limit)


# --- what changed in the table ----------------------------------------------------------

def _figures(path: Path) -> dict[str, tuple]:
    if not path.exists():
        return {}
    table = pq.read_table(path, columns=["statement_id", "publisher", *COMPARED])
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
