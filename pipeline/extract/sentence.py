"""One sentence's figures: its quantities linked and settled, then each made a Figure with
the claimant, dates, place, perpetrator and running-total flag its sentence gives it."""

from __future__ import annotations

import datetime as dt

import regex

from ..grammar import attribution, categories, dates, prefilter
from ..grammar.circumstances import (
    CUMULATIVE,
    DOER,
    LOCATION,
    NOT_A_DOER,
    PERPETRATOR_BY,
    PERPETRATOR_IN,
    PRESENT_PERFECT,
    SAY_WORD,
)
from ..grammar.clauses import (
    AND_KILLED,
    AND_THEN,
    BASE_FORMS,
    DEAD_OBJECT,
    DEAD_OBJECT_VERBS,
    DIED_LATER,
    ELLIPSIS,
    EXPECTED,
    HIT_BY,
    MULTIPLE,
    MULTIPLE_CATEGORY,
    NOT_DONE,
    ONE_OF_BEFORE,
    ONESELF,
    SPACES,
    TIMES,
    TO_BE_END,
    VERB_AND,
)
from ..grammar.numbers import Quantity
from ..grammar.triggers import AFTER_CATEGORY, AFTER_TRIGGER, BEFORE_CATEGORY, TRANSITIVE
from .breakdowns import mark_apposed_parts, settle
from .claimants import nearest_claim
from .dating import date_for, is_dateline
from .link import link
from .model import Candidate, ClaimantRule, DatesRule, Figure, How, Sentence
from .phrases import subject, subject_kind
from .quantities import quantities

WAR_TOLL = 10_000
# The categories whose verbs may be joined for the same people: "were injured and killed".
TWO_VERB_CATEGORIES = {"killed", "injured"}
# ... and before the number they govern: "wounding and kidnapping dozens", "killing and
# capturing 20" ("killing and wounding" is one casualties word, found before this).
TWO_VERB_BEFORE_CATEGORIES = {"killed", "injured", "captured", "arrested"}
# Counts of forces and the besieged are standing numbers, never running totals.
NEVER_CUMULATIVE = categories.NEVER_CUMULATIVE


def sentence_figures(s: Sentence, published: dt.date | None, marks: prefilter.Marks) -> list[Figure]:
    """The figures of one sentence, in text order."""
    candidates, date_matches = _linked_candidates(s, marks)
    if not candidates:
        return []
    claims = attribution.in_sentence(s.text)
    date_words = [
        d
        for d in (dates.find(s.text, published, date_matches) if published else [])
        if not is_dateline(d, s.start, published)
    ]
    running = CUMULATIVE.first(s.text)
    figures: dict[int, Figure] = {}
    second: list[Figure] = []
    for i, c in enumerate(candidates):
        if c.category is not None:
            figures[i] = _figure(s, c, c.category, claims, date_words, candidates, running)
            if other := _second_verb(s.text, c):
                second.append(_figure(s, c, other, claims, date_words, candidates, running))
    _join_parts(candidates, figures)
    return sorted([*figures.values(), *second], key=lambda f: f.quantity.start)


def _second_verb(sentence: str, c: Candidate) -> str | None:
    """'Two people were injured and killed': a second verb of another category joined to the
    trigger by 'and' makes a second figure of the same people ("killed and injured" as one
    total is a casualties word of its own, found before this)."""
    if c.how == How.BEFORE and c.trigger and c.category in TWO_VERB_BEFORE_CATEGORIES:
        joined_before = VERB_AND.search(sentence, 0, c.trigger[0])
        verb = joined_before.group("verb").lower() if joined_before else ""
        # verbs joined for one object share their form: in "1 soldier killed and wounding
        # another 25" the "killed" ends the clause before
        same_form = verb[-2:] == sentence[c.trigger[0] : c.trigger[1]].lower()[-2:]
        first = BEFORE_CATEGORY.get(verb) if same_form else None
        # "stabbed and decapitated a teacher": one wounded, then killed, is counted once, as dead
        wounded_then_killed = first == "injured" and c.category == "killed"
        return (
            first if first in TWO_VERB_BEFORE_CATEGORIES - {c.category} and not wounded_then_killed else None
        )
    if c.how != How.AFTER or not c.trigger or c.category not in TWO_VERB_CATEGORIES:
        return None
    joined = AND_THEN.match(sentence, c.trigger[1])
    if not joined:
        return None
    after = AFTER_TRIGGER.match(sentence, joined.end())
    word = SPACES.sub(" ", after.group().lower()) if after else ""
    # a participle only: in "was wounded and died" the one wounded is counted once, as dead
    other = AFTER_CATEGORY.get(word) if word in TRANSITIVE else None
    return other if other in TWO_VERB_CATEGORIES and other != c.category else None


