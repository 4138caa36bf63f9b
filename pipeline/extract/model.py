"""The things the extractor works with: a figure found, a quantity being linked, the article
being read, and the names of the rules that decide them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from ..grammar import dates, prefilter
from ..grammar.attribution import Claim
from ..grammar.budget import Budget
from ..grammar.dates import EventDates
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


class ClaimantRule(StrEnum):
    """The rule that gave a figure its claimant."""

    NONE = "none"
    SENTENCE = "sentence"  # named in the figure's own sentence: "..., police said"
    WHOLE = "whole"  # a part takes its whole's
    NEXT_SENTENCE = "next_sentence"  # "X said" opening the next sentence
    SENTENCE_BEFORE = "sentence_before"  # "According to X," opening the sentence before
    HEADLINE = "headline"  # a headline ending in its source
    PRONOUN = "pronoun"  # "it said": the last source named before
    SHORTENED = "shortened"  # "the monitor": the source named before that it shortens
    REPORT = "report"  # "were reportedly killed": the account of the last source named
    QUOTE = "quote"  # after "X said:" ending a paragraph


class DatesRule(StrEnum):
    """The rule that gave a figure its dates; 'publication' when none did."""

    PUBLICATION = "publication"
    SENTENCE = "sentence"  # date words of its own sentence
    PARAGRAPH_BEFORE = "paragraph_before"  # the nearest day named before it in its paragraph
    PARAGRAPH_AFTER = "paragraph_after"  # a day named just after it in its paragraph
    PARAGRAPH_ONLY = "paragraph_only"  # the one day its paragraph names
    ARTICLE_BEFORE = "article_before"  # the same three in the article as a whole
    ARTICLE_AFTER = "article_after"
    ARTICLE_ONLY = "article_only"
    REPEAT = "repeat"  # the dates the article gives the same figure elsewhere
    FOLLOWS_ON = "follows_on"  # "another 50": the figure it goes on from
    WHOLE = "whole"  # a part takes its whole's
    RUNNING_SINCE = "running_since"  # a running total: the period the article opened before it
    WAR_START = "war_start"  # a running total: from when the article says the war began


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
    claimant: Claim | None = None  # a pointer ('it said') until the context pass resolves it
    dates: dates.EventDates | None = None
    location: str | None = None
    perpetrator: str | None = None
    is_cumulative: bool = False
    one_event: bool = True  # dated by its event's day, not by a running period
    follows_on: bool = False  # "another 50": continues the figure before it
    how: How = field(default=How.NONE, repr=False)
    claimant_rule: ClaimantRule = field(default=ClaimantRule.NONE, repr=False)
    dates_rule: DatesRule = field(default=DatesRule.PUBLICATION, repr=False)

    @property
    def rules(self) -> str:
        """Which rules decided its link, claimant and dates, to trace an error to its rule."""
        return f"link={self.how} claimant={self.claimant_rule} dates={self.dates_rule}"

    def claimed(self, who: Claim | None, rule: ClaimantRule) -> None:
        self.claimant, self.claimant_rule = who, rule if who is not None else ClaimantRule.NONE

    def dated(self, when: EventDates | None, rule: DatesRule) -> None:
        self.dates, self.dates_rule = when, rule if when is not None else DatesRule.PUBLICATION

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
    # The article's title line: a headline, whatever its case ("Teen killed in Lexington
    # shooting"), so a bare noun in it is a person, as in a title-case one.
    headline: bool = False


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
