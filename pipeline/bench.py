"""bench: how fast a run goes, in wall and CPU seconds, and how much memory it needs.

Runs ingest -> extract -> normalize -> load -> incidents on ../shared/corpora/gva-news.jsonl
(13 MB) several times with 1 and 2 workers, each in a fresh process, then with 1 and 2
workers on that corpus repeated to about 500 MB. Every run is measured in wall seconds and in
CPU seconds (user + system of the run's process and its workers), so a run on a busy machine,
where wall time stretches with the load, still gives comparable numbers: MB of text per CPU
second is the speed per core. The same run times a reference, one case-insensitive `re` scan
for the first pass's trigger words over the same text, and gives our speed as a ratio to it,
which the machine's speed and load divide out of. Then where one worker's time goes, stage by
stage; peak memory is the resident memory of the run's processes together. All figures are
medians of --runs runs. Validation is timed apart: it runs once per table, whatever the size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

# The speed per core the extractor aims at, end to end, as a share of the reference scan's.
TARGET_RATIO = 0.40
# The share of a run the incidents stage may take.
TARGET_INCIDENTS_SHARE = 0.15
STAGES = ("ingest", "first_pass", "extract", "normalize", "write", "incidents")


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have ended (a pool's
    workers, once the pool is shut down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class PeakMemory(threading.Thread):
    """The largest resident memory of this process and its children together, sampled."""

    def __init__(self, every: float = 0.05):
        super().__init__(daemon=True)
        self.every, self.peak, self.done = every, 0, threading.Event()

    def run(self):
        import psutil  # type: ignore[import-untyped]  # comes with Dask's distributed, in the lock

        me = psutil.Process()
        while not self.done.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:  # a worker that ended between the listing and the read
                    pass
            self.peak = max(self.peak, total)
            self.done.wait(self.every)

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak / 1e6


def child(raw: Path, out: Path, workers: int) -> dict:
    """One measured run, in this (fresh) process: every stage a run has but validation."""
    from . import incidents
    from .build import extracted, read_raw, write_tables
    from .paths import Outputs

    memory = PeakMemory()
    memory.start()
    cpu, start = cpu_seconds(), time.perf_counter()
    counts = write_tables(extracted(read_raw(raw), workers), Outputs(out))
    incidents.build(Outputs(out))
    wall = time.perf_counter() - start
    largest_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "wall_seconds": wall,
        "cpu_seconds": cpu_seconds() - cpu,
        "documents": counts.documents,
        "figures": counts.figures,
        "peak_mb": memory.stop(),
        "largest_process_mb": largest_kb / 1024,
    }


def stages(raw: Path, out: Path) -> dict:
    """Wall and CPU seconds of each stage of a one-worker run, in this (fresh) process, with the
    whole corpus held in memory between stages (fine for the 13 MB corpus, not for an archive)."""
    from . import incidents, normalize
    from .build import read_raw, write_tables
    from .extract import extract
    from .grammar import prefilter, sentences
    from .paths import Outputs

    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(stage, work):
        cpu_start, start = time.process_time(), time.perf_counter()
        result = work()
        wall[stage], cpu[stage] = time.perf_counter() - start, time.process_time() - cpu_start
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
        "normalize", lambda: [normalize.rows(doc, found) for doc, found in zip(docs, figures, strict=False)]
    )
    timed("write", lambda: write_tables(zip(docs, rows, strict=False), Outputs(out)))
    timed("incidents", lambda: incidents.build(Outputs(out)))
    return {"wall_seconds": wall, "cpu_seconds": cpu}


def validation(out: Path) -> dict:
    """Wall and CPU seconds to validate a run's tables, in this (fresh) process, imports included."""
    cpu, start = time.process_time(), time.perf_counter()
    from .paths import SUITE, Outputs
    from .validate import validate

    outputs = Outputs(out)
    outcome = validate(outputs.statements, SUITE, outputs.validation)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "success": outcome.success,
    }


def reference_pattern() -> re.Pattern:
    """The reference: the first pass's scan for its trigger stems, case-insensitive, as it runs
    on the rare text whose lower-casing changes its length (grammar/prefilter.py)."""
    from .grammar.prefilter import TRIGGERS_ANY_CASE

    return TRIGGERS_ANY_CASE


def reference_scan(texts: list[str]) -> dict:
    """CPU and wall seconds of one reference scan over every text."""
    pattern = reference_pattern()
    cpu, start = time.process_time(), time.perf_counter()
    found = sum(1 for text in texts for _ in pattern.finditer(text))
    return {
        "cpu_seconds": time.process_time() - cpu,
        "wall_seconds": time.perf_counter() - start,
        "found": found,
    }


def measure(raw: Path, out: Path, workers: int) -> dict:
    return _fresh_process(["--child", str(raw), str(out), str(workers)])


