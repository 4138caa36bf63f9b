"""extract: article text -> figures (FIGURES.md), each with its spans and raw attributes.

The grammar pieces live in `pipeline.grammar`; this module links them. For every
sentence that holds a trigger word, it reads the quantities, links each to a trigger
(after it, before it, or through a toll noun), then lets breakdowns, coordination
and troop nouns settle the quantities no trigger claimed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from .grammar import attribution, dates, patterns, persons, prefilter, sentences
from .grammar.attribution import HEADLINE_SOURCE, SITE_SUFFIX
from .grammar.budget import Budget
from .grammar.numbers import QUANTITY, Quantity, read_quantity
from .grammar.triggers import (
    ACTIVE_OBJECT,
    AFTER_CATEGORY,
    AFTER_TRIGGER,
    AMONG,
    AUXILIARY,
    BEFORE_CATEGORY,
    BEFORE_TRIGGER,
    BREAKDOWN_AFTER,
    BREAKDOWN_BEFORE,
    COORDINATION,
    NEEDS_FORCE_NOUN,
    NOUN_TRIGGERS,
    TOLL_NOUNS,
    TOLL_TRIGGER,
    TRANSITIVE,
    VICTIM_NOUNS,
)
from .grammar.words import FORCE_NOUNS, NON_PERSON_NOUNS, ONE_PERSON, PERSON_NOUNS, alternation

WORD = patterns.compile(r"[\w‘’'\-]+")
# One-word look-ups are set look-ups: far cheaper than a pattern per word.
PERSON_WORDS = {w.lower() for w in PERSON_NOUNS if " " not in w}
NON_PERSON_WORDS = {w.lower() for w in NON_PERSON_NOUNS}
FORCE_PHRASE = patterns.compile(rf"\b(?:{alternation(FORCE_NOUNS)})\b", regex.IGNORECASE)
PERSON_PHRASE = patterns.compile(rf"\b(?:{alternation(PERSON_NOUNS)})\b", regex.IGNORECASE)

# Numbers that are not people: "$20", "a 12-year-old", "20 percent", "the 22nd", "10:30".
NOT_PEOPLE_BEFORE = patterns.compile_at_end(
    r"(?:[$£€#]|\bUS|\bNo\.?|\bnumber|\bResolution|\bRoute|\bHighway|\baged?|\bage\s+of|"
    r"\bpage|\bpp?\.|\bpercent|\bRs\.?|\bunit|\bBlock|\bsection|\barticle|\bcode|\bzone)\s*$",
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

# Quantities that a trigger claims through these words are the perpetrators, not victims:
# "a suicide bomber killed 20", "three gunmen killed".
FILLER = {
    "more",
    "other",
    "others",
    "of",
    "them",
    "whom",
    "those",
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "been",
    "being",
    "also",
    "all",
    "reportedly",
    "allegedly",
    "among",
    "later",
    "now",
    "further",
    "additional",
    "confirmed",
    "so",
    "far",
    "the",
    "and",
    "who",
    "that",
}
SAY_WORD = patterns.compile(rf"\b{attribution.SAY}\b", regex.IGNORECASE)
DETERMINERS = patterns.compile_at_end(
    r"(?:\b(?:the|a|an|another|an\s+additional|a\s+further|additional|further|its|their|his|her|"
    r"some|all|a\s+total\s+of)\s*)*$",
    regex.IGNORECASE,
)
# One person named as a trigger's object, joined to the figure that follows.
ONE_AND = patterns.compile_at_end(
    rf"\s+(?:(?:a|an|the)\s+(?:[\w\-]+\s+){{0,4}}?(?:{alternation(ONE_PERSON)})|him|her|them)"
    r",?\s+(?:and|along\s+with|as\s+well\s+as)$",
    regex.IGNORECASE,
)
ELLIPSIS = patterns.compile_at_end(
    r"\b(?:another|a\s+further|an\s+additional|a\s+total\s+of)\s*$", regex.IGNORECASE
)
CUMULATIVE = patterns.compile(
    r"\b(?:so\s+far|to\s+date|in\s+total|overall|since|(?P<rise>toll\s+(?:has\s+)?(?:risen|rose|climbed|"
    r"reached|increased|jumped))|(?:war|conflict|fighting|violence|bombing|campaign|crisis|"
    r"uprising|offensive|siege|insurgency)\b[^.]{0,40}?\b(?:has|have)\s+(?:killed|claimed|left)|"
    r"(?:killed|died)\s+(?:in|during)\s+(?:[\w’'\-]+\s+){0,3}?(?:war|conflict|uprising|insurgency))\b",
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


SPACES = patterns.compile(r"\s+")
OF_THEM = patterns.compile(r"^\s*(?:of\s+(?:them|whom|those|the)\s+)")
ASIDE = patterns.compile(r"\s[–—-]\s|,")
BEING_END = patterns.compile_at_end(r"\bbeing\s*$")
# "Syrian Observatory for Human Rights (SOHR)": an acronym in brackets after a name
ACRONYM_IN_BRACKETS = patterns.compile(r"\s*\(\p{Lu}{2,8}\)")
CLAUSE_BREAK = patterns.compile(r"[;:()]|\bsaid\b|\btold\b|\bsays\b|\bthat\b")
# "Six soldiers, 6 civilians and a police officer": a comma between items of a list
LIST_COMMA = patterns.compile(r"^\s*,\s*$")
COORDINATOR_AHEAD = patterns.compile(r"\s(?:and|as\s+well\s+as|along\s+with)\s")
COORDINATOR_END = patterns.compile_at_end(
    r"(?:,\s*)?(?:\band\b|\bas\s+well\s+as\b|\balong\s+with\b|\bplus\b|\bor\b)\s*$"
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


@dataclass
class Figure:
    """One figure found in an article, before normalisation."""

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
    claimant: str | None = None
    dates: dates.EventDates | None = None
    location: str | None = None
    perpetrator: str | None = None
    is_cumulative: bool = False
    one_event: bool = True  # dated by its event's day, not by a running period
    follows_on: bool = False  # "another 50": continues the figure before it
    how: str = field(default="", repr=False)

    @property
    def start(self) -> int:
        return min(self.quantity.start, self.trigger_start)

    @property
    def end(self) -> int:
        return max(self.quantity.end, self.trigger_end)


@dataclass
class _Candidate:
    quantity: Quantity
    category: str | None = None
    trigger: tuple[int, int] | None = None
    subject: tuple[int, int] | None = None
    parent: int | None = None
    breakdown: bool = False
    how: str = ""
    person: bool = False  # a noun phrase for one person ("a man"), not a number


def extract(
    text: str,
    published: dt.date | None = None,
    problems: list[str] | None = None,
    budget: Budget | None = None,
) -> list[Figure]:
    """Every figure in an article, in text order. Once the article's time budget is spent, the
    sentences and passes left are skipped, and said so in `problems`."""
    budget = budget or Budget.for_text(text)
    figures: list[Figure] = []
    # One pass over the article marks its trigger words and numbers; a paragraph or sentence
    # without both is skipped unread.
    marks = prefilter.Marks(text)
    if not marks.triggers:
        return []
    try:
        paragraph_spans = list(sentences.paragraphs(text))
    except TimeoutError:
        _note(problems, "article skipped: the grammar ran out of time splitting it into paragraphs")
        return []
    days = _Days(text, published, paragraph_spans, marks)
    for p_start, p_end in paragraph_spans:
        if not marks.candidate(p_start, p_end):
            continue
        try:
            budget.check()
            spans = list(sentences.sentences(text, p_start, p_end))
        except TimeoutError:
            _note(problems, f"paragraph at offset {p_start} skipped: the grammar ran out of time")
            continue
        in_paragraph: list[Figure] = []
        for i, (s_start, s_end) in enumerate(spans):
            if not marks.candidate(s_start, s_end):
                continue
            try:
                budget.check()
                found = _sentence_figures(text, s_start, s_end, p_start, published, marks)
            except TimeoutError:
                _note(problems, f"sentence at offset {s_start} skipped: the grammar ran out of time")
                continue
            if not found:
                continue
            _attribute_from_neighbours(text, found, spans, i)
            in_paragraph.extend(found)
        try:
            if in_paragraph and published:
                budget.check()
                _date_from_context(days, p_start, p_end, in_paragraph)
        except TimeoutError:
            _note(problems, f"dates of paragraph at offset {p_start} not read: the grammar ran out of time")
        figures.extend(in_paragraph)
    try:
        budget.check()
        if published and figures:
            _date_from_repeats(figures)
            _date_from_context(days, 0, len(text), figures)
        _carry_on(figures)
        if published:
            _running_totals(text, figures, published, days)
    except TimeoutError:
        _note(problems, "dates from the article as a whole not read: the grammar ran out of time")
    _headline_source(text, figures)
    try:
        if figures:
            budget.check()
        _sources_from_context(text, paragraph_spans, figures)
    except TimeoutError:
        _note(problems, "sources from the article as a whole not read: the grammar ran out of time")
    return figures


def _headline_source(text: str, figures: list[Figure]) -> None:
    """A headline ending in its source ('... kill 30 Kurdish fighters in Syria Monitor') gives
    that source to the headline's figures, and to the headline where the body repeats it."""
    title = text.split("\n", 1)[0].strip()
    if not 0 < len(title) <= 200:
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
            f.sentence_start < len(title) or title[:40] in text[f.sentence_start : f.sentence_end]
        ):
            f.claimant = who


