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

import regex

from . import patterns
from .words import CRAFT_NOUNS, NON_PERSON_NOUNS, ONE_PERSON, PERSON_NOUNS, alternation, opening_words

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
# An acronym in brackets is a modifier too: "a Frontier Corps (FC) soldier".
MODIFIER = rf"(?:\(\p{{Lu}}{{1,8}}\)|(?!(?i:{alternation(STOP)})\b)[\w’'\-]+)"
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
# Arabic names often run to five or six words: "Moamen Akram Saber Arab Al-Muqayid".
LONGEST_NAME = 6
PARTICLE = r"(?:al-|bin\s+|ibn\s+)?"
TRAILING_NAME = rf"(?:\s+{PARTICLE}{NAME}){{0,{LONGEST_NAME - 1}}}"
# "Janet Francois,16, was shot": an age set off by commas belongs to the phrase.
AGE_APPOSITION = r"(?:\s*,\s*\d{1,3}\s*,)?"
# An age before the modifiers is one of them, however it is written ("a 32 year old Israeli Arab
# civilian", where the hyphens of "32-year-old" were stripped, is no longer than "a young Israeli
# Arab civilian").
NOUN_PHRASE = (
    rf"(?:(?i:{DETERMINER})\s+(?:{AGE_NOUN}\s+)?(?:{MODIFIER}\s+){{0,4}}?(?:{HEAD}|{AGE_NOUN}){HEAD_ENDS}"
    rf"{TRAILING_NAME}|(?<![\w\-])(?:{AGE_NOUN}\s+)?{HEAD}{HEAD_ENDS})"
)
ONE = patterns.compile(rf"\b{NOUN_PHRASE}")
# Where a phrase may open, in the lower-cased sentence: a determiner, an age or a head noun.
# One fast `re` scan finds these few places and ONE is tried only there, instead of at every
# word. Every place ONE matches is among them: a word boundary is never just after an ASCII
# letter or digit, and a letter that matches one of these words case-insensitively lower-cases
# to it, but for 'İ' (which changes the text's length) and 'ſ' (`_phrases` reads those
# sentences with ONE alone).
# (`head` marks a head noun's place; the words grouped by first letter make the scan faster.)
OPENINGS = re.compile(
    rf"(?<![a-z0-9_])(?=(?P<head>{opening_words(ONE_PERSON)})|(?:a|an|the|another|his|her|their)\s|\d)"
)
DETERMINED = patterns.compile(rf"(?i:{DETERMINER})\s")
# Several people, each one phrase: "a man and his son", "A child and a woman", "a farmer, his
# wife and their son".
AND_ANOTHER = patterns.compile(
    rf"(?:\s*,\s*(?:(?i:and|as\s+well\s+as)\s+)?|\s+(?i:and|as\s+well\s+as)\s+){NOUN_PHRASE}"
)
AND = patterns.compile(r"\s*,?\s*(?i:and|as\s+well\s+as)\s")
AGE_AFTER = patterns.compile(AGE_APPOSITION)
# A named person is a figure only as the one a singular verb is about: "Nouri Hamish was
# killed", "Janet Francois,16, was shot and killed", "Joe Bryant, a 20-year-old man, died",
# "Joe Bryant Jr., a 20-year-old man, was shot", "Ann Lee, 55, also was found dead" (the verb
# itself is linked as a trigger).
NAME_SUFFIX = r"(?:,?\s+(?:Jr|Sr)\.?|\s+(?:II|III|IV)\b)?"
NAME_ASIDE = r"(?:\s*,\s*(?:a|an)\s[^,;:()]{1,60},)?"
FULL_NAME = patterns.compile(
    rf"(?<![\w’'\-])(?<!\p{{Lu}}[\w’'\-]*\s)(?:{NAME}\s+{PARTICLE}){{1,{LONGEST_NAME - 1}}}{NAME}"
    rf"{NAME_SUFFIX}{AGE_APPOSITION}{NAME_ASIDE}"
    r"(?=\s+(?:also\s+)?(?:was|has\s+been|had\s+been)\s|\s+(?:\w+ly\s+)?died\b)"
)

