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
from itertools import groupby
from operator import itemgetter
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq

from . import EXTRACTOR_VERSION, __version__
from .build import document_from_row
from .ingest import MAX_ARTICLE_BYTES, Document, RawFile, RawInput, read_input, skipped
from .paths import Outputs

# Columns compared to tell a changed figure from an unchanged one.
COMPARED = (
    "category",
    "count",
    "count_min",
    "count_max",
    "qualifier",
    "subject",
    "subject_kind",
    "claimant",
    "claimant_text",
    "perpetrator",
    "location",
    "event_date_start",
    "event_date_end",
    "date_precision",
    "is_cumulative",
    "quote",
    "parent_statement_id",
)


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
            raise Busy(
                f"another run is writing {out} (lock {path} held by pid {holder}); "
                f"try again when it has finished"
            ) from None
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
    if not a or not b:
        return False
    return all(a.get(k) == b.get(k) for k in CONTENT_KEYS)


def up_to_date(manifest: dict | None, fingerprints: dict[str, dict]) -> bool:
    """True when the last (checked) run already covered exactly these files, with this extractor."""
    if not manifest or manifest.get("extractor_version") != EXTRACTOR_VERSION:
        return False
    files = manifest.get("files", {})
    return files.keys() == fingerprints.keys() and all(
        _same_content(files[k], fingerprints[k]) for k in fingerprints
    )


def _order(source_path: str) -> PurePosixPath:
    return PurePosixPath(source_path)


def _groups(path: Path, columns=None) -> Iterator[tuple[str, list[dict]]]:
    """Rows of a table grouped by source_path, in table order (the order runs write)."""
    if not path.exists():
        return
    rows = (
        row
        for batch in pq.ParquetFile(path).iter_batches(batch_size=2048, columns=columns)
        for row in batch.to_pylist()
    )
    for source_path, run in groupby(rows, key=itemgetter("source_path")):
        yield source_path, list(run)


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


def documents(
    inputs: list[RawInput],
    fingerprints: dict[str, dict],
    manifest: dict | None,
    outputs: Outputs,
    today: dt.date,
    limit: int = MAX_ARTICLE_BYTES,
    counts: Counter | None = None,
) -> Iterator[Document]:
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
        fingerprints[item.rel] = (
            _with_stat(read) if "file" in read else {"skipped": "could not be read whole"}
        )


# --- what changed in the table ----------------------------------------------------------

# How many changed rows changes.json lists value by value (all ids are always listed).
MAX_LISTED = 10_000


def _rows(path: Path, key: str, columns: tuple[str, ...]) -> dict[str, dict]:
    names = list(dict.fromkeys((key, *columns)))
    try:
        table = pq.read_table(path, columns=names)
    except Exception:  # no table, or one that failed its check: every row counts as new
        return {}
    return {row[key]: row for row in table.to_pylist()}


def table_changes(
    old_table: Path, new_table: Path, key: str, compared: tuple[str, ...], groups: tuple[str, ...] = ()
) -> dict:
    """Rows added, removed and changed between two versions of a table, matched on `key`,
    with every changed value as old -> new and a count of changed values per column out of
    those compared (rows in both tables times `compared`)."""
    old = _rows(old_table, key, (*compared, *groups))
    new = _rows(new_table, key, (*compared, *groups))
    added = sorted(k for k in new if k not in old)
    removed = sorted(k for k in old if k not in new)
    common = [k for k in sorted(new) if k in old]
    by_column = {c: 0 for c in compared}
    changed: list = []
    listed: list[dict] = []
    for k in common:
        values = {c: {"old": old[k][c], "new": new[k][c]} for c in compared if old[k][c] != new[k][c]}
        if not values:
            continue
        changed.append(k)
        for c in values:
            by_column[c] += 1
        if len(listed) < MAX_LISTED:
            listed.append({key: k, **{g: new[k][g] for g in groups}, "values": values})
    result: dict = {
        "rows_before": len(old),
        "rows_after": len(new),
        "added": len(added),
        "removed": len(removed),
        "changed": len(changed),
        "changed_values": {"changed": sum(by_column.values()), "compared": len(common) * len(compared)},
        "changed_values_by_column": {c: n for c, n in by_column.items() if n},
    }
    for group in groups:
        table: dict = defaultdict(lambda: {"added": 0, "removed": 0, "changed": 0})
        for kind, ids, rows in (("added", added, new), ("removed", removed, old), ("changed", changed, new)):
            for k in ids:
                table[str(rows[k][group])][kind] += 1
        result[f"by_{group}"] = dict(sorted(table.items()))
    result.update(
        {
            "added_ids": added,
            "removed_ids": removed,
            "changed_ids": changed,
            "changed_rows": listed,
            "changed_rows_listed": f"{len(listed)} of {len(changed)}",
        }
    )
    return result


def changes(old_table: Path, new_table: Path) -> dict:
    """changes.json: what changed in the figures since the last table (other tables' changes
    go in as further sections, each a `table_changes` under its table's name)."""
    return {
        "version": __version__,
        **table_changes(old_table, new_table, "statement_id", COMPARED, ("publisher", "category")),
    }


def _section_line(report: dict) -> str:
    values = report["changed_values"]
    columns = ", ".join(f"{c} {n}" for c, n in report["changed_values_by_column"].items())
    return (
        f"{report['added']} added, {report['removed']} removed, {report['changed']} changed; "
        f"changed values: {values['changed']} / {values['compared']}" + (f" ({columns})" if columns else "")
    )


def change_line(report: dict) -> str:
    """One line for the log: figures, then each further table's section."""
    by_category = ", ".join(
        f"{category} +{v['added']}/-{v['removed']}/~{v['changed']}"
        for category, v in report.get("by_category", {}).items()
    )
    line = "changes since the last table: " + _section_line(report)
    if by_category:
        line += f"; by category: {by_category}"
    for name, section in report.items():
        if isinstance(section, dict) and "changed_values" in section:
            line += f"; {name}: " + _section_line(section)
    return line
