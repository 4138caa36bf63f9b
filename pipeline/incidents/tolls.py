"""One toll per incident and category, from every report of it (INCIDENTS.md).

- Each article gives one report: the first figure it tells (the headline or the lead states
  the toll; the body goes on to the victims one by one, "a 17-year-old was shot in the chest",
  which the most often told figure would pick). A breakdown ("nine of them children") counts
  only where the article gives no whole. A figure of people shot counts the dead too: where
  the article tells how many of them died with it ("4 shot, 1 dead"; `shot`), its report of
  the injured is the shot less the dead.
- A report far above every other (OUTLIER_FACTOR times the median of the others) that no
  other article repeats is an outlier: a roundup of the year, a typo ("90,280" for 90). It is
  kept in `outlier_statement_ids` and moves none of the three numbers.
- A vague word ("dozens") counts only where no article gives a number.
- count_best: of the reports of the most specific kind (exact before "at least", "about",
  ...), the latest published that another article confirms (gives the same figure); the latest
  of all where no figure is given twice; on the same day the higher, since tolls rise as bodies
  are found. A lone later report (a follow-up naming one victim of three) does not undo a toll
  two articles give.
- count_low: the lowest credible report (the most conservative figure, as ACLED codes it).
- count_high: the highest credible report, or its upper bound ("up to 40") where higher.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

# How specific a qualifier is: the most specific reports decide the best figure.
SPECIFICITY = {
    "exact": 2,
    "at_least": 1,
    "more_than": 1,
    "about": 1,
    "range": 1,
    "at_most": 1,
    "less_than": 1,
    "vague": 0,
}
# A lone report this many times the median of the others is taken for an outlier.
OUTLIER_FACTOR = 10


@dataclass
class Toll:
    best: dict  # the statement count_best comes from
    low: int
    high: int
    outliers: list[str]
    documents: frozenset[str] = frozenset()  # the articles that give a figure of the category

    @property
    def count_best(self) -> int:
        return self.best["count"]


def article_reports(rows: list[dict]) -> list[dict]:
    """One statement per article: the first figure it tells."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc_id"]].append(row)
    reports = []
    for doc_rows in by_doc.values():
        wholes = [r for r in doc_rows if r["parent_statement_id"] is None] or doc_rows
        wholes = _own_event(wholes)
        # A number beats a vague word in the article too ("several deaths", "a man was found
        # dead": one).
        wholes = [r for r in wholes if r["qualifier"] != "vague"] or wholes
        reports.append(_wounded(min(wholes, key=lambda r: (r["char_start"], r["statement_id"]))))
    return reports


def _own_event(wholes: list[dict]) -> list[dict]:
    """An article's figures less those that add up several events (`roundups`) and, after
    one, those larger than it: the article's own event is part of the roundup it tells first
    ("10 shot, one killed in two hours of shootings ... 45 were killed in July"). All of them
    where nothing is left."""
    own = []
    roundup = None  # the smallest roundup told so far
    for r in sorted(wholes, key=lambda r: (r["char_start"], r["statement_id"])):
        if r.get("roundup"):
            roundup = r["count"] if roundup is None else min(roundup, r["count"])
        elif roundup is None or r["count"] <= roundup:
            own.append(r)
    return own or wholes


def _wounded(report: dict) -> dict:
    """The report less the dead told with it, for a figure of people shot ("4 shot, 1 dead":
    3); `dead_count` and `dead_statement_id` are the killed figure, set by `shot` (absent or
    null for every other figure). The statement keeps its own count; the report is a copy."""
    dead = report.get("dead_count")
    if dead is None:
        return report
    return {
        **report,
        "count": report["count"] - dead,
        "count_min": None if report["count_min"] is None else max(0, report["count_min"] - dead),
        "count_max": None if report["count_max"] is None else max(0, report["count_max"] - dead),
    }


def _less_the_incidents_dead(reports: list[dict], killed: Toll) -> list[dict]:
    """A report of people shot from an article that tells no death of the incident counts the
    dead other articles tell ("Boy, 16, shot in Riverdale", then "Teen dies"): it is the shot
    less the incident's dead, where they are no more than the shot. An article that tells a
    death has had it subtracted where it belongs (`shot`), or told it of someone else."""
    dead = killed.count_best
    return [
        _wounded({**r, "dead_count": dead, "dead_statement_id": killed.best["statement_id"]})
        if r.get("bare_shot")
        and r.get("dead_count") is None
        and r["doc_id"] not in killed.documents
        and dead <= r["count"]
        else r
        for r in reports
    ]


def outliers(reports: list[dict]) -> list[dict]:
    """Reports far above all the others that no other article repeats."""
    told = Counter(r["count"] for r in reports)
    found = []
    for report in reports:
        others = [r["count"] for r in reports if r is not report]
        if (
            others
            and told[report["count"]] == 1
            and report["count"] > OUTLIER_FACTOR * max(1.0, statistics.median(others))
        ):
            found.append(report)
    return found


def fuse(rows: list[dict], killed: Toll | None = None) -> Toll:
    """The toll of one incident in one category; `killed` is its toll of the dead, which the
    injured reports of people shot count too (`_less_the_incidents_dead`)."""
    reports = article_reports(rows)
    if killed is not None and rows[0]["category"] == "injured":
        reports = _less_the_incidents_dead(reports, killed)
    set_aside = outliers(reports)
    aside = {id(r) for r in set_aside}
    credible = [r for r in reports if id(r) not in aside]
    numbered = [r for r in credible if r["qualifier"] != "vague"] or credible
    top = max(SPECIFICITY[r["qualifier"]] for r in numbered)
    specific = [r for r in numbered if SPECIFICITY[r["qualifier"]] == top]
    given = Counter(r["count"] for r in specific)
    confirmed = [r for r in specific if given[r["count"]] > 1] or specific
    best = max(confirmed, key=lambda r: (r["published_date"] or dt.date.min, r["count"], r["statement_id"]))
    low = min(r["count"] for r in numbered)
    high = max(max(r["count"], r["count_max"] or 0) for r in numbered)
    return Toll(
        best, low, high, sorted(r["statement_id"] for r in set_aside), frozenset(r["doc_id"] for r in rows)
    )
