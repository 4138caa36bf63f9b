"""Settling: breakdowns, 'were among', coordination, ellipsis and troop nouns give a category
to the quantities no trigger claimed on its own, each step over the whole sentence in turn."""

from __future__ import annotations

from ..grammar.categories import BY_NAME, FORCE, ONE_PERSON
from ..grammar.clauses import (
    APPOSITION_CLOSES,
    APPOSITION_OPENS,
    CLAUSE_BREAK,
    COORDINATOR_AHEAD,
    COORDINATOR_END,
    ELLIPSIS,
    FORCE_PHRASE,
    GROUP_JOINER,
    LIST_COMMA,
    NO_OBJECT,
    PERSON_PHRASE,
    WORD,
)
from ..grammar.numbers import Quantity
from ..grammar.triggers import AFTER_TRIGGER, AMONG, BEFORE_TRIGGER, COORDINATION, OWN_VERB
from .model import Candidate, How
from .phrases import noun_phrase_end, subject_span, things_follow

# A force of fewer than this is not a troop figure ("three soldiers were there").
SMALLEST_FORCE = 20
# A phrase of more words than this before a coordinator is a clause of its own.
LONGEST_TAIL_WORDS = 8
# Casualties are killed and injured together; a part may say which of the two it is.
CASUALTIES = BY_NAME["casualties"].name
CASUALTY_KINDS = frozenset({BY_NAME["killed"].name, BY_NAME["injured"].name})
# Coordination is read twice: a quantity settled in the first round settles its neighbours
# in the second ("Six soldiers, 6 civilians and a police officer").
COORDINATION_ROUNDS = 2


def settle(sentence: str, candidates: list[Candidate], headline: bool = False) -> None:
    """Breakdowns, 'were among', coordination, ellipsis and troop nouns settle what no
    trigger claimed on its own."""
    _breakdowns(sentence, candidates)
    _among(sentence, candidates)
    for _ in range(COORDINATION_ROUNDS):
        _coordination(sentence, candidates)
    _forces_and_ellipses(sentence, candidates)
    _one_group(sentence, candidates, headline)


def _breakdowns(sentence: str, candidates: list[Candidate]) -> None:
    """'including nine women and eleven children': a part, and the part coordinated with a
    part, belong to the last linked figure before them."""
    for i, c in enumerate(candidates):
        if (
            not c.breakdown
            and i
            and candidates[i - 1].breakdown
            and not _own_clause(sentence, c, candidates, i)
            and COORDINATION.match(
                sentence[noun_phrase_end(sentence, candidates[i - 1].quantity.end) : c.quantity.start]
            )
        ):
            c.breakdown = True
        if c.breakdown and i:
            parent = _previous_linked(candidates, i)
            if parent is not None:
                # "Four men were shot and two of them died": a part with a verb of its own
                # keeps the category that verb gives it.
                own = (
                    c.how == How.AFTER
                    and c.trigger
                    and OWN_VERB.match(sentence, c.quantity.end, c.trigger[0])
                )
                # "45 casualties, including 12 deaths": a part of killed and injured together
                # that says which it is keeps its own word's category.
                told_apart = (
                    candidates[parent].category == CASUALTIES
                    and c.how == How.AFTER
                    and c.category in CASUALTY_KINDS
                )
                _part_of(
                    sentence,
                    c,
                    parent,
                    c.category if own or told_apart else candidates[parent].category,
                    How.BREAKDOWN,
                )


def _own_clause(sentence: str, c: Candidate, candidates: list[Candidate], i: int) -> bool:
    """'38 were killed, including 17 children, and four others were injured': a quantity after
    the parts with a verb of its own, not the whole's, starts a clause of its own. (A verb
    reached only past a comma, as in 'and three women, and others were injured', is not its
    own.)"""
    whole = _previous_linked(candidates, i)
    return (
        c.how == How.AFTER
        and c.trigger is not None
        and whole is not None
        and candidates[whole].trigger is not None
        and c.trigger != candidates[whole].trigger
        and "," not in sentence[c.quantity.end : c.trigger[0]]
    )


def mark_apposed_parts(sentence: str, candidates: list[Candidate]) -> None:
    """'12 others, 6 police officers and 6 civilians, were injured': a list set off by commas
    right after a number, whose items add up to it, is that number's parts. The sum is what
    tells the parts from a list of separate figures ('Six soldiers, 6 civilians and ...')."""
    for i, whole in enumerate(candidates):
        if whole.person or whole.breakdown:
            continue
        at = noun_phrase_end(sentence, whole.quantity.end)
        if not APPOSITION_OPENS.match(sentence, at):
            continue
        parts: list[Candidate] = []
        total = 0
        for part in candidates[i + 1 :]:
            gap = sentence[at : part.quantity.start]
            if not (APPOSITION_OPENS.fullmatch(gap) if not parts else COORDINATION.match(gap)):
                break
            parts.append(part)
            total += part.quantity.count
            at = noun_phrase_end(sentence, part.quantity.end)
        if len(parts) >= 2 and total == whole.quantity.count and APPOSITION_CLOSES.match(sentence, at):
            for part in parts:
                part.breakdown = True


