"""Who gave a figure: "according to X", "X said", "said X", "X told Al Jazeera"."""

from __future__ import annotations

import calendar
import enum
import functools
from collections.abc import Iterator

import regex

from . import patterns, sources
from .words import alternation

SAY = (
    r"(?:said|says|say|reported|reports|report|told|tells|announced|announces|added|"
    r"(?:claimed|claims)(?!\s+(?:the\s+)?(?:lives?|responsibility|\d))|"  # not "claimed the lives"
    r"stated|states|confirmed|confirms|estimated|estimates|counted|documented|"
    r"recorded|put|puts|placed|quoted|cited|noted|wrote|tweeted|declared|warned|accused|"
    r"(?:was|were)\s+quoted\s+as\s+saying|received\s+reports?|"
    # "posted on Facebook that": a post reports with its "that" ("posted an image" does not)
    r"posted(?:\s+(?:on|to)\s+[\w@]+(?:\s+[\w@]+)?)?\s+that)"
)

# "according to the Syrian Observatory for Human Rights (SOHR)", ending at a comma,
# "which" or "that", or the end of the sentence.
ACCORDING_TO = patterns.compile(
    r"\baccording\s+to\s+(?P<who>[^,.;:\"“”]+?)"
    r"(?=\s*(?:[,.;:\"“”]|\bwhich\b|\bthat\b|\bwho\b|\bon\s+\p{Lu}\w+day\b|$))",
    regex.IGNORECASE,
)

# "According to several sources, including the Kurdish Red Crescent": the source named is the one
# after "including" (the sources before it are a kind, and ACCORDING_TO's reading of them is dropped).
ACCORDING_INCLUDING = patterns.compile(
    r"\baccording\s+to\s+[^,.;:\"“”]{1,60}?,\s+(?:including|among\s+them|notably)\s+"
    r"(?P<who>[^,.;:\"“”]+?)(?=\s*(?:[,.;:\"“”]|$))",
    regex.IGNORECASE,
)

# "A source told SANA", "officials told Xinhua news agency": the outlet told, written as a name.
# Where the teller is only "a source" or "officials", with nothing to tell which, the outlet is
# the one source that can be named for the figure; a teller of a kind ("a rebel source", as
# FIGURES.md counts kinds of sources) or with a name ("Mayor Ahmed Karim") stays the claimant.
TOLD_OUTLET = patterns.compile(
    r"\btold\s+(?P<who>(?:the\s+)?\p{Lu}[\w\-]*(?:\s+\p{Lu}[\w\-]*){0,3}"
    r"(?:\s+(?i:news\s+agency|agency|news|tv|television|radio|newspaper|daily))?)"
)

# A teller with nothing to tell which: "a source", "officials" (not "a rebel source").
ANONYMOUS = patterns.compile(r"^(?:source|sources|official|officials)$", regex.IGNORECASE)

# "a statement by the Ministry of Health": the one who issued it.
STATEMENT_BY = patterns.compile(
    r"\b(?:a|the|in\s+a)\s+statement\s+(?:(?:issued|released|published|posted)\s+)?by\s+"
    r"(?P<who>(?:the\s+)?[\w\-]+(?:\s+[\w\-]+){0,6}?)(?=\s*(?:[,.;:]|\bsaid\b|$))",
    regex.IGNORECASE,
)

# "X said", "X told Al Jazeera": X is the words before the verb back to a clause start.
# "Ibrahim Abu Leith, spokesman for the Syria Civil Defence in Aleppo, told Al Jazeera"
SUBJECT_SAID = patterns.compile(
    rf"(?:^|[\"”“]\s*|[.;:]\s+|,\s+|\bthat\s+|\band\s+|\bbut\s+|\bwhile\s+)"
    rf"(?P<who>(?:the\s+|a\s+|an\s+)?[@\w‘’'\-.]+(?:(?:\s+|,\s+)(?!{SAY}\b)[\w‘’'\-.()]+){{0,11}}?)"
    rf",?\s+(?:(?:also|later|earlier|previously|however|had|has|have|then|separately|"
    rf"on\s+\p{{Lu}}\w+day)\s+){{0,2}}{SAY}\b",
    regex.IGNORECASE,
)

