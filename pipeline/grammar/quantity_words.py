"""The words around a number that say it does not count people: money, ages, times,
ordinals, measures ("$20", "a 12-year-old", "Parker, 37,", "10:30", "the 22nd")."""

from __future__ import annotations

import regex

from . import patterns

# Numbers that are not people: "$20", "a 12-year-old", "20 percent", "the 22nd", "10:30"; the
# children of a parent who is the one counted ("a father of three was shot and killed"); the
# shots someone fired ("pulled the trigger, firing one shot": a shot, not a person hit).
NOT_PEOPLE_BEFORE = patterns.compile_at_end(
    r"(?:[$£€#]|\bUS|\bNo\.?|\bnumber|\bResolution|\bRoute|\bHighway|\baged?|\bage\s+of|"
    r"\bpage|\bpp?\.|\bpercent|\bRs\.?|\bunit|\bBlock|\bsection|\barticle|\bcode|\bzone|"
    r"\b(?:father|mother|dad|mom|mum|parent|grandfather|grandmother)\s+of|"
    r"\b(?:fired|firing|fires|fire|let\s+off|squeezed\s+off)(?:\s+(?:off|the))?)\s*$",
    regex.IGNORECASE,
)

AGE_BEFORE = patterns.compile_at_end(
    r"\b(?!(?:and|or|of|the|killed|wounded|injured)\b)\p{L}[\w'’\-]*,\s*$", regex.IGNORECASE
)

NOT_PEOPLE_AFTER = patterns.compile(
    r"^(?:-?\s*(?:year|month|week|day|hour|minute|km|kilomet|mile|metre|meter|storey|floor|"
    r"member\s+(?:council|body|board|panel|committee))|\s*%|\s*(?:percent|per\s+cent)\b|"
    r"(?:st|nd|rd|th)\b|\s*(?:a\.?m\.?|p\.?m\.?)\b|\s*[:/]\d|\.\d|-\d{2,}|'s\b|’s\b|"
    r"\s+(?:times|o'clock|years\s+old)\b)",
    regex.IGNORECASE,
)

# Digits with a plural "s" are a decade or an age, never a count of people: "a man in his 50s",
# "the 1990s" (spelled-out numbers are read whole, so "hundreds" never reaches this).
DECADE_AFTER = patterns.compile(r"^s\b")

# An example each pattern matches (tests/test_grammar_examples.py checks them).
EXAMPLES = {
    "NOT_PEOPLE_BEFORE": "a payment of $",
    "AGE_BEFORE": "Parker, ",
    "NOT_PEOPLE_AFTER": "-year-old boy",
    "DECADE_AFTER": "s and a teenage girl",
}
