"""load: rows -> Parquet tables and datapackage.json, written atomically.

Each table is written into a temporary file beside its target and moved into place
only when complete, so a crash never leaves a half-written table where readers look.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import schema

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
            os.close(fd)
        except OSError as error:
            raise OutputError(f"cannot write {self.path}: {error.strerror or error}") from error
        self.tmp = Path(tmp)
        self.writer = pq.ParquetWriter(self.tmp, arrow_schema, compression="zstd")
        self.pending: list[dict] = []
        self.rows = 0

    def write(self, rows: list[dict]) -> None:
        self.pending.extend(rows)
        if len(self.pending) >= self.row_group_rows:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            try:
                self.writer.write_table(pa.Table.from_pylist(self.pending, schema=self.schema))
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


def write_json(path: Path, data) -> None:
    """Write JSON atomically, with a stable layout so reruns are byte-identical."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False, sort_keys=False, default=str)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())  # on disk before it takes the name: a journal or manifest is trusted
        os.replace(tmp, path)
    except OSError as error:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error


def write_datapackage(path: Path) -> None:
    write_json(path, schema.datapackage())
