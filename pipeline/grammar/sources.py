"""Who can be a claimant, and the one name each source goes by across the table.

`canonical` turns the words an article uses for a source ("Thursday the Syrian Observatory",
"SOHR", "the Observatory Reuters") into one name: the full name from sources.toml when the
phrase holds a known source, else the phrase tidied by general rules (leading day names and
dates, "the", trailing bylines, possessives stripped; title case), so an unknown source also
gets one stable name. `is_source` tells a source (a person, an organisation, an outlet, a
document or a kind of source such as "activists") from a phrase that only stood before "said"
(an adjective, a verb phrase, a date, a headline): null beats a wrong name.
"""

from __future__ import annotations

import calendar
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import regex

from . import patterns
from .words import alternation

DATA = Path(__file__).with_name("sources.toml")

KINDS = {"organisation", "agency", "person", "government", "armed group"}


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    speaks_for: str | None = None  # a person who is the voice of an organisation


@dataclass(frozen=True)
class Catalogue:
    sources: dict[str, Source]  # alias (lower case, or as written for one in capitals) -> source
    longest: int  # words in the longest alias
    heads: frozenset[str]
    not_sources: frozenset[str]
    furniture: frozenset[str]
    bylines: regex.Pattern


def _is_acronym(alias: str) -> bool:
    return alias.replace(".", "").isupper() and " " not in alias