def _fresh_process(args: list[str]) -> dict:
    result = subprocess.run([sys.executable, "-m", "pipeline.bench", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"error: benchmark run failed: {result.stderr.strip()[-300:]}")
    return json.loads(result.stdout)


def corpus_texts(corpus: Path, limit: int | None = None) -> list[str]:
    texts = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            texts.append(json.loads(line).get("text") or "")
            if limit and len(texts) >= limit:
                break
    return texts


def megabytes(texts: list[str]) -> float:
    return sum(len(text.encode("utf-8")) for text in texts) / 1e6


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


def quantulum_reference(texts: list[str], limit_mb: float) -> dict | None:
    try:
        from quantulum3 import parser
    except ImportError:
        return None
    chosen, size = [], 0
    for text in texts:
        chosen.append(text)
        size += len(text.encode("utf-8"))
        if size >= limit_mb * 1e6:
            break
    cpu = time.process_time()
    for text in chosen:
        parser.parse(text)
    seconds = time.process_time() - cpu
    return {"mb": size / 1e6, "cpu_seconds": seconds, "mb_per_cpu_s": size / 1e6 / seconds}


def _medians(results: list[dict], mb: float) -> dict:
    wall = statistics.median(r["wall_seconds"] for r in results)
    cpu = statistics.median(r["cpu_seconds"] for r in results)
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "wall_runs": [round(r["wall_seconds"], 2) for r in results],
        "cpu_runs": [round(r["cpu_seconds"], 2) for r in results],
        "mb_per_wall_s": round(mb / wall, 3),
        "mb_per_cpu_s": round(mb / cpu, 3),  # the speed per core
        "cores_busy": round(cpu / wall, 2),
        "peak_mb": round(max(r["peak_mb"] for r in results)),
        "figures": results[0]["figures"],
    }


def _compare_workers(report: dict, one: dict, two: dict) -> None:
    """Two workers against one: by wall time (what a user waits), and by CPU-bound throughput,
    MB per CPU second, which the other load on the machine changes far less."""
    report["speedup_wall_1_to_2"] = round(one["wall_seconds"] / two["wall_seconds"], 2)
    report["cpu_throughput_ratio_2_to_1"] = round(two["mb_per_cpu_s"] / one["mb_per_cpu_s"], 2)
    # What 2 workers would reach on two cores of their own: twice the CPU-bound rate per
    # worker, less the share of CPU the main process spends beside them.
    report["cpu_bound_speedup_1_to_2"] = round(2 * report["cpu_throughput_ratio_2_to_1"], 2)


def run(
    corpus: Path,
    work: Path,
    runs: int,
    large_mb: float,
    reference_mb: float,
    articles: int | None = None,
    validation_time: bool = True,
) -> dict:
    from .grammar import prefilter

    raw = work / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    texts = corpus_texts(corpus, articles)
    if articles:  # the quick mode: the first articles only
        with corpus.open(encoding="utf-8") as lines, (raw / corpus.name).open("w", encoding="utf-8") as cut:
            for _, line in zip(range(articles), lines, strict=False):
                cut.write(line)
    else:
        shutil.copy(corpus, raw / corpus.name)
    source = raw / corpus.name
    mb = megabytes(texts)
    report: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "corpus": corpus.name,
        "text_mb": round(mb, 2),
        "articles": len(texts),
        "runs": runs,
    }
    scans = [reference_scan(texts) for _ in range(runs)]
    scan_cpu = statistics.median(s["cpu_seconds"] for s in scans)
    report["reference_scan"] = {
        "pattern_stems": len(prefilter.TRIGGER_STEMS),
        "cpu_seconds": round(scan_cpu, 3),
        "mb_per_cpu_s": round(mb / scan_cpu, 2),
    }
    for workers in (1, 2):
        results = [measure(raw, work / f"out{workers}", workers) for _ in range(runs)]
        report[f"workers_{workers}"] = _medians(results, mb)
    one = report["workers_1"]
    report["ratio_to_reference"] = round(one["mb_per_cpu_s"] / report["reference_scan"]["mb_per_cpu_s"], 3)
    _compare_workers(report, one, report["workers_2"])
    if validation_time:
        timed = _fresh_process(["--validate", str(work / "out1")])
        report["validation_seconds"] = round(timed["seconds"], 2)
        report["validation_cpu_seconds"] = round(timed["cpu_seconds"], 2)
    if large_mb > 0:
        large = repeat_corpus(source, large_mb, work / "large")
        large_text_mb = mb * large.stat().st_size / source.stat().st_size
        report["large"] = {"file_mb": round(large.stat().st_size / 1e6), "text_mb": round(large_text_mb)}
        for workers in (1, 2):
            result = measure(large.parent, work / "out-large", workers)
            report["large"][f"workers_{workers}"] = _medians([result], large_text_mb)
        _compare_workers(report["large"], report["large"]["workers_1"], report["large"]["workers_2"])
        shutil.rmtree(work / "large")
        shutil.rmtree(work / "out-large", ignore_errors=True)
    if reference_mb > 0:
        reference = quantulum_reference(texts, reference_mb)
        if reference:
            report["quantulum3"] = {k: round(v, 4) for k, v in reference.items()}
            report["times_faster_than_quantulum3"] = round(one["mb_per_cpu_s"] / reference["mb_per_cpu_s"], 1)
    splits = [_fresh_process(["--stages", str(raw), str(work / "out-stages")]) for _ in range(runs)]
    report["stages"] = {
        kind: {stage: round(statistics.median(s[kind][stage] for s in splits), 3) for stage in STAGES}
        for kind in ("wall_seconds", "cpu_seconds")
    }
    total = sum(report["stages"]["cpu_seconds"].values())
    report["stages"]["cpu_share"] = {
        stage: round(seconds / total, 3) for stage, seconds in report["stages"]["cpu_seconds"].items()
    }
    return report