# A singular noun the word lists do not know is a person when a singular verb of killing or
# wounding follows it: "a truck helper was killed", "his bodyguard died" ("his parents died"
# is no one person). A thing noun, a word for time
# or a noun that only points back ("the latter") is not.
# Nor is a word for an amount ("a large number of the family was killed": a vague figure's words).
AMOUNT_WORDS = ("number", "total", "majority", "lot", "handful", "couple", "dozen", "few", "part", "half")
NOT_A_HEAD = alternation(
    [
        *NON_PERSON_NOUNS,
        *CRAFT_NOUNS,
        *COMPOUND,
        *AMOUNT_WORDS,
        "latter",
        "former",
        "same",
        "other",
        "one",
        "rest",
        # a word for nobody or everybody: "It's a blessing nobody died"
        "nobody",
        "everybody",
        "everyone",
        "anybody",
        "anyone",
        "somebody",
        "someone",
    ]
)
PASSIVE_VERB = (
    r"(?:was|has\s+been|had\s+been)\s+(?:\w+ly\s+|also\s+)?(?:killed|shot|murdered|stabbed|injured|wounded|"
    r"hurt|slain|gunned\s+down|beaten\s+to\s+death|lynched|abducted|kidnapped|found\s+dead)\b"
)
ONE_PERSON_VERB = rf"(?:{PASSIVE_VERB}|(?:\w+ly\s+)?died\b)"
# A person's verb may come after an aside: "a robber, who had fled, was killed".
# or a prepositional phrase: "an official of an intelligence agency was shot dead".
ASIDE_THEN = (
    r"(?:\s*,[^,;:()]{1,80},|\s*\([^()]{0,80}\)|\s+(?i:of|from|belonging\s+to|linked\s+to|associated\s+with)"
    r"(?:\s+(?!(?i:was|were|is|are|has|have|had|and|or|who|which|that)\b)[\w’'\-.()]+){1,7}?)?"
)
UNKNOWN_HEAD = patterns.compile(
    r"(?<![\w\-])(?<!\b(?i:of|from|in|at|to|with|for|by|on|into|near)\s)"
    rf"(?i:a|an|the|his|her|their|another)\s+(?:{MODIFIER}\s+){{0,3}}?"
    rf"(?!(?i:{NOT_A_HEAD})\b)(?!(?i:{alternation(STOP)})\b)\p{{Ll}}[\w\-]*(?:ss|[^\Ws])(?![\w\-])(?={ASIDE_THEN}\s+{ONE_PERSON_VERB})"
)
# "Stevens was killed": one name opening its sentence, when a passive verb of killing or
# wounding follows (inside a sentence one capitalised word is as often a place: "the commander
# in Lattakia was killed"; "Parker, 37, died" is left alone); not a pronoun or
# a word for nobody or everybody.
NOT_A_NAME = (
    "He",
    "She",
    "It",
    "They",
    "We",
    "You",
    "This",
    "That",
    "Nobody",
    "None",
    "Everyone",
    "Everybody",
    "Someone",
    "Somebody",
    "Anyone",
    "Anybody",
    "One",
    "Each",
    "All",
    "Who",
    "Police",
)
# "Paige was rushed to the hospital, where he died" (read in any case).
TAKEN_TO_HOSPITAL_WORDS = (
    r"\s+(?:also\s+)?(?:was|were)\s+(?:later\s+)?"
    r"(?:taken|rushed|transported|driven|flown|airlifted|brought)\s+(?:by\s+\w+\s+)?to\s+"
    r"(?:[\w'’.\-]+\s+){0,5}?(?:hospital|medical\s+center|trauma\s+center)\s*,?\s*where\s+"
    r"(?:he|she|they)\s+(?:later\s+|was\s+|were\s+|eventually\s+)?"
)
DIED_IN_HOSPITAL = rf"(?i:{TAKEN_TO_HOSPITAL_WORDS}(?:died|pronounced\s+dead|succumbed))"
ONE_NAME = patterns.compile(
    rf"^[\"“‘']?(?!(?:{alternation(NOT_A_NAME)})\b)\p{{Lu}}\p{{Ll}}[\w’'\-]+"
    rf"{AGE_APPOSITION}(?=\s+{PASSIVE_VERB}|{DIED_IN_HOSPITAL})"
)
# "Border Police guard was killed": a head noun with no determiner opening its sentence, in
# the clipped style of event lists, before a passive verb of killing or wounding. Not after a
# word that makes it no one or a kind ("No soldier was hurt", "Each guard was searched").
NOT_ONE = ("No", "Each", "Every", "Any", "Which", "What", "Whichever", "Whose")
BARE_HEAD = patterns.compile(
    rf"^[\"“‘']?(?!(?:{alternation(NOT_ONE)})\b)(?:\p{{Lu}}[\w’'\-]*\s+){{0,3}}?{HEAD}(?=\s+{PASSIVE_VERB})"
)
# "16-year-old shot in the leg", "Three-year-old fatally shot": an age alone is the person in a
# headline, where the verb follows it (not "16-year-old Nebraska boy": the noun is the person).
HEADLINE_AGE = patterns.compile(
    r"(?<![\w\-])(?:\d{1,3}|\p{L}+)[\s-](?i:year[\s-]old)(?=\s+(?:\w+ly\s+)?(?i:shot|shoots|killed|kills|dies|"
    r"died|dead|wounded|injured|hurt|found|hit|struck|stabbed|slain|was|is)\b)"
)
# "shot and killed 14-year-old Tyler Ross": an age before a name, with no determiner.
AGE_AND_NAME = patterns.compile(rf"(?<![\w\-]){AGE_NOUN}\s+{NAME}{TRAILING_NAME}")
# "37-year-old A B and 50-year-old C D were killed", "61-year-old A B and his 63-year-old wife C":
# such names listed are one phrase of two.
AND_AGE_AND_NAME = patterns.compile(
    rf"\s*,?\s*(?i:and|as\s+well\s+as)\s+(?:{AGE_NOUN}\s+{NAME}{TRAILING_NAME}|{NOUN_PHRASE})"
)

