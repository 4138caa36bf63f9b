"""Extraction on a Dask distributed cluster, for archives that outgrow one machine.

Batches of documents go to the cluster's workers and come back in their original
order; only a bounded window of batches is in flight, so the client's memory stays
flat however large the archive.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from .batches import extract_batch
from .ingest import Document

# Batches in flight per worker thread: enough to keep every worker busy.
IN_FLIGHT_PER_THREAD = 4


def extract_on_cluster(
    batches: Iterable[list[Document]], address: str
) -> Iterator[tuple[Document, list[dict]]]:
    from distributed import Client  # imported only when a cluster is asked for

    with Client(address, timeout="30s") as client:
        threads = sum(client.nthreads().values()) or 1
        window: deque = deque()
        for batch in batches:
            window.append(client.submit(extract_batch, batch, pure=False))
            if len(window) >= threads * IN_FLIGHT_PER_THREAD:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
