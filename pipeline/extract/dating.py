"""Dates: the date words of a figure's own sentence, else the day of the event its paragraph
(or its article) is about, the dates of the same figure told elsewhere, of the figure it goes
on from, or, for a running total, the period it counts from."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Iterator

from ..grammar import dates, prefilter
from .model import Candidate, DatesRule, Figure
from .paragraphs import ByParagraph

# A full date near the top that equals the publication date is the dateline
# ("Posted on August 12 2016"), not the day of an event.
DATELINE_ZONE = 300
# Days named after a figure are mostly other events: only one this close after it counts.
AFTER_REACH = 250

Dated = tuple[int, dates.EventDates]  # a date's position in the article, and the date


def is_dateline(d: dates.EventDates, s_start: int, published: dt.date | None) -> bool:
    return d.has_year and s_start + d.position < DATELINE_ZONE and d.start == published


def date_for(
    sentence: str, found: list[dates.EventDates], c: Candidate, candidates: list[Candidate]
) -> dates.EventDates | None:
    """The date words that belong to a quantity: a 'since' period in its own clause, else the
    nearest day words in the sentence. Positions count from the sentence."""
    q = c.quantity
    best = None
    for d in found:
        if d.is_since:
            opens = d.position < candidates[0].quantity.start
            between = sentence[min(q.end, d.position) : max(q.start, d.position)]
            if not (opens or (d.position > q.end and "," not in between)):
                continue
        if best is None or abs(d.position - q.start) < abs(best.position - q.start):
            best = d
    return best


def _quoted(text: str, p_start: int, d: dates.EventDates) -> dates.EventDates:
    """A deictic date marked when it stands inside a quotation of its paragraph."""
    if d.is_deictic and dates.in_quote(text, p_start, p_start + d.position):
        return dataclasses.replace(d, quoted=True)
    return d


def _nearest(found: list[Dated], last: bool) -> dates.EventDates:
    """The date nearest a figure of a paragraph's dates (the last of them, or the first). A
    speaker's "tonight" in a quotation is counted from when they spoke, which the article does
    not give, so it only tells the day to within one: a date the narration gives for the same
    days ("the overnight strikes") is taken before it; a date far from it is another event's."""
    pick = max if last else min
    nearest = pick(found, key=lambda item: item[0])[1]
    if not nearest.quoted:
        return nearest
    near = [
        item
        for item in found
        if not item[1].quoted
        and item[1].start is not None
        and nearest.start is not None
        and abs((item[1].start - nearest.start).days) <= 1
    ]
    return pick(near, key=lambda item: item[0])[1] if near else nearest


class Days(ByParagraph):
    """The days an article names, as (position, dates), counted from its publication date."""

    def __init__(
        self, text: str, published: dt.date, paragraphs: list[tuple[int, int]], marks: prefilter.Marks
    ):
        super().__init__(text, paragraphs)
        self.published, self.marks = published, marks

    def _read(self, p_start: int, p_end: int) -> list[Dated]:
        if not self.marks.date_in(p_start, p_end):
            return []
        return [
            (p_start + d.position, _quoted(self.text, p_start, d))
            for d in dates.find(self.text[p_start:p_end], self.published)
            if not is_dateline(d, p_start, self.published)
        ]

    def _holding(self, kind: str, k: int) -> list[Dated]:
        """The days and closed periods of paragraph k that can date an event ('event'), or the
        periods it opens ('since')."""
        if (kind, k) not in self.kept:
            self.kept[kind, k] = [
                (pos, d)
                for pos, d in self._paragraph(k)
                if (d.is_since if kind == "since" else not d.is_since and d.precision in ("day", "period"))
            ]
        return self.kept[kind, k]

    def _overlapping(self, start: int, end: int) -> range:
        """The paragraphs that hold some of [start, end)."""
        return range(max(self._last_paragraph_before(start), 0), bisect.bisect_left(self.starts, end))

    def event_days(self, start: int, end: int, backwards: bool = False) -> Iterator[list[Dated]]:
        """Days and closed periods ('on Saturday and Sunday') that can date an event, named in
        [start, end): one list per paragraph that names any, the last paragraph first when
        backwards. A caller stops at the paragraph it needs, so the rest stay unread."""
        paragraphs = self._overlapping(start, end)
        if backwards:
            k = paragraphs.stop - 1
            while (k := self._last_holding("event", k, paragraphs.start)) >= paragraphs.start:
                found = [(pos, d) for pos, d in self._holding("event", k) if start <= pos < end]
                if found:
                    yield found
                k -= 1
            return
        for k in paragraphs:
            found = [(pos, d) for pos, d in self._holding("event", k) if start <= pos < end]
            if found:
                yield found

    def only_day(self, start: int, end: int) -> dates.EventDates | None:
        """The day named in [start, end) when it is the only one named there."""
        only = None
        for found in self.event_days(start, end):
            for _, d in found:
                if only is None:
                    only = d
                elif (d.start, d.end) != (only.start, only.end):
                    return None
        return only

    def running_since(self, before: int) -> dates.EventDates | None:
        """The last period opened before a position: 'an offensive that began in December 15'."""
        k = self._overlapping(0, before).stop - 1
        while (k := self._last_holding("since", k, 0)) >= 0:
            opened = [d for pos, d in self._holding("since", k) if pos < before]
            if opened:
                return opened[-1]
            k -= 1
        return None


