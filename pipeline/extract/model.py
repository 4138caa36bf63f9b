"""The things the extractor works with: a figure found, a quantity being linked, the article
being read, and the names of the rules that decide them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from ..grammar import dates, prefilter
from ..grammar.budget import Budget
from ..grammar.numbers import Quantity

if TYPE_CHECKING:
    from .dating import Days


class How(StrEnum):
    """The rule that gave a quantity its category."""

    NONE = ""
    BEFORE = "before"  # a trigger before it: "killed at least 23"
    AFTER = "after"  # a trigger after it: "32 people were killed"
    TOLL = "toll"  # a toll noun: "the death toll rose to 32"
    AMONG = "among"  # "six civilians were among 22 people killed"
    BREAKDOWN = "breakdown"  # a part of the figure before: "including nine children"
    COORDINATION = "coordination"  # "killed 36 people and nine others"
    ELLIPSIS = "ellipsis"  # "another 4,000" after a figure
    FORCE = "force"  # a troop noun: "1,000 troops"


@dataclass
class Figure:
    """One figure found in an article, before normalisation. Offsets count from the start of
    the article."""

    quantity: Quantity
    category: str
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    paragraph_start: int
    subject: str | None = None
    subject_kind: str = "people"
    parent: Figure | None = None  # the whole this figure is part of
    claimant: str | None = None
    dates: dates.EventDates | None = None
    location: str | None = None
    perpetrator: str | None = None
    is_cumulative: bool = False
    one_event: bool = True  # dated by its event's day, not by a running period
    follows_on: bool = False  # "another 50": continues the figure before it
    how: How = field(default=How.NONE, repr=False)

    @property
    def start(self) -> int:
        return min(self.quantity.start, self.trigger_start)

    @property
    def end(self) -> int:
        return max(self.quantity.end, self.trigger_end)


@dataclass
class Candidate:
    """A quantity of one sentence while it is linked. Its spans count from the start of the
    sentence: the linking patterns anchor on the sentence's ends."""

    quantity: Quantity
    category: str | None = None
    trigger: tuple[int, int] | None = None
    subject: tuple[int, int] | None = None
    parent: int | None = None  # index of the whole among the sentence's candidates
    breakdown: bool = False
    how: How = How.NONE
    person: bool = False  # a noun phrase for one person ("a man"), not a number


@dataclass
class Sentence:
    """One sentence of the article, with where it and its paragraph start."""

    text: str
    start: int
    end: int
    paragraph_start: int


@dataclass
class Article:
    """One article as the passes read it: its text, what the first pass marked in it, and the
    figures found so far."""

    text: str
    published: dt.date | None
    budget: Budget
    problems: list[str] | None
    marks: prefilter.Marks
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    days: Days | None = None  # the days it names, read when a figure asks
    figures: list[Figure] = field(default_factory=list)

    def note(self, problem: str) -> None:
        """Say what was skipped, when the caller asked to know."""
        if self.problems is not None:
            self.problems.append(problem)