# "..., said Rami Abdel Rahman, head of the Observatory."
SAID_SUBJECT = patterns.compile(
    r"(?:,|[\"”])\s*(?:said|says|reported|added)\s+(?P<who>(?!that\b|it\b|on\b|in\b)"
    r"[\p{Lu}\w][^,.;:]{1,80}?(?:,\s+[^,.;:]{2,60})?)(?=\s*[,.;:]|$)"
)

# "said ISIL executed 24 civilians", "said Islamist militants killed a pilot": words after
# "said" with a verb after them, or after the noun they qualify, are the reported clause's
# subject, not the source ("said the Observatory which relied ..." is the source).
NOT_A_SUBJECT = (
    r"(?!\s+(?:(?!(?:which|who|that|whose|and|but|as|on|in|at|of|for|to|after|when|while|also|"
    r"later|earlier)\b)\p{Ll}[\w\-]*\s+)?(?!based\b)(?:had|has|have|was|were|is|are|would|will|could|\w+ed)\b)"
)

# "... in the suburbs of Damascus said the Syrian Observatory for Human Rights (SOHR)":
# the source after the verb, written as a name (some corpora strip the comma before it).
SAID_NAME = patterns.compile(
    r"\b(?:said|says|reported|added|according\s+to)\s+(?P<who>(?:the\s+)?(?:\p{Lu}[\w\-]*+|al-[\w\-]++)"
    r"(?:\s+(?:(?:for|of|the|and|on)\b|\p{Lu}[\w\-]*+|\(\p{Lu}+\)|al-[\w\-]++)){0,8}+)"
    rf"{NOT_A_SUBJECT}"
)

# A source named by its kind just before the verb, with no clause break needed:
# "... in a village of Aleppo a monitoring group said", "the provincial governor said",
# "the Russian Defense Ministry said", "state-run news agency reported".
SOURCE_NOUNS = (
    r"(?:monitor|monitoring\s+group|group|observatory|watchdog|source|sources|official|"
    r"officials|spokesman|spokeswoman|spokesperson|ministry|agency|television|tv|media|"
    r"activists?|residents|witnesses|governor|police|army|military|forces|council|coalition|"
    r"command|office|department|statement|report|broadcaster|outlet|channel|doctors?|"
    r"medics|hospital|authorities|mayor|minister|commander|chief|head|director|correspondent|reporter)"
)
SOURCE_WORD = patterns.compile(rf"\b{SOURCE_NOUNS}s?\b", regex.IGNORECASE)
# "... in critical condition said the head of the Britain-based group", "said a security
# source": a source named by its kind after the verb, where the corpus stripped the comma
# SAID_SUBJECT needs; an article, at most two words that qualify the noun, the noun, and what
# it is of or at ("of the Observatory", "at the Hama Police Command"). The clause must end
# after it: "said a coalition raid killed two" and "said the police officer and a deputy were
# hurt" open the reported clause with a noun of the same words.
CLAUSE_ENDS = (
    r"(?=\s*(?:[,.;:\"”]|$)|\s+(?:which|who|that|whose|in|on|at|adding|citing|speaking|according)\b)"
)
_NAME_AFTER = r"(?-i:\p{Lu}[\w\-]*(?:\s+(?:(?:for|of|the|and)\s+)*\p{Lu}[\w\-]*)*)"
SAID_KIND = patterns.compile(
    rf"\b(?:said|says|reported|added)\s+(?P<who>(?:the|a|an)\s+(?:(?!(?:the|a|an)\b)[\w\-]+\s+){{0,2}}?"
    rf"{SOURCE_NOUNS}s?(?:\s+(?:of|for|at|with)\s+(?:the\s+)?(?:(?:[\w\-]+\s+){{0,2}}?{SOURCE_NOUNS}s?|"
    rf"{_NAME_AFTER}))?)\b{CLAUSE_ENDS}",
    regex.IGNORECASE,
)
SOURCE_AT_END = patterns.compile_at_end(rf"\b{SOURCE_NOUNS}s?$", regex.IGNORECASE)
_THEN_SAID = rf"\s+(?:(?:also|later|earlier|has|have|had)\s+)?{SAY}\b"
SOURCE_SAID = patterns.compile(
    rf"(?P<who>(?:\b(?:the|a|an)\s+)?(?:\b(?!(?:the|a|an|of|in|on|at|and)\b)[\w\-]+(?:['’]s)?\s+){{0,3}}?\b{SOURCE_NOUNS}s?)"
    rf"{_THEN_SAID}",
    regex.IGNORECASE,
)
# SOURCE_SAID without its optional words before the noun: a match of one holds a match of the
# other. Run backwards from the verb, it tells cheaply whether SOURCE_SAID's scan of the whole
# stretch before the verb can find anything (in most stretches it cannot).
NOUN_SAID = patterns.compile_at_end(rf"\b{SOURCE_NOUNS}s?{_THEN_SAID}", regex.IGNORECASE)

