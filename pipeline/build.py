"""The stages joined up: raw folder -> documents -> figures -> rows -> Parquet.

Documents stream through in batches, so memory stays flat as the corpus grows; with
more than one worker, batches are extracted in a process pool and written back in
their original order, so the table is the same whatever the number of workers.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from . import schema
from .batches import BATCH_DOCUMENTS, batches, extract_batch, extract_document
from .ingest import MAX_ARTICLE_BYTES, Document, read_raw
from .load import DOCUMENT_ROW_GROUP_ROWS, AtomicParquetWriter, write_datapackage
from .paths import Outputs

PR_SET_PDEATHSIG = 1  # prctl(2)


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
        return (
            f"{self.documents} documents read: {self.ok} processed, {self.skipped} skipped, "
            f"{self.failed} failed; {self.figures} figures found"
        )

    def failure(self) -> str | None:
        """Why the run failed, if the pipeline itself broke on a document. (Input problems are
        'skipped', and do not fail a run.)"""
        if not self.failed:
            return None
        return f"the pipeline failed on {self.failed} document(s); see the reason column of documents.parquet"


def start_worker(parent: int) -> None:
    """Pool worker start. Ctrl-C goes to the whole process group; only the run answers it (it
    cancels the pool's queued batches), so a worker never prints a traceback of its own. And
    the kernel kills this worker when the run that started it dies (kill -9, the OOM killer),
    so no orphan goes on working for a run that is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: an orphan ends when its queue closes
        pass
    if os.getppid() != parent:  # the run died before the line above
        os._exit(1)


def extracted(
    docs: Iterable[Document], workers: int = 1, scheduler: str | None = None
) -> Iterator[tuple[Document, list[dict]]]:
    """(document, rows) in input order, extracted locally, in a pool, or on a Dask cluster."""
    if scheduler:
        from .cluster import extract_on_cluster

        yield from extract_on_cluster(batches(docs, BATCH_DOCUMENTS), scheduler)
        return
    if workers <= 1:
        for doc in docs:
            yield extract_document(doc)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(os.getpid(),))
    try:
        # Futures in submission order keep the input order; a bounded window keeps memory
        # flat on a large corpus.
        window: list = []
        for batch in batches(docs, BATCH_DOCUMENTS):
            window.append(pool.submit(extract_batch, batch))
            if len(window) >= workers * 4:
                yield from window.pop(0).result()
        for future in window:
            yield from future.result()
    finally:
        # On Ctrl-C or an error, queued batches are dropped rather than run to the end.
        pool.shutdown(wait=True, cancel_futures=True)


def document_row(doc: Document, figures: int | None) -> dict:
    return {
        "doc_id": doc.doc_id,
        "source_path": doc.source_path,
        "record_id": doc.record_id,
        "line_number": doc.line_number,
        "status": doc.status,
        "reason": doc.reason,
        "publisher": doc.publisher,
        "title": doc.title,
        "url": doc.url,
        "published_date": doc.published_date,
        "language": doc.language,
        "figure_count": figures,
        "text": doc.text,
    }


def document_from_row(row: dict) -> Document:
    fields = {
        k: row[k]
        for k in (
            "doc_id",
            "source_path",
            "record_id",
            "line_number",
            "status",
            "reason",
            "publisher",
            "title",
            "url",
            "published_date",
            "language",
            "text",
        )
    }
    return Document(**fields)


def read_documents(path: Path) -> Iterator[Document]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
        for row in batch.to_pylist():
            yield document_from_row(row)


