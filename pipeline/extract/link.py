"""Linking: each quantity of a sentence to the trigger that says what happened to it, found
before it ("killed at least 23"), through a toll noun ("the death toll rose to 32") or after it
("32 people were killed")."""

from __future__ import annotations

import regex

from ..grammar import categories, prefilter
from ..grammar.clauses import (
    ACRONYM_IN_BRACKETS,
    AGENT_BEFORE,
    AUXILIARY_TAIL,
    BEING_END,
    BRACKET_OPENS,
    BRACKETED,
    CLAUSE_BREAK,
    COMMA_ASIDE,
    COORDINATED_VERB,
    COORDINATION_END,
    COORDINATOR_END,
    DETERMINERS,
    NO_OBJECT,
    ONE_AND,
    PASSIVE,
    POST_MODIFIER,
    SPACES,
    TAKEN_TO_HOSPITAL,
    WORD,
)
from ..grammar.triggers import (
    ACTIVE_OBJECT,
    AFTER_CATEGORY,
    AFTER_TRIGGER,
    BEFORE_CATEGORY,
    BEFORE_TRIGGER,
    BREAKDOWN_AFTER,
    COORDINATION,
    NEEDS_FORCE_NOUN,
    NOUN_TRIGGERS,
    TOLL_NOUNS,
    TOLL_TRIGGER,
    TRANSITIVE,
    VICTIM_NOUNS,
    breakdown_before,
    object_counts,
)
from .model import Candidate, How
from .phrases import (
    FILLER,
    NON_PERSON_WORDS,
    PERSON_WORDS,
    noun_phrase_end,
)

# How far before a quantity its trigger or toll noun may stand.
BEFORE_REACH = 160
# How far after a number its AFTER trigger may stand ("12 people ... were killed"), and after
# a one-person phrase ("a man was killed"): one person's verb follows closer.
AFTER_REACH = 140
PERSON_AFTER_REACH = 60
# A noun phrase of more words than this between a quantity and its trigger is a clause.
LONGEST_NOUN_PHRASE = 14
# A noun trigger ("22 dead") names its people in this many words or fewer.
NOUN_TRIGGER_WORDS = 4

# A noun no list knows names people only as the subject of these, in this many words before
# a preposition.
UNKNOWN_HEAD_CATEGORIES = {"killed", "injured"}
UNKNOWN_HEAD_WORDS = 2
HEAD_ENDS_AT = {"of", "from", "in", "with", "belonging", "linked", "associated", "affiliated", "at", "near"}

# What one person can be counted as (FIGURES.md): "the teen fled" is no figure of displaced.
PERSON_CATEGORIES = categories.ONE_PERSON


def link(sentence: str, candidates: list[Candidate], i: int, stems: list[int]) -> None:
    """Give candidate i its trigger, trying the rules in order. `stems`: where the first pass
    marked trigger words in the sentence."""
    c = candidates[i]
    q = c.quantity
    left_bound = candidates[i - 1].quantity.end if i else 0
    offset = max(left_bound, q.start - BEFORE_REACH)
    left = sentence[offset : q.start]
    if breakdown_before(left) or BREAKDOWN_AFTER.match(sentence[q.end :]):
        c.breakdown = True
    if _link_before(sentence, candidates, i, left, offset):
        return
    # Every toll noun and AFTER trigger holds a stem the first pass marks (tests/test_prefilter.py),
    # so a stretch with no marked stem is not searched.
    if c.person:
        _link_person_after(sentence, candidates, i, stems)
    elif not _link_toll(sentence, c, left, offset, stems):
        _link_after(sentence, candidates, i, left, stems)