# A name written just before the verb, with no comma to open its clause (some corpora strip
# commas): "... on the government-held west the Syrian Observatory for Human Rights said".
NAME_SAID = patterns.compile(
    rf"(?P<who>\b[Tt]he[ \t]+\p{{Lu}}[\w\-]*(?:[ \t]+(?:for|of|the|and|on|\p{{Lu}}[\w\-]*|"
    rf"\(\p{{Lu}}+\))){{0,8}})[ \t]+(?:(?:also|later|earlier|however|has|have|had)[ \t]+)?{SAY}\b"
)
# "... and another 150 wounded it said": a pronoun points back to the source named before.
PRONOUN_SAID = patterns.compile(
    r"\b(?P<who>it|he|she|they|the\s+group|the\s+monitor)\s+(?:said|says|added|reported)\b", regex.IGNORECASE
)
# A headline that ends with its source: "Twin blasts kill 30 Kurdish fighters in Syria: monitor".
HEADLINE_SOURCE = patterns.compile(
    r"(?:[:\-–]\s*|\s)(?P<who>(?:Syrian\s+)?(?:Monitor|Monitoring\s+group|Observatory|NGO|Governor|Activists?|Police|"
    r"Army|Military|Medics?|Officials?|Sources?|Ministry|Rescuers|Witnesses|Report|State\s+Media|"
    r"State\s+TV))\s*$",
    regex.IGNORECASE,
)

# The site's name after a headline: "... kill 45 in Syria's Homs: Governor - Region - Ahram Online".
SITE_SUFFIX = patterns.compile(r"\s+[|\-–—]\s+[^|\-–—]*$")

# "Tobias Ellwood said:" ending a paragraph: what follows is the speaker's statement.
OPENS_QUOTE = patterns.compile(rf"\b{SAY}\s*:\s*$", regex.IGNORECASE)


class Pointer(enum.Enum):
    """A claimant that names no one but points back to a source named before: the claimant
    passes replace it with that source (or with none)."""

    PRONOUN = "pronoun"  # "it said", "the statement added"


PRONOUN = Pointer.PRONOUN
# What an attribution gives: a source as written, or a pointer back to one.
Claim = str | Pointer