# "killed five soldiers and another was injured": "another" alone, before its verb, is one more.
# So is "another" alone as the object of a second verb: "killing one and injuring another".
ANOTHER = patterns.compile(
    r"(?<![\w\-])(?i:another)(?=\s+(?:was|were|has|had|died)\b|\s+(?:injured|wounded|hurt)(?:\s*[,.;]|\s+(?:in|on|at|when|while|during|after|by)\b))"
    r"|(?<=\b(?i:and|while)\s{1,3}(?i:injuring|wounding|injured|wounded|killing|killed)\s{1,3})(?i:another)"
    r"(?=\s*[,.;]|\s+(?:in|on|at|when|while|during|after|before)\b)"
)

# Most candidate sentences can hold no match of the readers after the noun phrases, and a
# test of a word they need is cheaper than their scan. FULL_NAME ends before "was", "has been",
# "had been" or "died", ONE_NAME before PASSIVE_VERB, UNKNOWN_HEAD before PASSIVE_VERB or
# "died" (each case-sensitive); AGE_AND_NAME holds AGE_NOUN's "year" and ANOTHER "another",
# in any case (looked for in the lower-cased sentence: a letter that matches one of theirs
# case-insensitively lower-cases to it).
VERB_WORDS = ("was", "been", "died")
PASSIVE = patterns.compile(PASSIVE_VERB)


@dataclass(frozen=True)
class Person:
    start: int
    end: int
    count: int


