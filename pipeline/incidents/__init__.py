"""incidents: statements -> one toll per event, tracked across articles and over time.

Reads the statements table (and the title and lead of each article from documents), groups
the statements into incidents (`grouping`), fuses each incident's toll per category
(`tolls`), writes `incidents.parquet` and gives every statement its `incident_id`. It runs
over the whole table on every run, so a refresh equals a build from scratch. The rule is
written down in INCIDENTS.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import schema
from ..load import ROW_GROUP_ROWS, AtomicParquetWriter
from ..paths import Outputs
from . import grouping, roundups, shot, tolls
from .names import names

# What the stage reads of each statement (the sentence for its names and, with the quote, for
# where it begins and ends).
COLUMNS = (
    "statement_id",
    "doc_id",
    "publisher",
    "published_date",
    "category",
    "count",
    "count_min",
    "count_max",
    "qualifier",
    "subject_kind",
    "parent_statement_id",
    "claimant",
    "location",
    "event_date_start",
    "event_date_end",
    "date_precision",
    "is_cumulative",
    "char_start",
    "quote",
    "sentence",
)
# How much of an article's opening says what its main story is: the headline and the lead.
LEAD_CHARS = 600
CATEGORY_ORDER = {c: i for i, c in enumerate(schema.CATEGORIES)}


def _article_rows(statements: Path) -> Iterator[tuple[str, list[dict]]]:
    """The statements of each article, in table order (the table is written article by article);
    each row carries `position`, its row number in the table."""
    current = ""  # no article yet
    rows: list[dict] = []
    position = 0
    for batch in pq.ParquetFile(statements).iter_batches(batch_size=8192, columns=list(COLUMNS)):
        for row in batch.to_pylist():
            sentence = row.pop("sentence")
            row["names"] = names(sentence, row["location"])
            # The quote is the text at char_start, and lies in its sentence.
            at = max(sentence.find(row["quote"]), 0)
            row["sentence_start"] = row["char_start"] - at
            row["sentence_end"] = row["sentence_start"] + len(sentence)
            row["bare_shot"] = shot.is_bare_shot(row, sentence[at + len(row["quote"]) :])
            # (A running total is its own incident already, and adds up events by definition.)
            row["roundup"] = not row["is_cumulative"] and roundups.is_roundup(sentence)
            row["position"] = position
            position += 1
            if row["doc_id"] != current:
                if rows:
                    yield current, rows
                current, rows = row["doc_id"], []
            rows.append(row)
    if rows:
        yield current, rows


def _openings(documents: Path) -> Iterator[tuple[str, frozenset[str]]]:
    """Names in each article's title and lead, in table order."""
    if not documents.exists():
        return
    columns = ["doc_id", "publisher", "title", "text"]
    for batch in pq.ParquetFile(documents).iter_batches(batch_size=512, columns=columns):
        for doc_id, publisher, title, text in zip(
            *(batch.column(i).to_pylist() for i in range(4)), strict=False
        ):
            # An outlet's own name ("... - Daily Sabah") says nothing about the event.
            yield doc_id, names(title, (text or "")[:LEAD_CHARS]) - names(publisher)


def _names_of(group: list[dict]) -> frozenset[str]:
    return frozenset().union(*(r["names"] for r in group))


def read_events(outputs: Outputs) -> tuple[list[grouping.Event], array, array, dict[str, array]]:
    """Every article's events, compact (names as numbers, no rows); for every statement in
    table order the number of its event, the row of the killed figure told with it where it
    is a figure of people shot (`shot`; -1 for none), and its flags (1/0): whether it is such
    a figure (`bare_shot`) and whether it adds up several events (`roundup`).
    Documents and statements are walked side by side, in the order the extract stage wrote
    both, a batch at a time: only one article's rows are held at once."""
    openings = _openings(outputs.documents)
    events: list[grouping.Event] = []
    rows_in_table = pq.ParquetFile(outputs.statements).metadata.num_rows
    event_of = array("i", bytes(4 * rows_in_table))
    dead_of = array("i", [-1]) * rows_in_table
    bare_of = array("b", bytes(rows_in_table))
    roundup_of = array("b", bytes(rows_in_table))
    number_of: dict[str, int] = {}
    for doc_id, rows in _article_rows(outputs.statements):
        article: frozenset[str] = frozenset()
        for candidate, found in openings:
            if candidate == doc_id:
                article = found
                break
        else:
            openings = iter(())  # (no documents table: statements alone)
        for i, k in shot.dead_told_with(rows).items():
            dead_of[rows[i]["position"]] = rows[k]["position"]
        for r in rows:
            bare_of[r["position"]] = r["bare_shot"]
            roundup_of[r["position"]] = r["roundup"]
        for event in grouping.split_article(doc_id, rows, article, _names_of):
            for r in event.statements:
                event_of[r["position"]] = len(events)
            event.compact(number_of)
            events.append(event)
    return events, event_of, dead_of, {"bare_shot": bare_of, "roundup": roundup_of}


