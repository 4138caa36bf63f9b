"""Date words, resolved against the publication date.

"on Friday" (the most recent Friday not after publication), "yesterday", "last night",
"on September 22", "since September 22" (a period ending on publication), "over the past
24 hours", "in March 2011"; and the dateline of an article with no date in its metadata.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import regex

from . import numbers, patterns
from .words import alternation, opening_words, word_starts

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_WEEKDAY = alternation(WEEKDAYS)
_MONTH = rf"(?:{alternation(MONTHS)})\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_ORDINAL_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)\d\d"
# Words that may follow "on the 3rd" when it is a day of the month, not "the 3rd floor".
_DAY_AFTER = alternation(
    [
        "of",
        "in",
        "at",
        "near",
        "and",
        "or",
        "when",
        "after",
        "before",
        "as",
        "with",
        "during",
        "while",
        "but",
        "by",
        "morning",
        "afternoon",
        "evening",
        "night",
    ]
)
_PART = r"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)[\s-]+"

# One piece per kind of date words, each with the words it must match.
# What can open date words, whole phrases where the first word is common ("the past", "this
# morning"): as the pattern's own lookahead (first letters of the first word: the scan skips
# every other word at once) and as the fast first pass (patterns.CaselessPattern).
_OPENING = [
    *WEEKDAYS,
    *MONTHS,
    "since",
    "began",
    "begun",
    "started",
    "launched",
    "yesterday",
    "today",
    "tonight",
    "last",
    "overnight",
    "earlier",
    "early",
    "mid",
    "late",
    "the past",
    "the last",
    "the end of",
    "the beginning of",
    "the start of",
    "past",
    "this morning",
    "this afternoon",
    "this evening",
    "weekend",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
]
DATE_STARTS = word_starts(_OPENING)
DATE_OPENERS = opening_words(_OPENING)
DATE = patterns.compile_caseless(
    rf"""\b(?=\d|(?:{DATE_STARTS}))(?:
      (?P<since>since|began|begun|started|launched)\s+           # since the war began in; began on
        (?:[^.;]{{0,60}}?\b(?:in|on|of)\s+)?
    )?(?:
        (?P<wd1>{_WEEKDAY})(?:'s)?(?:\s+(?:night|morning|evening))?\s+  # Saturday and Sunday,
          (?:and|or|to|into)\s+(?:(?:early|late)\s+)?(?P<wd2>{_WEEKDAY})    # Saturday into early Sunday
      | (?:(?:{_WEEKDAY}),?\s+(?:the\s+)?)?                             # (Monday,) Dec. 12, 2016
        (?:(?P<month>{_MONTH})\s+(?P<day>[0-3]\d)(?P<year>{_YEAR})\b  # "Jul 152015": page furniture
         | (?P<month>{_MONTH})\s+(?:the\s+)?(?P<day>{_DAY})\b(?:,?\s+(?P<year>{_YEAR}))?  # Sept. 22nd, 2016
         | (?P<day2>{_DAY})(?:(?<=st|nd|rd|th)\s+of)?\s+(?P<month2>{_MONTH})  # 22nd of September
           (?:,?\s+(?P<year2>{_YEAR}))?)
      | (?:(?<=\bon\s+)(?:{_WEEKDAY}),?\s+the\s+|(?<=\bon\s+the\s+))   # on (Sunday) the 3rd (of this
        (?P<day3>{_ORDINAL_DAY})\b(?!\s+(?!(?:{_DAY_AFTER})\b)[a-z])      # month), not "on the 3rd floor"
      | (?P<weekday>{_WEEKDAY})                                       # on Friday
      | (?P<rel>yesterday|today|tonight|last\s+night|this\s+morning|this\s+afternoon|
               this\s+evening|overnight|earlier\s+today)              # yesterday, last night
      | (?<=\b(?:at|over|during|on|this|last)\s+(?:the\s+)?)(?P<weekend>weekend)  # over the weekend
      | (?P<part>{_PART})?(?P<month3>{_MONTH})(?:\s+(?P<year3>{_YEAR}))?\b  # (early) March 2011
      | (?P<year4>{_YEAR})(?![\d,])                                  # 2012
      | (?:the\s+)?(?:past|last)\s+(?P<span>\d+|a|one|two|three|four|five|six|seven|ten|
               twenty-four|48|72)\s+(?P<unit>hours|days|weeks|months|years|hour|day|week|month|year)
      | (?P<span2>\d+|two|three|four|five|six|seven|eight|nine|ten)\s+     # seven days of airstrikes
               (?P<unit2>days|weeks)\s+of\b
    )\b""",
    regex.IGNORECASE | regex.VERBOSE,
    starts=rf"\d|{DATE_OPENERS}",
)


@dataclass(frozen=True)
class EventDates:
    start: dt.date | None
    end: dt.date | None
    precision: str
    position: int  # where the date words stand in the sentence
    is_period: bool = False
    is_since: bool = False  # "since September 22": a running period up to publication
    has_year: bool = False  # "June 11 2016": a dateline when it is the publication date
    is_deictic: bool = False  # "tonight", "yesterday": counted from when the words were spoken
    quoted: bool = False  # deictic words inside a quotation: counted from when a speaker spoke


def _day_number(day: str) -> int:
    """'22nd' -> 22"""
    return int(day.rstrip("stndrh"))


def _last_weekday(weekday: int, published: dt.date) -> dt.date:
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def _last_month_day(month: int, day: int, published: dt.date) -> dt.date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate <= published:
            return candidate
    return None


def _last_day_of_month(day: int, published: dt.date) -> dt.date | None:
    """'on the 3rd': the most recent 3rd not after publication, in its month or the one before."""
    month, year = published.month, published.year
    for _ in range(2):
        if day <= calendar.monthrange(year, month)[1] and dt.date(year, month, day) <= published:
            return dt.date(year, month, day)
        month, year = (month - 1, year) if month > 1 else (12, year - 1)
    return None


def _month_start(month: int, year: int | None, published: dt.date, part: str | None) -> dt.date:
    """The first day 'early/mid/late/the end of March (2011)' stands for."""
    if year is None:
        year = published.year if month <= published.month else published.year - 1
    part = (part or "").lower()
    day = 1
    if part.startswith("mid"):
        day = 15
    elif part.startswith("late"):
        day = 20
    elif part.startswith("the end"):
        day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


# "the regime in power since 1963", "out of army control since 2012": how long a state has
# lasted, not a period over which anything is counted.
STATE_BEFORE = patterns.compile_at_end(
    r"\b(?:in\s+(?:power|office|charge)|(?:in|out\s+of|under)(?:\s+\w+){0,2}\s+control|held|controlled|"
    r"ruled|governed|occupied|lived|existed|based|banned)\s+$",
    regex.IGNORECASE,
)
# "a monitor said Friday", "a statement issued early Sunday": the day a source spoke, not the
# day of the event it speaks of.
SAID_BEFORE = patterns.compile_at_end(
    r"\b(?:said|says|reported|announced|stated|added|confirmed|claimed|issued|released|published|posted|"
    r"told\s+\w+(?:\s+\w+)?)\s+(?:on\s+)?(?:(?:early|late)\s+)?$",
    regex.IGNORECASE,
)
# "OCHA Syria (@OCHASyria) September 22 2016": the day a quoted post was written.
TWEET_BEFORE = patterns.compile_at_end(r"\(@?\w+\)\s*[-—]?\s*$")
# "... runs near destroyed buildings on Monday (AFP photo)": the day of a photo's caption.
PHOTO_AFTER = patterns.compile(
    r"\s*\((?:[\w/.-]+\s+){0,3}(?:photo|picture|image)\b[^)]{0,40}\)", regex.IGNORECASE
)
# "... in Idlib province, Syria August 6 2016. (Reuters)", "June 12 2016 (Photo: WFAA)": a
# full date before a credit closes a photo's caption or opens the story under a dateline.
CREDITS = ["photo", "picture", "image", "credit", "courtesy", "source", "staff", "file"]
AGENCIES = ["reuters", "afp", "ap", "epa", "getty images", "anadolu", "sana", "xinhua"]
CREDIT_AFTER = patterns.compile(
    rf"\.?\s*\((?:[^()]{{0,40}}?\b(?:{alternation(CREDITS)})\b[^()]{{0,40}}|(?:{alternation(AGENCIES)})\b"
    r"[^()]{0,30}|[^()/]{1,30}/[^()]{1,30})\)",
    regex.IGNORECASE,
)
PART_BEFORE = patterns.compile_at_end(rf"\b(?P<part>{_PART})$", regex.IGNORECASE)


def resolve(match: regex.Match, published: dt.date) -> EventDates | None:
    """The days a date match covers, or None when it cannot be resolved."""
    g = match.groupdict()
    since = bool(g["since"])
    if since and STATE_BEFORE.search(match.string, max(0, match.start() - 40), match.start()):
        return None
    pos = match.start()
    start: dt.date | None
    precision = "day"
    if g["wd1"]:
        first = _last_weekday(WEEKDAYS[g["wd1"].lower()], published)
        last = _last_weekday(WEEKDAYS[g["wd2"].lower()], published)
        start, end = min(first, last), max(first, last)
        return EventDates(start, end, "period", pos, True)
    if PHOTO_AFTER.match(match.string, match.end()):
        return None
    if (g["year"] or g["year2"]) and CREDIT_AFTER.match(match.string, match.end()):
        return None
    if g["year"] and TWEET_BEFORE.search(match.string, max(0, pos - 40), pos):
        return None
    if (g["weekday"] or g["rel"]) and SAID_BEFORE.search(match.string, max(0, pos - 40), pos):
        return None
    if g["weekend"]:  # the last Saturday and Sunday, up to publication
        saturday = _last_weekday(calendar.SATURDAY, published)
        return EventDates(saturday, min(saturday + dt.timedelta(days=1), published), "period", pos, True)
    if g["weekday"]:
        start = _last_weekday(WEEKDAYS[g["weekday"].lower()], published)
    elif g["rel"]:
        rel = " ".join(g["rel"].lower().split())
        if rel == "overnight":  # the night before publication runs into its day
            return EventDates(published - dt.timedelta(days=1), published, "period", pos, True)
        start = published - dt.timedelta(days=1) if rel in ("yesterday", "last night") else published
    elif g["day3"]:
        start = _last_day_of_month(_day_number(g["day3"]), published)
    elif g["month"] or g["month2"]:
        month = MONTHS[(g["month"] or g["month2"]).lower().rstrip(".")]
        day = _day_number(g["day"] or g["day2"])
        year = g["year"] or g["year2"]
        if year:
            try:
                start = dt.date(int(year), month, day)
            except ValueError:
                return None
        else:
            start = _last_month_day(month, day, published)
    elif g["month3"]:
        month = MONTHS[g["month3"].lower().rstrip(".")]
        year = int(g["year3"]) if g["year3"] else None
        after_in = match.string[max(0, match.start() - 3) : match.start()].lower() == "in "
        if not since and year is None and not g["part"] and not after_in:
            return None  # a bare month name ("May") is too often another word; "in May" is not
        if year is None and not since and month > published.month:
            year = published.year - 1
        # "since the end of July": the part may sit in the words the since-clause skipped
        part = g["part"]
        if not part and since:
            before = PART_BEFORE.search(match.string, match.start(), match.start("month3"))
            part = before.group("part") if before else None
        start = _month_start(month, year, published, part)
        if start > published:
            return None
        if since:
            return EventDates(start, published, "period", pos, True, is_since=True)
        if not since:
            last_day = calendar.monthrange(start.year, month)[1]
            end = dt.date(start.year, month, last_day)
            return EventDates(start, min(end, published), "month", pos)
    elif g["year4"]:
        if not since:
            return None  # "in 2012" rarely dates a figure; "since 2012" does
        start = dt.date(int(g["year4"]), 1, 1)
    elif g["span"] or g["span2"]:
        span = (g["span"] or g["span2"]).lower()
        amount = numbers.parse_number(span) or 1  # "a", "one" ... "twenty-four", or digits
        unit = (g["unit"] or g["unit2"]).lower().rstrip("s")
        days = {
            "hour": amount / 24,
            "day": amount,
            "week": 7 * amount,
            "month": 30 * amount,
            "year": 365 * amount,
        }[unit]
        start = published - dt.timedelta(days=max(1, round(days)) if unit != "hour" else round(days))
        return EventDates(start, published, "period", pos, True)
    else:
        return None
    if start is None or start > published:
        return None
    if since:
        return EventDates(start, published, "period", pos, True, is_since=True)
    return EventDates(
        start, start, precision, pos, has_year=bool(g["year"] or g["year2"]), is_deictic=bool(g["rel"])
    )


# "600000 people are living in besieged areas", "thousands of fighters remain": a force or a
# siege told in the present is as of publication, not of the day the paragraph names.
STANDING_CATEGORIES = ("troops", "besieged")
PRESENT_STATE = patterns.compile(
    r"\b(?:are|is|remain|remains|live|lives|stay|stays|(?:are|is)\s+(?:still\s+)?(?:living|fighting|"
    r"trapped|stationed|deployed|present|based))\b",
    regex.IGNORECASE,
)


def is_standing(category: str, words: str) -> bool:
    """Whether a figure's words (from its number to its trigger) tell a present state."""
    return category in STANDING_CATEGORIES and bool(PRESENT_STATE.search(words))


# Quotation marks: a straight one opens or closes by its parity, a curly one says which it does.
QUOTE_MARK = patterns.compile(r"[\"“”]")


def in_quote(text: str, start: int, position: int) -> bool:
    """Whether a position of text[start:] stands inside a quotation opened after start."""
    inside = False
    for mark in QUOTE_MARK.finditer(text, start, position):
        inside = mark.group() == "“" or (mark.group() == '"' and not inside)
    return inside


def scan(sentence: str) -> list[regex.Match]:
    """Every run of date words in a sentence; `find` and `spans` read these."""
    return list(DATE.finditer(sentence))


def find(sentence: str, published: dt.date, matches: list[regex.Match] | None = None) -> list[EventDates]:
    found = []
    for match in scan(sentence) if matches is None else matches:
        dates = resolve(match, published)
        if dates:
            found.append(dates)
    return found


def spans(sentence: str, matches: list[regex.Match] | None = None) -> list[tuple[int, int]]:
    """Where date words with numbers stand, so that those numbers are never read as figures."""
    return [
        m.span()
        for m in (scan(sentence) if matches is None else matches)
        if any(m.group(g) for g in ("month", "month2", "day3", "year4", "year3", "span"))
    ]


# "the war, which began in March 2011": where a running total starts counting.
CONFLICT_START = patterns.compile(
    rf"\b(?:war|conflict|uprising|revolt|revolution|crisis|insurgency|civil\s+war)\b[^.]{{0,60}}?"
    rf"\b(?:began|erupted|started|broke\s+out)\b[^.]{{0,50}}?\bin\s+(?:(?P<month>{_MONTH})\s+)?"
    rf"(?P<year>{_YEAR})\b",
    regex.IGNORECASE,
)


def conflict_start(text: str, published: dt.date) -> EventDates | None:
    """The period a running total covers when the article says when the war began."""
    match = CONFLICT_START.search(text)
    if not match:
        return None
    month = MONTHS[match.group("month").lower().rstrip(".")] if match.group("month") else 1
    start = dt.date(int(match.group("year")), month, 1)
    if start > published:
        return None
    return EventDates(start, published, "period", -1, True)


# "Published September 23 2016", "KABUL, Afghanistan (Jan. 25, 2013)", "Sun 05 Jul 2015"
DATELINE = patterns.compile(
    rf"\b(?:(?P<month>{_MONTH})\s+(?P<day>{_DAY}),?\s*(?P<year>{_YEAR})"
    rf"|(?P<day2>{_DAY})\s+(?P<month2>{_MONTH}),?\s+(?P<year2>{_YEAR}))\b",
    regex.IGNORECASE,
)


def dateline(text: str, limit: int = 600) -> dt.date | None:
    """The first full date near the top of an article: its dateline."""
    for match in DATELINE.finditer(text[:limit]):
        month = MONTHS[(match.group("month") or match.group("month2")).lower().rstrip(".")]
        day = _day_number(match.group("day") or match.group("day2"))
        year = int(match.group("year") or match.group("year2"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None
