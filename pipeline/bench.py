"""bench: how fast extraction runs, end to end, and how much memory it needs.

Runs ingest -> extract -> normalize -> load on ../shared/corpora/gva-news.jsonl (13 MB)
several times with 1 and 2 workers, then once on that corpus repeated to about 500 MB,
each in a fresh process. Prints medians: MB/s and articles/s per core, the speed-up from
1 to 2 workers, and peak resident memory; and, as a reference, quantulum3 (a general
quantity extractor) on the first 1 MB of the same corpus. Validation is timed apart: it
runs once per table, whatever the corpus size. Then where one worker's time goes, stage by
stage, so speed work starts from a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# The speed per core the extractor aims at, end to end.
TARGET_MB_PER_S = 3.0


def child(raw: Path, out: Path, workers: int) -> dict:
    """One measured run, in this (fresh) process."""
    from .build import extracted, read_raw, write_tables
    from .paths import Outputs

    start = time.perf_counter()
    counts = write_tables(extracted(read_raw(raw), workers), Outputs(out))
    seconds = time.perf_counter() - start
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "seconds": seconds,
        "documents": counts.documents,
        "figures": counts.figures,
        "peak_mb": peak_kb / 1024,
    }


def stages(raw: Path, out: Path) -> dict:
    """Seconds of each stage of a one-worker run, in this (fresh) process, with the whole corpus
    held in memory between stages (fine for the 13 MB corpus, not for an archive)."""
    from .build import read_raw, statement_rows, write_tables
    from .extract import extract
    from .grammar import prefilter, sentences
    from .paths import Outputs

    seconds: dict[str, float] = {}

    def timed(stage, work):
        start = time.perf_counter()
        result = work()
        seconds[stage] = time.perf_counter() - start
        return result

    docs = timed("ingest", lambda: list(read_raw(raw)))
    texts = [doc.text for doc in docs if doc.status == "ok" and doc.text]
    # What every article pays before the grammar reads a sentence: the trigger and number
    # marks and the paragraph split. It is done again inside extract.
    timed(
        "first_pass",
        lambda: [list(sentences.paragraphs(text)) for text in texts if prefilter.Marks(text).triggers],
    )
    figures = timed(
        "extract",
        lambda: [
            extract(doc.text, doc.published_date) if doc.status == "ok" and doc.text else [] for doc in docs
        ],
    )
    rows = timed(
        "normalize", lambda: [statement_rows(doc, found) for doc, found in zip(docs, figures, strict=False)]
    )
    timed("write", lambda: write_tables(zip(docs, rows, strict=False), Outputs(out)))
    from . import incidents

    timed("incidents", lambda: incidents.build(Outputs(out)))
    return {"seconds": seconds}


def measure(raw: Path, out: Path, workers: int) -> dict:
    return _fresh_process(["--child", str(raw), str(out), str(workers)])


def _fresh_process(args: list[str]) -> dict:
    result = subprocess.run([sys.executable, "-m", "pipeline.bench", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"error: benchmark run failed: {result.stderr.strip()[-300:]}")
    return json.loads(result.stdout)


def text_megabytes(corpus: Path) -> tuple[float, int]:
    chars, articles = 0, 0
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("text") or ""
            chars += len(text.encode("utf-8"))
            articles += 1
    return chars / 1e6, articles


def repeat_corpus(corpus: Path, target_mb: float, dest: Path) -> Path:
    """The corpus written again and again, with fresh ids, to about target_mb of file."""
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "repeated.jsonl"
    size = corpus.stat().st_size
    copies = max(1, round(target_mb * 1e6 / size))
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            with corpus.open(encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    record["id"] = f"{record.get('id')}-{copy}"
                    out.write(json.dumps(record) + "\n")
    return path


def quantulum_reference(corpus: Path, limit_mb: float) -> dict | None:
    try:
        from quantulum3 import parser
    except ImportError:
        return None
    texts, size = [], 0
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("text") or ""
            texts.append(text)
            size += len(text.encode("utf-8"))
            if size >= limit_mb * 1e6:
                break
    start = time.perf_counter()
    for text in texts:
        parser.parse(text)
    seconds = time.perf_counter() - start
    return {"mb": size / 1e6, "seconds": seconds, "mb_per_s": size / 1e6 / seconds}


def run(corpus: Path, work: Path, runs: int, large_mb: float, reference_mb: float) -> dict:
    raw = work / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    shutil.copy(corpus, raw / corpus.name)
    mb, articles = text_megabytes(corpus)
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "corpus": corpus.name,
        "text_mb": round(mb, 2),
        "articles": articles,
    }
    for workers in (1, 2):
        times = [measure(raw, work / f"out{workers}", workers)["seconds"] for _ in range(runs)]
        median = statistics.median(times)
        report[f"workers_{workers}"] = {
            "median_seconds": round(median, 2),
            "runs": [round(t, 2) for t in times],
            "mb_per_s_per_core": round(mb / median / workers, 3),
            "articles_per_s_per_core": round(articles / median / workers, 1),
        }
    report["speedup_1_to_2"] = round(
        report["workers_1"]["median_seconds"] / report["workers_2"]["median_seconds"], 2
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", "--out", str(work / "out1"), "--quiet"],
        check=True,
        capture_output=True,
    )
    report["validation_seconds"] = round(time.perf_counter() - start, 2)
    if large_mb > 0:
        large = repeat_corpus(corpus, large_mb, work / "large")
        large_text_mb = mb * large.stat().st_size / corpus.stat().st_size
        result = measure(large.parent, work / "out-large", 2)
        report["large"] = {
            "file_mb": round(large.stat().st_size / 1e6),
            "text_mb": round(large_text_mb),
            "seconds": round(result["seconds"], 1),
            "mb_per_s_per_core": round(large_text_mb / result["seconds"] / 2, 3),
            "peak_resident_mb": round(result["peak_mb"]),
        }
        shutil.rmtree(work / "large")
    reference = quantulum_reference(corpus, reference_mb)
    if reference:
        report["quantulum3"] = {k: round(v, 4) for k, v in reference.items()}
        report["times_faster_than_quantulum3"] = round(
            report["workers_1"]["mb_per_s_per_core"] / reference["mb_per_s"], 1
        )
    split = _fresh_process(["--stages", str(raw), str(work / "out-stages")])
    report["stages"] = {
        "seconds": {k: round(v, 2) for k, v in split["seconds"].items()},
        "target_seconds": round(mb / TARGET_MB_PER_S, 2),
    }
    return report


def summary(report: dict) -> str:
    one, two = report["workers_1"], report["workers_2"]
    lines = [
        f"machine: {report['machine']}",
        f"corpus: {report['corpus']}, {report['text_mb']} MB of text, {report['articles']} articles",
        f"1 worker:  {one['median_seconds']} s median of {one['runs']}: "
        f"{one['mb_per_s_per_core']} MB/s, {one['articles_per_s_per_core']} articles/s per core",
        f"2 workers: {two['median_seconds']} s median of {two['runs']}: "
        f"{two['mb_per_s_per_core']} MB/s, {two['articles_per_s_per_core']} articles/s per core",
        f"speed-up from 1 to 2 workers: {report['speedup_1_to_2']}x",
        f"validation: {report['validation_seconds']} s",
    ]
    if "large" in report:
        large = report["large"]
        lines.append(
            f"large corpus ({large['file_mb']} MB file, {large['text_mb']} MB text, 2 workers): "
            f"{large['seconds']} s, {large['mb_per_s_per_core']} MB/s per core, "
            f"peak resident memory {large['peak_resident_mb']} MB (largest process)"
        )
    if "quantulum3" in report:
        q = report["quantulum3"]
        lines.append(
            f"quantulum3 on the first {q['mb']} MB: {q['mb_per_s']} MB/s; ours is "
            f"{report['times_faster_than_quantulum3']}x faster per core"
        )
    if "stages" in report:
        split = report["stages"]
        parts = ", ".join(f"{stage.replace('_', ' ')} {s} s" for stage, s in split["seconds"].items())
        lines.append(
            f"one worker by stage (first pass is part of extract): {parts}; "
            f"{TARGET_MB_PER_S} MB/s would be {split['target_seconds']} s in all"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        print(json.dumps(child(Path(argv[1]), Path(argv[2]), int(argv[3]))))
        return 0
    if argv[:1] == ["--stages"]:
        print(json.dumps(stages(Path(argv[1]), Path(argv[2]))))
        return 0
    from . import paths

    parser = argparse.ArgumentParser(
        prog="python -m pipeline.bench",
        description=__doc__.splitlines()[0],
        epilog="example: python -m pipeline.bench --runs 3 --large-mb 500",
    )
    parser.add_argument("--corpus", default=str(paths.SHARED / "corpora" / "gva-news.jsonl"))
    parser.add_argument("--work", default="data/processed/bench", help="scratch folder")
    parser.add_argument("--runs", type=int, default=3, help="runs per setting (median reported)")
    parser.add_argument("--large-mb", type=float, default=500, help="size of the repeated corpus; 0 skips it")
    parser.add_argument("--reference-mb", type=float, default=1.0, help="text given to quantulum3")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"error: benchmark corpus {corpus} does not exist", file=sys.stderr)
        return 2
    work = Path(args.work)
    report = run(corpus, work, args.runs, args.large_mb, args.reference_mb)
    from .load import write_json

    write_json(work / "bench.json", report)
    print(summary(report))
    print(f"\nwrote {work / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