def _link_before(sentence: str, candidates: list[Candidate], i: int, left: str, offset: int) -> bool:
    """BEFORE: "killed at least 23", "the murder of hundreds", "wounded 85"."""
    c = candidates[i]
    q = c.quantity
    determiners = DETERMINERS.search(left)
    stripped = left[: determiners.start() if determiners else len(left)].rstrip()
    before = BEFORE_TRIGGER.search(stripped)
    if not before:
        # "captured a Taliban leader and several associates", "detaining them along with one
        # other insurgent": the trigger's object is a person, then the figure joins it.
        joined = ONE_AND.search(stripped)
        before = BEFORE_TRIGGER.search(stripped, 0, joined.start()) if joined else None
    if not before:
        return False
    trigger = (before.start() + offset, before.end() + offset)
    # "57 Civilians killed More than 150 Injured": a word the figure before already used as
    # its own trigger does not govern this one.
    if i and candidates[i - 1].trigger == trigger:
        return False
    word = SPACES.sub(" ", before.group().lower())
    np_end = noun_phrase_end(sentence, q.end)
    if c.person:
        if word in NEEDS_FORCE_NOUN or BEFORE_CATEGORY[word] not in PERSON_CATEGORIES:
            return False
        c.subject = (q.start, q.end)
    elif object_counts(word, sentence[q.end : np_end]):
        c.subject = (q.end, np_end)
    else:
        return False
    c.category, c.how, c.trigger = BEFORE_CATEGORY[word], How.BEFORE, trigger
    return True


def _link_toll(sentence: str, c: Candidate, left: str, offset: int, stems: list[int]) -> bool:
    """TOLL: "the death toll rose to 32"."""
    q = c.quantity
    if not prefilter.any_between(stems, offset, q.start):
        return False
    toll = TOLL_TRIGGER.search(left)
    if not toll:
        return False
    c.category = TOLL_NOUNS[SPACES.sub(" ", toll.group("toll").lower())]
    c.trigger = (toll.start("toll") + offset, toll.end("toll") + offset)
    c.subject = (q.end, noun_phrase_end(sentence, q.end))
    c.how = How.TOLL
    return True


def _link_after(sentence: str, candidates: list[Candidate], i: int, left: str, stems: list[int]) -> None:
    """AFTER: "32 people were killed", "22 dead"."""
    c = candidates[i]
    q = c.quantity
    limit = right_limit(sentence, candidates, i)
    if not prefilter.any_between(stems, q.end, limit):
        return
    after = AFTER_TRIGGER.first(sentence, q.end, limit)
    if not after or after.start() - q.end > AFTER_REACH:
        return
    word = SPACES.sub(" ", after.group().lower())
    # "three men were shot and injured": the first verb is not part of who was counted
    noun_phrase = COORDINATED_VERB.sub("", sentence[q.end : after.start()], count=1)
    # "..., as well as four members being held captive": a description of people
    # coordinated with the figure before, not a figure of its own.
    described = BEING_END.search(noun_phrase) and COORDINATION_END.search(left)
    # "killed nine, including two women, and injured two others": a verb after "and" that
    # has an object of its own is the clause's second verb, not what happened to the women.
    second_verb = (
        word in TRANSITIVE
        and COORDINATOR_END.search(noun_phrase)
        and ACTIVE_OBJECT.match(sentence[after.end() :])
    )
    if (
        _valid_noun_phrase(noun_phrase, word, q.count)
        and not _is_active(sentence, noun_phrase, after, word)
        and not described
        and not second_verb
    ):
        c.category, c.trigger, c.how = AFTER_CATEGORY[word], after.span(), How.AFTER
        c.subject = (q.end, q.end + len(AUXILIARY_TAIL.sub("", noun_phrase)))


def _link_person_after(sentence: str, candidates: list[Candidate], i: int, stems: list[int]) -> None:
    """AFTER for one person: "a man was killed", "the driver was wounded"."""
    c = candidates[i]
    q = c.quantity
    limit = right_limit(sentence, candidates, i)
    if not prefilter.any_between(stems, q.end, limit):
        return
    after = AFTER_TRIGGER.first(sentence, q.end, limit)
    if not after:
        return
    word = SPACES.sub(" ", after.group().lower())
    written = sentence[q.end : after.start()]
    if AFTER_CATEGORY[word] == "killed" and TAKEN_TO_HOSPITAL.fullmatch(written):
        c.category, c.trigger, c.how = "killed", after.span(), How.AFTER
        c.subject = (q.start, q.end)
        return
    if after.start() - q.end > PERSON_AFTER_REACH:
        return
    # "shot by a teen in Grand Junction has died": the agent of a passive is not the one counted
    if AGENT_BEFORE.search(sentence, 0, q.start):
        return
    noun_phrase = _without_post_modifiers(written)
    if (
        word in NOUN_TRIGGERS
        or CLAUSE_BREAK.search(noun_phrase)
        or any(w.lower() not in FILLER for w in WORD.findall(noun_phrase))
    ):
        return
    if word in TRANSITIVE and not PASSIVE.search(written) and not NO_OBJECT.match(sentence, after.end()):
        return
    if AFTER_CATEGORY[word] not in PERSON_CATEGORIES:
        return
    c.category, c.trigger, c.how = AFTER_CATEGORY[word], after.span(), How.AFTER
    c.subject = (q.start, q.end)


