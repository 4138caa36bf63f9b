"""Words around a quantity: the noun phrase that follows it, what it names, and the words
that carry no meaning between a quantity and its trigger."""

from __future__ import annotations

import functools

from ..grammar.categories import BY_NAME
from ..grammar.clauses import ASIDE, AUXILIARY_TAIL, FORCE_PHRASE, OF_THEM, SPACES, WORD
from ..grammar.triggers import AFTER_CATEGORY
from ..grammar.words import NON_PERSON_NOUNS, ONE_PERSON, PERSON_NOUNS, PHRASE_OPENERS
from .model import Candidate

# One-word look-ups are set look-ups: far cheaper than a pattern per word.
PERSON_WORDS = {w.lower() for w in PERSON_NOUNS if " " not in w}
NON_PERSON_WORDS = {w.lower() for w in NON_PERSON_NOUNS}

# Words between a quantity and its trigger that say nothing of who was counted:
# "50 more were killed", "12 of them have been wounded".
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
    "became",
    "become",
    "got",
    "fatally",
    "critically",
    "seriously",
    "severely",
    "badly",
    # how badly, as reports grade wounds: "was slightly injured", "were moderately wounded"
    "slightly",
    "lightly",
    "mildly",
    "moderately",
    "gravely",
    "mortally",
    "mistakenly",
    "accidentally",
    "accidently",
    "unintentionally",
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
    # a passive after a verb of causing: "the strike caused dozens to be wounded"
    "to",
    "be",
}
# Words that end the noun phrase after a quantity ("23 fighters in Idlib", "20 people who").
PHRASE_ENDERS = {
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
}
# Prepositions that end a number's noun phrase ("84 in three days"; not "of": "3 of the attacks").
PREPOSITIONS_AFTER = {
    "in",
    "on",
    "at",
    "during",
    "within",
    "over",
    "across",
    "since",
    "near",
    "inside",
    "outside",
}
PHRASE_BREAKS = frozenset(',.;:()"“”')
# How far after a quantity its noun phrase may run.
NOUN_PHRASE_REACH = 80
# How many words after a quantity may say it counts things, not people ("3 attacks").
THINGS_WORDS = 3
# Words before which no noun for things counts the number: a person, a trigger, or what ends
# the number's noun phrase (one set: things_follow reads every number's next words).
NOT_THINGS_YET = frozenset((*PERSON_WORDS, *AFTER_CATEGORY, *PHRASE_OPENERS, *PREPOSITIONS_AFTER))


# The linker, the breakdowns and the subject each ask where the same quantity's noun phrase
# ends: the answers for the last few sentences' quantities are kept.
@functools.lru_cache(maxsize=256)
def noun_phrase_end(sentence: str, start: int) -> int:
    """End of the people-words after a quantity: 'pro-government fighters' in
    'killed at least 23 pro-government fighters, injured dozens'."""
    end = start
    for match in WORD.finditer(sentence, start, min(len(sentence), start + NOUN_PHRASE_REACH)):
        gap = sentence[end : match.start()]
        if end != start and not PHRASE_BREAKS.isdisjoint(gap):
            break
        if match.group().lower() in PHRASE_ENDERS or (
            end == start and match.group().lower() in PHRASE_OPENERS
        ):
            break
        end = match.end()
    return end


def things_follow(after: str) -> bool:
    """True when a noun for things or time comes before any noun for people: '3 attacks'.
    A preposition ends the number's own noun phrase: 'killed 84 in three days' counts 84
    people, not days."""
    for word in WORD.findall(after)[:THINGS_WORDS]:
        word = word.lower()
        if word in NOT_THINGS_YET:
            return False
        if word in NON_PERSON_WORDS:
            return True
    return False


def subject_span(sentence: str, c: Candidate) -> tuple[int, int]:
    """What a quantity counts: a one-person phrase is its own subject, a number the noun
    phrase after it."""
    if c.person:
        return (c.quantity.start, c.quantity.end)
    return (c.quantity.end, noun_phrase_end(sentence, c.quantity.end))


def subject(sentence: str, c: Candidate) -> str | None:
    if not c.subject:
        return None
    text = sentence[c.subject[0] : c.subject[1]]
    if c.person:  # a one-person phrase is its own subject ("another", not "an" + "other")
        return SPACES.sub(" ", text).strip(' ,–—-"“”') or None
    text = OF_THEM.sub("", text)
    text = AUXILIARY_TAIL.sub("", text).strip(' ,–—-"“”')
    text = SPACES.sub(" ", text)
    return text or None


def subject_kind(subject: str | None, category: str) -> str:
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
    return BY_NAME[category].subject_kind