def _linked_candidates(s: Sentence, marks: prefilter.Marks) -> tuple[list[Candidate], list]:
    """The sentence's quantities, linked and settled, none of them inside date words; and the
    date words found. Empty when no quantity has a category."""
    found = quantities(s.text, s.headline)
    stems = marks.triggers_from(s.start, s.end)
    linked = _linked(s.text, found, stems, s.headline) if found else _multiples(s.text, [])
    if not any(c.category for c in linked):
        return [], []  # most sentences with a number and a trigger word hold no figure
    # Numbers inside date words ("September 22", "in 2012") are not figures.
    date_matches = dates.scan(s.text) if marks.date_in(s.start, s.end) else []
    excluded = dates.spans(s.text, date_matches)
    kept = [c for c in found if not any(a < c.quantity.end and c.quantity.start < b for a, b in excluded)]
    if not kept:
        return _multiples(s.text, []), date_matches
    # Linking depends on the neighbours, so it is redone only when a date number left the list.
    return (linked if len(kept) == len(found) else _linked(s.text, kept, stems, s.headline)), date_matches


def _linked(
    sentence: str, found: list[Candidate], stems: list[int], headline: bool = False
) -> list[Candidate]:
    """Fresh candidates for these quantities, linked to their triggers and settled."""
    candidates = [Candidate(c.quantity, person=c.person) for c in found]
    mark_apposed_parts(sentence, candidates)
    for i in range(len(candidates)):
        link(sentence, candidates, i, stems)
    settle(sentence, candidates, headline)
    _wounded_who_died(sentence, candidates)
    for c in candidates:
        # "killed himself" is said of one: "shooting three people because he could have killed
        # himself" does not make the three dead
        if c.trigger and c.quantity.count != 1 and ONESELF.search(sentence, c.trigger[0], c.trigger[1]):
            c.category = None
        if (
            c.how == How.BEFORE
            and c.trigger
            and sentence[c.trigger[0] : c.trigger[1]].lower() in BASE_FORMS
            and NOT_DONE.search(sentence, 0, c.trigger[0])
        ):
            c.category = None
        if c.how == How.AFTER and c.trigger and _forecast(sentence, c.quantity.start, c.trigger[0]):
            c.category = None
    candidates.extend(_multiples(sentence, candidates))
    return candidates


def _forecast(sentence: str, start: int, trigger: int) -> bool:
    """'expected dozens to be wounded', 'two are likely to be killed': the number and its verb
    are joined by 'to be' after a word of expectation or intent (within the few words before
    the number, or between it and the verb)."""
    return bool(
        TO_BE_END.search(sentence, start, trigger) and EXPECTED.search(sentence, max(0, start - 30), trigger)
    )


def _multiples(sentence: str, candidates: list[Candidate]) -> list[Candidate]:
    """'a triple homicide', 'the quadruple shooting': figures of three dead, four shot (the
    word is its own trigger), where no other quantity stands on it."""
    found = []
    for match in MULTIPLE.finditer(sentence):
        start, end = match.span()
        if any(c.quantity.start < end and start < c.quantity.end for c in candidates):
            continue
        n = TIMES[match["times"].lower()]
        found.append(
            Candidate(
                Quantity(n, n, n, "exact", start, match.end("times")),
                category=MULTIPLE_CATEGORY[match["what"].lower()],
                trigger=match.span("what"),
                how=How.AFTER,
            )
        )
    return found