def _note(problems: list[str] | None, problem: str) -> None:
    if problems is not None:
        problems.append(problem)


def _sentence_figures(
    text: str, s_start: int, s_end: int, p_start: int, published: dt.date | None, marks: prefilter.Marks
) -> list[Figure]:
    sentence = text[s_start:s_end]
    found = _quantities(sentence)
    stems = marks.triggers_from(s_start, s_end)
    linked = _linked(sentence, found, stems) if found else []
    if not any(c.category for c in linked):
        return []  # most sentences with a number and a trigger word hold no figure
    # Numbers inside date words ("September 22", "in 2012") are not figures.
    date_matches = dates.scan(sentence) if marks.date_in(s_start, s_end) else []
    excluded = dates.spans(sentence, date_matches)
    kept = [c for c in found if not any(a < c.quantity.end and c.quantity.start < b for a, b in excluded)]
    if not kept:
        return []
    # Linking depends on the neighbours, so it is redone only when a date number left the list.
    candidates = linked if len(kept) == len(found) else _linked(sentence, kept, stems)
    claims = attribution.in_sentence(sentence)
    date_words = [
        d
        for d in (dates.find(sentence, published, date_matches) if published else [])
        if not _is_dateline(d, s_start, published)
    ]
    running = CUMULATIVE.search(sentence)
    figures: list[Figure] = []
    index_of: dict[int, int] = {}
    for i, c in enumerate(candidates):
        if c.category is None:
            continue
        q = c.quantity
        t_start, t_end = c.trigger or (q.start, q.end)
        subject = _subject(sentence, c)
        figure = Figure(
            quantity=Quantity(
                q.count, q.count_min, q.count_max, q.qualifier, q.start + s_start, q.end + s_start
            ),
            category=c.category,
            trigger_start=t_start + s_start,
            trigger_end=t_end + s_start,
            sentence_start=s_start,
            sentence_end=s_end,
            paragraph_start=p_start,
            subject=subject,
            subject_kind=_subject_kind(subject, c.category),
            how=c.how,
            claimant=_nearest_claim(claims, q.start),
            dates=_date_for(sentence, date_words, c, candidates),
            location=_location(sentence, c),
            perpetrator=_perpetrator(sentence, c),
            is_cumulative=False,
            follows_on=bool(ELLIPSIS.search(sentence, 0, q.start)),
        )
        # A running total: "the war has killed ...", "the toll rose to ..."; a troop count or a
        # breakdown is not one, and "since" makes one only when its period is this figure's.
        figure.is_cumulative = (
            c.category not in ("troops", "besieged")
            and not c.breakdown
            and (
                bool(running)
                and (running.group().lower() != "since" or bool(figure.dates and figure.dates.is_since))
                or _war_toll(sentence, c)
            )
        )
        # "the death toll has risen to 85" updates the toll of one event, not of a war
        figure.one_event = not figure.is_cumulative or bool(running and running.group("rise"))
        index_of[i] = len(figures)
        figures.append(figure)
    for i, c in enumerate(candidates):
        if c.category is not None and c.parent is not None and c.parent in index_of:
            child = figures[index_of[i]]
            parent = figures[index_of[c.parent]]
            child.parent = parent
            child.claimant = child.claimant or parent.claimant
            child.location = child.location or parent.location
    return figures


