"""The shapes of the clause around a quantity that the linker (pipeline/extract) reads: words,
noun phrases and their ends, coordinators, breaks between clauses, passives."""

from __future__ import annotations

import regex

from . import patterns
from .persons import TAKEN_TO_HOSPITAL_WORDS
from .triggers import AUXILIARY
from .words import FORCE_NOUNS, ONE_PERSON, PERSON_NOUNS, alternation

WORD = patterns.compile(r"[\w‘’'\-]+")

FORCE_PHRASE = patterns.compile(rf"\b(?:{alternation(FORCE_NOUNS)})\b", regex.IGNORECASE)

PERSON_PHRASE = patterns.compile(rf"\b(?:{alternation(PERSON_NOUNS)})\b", regex.IGNORECASE)

SPACES = patterns.compile(r"\s+")

OF_THEM = patterns.compile(r"^\s*(?:of\s+(?:them|whom|those|the)\s+)")
# "A man was taken to a hospital, where he died": the person taken to hospital is the one who
# died there (a pronoun alone is no figure, but here it points back inside the clause).
TAKEN_TO_HOSPITAL = patterns.compile(rf"(?:\s*,\s*\d{{1,3}}\s*,)?{TAKEN_TO_HOSPITAL_WORDS}", regex.IGNORECASE)
# "two brothers, one of them a child": the one-person phrase after "one of them" describes
# that part; it is not one more person.
PART_DESCRIBED = patterns.compile(r"\s*of\s+(?:them|whom)\s+(?:was\s+|is\s+)?$", regex.IGNORECASE)

ASIDE = patterns.compile(r"\s[–—-]\s|,")

AUXILIARY_TAIL = patterns.compile_at_end(rf"{AUXILIARY.pattern}$", regex.IGNORECASE)

DETERMINERS = patterns.compile_at_end(
    r"(?:\b(?:the|a|an|another|an\s+additional|a\s+further|additional|further|its|their|his|her|"
    # (and a quote mark that opens the source's words: 'injured “a number” of others')
    r"some|all|a\s+total\s+of)\s*)*(?:[\"“‘']\s*)?$",
    regex.IGNORECASE,
)

# One person named as a trigger's object, joined to the figure that follows.
ONE_AND = patterns.compile_at_end(
    rf"\s+(?:(?:a|an|the)\s+(?:[\w\-]+\s+){{0,4}}?(?:{alternation(ONE_PERSON)})|him|her|them)"
    r",?\s+(?:and|along\s+with|as\s+well\s+as)$",
    regex.IGNORECASE,
)

BEING_END = patterns.compile_at_end(r"\bbeing\s*$")

# "Syrian Observatory for Human Rights (SOHR)": an acronym in brackets after a name
ACRONYM_IN_BRACKETS = patterns.compile(r"\s*\(\p{Lu}{2,8}\)")

CLAUSE_BREAK = patterns.compile(r"[;:()]|\bsaid\b|\btold\b|\bsays\b|\bthat\b")

COORDINATION_END = patterns.compile_at_end(
    r"(?:,|\band|\bas\s+well\s+as|\balong\s+with|\bplus)\s*$", regex.IGNORECASE
)

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

ELLIPSIS = patterns.compile_at_end(
    r"\b(?:another|a\s+further|an\s+additional|a\s+total\s+of)\s*$", regex.IGNORECASE
)

# "Six soldiers, 6 civilians and a police officer": a comma between items of a list
LIST_COMMA = patterns.compile(r"^\s*,\s*$")

# What joins the items of one counted group: "14 civilians and a police officer", "a woman and
# her three children as well as another child" (a possessive may open the next item).
GROUP_JOINER = patterns.compile(
    r"^\s*,?\s*(?:and|as\s+well\s+as)\s+(?:(?:his|her|their)\s+)?$", regex.IGNORECASE
)

COORDINATOR_AHEAD = patterns.compile(r"\s(?:and|as\s+well\s+as|along\s+with)\s")

COORDINATOR_END = patterns.compile_at_end(
    r"(?:,\s*)?(?:\band\b|\bas\s+well\s+as\b|\balong\s+with\b|\bplus\b|\bor\b)\s*$"
)

# A comma list of parts after a whole: "10 others, 5 police officers and 5 civilians, injured".
APPOSITION_OPENS = patterns.compile(r"\s*,\s*")
APPOSITION_CLOSES = patterns.compile(r"\s*[,(–—]")