# What the tolls and the incident rows read of each statement; the columns that take few
# values are read as dictionaries, so the table of an archive stays small in memory.
TOLL_COLUMNS = [c for c in COLUMNS if c not in ("quote", "sentence", "is_cumulative", "subject_kind")]
DICTIONARY_COLUMNS = ["publisher", "claimant", "location"]


def _place(rows: list[dict]) -> str | None:
    """The most specific place: the one given most often, the longest on a tie."""
    places: defaultdict[str, int] = defaultdict(int)
    for r in rows:
        if r["location"]:
            places[r["location"]] += 1
    return max(places, key=lambda p: (places[p], len(p), p)) if places else None


def incident_rows(incident_id: str, kind: str, statements: list[dict]) -> list[dict]:
    """One row per category of one incident."""
    by_category: dict[str, list[dict]] = defaultdict(list)
    for r in statements:
        by_category[r["category"]].append(r)
    out = []
    killed: tolls.Toll | None = None
    for category in sorted(by_category, key=CATEGORY_ORDER.__getitem__):
        rows = by_category[category]
        # The injured come after the killed (CATEGORY_ORDER): people shot count the dead too.
        toll = tolls.fuse(rows, killed)
        if category == "killed":
            killed = toll
        published = [r["published_date"] for r in rows if r["published_date"] is not None]
        dated = [r for r in rows if r["date_precision"] != "publication"] or rows
        starts = [r["event_date_start"] for r in dated if r["event_date_start"] is not None]
        ends = [r["event_date_end"] for r in dated if r["event_date_end"] is not None]
        out.append(
            {
                "incident_id": incident_id,
                "kind": kind,
                "category": category,
                "count_best": toll.count_best,
                "count_low": toll.low,
                "count_high": toll.high,
                "best_statement_id": toll.best["statement_id"],
                "best_dead_statement_id": toll.best.get("dead_statement_id"),
                "best_qualifier": toll.best["qualifier"],
                "best_claimant": toll.best["claimant"],
                "statement_count": len(rows),
                "document_count": len({r["doc_id"] for r in rows}),
                "publishers": sorted({r["publisher"] for r in rows if r["publisher"]}),
                "claimants": sorted({r["claimant"] for r in rows if r["claimant"]}),
                "outlier_statement_ids": toll.outliers,
                "first_published_date": min(published, default=None),
                "last_published_date": max(published, default=None),
                "event_date_start": min(starts, default=None),
                "event_date_end": max(ends, default=None),
                "location": _place(rows),
            }
        )
    return out


def build(outputs: Outputs) -> int:
    """Write outputs.incidents and fill statements' incident_id; returns the number of incidents."""
    events, event_of, dead_of, flags = read_events(outputs)
    roots = grouping.link(events)
    kinds = {root: events[root].kind for root in set(roots)}
    del events
    # Each statement's incident (its root event), then the rows sorted by it: one incident's
    # statements at a time, in columns rather than dicts.
    root_of = _int32(roots)
    table = pq.read_table(outputs.statements, columns=TOLL_COLUMNS, read_dictionary=DICTIONARY_COLUMNS)
    root_column = root_of.take(_int32(event_of))
    # Each figure of people shot carries the killed figure told with it (null for the rest).
    dead_rows = pc.if_else(pc.equal(_int32(dead_of), -1), pa.scalar(None, pa.int32()), _int32(dead_of))
    for name, column in (("dead_count", "count"), ("dead_statement_id", "statement_id")):
        table = table.append_column(name, table.column(column).take(dead_rows))
    for name, values in flags.items():
        flag = pa.Array.from_buffers(pa.int8(), len(values), [None, pa.py_buffer(values)])
        table = table.append_column(name, pc.cast(flag, pa.bool_()))
    table = table.append_column("root", root_column).take(pc.sort_indices(root_column))
    incident_of = array("i", bytes(4 * len(root_of)))  # root event -> number of its incident
    ids: list[str] = []
    parts: list[pa.Table] = []
    rows: list[dict] = []
    for root, statements in _groups(table):
        iid = grouping.incident_id(statements)
        incident_of[root] = len(ids)
        ids.append(iid)
        rows.extend(incident_rows(iid, kinds[root], statements))
        if len(rows) >= ROW_GROUP_ROWS:
            parts.append(pa.Table.from_pylist(rows, schema=schema.INCIDENTS_SCHEMA))
            rows = []
    parts.append(pa.Table.from_pylist(rows, schema=schema.INCIDENTS_SCHEMA))
    del table
    incidents = pa.concat_tables(parts)
    rank = pa.array([CATEGORY_ORDER[c] for c in incidents.column("category").to_pylist()], pa.int8())
    keys = pa.table({"id": incidents.column("incident_id"), "rank": rank})
    incidents = incidents.take(pc.sort_indices(keys, sort_keys=[("id", "ascending"), ("rank", "ascending")]))
    with AtomicParquetWriter(outputs.incidents, schema.INCIDENTS_SCHEMA) as writer:
        # Row groups built from the sorted rows, so their dictionaries do not depend on the
        # order the incidents were met in (the order of the files).
        for start in range(0, incidents.num_rows, ROW_GROUP_ROWS):
            writer.write(incidents.slice(start, ROW_GROUP_ROWS).to_pylist())
    statement_incident = _int32(incident_of).take(root_column)
    _fill_incident_ids(outputs.statements, pa.array(ids, pa.string()), statement_incident)
    return len(ids)


