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

from . import EXTRACTOR_VERSION, __version__
from .build import document_from_row
from .ingest import MAX_ARTICLE_BYTES, Document, RawInput, read_input
from .load import write_json
from .paths import Outputs

# Outputs that belong together: committed as one, in this order.
COMMITTED = ("statements.parquet", "documents.parquet", "datapackage.json", "validation.json",
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

# How many changed rows changes.json lists value by value (all ids are always listed).
MAX_LISTED = 10_000


def _rows(path: Path, key: str, columns: tuple[str, ...]) -> dict[str, dict]:
    if not path.exists():
        return {}
    names = list(dict.fromkeys((key, *columns)))
    return {row[key]: row for row in pq.read_table(path, columns=names).to_pylist()}


def table_changes(old_table: Path, new_table: Path, key: str, compared: tuple[str, ...],
                  groups: tuple[str, ...] = ()) -> dict:
    """Rows added, removed and changed between two versions of a table, matched on `key`,
    with every changed value as old -> new and a count of changed values per column out of
    those compared (rows in both tables times `compared`)."""
    old = _rows(old_table, key, (*compared, *groups))
    new = _rows(new_table, key, (*compared, *groups))
    added = sorted(k for k in new if k not in old)
    removed = sorted(k for k in old if k not in new)
    common = [k for k in sorted(new) if k in old]
    by_column = {c: 0 for c in compared}
    changed, listed = [], []
    for k in common:
        values = {c: {"old": old[k][c], "new": new[k][c]} for c in compared if old[k][c] != new[k][c]}
        if not values:
            continue
        changed.append(k)
        for c in values:
            by_column[c] += 1
        if len(listed) < MAX_LISTED:
            listed.append({key: k, **{g: new[k][g] for g in groups}, "values": values})
    result: dict = {"rows_before": len(old), "rows_after": len(new), "added": len(added),
                    "removed": len(removed), "changed": len(changed),
                    "changed_values": {"changed": sum(by_column.values()),
                                       "compared": len(common) * len(compared)},
                    "changed_values_by_column": {c: n for c, n in by_column.items() if n}}
    for group in groups:
        table: dict = defaultdict(lambda: {"added": 0, "removed": 0, "changed": 0})
        for kind, ids, rows in (("added", added, new), ("removed", removed, old), ("changed", changed, new)):
            for k in ids:
                table[str(rows[k][group])][kind] += 1
        result[f"by_{group}"] = dict(sorted(table.items()))
    result.update({"added_ids": added, "removed_ids": removed, "changed_ids": changed,
                   "changed_rows": listed, "changed_rows_listed": f"{len(listed)} of {len(changed)}"})
    return result


def changes(old_table: Path, new_table: Path) -> dict:
    """changes.json: what changed in the figures since the last table (other tables' changes
    go in as further sections, each a `table_changes` under its table's name)."""
    return {"version": __version__,
            **table_changes(old_table, new_table, "statement_id", COMPARED, ("publisher", "category"))}


def _section_line(report: dict) -> str:
    values = report["changed_values"]
    columns = ", ".join(f"{c} {n}" for c, n in report["changed_values_by_column"].items())
    return (f"{report['added']} added, {report['removed']} removed, {report['changed']} changed; "
            f"changed values: {values['changed']} / {values['compared']}" + (f" ({columns})" if columns else ""))


def change_line(report: dict) -> str:
    """One line for the log: figures, then each further table's section."""
    by_category = ", ".join(f"{category} +{v['added']}/-{v['removed']}/~{v['changed']}"
                            for category, v in report.get("by_category", {}).items())
    line = "changes since the last table: " + _section_line(report)
    if by_category:
        line += f"; by category: {by_category}"
    for name, section in report.items():
        if isinstance(section, dict) and "changed_values" in section:
            line += f"; {name}: " + _section_line(section)
    return line