# What may stand between one person and the verb about them: a bracket ("his driver (a guard)
# died"), an aside between commas ("a robber, who had fled, was killed"), and a prepositional or
# participle phrase ("a member of the banned party was killed", "a fighter belonging to the
# group"). The words left must say nothing more of who was counted.
BRACKETED = patterns.compile(r"\s*(?:\([^()]{0,80}\)|\[[^\[\]]{0,80}\])")
# A bracket opening right after a quantity's noun phrase holds an aside about those people:
# a number in it ("22 others (four of them civilians) were wounded") does not end the phrase.
BRACKET_OPENS = patterns.compile(r"^[\w\s\-’']{0,60}[(\[]\s*$")
COMMA_ASIDE = patterns.compile(r"^\s*,[^,;:()]{1,80},")
POST_MODIFIER = patterns.compile(
    r"^\s*(?:of|from|in|at|near|inside|with|belonging\s+to|linked\s+to|associated\s+with|"
    r"affiliated\s+with|attached\s+to|working\s+(?:for|with|at))\b"
    r"(?:\s+(?!(?:was|were|is|are|has|have|had|and|or|who|which|that|but)\b)[\w’'\-.]+){1,7}",
    regex.IGNORECASE,
)
# "was struck by a stray bullet and killed": a first verb coordinated with the trigger.
COORDINATED_VERB = patterns.compile_at_end(
    r"\b(?:was|were|had\s+been|have\s+been|has\s+been)\s+(?:\w+ly\s+)?\w+"
    r"(?:\s+(?:by|with|in)\s+[^,;:()]{1,40}?)?\s+and(?:\s+\w+ly)?\s*$",
    regex.IGNORECASE,
)

# "were injured and killed": the join to a second verb.
AND_THEN = patterns.compile(r"\s+and\s+", regex.IGNORECASE)
# "wounding and kidnapping dozens": a first verb joined before the one that governs the number.
VERB_AND = patterns.compile_at_end(r"\b(?P<verb>[\w\-]+)\s+and\s+$", regex.IGNORECASE)

# A person after "by" is the doer of what comes before: "shot by a teen".
AGENT_BEFORE = patterns.compile_at_end(r"\bby\s+$", regex.IGNORECASE)

# The wounded that the rest of their clause says died are counted dead: "a man who was shot on
# Friday has died", "was shot Wednesday in Bell Gardens and died early the next morning", "was
# rushed to the hospital where he died", "suffered a gunshot wound and was pronounced dead".
# The word before the verb makes it these people's
# ("... and a fourth died" is someone else); matched from the end of the wounding word to the
# next quantity, and never across words of another killing, a negation or a bracket.
DIED_LATER = patterns.compile(
    r"(?:(?!\b(?:not|never|killed|dead|deaths?|killing|including|among)\b)[^;:!?()\[\]\"“”]){0,120}?"
    r"(?:(?:\band|,|\bwho|\b(?P<pronoun>he|she))\s+(?:(?:later|subsequently|eventually|then|also|has|had)\s+)*"
    r"(?:died|passed\s+away|succumbed|(?:(?:was|were)\s+(?:later\s+)?)?(?:pronounced|declared)\s+dead)"
    r"|\b(?:has|have|had)\s+(?:since\s+|now\s+|later\s+)?died)\b",
    regex.IGNORECASE,
)
# A wounding word that tells how, not what became of them: "hit by a stray bullet and killed"
# is one killed, counted once.
HIT_BY = patterns.compile(r"(?:hit|struck|grazed)\s+by\b", regex.IGNORECASE)
AND_KILLED = patterns.compile(r"\s*,?\s*and\s+(?:was\s+)?killed\b", regex.IGNORECASE)
# "One of four women wounded ... has died": the one who died is a part of the wounded.
ONE_OF_BEFORE = patterns.compile_at_end(
    r"\b(?:one|two|three|some|several|many|most|none|\d+)\s+of\s+(?:the\s+|those\s+|these\s+)?$",
    regex.IGNORECASE,
)
# A trigger said of one person only: "killed himself", "took her own life", "shoots self", and
# a singular verb: "One of Five Victims in Overtown Shooting Dies" is not five dead.
ONESELF = patterns.compile(r"\b(?:himself|herself|self|own\s+life|dies)\b", regex.IGNORECASE)
# A verb's base form after a word of intent or a modal is what was meant, threatened or feared,
# not done: "was going to kill his wife and kids", "threatened to kill two neighbours", "did
# not injure the person inside" (but "used a shotgun to kill two", "went on to kill six" were
# done, and a headline's "Air strikes kill 20" has neither).
INTENT = (
    "going|planned|plans|planning|plotted|plotting|threatened|threatening|threatens|tried|trying|"
    "tries|attempted|attempting|wanted|wanting|wants|meant|intended|intending|aimed|aiming|hoped|"
    "hoping|vowed|order|ordered|orders"
)
NOT_DONE = patterns.compile_at_end(
    rf"\b(?:(?:{INTENT})\s+to|would|could|will|might|may|should|must|can|cannot|not)\s+"
    r"(?:\w+\s+or\s+)?$",
    regex.IGNORECASE,
)
BASE_FORMS = frozenset({"kill", "execute", "behead", "crucify", "wound", "injure"})
# A passive infinitive is a forecast or a wish after a word of expectation or intent:
# "officials expected dozens to be wounded", "two more are likely to be killed", "he wanted
# the men to be executed" ("the strike caused dozens to be wounded" was done, and so was
# "believed to have been killed": the perfect says it happened).
TO_BE_END = patterns.compile_at_end(r"\bto\s+be\s+(?:\w+ly\s+)?$", regex.IGNORECASE)
EXPECTED = patterns.compile(
    rf"\b(?:{INTENT}|expected|expects|expect|feared|fears|fear|likely|unlikely|due|set|asked)\b",
    regex.IGNORECASE,
)
# "a triple homicide", "a double murder": a killing named by how many it killed is a figure of
# the dead ("double homicides" counts crimes). (Not "a quadruple shooting": the dead among the
# four are told elsewhere in the article as often as not, and four wounded was wrong more often
# than right on gva-incidents-dev.)
TIMES = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
MULTIPLE_CATEGORY = {"homicide": "killed", "murder": "killed", "slaying": "killed"}
MULTIPLE = patterns.compile_caseless(
    rf"\b(?P<times>{'|'.join(TIMES)})[\s-](?P<what>{'|'.join(MULTIPLE_CATEGORY)})\b(?![\-]|s\b)",
    regex.IGNORECASE,
    # (tried only where one of its words opens: it runs on every candidate sentence)
    starts="|".join(TIMES),
)
# "shot six people dead", "stabbed two men to death": the object of these verbs is the dead.
DEAD_OBJECT_VERBS = ("shot", "stabbed")
DEAD_OBJECT = patterns.compile(r"\s*(?:[\w\-]+\s+){0,3}?(?:dead|to\s+death)\b", regex.IGNORECASE)


