"""Extraction costs time in proportion to the article: an article four times as long takes
about four times the CPU time, never sixteen (a figure that looks back over every paragraph
before it for a date or a source makes the cost grow with the square of the length).

Measured as a ratio of CPU seconds of this thread, so a busy machine changes both sides alike;
the time budget is lifted, so that it cannot hide a slow path by cutting the article short.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from pipeline import build
from pipeline.grammar import budget
from pipeline.ingest import Document

PUBLISHED = dt.date(2016, 10, 7)
# Linear cost gives 4 for four times the text; the paths fixed here gave 12 to 16.
MOST = 7.0


def cpu_seconds(text: str) -> float:
    """The least CPU time of three runs of extraction and normalisation."""
    best = float("inf")
    for _ in range(3):
        doc = Document("d", "d.txt", text=text, published_date=PUBLISHED)
        start = time.thread_time()
        doc, rows = build.extract_document(doc)
        best = min(best, time.thread_time() - start)
        assert rows and doc.reason is None
    return best


def listing(line: str, size: int) -> str:
    return "Killed in the shelling\n" + line * (size // len(line))


@pytest.mark.parametrize(
    "line",
    [
        "5 killed\n",  # no day named anywhere: each figure looked back for one
        "5 killed, police said.\n",  # 'police' looked back NAME_REACH over every source
        "5 killed, they said.\n",  # 'they' points back to a source that is never named
        "The war has killed 5 people so far.\n",  # running totals looked for a period opened before
    ],
)
def test_four_times_the_text_costs_about_four_times_the_time(monkeypatch, line):
    monkeypatch.setattr(budget, "BASE_SECONDS", 1e6)
    cpu_seconds(listing(line, 2_000))  # warm up: patterns compiled, caches filled
    small, large = cpu_seconds(listing(line, 10_000)), cpu_seconds(listing(line, 40_000))
    assert large / small < MOST, f"{small:.3f} s for 10 KB, {large:.3f} s for 40 KB"


def test_a_list_article_of_100_kb_stops_within_its_budget():
    """However dense, an article of 100 KB stops within its budget (1.5 CPU seconds), keeps
    the figures found until then, and says why it stopped."""
    text = listing("5 killed\n", 100_000)
    doc = Document("d", "d.txt", text=text, published_date=PUBLISHED)
    start = time.thread_time()
    doc, rows = build.extract_document(doc)
    seconds = time.thread_time() - start
    assert rows
    if doc.reason is not None:  # a fast machine reads it all
        assert doc.reason.startswith("time budget of 1.50 CPU seconds used up; ")
    limit = budget.BASE_SECONDS + budget.SECONDS_PER_CHARACTER * len(text)
    assert seconds < limit + 0.5  # the last sentence read, then normalising what was found