# Pronouns and stand-ins that point back to a source named before ("it said").
PRONOUNS = {"he", "she", "it", "they", "the group", "the statement", "the report", "we", "the claim"}
# "SANA reporter said Monday", "On April 4 ...": a day or month alone is not a source.
DATE_ONLY = patterns.compile(
    rf"^(?:on\s+)?(?:{alternation([*calendar.day_name, *calendar.month_name[1:]])})$", regex.IGNORECASE
)
# Words that begin a clause but are not a claimant.
NOT_CLAIMANTS = {
    # a conjunction opening a clause ("..., and estimated the toll")
    "and",
    "or",
    "but",
    "i",
    "you",
    "this",
    "that",
    "which",
    "who",
    "there",
    "officials also",
    "witnesses also",
    "there were",
    "one",
    "some",
}
# "Initial reports of 20+ killed": words that describe reports, not who made them. Before
# "reports" or "sources" alone they name no one ("according to several sources, including
# X" names X); before a source that says which ("other media", "several local sources",
# "several witnesses") they are dropped.
DESCRIBING = {
    "initial",
    "early",
    "earlier",
    "preliminary",
    "unconfirmed",
    "conflicting",
    "first",
    "latest",
    "other",
    "further",
    "several",
    "many",
}
NOT_CLAIMANTS |= DESCRIBING | {"new"}  # ("New York police": "new" is not dropped as the others)
# What a describing word may stand before without naming anyone: "the latest death toll",
# "several accounts".
COUNTS = {"toll", "count", "figure", "data", "account", "estimate", "tally"}
# A "claimant" holding these is a clause that happened to end before "said", not a source.
NOT_A_SOURCE = patterns.compile(
    r"\d|\b(?:is|are|was|were|been|being|had|has|have|kill|kills|killed|killing|died|dead|wounded|"
    r"injured|another|"
    r"million|thousand|hundred|dozens|"
    r"attacks?|strikes?|bombs?|blasts?|shelling|explosions?|fire|raids?|if|when|because|"
    r"after|while|where)\b",
    regex.IGNORECASE,
)
ADVERBS = patterns.compile(
    r"^(?:elsewhere|meanwhile|earlier|later|separately|also|however|in\s+addition|additionally|"
    r"moreover|now|still|yet|then)\s+",
    regex.IGNORECASE,
)
# "a February report by the Syrian Center for Policy Research" -> the Center
REPORT_BY = patterns.compile(
    r"^(?:(?:a|an|the)\s+)?(?:[\w\-]+\s+){0,2}?(?:report|statement|study|tally|count|figures|"
    r"data|estimates?|toll)\s+(?:(?:compiled|released|published|provided|gathered|issued|collected)\s+)?"
    r"(?:by|from|of)\s+",
    regex.IGNORECASE,
)
LEADING_NAME = patterns.compile(r"^(?:the\s+)?\p{Lu}[\w\-]*(?:\s+(?:\p{Lu}[\w\-]*|of|for|and|the|on))*")
DATE_WORDS = patterns.compile(
    r"^(?:(?:on|late|early|last|this)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|yesterday|today|tonight|morning|night|evening|"
    # "In June activists said": a month opening the clause
    r"(?:in\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december))"
    r"(?:\s+(?:night|morning|evening))?\s+",
    regex.IGNORECASE,
)

# Sentence openers that hand their source on to the next sentence:
# "According to the Al Masdar outlet, the strikes hit a market."
LEADING_ACCORDING_TO = patterns.compile(r"^\s*According\s+to\s+(?P<who>[^,]+),", regex.IGNORECASE)
# The next sentence of a paragraph beginning "X said".
LEADING_SAID = patterns.compile(
    rf"^\s*(?!According\b)(?P<who>(?:The|A|An)\s+[\w\- ]{{1,60}}?|\p{{Lu}}[\w\-]+(?:\s+[\w\-]+){{0,6}}?)\s+{SAY}\b"  # noqa: E501 (a pattern or sentence reads best whole)
)


SPACES = patterns.compile(r"\s+")
RELATIVE_SOURCE = patterns.compile(r"\b(?:which|that|who)\s+(?P<source>.+)$")
TRAILING_CLAUSE = patterns.compile(r"\s+(?:adding|saying|which|who|whose|that|citing|quoting)\b.*$")
LEADING_CONJUNCTION = patterns.compile(r"^(?:and|but|while|as|so|then)\s+", regex.IGNORECASE)
TRAILING_LINKS = patterns.compile(r"(?:\s+(?:of|for|and|the|on))+$")
CONJUNCTIONS = patterns.compile(r"\b(?:and|but|while|as|so|then|that)\s+")
ARTICLE = patterns.compile(r"^(?:the|a|an)\s+", regex.IGNORECASE)
# An article opening a new noun phrase right after a word that cannot lead into one.
JUXTAPOSED = patterns.compile(
    r"(?<=\b(?!(?:of|for|in|on|at|by|to|and|or|from|with|into|near|over|under|about|as|via)\b)"
    r"[\w\-]+)\s+(?=(?:the|a|an)\s+\w)",
    regex.IGNORECASE,
)
TRAILING_PLACE_OR_TIME = patterns.compile(r"\s+(?:on|in|at|earlier|later|this|last|late|early)\s+.*$")
# "including the Kurdish Red Crescent" in a list of sources: the one named
INCLUDING = patterns.compile(r"^.*?,\s+(?:including|among\s+them|notably)\s+", regex.IGNORECASE)


