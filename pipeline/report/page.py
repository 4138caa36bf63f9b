"""The report page: the template filled from the report data, with plotly.js, the styles
and the page's script inlined, so that it opens from disk with no network at all."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ..load import write_text
from . import charts, data

# Plotly's offline options: no link to its cloud editor, no logo, nothing fetched.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}


def _resource(name: str) -> str:
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(value, separators=(",", ":"), default=str).replace("</", "<\\/")


def _date(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _count(row) -> str:
    """'at least 12', '12 (10-15)', as the figure reads."""
    low, high = row.count_min, row.count_max
    bounds = ""
    if pd.notna(low) and pd.notna(high) and low != high:
        bounds = f" ({int(low):,}–{int(high):,})"
    elif pd.isna(high) and row.qualifier in ("at_least", "more_than"):
        bounds = " or more"
    return f"{int(row.count):,}{bounds}"


def statement_rows(frame: pd.DataFrame, outliers: frozenset = frozenset()) -> list[dict]:
    return [
        {
            "statement_id": r.statement_id,
            "is_outlier": r.statement_id in outliers,
            "published_date": _date(r.published_date),
            "publisher": r.publisher,
            "claimant": r.claimant if isinstance(r.claimant, str) else "",
            "category": r.category,
            "count": _count(r),
            "qualifier": r.qualifier,
            "subject": r.subject if isinstance(r.subject, str) else "",
            "location": r.location if isinstance(r.location, str) else "",
            "date_precision": r.date_precision,
        }
        for r in frame.itertuples(index=False)
    ]


def _outliers(incident) -> frozenset:
    """Statements the incident's toll leaves out as outliers (none where the table has no such column)."""
    ids = getattr(incident, "outlier_statement_ids", None)
    return frozenset(ids) if ids is not None else frozenset()


def incident_views(report: data.ReportData) -> tuple[list[dict], list[pd.DataFrame]]:
    if report.incidents is None or report.incidents.empty:
        return [], []
    views, shown = [], []
    for n, incident in enumerate(data.chosen_incidents(report.incidents).itertuples(index=False)):
        rows, total = data.incident_statements(report.statements, incident)
        shown.append(rows)
        views.append(_incident_view(n, incident, rows, total))
    return views, shown


def _incident_view(n: int, incident: Any, rows: pd.DataFrame, total: int) -> dict:
    """What the page shows of one incident. `incident` is a row of incidents.parquet (its
    columns in schema.py), which pandas types only as a tuple of any scalars."""
    return {
        "n": n,
        "incident_id": incident.incident_id,
        "kind": incident.kind,
        "category": incident.category,
        "count_best": int(incident.count_best),
        "count_low": None if pd.isna(incident.count_low) else int(incident.count_low),
        "count_high": None if pd.isna(incident.count_high) else int(incident.count_high),
        "statement_count": int(incident.statement_count),
        "document_count": int(incident.document_count),
        "claimants": [c for c in (incident.claimants if incident.claimants is not None else [])],
        "publishers": [p for p in (incident.publishers if incident.publishers is not None else [])],
        "location": incident.location if isinstance(incident.location, str) else "",
        "first": _date(incident.first_published_date),
        "last": _date(incident.last_published_date),
        "event": " to ".join(
            dict.fromkeys(d for d in (_date(incident.event_date_start), _date(incident.event_date_end)) if d)
        ),
        "is_largest": bool(incident.is_largest),
        "is_latest": bool(incident.is_latest),
        "statements": statement_rows(rows, _outliers(incident)),
        "statements_total": total,
        "figure": json.loads(charts.incident_toll(incident, rows, _outliers(incident)).to_json()),
    }


def _chart_html(fig, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOTLY_CONFIG)


def render(report: data.ReportData, out: Path) -> str:
    import jinja2
    import plotly.offline

    cube = data.cube(report.statements)
    incidents, incident_rows = incident_views(report)
    top = data.top_figures(report.statements)
    quoted = pd.concat([*incident_rows, *top.values()]).drop_duplicates("statement_id")
    report.contexts = data.contexts(out / "documents.parquet", quoted)
    undated = int(report.statements["published_date"].isna().sum())
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(_resource("index.html.j2"))
    page_data = {
        "cube": cube,
        "contexts": report.contexts,
        "plotly_config": PLOTLY_CONFIG,
        "incidents": [
            {"figure": view.pop("figure"), "incident_id": view["incident_id"], "category": view["category"]}
            for view in incidents
        ],
        "quality": [name for name, _ in charts.QUALITY],
    }
    return template.render(
        title="Casualty figures: release report",
        out=str(out),
        built_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        release=report.release,
        incidents=incidents,
        has_incidents_table=report.incidents is not None,
        top={name: statement_rows(frame) for name, frame in top.items()},
        cube=cube,
        undated=undated,
        chart_category=_chart_html(
            charts.over_time(cube, "category", "Figures over time, by category"), "chart-category"
        ),
        chart_claimant=_chart_html(
            charts.over_time(
                cube, "claimant", f"Figures over time, by claimant (top {data.TOP_CLAIMANTS} sources)"
            ),
            "chart-claimant",
        ),
        chart_quality=_chart_html(charts.quality(cube), "chart-quality"),
        css=_resource("report.css"),
        script=_resource("report.js"),
        plotly_js=plotly.offline.get_plotlyjs(),
        page_data=_script_json(page_data),
    )


def write_report(out: Path) -> Path:
    """Write out/report/index.html from the tables in out; returns its path."""
    out = Path(out)
    html = render(data.read(out), out)
    target = out / "report" / "index.html"
    write_text(target, html)
    return target
