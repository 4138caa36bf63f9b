"""What the report shows, read from one output folder and cut down to what a page can carry.

Everything here is plain data (dicts, lists, DataFrames); the charts and the page are built
from it elsewhere. Tables are read column by column and article texts are streamed, so the
report of a 500 MB corpus holds only aggregates and the few articles whose quotes it shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .. import paths, schema

# How much of the table a page carries: top-N lists, not the table itself.
TOP_PUBLISHERS = 20  # the filter lists these; the rest are grouped as "other publishers"
TOP_CLAIMANTS = 10  # the claimant chart shows these; the rest are "other sources"
TOP_INCIDENTS = 10  # the largest and the latest incidents, each
TOP_FIGURES = 25  # the largest and the latest single figures, each
STATEMENTS_PER_INCIDENT = 100  # more are sampled evenly over time, the best statement kept
CONTEXT_CHARS = 600  # article text shown on each side of a quote, at most

OTHER_PUBLISHERS = "other publishers"
OTHER_CLAIMANTS = "other sources"
NO_CLAIMANT = "no claimant (the article's own voice)"
NO_PUBLISHER = "unknown publisher"

STATEMENT_COLUMNS = [
    "statement_id",
    "doc_id",
    "publisher",
    "published_date",
    "category",
    "count",
    "count_min",
    "count_max",
    "qualifier",
    "subject",
    "claimant",
    "location",
    "date_precision",
    "is_cumulative",
    "char_start",
    "char_end",
]


class ReportError(Exception):
    """The output folder cannot be reported on: the message names the file."""


@dataclass
class Release:
    """The run in one look: documents, figures, incidents, validation and changes."""

    documents: dict[str, int]
    figures: int
    incidents: int | None  # None: there is no incidents table
    validation: dict | None  # None: the table was not validated
    changes: dict | None  # None: no changes.json (not built by `pipeline run`)
    failed_validation: dict | None = None  # a later run whose table failed validation


@dataclass
class ReportData:
    release: Release
    statements: pd.DataFrame
    incidents: pd.DataFrame | None
    contexts: dict[str, dict] = field(default_factory=dict)


def _read_json(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ReportError(f"{path}: not valid JSON ({error})") from error


def _read_parquet(path: Path, columns: list[str] | None = None):
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, ValueError, KeyError) as error:  # pyarrow's errors subclass these
        raise ReportError(f"{path}: cannot read it as Parquet ({error})") from error


def _column(kwargs: dict) -> str:
    """An expectation's column(s), named as validation.json names them."""
    return kwargs.get("column") or ",".join(
        str(kwargs[k]) for k in ("column_A", "column_B", "column_list") if k in kwargs
    )


def expectation_results(suites: dict[str, dict], validation: dict) -> list[dict]:
    """Every expectation of the suites, passed or failed, with the failing values where it failed.

    `suites` maps a table to its suite; validation.json lists only the failures, each by
    expectation type and column(s), prefixed by the table for any table but statements. No two
    expectations of a suite share both, so that pair finds each failure's expectation."""
    failures = {(f["type"], f.get("column") or ""): f for f in validation.get("failed", [])}
    rows = []
    for table, suite in suites.items():
        prefix = "" if table == "statements" else f"{table}."
        for expectation in suite.get("expectations", []):
            column = _column(expectation.get("kwargs", {}))
            failure = failures.pop((expectation["type"], prefix + column if column else ""), None)
            rows.append(
                {
                    "table": table,
                    "type": expectation["type"],
                    "column": column or "table",
                    "success": failure is None,
                    "unexpected_count": (failure or {}).get("unexpected_count"),
                    "examples": (failure or {}).get("examples"),
                }
            )
    # A failure no suite holds (a check across the tables, or a suite changed since the run).
    rows += [
        {
            "table": "",
            "type": f["type"],
            "column": f.get("column") or "table",
            "success": False,
            "unexpected_count": f.get("unexpected_count"),
            "examples": f.get("examples"),
        }
        for f in failures.values()
    ]
    return rows


