"""The patterns that read an article's names, to resolve a short claimant to the full name the
article gives ("the Observatory", "SOHR" -> "Syrian Observatory for Human Rights").

EXAMPLES gives each pattern a text it matches; tests/test_grammar_examples.py checks every one.
"""

from __future__ import annotations

import regex

from . import patterns
from .dates import MONTHS, WEEKDAYS
from .words import alternation

# "Syrian Observatory for Human Rights (SOHR)"
ACRONYM_DEFINITION = patterns.compile(
    r"(?P<name>\p{Lu}[\w\-]*(?:\s+(?:for|of|the|and|on|de|al-)?\s*\p{Lu}[\w\-]*){1,8})\s*\((?P<acronym>\p{Lu}{2,8})\)"
)
# Multi-word proper names an article may shorten later.
# A day or month ends a name: "Homs Governor AFP Tuesday 29 Apr" is not one.
_DAYS_AND_MONTHS = alternation(name.capitalize() for name in (*WEEKDAYS, *MONTHS))
PROPER_NAME = patterns.compile(
    rf"\p{{Lu}}[\w\-]*(?:[ \t]+(?:(?:for|of|the|and)[ \t]+)*(?!(?:{_DAYS_AND_MONTHS})\b)\p{{Lu}}[\w\-]*){{1,7}}"  # noqa: E501 (a pattern or sentence reads best whole)
)


# Descriptions that stand for the monitoring or rights group an article names:
# "a monitoring group said", "the Britain-based group added", "the monitor".
DESCRIPTORS = patterns.compile(
    r"^(?:[\w\-]+\s+)?(?:monitor|monitoring\s+group|group|observatory|watchdog|rights\s+group|"
    r"monitoring\s+organi[sz]ation)$",
    regex.IGNORECASE,
)
# Organisations a "monitor" stands for, most specific first.
MONITOR_NAMES = (patterns.compile(r"\b(?:Observatory|Network|Watch)\b"), patterns.compile(r"\bMonitor\b"))


LEADING_ARTICLE = patterns.compile(r"^(?:the|a|an)\s+", regex.IGNORECASE)
# "Observatory head Rami Abdel Rahman": the capitalised name before the first lower-case word
LEADING_NAME = patterns.compile(r"\p{Lu}[\w\-]*(?:\s+\p{Lu}[\w\-]*){0,2}(?=\s+\p{Ll})")


# "... in Aleppo", "near Homs": where an article writes a name after a word of place, the name is a
# place, and a place is not a source ("Aleppo said" is a clause cut short before its subject).
PLACE_BEFORE = r"\b(?:in|near|outside|around|across)\s+(?:the\s+)?"
PLACE_WORD_BEFORE = patterns.compile(PLACE_BEFORE + "$")
NAME_GOES_ON = patterns.compile(r"\s+(?:\p{Lu}|police\b|army\b)")


def written_as_place(text: str, name: str) -> bool:
    """Whether the text writes the name after a word of place ("in Marea"), not as part of a
    longer name ("in Marea Police Command"). Found with str.find, as a pattern per name would be
    compiled for every article."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        before = text[max(0, at - 12) : at]
        after = text[end : end + 12]
        if (
            PLACE_WORD_BEFORE.search(before)
            and not (after[:1].isalnum() or after[:1] == "-")
            and not NAME_GOES_ON.match(after)
        ):
            return True
        at = text.find(name, end)
    return False


EXAMPLES = {
    "ACRONYM_DEFINITION": "the Syrian Observatory for Human Rights (SOHR) said",
    "PROPER_NAME": "according to the Syrian Observatory for Human Rights",
    "DESCRIPTORS": "Britain-based monitor",
    "LEADING_ARTICLE": "the Observatory",
    "LEADING_NAME": "Observatory head Rami Abdel Rahman",
    "PLACE_WORD_BEFORE": "shelling in the ",
    "NAME_GOES_ON": " Police Command",
}
# One example for each of MONITOR_NAMES, in its order.
MONITOR_EXAMPLES = ("Syrian Network for Human Rights", "Euro-Med Monitor")
