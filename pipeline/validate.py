"""validate: the statements and incidents tables against the Great Expectations suites in expectations/.

The suite is reviewed JSON generated from `pipeline.schema`; it is loaded into an
ephemeral (in-memory) context so a run never writes GX state into the repository.
The HTML report (Data Docs) goes under the output folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq

if TYPE_CHECKING:  # Great Expectations is imported only when a table is validated
    from great_expectations.core import ExpectationValidationResult


@dataclass
class Outcome:
    success: bool
    evaluated: int
    failed: list[dict] = field(default_factory=list)
    report: Path | None = None

    def as_json(self) -> dict:
        """What validation.json holds."""
        return {"success": self.success, "evaluated": self.evaluated, "failed": self.failed}

    def summary(self, table: Path) -> str:
        if self.success:
            return f"validation passed: {self.evaluated} expectations on {table}"
        parts = []
        for f in self.failed:
            column = f.get("column") or f.get("columns") or "table"
            example = f.get("examples")
            parts.append(
                f"{f['type']} on {column}: {f.get('unexpected_count', '?')} unexpected"
                + (f" (e.g. {example})" if example else "")
            )
        report = f" Report: {self.report}." if self.report else ""
        return (
            f"validation failed: {len(self.failed)} of {self.evaluated} expectations failed on "
            f"{table}: " + "; ".join(parts) + "." + report
        )


class SuiteError(Exception):
    """The suite file cannot be used as it stands."""


def load_suite_json(path: Path) -> dict:
    try:
        suite = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SuiteError(f"{path}: cannot read expectation suite ({error})") from error
    if not isinstance(suite.get("expectations"), list):
        raise SuiteError(f"{path}: expectation suite has no list of expectations")
    return suite


def frame_for_validation(path: Path):
    """The table as pandas, with labels as plain strings and dates as datetimes so that
    GX compares them as values."""
    table = pq.read_table(path)
    frame = table.to_pandas(date_as_object=False)
    for column in frame.columns:
        if str(frame[column].dtype) == "category":
            frame[column] = frame[column].astype(object)
    return frame


def incidents_beside(statements: Path) -> tuple[Path, Path] | None:
    """The incidents table written beside a statements table, and its suite, where both exist."""
    from . import paths

    table = Path(statements).parent / "incidents.parquet"
    return (table, paths.INCIDENTS_SUITE) if table.exists() and paths.INCIDENTS_SUITE.exists() else None


def missing_incidents(statements: Path, incidents: Path) -> dict | None:
    """The check across the two tables: every statement's incident is in incidents.parquet."""
    known = set(pq.read_table(incidents, columns=["incident_id"]).column(0).to_pylist())
    ids = pq.read_table(statements, columns=["incident_id"]).column(0).to_pylist()
    missing = [i for i in ids if i not in known]
    if not missing:
        return None
    return {
        "type": "statements.incident_id references incidents.incident_id",
        "column": "incident_id",
        "unexpected_count": len(missing),
        "examples": ", ".join(str(m) for m in missing[:3]),
    }


def validate(statements: Path, suite_path: Path, report_dir: Path) -> Outcome:
    """Validate the statements table, and the incidents table beside it where there is one."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx  # slow to import: only here
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    tables = [("statements", statements, suite_path)]
    incidents = incidents_beside(statements)
    if incidents:
        tables.append(("incidents", *incidents))
    definitions, frames = [], {}
    source = context.data_sources.add_pandas("pipeline")
    for name, table, path in tables:
        suite_json = load_suite_json(path)
        suite = gx.ExpectationSuite(
            name=suite_json.get("name", name),
            expectations=suite_json["expectations"],
            meta=suite_json.get("meta"),
        )
        # GX drops an expectation it cannot read with only a warning: refuse to validate with less.
        if len(suite.expectations) != len(suite_json["expectations"]):
            raise SuiteError(
                f"{path}: only {len(suite.expectations)} of "
                f"{len(suite_json['expectations'])} expectations could be loaded"
            )
        suite = context.suites.add(suite)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole table")
        definitions.append(
            context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        )
        frames[name] = frame_for_validation(table)
    report_dir = Path(report_dir)
    context.add_data_docs_site(
        site_name="report",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(report_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    failed, evaluated, success = [], 0, True
    for definition in definitions:
        # One checkpoint per table: each is handed its own frame. (The report is built once
        # below: a docs action on each checkpoint would draw every page and the index again.)
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=definition.name,
                validation_definitions=[definition],
                result_format={"result_format": "SUMMARY"},
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frames[definition.name]})
        success = success and bool(result.success)
        for run in result.run_results.values():
            for r in run.results:
                evaluated += 1
                if not r.success:
                    failed.append(_failure(definition.name, r))
    context.build_data_docs(site_names=["report"])
    if incidents:
        evaluated += 1
        problem = missing_incidents(statements, incidents[0])
        if problem:
            failed.append(problem)
            success = False
    return Outcome(success, evaluated, failed, report_dir / "index.html")


def _failure(table: str, r: ExpectationValidationResult) -> dict:
    """One failed expectation of `table`, as validation.json and the summary line give it."""
    config = r.expectation_config
    if config is None:  # Great Expectations gives every result of a suite its expectation
        raise ValueError(f"a failed result of {table} names no expectation")
    kwargs = config.kwargs
    examples = (r.result or {}).get("partial_unexpected_list") or []
    column = kwargs.get("column") or ",".join(
        str(kwargs[k]) for k in ("column_A", "column_B", "column_list") if k in kwargs
    )
    return {
        "type": config.type,
        "column": column if table == "statements" else f"{table}.{column}",
        "unexpected_count": (r.result or {}).get("unexpected_count"),
        "examples": ", ".join(str(e) for e in examples[:3]) or None,
    }