def release(out: Path, figures: int, incidents: pd.DataFrame | None) -> Release:
    outputs = paths.Outputs(out)
    statuses = _read_parquet(outputs.documents, ["status"]).column("status").to_pandas().astype(str)
    documents = {status: int((statuses == status).sum()) for status in schema.DOCUMENT_STATUSES}
    documents["read"] = int(len(statuses))
    validation = _read_json(outputs.validation_summary)
    if validation is not None:
        suites = {"statements": _read_json(paths.SUITE) or {}}
        incidents_suite = _read_json(paths.INCIDENTS_SUITE) or {}
        listed = sum(len(suite.get("expectations", [])) for suite in (suites["statements"], incidents_suite))
        # A table validated before incidents were built was checked against the statements suite only.
        if outputs.incidents.exists() and validation.get("evaluated", 0) >= listed:
            suites["incidents"] = incidents_suite
        results = expectation_results(suites, validation)
        # Checks the suites do not list (across the tables) that passed are counted, not named.
        validation = dict(
            validation,
            expectations=results,
            passed=sum(r["success"] for r in results),
            other_passed=max(0, validation.get("evaluated", 0) - len(results)),
        )
    failed = _read_json(out / "validation-failed.json")
    if (
        failed is not None
        and outputs.validation_summary.exists()
        and ((out / "validation-failed.json").stat().st_mtime < outputs.validation_summary.stat().st_mtime)
    ):
        failed = None  # an older failure, since replaced by a table that passed
    return Release(
        documents=documents,
        figures=figures,
        incidents=None if incidents is None else int(incidents["incident_id"].nunique()),
        validation=validation,
        changes=_read_json(out / "changes.json"),
        failed_validation=failed,
    )


def read_statements(path: Path) -> pd.DataFrame:
    available = set(pq.read_schema(path).names) if path.exists() else set()
    wanted = [c for c in STATEMENT_COLUMNS + ["incident_id"] if c in available]
    frame = _read_parquet(path, wanted).to_pandas()
    for column in ("category", "qualifier", "date_precision"):
        frame[column] = frame[column].astype(str)
    frame["published_date"] = pd.to_datetime(frame["published_date"])
    frame["publisher"] = frame["publisher"].fillna(NO_PUBLISHER)
    if "incident_id" not in frame:
        frame["incident_id"] = None
    return frame


