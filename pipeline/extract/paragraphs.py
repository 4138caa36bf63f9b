"""What an article says, read paragraph by paragraph the first time a figure asks."""

from __future__ import annotations

import bisect
from typing import Any


class ByParagraph:
    """What an article says, read paragraph by paragraph the first time a figure asks:
    most figures need one paragraph or two, not the whole article. Positions count from the
    start of the article."""

    def __init__(self, text: str, paragraphs: list[tuple[int, int]]):
        self.text, self.paragraphs = text, paragraphs
        self.starts = [p_start for p_start, _ in paragraphs]
        self.ends = [p_end for _, p_end in paragraphs]
        self.read: dict[int, list[Any]] = {}
        self.kept: dict[tuple[str, int], list[Any]] = {}
        self.empty_from: dict[str, dict[int, int]] = {}

    def _read(self, p_start: int, p_end: int) -> list[Any]:
        raise NotImplementedError

    def _paragraph(self, k: int) -> list[Any]:
        if k not in self.read:
            self.read[k] = self._read(*self.paragraphs[k])
        return self.read[k]

    def _last_paragraph_before(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def _holding(self, kind: str, k: int) -> list[Any]:
        """What paragraph k holds of one kind (all it holds when kind is 'all')."""
        return self._paragraph(k)

    def _last_holding(self, kind: str, k: int, floor: int) -> int:
        """The last paragraph in [floor, k] that holds something of a kind, else less than
        floor. A run of paragraphs found empty is remembered, so that each is stepped over
        once however many figures look back past it: without this, an article of many short
        figures and no dates cost the square of its length."""
        empty_from = self.empty_from.setdefault(kind, {})
        passed = []
        while k >= floor and not self._holding(kind, k):
            passed.append(k)
            k = empty_from.get(k, k) - 1
        for j in passed:
            empty_from[j] = k + 1
        return k
