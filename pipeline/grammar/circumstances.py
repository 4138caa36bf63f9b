"""What a sentence says around a figure besides its number: whether it is a running total,
where it happened, who did it, and whether it is told as a report or opens a quote."""

from __future__ import annotations

import regex

from . import patterns
from .attribution import SAY

# The nouns whose present perfect makes a running total: "the war has killed".
_RUNNING_NOUNS = "war|conflict|fighting|violence|bombing|campaign|crisis|uprising|offensive|siege|insurgency"
CUMULATIVE = patterns.compile_caseless(
    r"\b(?:so\s+far|to\s+date|in\s+total|overall|since|(?P<rise>toll\s+(?:has\s+)?(?:risen|rose|climbed|"
    rf"reached|increased|jumped))|(?:{_RUNNING_NOUNS})\b[^.]{{0,40}}?\b(?:has|have)\s+(?:killed|claimed|left)|"
    r"(?:killed|died)\s+(?:in|during)\s+(?:[\w’'\-]+\s+){0,3}?(?:war|conflict|uprising|insurgency))\b",
    regex.IGNORECASE,
    # (each word a match opens with; tests/test_prefilter.py checks the fast search finds the same)
    starts=rf"so\s|to\s|in\s|overall|since|toll|killed|died|{_RUNNING_NOUNS}",
)

# "More than 300000 people have been killed": a toll of tens of thousands told in the
# present perfect, with no date words of its own, is the running total of a war.
PRESENT_PERFECT = patterns.compile(
    r"\b(?:have|has)\s+(?:been\s+)?(?:killed|died|displaced|wounded|injured|fled|forced)\b|"
    r"\b(?:have|has)\s+(?:killed|claimed|displaced|left)\b",
    regex.IGNORECASE,
)

LOCATION = patterns.compile(
    r"\b(?:in|near|at|across|around|outside|inside|throughout)\s+(?:the\s+)?(?P<loc>"
    r"(?:rebel|government|opposition|regime|army|IS|ISIS|ISIL|Kurdish|Taliban)[\s-](?:held|controlled)"
    r"\s+(?:areas?|parts?|districts?|neighbou?rhoods?|territory|east|west|north|south|sector)"
    r"(?:\s+of\s+(?:the\s+)?\p{Lu}[\w\-]*)?"
    r"|(?:city\s+of\s+|town\s+of\s+|village\s+of\s+|province\s+of\s+)?(?!(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|The|This|That|An?)\b)\p{Lu}[\w’'\-]*"
    r"(?:\s+(?:\p{Lu}[\w’'\-]*|al-[\w\-]+|neighbou?rhood|district|province|city|town|village|area|"
    r"region|governorate|county|camp))*)"
)

PERPETRATOR_BY = patterns.compile(
    r"^[^.;]{0,40}?\bby\s+(?P<who>(?:an?\s+|the\s+)?[\w‘’'\-]+(?:\s+(?!in\b|on\b|at\b|near\b|"
    r"during\b|after\b|when\b|while\b|according\b|and\s+\d)[\w‘’'\-]+){0,5})",
    regex.IGNORECASE,
)

PERPETRATOR_IN = patterns.compile(
    r"^[^.;]{0,30}?\bin\s+(?P<who>(?:an?\s+|the\s+)?(?:[\w‘’'\-]+\s+){0,3}(?:shelling|strikes?|"
    r"air\s*strikes?|airstrikes?|raids?|bombings?|bombardment|attacks?|fire|blasts?|explosions?|"
    r"suicide\s+bombings?|ambush))\b",
    regex.IGNORECASE,
)

# The doer before an active trigger: "rebel fire killed at least 11".
DOER = patterns.compile_at_end(
    r"(?:^|[,;]\s*|\bthat\s+|\bwhen\s+)(?P<who>(?:an?\s+|the\s+)?"
    r"[\w‘’'\-]+(?:\s+[\w‘’'\-]+){0,4})\s*$",
    regex.IGNORECASE,
)

NOT_A_DOER = patterns.compile(
    r"(?i)^(?:they|he|she|it|we|who|which|had|have|has|also|were|"
    r"on|in|and|at\s+least)\b"
)

SAY_WORD = patterns.compile(rf"\b{SAY}\b", regex.IGNORECASE)

# "15 civilians were reportedly killed", "members of IS are reported to have killed 50"
REPORTED = patterns.compile(
    r"\b(?:reportedly|allegedly|(?:is|are|was|were)\s+(?:reported|said)\s+to)\b", regex.IGNORECASE
)

# A paragraph ending in a colon may introduce a quoted statement.
QUOTE_OPENING = patterns.compile(r":[ \t]*(?=\n|$)")


# An example each pattern matches (tests/test_grammar_examples.py checks them).
EXAMPLES = {
    "CUMULATIVE": "the death toll has risen to",
    "PRESENT_PERFECT": "300000 people have been killed",
    "LOCATION": "killed in Aleppo",
    "PERPETRATOR_BY": " by a suicide bomber",
    "PERPETRATOR_IN": " in an air strike",
    "DOER": "Rebel fire ",
    "NOT_A_DOER": "they",
    "SAY_WORD": "officials said",
    "REPORTED": "were reportedly killed",
    "QUOTE_OPENING": "Tobias Ellwood said:",
}