def _linked(sentence: str, found: list[_Candidate], stems: list[int]) -> list[_Candidate]:
    """Fresh candidates for these quantities, linked to their triggers and settled. `stems`:
    where the first pass marked trigger words in the sentence."""
    candidates = [_Candidate(c.quantity, person=c.person) for c in found]
    for i in range(len(candidates)):
        _link(sentence, candidates, i, stems)
    _settle(sentence, candidates)
    return candidates


def _quantities(sentence: str) -> list[_Candidate]:
    """Quantities in a sentence that may count people (not dates, ages, money, things)."""
    found = []
    for match in QUANTITY.finditer(sentence):
        start, end = match.span()
        if start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-"):
            continue
        # The tests that need only the words around come before reading the number: most
        # quantities they turn away are ages ("a 22-year-old") and money.
        before, after = sentence[max(0, start - 20) : start], sentence[end : end + 40]
        if NOT_PEOPLE_BEFORE.search(before) or NOT_PEOPLE_AFTER.match(after):
            continue
        q = read_quantity(match)
        if q is None:
            continue
        if (
            after.startswith(",")
            and q.count <= 120
            and sentence[start].isdigit()
            and AGE_BEFORE.search(before)
        ):
            continue  # "Parker, 37, died": an age set off by commas after a name
        number = match.group("number") or ""
        if _year_like(number.strip()) and not PERSON_PHRASE.match(after.lstrip()):
            continue
        if _things_follow(after):
            continue
        found.append(_Candidate(q))
    # "a man", "the driver", "a man and his son": one person (or a few) counted as a figure
    for p in persons.find(sentence):
        if not any(c.quantity.start < p.end and p.start < c.quantity.end for c in found):
            found.append(
                _Candidate(Quantity(p.count, p.count, p.count, "exact", p.start, p.end), person=True)
            )
    return sorted(found, key=lambda c: c.quantity.start)


