"""The report page: what it says about a real run, and how it behaves in a real browser
(headless Chromium, network blocked) when opened from disk."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import plotly.offline
import pyarrow.parquet as pq
import pytest

from pipeline import paths
from pipeline.report import data, write_report

from .conftest import run_cli

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_run_writes_a_report_that_loads_nothing_from_elsewhere(seeds_run):
    html = (seeds_run / "report" / "index.html").read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html and "@import" not in html
    plotly_js = plotly.offline.get_plotlyjs()
    assert html.count(plotly_js[:200]) == 1, "plotly.js is inlined, and only once"
    incidents = pq.read_table(seeds_run / "incidents.parquet")
    assert (
        f'<span class="big">{len(set(incidents.column("incident_id").to_pylist()))}</span> incidents' in html
    )
    figures = pq.read_metadata(seeds_run / "statements.parquet").num_rows
    assert f'<span class="big">{figures:,}</span> figures' in html


def test_release_summary_counts_the_tables(seeds_run):
    report = data.read(seeds_run)
    statuses = pq.read_table(seeds_run / "documents.parquet").column("status").to_pylist()
    assert report.release.documents == {
        "ok": statuses.count("ok"),
        "skipped": statuses.count("skipped"),
        "failed": statuses.count("failed"),
        "read": len(statuses),
    }
    assert report.release.figures == pq.read_metadata(seeds_run / "statements.parquet").num_rows
    assert report.release.incidents == len(
        set(pq.read_table(seeds_run / "incidents.parquet").column("incident_id").to_pylist())
    )
    assert report.release.changes["added"] == report.release.figures  # the first table: all new
    listed = sum(
        len(json.loads(suite.read_text(encoding="utf-8"))["expectations"])
        for suite in (paths.SUITE, paths.INCIDENTS_SUITE)
    )
    validation = report.release.validation
    assert len(validation["expectations"]) == listed
    assert len(validation["expectations"]) + validation["other_passed"] == validation["evaluated"]
    assert all(e["success"] for e in validation["expectations"])


def test_without_an_incidents_table_the_page_says_so(seeds_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(seeds_run, out, ignore=shutil.ignore_patterns("incidents.parquet", "report"))
    html = write_report(out).read_text(encoding="utf-8")
    assert "There is no incidents table (incidents.parquet) in this folder" in html
    assert '<span class="big">–</span> incidents' in html


def test_each_expectation_shows_pass_or_fail_with_failing_values():
    suites = {
        "statements": json.loads(paths.SUITE.read_text(encoding="utf-8")),
        "incidents": json.loads(paths.INCIDENTS_SUITE.read_text(encoding="utf-8")),
    }
    failures = [
        {
            "type": "expect_column_values_to_be_in_set",
            "column": "category",
            "unexpected_count": 2,
            "examples": "wounded, hurt",
        },
        {
            "type": "expect_column_pair_values_a_to_be_greater_than_b",
            "column": "count_max,count",
            "unexpected_count": 1,
            "examples": None,
        },
        {
            "type": "expect_compound_columns_to_be_unique",
            "column": "incidents.['incident_id', 'category']",
            "unexpected_count": 2,
            "examples": "inc-1, inc-1",
        },
        {
            "type": "statements.incident_id references incidents.incident_id",
            "column": "incident_id",
            "unexpected_count": 1,
            "examples": "inc-2",
        },
    ]
    results = data.expectation_results(suites, {"success": False, "failed": failures})
    failed = [
        (r["table"], r["type"], r["column"], r["unexpected_count"], r["examples"])
        for r in results
        if not r["success"]
    ]
    assert failed == [
        ("statements", "expect_column_values_to_be_in_set", "category", 2, "wounded, hurt"),
        ("statements", "expect_column_pair_values_a_to_be_greater_than_b", "count_max,count", 1, None),
        (
            "incidents",
            "expect_compound_columns_to_be_unique",
            "['incident_id', 'category']",
            2,
            "inc-1, inc-1",
        ),
        ("", "statements.incident_id references incidents.incident_id", "incident_id", 1, "inc-2"),
    ]
    assert len(results) == sum(len(suite["expectations"]) for suite in suites.values()) + 1


def test_a_quote_is_shown_in_the_article_text_around_it(seeds_run, seed_rows, seed_texts):
    for row in seed_rows:
        text = seed_texts[row["doc_id"]]
        shown = data.excerpt(text, row["char_start"], row["char_end"])
        assert shown["quote"] == row["quote"]
        whole = shown["before"] + shown["quote"] + shown["after"]
        start = row["char_start"] - len(shown["before"])
        assert text[start : start + len(whole)] == whole
        # Cut at a paragraph or a space, never inside a word.
        assert start == 0 or text[start - 1] in " \n"
        assert len(shown["before"]) <= data.CONTEXT_CHARS and len(shown["after"]) <= data.CONTEXT_CHARS


def test_a_large_incident_is_sampled_with_its_best_statement_kept(seeds_run):
    statements = data.read_statements(seeds_run / "statements.parquet")
    many = statements.loc[statements.index.repeat(20)].reset_index(drop=True)
    many["statement_id"] = [f"s{i:05d}" for i in range(len(many))]
    many["incident_id"] = "I"
    incident = type("Incident", (), {"incident_id": "I", "category": "killed", "best_statement_id": None})()
    killed = many[many["category"] == "killed"]
    incident.best_statement_id = killed["statement_id"].iloc[-1]
    rows, total = data.incident_statements(many, incident)
    assert total == len(killed) > data.STATEMENTS_PER_INCIDENT
    assert data.STATEMENTS_PER_INCIDENT <= len(rows) <= data.STATEMENTS_PER_INCIDENT + 1
    assert incident.best_statement_id in set(rows["statement_id"])


def test_report_without_a_table_is_a_usage_error(tmp_path, capsys):
    assert run_cli("report", "--out", str(tmp_path)) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err == f"error: {tmp_path / 'statements.parquet'} does not exist; run `python -m pipeline run` first"
    )


def test_a_broken_changes_file_is_named(seeds_run, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(seeds_run, out)
    (out / "changes.json").write_text("{not json", encoding="utf-8")
    assert run_cli("report", "--out", str(out)) == 1
    assert capsys.readouterr().err.startswith(f"error: {out / 'changes.json'}: not valid JSON")


def _browser():
    """Playwright driving Debian's Chromium, or a reason why there is none."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "the playwright package is not installed"
    if not CHROMIUM.exists():
        return None, f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium with apt-get)"
    return sync_playwright, None


