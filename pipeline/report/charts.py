"""The report's charts, as Plotly figures built from the report data.

Each function returns a figure; the page inlines plotly.js once and draws them offline.
The figures over time are built with every period on the x axis, so the page's filter only
replaces the y values of the traces built here.
"""

from __future__ import annotations

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from . import data

QUALITY = (
    ("with_claimant", "with a claimant"),
    ("day_precise", "dated to the day"),
    ("vague", 'vague ("dozens")'),
    ("cumulative", "running totals"),
)

LAYOUT = dict(
    template="plotly_white",
    margin=dict(l=60, r=20, t=40, b=40),
    height=360,
    legend=dict(orientation="v", x=1.02, y=1),
    font=dict(family="system-ui, sans-serif"),
)


def _sums(cube: dict, key: str) -> dict[int, list[int]]:
    """Figures per period for each value of one axis of the cube."""
    periods = len(cube["axes"]["period"])
    axis = cube["columns"].index(key)
    sums: dict[int, list[int]] = {i: [0] * periods for i in range(len(cube["axes"][key]))}
    for row in cube["rows"]:
        if row[0] >= 0:
            sums[row[axis]][row[0]] += row[4]
    return sums


def _colours(names: list[str]) -> list[str]:
    """One colour per name (Plotly's 10-colour default would repeat among 12 claimants), the
    groups of the rest in greys."""
    palette = iter(plotly.colors.qualitative.Dark24)
    fixed = {data.OTHER_CLAIMANTS: "#b8b8b8", data.NO_CLAIMANT: "#7a7a7a"}
    return [fixed.get(name) or next(palette) for name in names]


def over_time(cube: dict, key: str, title: str) -> go.Figure:
    """Stacked bars of figures per period, one trace per category or claimant."""
    x = cube["axes"]["period"]
    names = cube["axes"][key]
    fig = go.Figure()
    for (i, values), colour in zip(_sums(cube, key).items(), _colours(names), strict=False):
        fig.add_bar(
            x=x,
            y=values,
            name=names[i],
            meta={"axis": key, "index": i},
            marker_color=colour,
            hovertemplate="%{x}: %{y} figures<extra>%{fullData.name}</extra>",
        )
    # The legend below the chart, so that the charts over time share one width and one x axis.
    fig.update_layout(
        **dict(LAYOUT, height=440, legend=dict(orientation="h", y=-0.22, x=0)),
        title=title,
        barmode="stack",
        yaxis_title="figures reported",
        xaxis_title=f"publication date (by {cube['granularity']})",
    )
    return fig


def quality_shares(cube: dict) -> list[float]:
    total = sum(row[4] for row in cube["rows"]) or 1
    return [
        round(100 * sum(row[cube["columns"].index(name)] for row in cube["rows"]) / total, 1)
        for name, _ in QUALITY
    ]


def quality(cube: dict) -> go.Figure:
    shares = quality_shares(cube)
    fig = go.Figure(
        go.Bar(
            x=shares,
            y=[label for _, label in QUALITY],
            orientation="h",
            text=[f"{s:.1f}%" for s in shares],
            textposition="auto",
            hovertemplate="%{y}: %{x:.1f}% of figures<extra></extra>",
        )
    )
    fig.update_layout(
        **dict(LAYOUT, height=240),
        title="Quality at a glance (share of figures)",
        xaxis=dict(range=[0, 100], ticksuffix="%"),
        yaxis=dict(autorange="reversed"),
    )
    return fig


def _label(value) -> str:
    return value if isinstance(value, str) and value else data.NO_CLAIMANT


def incident_toll(incident, statements: pd.DataFrame, outliers: frozenset = frozenset()) -> go.Figure:
    """One point per statement: publication date against count, coloured by claimant, its
    low and high as an error bar, a cross where the toll left it out as an outlier; the
    incident's best, low and high as lines across."""
    fig = go.Figure()
    dated = statements[statements["published_date"].notna()]
    for claimant, rows in dated.groupby(dated["claimant"].map(_label), sort=True):
        high = (rows["count_max"].fillna(rows["count"]) - rows["count"]).clip(lower=0)
        low = (rows["count"] - rows["count_min"].fillna(rows["count"])).clip(lower=0)
        fig.add_scatter(
            x=rows["published_date"].dt.strftime("%Y-%m-%d"),
            y=rows["count"],
            name=claimant,
            mode="markers",
            customdata=rows["statement_id"],
            marker=dict(size=10, symbol=["x" if i in outliers else "circle" for i in rows["statement_id"]]),
            error_y=dict(type="data", array=high.tolist(), arrayminus=low.tolist(), thickness=1),
            text=rows["publisher"],
            hovertemplate="%{x}: %{y} (%{text})<extra>%{fullData.name}</extra>",
        )
    # Equal bounds share one line, so that their labels do not print over each other.
    lines: dict[float, list[str]] = {}
    for name in ("count_best", "count_low", "count_high"):
        value = getattr(incident, name)
        if pd.notna(value):
            lines.setdefault(float(value), []).append(name.removeprefix("count_"))
    for value, names in lines.items():
        # Labels on different corners, so that close lines (best 300,000, low 280,000) stay legible.
        corner = "top right" if "best" in names else "bottom left" if names == ["low"] else "top left"
        fig.add_hline(
            y=value,
            line_dash="solid" if "best" in names else "dash",
            line_color="#555",
            line_width=1,
            annotation_text=f"{' = '.join(names)} {int(value):,}",
            annotation_position=corner,
        )
    fig.update_layout(
        **LAYOUT,
        title=f"{incident.category}: each statement's figure by publication date",
        xaxis_title="publication date",
        yaxis_title=incident.category,
        xaxis=dict(type="date", range=_padded(dated["published_date"])),
        yaxis=dict(rangemode="tozero"),
    )
    return fig


def _padded(dates: pd.Series) -> list[str] | None:
    """A date axis a few days wider than the statements, so one day is not drawn in milliseconds."""
    if dates.empty:
        return None
    pad = max(pd.Timedelta(days=3), (dates.max() - dates.min()) * 0.05)
    return [(dates.min() - pad).strftime("%Y-%m-%d"), (dates.max() + pad).strftime("%Y-%m-%d")]