def _year_like(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2099


def _things_follow(after: str) -> bool:
    """True when a noun for things or time comes before any noun for people: '3 attacks'."""
    for word in WORD.findall(after)[:3]:
        word = word.lower()
        if word in PERSON_WORDS or word in AFTER_CATEGORY:
            return False
        if word in NON_PERSON_WORDS:
            return True
    return False


def _link(sentence: str, candidates: list[_Candidate], i: int, stems: list[int]) -> None:
    c = candidates[i]
    q = c.quantity
    left_bound = candidates[i - 1].quantity.end if i else 0
    offset = max(left_bound, q.start - 160)
    left = sentence[offset : q.start]
    if BREAKDOWN_BEFORE.search(left) or BREAKDOWN_AFTER.match(sentence[q.end :]):
        c.breakdown = True
    # BEFORE: "killed at least 23", "the murder of hundreds", "wounded 85"
    stripped = left[: DETERMINERS.search(left).start()].rstrip()
    before = BEFORE_TRIGGER.search(stripped)
    if not before:
        # "captured a Taliban leader and several associates", "detaining them along with one
        # other insurgent": the trigger's object is a person, then the figure joins it.
        joined = ONE_AND.search(stripped)
        before = BEFORE_TRIGGER.search(stripped, 0, joined.start()) if joined else None
    # "57 Civilians killed More than 150 Injured": a word the figure before already used as
    # its own trigger does not govern this one.
    if before and i and candidates[i - 1].trigger == (before.start() + offset, before.end() + offset):
        before = None
    if before:
        word = SPACES.sub(" ", before.group().lower())
        np_end = _noun_phrase_end(sentence, q.end)
        noun_phrase = sentence[q.end : np_end]
        if c.person and word not in NEEDS_FORCE_NOUN and BEFORE_CATEGORY[word] in PERSON_CATEGORIES:
            c.category, c.how = BEFORE_CATEGORY[word], "before"
            c.trigger = (before.start() + offset, before.end() + offset)
            c.subject = (q.start, q.end)
            return
        if not c.person and (word not in NEEDS_FORCE_NOUN or FORCE_PHRASE.search(noun_phrase)):
            c.category, c.how = BEFORE_CATEGORY[word], "before"
            c.trigger = (before.start() + offset, before.end() + offset)
            c.subject = (q.end, np_end)
            return
    # TOLL: "the death toll rose to 32"
    # Every toll noun and AFTER trigger holds a stem the first pass marks (tests/test_prefilter.py),
    # so a stretch with no marked stem is not searched.
    if c.person:
        _link_person_after(sentence, candidates, i, stems)
        return
    toll = TOLL_TRIGGER.search(left) if prefilter.any_between(stems, offset, q.start) else None
    if toll:
        c.category = TOLL_NOUNS[SPACES.sub(" ", toll.group("toll").lower())]
        c.trigger = (toll.start("toll") + offset, toll.end("toll") + offset)
        c.subject = (q.end, _noun_phrase_end(sentence, q.end))
        c.how = "toll"
        return
    # AFTER: "32 people were killed", "22 dead"
    limit = _right_limit(sentence, candidates, i)
    after = (
        AFTER_TRIGGER.search(sentence, q.end, limit) if prefilter.any_between(stems, q.end, limit) else None
    )
    if after and after.start() - q.end <= 140:
        word = SPACES.sub(" ", after.group().lower())
        noun_phrase = sentence[q.end : after.start()]
        # "..., as well as four members being held captive": a description of people
        # coordinated with the figure before, not a figure of its own.
        described = BEING_END.search(noun_phrase) and COORDINATION_END.search(left)
        if (
            _valid_noun_phrase(noun_phrase, word)
            and not _is_active(sentence, noun_phrase, after, word)
            and not described
        ):
            c.category, c.trigger, c.how = AFTER_CATEGORY[word], after.span(), "after"
            c.subject = (q.end, q.end + len(AUXILIARY_TAIL.sub("", noun_phrase)))


# What one person can be counted as (FIGURES.md): "the teen fled" is no figure of displaced.
PERSON_CATEGORIES = {"killed", "injured", "captured", "arrested", "missing"}
# A one-person phrase and its verb: "a man was killed", "the driver was wounded", "a man killed
# in the attack"; but "a gunman killed three people" is the doer, and "a man killed his wife"
# too: without a passive auxiliary, only a preposition, an adverb or the end may follow.
PASSIVE = patterns.compile(r"\b(?:was|were|is|are|be|been|being|got)\b", regex.IGNORECASE)
NO_OBJECT = patterns.compile(
    r"\s*(?:$|[.,;:!?)\-–—\"”]|(?:in|on|at|by|during|after|before|when|while|near|outside|inside|"
    r"overnight|early|late|last|this|yesterday|today|tonight|earlier|instantly|later|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)",
    regex.IGNORECASE,
)


def _link_person_after(sentence: str, candidates: list[_Candidate], i: int, stems: list[int]) -> None:
    c = candidates[i]
    q = c.quantity
    limit = _right_limit(sentence, candidates, i)
    if not prefilter.any_between(stems, q.end, limit):
        return
    after = AFTER_TRIGGER.search(sentence, q.end, limit)
    if not after or after.start() - q.end > 60:
        return
    word = SPACES.sub(" ", after.group().lower())
    noun_phrase = sentence[q.end : after.start()]
    if (
        word in NOUN_TRIGGERS
        or CLAUSE_BREAK.search(noun_phrase)
        or any(w.lower() not in FILLER for w in WORD.findall(noun_phrase))
    ):
        return
    if word in TRANSITIVE and not PASSIVE.search(noun_phrase) and not NO_OBJECT.match(sentence, after.end()):
        return
    if AFTER_CATEGORY[word] not in PERSON_CATEGORIES:
        return
    c.category, c.trigger, c.how = AFTER_CATEGORY[word], after.span(), "after"
    c.subject = (q.start, q.end)


COORDINATION_END = patterns.compile_at_end(
    r"(?:,|\band|\bas\s+well\s+as|\balong\s+with|\bplus)\s*$", regex.IGNORECASE
)
AUXILIARY_TAIL = patterns.compile_at_end(rf"{AUXILIARY.pattern}$", regex.IGNORECASE)


def _right_limit(sentence: str, candidates: list[_Candidate], i: int) -> int:
    """Where the words after a quantity stop being about it: the next quantity that is
    not a breakdown of it, or a clause break."""
    part = None  # the last breakdown passed over
    for later in candidates[i + 1 :]:
        left = sentence[candidates[i].quantity.end : later.quantity.start]
        if (
            BREAKDOWN_BEFORE.search(left)
            or BREAKDOWN_AFTER.match(sentence[later.quantity.end :])
            or (
                part is not None
                and COORDINATION.match(
                    sentence[_noun_phrase_end(sentence, part.quantity.end) : later.quantity.start]
                )
            )
        ):
            part = later  # "including nine women and eleven children": both parts
            continue
        return later.quantity.start
    return len(sentence)


def _valid_noun_phrase(noun_phrase: str, trigger: str) -> bool:
    """The words between a quantity and an AFTER trigger name people (or nothing)."""
    # "40 personnel of the Central Reserve Police Force (CRPF) were killed": an acronym in
    # brackets is part of a name, not a break in the clause.
    noun_phrase = ACRONYM_IN_BRACKETS.sub("", noun_phrase)
    if CLAUSE_BREAK.search(noun_phrase):
        return False
    words = WORD.findall(noun_phrase)
    if len(words) > 14:
        return False
    meaningful = [w for w in words if w.lower() not in FILLER]
    if trigger == "prisoners" and not meaningful:
        return False
    if not meaningful:
        return True
    if trigger in NOUN_TRIGGERS and len(meaningful) <= 4:
        return not any(w.lower() in NON_PERSON_WORDS for w in meaningful)
    for w in words:
        if w.lower() in PERSON_WORDS:
            return True
        if w.lower() in NON_PERSON_WORDS:
            return False
    return False


def _is_active(sentence: str, noun_phrase: str, trigger: regex.Match, word: str) -> bool:
    """'three gunmen killed 20 people': the trigger has an object, so the quantity before it
    is the doer, not the victims. A bare number ('23 Killed Over 100 Injured') or victims
    ('57 Civilians killed') are never the doers."""
    if word not in TRANSITIVE or not WORD.search(noun_phrase) or VICTIM_NOUNS.search(noun_phrase):
        return False
    return bool(ACTIVE_OBJECT.match(sentence[trigger.end() :]))


def _noun_phrase_end(sentence: str, start: int) -> int:
    """End of the people-words after a quantity: 'pro-government fighters' in
    'killed at least 23 pro-government fighters, injured dozens'."""
    end = start
    for match in WORD.finditer(sentence, start, min(len(sentence), start + 80)):
        gap = sentence[end : match.start()]
        if any(ch in gap for ch in ',.;:()"“”') and end != start:
            break
        word = match.group().lower()
        if word in (
            "in",
            "on",
            "at",
            "during",
            "after",
            "when",
            "while",
            "since",
            "and",
            "as",
            "who",
            "were",
            "was",
            "are",
            "is",
            "have",
            "has",
            "had",
            "by",
            "near",
            "including",
            "with",
            "to",
            "said",
            "according",
            "across",
            "inside",
            "outside",
            "over",
            "for",
            "into",
            "last",
            "this",
            "yesterday",
            "today",
        ):
            if word != "of" and end != start:
                break
            if end == start:
                break
        end = match.end()
    return end


def _settle(sentence: str, candidates: list[_Candidate]) -> None:
    """Breakdowns, 'were among', coordination, ellipsis and troop nouns settle what no
    trigger claimed on its own."""
    for i, c in enumerate(candidates):
        # "including nine women and eleven children": the part coordinated with a part is one too
        if (
            not c.breakdown
            and i
            and candidates[i - 1].breakdown
            and COORDINATION.match(
                sentence[_noun_phrase_end(sentence, candidates[i - 1].quantity.end) : c.quantity.start]
            )
        ):
            c.breakdown = True
        if c.breakdown and i:
            parent = _previous_linked(candidates, i)
            if parent is not None:
                _part_of(sentence, c, parent, candidates[parent].category, "breakdown")
    for i, c in enumerate(candidates[1:], start=1):
        # "Six civilians including a child were among at least 22 people killed": the first
        # figure (with its own parts) is part of the second.
        j = i - 1
        while j > 0 and candidates[j].breakdown and candidates[j].category is None:
            j -= 1
        prev = candidates[j]
        if (
            c.category
            and prev.category is None
            and AMONG.search(sentence, prev.quantity.end, c.quantity.start)
        ):
            prev.category, prev.parent, prev.how = c.category, i, "among"
            prev.subject = (prev.quantity.end, _noun_phrase_end(sentence, prev.quantity.end))
            for part in candidates[j + 1 : i]:
                _part_of(sentence, part, j, c.category, "breakdown")
    # Coordination, both ways: "killed 36 people and nine others",
    # "three women and three children were shot dead".
    # A plain "and" binds closer than a comma: in "Two men were killed, and two other men and
    # two women were wounded" the other men were wounded.
    for _ in range(2):
        for i, c in enumerate(candidates):
            if c.category is not None:
                continue
            backward = forward = None
            if i and candidates[i - 1].category:
                prev = candidates[i - 1]
                gap_start = max(prev.quantity.end, prev.trigger[1] if prev.trigger else 0)
                gap = sentence[gap_start : c.quantity.start]
                if COORDINATION.match(gap[_phrase_tail(gap) :]):
                    backward = prev
            # "Six soldiers, 6 civilians and a police officer were killed": the list takes the
            # category its last item links, item by item back from it
            if (
                i + 1 < len(candidates)
                and candidates[i + 1].category
                and candidates[i + 1].how in ("after", "coordination")
            ):
                nxt = candidates[i + 1]
                gap = sentence[_noun_phrase_end(sentence, c.quantity.end) : nxt.quantity.start]
                listed = LIST_COMMA.match(gap) and COORDINATOR_AHEAD.search(
                    sentence, nxt.quantity.end, nxt.trigger[0] if nxt.trigger else len(sentence)
                )
                if COORDINATION.match(gap) or listed:
                    forward = nxt if "," not in gap or backward is None else None
            if forward is not None or backward is not None:
                _inherit(sentence, c, forward or backward, "coordination")
    for i, c in enumerate(candidates):
        if c.category is not None:
            continue
        # A force of fewer than 20 is not a troop figure: its noun phrase need not be read.
        np_end = _noun_phrase_end(sentence, c.quantity.end) if c.quantity.count >= 20 else c.quantity.end
        noun_phrase = sentence[c.quantity.end : np_end]
        if noun_phrase and FORCE_PHRASE.search(noun_phrase) and not _things_follow(noun_phrase):
            c.category, c.how, c.subject = "troops", "force", (c.quantity.end, np_end)
        elif (
            i
            and not c.person
            and candidates[i - 1].category
            and ELLIPSIS.search(sentence, 0, c.quantity.start)
            and not PERSON_PHRASE.match(sentence[c.quantity.end :].lstrip())
            and not _things_follow(sentence[c.quantity.end :])
        ):
            # "joining the ranks of another 4,000 already on the ground"
            _inherit(sentence, c, candidates[i - 1], "ellipsis")


def _part_of(sentence: str, c: _Candidate, parent: int, category: str | None, how: str) -> None:
    c.category, c.parent = category, parent
    c.trigger = c.trigger if c.how == "after" else None
    c.how = how
    c.subject = (
        (c.quantity.start, c.quantity.end)
        if c.person
        else (c.quantity.end, _noun_phrase_end(sentence, c.quantity.end))
    )


def _phrase_tail(gap: str) -> int:
    """Skip a short phrase ('people', 'in the clashes,') before a coordinator."""
    match = COORDINATOR_END.search(gap)
    if not match:
        return 0
    head = gap[: match.start()]
    if len(WORD.findall(head)) > 8 or CLAUSE_BREAK.search(head):
        return 0
    if AFTER_TRIGGER.search(head) or BEFORE_TRIGGER.search(head + " "):
        return 0
    return match.start()


def _inherit(sentence: str, c: _Candidate, other: _Candidate, how: str) -> None:
    c.category, c.how = other.category, how
    c.trigger = None
    # "including a woman and two children": both are parts of the same whole
    if other.breakdown and other.parent is not None:
        c.breakdown, c.parent = True, other.parent
    c.subject = (
        (c.quantity.start, c.quantity.end)
        if c.person
        else (c.quantity.end, _noun_phrase_end(sentence, c.quantity.end))
    )


def _previous_linked(candidates: list[_Candidate], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if candidates[j].category and not candidates[j].breakdown:
            return j
    return None


def _subject(sentence: str, c: _Candidate) -> str | None:
    if not c.subject:
        return None
    text = sentence[c.subject[0] : c.subject[1]]
    text = OF_THEM.sub("", text)
    text = AUXILIARY_TAIL.sub("", text).strip(' ,–—-"“”')
    text = SPACES.sub(" ", text)
    return text or None


def _subject_kind(subject: str | None, category: str) -> str:
    """The most specific kind named in the head of the subject ("militia members" are
    fighters); words after a dash or comma ("people – mostly civilians") do not count."""
    if subject:
        head = ASIDE.split(subject)[0]
        kinds = [
            PERSON_NOUNS.get(w) or PERSON_NOUNS.get(w.lower()) or ONE_PERSON.get(w.lower())
            for w in WORD.findall(head)
        ]
        specific = [k for k in kinds if k and k != "people"]
        if specific:
            return specific[0]
        if any(kinds):
            return "people"
        if FORCE_PHRASE.search(subject):
            return "fighters"
    return "fighters" if category == "troops" else "people"


def _nearest_claim(claims: tuple[tuple[int, str], ...], position: int) -> str | None:
    if not claims:
        return None
    return min(claims, key=lambda claim: abs(claim[0] - position))[1]


def _date_for(
    sentence: str, found: list[dates.EventDates], c: _Candidate, candidates: list[_Candidate]
) -> dates.EventDates | None:
    """The date words that belong to a quantity: a 'since' period in its own clause, else the
    nearest day words in the sentence."""
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


def _location(sentence: str, c: _Candidate) -> str | None:
    start = max(c.quantity.end, c.trigger[1] if c.trigger else 0)
    match = LOCATION.search(sentence, start)
    return match.group("loc").strip() if match else None


def _perpetrator(sentence: str, c: _Candidate) -> str | None:
    if c.trigger and c.how == "after":
        tail = sentence[c.trigger[1] :]
        match = PERPETRATOR_BY.match(tail) or PERPETRATOR_IN.match(tail)
        return match.group("who").strip() if match else None
    if c.trigger and c.how == "before":
        head = sentence[: c.trigger[0]]
        match = DOER.search(head)
        if match:
            who = match.group("who").strip()
            if not NOT_A_DOER.match(who) and not SAY_WORD.search(who):
                return who
    return None


def _attribute_from_neighbours(text: str, found: list[Figure], spans: list[tuple[int, int]], i: int) -> None:
    """A figure with no claimant in its own sentence takes one from 'According to X,' opening
    the sentence before, or from 'X said' opening the next sentence of the paragraph."""
    missing = [f for f in found if f.claimant is None]
    if not missing:
        return
    who = None
    if i + 1 < len(spans):
        nxt = text[spans[i + 1][0] : spans[i + 1][1]]
        match = attribution.LEADING_SAID.match(nxt)
        if match:
            who = attribution.clean(match.group("who"))
    if who is None and i > 0:
        prev = text[spans[i - 1][0] : spans[i - 1][1]]
        match = attribution.LEADING_ACCORDING_TO.match(prev)
        if match:
            who = attribution.clean(match.group("who"))
    if who:
        for f in missing:
            f.claimant = who


# "15 civilians were reportedly killed", "members of IS are reported to have killed 50"
REPORTED = patterns.compile(
    r"\b(?:reportedly|allegedly|(?:is|are|was|were)\s+(?:reported|said)\s+to)\b", regex.IGNORECASE
)
# A paragraph ending in a colon may introduce a quoted statement.
QUOTE_OPENING = patterns.compile(r":[ \t]*(?=\n|$)")

# A full date near the top that equals the publication date is the dateline
# ("Posted on August 12 2016"), not the day of an event.
DATELINE_ZONE = 300


def _is_dateline(d: dates.EventDates, s_start: int, published: dt.date | None) -> bool:
    return d.has_year and s_start + d.position < DATELINE_ZONE and d.start == published


AFTER_REACH = 250


class _ByParagraph:
    """What an article says, read paragraph by paragraph the first time a figure asks:
    most figures need one paragraph or two, not the whole article."""

    def __init__(self, text: str, paragraphs: list[tuple[int, int]]):
        self.text, self.paragraphs = text, paragraphs
        self.starts = [p_start for p_start, _ in paragraphs]
        self.ends = [p_end for _, p_end in paragraphs]
        self.read: dict[int, list] = {}
        self.kept: dict[tuple[str, int], list] = {}
        self.empty_from: dict[str, dict[int, int]] = {}

    def _read(self, p_start: int, p_end: int) -> list:
        raise NotImplementedError

    def _paragraph(self, k: int) -> list:
        if k not in self.read:
            self.read[k] = self._read(*self.paragraphs[k])
        return self.read[k]

    def _last_paragraph_before(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def _holding(self, kind: str, k: int) -> list:
        """What paragraph k holds of one kind (all it holds when kind is 'all')."""
        return self._paragraph(k)

    def _last_holding(self, kind: str, k: int, floor: int) -> int:
        """The last paragraph in [floor, k] that holds something of a kind, else less than
        floor. A run of paragraphs found empty is remembered, so that each is stepped over
        once however many figures look back past it: without this, an article of many short
        figures and no dates cost the square of its length."""
        empty_from = self.empty_from.setdefault(kind, {})
        passed = []
        while k >= floor and not self._holding(kind, k):
            passed.append(k)
            k = empty_from.get(k, k) - 1
        for j in passed:
            empty_from[j] = k + 1
        return k


class _Days(_ByParagraph):
    """The days an article names, as (position, dates)."""

    def __init__(
        self, text: str, published: dt.date | None, paragraphs: list[tuple[int, int]], marks: prefilter.Marks
    ):
        super().__init__(text, paragraphs)
        self.published, self.marks = published, marks

    def _read(self, p_start: int, p_end: int) -> list[tuple[int, dates.EventDates]]:
        if not self.marks.date_in(p_start, p_end):
            return []
        return [
            (p_start + d.position, d)
            for d in dates.find(self.text[p_start:p_end], self.published)
            if not _is_dateline(d, p_start, self.published)
        ]

    def _holding(self, kind: str, k: int) -> list[tuple[int, dates.EventDates]]:
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

    def event_days(
        self, start: int, end: int, backwards: bool = False
    ) -> Iterator[list[tuple[int, dates.EventDates]]]:
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


def _date_from_context(days: _Days, start: int, end: int, figures: list[Figure]) -> None:
    """A figure with no date words of its own takes the day of the event its paragraph (or,
    failing that, its article) is about: the nearest day named before it, else the nearest
    after it. The dateline is not an event."""
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
            f.dates = max(before, key=lambda item: item[0])[1]
            continue
        # Days named later are mostly other events: only one close after the figure counts.
        after = next(
            days.event_days(max(start, f.sentence_end), min(end, f.sentence_end + AFTER_REACH)), None
        )
        if after:
            f.dates = min(after, key=lambda item: item[0])[1]
            continue
        # An article or paragraph that names one day only is about that day's event.
        if not only_day_read:
            only_day, only_day_read = days.only_day(start, end), True
        if only_day:
            f.dates = only_day


def _date_from_repeats(figures: list[Figure]) -> None:
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
                f.dates = next(iter(same.values()))


# "More than 300000 people have been killed": a toll of tens of thousands told in the
# present perfect, with no date words of its own, is the running total of a war.
PRESENT_PERFECT = patterns.compile(
    r"\b(?:have|has)\s+(?:been\s+)?(?:killed|died|displaced|wounded|injured|fled|forced)\b|"
    r"\b(?:have|has)\s+(?:killed|claimed|displaced|left)\b",
    regex.IGNORECASE,
)
WAR_TOLL = 10_000


def _war_toll(sentence: str, c: _Candidate) -> bool:
    return c.quantity.count >= WAR_TOLL and bool(PRESENT_PERFECT.search(sentence))


def _running_totals(text: str, figures: list[Figure], published: dt.date, days: _Days) -> None:
    """A running total with no 'since' of its own counts from the period the article opened
    before it ('a campaign that began in December'), else from when it says the war began."""
    undated = [f for f in figures if f.is_cumulative and (f.dates is None or not f.dates.is_since)]
    if not undated:
        return
    war = dates.conflict_start(text, published)
    for f in undated:
        f.dates = days.running_since(f.sentence_start) or war or f.dates


@dataclass
class _Source:
    position: int
    who: str
    opens_quote: bool  # "Tobias Ellwood said:" ending its paragraph


class _Sources(_ByParagraph):
    """The sources an article names in any sentence, figures or not, asked for nearest first
    back from a figure."""

    def _read(self, p_start: int, p_end: int) -> list[_Source]:
        found: list[_Source] = []
        if attribution.SAY_OR_ACCORDING.search(self.text, p_start, p_end):
            for s_start, s_end in sentences.sentences(self.text, p_start, p_end):
                sentence = self.text[s_start:s_end]
                opens = s_end == p_end and bool(attribution.OPENS_QUOTE.search(sentence))
                found += [
                    _Source(s_start + at, who, opens)
                    for at, who in attribution.in_sentence(sentence)
                    if who != attribution.PRONOUN
                ]
        return found

    def before(self, position: int, reach: int | None = None) -> Iterator[_Source]:
        """The sources named before a position, nearest first, no further back than reach."""
        # (paragraphs that end before the reach hold nothing within it)
        floor = 0 if reach is None else bisect.bisect_left(self.ends, position - reach)
        k = self._last_paragraph_before(position)
        while (k := self._last_holding("all", k, floor)) >= floor:
            for source in reversed(self._paragraph(k)):
                if source.position < position and (reach is None or position - source.position <= reach):
                    yield source
            k -= 1


# A figure told as a report ("15 civilians were reportedly killed") goes on with the account
# of the last source named, if that was named this close before it.
REPORT_REACH = 1500
# How far back 'the source' looks for the source it shortens.
NAME_REACH = 3000


def _opens_quote(text: str) -> bool:
    """Some paragraph ends 'X said:'; found by the colon first, which is cheap."""
    return any(
        attribution.OPENS_QUOTE.search(text, max(0, m.start() - 40), m.start() + 1)
        for m in QUOTE_OPENING.finditer(text)
    )


def _sources_from_context(text: str, paragraphs: list[tuple[int, int]], figures: list[Figure]) -> None:
    """Claimants named outside the figure's sentence: 'it said' and 'the source' point back to
    a source named before; a figure told as a report takes the source whose account it goes on
    with; everything after 'X said:' ending a paragraph is X's until another source speaks."""
    sources = _Sources(text, paragraphs)
    quotes = None
    shortened: dict[str, tuple[int, _Source | None]] = {}
    for f in figures:
        who = f.claimant
        if who == attribution.PRONOUN:
            last = next(sources.before(f.sentence_start), None)
            f.claimant = last.who if last else None
        elif who and len(who.split()) == 1 and who.islower():
            # "the source" -> "Military sources"; "the monitor" -> "Syrian Observatory Monitor"
            named = _shortened_from(sources, who, f.start, shortened)
            f.claimant = named.who if named else who
        elif who is None:
            if REPORTED.search(text, f.sentence_start, f.sentence_end):
                last = next(sources.before(f.sentence_start, REPORT_REACH), None)
                if last:
                    f.claimant = last.who
                    continue
            quotes = _opens_quote(text) if quotes is None else quotes
            if quotes:
                last = next(sources.before(f.sentence_start), None)
                if last and last.opens_quote and last.position < f.paragraph_start:
                    f.claimant = last.who


def _shortened_from(
    sources: _Sources, who: str, position: int, asked: dict[str, tuple[int, _Source | None]]
) -> _Source | None:
    """The source that 'the source' or 'the monitor' shortens: the nearest named within
    NAME_REACH before a position, with the word among its own. The answer for the last figure
    that asked the same is kept (asked), so a figure after it reads only the sources named
    since then: a list of 'police said' lines would otherwise read all NAME_REACH back for each."""
    stem = who.rstrip("s")
    last_position, last_found = asked.get(who, (None, None))
    since_last = last_position is not None and last_position <= position
    reach = min(NAME_REACH, position - last_position) if since_last else NAME_REACH
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


def _carry_on(figures: list[Figure]) -> None:
    """'Another 50 civilians ...' opening a sentence continues the figure before it: it takes
    that figure's dates when it has none of its own. A breakdown takes its whole's dates."""
    for prev, figure in zip(figures, figures[1:], strict=False):
        if (
            figure.follows_on
            and figure.dates is None
            and prev.dates is not None
            and figure.sentence_start != prev.sentence_start
        ):
            figure.dates = prev.dates
    for figure in figures:
        if figure.parent is not None and figure.dates is None:
            figure.dates = figure.parent.dates
