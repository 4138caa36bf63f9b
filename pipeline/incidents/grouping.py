"""Which statements report the same event.

Two steps, both pure functions of the statements (no file order, no earlier run):

1. Within one article, its statements are split into the events it reports. A running total
   ("the war has killed more than 300,000") is its own kind, kept by category and start date;
   the other statements go with the day they cover, and an undated one with the article's main
   story. Every repetition of a figure (same category and count) is the same event, so the
   headline, the lead and the body never split.
2. Across articles, events are linked by blocking: only events whose days lie within a window
   of each other and that share a rare name (the place, the victim, the street) are compared,
   through an index that only holds the window. The link is scored by the idf weight of the
   names they share, against a threshold that rises with the days between them. Linked events
   form one incident (union-find, so the result does not depend on the order of comparison).

An incident is named after its first report (the earliest published statement, then the
smallest statement id), so later articles joining it leave its id alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

# Days apart that two reports of one event may cover: a follow-up (an arrest, a funeral, a
# death in hospital) is often dated by the day of its own news. (A tier of a year for trials
# and sentences that name the victim and the suspect gained 0.003 B-cubed on GVA, but an index
# of a year made the pass 2.5 times slower at ten copies of gva-news: not linear any more.)
WINDOW_DAYS = 30
# Reports of the same day need less shared evidence than a follow-up weeks later:
# (days apart at most, idf weight of shared names at least); tuned on gva-incidents-dev. A
# same-day threshold of 6 (one rare town) gained 0.002 B-cubed there but joined distinct
# strikes of one day in war news.
LINK_THRESHOLDS = ((0, 10.0), (3, 12.0), (WINDOW_DAYS, 25.0))
# A name used by more than this share of all events is no evidence of the same event; in a
# small folder the cut never falls below COMMON_NAME_EVENTS events, or every city name of a
# few hundred articles would count for nothing. (At 2%, a city of 60 to 110 shootings in
# gva-news, Milwaukee or Atlanta, still linked reports of distinct shootings there, and their
# figures went into one toll: 1% gives the same B-cubed F1 with precision 0.976 against 0.956,
# and gets 0.017 more killed tolls right.)
COMMON_NAME_SHARE = 0.01
COMMON_NAME_EVENTS = 10
# Names are weighed as if among at least this many events: in a folder of three articles a
# name all three share is still rare news.
MIN_EVENTS = 200


@dataclass(slots=True)
class Event:
    """The statements of one article about one event. Once split, `compact` drops the rows and
    keeps only what linking reads, so the events of a whole archive fit in memory."""

    doc_id: str
    number: int
    kind: str  # event or running_total
    day: dt.date | None
    names: frozenset | array  # names ("killed 8" for a toll), or their numbers once compact
    statements: list[dict] = field(default_factory=list)
    key: tuple | None = None  # running totals: what they count, from when
    killed: frozenset[int] = frozenset()  # its death tolls (conflicting_tolls)
    told: int = -1  # the number of its first told toll ("toll 1/4") once compact, else -1

    def compact(self, number_of: dict[str, int]) -> None:
        """Keep the names as numbers (one per distinct name in `number_of`) and the death
        tolls; drop the rows."""
        self.killed = frozenset(_killed(self.statements))
        told = [n for n in self.names if n.startswith(TOLD)]
        self.told = number_of.setdefault(told[0], len(number_of)) if told else -1
        self.names = array("i", sorted(number_of.setdefault(n, len(number_of)) for n in self.names))
        self.statements = []

    @property
    def order(self) -> tuple:
        return (self.day or dt.date.min, self.doc_id, self.number)


def split_article(doc_id: str, rows: list[dict], article_names: frozenset[str], names_of) -> list[Event]:
    """The events one article reports. `rows` are its statements (each with `names`, the
    names of its sentence and place); `article_names` those of its title and lead."""
    totals: dict[tuple, list[dict]] = defaultdict(list)
    dated: dict[tuple, list[dict]] = defaultdict(list)
    undated: list[dict] = []
    others = _others_roundups(rows)
    for row in rows:
        if row["is_cumulative"]:
            totals[running_total_key(row)].append(row)
        elif row["statement_id"] in others:
            continue
        elif row["date_precision"] == "publication" or row["event_date_start"] is None:
            undated.append(row)
        else:
            dated[(row["event_date_start"], row["event_date_end"])].append(row)
    groups = list(dated.values())
    # The main story: the day with the most figures (the first told, on a tie) takes the
    # undated figures; with no dated figure they are the main story.
    if groups:
        main = max(groups, key=lambda g: (len(g), -min(r["char_start"] for r in g)))
        main.extend(undated)
    elif undated:
        main = undated
        groups = [undated]
    else:
        main = []
    main_ids = {r["statement_id"] for r in main}
    events: list[Event] = []
    for group in _join_repetitions(groups):
        is_main = any(r["statement_id"] in main_ids for r in group)
        # The title and lead speak of the main story only.
        extra = article_names if is_main else frozenset()
        found = extra | names_of(group) | _toll_names(group)
        events.append(Event(doc_id, len(events), "event", _day(group), found, group))
    if others:
        group = [r for r in rows if r["statement_id"] in others]
        events.append(
            Event(doc_id, len(events), "event", _day(group), names_of(group) | _toll_names(group), group)
        )
    for key, group in sorted(totals.items(), key=lambda kv: min(r["char_start"] for r in kv[1])):
        events.append(Event(doc_id, len(events), "running_total", None, frozenset(), group, key))
    return events


def _others_roundups(rows: list[dict]) -> set[str]:
    """The roundups ("141 minors died in unintentional shootings in 2015", `roundup` set by
    incidents.roundups) of a category the article tells nothing else of, where it tells its
    own event in another category ("a 5-year-old accidentally shot herself"): they count
    other events, so they are an event of their own, not the article's toll. (A roundup
    beside a figure of its own category is left to the tolls, which read it as a cap.)"""
    events = [r for r in rows if not r["is_cumulative"]]
    own = {r["category"] for r in events if not r.get("roundup")}
    if not own:
        return set()
    return {r["statement_id"] for r in events if r.get("roundup") and r["category"] not in own}


class DisjointSets:
    """Union-find over 0..n-1; each set's root is its smallest member (its first event)."""

    def __init__(self, n: int):
        self.parent = array("i", range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# The tolls that tell one event from another: the dead and the wounded. (Weighing a shared
# toll twice a shared word joined the Khan Sheikhoun reports of "58 killed" but also 4 more
# pairs of distinct strikes in the Airwars dev half, where every assessment is its own.)
TOLL_CATEGORIES = ("killed", "injured")


def _toll_names(group: list[dict]) -> frozenset[str]:
    """An event's tolls as names ("killed 8"), weighed like any other name: a toll many events
    give (one dead) is no evidence, a rarer one (eight wounded) is. Its first told killed and
    injured figures together are one more name ("toll 1/4", one dead and four wounded, as a
    headline gives them): rarer than either alone, so two reports of one shooting in a city
    that shares nothing else rarer link on the same day."""
    figures = [
        r
        for r in group
        if r["category"] in TOLL_CATEGORIES and r["parent_statement_id"] is None and r["qualifier"] != "vague"
    ]
    if not figures:
        return frozenset()
    first = []
    for category in TOLL_CATEGORIES:
        told = [r for r in figures if r["category"] == category]
        first.append(min(told, key=lambda r: r["char_start"])["count"] if told else 0)
    return frozenset({f"{r['category']} {r['count']}" for r in figures} | {TOLD + "/".join(map(str, first))})


TOLD = "toll "


def _join_repetitions(groups: list[list[dict]]) -> list[list[dict]]:
    """Groups that hold the same figure (category and count) are one event."""
    sets = DisjointSets(len(groups))
    seen: dict[tuple, int] = {}
    for i, group in enumerate(groups):
        for row in group:
            figure = (row["category"], row["count"])
            if figure in seen:
                sets.join(i, seen[figure])
            else:
                seen[figure] = i
    joined: dict[int, list[dict]] = {}
    for i, group in enumerate(groups):
        joined.setdefault(sets.find(i), []).extend(group)
    return list(joined.values())


def _day(group: list[dict]) -> dt.date | None:
    """The day an event happened: the day most of its figures give, else the publication date."""
    days = Counter(
        r["event_date_start"]
        for r in group
        if r["date_precision"] == "day" and r["event_date_start"] is not None
    )
    if days:
        return max(days.items(), key=lambda kv: (kv[1], kv[0]))[0]
    starts = [r["event_date_start"] or r["published_date"] for r in group]
    starts = [d for d in starts if d is not None]
    return min(starts) if starts else None


def running_total_key(row: dict) -> tuple:
    """A running total is the same one in every article that counts the same people from the
    same start in the same place: "since the war began in March 2011"."""
    place = (row["location"] or "").lower().removeprefix("the ").strip()
    return (row["category"], row["subject_kind"], place, row["event_date_start"])


def _threshold(days_apart: int) -> float | None:
    for limit, weight in LINK_THRESHOLDS:
        if days_apart <= limit:
            return weight
    return None


def link(events: list[Event]) -> array:
    """For each event, the index of the first event of its incident (in `events` order)."""
    sets = DisjointSets(len(events))
    find, join = sets.find, sets.join

    # Running totals: one per key.
    first_total: dict[tuple, int] = {}
    for i, event in enumerate(events):
        if event.kind == "running_total" and event.key is not None:
            join(i, first_total.setdefault(event.key, i))
    # Events: blocked by date window and shared names, weighted by idf.
    days = {i: e.day for i, e in enumerate(events) if e.kind == "event" and e.day is not None}
    dated = sorted(days, key=lambda i: events[i].order)
    frequency = Counter(name for i in dated for name in events[i].names)
    total = max(len(dated), MIN_EVENTS)
    common = max(COMMON_NAME_SHARE * len(dated), COMMON_NAME_EVENTS)
    weight = {name: math.log(total / n) for name, n in frequency.items() if 1 < n <= common}
    # A first told toll too common to block on ("toll 1/0") still tells events of one day
    # apart: two reports of the same day in one town that also give the same dead and wounded
    # are rarer than the town alone, by about the toll's idf (town and toll are independent).
    # It is compared within the day only, so the index stays as small as the day.
    same_day_weight = {
        told: math.log(total / n)
        for told, n in Counter(events[i].told for i in dated if events[i].told >= 0).items()
        if n > 1 and told not in weight
    }
    today: dict[int, list[int]] = defaultdict(list)
    current: dt.date | None = None
    window: deque[int] = deque()
    index: dict[str, list[int]] = defaultdict(list)
    for i in dated:
        day = days[i]
        while window and (day - days[window[0]]).days > WINDOW_DAYS:
            old = window.popleft()
            for name in events[old].names:
                if name in weight:
                    holders = index[name]
                    holders.remove(old)
                    if not holders:
                        del index[name]
        mine = [n for n in events[i].names if n in weight]
        shared: dict[int, float] = defaultdict(float)
        for name in mine:
            for j in index.get(name, ()):
                if events[j].doc_id != events[i].doc_id:
                    shared[j] += weight[name]
        if day != current:
            today.clear()
            current = day
        told = events[i].told
        if told in same_day_weight:
            for j in today[told]:
                if j in shared:  # only on top of a shared rare name
                    shared[j] += same_day_weight[told]
            today[told].append(i)
        for j, score in shared.items():
            limit = _threshold((day - days[j]).days)
            if limit is not None and score >= limit and not conflicting_tolls(events[i], events[j]):
                join(i, j)
        window.append(i)
        for name in mine:
            index[name].append(i)
    return array("i", (find(i) for i in range(len(events))))


# Death tolls this many times apart, and at least CONFLICT_GAP apart, with no figure in common,
# are two events, whatever names the articles share (two air strikes on Aleppo in one week).
# The gap keeps one shooting whole as its toll rises: "one dead" then "a second victim dies"
# or "three dead" once the wounded die in hospital.
CONFLICT_RATIO = 2.0
CONFLICT_GAP = 3


def _killed(rows: list[dict]) -> set[int]:
    return {
        r["count"]
        for r in rows
        if r["category"] == "killed" and r["parent_statement_id"] is None and r["qualifier"] != "vague"
    }


def conflicting_tolls(a: Event, b: Event) -> bool:
    mine, theirs = a.killed, b.killed
    if not mine or not theirs or mine & theirs:
        return False
    high, low = max(max(mine), max(theirs)), min(max(mine), max(theirs))
    return high >= CONFLICT_RATIO * max(1, low) and high - low >= CONFLICT_GAP


def incident_id(statements: Iterable[dict]) -> str:
    """Named after the first report: earliest publication, then smallest statement id."""
    first = min(statements, key=lambda r: (r["published_date"] or dt.date.max, r["statement_id"]))
    return "inc-" + hashlib.sha1(f"incident\x00{first['statement_id']}".encode()).hexdigest()[:16]