def load(path: Path = DATA) -> Catalogue:
    """Read the catalogue; a file that is not what this module expects is a one-line error."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{path}: not a readable sources file: {e}") from None
    sources: dict[str, Source] = {}
    for i, entry in enumerate(data.get("source", [])):
        name, kind, aliases = entry.get("name"), entry.get("kind"), entry.get("aliases", [])
        if not isinstance(name, str) or kind not in KINDS or not isinstance(aliases, list):
            raise ValueError(f"{path}: source {i + 1} needs a name, a kind among {sorted(KINDS)} and aliases")
        source = Source(name, kind, entry.get("speaks_for"))
        for alias in [name, *aliases]:
            key = alias if _is_acronym(alias) else alias.lower()
            if sources.get(key, source) != source:
                raise ValueError(f"{path}: {alias!r} is an alias of both {sources[key].name!r} and {name!r}")
            sources[key] = source
    names = {s.name for s in sources.values()}
    for s in sources.values():
        if s.speaks_for is not None and s.speaks_for not in names:
            raise ValueError(f"{path}: {s.name!r} speaks for {s.speaks_for!r}, which is not a source here")
    for field in ("source_heads", "not_sources", "furniture", "bylines"):
        if not isinstance(data.get(field), list):
            raise ValueError(f"{path}: needs a list {field}")
    bylines = patterns.compile(rf"(?:\s+(?-i:{alternation(data['bylines'])})\b[\w\s]{{0,20}})+$")
    return Catalogue(
        sources,
        max(len(a.split()) for a in sources),
        frozenset(data["source_heads"]),
        frozenset(data["not_sources"]),
        frozenset(data["furniture"]),
        bylines,
    )


@functools.cache
def catalogue() -> Catalogue:
    return load()


SPACES = patterns.compile(r"\s+")
# "(SOHR)", "(UK-based)": an aside in brackets is not part of the name
BRACKETS = patterns.compile(r"\s*\([^()]{0,40}\)")
_DAYS = alternation([*calendar.day_name, *calendar.month_name[1:], "today", "yesterday", "tonight"])
# "Thursday the Syrian Observatory", "Published April 4 the", "in the evening SANA reporter",
# "Idleb Meanwhile civil sources": what opens the phrase before the source does.
LEADING_NOISE = patterns.compile(
    rf"^(?:(?:on|late|early|last|this|published|posted|updated|initially|meanwhile|earlier|later|"
    rf"also|elsewhere|separately|however|in\s+the\s+(?:morning|evening|afternoon)|"
    rf"(?:{_DAYS})(?:\s+\d{{1,2}})?(?:\s+(?:morning|night|evening|afternoon))?)\s+)+",
    regex.IGNORECASE,
)
# "Atareb on Monday the Syrian Observatory", "Deraa the Britain-based Observatory": a place or
# time run into the source where the corpus stripped the comma between them.
RUN_IN = patterns.compile(r"^(?:[\w\-]+\s+){1,4}?(?:the|a|an)\s+(?=\S)", regex.IGNORECASE)
MEANWHILE = patterns.compile(r"^.*?\b(?:Meanwhile|Earlier|Elsewhere|Later)\s+(?=\S)")
TRAILING_NOISE = patterns.compile(
    rf"(?:\s+(?:also|earlier|later|today|on|in|initially|(?:{_DAYS})(?:\s+\d{{1,2}})?|said|says|reported))+$",
    regex.IGNORECASE,
)
ARTICLE = patterns.compile(r"^(?:the|a|an)\s+", regex.IGNORECASE)
POSSESSIVE = patterns.compile(r"(?<=\w)['’]s?(?=\s|$)")
POSSESSIVE_END = patterns.compile(r"['’]?s$")
# "activist contacted", "a source speaking": a participle after the source's noun is not part of it
TRAILING_PARTICIPLE = patterns.compile(r"(?<=\b[a-z]\w+)\s+[a-z]\w+(?:ed|ing)$")
LEADING_LINK = patterns.compile(r"^(?:(?:of|for|and|in|at|on|by|to|from|with)\s+)+")
# Endings of adjectives of nation, creed or party written in capitals.
ADJECTIVE = patterns.compile(r"\p{Lu}\w+(?:ist|ian|ese|ish|ic)$")
NAME_PREFIX = patterns.compile(r"^(?:al|el|ad|as|ash|at|ar|an)-\p{Lu}")
SMALL_WORDS = frozenset(
    "of for the and in at on by to from with a an de du la le des bin ibn van von".split()
)
# A word of a headline ("Two Suspects Arrested", "Accused Of Using"): a small word in capitals
# after the first word only shows in title-case text.
HEADLINE_WORD = frozenset(w.capitalize() for w in ("of", "in", "on", "to", "is", "with", "at", "as", "from"))
DAY_OR_MONTH = frozenset(w.lower() for w in (*calendar.day_name, *calendar.month_name[1:]))


@functools.lru_cache(maxsize=4096)
def tidy(phrase: str, possessives: bool = True) -> str:
    """The phrase without what is not part of the source's name: leading dates and day names,
    a place run in before "the", trailing bylines and adverbs, possessives and "the"."""
    who = SPACES.sub(" ", BRACKETS.sub("", phrase)).strip(" ,.;:-–\"“”‘’'()")
    who = MEANWHILE.sub("", who)
    who = LEADING_NOISE.sub("", who)
    run_in = RUN_IN.match(who)
    # (only a run-in that holds no source word of its own: "the head of the Observatory" stays)
    if run_in and not any(_singular(w.lower()) in catalogue().heads for w in run_in.group().split()[:-1]):
        who = who[run_in.end() :]
    who = catalogue().bylines.sub("", who) or who
    who = TRAILING_NOISE.sub("", who)
    who = POSSESSIVE.sub("", who) if possessives else who
    who = ARTICLE.sub("", who)
    who = LEADING_LINK.sub("", who)  # "for Human Rights monitor": a name cut short
    participle = TRAILING_PARTICIPLE.search(who)
    if participle and _singular(who[: participle.start()].rsplit(" ", 1)[-1].lower()) in catalogue().heads:
        who = who[: participle.start()]
    return who.strip(" ,.;:-–")


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def is_head(word: str) -> bool:
    """Whether a word is a noun that can head a source named by its kind ("sources", "Governor")."""
    word = word.lower().rsplit("-", 1)[-1]
    return word in catalogue().heads or _singular(word) in catalogue().heads


# (the same few hundred phrases recur across a corpus: their answers are kept)
@functools.lru_cache(maxsize=4096)
def known(phrase: str) -> Source | None:
    """The catalogued source the phrase names: the last one in it, as the head of an English
    noun phrase comes last ("the Ghouta Media Center and the Syrian Observatory", "Aamaq" in
    "the Daesh-linked Aamaq news agency"); the longest alias where several start together."""
    cat = catalogue()
    words = [w.strip(',.;:()"“”') for w in phrase.split()]
    found, i = None, 0
    while i < len(words):
        # the longest alias starting at this word, then on after it
        for n in range(min(cat.longest, len(words) - i), 0, -1):
            source = _alias(cat, " ".join(words[i : i + n]))
            if source:
                found, i = source, i + n
                break
        else:
            i += 1
    return found


def _alias(cat: Catalogue, text: str) -> Source | None:
    """The source an alias names: an acronym in capitals only, other names in any case, with the
    "s" of a possessive allowed after it ("SANAs correspondent", "the Observatory's head")."""
    bare = POSSESSIVE_END.sub("", text)
    for candidate in (text, bare):
        if candidate in cat.sources:
            return cat.sources[candidate]
        # (an acronym's key is in capitals, so "un" or "who" in lower case finds nothing)
        if candidate.lower() in cat.sources:
            return cat.sources[candidate.lower()]
    return None


def title_case(phrase: str) -> str:
    """Each word capitalised but the small linking words; acronyms, mixed case ("al-Assad",
    "McNeil") and "@accounts" kept as written."""
    words = []
    for i, word in enumerate(phrase.split()):
        if word.lower() in SMALL_WORDS and i > 0:
            words.append(word.lower())
        elif word[:1].islower() and not word.startswith(("al-", "el-", "@")) and word.islower():
            words.append(word[:1].upper() + word[1:])
        else:
            words.append(word)
    return " ".join(words)


@functools.lru_cache(maxsize=4096)
def is_source(phrase: str) -> bool:
    """Whether a claimant phrase names a source at all (see the module's docstring)."""
    who = tidy(phrase)
    words = who.split()
    if not words:
        return False
    cat = catalogue()
    last = words[-1]
    if last.startswith("@") or known(who) and (last[:1].isupper() or _singular(last.lower()) in cat.heads):
        return True
    if all(w.lower() in cat.not_sources or w.lower() in SMALL_WORDS for w in words):
        return False
    if words[0].lower() in cat.furniture:
        return False  # "Tags Idlib Russia Syria activists": page furniture
    if any(w in HEADLINE_WORD for w in words[1:]):
        return False
    # ("Tuesdays": "Tuesday's" with its apostrophe stripped)
    if _singular(last.lower()) in DAY_OR_MONTH or last.lower() in SMALL_WORDS:
        return False
    if len(words) == 1 and ADJECTIVE.search(last):
        return False  # "Islamist", "Syrian": an adjective whose noun was cut off
    if last[:1].isupper() or NAME_PREFIX.match(last):
        return True  # a name
    # A kind of source: its last word must be a noun that can speak ("sources", "medics").
    return is_head(last)


@functools.lru_cache(maxsize=4096)
def canonical(phrase: str | None) -> str | None:
    """The one name of the source a claimant phrase names."""
    if not phrase:
        return phrase
    # (the catalogue's aliases allow a possessive: "People's Protection Units" keeps its own)
    source = known(tidy(phrase, possessives=False))
    who = tidy(phrase)
    if source:
        return source.speaks_for or source.name
    return title_case(who) if who else None