def write_tables(pairs: Iterable[tuple[Document, list[dict]]], outputs: Outputs, progress=None) -> Counts:
    """Write statements and documents together; both are moved into place only when both
    are complete, so a failure leaves the previous pair as it was."""
    counts = Counts()
    statements = AtomicParquetWriter(outputs.statements, schema.PENDING_STATEMENTS_SCHEMA)
    try:
        documents = AtomicParquetWriter(outputs.documents, schema.DOCUMENTS_SCHEMA, DOCUMENT_ROW_GROUP_ROWS)
    except BaseException:
        statements.abort()
        raise
    try:
        for doc, rows in pairs:
            statements.write(rows)
            documents.write([document_row(doc, len(rows))])
            counts.add(doc, len(rows))
            if progress is not None:
                progress.update(1, doc)
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


def ingest_only(
    raw: Path, outputs: Outputs, today: dt.date | None = None, progress=None, limit: int | None = None
) -> Counts:
    """The ingest stage on its own: documents.parquet with no figures counted yet."""
    counts = Counts()
    with AtomicParquetWriter(
        outputs.documents, schema.DOCUMENTS_SCHEMA, DOCUMENT_ROW_GROUP_ROWS
    ) as documents:
        for doc in read_raw(raw, today, limit or MAX_ARTICLE_BYTES):
            documents.write([document_row(doc, 0)])
            counts.add(doc, 0)
            if progress is not None:
                progress.update(1)
    return counts


def _terminal_size() -> tuple[int, int, bool]:
    """(columns, rows, known). A terminal that reports no size (0x0, or no answer) gets 80x24:
    tqdm would draw a bar 0 wide, or hide it as below the last of 0 rows."""
    import os

    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        return 80, 24, False
    known = size.columns > 0 and size.lines > 0
    return (size.columns or 80), (size.lines or 24), known


class Progress:
    """A progress bar on stderr naming its stage. Given the raw files' sizes, it counts
    bytes and files against their totals (so it has an ETA) as documents go by; without
    them (validation) it counts documents. It is redrawn every second, so a long stage
    (one large file, validation) never looks stuck."""

    def __init__(self, stage: str, sizes: dict[str, int] | None, disable: bool, doing: str | None = None):
        import threading

        from tqdm import tqdm

        width, rows, known = _terminal_size()
        self.sizes = sizes or {}
        self.files_done, self.documents = 0, 0
        self.current: str | None = None  # the raw file being read
        total = sum(self.sizes.values()) if sizes else None
        self.bar = tqdm(
            desc=stage,
            total=total,
            unit="B" if sizes else " docs",
            unit_scale=bool(sizes),
            file=sys.stderr,
            disable=disable,
            ncols=width,
            nrows=rows,
            dynamic_ncols=known,
            mininterval=0.5,
            bar_format=f"{{desc}}: {doing} [{{elapsed}}]" if doing else None,
        )
        self.stop = threading.Event()
        self.ticker = None
        if not disable:
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.start()

    def _tick(self) -> None:
        while not self.stop.wait(1.0):
            self.bar.refresh()

    def _file_done(self) -> None:
        if self.current is not None:
            self.files_done += 1
            self.bar.update(self.sizes.get(self.current, 0))

    def update(self, n: int = 1, doc: Document | None = None) -> None:
        self.documents += n
        if not self.sizes:
            self.bar.update(n)
            return
        if doc is not None and doc.source_path != self.current:
            self._file_done()
            self.current = doc.source_path
        self.bar.set_postfix_str(
            f"{self.files_done}/{len(self.sizes)} files, {self.documents} documents", refresh=False
        )

    def close(self) -> None:
        self.stop.set()
        if self.sizes:
            self._file_done()
            self.current = None
            self.bar.set_postfix_str(
                f"{self.files_done}/{len(self.sizes)} files, {self.documents} documents", refresh=False
            )
        self.bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_bar(
    quiet: bool, stage: str, sizes: dict[str, int] | None = None, doing: str | None = None
) -> Progress:
    """The bar for one stage; `sizes` (raw file -> bytes) gives it its totals; `doing` is what
    a stage with nothing to count says it is doing (with the time it has taken)."""
    return Progress(stage, sizes, disable=quiet or not sys.stderr.isatty(), doing=doing)