def _int32(numbers: array) -> pa.Array:
    """An array('i') as an Arrow array, without a copy."""
    return pa.Array.from_buffers(pa.int32(), len(numbers), [None, pa.py_buffer(numbers)])


def _groups(table: pa.Table) -> Iterator[tuple[int, list[dict]]]:
    """(root, its statements as dicts) for a table sorted by root, a batch at a time."""
    root: int = -1  # (roots are event numbers, never -1)
    group: list[dict] = []
    for batch in table.to_batches(max_chunksize=8192):
        for row in batch.to_pylist():
            if row["root"] != root:
                if group:
                    yield root, group
                root, group = row["root"], []
            group.append(row)
    if group:
        yield root, group


def _fill_incident_ids(statements: Path, ids: pa.Array, incident_of: pa.Array) -> None:
    """Rewrite the statements table, batch by batch, with every row's incident_id: `ids[n]` is
    the id of incident n, `incident_of` each row's incident number in table order."""
    target = schema.STATEMENTS_SCHEMA
    done = 0
    with AtomicParquetWriter(statements, target) as writer:  # version, pandas metadata, file mode
        for batch in pq.ParquetFile(statements).iter_batches(batch_size=ROW_GROUP_ROWS):
            ids_here = ids.take(incident_of.slice(done, batch.num_rows))
            done += batch.num_rows
            columns = [ids_here if name == "incident_id" else batch.column(name) for name in target.names]
            writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=target))


# --- what changed, and one incident's history ------------------------------------------------


def _tolls(path: Path) -> dict[tuple, tuple]:
    if not path.exists():
        return {}
    table = pq.read_table(path, columns=["incident_id", "category", "count_best", "count_low", "count_high"])
    return {
        (r["incident_id"], r["category"]): (r["count_best"], r["count_low"], r["count_high"])
        for r in table.to_pylist()
    }


def toll_changes(old: Path, new: Path) -> dict:
    """For changes.json: incidents whose toll changed since the last table, old and new."""
    before, after = _tolls(old), _tolls(new)
    changed = []
    for key in sorted(after.keys() & before.keys()):
        if after[key] != before[key]:
            (b0, l0, h0), (b1, l1, h1) = before[key], after[key]
            changed.append(
                {
                    "incident_id": key[0],
                    "category": key[1],
                    "old": {"best": b0, "low": l0, "high": h0},
                    "new": {"best": b1, "low": l1, "high": h1},
                }
            )
    return {
        "added": len(after.keys() - before.keys()),
        "removed": len(before.keys() - after.keys()),
        "toll_changed": len(changed),
        "tolls": changed,
    }


def history(outputs: Outputs, incident_id: str) -> list[str] | None:
    """Lines telling one incident's toll and every report of it, oldest first; None if unknown."""
    import pyarrow.compute as pc

    incidents = pq.read_table(outputs.incidents).filter(pc.field("incident_id") == incident_id).to_pylist()
    if not incidents:
        return None
    statements = (
        pq.read_table(
            outputs.statements,
            columns=[
                "incident_id",
                "published_date",
                "publisher",
                "claimant",
                "category",
                "count",
                "qualifier",
                "quote",
                "char_start",
                "statement_id",
            ],
        )
        .filter(pc.field("incident_id") == incident_id)
        .to_pylist()
    )
    statements.sort(key=lambda r: (r["published_date"] or dt.date.min, r["publisher"] or "", r["char_start"]))
    first = incidents[0]
    lines = [
        f"incident {incident_id} ({first['kind']}), {first['location'] or 'place not given'}, "
        f"{first['event_date_start']} to {first['event_date_end']}"
    ]
    for row in incidents:
        lines.append(
            f"  {row['category']}: best {row['count_best']} (low {row['count_low']}, high "
            f"{row['count_high']}) from {row['statement_count']} statements in "
            f"{row['document_count']} articles; best is {row['best_statement_id']}"
            + (f" less the dead of {row['best_dead_statement_id']}" if row["best_dead_statement_id"] else "")
        )
    lines.append("history (published, outlet, source, figure, quote):")
    for r in statements:
        lines.append(
            f"  {r['published_date']}  {r['publisher'] or '-'}  {r['claimant'] or '(the article)'}  "
            f'{r["category"]} {r["count"]} {r["qualifier"]}  "{r["quote"]}"  [{r["statement_id"]}]'
        )
    return lines


def main_show(outputs: Outputs, incident_id: str) -> int:
    lines = history(outputs, incident_id)
    if lines is None:
        print(f"error: {outputs.incidents} has no incident {incident_id}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