def clean(who: str) -> Claim | None:
    # (a list item's dash or bullet opens some lines: "- In June activists said")
    who = SPACES.sub(" ", who).strip(" ,.;:\"“”‘’'-–—•*")
    # "MOSCOW October 18 (RIA Novosti) - The Syrian Observatory": the dateline ends at the dash
    who = who.rsplit(" - ", 1)[-1]
    # "burning tyres which activists said": the source is in the relative clause
    relative = RELATIVE_SOURCE.search(who)
    if relative and SOURCE_AT_END.search(relative.group("source")):
        who = relative.group("source")
    who = TRAILING_CLAUSE.sub("", who)
    who = INCLUDING.sub("", who)
    # "For their part, rebels in Aleppo" -> "rebels in Aleppo"; but keep an appositive:
    # "Ibrahim Abu Leith, spokesman for the Syria Civil Defence".
    chunks = who.split(", ")
    if len(chunks) > 1:
        name = chunks[0].split()
        is_name = all(w[:1].isupper() for w in name) and chunks[1][:1].islower()
        who = ", ".join(chunks[:2]) if is_name else chunks[-1]
    who = LEADING_CONJUNCTION.sub("", who)
    if who.lower().startswith("according"):
        return None  # "According to a February report" is ACCORDING_TO's to read
    who = REPORT_BY.sub("", who)
    who = DATE_WORDS.sub("", ADVERBS.sub("", who))
    if NOT_A_SOURCE.search(who):
        # "the Syrian Observatory for Human Rights the conflict has claimed ..." -> the name
        name = LEADING_NAME.match(who)
        named = TRAILING_LINKS.sub("", name.group()) if name else ""
        if len(named.split()) >= 2 and not NOT_A_SOURCE.search(named):
            who = named
        else:
            # "child died as a result of suffocation and the source" -> "the source"
            tail = CONJUNCTIONS.split(who)[-1]
            if (
                tail == who
                or NOT_A_SOURCE.search(tail)
                or not (SOURCE_WORD.search(tail) or tail[:1].isupper())
            ):
                # "killing four civilians residents": with its commas stripped, the clause
                # runs into the source; a source noun ending it is the source, alone.
                noun = SOURCE_AT_END.search(who)
                before = who[: noun.start()].split() if noun else []
                if not noun or (before and before[-1].lower() in NOT_AFTER):
                    return None
                # with the words before it that name or qualify it: "San Antonio police"
                kept = 0
                while kept < len(before) and kept < 4:
                    word = before[-1 - kept]
                    if not (word[:1].isupper() or word.lower() in SOURCE_KINDS):
                        break
                    kept += 1
                tail = " ".join([*before[len(before) - kept :], noun.group()])
            who = tail
    who = DATE_WORDS.sub("", who)
    # "police in al-Hassakeh in north-eastern Syria a monitoring group": with its commas
    # stripped, the clause before the source runs into it; the source is the last noun phrase.
    joined = list(JUXTAPOSED.finditer(who))
    if joined:
        who = who[joined[-1].end() :]
    if who.lower() in PRONOUNS:
        return PRONOUN
    who = ARTICLE.sub("", who)
    # "rebels in Aleppo" -> "rebels"; but "a source at Aleppo Police Command" names its body
    trailing = TRAILING_PLACE_OR_TIME.search(who)
    if trailing and not SOURCE_WORD.search(trailing.group()):
        who = who[: trailing.start()]
    if not who or who.lower() in NOT_CLAIMANTS or len(who) < 2 or DATE_ONLY.match(who):
        return None
    # "the road remains completely closed": a clause of common words with no source in it
    if len(who.split()) >= 4 and who == who.lower() and not SOURCE_WORD.search(who):
        return None
    words = who.split()
    if (
        words[0].lower() in DESCRIBING
        and 1 < len(words) <= 4
        and sources.is_head(words[-1])
        and " ".join(words[1:]).lower() not in ("report", "reports", "source", "sources")
        and words[-1].lower().rstrip("s") not in COUNTS
    ):
        who = " ".join(words[1:])
    elif words[0].lower() in NOT_CLAIMANTS or DEMONYM.match(who):
        return None
    return who


