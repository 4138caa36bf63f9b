"""Claimants: who says a figure. Read in the figure's own sentence first (grammar/attribution),
then from the sentences beside it, the headline, and the sources named before it in the
article ('it said', 'the source', a report going on, a quote opened by 'X said:')."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from ..grammar import attribution, patterns, sentences
from ..grammar.attribution import HEADLINE_SOURCE, PRONOUN, SITE_SUFFIX, Claim
from ..grammar.budget import Budget
from ..grammar.circumstances import QUOTE_OPENING, REPORTED
from .model import ClaimantRule, Figure
from .paragraphs import ByParagraph

# A headline longer than this is not a headline but a first paragraph run on.
LONGEST_HEADLINE = 200
# The body repeats the headline when it holds the headline's first this many characters.
HEADLINE_ECHO = 40
# A number written as digits or a word: a sentence with one tells an account of its own.
NUMBER = patterns.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|scores|hundreds|"
    r"thousands)\b",
    regex.IGNORECASE,
)
# An attribution that starts this close to its sentence's end closes it ("..., the monitor said.").
TRAILING_SOURCE = 80
# How far before a closing colon 'X said' may start.
SAID_BEFORE_COLON = 40
# A figure told as a report ("15 civilians were reportedly killed") goes on with the account
# of the last source named, if that was named this close before it.
REPORT_REACH = 1500
# How far back 'the source' looks for the source it shortens.
NAME_REACH = 3000


def nearest_claim(claims: tuple[tuple[int, Claim], ...], position: int) -> Claim | None:
    """Of the claims of a figure's sentence, the one nearest the figure."""
    if not claims:
        return None
    return min(claims, key=lambda claim: abs(claim[0] - position))[1]


def from_neighbours(text: str, found: list[Figure], spans: list[tuple[int, int]], i: int) -> None:
    """A figure with no claimant in its own sentence takes one from 'According to X,' opening
    the sentence before, or from the next sentence of the paragraph when that one opens 'X
    said' or 'According to X,', or goes on with the account without a number of its own and
    names one source ('At least 15 were killed. The strikes hit a market, the monitor said.')."""
    missing = [f for f in found if f.claimant is None]
    if not missing:
        return
    who: attribution.Claim | None = None
    rule = ClaimantRule.NEXT_SENTENCE
    if i + 1 < len(spans):
        nxt = text[spans[i + 1][0] : spans[i + 1][1]]
        match = attribution.LEADING_SAID.match(nxt) or attribution.LEADING_ACCORDING_TO.match(nxt)
        if match:
            who = attribution.clean(match.group("who"))
        elif not NUMBER.search(nxt):
            # (only an attribution closing the sentence: "X has claimed earlier bombings" opening
            # it is about something else)
            named = {
                claim
                for at, claim in attribution.in_sentence(nxt)
                if isinstance(claim, str) and at >= len(nxt) - TRAILING_SOURCE
            }
            if len(named) == 1:
                who = named.pop()
    if who is None and i > 0:
        prev = text[spans[i - 1][0] : spans[i - 1][1]]
        match = attribution.LEADING_ACCORDING_TO.match(prev)
        if match:
            who, rule = attribution.clean(match.group("who")), ClaimantRule.SENTENCE_BEFORE
    if who:
        for f in missing:
            f.claimed(who, rule)


def from_headline(text: str, figures: list[Figure]) -> None:
    """A headline ending in its source ('... kill 30 Kurdish fighters in Syria Monitor') gives
    that source to the headline's figures, and to the headline where the body repeats it."""
    title = text.split("\n", 1)[0].strip()
    if not 0 < len(title) <= LONGEST_HEADLINE:
        return
    headline = title
    # Cut the site's name off the end, one segment at a time, until the source shows.
    while not (match := HEADLINE_SOURCE.search(headline)):
        shorter = SITE_SUFFIX.sub("", headline)
        if shorter == headline:
            return
        headline = shorter
    who = match.group("who")
    for f in figures:
        if f.claimant is None and (
            f.sentence_start < len(title) or title[:HEADLINE_ECHO] in text[f.sentence_start : f.sentence_end]
        ):
            f.claimed(who, ClaimantRule.HEADLINE)


@dataclass
class Source:
    position: int
    who: str
    opens_quote: bool  # "Tobias Ellwood said:" ending its paragraph


