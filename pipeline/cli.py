"""Command line: `python -m pipeline run|fetch|ingest|extract|validate|schema`.

Exit codes: 0 success, 1 data or validation failure (or the pipeline itself failed, or
every source of a fetch failed), 2 usage error, 130 interrupted (Ctrl-C). Expected
failures are one line naming the file and the problem.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import EXTRACTOR_VERSION, __version__, build, paths
from .load import OutputError
from .refresh import Busy

EPILOG = {
    "run": "example: python -m pipeline run --raw data/raw --out data/processed",
    "ingest": "example: python -m pipeline ingest --raw data/raw --out data/processed",
    "extract": "example: python -m pipeline extract --out data/processed --workers 2",
    "validate": "example: python -m pipeline validate --out data/processed",
    "schema": "example: python -m pipeline schema --write",
    "fetch": "example: python -m pipeline fetch --sources sources.toml --raw data/raw",
    "incidents": "example: python -m pipeline incidents --out data/processed --show inc-0123456789abcdef",
    "report": "example: python -m pipeline report --out data/processed",
}


class UsageError(Exception):
    """A problem with what the user asked for: exit 2."""


class PipelineFailure(Exception):
    """The pipeline itself failed: exit 1."""


def _raw(args) -> Path:
    raw = Path(args.raw)
    if not raw.is_dir():
        raise UsageError(f"raw folder {raw} does not exist or is not a folder")
    return raw


def _workers(args) -> int:
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be 1 or more")
    return args.workers or os.cpu_count() or 1


def _scheduler(args) -> str | None:
    return args.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None


def _limit(args) -> int:
    if args.max_article_mb <= 0:
        raise UsageError("--max-article-mb must be more than 0")
    return int(args.max_article_mb * 1024 * 1024)


def _fail_if_broken(counts: build.Counts) -> None:
    failure = counts.failure()
    if failure:
        raise PipelineFailure(failure)


def cmd_run(args) -> int:
    from .run import Options, run

    return run(
        Options(
            raw=_raw(args),
            out=Path(args.out),
            limit=_limit(args),
            workers=_workers(args),
            scheduler=_scheduler(args),
            full=args.full,
            allow_shrink=args.allow_shrink,
            quiet=args.quiet,
        )
    )


def cmd_fetch(args) -> int:
    from .fetch import SourcesError, fetch

    sources, raw = Path(args.sources), Path(args.raw)
    if not sources.is_file():
        raise UsageError(f"sources file {sources} does not exist")
    if raw.exists() and not raw.is_dir():
        raise UsageError(f"raw folder {raw} is not a folder")
    try:
        report = fetch(sources, raw, state_path=Path(args.state) if args.state else None)
    except SourcesError as error:
        raise UsageError(str(error)) from error
    for warning in report.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    print(report.line(), file=sys.stderr)
    if report.all_failed:  # a total outage must not look like a quiet day to cron
        raise PipelineFailure(f"all {len(report.outcomes)} sources in {sources} failed; nothing was fetched")
    return 0


def cmd_ingest(args) -> int:
    from . import stages

    counts = stages.ingest(_raw(args), Path(args.out), _limit(args), args.quiet)
    print(
        f"{counts.documents} documents read: {counts.ok} ok, {counts.skipped} skipped, "
        f"{counts.failed} failed -> {stages.workbench(args.out).documents}",
        file=sys.stderr,
    )
    return 0


def cmd_extract(args) -> int:
    from . import stages

    documents = stages.workbench(args.out).documents
    if not documents.exists():
        raise UsageError(f"{documents} does not exist; run `python -m pipeline ingest` first")
    counts = stages.extract(Path(args.out), _workers(args), _scheduler(args), args.quiet)
    print(counts.line(), file=sys.stderr)
    _fail_if_broken(counts)
    return 0


def cmd_validate(args) -> int:
    from . import stages

    statements = stages.workbench(args.out).statements
    if not statements.exists():
        raise UsageError(f"{statements} does not exist; run `python -m pipeline extract` first")
    outcome = stages.validate(Path(args.out))
    print(outcome.summary(statements), file=sys.stderr)
    return 0 if outcome.success else 1


def cmd_incidents(args) -> int:
    from . import incidents

    outputs = paths.Outputs(args.out)
    if not outputs.statements.exists():
        raise UsageError(f"{outputs.statements} does not exist; run `python -m pipeline run` first")
    if args.show:
        if not outputs.incidents.exists():
            raise UsageError(f"{outputs.incidents} does not exist; run `python -m pipeline incidents` first")
        return incidents.main_show(outputs, args.show)
    found = incidents.build(outputs)
    print(f"{found} incidents -> {outputs.incidents}", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    from .report import ReportError, write_report

    outputs = paths.Outputs(args.out)
    if not outputs.statements.exists():
        raise UsageError(f"{outputs.statements} does not exist; run `python -m pipeline run` first")
    try:
        page = write_report(outputs.dir)
    except ReportError as error:  # a table or JSON file of the folder cannot be read
        raise PipelineFailure(str(error)) from error
    print(f"report: {page} ({page.stat().st_size / 1e6:.1f} MB, opens offline)", file=sys.stderr)
    return 0


def cmd_schema(args) -> int:
    from . import generated

    if args.write:
        written = generated.write()
        print(f"wrote {', '.join(map(str, written))} from pipeline/schema.py", file=sys.stderr)
        return 0
    stale = generated.stale()
    if stale:
        print(
            f"out of date with pipeline/schema.py: {', '.join(map(str, stale))}; run `python -m pipeline "
            f"schema --write`",
            file=sys.stderr,
        )
        return 1
    print("suite and data dictionary match the schema", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Build a validated table of casualty and troop figures from news articles.",
        epilog=EPILOG["run"],
    )
    top.add_argument(
        "--version",
        action="version",
        version=f"casualty-figures {__version__} (extractor {EXTRACTOR_VERSION})",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, help_text, func, raw=False, out=True, work=False):
        sub = commands.add_parser(name, help=help_text, description=help_text, epilog=EPILOG[name])
        if raw:
            sub.add_argument(
                "--raw",
                default=str(paths.default_raw()),
                help="folder of raw articles (default: data/raw or $CASUALTY_RAW)",
            )
            sub.add_argument(
                "--max-article-mb",
                type=float,
                default=2,
                help="read a larger text article in parts of this size; skip a larger "
                "JSON Lines record or web page (default: 2)",
            )
        if out:
            sub.add_argument(
                "--out",
                default=str(paths.default_out()),
                help="output folder (default: data/processed or $CASUALTY_OUT)",
            )
        if work:
            sub.add_argument(
                "--workers",
                type=int,
                default=None,
                help="extraction processes (default: the number of cores)",
            )
            sub.add_argument(
                "--scheduler",
                default=None,
                help="Dask scheduler address, tcp://HOST:PORT "
                "(default: $DASK_SCHEDULER_ADDRESS; none runs locally)",
            )
        sub.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.set_defaults(func=func, usage_of=sub)
        return sub

    run = command(
        "run",
        "Run every stage: ingest, extract, normalize, load, validate. Only files "
        "new or changed since the last run are read again.",
        cmd_run,
        raw=True,
        work=True,
    )
    run.add_argument("--full", action="store_true", help="read and extract every file again")
    run.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even a table with over 20%% fewer figures than the last one",
    )
    fetch = command(
        "fetch",
        "Download new articles from the feeds and pages in sources.toml into the raw folder.",
        cmd_fetch,
        out=False,
    )
    fetch.add_argument("--sources", default="sources.toml", help="sources file (default: sources.toml)")
    fetch.add_argument("--raw", default=str(paths.default_raw()), help="raw folder (default: data/raw)")
    fetch.add_argument(
        "--state",
        default=None,
        help="where each feed's ETag and Last-Modified are kept between runs "
        "(default: fetch-state.json beside the raw folder)",
    )
    command(
        "ingest",
        "Read the raw folder into documents.parquet (one row per file or record).",
        cmd_ingest,
        raw=True,
    )
    command(
        "extract",
        "Find the figures in documents.parquet and write statements.parquet.",
        cmd_extract,
        work=True,
    )
    command("validate", "Check statements.parquet against expectations/statements.json.", cmd_validate)
    incidents_cmd = command(
        "incidents",
        "Group the statements into incidents and write incidents.parquet "
        "(run does this too), or --show one incident's history.",
        cmd_incidents,
    )
    incidents_cmd.add_argument(
        "--show", metavar="INCIDENT_ID", help="print the incident's toll and every report of it, oldest first"
    )
    command(
        "report",
        "Write report/index.html in the output folder: one page of charts and tables that opens offline.",
        cmd_report,
    )
    schema_cmd = command(
        "schema",
        "Check (or --write) the suite and README data dictionary generated from pipeline/schema.py.",
        cmd_schema,
        out=False,
    )
    schema_cmd.add_argument("--write", action="store_true", help="regenerate them")
    return top


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Arguments, with usage errors reported by the subcommand they belong to (its usage,
    not the top-level one), exit 2."""
    top = parser()
    args, unknown = top.parse_known_args(argv)
    sub = args.usage_of
    if unknown:
        sub.error(f"unrecognized arguments: {' '.join(unknown)}")
    out = getattr(args, "out", None)
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        sub.error(f"--out {out} is a file; give a folder (it is created if missing)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        # Outputs are staged and moved into place only when complete, so this is true.
        print("interrupted; the previous table is kept", file=sys.stderr)
        return 130
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OutputError, PipelineFailure, Busy) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a fault of the pipeline or the machine: one line, exit 1
        where = getattr(error, "filename", None)
        detail = f"{where}: " if where else ""
        print(f"error: {detail}{type(error).__name__}: {error}", file=sys.stderr)
        return 1