@pytest.fixture(scope="module")
def browser_page(seeds_run, tmp_path_factory):
    sync_playwright, reason = _browser()
    if reason:
        pytest.skip(f"no browser to test the report in: {reason}")
    out = seeds_run
    page_path = out / "report" / "index.html"  # written by `pipeline run`
    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
        )
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri(), wait_until="load")
        yield page, out, requests, errors
        browser.close()


def test_page_requests_only_files_and_logs_no_error(browser_page):
    page, _, requests, errors = browser_page
    page.wait_for_timeout(300)
    assert requests and all(url.startswith("file:") for url in requests), requests
    assert errors == []


def test_every_chart_is_drawn(browser_page):
    page = browser_page[0]
    charts = page.eval_on_selector_all(
        ".plotly-graph-div",
        """divs => divs.map(d => ({
        id: d.id, svg: !!d.querySelector('svg.main-svg'),
        marks: [...d.querySelectorAll('.cartesianlayer .point')].filter(mark => {
            const box = mark.getBoundingClientRect(); return box.width > 0 && box.height > 0; }).length}))""",
    )
    assert {c["id"] for c in charts} >= {
        "chart-category",
        "chart-claimant",
        "chart-quality",
        "incident-chart",
    }
    assert all(c["svg"] and c["marks"] > 0 for c in charts), charts