# Words that say what kind of source a noun is ("rights groups", "local officials").
SOURCE_KINDS = {
    "rights",
    "human",
    "local",
    "security",
    "medical",
    "opposition",
    "rebel",
    "government",
    "military",
    "state",
    "news",
    "police",
    "health",
    "aid",
    "relief",
    "hospital",
    "army",
    "armed",  # "the armed forces"
    "civil",
    "defence",
    "defense",
}
# A source noun after these is part of another phrase ("the head of the source").
NOT_AFTER = ("of", "the", "a", "an", "its", "their", "his", "her")
# "said Syrian forces killed": a people's adjective alone names no source.
DEMONYM = patterns.compile(r"^\p{Lu}\w+(?:ian|ese|ish)$")


SAY_OR_ACCORDING = patterns.compile_caseless(
    rf"\b(?:{SAY}|according|statement)\b",
    regex.IGNORECASE,
    # (the first letters of each word of SAY, "according" and "statement")
    starts="sa|rep|rec|tol|tel|ann|add|cla|sta|con|est|cou|doc|put|pla|quo|cit|not|wro|twe|dec|war|acc|was|wer|pos",
)
# How far before "said" a subject may start; the subject patterns only look there.
SUBJECT_REACH = 160


def _matches(sentence: str) -> list[regex.Match]:
    found = []
    for pattern in (
        ACCORDING_TO,
        ACCORDING_INCLUDING,
        STATEMENT_BY,
        SAID_SUBJECT,
        SAID_NAME,
        SAID_KIND,
        PRONOUN_SAID,
    ):
        found += pattern.finditer(sentence)
    # The subject patterns end at a verb of saying: search only the stretch before each one.
    for start, end in verb_windows(sentence):
        found += SUBJECT_SAID.finditer(sentence, start, end)
        if NOUN_SAID.search(sentence, start, end):
            found += SOURCE_SAID.finditer(sentence, start, end)
        found += NAME_SAID.finditer(sentence, start, end)
    return found


def verb_windows(sentence: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the stretch a subject before each verb of saying may take: from
    SUBJECT_REACH before the verb (or the verb before it) to the verb's end."""
    start_after = 0
    for verb in SAY_OR_ACCORDING.finditer(sentence):
        if verb.group().lower() in ("according", "statement"):
            continue
        yield max(start_after, verb.start() - SUBJECT_REACH), verb.end()
        start_after = verb.end()


# A figure's sentence is read here for its own claimant, and often again when a figure after
# it looks back for a source: the answers for the last few hundred sentences are kept.
@functools.lru_cache(maxsize=512)
def in_sentence(sentence: str) -> tuple[tuple[int, Claim], ...]:
    """(position, claimant) of each attribution in a sentence."""
    found: list[tuple[int, Claim]] = []
    if not SAY_OR_ACCORDING.first(sentence):
        return ()
    for match in _matches(sentence):
        raw = match.group("who")
        who = clean(raw)
        if who is PRONOUN:
            found.append((match.start("who"), who))
        elif who:
            at = raw.find(who.split()[0])
            found.append((match.start("who") + max(at, 0), who))
    if "told" in sentence:
        found = _outlet_for_unnamed(sentence, found)
    return tuple(found)


def _outlet_for_unnamed(sentence: str, found: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
    """'A security source told SANA': the teller, a kind with no name, gives way to the outlet."""
    for told in TOLD_OUTLET.finditer(sentence):
        outlet = clean(told.group("who"))
        if not isinstance(outlet, str) or not outlet:
            continue
        tellers = [
            c
            for c in found
            if c[0] < told.start() and (not isinstance(c[1], str) or sentence.find(c[1], c[0]) < told.start())
        ]
        # the last teller before the verb; at one position a name comes after a pointer
        teller = max(tellers, key=lambda c: (c[0], isinstance(c[1], str), str(c[1])), default=None)
        if teller and isinstance(teller[1], str) and ANONYMOUS.match(teller[1]):
            found = [(at, outlet if (at, who) == teller else who) for at, who in found]
    return found