def _wounded_who_died(sentence: str, candidates: list[Candidate]) -> None:
    """Wounded people their own clause says died are killed: "a man who was shot on Friday has
    died", "shot six people dead" (the next quantity that is a figure or a person ends the
    clause: "block 5900" does not)."""
    for i, c in enumerate(candidates):
        if c.category != "injured" or not c.trigger:
            continue
        limit = next((d.quantity.start for d in candidates[i + 1 :] if d.category or d.person), len(sentence))
        if c.how == How.BEFORE:
            if sentence[c.trigger[0] : c.trigger[1]].lower() in DEAD_OBJECT_VERBS and DEAD_OBJECT.match(
                sentence, c.quantity.end, limit
            ):
                c.category = "killed"
            continue
        if ONE_OF_BEFORE.search(sentence, 0, c.quantity.start):
            continue  # "one of four women wounded ... has died": not all four
        if HIT_BY.match(sentence, c.trigger[0]) and AND_KILLED.match(sentence, c.trigger[1]):
            # "was hit by a stray bullet and killed": the bullet that killed, counted once
            c.category = "killed"
            continue
        died = DIED_LATER.match(sentence, max(c.trigger[1], c.quantity.end), limit)
        if died and (not died.group("pronoun") or c.quantity.count == 1):
            c.category = "killed"


def _figure(
    s: Sentence,
    c: Candidate,
    category: str,
    claims: tuple[tuple[int, attribution.Claim], ...],
    date_words: list[dates.EventDates],
    candidates: list[Candidate],
    running: regex.Match | None,
) -> Figure:
    """A linked candidate as a Figure, its offsets moved from the sentence to the article."""
    q = c.quantity
    t_start, t_end = c.trigger or (q.start, q.end)
    said = subject(s.text, c)
    figure = Figure(
        quantity=Quantity(q.count, q.count_min, q.count_max, q.qualifier, q.start + s.start, q.end + s.start),
        category=category,
        trigger_start=t_start + s.start,
        trigger_end=t_end + s.start,
        sentence_start=s.start,
        sentence_end=s.end,
        paragraph_start=s.paragraph_start,
        subject=said,
        subject_kind=subject_kind(said, category),
        how=c.how,
        location=_location(s.text, c),
        perpetrator=_perpetrator(s.text, c),
        follows_on=bool(ELLIPSIS.search(s.text, 0, q.start)),
    )
    figure.claimed(nearest_claim(claims, q.start), ClaimantRule.SENTENCE)
    figure.dated(date_for(s.text, date_words, c, candidates), DatesRule.SENTENCE)
    # A running total: "the war has killed ...", "the toll rose to ..."; a troop count or a
    # breakdown is not one, and "since" makes one only when its period is this figure's.
    figure.is_cumulative = (
        category not in NEVER_CUMULATIVE
        and not c.breakdown
        and (
            running is not None
            and (running.group().lower() != "since" or bool(figure.dates and figure.dates.is_since))
            or _war_toll(s.text, c)
        )
    )
    # "the death toll has risen to 85" updates the toll of one event, not of a war
    figure.one_event = not figure.is_cumulative or bool(running and running.group("rise"))
    return figure


def _join_parts(candidates: list[Candidate], figures: dict[int, Figure]) -> None:
    """A part takes its whole, and the whole's claimant and place when it names none."""
    for i, child in figures.items():
        parent_index = candidates[i].parent
        if parent_index is not None and parent_index in figures:
            parent = figures[parent_index]
            child.parent = parent
            if not child.claimant:
                child.claimed(parent.claimant, ClaimantRule.WHOLE)
            child.location = child.location or parent.location


def _war_toll(sentence: str, c: Candidate) -> bool:
    return c.quantity.count >= WAR_TOLL and bool(PRESENT_PERFECT.search(sentence))


def _location(sentence: str, c: Candidate) -> str | None:
    start = max(c.quantity.end, c.trigger[1] if c.trigger else 0)
    match = LOCATION.search(sentence, start)
    return match.group("loc").strip() if match else None


def _perpetrator(sentence: str, c: Candidate) -> str | None:
    if c.trigger and c.how == How.AFTER:
        tail = sentence[c.trigger[1] :]
        match = PERPETRATOR_BY.match(tail) or PERPETRATOR_IN.match(tail)
        return match.group("who").strip() if match else None
    if c.trigger and c.how == How.BEFORE:
        head = sentence[: c.trigger[0]]
        match = DOER.search(head)
        if match:
            who = match.group("who").strip()
            if not NOT_A_DOER.match(who) and not SAY_WORD.search(who):
                return who
    return None
