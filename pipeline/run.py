"""run: every stage of one run over the raw folder, under the lock, published whole or not at all.

1. recover what a killed run left, then check the published outputs against their manifest
   (what fails is not reused: every file is read again);
2. fingerprint the raw files; with nothing new, stop;
3. read and extract what changed into OUT/.staging/, reusing the rows of what did not;
4. refuse a table that would drop more than MAX_SHRINK of the published figures;
5. validate, record the changes and the manifest, publish (publish.py).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import build, incidents, ingest, paths, publish, refresh
from .load import write_json
from .paths import Outputs

# A run that would publish fewer figures than this share below the published table refuses
# (an emptied or unmounted raw folder, a broken grammar): --allow-shrink publishes it anyway.
MAX_SHRINK = 0.20


@dataclass
class Options:
    raw: Path
    out: Path
    limit: int = ingest.MAX_ARTICLE_BYTES
    workers: int = 1
    scheduler: str | None = None
    full: bool = False
    allow_shrink: bool = False
    quiet: bool = True
    today: dt.date = field(default_factory=dt.date.today)


def say(line: str) -> None:
    print(line, file=sys.stderr)


def run(options: Options) -> int:
    """One run; returns the exit code (0 published or nothing new, 1 refused or failed)."""
    outputs = Outputs(options.out)
    with refresh.lock(outputs.dir):
        note = publish.recover(outputs.dir)
        if note:
            say(f"note: {note}")
        manifest, problem = publish.check_published(outputs.dir)
        if problem:
            say(f"note: {problem}: not reused, every file is read again")
        reusable = None if options.full else manifest
        inputs = ingest.plan(options.raw)
        if not inputs and not options.allow_shrink:
            say(
                f"error: the raw folder {options.raw} is empty: nothing published, the last table "
                f"stays (--allow-shrink publishes an empty table)"
            )
            return 1
        fingerprints = refresh.fingerprints(inputs, reusable)
        if refresh.up_to_date(reusable, fingerprints):
            say(f"nothing new in {options.raw} since the last run: {outputs.dir} left as it was")
            return 0
        staging = Outputs(publish.staging_dir(outputs.dir))
        shutil.rmtree(staging.dir, ignore_errors=True)
        try:
            counts = _stage_tables(options, inputs, fingerprints, reusable, outputs, staging)
            refresh.fault_point("staged")
            incidents.build(staging)
            code = _gate(options, outputs, counts) or _validate(options, outputs, staging)
            if code:
                return code
            report = refresh.changes(outputs.statements, staging.statements)
            report["incidents"] = incidents.toll_changes(outputs.incidents, staging.incidents)
            write_json(staging.dir / "changes.json", report)
            _write_report(staging)
            publish.seal(staging.dir, refresh.new_manifest(fingerprints))
            publish.publish(outputs.dir)
            say(refresh.change_line(report))
        finally:
            if staging.dir.exists() and not os.path.lexists(outputs.dir / publish.JOURNAL):
                shutil.rmtree(staging.dir, ignore_errors=True)
    # (steps that read the published outputs go here)
    failure = counts.failure()
    if failure:
        say(f"error: {failure}")
        return 1
    return 0


def _write_report(staging: Outputs) -> None:
    """The report page goes into the release it shows; a page that cannot be drawn is said,
    never a reason to withhold a table that passed validation."""
    from .report import ReportError, write_report

    try:
        write_report(staging.dir)
    except ReportError as error:
        say(f"warning: no report page: {error}")


def _stage_tables(
    options: Options, inputs, fingerprints, reusable, outputs: Outputs, staging: Outputs
) -> build.Counts:
    read: Counter[str] = Counter()
    docs = refresh.documents(inputs, fingerprints, reusable, outputs, options.today, options.limit, read)
    sizes = {rel: sum(size for size, _ in print_.get("stat", [])) for rel, print_ in fingerprints.items()}
    with build.progress_bar(options.quiet, "extract", sizes) as bar:
        counts = build.write_tables(build.extracted(docs, options.workers, options.scheduler), staging, bar)
    say(f"{counts.line()} ({read['extracted']} files read, {read['reused']} unchanged and reused)")
    return counts


def _gate(options: Options, outputs: Outputs, counts: build.Counts) -> int:
    """1 (after saying why) when the new table would drop too many of the published figures."""
    before = publish.published_rows(outputs.dir)
    if options.allow_shrink or not before or counts.figures >= before * (1 - MAX_SHRINK):
        return 0
    drop = before - counts.figures
    say(
        f"error: the new table has {counts.figures} figures, {drop} ({drop / before:.0%}) fewer than "
        f"the {before} published in {outputs.statements}; refusing to publish it (more than "
        f"{MAX_SHRINK:.0%} would go), the last good table stays. Check {options.raw}, or publish "
        f"it with --allow-shrink"
    )
    return 1


def _validate(options: Options, outputs: Outputs, staging: Outputs) -> int:
    from .validate import validate

    with build.progress_bar(
        options.quiet, "validate", doing=f"checking the table against {paths.SUITE.name}"
    ):
        outcome = validate(staging.statements, paths.SUITE, staging.validation)
    write_json(staging.validation_summary, outcome.as_json())
    if not outcome.success:
        return _keep_last_good(outputs, staging, outcome)
    outcome.report = outputs.validation / "index.html"
    say(outcome.summary(outputs.statements))
    return 0


def _keep_last_good(outputs: Outputs, staging: Outputs, outcome) -> int:
    """A table that fails validation is kept beside the last good one, for inspection."""
    failed_report = outputs.dir / "validation-failed"
    shutil.rmtree(failed_report, ignore_errors=True)
    os.replace(staging.validation, failed_report)
    os.replace(staging.statements, outputs.dir / "statements.failed.parquet")
    os.replace(staging.documents, outputs.dir / "documents.failed.parquet")
    os.replace(staging.validation_summary, outputs.dir / "validation-failed.json")
    outcome.report = failed_report / "index.html"
    say(outcome.summary(outputs.dir / "statements.failed.parquet"))
    kept = "the last good table is kept" if outputs.statements.exists() else "there is no earlier good table"
    say(f"{kept} in {outputs.statements}")
    return 1