def _run_line(name: str, r: dict) -> str:
    return (
        f"{name}: wall {r['wall_seconds']} s (runs {r['wall_runs']}), CPU {r['cpu_seconds']} s "
        f"(runs {r['cpu_runs']}); {r['mb_per_cpu_s']} MB/s per core by CPU, {r['mb_per_wall_s']} MB/s "
        f"by wall; {r['cores_busy']} cores busy; peak memory {r['peak_mb']} MB (all processes)"
    )


def summary(report: dict) -> str:
    scan = report["reference_scan"]
    lines = [
        f"machine: {report['machine']}, load average {report['load_average']}",
        f"corpus: {report['corpus']}, {report['text_mb']} MB of text, {report['articles']} articles; "
        f"medians of {report['runs']} run(s)",
        f"reference: one case-insensitive `re` scan for the first pass's {scan['pattern_stems']} trigger "
        f"stems: {scan['cpu_seconds']} CPU s, {scan['mb_per_cpu_s']} MB/s per core",
        _run_line("1 worker ", report["workers_1"]),
        _run_line("2 workers", report["workers_2"]),
        f"end to end, 1 worker, per core by CPU: {report['ratio_to_reference']} of the reference scan's "
        f"speed (target >= {TARGET_RATIO})",
        f"2 workers against 1: {report['speedup_wall_1_to_2']}x by wall time; MB per CPU second "
        f"{report['cpu_throughput_ratio_2_to_1']} of one worker's, so "
        f"{report['cpu_bound_speedup_1_to_2']}x on two idle cores",
    ]
    if "validation_seconds" in report:
        lines.append(
            f"validation: {report['validation_seconds']} s wall, {report['validation_cpu_seconds']} CPU s, "
            f"imports included (not part of the figures above)"
        )
    if "large" in report:
        large = report["large"]
        lines.append(f"large corpus: {large['file_mb']} MB file, {large['text_mb']} MB of text")
        lines.append(_run_line("  1 worker ", large["workers_1"]))
        lines.append(_run_line("  2 workers", large["workers_2"]))
        lines.append(
            f"  2 workers against 1: {large['speedup_wall_1_to_2']}x by wall time; CPU-bound throughput "
            f"ratio {large['cpu_throughput_ratio_2_to_1']}, {large['cpu_bound_speedup_1_to_2']}x on two "
            f"idle cores"
        )
    if "quantulum3" in report:
        q = report["quantulum3"]
        lines.append(
            f"quantulum3 on the first {q['mb']} MB: {q['mb_per_cpu_s']} MB/s per core; ours is "
            f"{report['times_faster_than_quantulum3']}x faster"
        )
    if "stages" in report:
        split = report["stages"]
        parts = ", ".join(
            f"{stage.replace('_', ' ')} {split['cpu_seconds'][stage]} s ({split['cpu_share'][stage]:.0%})"
            for stage in split["cpu_seconds"]
        )
        lines.append(f"one worker by stage, CPU seconds and share (first pass is part of extract): {parts}")
        walls = ", ".join(f"{stage.replace('_', ' ')} {s} s" for stage, s in split["wall_seconds"].items())
        lines.append(f"  wall seconds: {walls}")
        lines.append(
            f"  incidents: {split['cpu_share']['incidents']:.0%} of the run "
            f"(target under {TARGET_INCIDENTS_SHARE:.0%})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        print(json.dumps(child(Path(argv[1]), Path(argv[2]), int(argv[3]))))
        return 0
    if argv[:1] == ["--validate"]:
        print(json.dumps(validation(Path(argv[1]))))
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
    parser.add_argument(
        "--reference-mb", type=float, default=1.0, help="text given to quantulum3; 0 skips it"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a minute's check: the first 300 articles, one run, no large corpus, no quantulum3",
    )
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_file():
        print(f"error: benchmark corpus {corpus} does not exist", file=sys.stderr)
        return 2
    work = Path(args.work)
    if args.quick:
        report = run(corpus, work, 1, 0, 0, articles=300)
    else:
        report = run(corpus, work, args.runs, args.large_mb, args.reference_mb)
    from .load import write_json

    write_json(work / "bench.json", report)
    print(summary(report))
    print(f"\nwrote {work / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
