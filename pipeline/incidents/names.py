"""The names an article gives (places, people, streets, outlets): what tells one event from another.

A name is a capitalised word; the common ones ("Police", "Monday") are filtered here and, for
the rest, by how many articles use them (an idf weight in grouping), so "Chicago" counts for
little and "Alturas" or a victim's surname for much.
"""

from __future__ import annotations

import re

# "Four people were shot in Alturas on Thursday": Alturas. Three letters or more, so that
# initials and "Mr" say nothing.
NAME = re.compile(r"\b[A-Z][A-Za-z'\u2019\-]{2,}")

# Capitalised words that name no place or person: sentence openers, days, months, titles, and
# the page furniture many sites put before the story ("Sign in ... Terms of Service and Privacy
# Policy"), which tied unrelated shootings of one site's pages together.
COMMON = frozenset(
    """
The This That These Those There Then Than They Their Them She Her His Him Its And But For With
From Into After Before During While When Where What Who Why How Also Some Many Most One Two
Three Four Five Six Seven Eight Nine Ten Both Each Every Other Another Our Your You Not Now Just
According Police Officers Officer Authorities Investigators Sheriff Deputies Detectives Officials
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
January February March April May June July August September October November December
Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
News Update Updated Photo Video Copyright Associated Press Reuters AFP Share Tweet Email Comments
Sign Login Log Register Account Already Please Welcome Thank Thanks Terms Service Privacy Policy
Visit Click Subscribe Subscriber Advertisement Caption Close Published Posted Pause Image View
Read More Full Javascript Facebook Twitter Notifications
""".split()
)


def _spelling(word: str) -> str:
    """A possessive ("Shelton's") is the name itself. (A dateline's capitals, "COLUMBUS", are
    kept apart: folding them into "Columbus" lost pairs of one shooting in small folders, where
    the dateline both articles carry is a second piece of evidence.)"""
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    return word


def names(*texts: str | None) -> frozenset[str]:
    """The distinct names in the texts, case kept ("Rose" the town, not "rose")."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(_spelling(w) for w in NAME.findall(text))
    return frozenset(found - COMMON)