def test_a_click_on_an_incident_shows_its_statements(browser_page):
    page, out = browser_page[:2]
    incidents = pq.read_table(out / "incidents.parquet").to_pylist()
    statements = pq.read_table(out / "statements.parquet").to_pylist()
    rows = page.locator(".incident-row")
    # The largest and the latest, largest first.
    assert min(len(incidents), data.TOP_INCIDENTS) <= rows.count() <= 2 * data.TOP_INCIDENTS
    largest = max(i["count_best"] for i in incidents)
    assert rows.first.locator("td.num").first.inner_text() == f"{largest:,}"
    for n in range(rows.count()):
        rows.nth(n).click()
        shown = page.locator(f".incident-statements[data-incident='{n}']")
        assert shown.is_visible()
        assert page.locator(".incident-statements:visible").count() == 1
        heading = page.locator("#incident-heading").inner_text()
        incident = next(i for i in incidents if f"{i['incident_id']} ({i['category']})" in heading)
        expected = {
            s["statement_id"]
            for s in statements
            if s["incident_id"] == incident["incident_id"] and s["category"] == incident["category"]
        }
        ids = shown.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.statementRow)")
        assert set(ids) == expected
        points = page.locator("#incident-chart .cartesianlayer path.point").count()
        assert points == sum(1 for s in statements if s["statement_id"] in expected and s["published_date"])


def test_a_click_on_a_figure_shows_its_quote_in_the_article(browser_page):
    page, out = browser_page[:2]
    statements = {s["statement_id"]: s for s in pq.read_table(out / "statements.parquet").to_pylist()}
    texts = {d["doc_id"]: d["text"] for d in pq.read_table(out / "documents.parquet").to_pylist()}
    page.locator(".incident-row").first.click()
    links = page.locator(".incident-statements:visible a.figure-link")
    assert links.count() > 0
    for n in range(links.count()):
        links.nth(n).click()
        dialog = page.locator("dialog#article")
        assert dialog.is_visible()
        statement = statements[links.nth(n).get_attribute("data-statement")]
        text = texts[statement["doc_id"]]
        assert page.locator("#article-text mark").inner_text() == statement["quote"]
        shown = page.locator("#article-text").text_content()
        around = text[max(0, statement["char_start"] - 40) : statement["char_end"] + 40]
        assert around.strip() in shown
        page.keyboard.press("Escape")
        assert not dialog.is_visible()


def test_the_filter_narrows_the_charts(browser_page):
    page, out = browser_page[:2]
    statements = pq.read_table(out / "statements.parquet").to_pylist()
    page.select_option("#filter-category", label="killed")
    killed = sum(1 for s in statements if s["category"] == "killed")
    assert page.locator("#filter-count").inner_text() == f"{killed:,} figures"
    sums = page.evaluate(
        "() => document.getElementById('chart-category').data"
        ".map(t => [t.name, t.y.reduce((a, b) => a + b, 0)])"
    )
    dated = sum(1 for s in statements if s["category"] == "killed" and s["published_date"])
    assert dict(sums) == {name: (dated if name == "killed" else 0) for name, _ in sums}
    page.select_option("#filter-category", label="all categories")


def test_report_command_has_help_with_an_example(capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli("report", "--help")
    assert exit_info.value.code == 0
    assert "example: python -m pipeline report --out data/processed" in capsys.readouterr().out


def test_an_outlier_is_drawn_as_a_cross_and_named_in_the_table(seeds_run):
    from pipeline.report import charts, page

    statements = data.read_statements(seeds_run / "statements.parquet")
    incident = (
        data.read_incidents(seeds_run / "incidents.parquet")
        .sort_values("statement_count", ascending=False)
        .iloc[0]
    )
    rows, _ = data.incident_statements(statements, incident)
    outlier = rows["statement_id"].iloc[0]
    fig = charts.incident_toll(incident, rows, frozenset({outlier}))
    symbols = {
        i: s for trace in fig.data for i, s in zip(trace.customdata, trace.marker.symbol, strict=False)
    }
    assert symbols[outlier] == "x" and all(s == "circle" for i, s in symbols.items() if i != outlier)
    flagged = [r["statement_id"] for r in page.statement_rows(rows, frozenset({outlier})) if r["is_outlier"]]
    assert flagged == [outlier]
