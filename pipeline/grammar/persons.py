"""One person as a figure (FIGURES.md, "One person counts too").

A noun phrase for one person ("a man", "the driver", "a 12-year-old", "the Taliban leader
Alaudin", "Nouri Hamish") counts 1 when a trigger links it; "a man and his son" is one phrase
that counts 2. A pronoun ("he died") is no phrase here: it points back to someone counted.
`find(sentence)` returns each phrase's span and count; the extractor links them like numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import patterns
from .words import NON_PERSON_NOUNS, ONE_PERSON, PERSON_NOUNS, alternation

# What opens a phrase: "a man", "the driver", "another child", "his son", "one of"... is left to
# the number grammar ("one person" is the number one).
DETERMINER = r"(?:a|an|the|another|his|her|their)"
# Words between the determiner and the head noun: "a 16-year-old Nebraska boy", "the older
# brother", "a Haqqani Network facilitator". Not a word that ends the phrase or opens a clause.
STOP = (
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "had",
    "been",
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "by",
    "to",
    "for",
    "with",
    "from",
    "a",
    "an",
    "the",
    "who",
    "that",
    "which",
    "his",
    "her",
    "their",
    "its",
    "he",
    "she",
    "they",
    "after",
    "as",
    "but",
    "said",
    "says",
    "told",
    "when",
    "while",
    "killed",
    "shot",
    "wounded",
    "injured",
    "died",
    "dead",
)
MODIFIER = rf"(?!(?i:{alternation(STOP)})\b)[\w’'\-]+"
HEAD = rf"(?i:{alternation(ONE_PERSON)})"
# A head noun before another noun is its modifier: "the militant group", "the rebel commander",
# "a police officer", "the suicide bomber's car".
COMPOUND = (
    "group",
    "organisation",
    "organization",
    "movement",
    "network",
    "faction",
    "cell",
    "camp",
    "base",
    "position",
    "vehicle",
    "car",
    "house",
    "home",
    "school",
    "hospital",
    "office",
    "force",
    "army",
    "unit",
    "brigade",
    "battalion",
    "militia",
    "attack",
    "strike",
    "raid",
    "bombing",
    "convoy",
    "checkpoint",
    "station",
    "family",
    "community",
    "village",
    "town",
    "city",
    "area",
    "stronghold",
    "hideout",
    "council",
    "court",
)
NEXT_NOUN = alternation([*ONE_PERSON, *PERSON_NOUNS, *NON_PERSON_NOUNS, *COMPOUND])
HEAD_ENDS = rf"(?!\w)(?!\s+(?i:{NEXT_NOUN})\b)(?!\s*(?:’s|'s))"
# "a 12-year-old" with no noun after it is a person too.
AGE_NOUN = r"\d{1,3}[\s-](?i:year[\s-]old)"
# A name after its title: "the Taliban leader Alaudin", "Major General Mohsen Makhlouf".
NAME = r"\p{Lu}[\w’'\-]+"
TRAILING_NAME = rf"(?:\s+(?:al-|bin\s+|ibn\s+)?{NAME}){{0,3}}"
# "Janet Francois,16, was shot": an age set off by commas belongs to the phrase.
AGE_APPOSITION = r"(?:\s*,\s*\d{1,3}\s*,)?"
NOUN_PHRASE = (
    rf"(?:(?i:{DETERMINER})\s+(?:{MODIFIER}\s+){{0,4}}?(?:{HEAD}|{AGE_NOUN}){HEAD_ENDS}"
    rf"{TRAILING_NAME}|(?<![\w\-])(?:{AGE_NOUN}\s+)?{HEAD}{HEAD_ENDS})"
)
ONE = patterns.compile(rf"\b{NOUN_PHRASE}")
# Where a phrase may open, in the lower-cased sentence: a determiner, an age or a head noun.
# One fast `re` scan finds these few places and ONE is tried only there, instead of at every
# word. Every place ONE matches is among them: a word boundary is never just after an ASCII
# letter or digit, and a letter that matches one of these words case-insensitively lower-cases
# to it, but for 'İ' (which changes the text's length) and 'ſ' (`_opening_scan` reads those
# sentences with ONE alone).
OPENINGS = re.compile(rf"(?<![a-z0-9_])(?=(?:a|an|the|another|his|her|their)\s|\d|{alternation(ONE_PERSON)})")
DETERMINED = patterns.compile(rf"(?i:{DETERMINER})\s")
# Several people, each one phrase: "a man and his son", "A child and a woman", "a farmer, his
# wife and their son".
AND_ANOTHER = patterns.compile(
    rf"(?:\s*,\s*(?:(?i:and|as\s+well\s+as)\s+)?|\s+(?i:and|as\s+well\s+as)\s+){NOUN_PHRASE}"
)
AND = patterns.compile(r"\s*,?\s*(?i:and|as\s+well\s+as)\s")
AGE_AFTER = patterns.compile(AGE_APPOSITION)
# A named person is a figure only as the one a singular verb is about: "Nouri Hamish was
# killed", "Janet Francois,16, was shot and killed" (the verb itself is linked as a trigger).
FULL_NAME = patterns.compile(
    rf"(?<![\w’'\-])(?<!\p{{Lu}}[\w’'\-]*\s)(?:{NAME}\s+){{1,3}}{NAME}{AGE_APPOSITION}"
    r"(?=\s+(?:was|has\s+been|had\s+been)\s)"
)


@dataclass(frozen=True)
class Person:
    start: int
    end: int
    count: int


def find(sentence: str) -> list[Person]:
    """The one-person noun phrases of a sentence, in order, each with how many people it names."""
    found: list[Person] = []
    pos = 0
    for match in _phrases(sentence):
        start, end = match.span()
        if start < pos:
            continue
        # A phrase with no determiner is a person only in a headline ("Child Shot In Head").
        determined = DETERMINED.match(sentence, start)
        if not determined and not _headline(sentence):
            continue
        # A list joined by commas ends in "and": "a farmer, his wife and their son" is three,
        # but in "her husband Nadim, father of three" the comma opens an aside.
        count, items, at = 1, 1, end
        while more := AND_ANOTHER.match(sentence, at):
            items, at = items + 1, more.end()
            if AND.match(more.group()):
                count, end = items, at
        end = AGE_AFTER.match(sentence, end).end()
        found.append(Person(start, end, count))
        pos = end
    # (FULL_NAME ends before "was", "has been" or "had been": no scan without one of them)
    for match in FULL_NAME.finditer(sentence) if "was" in sentence or "been" in sentence else ():
        if not any(p.start < match.end() and match.start() < p.end for p in found):
            found.append(Person(match.start(), match.end(), 1))
    return sorted(found, key=lambda p: p.start)


def _phrases(sentence: str) -> Iterator:
    """What ONE.finditer(sentence) finds: the leftmost phrase, then on from its end."""
    lower = sentence.lower()
    if len(lower) != len(sentence) or "ſ" in lower:
        yield from ONE.finditer(sentence)
        return
    pos = 0
    for opening in OPENINGS.finditer(lower):
        if opening.start() >= pos and (match := ONE.match(sentence, opening.start())):
            yield match
            pos = match.end()


HEADLINE_WORDS = patterns.compile(r"\b\p{Lu}[\w’'\-]*")


def _headline(sentence: str) -> bool:
    """A title-case line ('16-Year-Old Girl, Man Shot to Death'): most of its words capitalised."""
    words = sentence.split()
    return len(words) <= 20 and len(HEADLINE_WORDS.findall(sentence)) * 3 >= len(words) * 2
