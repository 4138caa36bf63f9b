"""A time budget per document, so that no article can stall a run or a worker.

The grammar checks it between sentences and between its passes over an article: one clock
read per sentence, instead of one per pattern call. Once the budget is spent every later
check fails at once, so the sentences and passes left are skipped (and reported), never run.

It counts the CPU time of the calling thread (`time.thread_time`), not wall time: a busy
machine does not make an article run out, the budget works the same in a process pool and in
a Dask worker thread, and it needs no signal (an alarm works only in a main thread).
"""

from __future__ import annotations

import time

# CPU seconds a document may take: a floor, plus a rate per character. The rate allows about
# 100 KB a second; the grammar reads real articles 20 to 40 times faster, so only a
# pathological text reaches it, and an article of 100 KB stops within 1.5 seconds.
BASE_SECONDS = 0.5
SECONDS_PER_CHARACTER = 10e-6


class OutOfTime(TimeoutError):
    """The document's budget is spent: the sentence or pass that checked it is skipped."""


class Budget:
    __slots__ = ("seconds", "deadline", "exhausted")

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.thread_time() + seconds
        self.exhausted = False

    @classmethod
    def for_text(cls, text: str) -> Budget:
        return cls(BASE_SECONDS + SECONDS_PER_CHARACTER * len(text))

    def check(self) -> None:
        """Raise OutOfTime if the budget is spent (and at every call after that)."""
        if self.exhausted or time.thread_time() > self.deadline:
            self.exhausted = True
            raise OutOfTime(f"time budget of {self.seconds:.2f} CPU seconds used up")