def _among(sentence: str, candidates: list[Candidate]) -> None:
    """'Six civilians including a child were among at least 22 people killed': the first
    figure (with its own parts) is part of the second."""
    for i, c in enumerate(candidates[1:], start=1):
        j = i - 1
        while j > 0 and candidates[j].breakdown and candidates[j].category is None:
            j -= 1
        prev = candidates[j]
        if (
            c.category
            and prev.category is None
            and AMONG.search(sentence, prev.quantity.end, c.quantity.start)
        ):
            prev.category, prev.parent, prev.how = c.category, i, How.AMONG
            prev.subject = (prev.quantity.end, noun_phrase_end(sentence, prev.quantity.end))
            for part in candidates[j + 1 : i]:
                _part_of(sentence, part, j, c.category, How.BREAKDOWN)


def _coordination(sentence: str, candidates: list[Candidate]) -> None:
    """Coordination, both ways: 'killed 36 people and nine others', 'three women and three
    children were shot dead'. A plain 'and' binds closer than a comma: in 'Two men were killed,
    and two other men and two women were wounded' the other men were wounded."""
    for i, c in enumerate(candidates):
        if c.category is not None:
            continue
        backward = _coordinated_back(sentence, candidates, i)
        forward = _listed_ahead(sentence, candidates, i, backward)
        other = forward or backward
        if other is not None:
            _inherit(sentence, c, other, How.COORDINATION)


def _coordinated_back(sentence: str, candidates: list[Candidate], i: int) -> Candidate | None:
    """The linked figure just before, when an 'and' joins this quantity to it."""
    if not i or not candidates[i - 1].category:
        return None
    prev = candidates[i - 1]
    # "was killed and his son sustained injuries": a person with a verb of their own is the
    # subject of another clause, not one more of those killed.
    c = candidates[i]
    if (
        c.person
        and not NO_OBJECT.match(sentence, c.quantity.end)
        and not COORDINATOR_AHEAD.match(sentence, c.quantity.end - 1)
    ):
        return None
    gap_start = max(prev.quantity.end, prev.trigger[1] if prev.trigger else 0)
    gap = sentence[gap_start : candidates[i].quantity.start]
    return prev if COORDINATION.match(gap[_phrase_tail(gap) :]) else None


def _listed_ahead(
    sentence: str, candidates: list[Candidate], i: int, backward: Candidate | None
) -> Candidate | None:
    """'Six soldiers, 6 civilians and a police officer were killed': the list takes the
    category its last item links, item by item back from it."""
    if i + 1 >= len(candidates):
        return None
    c, nxt = candidates[i], candidates[i + 1]
    if not nxt.category or nxt.how not in (How.AFTER, How.COORDINATION):
        return None
    gap = sentence[noun_phrase_end(sentence, c.quantity.end) : nxt.quantity.start]
    listed = LIST_COMMA.match(gap) and COORDINATOR_AHEAD.search(
        sentence, nxt.quantity.end, nxt.trigger[0] if nxt.trigger else len(sentence)
    )
    if not (COORDINATION.match(gap) or listed):
        return None
    return nxt if "," not in gap or backward is None else None


def _forces_and_ellipses(sentence: str, candidates: list[Candidate]) -> None:
    """'1,000 troops' is a troop figure; 'joining the ranks of another 4,000 already on the
    ground' goes on with the figure before it."""
    for i, c in enumerate(candidates):
        if c.category is not None:
            continue
        # A force too small to count need not have its noun phrase read.
        q = c.quantity
        np_end = noun_phrase_end(sentence, q.end) if q.count >= SMALLEST_FORCE else q.end
        noun_phrase = sentence[q.end : np_end]
        if noun_phrase and FORCE_PHRASE.search(noun_phrase) and not things_follow(noun_phrase):
            c.category, c.how, c.subject = FORCE, How.FORCE, (q.end, np_end)
        elif (
            i
            and not c.person
            and candidates[i - 1].category
            and ELLIPSIS.search(sentence, 0, q.start)
            and not PERSON_PHRASE.match(sentence[q.end :].lstrip())
            and not things_follow(sentence[q.end :])
        ):
            _inherit(sentence, c, candidates[i - 1], How.ELLIPSIS)


