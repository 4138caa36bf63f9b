"""Category trigger words: where "killed", "wounded", "the death toll" ... are handled.

The words themselves are kept with their category in categories.py; this module makes the
patterns that find them.

A figure links a number to a trigger in one of three ways:
- the trigger follows the counted people: "32 people were killed", "32 dead" (AFTER)
- the trigger comes first and governs the number: "killing 32", "wounded 85" (BEFORE)
- a toll noun names the figure: "the death toll rose to 32" (TOLL)
"""

from __future__ import annotations

import regex

from . import patterns
from .categories import CATEGORIES
from .numbers import TENS, UNITS, VAGUE
from .words import FORCE_NOUNS, PERSON_NOUNS, alternation, opening_words

# Words that follow the people they count. "32 dead", "four people were killed",
# "57 civilians died", "20 others suffered from suffocation".
AFTER = {c.name: list(c.after) for c in CATEGORIES if c.after}

# Words that come before the number they govern. "killed at least 23", "injured dozens",
# "the murder of hundreds of people", "claimed the lives of over 470000 people".
BEFORE = {c.name: list(c.before) for c in CATEGORIES if c.before}

# BEFORE words that count people only when soldiers or fighters follow:
# "Russia has lost 12 soldiers", "deployed 1,000 troops" (but not "sent 20 people to hospital").
NEEDS_FORCE_NOUN = {w for c in CATEGORIES for w in c.force_only}


def _lookup(table: dict[str, list[str]]) -> dict[str, str]:
    return {regex.sub(r"\s+", " ", w): category for category, words in table.items() for w in words}


# Singular nouns that count only straight after "one": "one death", "a single fatality".
SINGULAR = _lookup({c.name: list(c.singular) for c in CATEGORIES if c.singular})
AFTER_CATEGORY = _lookup(AFTER) | SINGULAR
# AFTER words that are themselves the counted noun: "6 Lebanese martyrs", "18 bodies",
# "100 civilian lives"; the words before them are only modifiers.
NOUN_TRIGGERS = {w for c in CATEGORIES for w in (*c.nouns, *c.singular)}
BEFORE_CATEGORY = _lookup(BEFORE)

# BEFORE words that count people only when the number names people: "the family lost six
# relatives", "eliminated 14 terrorists" (not "lost three games", "shot three times").
NEEDS_PERSON_NOUN = {w for c in CATEGORIES for w in c.people_only}
_FORCE_OBJECT = patterns.compile(rf"\b(?:{alternation(FORCE_NOUNS)})\b", regex.IGNORECASE)
_PERSON_OBJECT = patterns.compile(rf"\b(?:{alternation(PERSON_NOUNS)})\b", regex.IGNORECASE)


def object_counts(word: str, noun_phrase: str) -> bool:
    """Whether BEFORE word `word` counts the noun phrase that follows its number."""
    if word in NEEDS_FORCE_NOUN:
        return bool(_FORCE_OBJECT.search(noun_phrase))
    if word in NEEDS_PERSON_NOUN:
        return bool(_PERSON_OBJECT.search(noun_phrase))
    return True


# Verbs in AFTER that may also be active ("gunmen killed 20"); their subject is then the
# perpetrator, not the victims.
TRANSITIVE = {w for c in CATEGORIES for w in c.transitive}

# A trigger after a determiner names people already spoken of, not the number before it:
# "many people trying to reach the bodies", "volunteers risked their lives to save the wounded",
# "relatives of those killed". A part of them is still counted: "three of the dead", "some of
# those killed", "12 children were among the dead"; and people in a place are counted by it:
# "300,000 people remain in the besieged districts".
_DETERMINER = r"\b(?:the|their|his|her|its|those|these)\s+"
_PARTS = alternation([*UNITS, *TENS, *VAGUE, "most", "all", "each", "both", "none"])
_PART_OF = rf"(?:(?:\d|\b(?:{_PARTS}))\s+of|\bamong|\bin)\s+"
_REFERENCE = rf"(?<={_DETERMINER})(?<!{_PART_OF}{_DETERMINER})"
# Words that make an AFTER word no trigger: "the suspect shot at them" hit no one (but "two men
# were shot at a bar" were hit).
_AIMED_AT = (
    "him",
    "her",
    "them",
    "us",
    "me",
    "it",
    "police",
    "officers",
    "deputies",
    "troopers",
    "each other",
)
# ("a car was shot into" was hit, but by bullets, not as a person)
_NOT_FOLLOWED_BY = {"shot": (*(f"at {target}" for target in _AIMED_AT), "into")}
# "fatally" alone says the counted died only when it ends its clause ("four shot, one fatally",
# "two of them fatally in the head"); before a verb it is that verb's adverb, and counts the
# verb's object, not the number before it ("shot three men and fatally struck a fourth").
_ENDS_CLAUSE = ("fatally",)
_CLAUSE_GOES_ON = r"\s+(?!(?:in|on|at|near|during|after|before|by|and|or|while|when|but)\b)\p{L}"
_MISSES = "|".join(
    [
        *(rf"(?<=\b{regex.escape(w)})\s+(?:{alternation(after)})\b" for w, after in _NOT_FOLLOWED_BY.items()),
        *(rf"(?<=\b{regex.escape(w)}){_CLAUSE_GOES_ON}" for w in _ENDS_CLAUSE),
    ]
)
# A negated trigger counts no one: "three children were home but were not injured", "four
# were hit, none fatally".
_NEGATED = r"(?:\bnot|\bnever|\bnone|n[’']t)\s+(?:(?:been|be|being|seriously|badly)\s+)?"
# (Its linker searches it only from where one of its words opens: `first`.)
AFTER_TRIGGER = patterns.compile_caseless(
    rf"\b(?<!{_NEGATED})(?!{_REFERENCE})(?:{alternation(_lookup(AFTER))}"
    rf"|(?<=\b(?:one|1|a\s+single|one\s+more|another)\s+)(?:{alternation(SINGULAR)}))\b(?!{_MISSES})",
    regex.IGNORECASE,
    starts=opening_words([*_lookup(AFTER), *SINGULAR]),
)
BEFORE_TRIGGER = patterns.compile_at_end(rf"\b(?:{alternation(BEFORE_CATEGORY)})$", regex.IGNORECASE)