def read_incidents(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    frame = _read_parquet(path).to_pandas()
    for column in ("first_published_date", "last_published_date", "event_date_start", "event_date_end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["category"] = frame["category"].astype(str)
    frame["kind"] = frame["kind"].astype(str)
    return frame


def period_of(dates: pd.Series) -> tuple[str, pd.Series]:
    """Bars by day for a short span, by week up to a year and a half, else by month."""
    dated = dates.dropna()
    span = (dated.max() - dated.min()).days if len(dated) else 0
    if span <= 92:
        return "day", dates.dt.normalize()
    if span <= 550:
        return "week", dates.dt.to_period("W-SUN").dt.start_time
    return "month", dates.dt.to_period("M").dt.start_time


def _top(values: pd.Series, n: int, other: str) -> tuple[list[str], pd.Series]:
    top = values.value_counts().head(n).index.tolist()
    return top, values.where(values.isin(top), other)


def cube(statements: pd.DataFrame) -> dict:
    """Counts of figures by period, publisher, category and claimant, with the quality flags
    summed, so the page can filter by publisher and category without the table itself."""
    period, periods = period_of(statements["published_date"])
    publishers, publisher = _top(statements["publisher"], TOP_PUBLISHERS, OTHER_PUBLISHERS)
    claimant = statements["claimant"].fillna(NO_CLAIMANT)
    named = claimant[claimant != NO_CLAIMANT]
    claimants, claimant = _top(named, TOP_CLAIMANTS, OTHER_CLAIMANTS)
    claimant = claimant.reindex(statements.index).fillna(NO_CLAIMANT)
    frame = pd.DataFrame(
        {
            "period": periods.dt.strftime("%Y-%m-%d").fillna(""),  # "": no publication date
            "publisher": publisher,
            "category": statements["category"],
            "claimant": claimant,
            "figures": 1,
            "with_claimant": statements["claimant"].notna().astype(int),
            "day_precise": (statements["date_precision"] == "day").astype(int),
            "vague": (statements["qualifier"] == "vague").astype(int),
            "cumulative": statements["is_cumulative"].astype(int),
        }
    )
    keys = ["period", "publisher", "category", "claimant"]
    grouped = frame.groupby(keys, sort=True).sum().reset_index()
    axes = {
        "period": sorted(p for p in grouped["period"].unique() if p),
        "publisher": publishers + ([OTHER_PUBLISHERS] if (publisher == OTHER_PUBLISHERS).any() else []),
        "category": [c for c in schema.CATEGORIES if c in set(statements["category"])],
        "claimant": claimants + [c for c in (OTHER_CLAIMANTS, NO_CLAIMANT) if (claimant == c).any()],
    }
    index = {key: {value: i for i, value in enumerate(values)} for key, values in axes.items()}
    rows = [
        [
            index["period"].get(r["period"], -1),
            *(index[key][r[key]] for key in ("publisher", "category", "claimant")),
            *(int(r[flag]) for flag in ("figures", "with_claimant", "day_precise", "vague", "cumulative")),
        ]
        for r in grouped.to_dict("records")
    ]
    return {
        "granularity": period,
        "axes": axes,
        "rows": rows,
        "columns": keys + ["figures", "with_claimant", "day_precise", "vague", "cumulative"],
    }


def chosen_incidents(incidents: pd.DataFrame) -> pd.DataFrame:
    """The largest and the latest incidents (one row per incident and category), largest first."""
    largest = incidents.sort_values(["count_best", "statement_count"], ascending=False).head(TOP_INCIDENTS)
    latest = incidents.sort_values(
        ["last_published_date", "count_best"], ascending=False, na_position="last"
    ).head(TOP_INCIDENTS)
    chosen = incidents.loc[largest.index.union(latest.index)].copy()
    chosen["is_largest"] = chosen.index.isin(largest.index)
    chosen["is_latest"] = chosen.index.isin(latest.index)
    return chosen.sort_values(["count_best", "incident_id"], ascending=[False, True])


def incident_statements(statements: pd.DataFrame, incident) -> tuple[pd.DataFrame, int]:
    """The statements of one incident and category, oldest first; an evenly spread sample of
    them (always with the best statement) where there are more than a page should carry."""
    rows = statements[
        (statements["incident_id"] == incident.incident_id) & (statements["category"] == incident.category)
    ]
    rows = rows.sort_values(["published_date", "statement_id"], na_position="last")
    total = len(rows)
    if total > STATEMENTS_PER_INCIDENT:
        step = total / STATEMENTS_PER_INCIDENT
        keep = rows.iloc[[int(i * step) for i in range(STATEMENTS_PER_INCIDENT)]]
        best = rows[rows["statement_id"] == incident.best_statement_id]
        rows = (
            pd.concat([keep, best])
            .drop_duplicates("statement_id")
            .sort_values(["published_date", "statement_id"], na_position="last")
        )
    return rows, total


def top_figures(statements: pd.DataFrame) -> dict[str, pd.DataFrame]:
    largest = (
        statements[statements["qualifier"] != "vague"]
        .sort_values(["count", "statement_id"], ascending=[False, True])
        .head(TOP_FIGURES)
    )
    latest = statements.sort_values(["published_date", "count"], ascending=False, na_position="last").head(
        TOP_FIGURES
    )
    return {"largest": largest, "latest": latest}


def excerpt(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> dict:
    """The quote with the article text around it, cut at a paragraph or a space."""
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    if lo > 0:
        paragraph = text.find("\n", lo, start)
        space = text.find(" ", lo, start)
        lo = paragraph + 1 if paragraph >= 0 else (space + 1 if space >= 0 else lo)
    if hi < len(text):
        paragraph = text.rfind("\n", end, hi)
        space = text.rfind(" ", end, hi)
        hi = paragraph if paragraph >= 0 else (space if space >= 0 else hi)
    while lo < start and text[lo] == "\n":  # no blank lines at the edges of the excerpt
        lo += 1
    while hi > end and text[hi - 1] in "\n ":
        hi -= 1
    return {
        "before": text[lo:start],
        "quote": text[start:end],
        "after": text[end:hi],
        "cut_before": lo > 0,
        "cut_after": hi < len(text),
    }


def contexts(documents: Path, chosen: pd.DataFrame) -> dict[str, dict]:
    """For each chosen statement, its article's heading and the text around its quote.
    The documents table is streamed a row group at a time: only the chosen articles are kept."""
    wanted: dict[str, list] = {}
    for row in chosen.itertuples(index=False):
        wanted.setdefault(str(row.doc_id), []).append(row)
    found: dict[str, dict] = {}
    columns = ["doc_id", "title", "publisher", "url", "published_date", "text"]
    try:
        parquet = pq.ParquetFile(documents)
        batches = parquet.iter_batches(columns=columns, batch_size=500)
        for batch in batches:
            ids = batch.column("doc_id").to_pylist()
            for i, doc_id in enumerate(ids):
                if doc_id not in wanted:
                    continue
                doc = {name: batch.column(name)[i].as_py() for name in columns}
                text = doc["text"] or ""
                for row in wanted.pop(doc_id):
                    found[row.statement_id] = {
                        "title": doc["title"],
                        "publisher": doc["publisher"],
                        "url": doc["url"],
                        "published_date": str(doc["published_date"] or ""),
                        "figure": f"{row.category}: {int(row.count):,} ({row.qualifier})",
                        "claimant": row.claimant if isinstance(row.claimant, str) else None,
                        **excerpt(text, int(row.char_start), int(row.char_end)),
                    }
            if not wanted:
                break
    except (OSError, ValueError, KeyError) as error:
        raise ReportError(f"{documents}: cannot read it as Parquet ({error})") from error
    return found


def read(out: Path) -> ReportData:
    outputs = paths.Outputs(out)
    for table in (outputs.statements, outputs.documents):
        if not table.exists():
            raise ReportError(f"{table} does not exist; run `python -m pipeline run` first")
    statements = read_statements(outputs.statements)
    incidents = read_incidents(outputs.incidents)
    return ReportData(release(out, len(statements), incidents), statements, incidents)
