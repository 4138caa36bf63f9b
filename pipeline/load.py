"""load: rows -> Parquet tables and datapackage.json, written atomically.

Each table is written into a temporary file beside its target and moved into place
only when complete, so a crash never leaves a half-written table where readers look.
Every file gets the mode a plain `open()` would give it (0666 less the umask), so a
table built by cron can be read by whoever the umask lets read it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__, schema

# Written into every Parquet file's key-value metadata and into datapackage.json.
VERSION_KEY = b"casualty_figures_version"
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0, for the figures and metadata this project "
        "writes; the article texts in documents.parquet remain their publishers'",
    },
    {
        "name": "MIT",
        "path": "https://opensource.org/license/mit",
        "title": "MIT License, for the code that builds the tables (LICENSE)",
    },
]

ROW_GROUP_ROWS = 50_000
# Documents carry their whole text: smaller row groups keep the buffer small.
DOCUMENT_ROW_GROUP_ROWS = 500


class OutputError(Exception):
    """An output could not be written (disk full, read-only folder): the message names it."""


class AtomicParquetWriter:
    """Streams batches of rows into one Parquet file; `commit()` moves it into place."""

    def __init__(self, path: Path, arrow_schema: pa.Schema, row_group_rows: int = ROW_GROUP_ROWS):
        self.path = Path(path)
        self.schema = arrow_schema
        self.row_group_rows = row_group_rows
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            _plain_mode(fd)
            os.close(fd)
        except OSError as error:
            raise OutputError(f"cannot write {self.path}: {error.strerror or error}") from error
        self.tmp = Path(tmp)
        self.writer = pq.ParquetWriter(self.tmp, with_metadata(arrow_schema), compression="zstd")
        self.pending: list[dict] = []
        self.rows = 0

    def write(self, rows: list[dict]) -> None:
        self.pending.extend(rows)
        if len(self.pending) >= self.row_group_rows:
            self.flush()

    def write_batch(self, batch: pa.RecordBatch) -> None:
        """A batch already in this file's schema (a table rewritten column by column)."""
        self.flush()
        try:
            self.writer.write_batch(batch)
        except OSError as error:
            raise OutputError(f"cannot write {self.path}: {error.strerror or error}") from error
        self.rows += batch.num_rows

    def flush(self) -> None:
        if self.pending:
            # Column by column: a third of the time of from_pylist, which reads row by row.
            # (A column a row lacks is null, as from_pylist makes it.)
            columns = {name: [row.get(name) for row in self.pending] for name in self.schema.names}
            try:
                self.writer.write_table(pa.Table.from_pydict(columns, schema=self.schema))
            except OSError as error:
                raise OutputError(f"cannot write {self.path}: {error.strerror or error}") from error
            self.rows += len(self.pending)
            self.pending = []

    def finish(self) -> None:
        """Write everything to the temporary file; the target is untouched until `publish`."""
        self.flush()
        try:
            self.writer.close()
            with open(self.tmp, "rb") as f:
                os.fsync(f.fileno())
        except OSError as error:
            raise OutputError(f"cannot write {self.path}: {error.strerror or error}") from error

    def publish(self) -> None:
        try:
            os.replace(self.tmp, self.path)
        except OSError as error:
            raise OutputError(f"cannot write {self.path}: {error.strerror or error}") from error

    def commit(self) -> None:
        self.finish()
        self.publish()

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if kind is None:
            self.commit()
        else:
            self.abort()
        return False


def _plain_mode(fd: int) -> None:
    """mkstemp creates files 0600 whatever the umask: give the mode open() would have."""
    mask = os.umask(0)
    os.umask(mask)
    os.fchmod(fd, 0o666 & ~mask)


def _pandas_dtype(column: schema.Column) -> str:
    if pa.types.is_integer(column.type):
        # nullable integers: pandas' Int64/Int32, so a null is <NA> and never a float NaN
        return str(column.type).capitalize() if column.nullable else str(column.type)
    if pa.types.is_boolean(column.type):
        return "boolean" if column.nullable else "bool"
    if pa.types.is_dictionary(column.type):
        return "category"
    if pa.types.is_string(column.type):
        return "str"
    return "object"  # dates: pyarrow gives datetime.date objects


def with_metadata(arrow_schema: pa.Schema) -> pa.Schema:
    """The schema plus the version and the pandas metadata pyarrow reads back, so that
    `pd.read_parquet` (and frictionless, which goes through pandas) gets nullable integers."""
    metadata = {}
    declared = next(
        (t.columns for t in schema.TABLES if [c.name for c in t.columns] == arrow_schema.names), None
    )
    if declared:
        import pandas as pd

        empty = pd.DataFrame({c.name: pd.Series([], dtype=_pandas_dtype(c)) for c in declared})
        metadata = dict(pa.Schema.from_pandas(empty, preserve_index=False).metadata or {})
    metadata[VERSION_KEY] = __version__.encode()
    return arrow_schema.with_metadata({**(arrow_schema.metadata or {}), **metadata})


def write_json(path: Path, data) -> None:
    """Write JSON atomically, with a stable layout so reruns are byte-identical."""
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n")


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically: on disk (fsynced) before it takes its name, with the
    mode a plain write gives."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        _plain_mode(fd)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # on disk before it takes the name: a journal or manifest is trusted
        os.replace(tmp, path)
    except OSError as error:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error


def sources(documents: Path) -> list[dict]:
    """The publishers of the raw inputs, from documents.parquet: one source each, with the
    site most of its articles came from and how many files and records it gave."""
    if not documents.exists():
        return []
    rows = pq.read_table(documents, columns=["publisher", "url", "source_path"]).to_pylist()
    records: Counter[str] = Counter()
    files: defaultdict[str, set[str]] = defaultdict(set)
    hosts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        publisher = row["publisher"] or "no publisher given"
        records[publisher] += 1
        files[publisher].add(row["source_path"])
        parts = urlsplit(row["url"] or "")
        if parts.scheme in ("http", "https") and parts.netloc:
            hosts[publisher][f"{parts.scheme}://{parts.netloc}/"] += 1
    result = []
    for publisher in sorted(records):
        source = {"title": publisher}
        if hosts[publisher]:
            source["path"] = hosts[publisher].most_common(1)[0][0]
        source["description"] = (
            f"{records[publisher]} articles or records in {len(files[publisher])} raw files"
        )
        result.append(source)
    return result


def datapackage(documents: Path, now: dt.datetime | None = None) -> dict:
    """The full descriptor: the schema's part, plus version, creation time and sources."""
    described = schema.datapackage()
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return {
        "name": described["name"],
        "title": described["title"],
        "version": __version__,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": LICENSES,
        "sources": sources(documents),
        "resources": described["resources"],
    }


def write_datapackage(path: Path) -> None:
    """datapackage.json for the tables beside it (sources are read from documents.parquet)."""
    path = Path(path)
    write_json(path, datapackage(path.parent / "documents.parquet"))