def _one_group(sentence: str, candidates: list[Candidate], headline: bool = False) -> None:
    """'14 civilians and a police officer were killed', 'a woman and her three children as well
    as another child': a number joined to one-person phrases is one group of people, one figure
    of their sum, as 'a man and his son' is one figure of 2; the number stays as its part. Two
    numbers joined stay two figures ('45 militants and 20 soldiers'), so a group holds at most
    one number, and an approximate one ('a staff member and around 20 civilians') is no sum."""
    i = 0
    while i < len(candidates):
        group = _group_from(sentence, candidates, i, headline)
        if len(group) < 2 or not _adds_up(candidates, group):
            # a list that is no group is not read again from its second item
            i = group[-1] + 1
            continue
        items = [candidates[k] for k in group]
        linked = next((c for c in items if c.trigger), items[-1])
        whole_index = next(k for k in group if candidates[k].person)
        whole = candidates[whole_index]
        first, last = items[0], items[-1]
        last_end = last.quantity.end if last.person else noun_phrase_end(sentence, last.quantity.end)
        # the group as written, less a leading number: "civilians and a police officer"
        whole.subject = (first.quantity.start if first.person else first.quantity.end, last_end)
        whole.category = next(c.category for c in items if c.category)
        whole.trigger, whole.how = linked.trigger, linked.how
        count = sum(c.quantity.count for c in items)
        whole.quantity = Quantity(count, count, count, "exact", first.quantity.start, last.quantity.end)
        whole.person = False
        for k, c in zip(group, items, strict=True):
            if k == whole_index:
                continue
            if c.person:
                c.category, c.how, c.trigger, c.subject = None, How.NONE, None, None
            else:
                _part_of(sentence, c, whole_index, whole.category, How.BREAKDOWN)
                c.breakdown = True
        i = group[-1] + 1


def _group_from(sentence: str, candidates: list[Candidate], i: int, headline: bool = False) -> list[int]:
    """The quantities from i on joined by commas and a last 'and' into one list; in a title a
    bare comma joins them too ("Police identify man, two children found dead")."""
    group, joined = [i], [i]
    for k in range(i + 1, len(candidates)):
        prev = candidates[k - 1]
        end = prev.quantity.end if prev.person else noun_phrase_end(sentence, prev.quantity.end)
        gap = sentence[end : candidates[k].quantity.start]
        if GROUP_JOINER.match(gap) or (headline and LIST_COMMA.match(gap)):
            group.append(k)
            joined = list(group)
        elif LIST_COMMA.match(gap):
            group.append(k)
        else:
            break
    return joined


def _adds_up(candidates: list[Candidate], group: list[int]) -> bool:
    items = [candidates[k] for k in group]
    linked = [k for k in group if candidates[k].category]
    if not linked:
        return False
    category = candidates[linked[0]].category
    # A person before the linked items, not linked themself, is a subject of the same verb
    # ("A woman and her three children ... were killed"); after them, one unlinked is the
    # subject of another clause ("killed 3 people and the gunman fled").
    return (
        category in ONE_PERSON  # the categories a one-person phrase counts in
        and any(c.person for c in items)
        and sum(not c.person for c in items) <= 1
        and all(candidates[k].category == category for k in group if k >= linked[0])
        and all(candidates[k].person for k in group if k < linked[0])
        and candidates[linked[-1]].how in (How.AFTER, How.COORDINATION, How.BEFORE)
        and all(not c.breakdown and c.parent is None for c in items)
        and all(c.quantity.qualifier == "exact" for c in items)
        and not any(c.parent in group for c in candidates)
    )


def _part_of(sentence: str, c: Candidate, parent: int, category: str | None, how: How) -> None:
    c.category, c.parent = category, parent
    c.trigger = c.trigger if c.how == How.AFTER else None
    c.how = how
    c.subject = subject_span(sentence, c)


def _phrase_tail(gap: str) -> int:
    """Skip a short phrase ('people', 'in the clashes,') before a coordinator."""
    match = COORDINATOR_END.search(gap)
    if not match:
        return 0
    head = gap[: match.start()]
    if len(WORD.findall(head)) > LONGEST_TAIL_WORDS or CLAUSE_BREAK.search(head):
        return 0
    if AFTER_TRIGGER.search(head) or BEFORE_TRIGGER.search(head + " "):
        return 0
    return match.start()


def _inherit(sentence: str, c: Candidate, other: Candidate, how: How) -> None:
    c.category, c.how = other.category, how
    c.trigger = None
    # "including a woman and two children": both are parts of the same whole
    if other.breakdown and other.parent is not None:
        c.breakdown, c.parent = True, other.parent
    c.subject = subject_span(sentence, c)


def _previous_linked(candidates: list[Candidate], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if candidates[j].category and not candidates[j].breakdown:
            return j
    return None
