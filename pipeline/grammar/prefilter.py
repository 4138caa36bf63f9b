"""The cheap first pass over a whole article: where trigger words and numbers stand.

A sentence is read by the grammar only when it holds both. The trigger scan runs over
every byte of every article, the number scan over the paragraphs and sentences with a
trigger word (under half the text), so they are built for speed:

- the trigger scan is one pass over the whole lower-cased text, not one call per paragraph
  or sentence; the number scan is one `re` call per span asked about, which costs well
  under a microsecond (a `regex` call with its timeout costs a few);
- the alternatives are grouped by their first letter ("k(?:ill|idnap)|d(?:ead|ie|...)"),
  so at each position the engine tries one group instead of every word;
- they use the standard library's `re`, about twice as fast as `regex` on this kind of
  pattern. They carry no timeout because they cannot backtrack: each is a word boundary
  followed by literal stems, so a scan takes time in proportion to the text.
"""

from __future__ import annotations

import bisect
import re

from .categories import CATEGORIES
from .clauses import TIMES
from .dates import MONTHS, WEEKDAYS
from .numbers import OTHERS, SCALES, TENS, UNITS, VAGUE
from .words import ONE_PERSON, by_first_letter

# Stems of the nouns of a force (words.FORCE_NOUNS), as regular expressions: "1,000 troops" is a
# figure with no trigger word, and "deployed", "sent" ... count only with one of these.
FORCE_NOUN_STEMS = (
    "troop",
    "soldier",
    "fighter",
    "militiam",
    "militant",
    "reinforcement",
    "personnel",
    "rebels",
    "insurgents",
    "marines",
    "gunmen",
    "jihadists",
    "combatants",
    "paratroop",
    "recruits",
    "reservist",
    "servicem",
    "mercenar",
    "militia",
)
# The first pass looks for the stems of every category's words (categories.py) and of the
# force nouns. A test checks that they cover them all.
TRIGGER_STEMS = (*dict.fromkeys(stem for c in CATEGORIES for stem in c.stems), *FORCE_NOUN_STEMS)
# A one-person noun phrase ("a man was killed", grammar/persons.py) counts as a number here.
NUMBER_WORDS = (*UNITS, *TENS, *SCALES, "dozen", "dozens", *VAGUE, *OTHERS, *ONE_PERSON, *TIMES)
# A named person counts only before a singular passive verb: "Nouri Hamish was killed", "Amir
# Khan was also injured", or taken to hospital "where he died" (persons.DIED_IN_HOSPITAL).
NAMED_PERSON_VERB = r"(?:was\s+(?:\w+ly\s+|also\s+)?(?:kill|shot|slain|murder|wound|injur|hurt|captur|arrest|detain|abduct|kidnap|execut|found|pronounc|behead|gunned)|where\s+(?:he|she)\s+)"  # noqa: E501 (a pattern or sentence reads best whole)
# Every run of date words (dates.DATE) holds one of these: a day or month name, a relative
# day, a year, or a unit of time ("the past 24 hours", "seven days of airstrikes").
DATE_WORDS = (
    *WEEKDAYS,
    *MONTHS,
    "yesterday",
    "today",
    "tonight",
    "overnight",
    "night",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "hours",
    "hour",
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "month",
    "years",
    "year",
)


_TRIGGERS = rf"\b(?:{by_first_letter(TRIGGER_STEMS)})"
# A quantity starts at a word boundary (numbers.QUANTITY), so only those digits count.
_NUMBERS = rf"\b(?:\d|(?:{by_first_letter(re.escape(w) for w in NUMBER_WORDS)})\b|{NAMED_PERSON_VERB})"
# (an ordinal for "on the 3rd", the one date with no date word)
_DATES = rf"\b(?:(?:19|20)\d\d|\d\d?(?:st|nd|rd|th)|{by_first_letter(re.escape(w) for w in DATE_WORDS)})\b"
# Case-sensitive over lower-cased text (twice as fast); case-insensitive over the rare text
# whose lower-casing changes its length, and so its offsets.
TRIGGERS_LOWER, TRIGGERS_ANY_CASE = re.compile(_TRIGGERS), re.compile(_TRIGGERS, re.IGNORECASE)
NUMBERS_LOWER, NUMBERS_ANY_CASE = re.compile(_NUMBERS), re.compile(_NUMBERS, re.IGNORECASE)
DATES_LOWER, DATES_ANY_CASE = re.compile(_DATES), re.compile(_DATES, re.IGNORECASE)
# The most characters a date word match holds ("september"; a year or "22nd" holds four).
LONGEST_DATE_WORD = max(4, *(len(word) for word in DATE_WORDS))


def any_between(positions: list[int], start: int, end: int) -> bool:
    """Whether a sorted list of positions holds one in [start, end)."""
    return bisect.bisect_left(positions, start) != bisect.bisect_left(positions, end)


class Marks:
    """Where an article's trigger words and numbers start, to ask of any span; and whether a
    span holds date words, looked for only when asked."""

    def __init__(self, text: str):
        lower = text.lower()
        self.same_length = len(lower) == len(text)
        self.scan = lower if self.same_length else text
        triggers = TRIGGERS_LOWER if self.same_length else TRIGGERS_ANY_CASE
        self.triggers = [m.start() for m in triggers.finditer(self.scan)]
        # Numbers are looked for only in spans with a trigger word: under half the text.
        self.number_scan = NUMBERS_LOWER if self.same_length else NUMBERS_ANY_CASE
        self.date_scan = DATES_LOWER if self.same_length else DATES_ANY_CASE

    def trigger_in(self, start: int, end: int) -> bool:
        return any_between(self.triggers, start, end)

    def triggers_from(self, start: int, end: int) -> list[int]:
        """Where trigger words start in text[start:end], counted from start."""
        low, high = bisect.bisect_left(self.triggers, start), bisect.bisect_left(self.triggers, end)
        return [at - start for at in self.triggers[low:high]]

    def number_in(self, start: int, end: int) -> bool:
        # `re` reads the character before start for the word boundary, as a whole-text scan does.
        return self.number_scan.search(self.scan, start, end) is not None

    def candidate(self, start: int, end: int) -> bool:
        """The span holds a trigger word and a number: the grammar reads it."""
        return self.trigger_in(start, end) and self.number_in(start, end)

    def date_in(self, start: int, end: int) -> bool:
        """Whether a date word starts in [start, end), as a scan of the whole text would find:
        one search from start, instead of that scan (the spans asked about are a few). A match
        is one word, so none starts inside another and the search finds the first a whole scan
        finds from start; the search may read LONGEST_DATE_WORD past end, so that a word that
        starts before end is read whole, with the character after it for its boundary."""
        match = self.date_scan.search(self.scan, start, min(len(self.scan), end + LONGEST_DATE_WORD))
        return match is not None and match.start() < end