class Sources(ByParagraph):
    """The sources an article names in any sentence, figures or not, asked for nearest first
    back from a figure."""

    def _read(self, p_start: int, p_end: int) -> list[Source]:
        found: list[Source] = []
        if attribution.SAY_OR_ACCORDING.search(self.text, p_start, p_end):
            for s_start, s_end in sentences.sentences(self.text, p_start, p_end):
                sentence = self.text[s_start:s_end]
                opens = s_end == p_end and bool(attribution.OPENS_QUOTE.search(sentence))
                found += [
                    Source(s_start + at, who, opens)
                    for at, who in attribution.in_sentence(sentence)
                    if isinstance(who, str)
                ]
        return found

    def before(self, position: int, reach: int | None = None) -> Iterator[Source]:
        """The sources named before a position, nearest first, no further back than reach."""
        # (paragraphs that end before the reach hold nothing within it)
        floor = 0 if reach is None else bisect.bisect_left(self.ends, position - reach)
        k = self._last_paragraph_before(position)
        while (k := self._last_holding("all", k, floor)) >= floor:
            for source in reversed(self._paragraph(k)):
                if source.position < position and (reach is None or position - source.position <= reach):
                    yield source
            k -= 1


def _opens_quote(text: str) -> bool:
    """Some paragraph ends 'X said:'; found by the colon first, which is cheap."""
    return any(
        attribution.OPENS_QUOTE.search(text, max(0, m.start() - SAID_BEFORE_COLON), m.start() + 1)
        for m in QUOTE_OPENING.finditer(text)
    )


def from_context(
    text: str, paragraphs: list[tuple[int, int]], figures: list[Figure], budget: Budget | None = None
) -> None:
    """Claimants named outside the figure's sentence: 'it said' and 'the source' point back to
    a source named before; a figure told as a report takes the source whose account it goes on
    with; everything after 'X said:' ending a paragraph is X's until another source speaks.
    The budget is checked once per sentence, as the sentence passes do."""
    sources = Sources(text, paragraphs)
    quotes = None
    shortened: dict[str, tuple[int | None, Source | None]] = {}
    # Whether a sentence is told as a report, read once per sentence: a table of a thousand
    # tolls is one sentence with a thousand figures.
    reported: dict[tuple[int, int], bool] = {}
    for f in figures:
        span = (f.sentence_start, f.sentence_end)
        if span not in reported:
            if budget is not None:
                budget.check()
            reported[span] = REPORTED.search(text, *span) is not None
        who = f.claimant
        if who is PRONOUN:
            last = next(sources.before(f.sentence_start), None)
            f.claimed(last.who if last else None, ClaimantRule.PRONOUN)
        elif isinstance(who, str) and len(who.split()) == 1 and who.islower():
            # "the source" -> "Military sources"; "the monitor" -> "Syrian Observatory Monitor"
            named = _shortened_from(sources, who, f.start, shortened)
            if named:
                f.claimed(named.who, ClaimantRule.SHORTENED)
        elif who is None:
            if reported[span]:
                last = next(sources.before(f.sentence_start, REPORT_REACH), None)
                if last:
                    f.claimed(last.who, ClaimantRule.REPORT)
                    continue
            quotes = _opens_quote(text) if quotes is None else quotes
            if quotes:
                last = next(sources.before(f.sentence_start), None)
                if last and last.opens_quote and last.position < f.paragraph_start:
                    f.claimed(last.who, ClaimantRule.QUOTE)


def _shortened_from(
    sources: Sources, who: str, position: int, asked: dict[str, tuple[int | None, Source | None]]
) -> Source | None:
    """The source that 'the source' or 'the monitor' shortens: the nearest named within
    NAME_REACH before a position, with the word among its own. The answer for the last figure
    that asked the same is kept (asked), so a figure after it reads only the sources named
    since then: a list of 'police said' lines would otherwise read all NAME_REACH back for each."""
    stem = who.rstrip("s")
    last_position, last_found = asked.get(who, (None, None))
    since_last = last_position is not None and last_position <= position
    reach = (
        min(NAME_REACH, position - last_position) if last_position is not None and since_last else NAME_REACH
    )
    found = next(
        (
            s
            for s in sources.before(position, reach)
            if s.who != who and stem in {w.rstrip("s") for w in s.who.lower().split()}
        ),
        None,
    )
    if found is None and since_last and last_found and position - last_found.position <= NAME_REACH:
        found = last_found  # the nearest before the last figure is the nearest before this one
    asked[who] = (position, found)
    return found
