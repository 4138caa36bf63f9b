"""Who gave a figure: "according to X", "X said", "said X", "X told Al Jazeera"."""
from __future__ import annotations

import regex

SAY = (r"(?:said|says|say|reported|reports|report|told|tells|announced|announces|added|claimed|"
       r"claims|stated|states|confirmed|confirms|estimated|estimates|counted|documented|"
       r"recorded|put|placed|quoted|cited|noted|wrote|tweeted|declared|warned)")

# "according to the Syrian Observatory for Human Rights (SOHR)", ending at a comma,
# "which" or "that", or the end of the sentence.
ACCORDING_TO = regex.compile(
    r"\baccording\s+to\s+(?P<who>[^,.;:()\"“”]+?(?:\s*\([^)]{1,60}\))?)"
    r"(?=\s*(?:[,.;:\"“”]|\bwhich\b|\bthat\b|\bwho\b|\bon\s+\p{Lu}\w+day\b|$))",
    regex.IGNORECASE)

# "X said", "X told Al Jazeera": X is the words before the verb back to a clause start.
# "Ibrahim Abu Leith, spokesman for the Syria Civil Defence in Aleppo, told Al Jazeera"
SUBJECT_SAID = regex.compile(
    rf"(?:^|[\"”“]\s*|[.;:]\s+|,\s+|\bthat\s+|\band\s+|\bbut\s+|\bwhile\s+)"
    rf"(?P<who>(?:the\s+|a\s+|an\s+)?[\w‘’'\-.]+(?:(?:\s+|,\s+)(?!{SAY}\b)[\w‘’'\-.()]+){{0,11}}?)"
    rf"\s+(?:(?:also|later|earlier|previously|had|has|have|then|separately)\s+)?{SAY}\b",
    regex.IGNORECASE)

# "..., said Rami Abdel Rahman, head of the Observatory."
SAID_SUBJECT = regex.compile(
    r"(?:,|[\"”])\s*(?:said|says|reported|added|told)\s+(?P<who>(?!that\b|it\b|on\b|in\b)"
    r"[\p{Lu}\w][^,.;:]{1,80}?(?:,\s+[^,.;:]{2,60})?)(?=\s*[,.;:]|$)")

# Words that begin a clause but are not a claimant ("He said", "It said").
NOT_CLAIMANTS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "which", "who",
                 "there", "officials also", "witnesses also"}

# Sentence openers that hand their source on to the next sentence:
# "According to the Al Masdar outlet, the strikes hit a market."
LEADING_ACCORDING_TO = regex.compile(r"^\s*According\s+to\s+(?P<who>[^,]+),", regex.IGNORECASE)
# The next sentence of a paragraph beginning "X said".
LEADING_SAID = regex.compile(
    rf"^\s*(?P<who>(?:The|A|An)\s+[\w\- ]{{1,60}}?|\p{{Lu}}[\w\-]+(?:\s+\p{{Lu}}[\w\-]+){{0,4}})\s+{SAY}\b")


def clean(who: str) -> str | None:
    who = regex.sub(r"\s+", " ", who).strip(" ,.;:\"“”‘’'")
    who = regex.sub(r"^(?:the|a|an)\s+", "", who, flags=regex.IGNORECASE)
    who = regex.sub(r"\s+(?:on|in|at|earlier|later|this|last|late|early)\s+.*$", "", who)
    if not who or who.lower() in NOT_CLAIMANTS or len(who) < 2:
        return None
    if who.split()[0].lower() in NOT_CLAIMANTS:
        return None
    return who


def in_sentence(sentence: str) -> list[tuple[int, str]]:
    """(position, claimant) of each attribution in a sentence."""
    found = []
    for pattern in (ACCORDING_TO, SAID_SUBJECT, SUBJECT_SAID):
        for match in pattern.finditer(sentence):
            who = clean(match.group("who"))
            if who:
                found.append((match.start("who"), who))
    return found
