"""The stages joined up: raw folder -> documents -> figures -> rows -> Parquet.

Documents stream through in batches, so memory stays flat as the corpus grows; with
more than one worker, batches are extracted in a process pool and written back in
their original order, so the table is the same whatever the number of workers.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyarrow.parquet as pq

from . import normalize, schema
from .extract import extract
from .grammar.budget import Budget
from .ingest import MAX_ARTICLE_BYTES, Document, read_raw
from .load import DOCUMENT_ROW_GROUP_ROWS, AtomicParquetWriter, write_datapackage
from .paths import Outputs

BATCH_DOCUMENTS = 64


@dataclass
class Counts:
    documents: int = 0
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    figures: int = 0

    def add(self, doc: Document, figures: int) -> None:
        self.documents += 1
        setattr(self, doc.status, getattr(self, doc.status) + 1)
        self.figures += figures

    def line(self) -> str:
        return (f"{self.documents} documents read: {self.ok} processed, {self.skipped} skipped, "
                f"{self.failed} failed; {self.figures} figures found")


def extract_document(doc: Document) -> tuple[Document, list[dict]]:
    """Figures of one document as rows; a crash in the grammar fails only this document, and
    one that runs out of its time budget keeps the figures found before, with a reason."""
    if doc.cached_rows is not None:
        return doc, doc.cached_rows
    if doc.status != "ok" or not doc.text:
        return doc, []
    try:
        problems: list[str] = []
        budget = Budget.for_text(doc.text)
        rows = normalize.rows(doc, extract(doc.text, doc.published_date, problems, budget))
        if problems:
            note = (f"time budget of {budget.seconds:.2f} CPU seconds used up; {len(problems)} part(s) "
                    f"skipped, the first: {problems[0]}" if budget.exhausted
                    else f"{len(problems)} part(s) skipped: {problems[0]}")
            doc.reason = f"{doc.reason}; {note}" if doc.reason else note
        return doc, rows
    except Exception as error:  # the input must never stop the run: record and go on
        doc.status = "failed"
        doc.reason = f"extraction failed: {type(error).__name__}: {str(error)[:120]}"
        return doc, []


def extract_batch(docs: list[Document]) -> list[tuple[Document, list[dict]]]:
    return [extract_document(doc) for doc in docs]


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extracted(docs: Iterable[Document], workers: int = 1,
              scheduler: str | None = None) -> Iterator[tuple[Document, list[dict]]]:
    """(document, rows) in input order, extracted locally, in a pool, or on a Dask cluster."""
    if scheduler:
        from .cluster import extract_on_cluster
        yield from extract_on_cluster(batches(docs, BATCH_DOCUMENTS), scheduler)
        return
    if workers <= 1:
        for doc in docs:
            yield extract_document(doc)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # map() keeps order; a bounded window keeps memory flat on a large corpus.
        window: list = []
        for batch in batches(docs, BATCH_DOCUMENTS):
            window.append(pool.submit(extract_batch, batch))
            if len(window) >= workers * 4:
                yield from window.pop(0).result()
        for future in window:
            yield from future.result()


def document_row(doc: Document, figures: int | None) -> dict:
    return {"doc_id": doc.doc_id, "source_path": doc.source_path, "record_id": doc.record_id,
            "line_number": doc.line_number, "status": doc.status, "reason": doc.reason,
            "publisher": doc.publisher, "title": doc.title, "url": doc.url,
            "published_date": doc.published_date, "language": doc.language,
            "figure_count": figures, "text": doc.text}


def document_from_row(row: dict) -> Document:
    fields = {k: row[k] for k in ("doc_id", "source_path", "record_id", "line_number", "status",
                                  "reason", "publisher", "title", "url", "published_date",
                                  "language", "text")}
    return Document(**fields)


def read_documents(path: Path) -> Iterator[Document]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
        for row in batch.to_pylist():
            yield document_from_row(row)


def write_tables(pairs: Iterable[tuple[Document, list[dict]]], outputs: Outputs,
                 progress=None) -> Counts:
    """Write statements and documents together; both are moved into place only when both
    are complete, so a failure leaves the previous pair as it was."""
    counts = Counts()
    statements = AtomicParquetWriter(outputs.statements, schema.STATEMENTS_SCHEMA)
    try:
        documents = AtomicParquetWriter(outputs.documents, schema.DOCUMENTS_SCHEMA,
                                        DOCUMENT_ROW_GROUP_ROWS)
    except BaseException:
        statements.abort()
        raise
    try:
        for doc, rows in pairs:
            statements.write(rows)
            documents.write([document_row(doc, len(rows))])
            counts.add(doc, len(rows))
            if progress is not None:
                progress.update(1)
        statements.finish()
        documents.finish()
    except BaseException:
        statements.abort()
        documents.abort()
        raise
    statements.publish()
    documents.publish()
    write_datapackage(outputs.datapackage)
    return counts


def ingest_only(raw: Path, outputs: Outputs, today: dt.date | None = None, progress=None,
                limit: int | None = None) -> Counts:
    """The ingest stage on its own: documents.parquet with no figures counted yet."""
    counts = Counts()
    with AtomicParquetWriter(outputs.documents, schema.DOCUMENTS_SCHEMA, DOCUMENT_ROW_GROUP_ROWS) as documents:
        for doc in read_raw(raw, today, limit or MAX_ARTICLE_BYTES):
            documents.write([document_row(doc, 0)])
            counts.add(doc, 0)
            if progress is not None:
                progress.update(1)
    return counts


def progress_bar(quiet: bool, what: str):
    from tqdm import tqdm
    return tqdm(desc=what, unit=" docs", file=sys.stderr,
                disable=quiet or not sys.stderr.isatty(), dynamic_ncols=True)