def date_from_context(
    days: Days, start: int, end: int, figures: list[Figure], rules: tuple[DatesRule, DatesRule, DatesRule]
) -> None:
    """A figure with no date words of its own takes the day of the event its paragraph (or,
    failing that, its article) is about: the nearest day named before it, else the nearest
    after it. The dateline is not an event. `rules`: the names of the three ways, for the scope
    read (a paragraph or the article)."""
    before_rule, after_rule, only_rule = rules
    # A running total is not the toll of one day's event: it is dated by its period.
    undated = [
        f
        for f in figures
        if f.dates is None
        and f.parent is None
        and not f.follows_on
        and f.one_event
        and not dates.is_standing(f.category, days.text[f.start : f.end + 12])
    ]
    only_day, only_day_read = None, False
    for f in undated:
        before = next(days.event_days(start, min(end, f.sentence_start), backwards=True), None)
        if before:
            f.dated(_nearest(before, last=True), before_rule)
            continue
        after = next(
            days.event_days(max(start, f.sentence_end), min(end, f.sentence_end + AFTER_REACH)), None
        )
        if after:
            f.dated(_nearest(after, last=False), after_rule)
            continue
        # An article or paragraph that names one day only is about that day's event.
        if not only_day_read:
            only_day, only_day_read = days.only_day(start, end), True
        if only_day:
            f.dated(only_day, only_rule)


def date_from_repeats(figures: list[Figure]) -> None:
    """An article repeats its main figures ('Two Russian pilots killed' in the headline, 'Two
    Russian pilots were killed ... on Friday' below): a mention with no date of its own takes
    the dates the article gives the same figure elsewhere, when it gives only one."""
    dated: dict[tuple[str, int], dict[tuple, dates.EventDates]] = {}
    for f in figures:
        if f.dates is not None and not f.is_cumulative:
            dated.setdefault((f.category, f.quantity.count), {})[(f.dates.start, f.dates.end)] = f.dates
    for f in figures:
        if f.dates is None and f.parent is None and not f.is_cumulative:
            same = dated.get((f.category, f.quantity.count), {})
            if len(same) == 1:
                f.dated(next(iter(same.values())), DatesRule.REPEAT)


def carry_on(figures: list[Figure]) -> None:
    """'Another 50 civilians ...' opening a sentence continues the figure before it: it takes
    that figure's dates when it has none of its own. A breakdown takes its whole's dates."""
    for prev, figure in zip(figures, figures[1:], strict=False):
        if (
            figure.follows_on
            and figure.dates is None
            and prev.dates is not None
            and figure.sentence_start != prev.sentence_start
        ):
            figure.dated(prev.dates, DatesRule.FOLLOWS_ON)
    for figure in figures:
        if figure.parent is not None and figure.dates is None:
            figure.dated(figure.parent.dates, DatesRule.WHOLE)


def running_totals(text: str, figures: list[Figure], published: dt.date, days: Days) -> None:
    """A running total with no 'since' of its own counts from the period the article opened
    before it ('a campaign that began in December'), else from when it says the war began."""
    undated = [f for f in figures if f.is_cumulative and (f.dates is None or not f.dates.is_since)]
    if not undated:
        return
    war = dates.conflict_start(text, published)
    for f in undated:
        since = days.running_since(f.sentence_start)
        if since:
            f.dated(since, DatesRule.RUNNING_SINCE)
        elif war:
            f.dated(war, DatesRule.WAR_START)