def find(sentence: str, headline: bool = False) -> list[Person]:
    """The one-person noun phrases of a sentence, in order, each with how many people it names;
    `headline`: the sentence is a title, whatever its case (a bare noun is a person there)."""
    # A name comes first: in "Joe Bryant, a 20-year-old man, died" the phrase in the aside is
    # the same person.
    lower = sentence.lower()
    may_match = _may_match(sentence, lower)
    found = (
        [Person(m.start(), m.end(), 1) for m in FULL_NAME.finditer(sentence)] if may_match[FULL_NAME] else []
    )
    named = list(found)
    pos = 0
    for match in _phrases(sentence, lower):
        start, end = match.span()
        if start < pos or any(p.start < end and start < p.end for p in named):
            continue
        # A phrase with no determiner is a person only in a headline ("Child Shot In Head").
        determined = DETERMINED.match(sentence, start)
        if not determined and not (headline or _headline(sentence)):
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
    # (HEADLINE_AGE before AGE_AND_NAME: in "16-Year-Old Accidentally Shot" the title-case
    # verb is no name)
    for pattern in (
        pattern
        for pattern in (UNKNOWN_HEAD, BARE_HEAD, HEADLINE_AGE, AGE_AND_NAME, ONE_NAME, ANOTHER)
        if may_match[pattern] and (headline or pattern is not HEADLINE_AGE)
    ):
        for match in pattern.finditer(sentence):
            if not any(p.start < match.end() and match.start() < p.end for p in found):
                count, end = 1, match.end()
                while pattern is AGE_AND_NAME and (more := AND_AGE_AND_NAME.match(sentence, end)):
                    count, end = count + 1, more.end()
                found.append(Person(match.start(), end, count))
    found.sort(key=lambda p: p.start)
    return _headline_list(sentence, found) if headline else found


# A headline lists people with bare commas: "Teen, man shot at bus stop", "Mother, son found
# dead" are one figure of two, as "a teen and a man" would be.
HEADLINE_JOINER = patterns.compile(r"\s*,\s*(?:(?i:and)\s+)?|\s+(?i:and)\s+")


def _headline_list(sentence: str, found: list[Person]) -> list[Person]:
    joined: list[Person] = []
    for p in found:
        last = joined[-1] if joined else None
        if last and last.end <= p.start and HEADLINE_JOINER.fullmatch(sentence, last.end, p.start):
            joined[-1] = Person(last.start, p.end, last.count + p.count)
        else:
            joined.append(p)
    return joined


def _may_match(sentence: str, lower: str) -> dict[regex.Pattern, bool]:
    """Whether the sentence holds a word each reader after the noun phrases needs (above)."""
    verb = any(word in sentence for word in VERB_WORDS)
    passive = verb and bool(PASSIVE.search(sentence))
    return {
        FULL_NAME: verb,
        UNKNOWN_HEAD: passive or "died" in sentence,
        BARE_HEAD: passive,
        AGE_AND_NAME: "year" in lower,
        ONE_NAME: passive or "hospital" in lower,
        ANOTHER: "another" in lower,
        HEADLINE_AGE: "year" in lower,
    }


def _phrases(sentence: str, lower: str) -> Iterator:
    """What ONE.finditer(sentence) finds: the leftmost phrase, then on from its end. `lower`:
    the sentence lower-cased."""
    if len(lower) != len(sentence) or "ſ" in lower:
        yield from ONE.finditer(sentence)
        return
    openings = list(OPENINGS.finditer(lower))
    # Every phrase holds a head noun or an age ("a 12-year-old") at or after where it opens, so
    # no place after the last of these opens one (most sentences hold none).
    last = max(lower.rfind("year"), max((o.start() for o in openings if o.group("head")), default=-1))
    pos = 0
    for opening in openings:
        if opening.start() > last:
            break
        if opening.start() >= pos and (match := ONE.match(sentence, opening.start())):
            yield match
            pos = match.end()


HEADLINE_WORDS = patterns.compile(r"\b\p{Lu}[\w’'\-]*")


def _headline(sentence: str) -> bool:
    """A title-case line ('16-Year-Old Girl, Man Shot to Death'): most of its words capitalised."""
    words = sentence.split()
    return len(words) <= 20 and len(HEADLINE_WORDS.findall(sentence)) * 3 >= len(words) * 2
