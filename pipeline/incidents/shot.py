"""People shot are everyone hit, the dead among them: "4 shot, 1 dead" is three wounded.

The extractor reads a figure of people "shot" as injured, since the verb alone says they were
hit, not that they died. When the article tells, in the same sentence or the one right after,
how many of them died ("4 shot, 1 dead in Pine Bluff", "Four people were shot. Two died."),
the wounded are the shot less the dead, as the Gun Violence Archive and the readers count
them. This module finds, in one article, the killed figure told with each such figure; the
tolls subtract it from the article's report (INCIDENTS.md says why the conditions are these).
"""

from __future__ import annotations

import re

# The verb alone: "Four people were shot", "shot four", "5 People Shot".
SHOT = re.compile(r"\bshot\b", re.IGNORECASE)
# A figure whose own quote says what became of the people ("shot and wounded", "shot dead",
# "fatally shot", "shot ... and injured") already counts one side: nothing to subtract.
OUTCOME = re.compile(
    r"\b(?:wound\w*|injur\w*|hurt|hospitali[sz]ed|dead|die[sd]?|death\w*|kill\w*|fatal\w*|slain|murder\w*)",
    re.IGNORECASE,
)
# The quote can stop at the verb ("Two men were shot" of "... were shot and wounded"): the
# words right after it say the outcome too. (Not ", killing one": that is the dead among them.)
OUTCOME_AFTER = re.compile(
    r"\A\s*(?:and\s+)?(?:\w+ly\s+)?(?:wounded|injured|hurt|killed|dead|to death)\b", re.IGNORECASE
)
# A figure of the rest ("three others were shot", "two more people shot") leaves the dead out.
REST = re.compile(r"\b(?:others?|another|also|more|remaining)\b", re.IGNORECASE)
# Sentences are trimmed of white space, so two that follow each other are at most this many
# characters apart (gva-news: 1, 2, 4 or 6); one sentence between them takes 7 or more.
NEXT_SENTENCE_GAP = 6


def is_bare_shot(row: dict, following: str) -> bool:
    """An injured figure that says "shot" and nothing of what became of the people, in its
    quote or in the words that follow it (`following`, the rest of its sentence)."""
    quote = row["quote"]
    return (
        row["category"] == "injured"
        and row["parent_statement_id"] is None
        and _countable(row)
        and SHOT.search(quote) is not None
        and OUTCOME.search(quote) is None
        and OUTCOME_AFTER.search(following) is None
        and REST.search(quote) is None
    )


def _countable(row: dict) -> bool:
    return row["qualifier"] != "vague" and not row["is_cumulative"]


def dead_told_with(rows: list[dict]) -> dict[int, int]:
    """In one article's rows (each with `sentence_start`, `sentence_end` and `bare_shot`, set
    by `is_bare_shot`), for each bare figure of people shot, the killed figure that says how
    many of them died, if it is no larger: a part of it ("Four men were shot and two of them
    died"), else the first killed figure after it in its own sentence ("4 shot, 1 dead"), else
    the first in the sentence right after ("Four people were shot. One man was killed."), else
    the nearest in an earlier sentence (the dead told first, told again as shot), of the same
    days. Keys and values are indices into `rows`."""
    killed = [i for i, r in enumerate(rows) if r["category"] == "killed" and _countable(r)]
    found: dict[int, int] = {}
    if not killed:
        return found
    for i, shot in enumerate(rows):
        if not shot["bare_shot"]:
            continue
        parts = [k for k in killed if rows[k]["parent_statement_id"] == shot["statement_id"]]
        wholes = [k for k in killed if rows[k]["parent_statement_id"] is None and _same_days(rows[k], shot)]
        same = [k for k in wholes if rows[k]["sentence_start"] == shot["sentence_start"]]
        if any(rows[k]["char_start"] < shot["char_start"] for k in same):
            # The dead told first in the sentence are told apart from the shot: "1 dead, 3
            # shot", "A juvenile was killed and a pizza delivery driver was shot".
            same = after = []
        else:
            after = [
                k
                for k in wholes
                if 0 <= rows[k]["sentence_start"] - shot["sentence_end"] <= NEXT_SENTENCE_GAP
            ]
            if shot["sentence_start"] == 0:
                after = _lead_dead(rows, wholes, shot)
        told = min(parts or same or after, key=lambda k: rows[k]["char_start"], default=None)
        if told is not None and rows[told]["count"] <= shot["count"]:
            found[i] = told
            continue
        # The dead told in an earlier sentence are the people a later bare "shot" tells again:
        # "A woman was fatally shot on the west side. ... the victim was shot": the nearest
        # one, if no more dead than shot.
        earlier = [k for k in wholes if rows[k]["sentence_end"] <= shot["sentence_start"]]
        nearest = max(earlier, key=lambda k: rows[k]["char_start"], default=None)
        if nearest is not None and rows[nearest]["count"] <= shot["count"]:
            found[i] = nearest
    return found


# How far into the article its lead may begin: the title is often followed by a byline,
# a dateline or a site's furniture before the first sentence of the story.
LEAD_REACH = 600


def _lead_dead(rows: list[dict], wholes: list[int], title: dict) -> list[int]:
    """For a figure of people shot in the title ("17-year-old accidentally shot during target
    shooting"), the killed figures of the story's first sentence with a figure, if it tells a
    death and no wounded ("A 17-year-old was accidentally shot and killed Monday night"): the
    lead tells the title's people again, with what became of them. (A death told later is as often someone
    else: "Three people were shot at a party ... A man was killed in a crash".)"""
    starts = [r["sentence_start"] for r in rows if title["sentence_end"] <= r["sentence_start"] <= LEAD_REACH]
    if not starts:
        return []
    lead = min(starts)
    dead = [k for k in wholes if rows[k]["sentence_start"] == lead]
    wounded = [r for r in rows if r["category"] == "injured" and r["sentence_start"] == lead]
    if dead and wounded:
        # A lead that tells its own wounded beside the dead: the title's shot are both when
        # they add up ("4 shot in dice game. Two people died and two people were critically
        # injured"), else the wounded ("Pizza driver shot in Tulsa. A juvenile was killed and
        # a pizza delivery driver was shot").
        first = min(dead, key=lambda k: rows[k]["char_start"])
        hurt = min(wounded, key=lambda r: r["char_start"])
        return dead if rows[first]["count"] + hurt["count"] == title["count"] else []
    return dead


def _same_days(a: dict, b: dict) -> bool:
    """Not dated apart: "Two people were shot Sunday ..., a day after a man was fatally shot"
    gives the dead another day. A figure dated by the publication alone says no day."""
    if "publication" in (a["date_precision"], b["date_precision"]):
        return True
    return (a["event_date_start"], a["event_date_end"]) == (b["event_date_start"], b["event_date_end"])