def _without_post_modifiers(noun_phrase: str) -> str:
    """The words between a person and their verb less what only describes the person:
    a bracket, an aside between commas, a prepositional phrase, a first coordinated verb."""
    noun_phrase = BRACKETED.sub("", noun_phrase)
    noun_phrase = COMMA_ASIDE.sub("", noun_phrase, count=1)
    noun_phrase = POST_MODIFIER.sub("", noun_phrase, count=1)
    return COORDINATED_VERB.sub("", noun_phrase, count=1)


def right_limit(sentence: str, candidates: list[Candidate], i: int) -> int:
    """Where the words after a quantity stop being about it: the next quantity that is
    not a breakdown of it, or a clause break."""
    part = None  # the last breakdown passed over
    for later in candidates[i + 1 :]:
        left = sentence[candidates[i].quantity.end : later.quantity.start]
        if (
            later.breakdown
            or breakdown_before(left)
            or BREAKDOWN_AFTER.match(sentence[later.quantity.end :])
            or BRACKET_OPENS.match(left)
            or (
                part is not None
                and COORDINATION.match(
                    sentence[noun_phrase_end(sentence, part.quantity.end) : later.quantity.start]
                )
            )
        ):
            part = later  # "including nine women and eleven children": both parts
            continue
        return later.quantity.start
    return len(sentence)


def _valid_noun_phrase(noun_phrase: str, trigger: str, count: int) -> bool:
    """The words between a quantity and an AFTER trigger name people (or nothing)."""
    # "40 personnel of the Central Reserve Police Force (CRPF) were killed": an acronym in
    # brackets is part of a name, not a break in the clause.
    noun_phrase = BRACKETED.sub("", ACRONYM_IN_BRACKETS.sub("", noun_phrase))
    noun_phrase = COORDINATED_VERB.sub("", noun_phrase, count=1)
    if CLAUSE_BREAK.search(noun_phrase):
        return False
    words = WORD.findall(noun_phrase)
    if len(words) > LONGEST_NOUN_PHRASE:
        return False
    meaningful = [w for w in words if w.lower() not in FILLER]
    if trigger == "prisoners" and not meaningful:
        return False
    if not meaningful:
        return True
    if trigger in NOUN_TRIGGERS and len(meaningful) <= NOUN_TRIGGER_WORDS:
        return not any(w.lower() in NON_PERSON_WORDS for w in meaningful)
    for w in words:
        if w.lower() in PERSON_WORDS:
            return True
        if w.lower() in NON_PERSON_WORDS:
            return False
    # "Five tribals were shot dead", "two activists of the X party were killed", "one protester
    # died": a short noun the lists do not know, plural unless the count is one, as the subject
    # of killing or wounding counts people. Its head is what comes before a preposition.
    head = []
    for w in words:
        if w.lower() in HEAD_ENDS_AT:
            break
        if w.lower() not in FILLER:
            head.append(w)
    if not head or len(head) > UNKNOWN_HEAD_WORDS or AFTER_CATEGORY[trigger] not in UNKNOWN_HEAD_CATEGORIES:
        return False
    last = head[-1]
    plural = last.endswith("s") and not last.endswith("ss")
    return last.islower() and (plural or count == 1)


def _is_active(sentence: str, noun_phrase: str, trigger: regex.Match, word: str) -> bool:
    """'three gunmen killed 20 people': the trigger has an object, so the quantity before it
    is the doer, not the victims. A bare number ('23 Killed Over 100 Injured') or victims
    ('57 Civilians killed') are never the doers."""
    if word not in TRANSITIVE or not WORD.search(noun_phrase) or VICTIM_NOUNS.search(noun_phrase):
        return False
    return bool(ACTIVE_OBJECT.match(sentence[trigger.end() :]))
