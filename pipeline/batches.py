"""Extraction's unit of work: one document, or a batch of them, to rows of the table.

The same functions run in this process, in a pool's worker processes and on a Dask cluster's
workers (build.py and cluster.py hand the batches out), so they import neither of those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from . import normalize
from .extract import extract
from .grammar.budget import Budget
from .ingest import Document

# Documents per batch sent to a worker: large enough that sending it costs little beside
# extracting it, small enough to keep every worker busy to the end.
BATCH_DOCUMENTS = 64


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
            note = (
                f"time budget of {budget.seconds:.2f} CPU seconds used up; {len(problems)} part(s) "
                f"skipped, the first: {problems[0]}"
                if budget.exhausted
                else f"{len(problems)} part(s) skipped: {problems[0]}"
            )
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