# A toll noun names the figure some words ahead of it:
# "the death toll rose to 32", "placed the death toll at 12", "the death toll from the
# strikes was 45", "The number of people killed in an air strike ... rose to 21".
TOLL_NOUNS = {w: c.name for c in CATEGORIES for w in c.tolls}
TOLL_TRIGGER = patterns.compile_at_end(
    rf"\b(?P<toll>{alternation(TOLL_NOUNS)})\b[^.;:!?]{{0,200}}?"
    r"\b(?:to|at|of|was|is|were|are|reached|hit|stood\s+at|stands\s+at|now|rose\s+to|risen\s+to|"
    r"climbed\s+to|jumped\s+to|increased\s+to|mounted\s+to)\s*(?:\w+\s+)?$",
    regex.IGNORECASE,
)

# Auxiliaries and adverbs that may stand between the counted people and an AFTER word:
# "four people were reportedly killed", "more than 30 people have been injured".
AUXILIARY = patterns.compile(
    r"(?:\s*,?\s*(?:were|was|are|is|have|has|had|been|being|be|became|become|got|will|would|reportedly|allegedly|"
    r"also|all|later|confirmed|now|already|so\s+far|subsequently|who|that|of\s+them|of\s+whom|"
    r"either|both|each|initially|apparently|believed|feared|thought|said|to|more|others?|"
    r"were\s+among|among\s+them|further|other|then|since|instantly|immediately)\b)*\s*",
    regex.IGNORECASE,
)

# Words before a number that introduce a breakdown of the figure before it:
# "50 civilians, including nine children", "290 people, 57 of them children".
# "6 civilians including a woman and two children": the including-list may name others first.
BREAKDOWN_BEFORE = patterns.compile_at_end(
    r"\b(?:including|includes|included|among\s+them|among\s+whom|among\s+those|of\s+whom|"
    r"of\s+which|most\s+of\s+them|mostly|among\s+the\s+dead\s+were|among\s+the\s+dead\s+are)\s*"
    r"(?:were\s+|are\s+)?(?:(?:an?|one)\s+[\w\-]+(?:\s+[\w\-]+)?\s*(?:,|and)\s*)?$",
    regex.IGNORECASE,
)
# A part of a figure with a verb of its own, which then says what happened to the part:
# "five people were shot and two of them died", "one of whom died", "one of those victims died",
# "two men who were killed".
OWN_VERB = patterns.compile(
    r"\s*(?:[\w\-]+\s+){0,3}?(?:of\s+(?:them|whom|those|these)|who)\b(?:\s+[\w\-]+){0,4}?\s*$",
    regex.IGNORECASE,
)
BREAKDOWN_AFTER = patterns.compile(r"^\s*(?:of\s+them|of\s+whom|of\s+those)\b", regex.IGNORECASE)
# Every match of BREAKDOWN_BEFORE holds one of these.
BREAKDOWN_WORDS = ("includ", "among", "whom", "which", "most")


def breakdown_before(left: str) -> bool:
    """Whether BREAKDOWN_BEFORE ends the text; most texts hold none of its words, which a
    substring test tells at once (a letter that matches one of theirs case-insensitively
    lower-cases to it, but for 'İ', which changes the length, and 'ſ')."""
    lower = left.lower()
    if len(lower) == len(left) and "ſ" not in lower and not any(w in lower for w in BREAKDOWN_WORDS):
        return False
    return BREAKDOWN_BEFORE.search(left) is not None


# "Six civilians ... were among at least 22 people killed": the first figure is part of
# the second.
AMONG = patterns.compile_at_end(r"\b(?:were|are|was|is)\s+among\s*(?:the\s+)?$", regex.IGNORECASE)

# Coordination carries a category from one figure to its neighbour:
# "killed 36 people and nine others", "three women and three children were shot dead".
COORDINATION = patterns.compile(
    r"^\s*(?:,\s*)?(?:and|as\s+well\s+as|along\s+with|plus|or)\s*$", regex.IGNORECASE
)

# Active use of a TRANSITIVE word: what follows is its object, not a preposition or the end.
# "killed at least 20", "killed the commander" (but not "killed around the town").
ACTIVE_OBJECT = patterns.compile(
    r"^\s*(?:(?:at\s+least|more\s+than|over|about|around|nearly|almost|some|up\s+to)\s+"
    r"(?=\d|one|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen)|\d|"
    r"(?:the|a|an|his|her|their|its|two|three|four|five|six|seven|eight|nine|ten|dozens|"
    r"scores|hundreds|thousands|many|several|numerous)\b)",
    regex.IGNORECASE,
)
# People who are victims, not doers: "57 Civilians killed 150 Injured" is a headline with
# its commas stripped, not civilians killing 150.
VICTIM_NOUNS = patterns.compile(
    r"\b(?:civilians?|children|child|women|woman|people|persons|victims|bodies|residents|"
    r"villagers|citizens|kids|infants|babies|worshippers|students|passengers|others)\b",
    regex.IGNORECASE,
)
