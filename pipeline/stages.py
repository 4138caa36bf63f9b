"""The stages on their own (`python -m pipeline ingest|extract|validate`), for looking at or
rerunning one of them. They work in OUT/stages/, never on the published files, and under the
lock a run takes, so a stage never overwrites what a run publishes."""

from __future__ import annotations

from pathlib import Path

from . import build, incidents, paths
from .load import write_json
from .refresh import lock
from .validate import Outcome
from .validate import validate as check_table


def workbench(out: Path) -> paths.Outputs:
    """Where the stages read and write inside the output folder `out`."""
    return paths.Outputs(Path(out) / paths.STAGES)


def ingest(raw: Path, out: Path, limit: int, quiet: bool = True) -> build.Counts:
    """The raw folder into OUT/stages/documents.parquet, no figures counted yet."""
    outputs = workbench(out)
    with lock(Path(out)), build.progress_bar(quiet, "ingest") as bar:
        return build.ingest_only(raw, outputs, progress=bar, limit=limit)


def extract(out: Path, workers: int, scheduler: str | None = None, quiet: bool = True) -> build.Counts:
    """The figures of OUT/stages/documents.parquet into statements.parquet, and its incidents."""
    outputs = workbench(out)
    with lock(Path(out)):
        with build.progress_bar(quiet, "extract") as bar:
            docs = build.read_documents(outputs.documents)  # streamed; replaced only at the end
            counts = build.write_tables(build.extracted(docs, workers, scheduler), outputs, bar)
        incidents.build(outputs)  # it rewrites the statements with their incident_id
    return counts


def validate(out: Path) -> Outcome:
    """OUT/stages/statements.parquet checked against the suite; the report and summary beside it."""
    outputs = workbench(out)
    with lock(Path(out)):
        outcome = check_table(outputs.statements, paths.SUITE, outputs.validation)
        write_json(outputs.validation_summary, outcome.as_json())
    return outcome