# An example each pattern matches (tests/test_grammar_examples.py checks them).
EXAMPLES = {
    "WORD": "pro-government",
    "FORCE_PHRASE": "1,000 troops",
    "PERSON_PHRASE": "civilians",
    "SPACES": "two  spaces",
    "OF_THEM": " of them children",
    "PART_DESCRIBED": " of them ",
    "TAKEN_TO_HOSPITAL": " was rushed to Mercy Hospital, where he ",
    "ASIDE": "people – mostly civilians",
    "AUXILIARY_TAIL": "40 people have been",
    "DETERMINERS": "killed a total of ",
    "ONE_AND": "detaining him and",
    "BEING_END": "four members being",
    "ACRONYM_IN_BRACKETS": "Central Reserve Police Force (CRPF)",
    "CLAUSE_BREAK": "people, police said",
    "COORDINATION_END": "killed 36 people and",
    "PASSIVE": "a man was",
    "NO_OBJECT": " in the attack",
    "ELLIPSIS": "joining the ranks of another",
    "LIST_COMMA": ", ",
    "GROUP_JOINER": " and her ",
    "COORDINATOR_AHEAD": "a police officer and a child",
    "COORDINATOR_END": "in the clashes, and",
    "APPOSITION_OPENS": ", ",
    "APPOSITION_CLOSES": ", were",
    "BRACKETED": "driver (a guard)",
    "BRACKET_OPENS": " others (",
    "COMMA_ASIDE": ", who had fled, ",
    "POST_MODIFIER": " of the banned party",
    "COORDINATED_VERB": "was struck by a stray bullet and ",
    "AND_THEN": " and ",
    "VERB_AND": "wounding and ",
    "AGENT_BEFORE": "shot by ",
    "DIED_LATER": " in the chest and died",
    "HIT_BY": "hit by",
    "AND_KILLED": " and killed",
    "DEAD_OBJECT": " people dead",
    "ONE_OF_BEFORE": "One of the ",
    "ONESELF": "killed himself",
    "MULTIPLE": "a triple homicide",
    "NOT_DONE": "was going to ",
    "TO_BE_END": "dozens to be ",
    "EXPECTED": "expected",
}
