"""The quantities of a sentence that may count people: numbers that are not dates, ages,
money or things, and noun phrases for one person ("a man")."""

from __future__ import annotations

import regex

from ..grammar import persons
from ..grammar.clauses import PART_DESCRIBED, PERSON_PHRASE
from ..grammar.numbers import QUANTITY, Quantity, read_quantity
from ..grammar.quantity_words import AGE_BEFORE, DECADE_AFTER, NOT_PEOPLE_AFTER, NOT_PEOPLE_BEFORE
from .model import Candidate
from .phrases import things_follow

# How many characters before and after a number say what it counts ("aged", "-year-old").
BEFORE_REACH = 20
AFTER_REACH = 40
# "Parker, 37, died": a number this small set off by commas after a name is an age.
OLDEST_AGE = 120
YEARS = range(1800, 2100)


def quantities(sentence: str, headline: bool = False) -> list[Candidate]:
    """Quantities in a sentence that may count people (not dates, ages, money, things);
    `headline`: the sentence is the article's title."""
    found = [Candidate(q) for q in _numbers(sentence)]
    # "a man", "the driver", "a man and his son": one person (or a few) counted as a figure
    numbers = list(found)
    for p in persons.find(sentence, headline):
        if any(
            c.quantity.end <= p.start and PART_DESCRIBED.fullmatch(sentence, c.quantity.end, p.start)
            for c in numbers
        ):
            continue
        if not any(c.quantity.start < p.end and p.start < c.quantity.end for c in found):
            found.append(Candidate(Quantity(p.count, p.count, p.count, "exact", p.start, p.end), person=True))
    return sorted(found, key=lambda c: c.quantity.start)


def _numbers(sentence: str) -> list[Quantity]:
    found = []
    for match in QUANTITY.finditer(sentence):
        start, end = match.span()
        if start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-"):
            continue
        # The tests that need only the words around come before reading the number: most
        # quantities they turn away are ages ("a 22-year-old") and money.
        before, after = sentence[max(0, start - BEFORE_REACH) : start], sentence[end : end + AFTER_REACH]
        if NOT_PEOPLE_BEFORE.search(before) or NOT_PEOPLE_AFTER.match(after):
            continue
        if sentence[end - 1].isdigit() and DECADE_AFTER.match(after):
            continue
        q = read_quantity(match)
        if q is None:
            continue
        if _is_age(sentence, q, before, after) or _is_year(match, after) or things_follow(after):
            continue
        found.append(q)
    return found


def _is_age(sentence: str, q: Quantity, before: str, after: str) -> bool:
    """'Parker, 37, died': an age set off by commas after a name."""
    return (
        after.startswith(",")
        and q.count <= OLDEST_AGE
        and sentence[q.start].isdigit()
        and bool(AGE_BEFORE.search(before))
    )


def _is_year(match: regex.Match, after: str) -> bool:
    """'in 2012', unless people follow: '2000 people'. (A range is no year.)"""
    number = "" if match.group("high") else (match.group("number") or "").strip()
    year_like = len(number) == 4 and number.isdigit() and int(number) in YEARS
    return year_like and not PERSON_PHRASE.match(after.lstrip())
