"""evaluate: run the pipeline on the real material in ../shared and score it.

Figure by figure (eval/score.py) on the seed articles and the dev articles written by hand,
and per article (eval/doclevel.py) on the dev halves of the coded corpora. Prints one
table, writes the numbers to evaluation.json and every miss and extra to
evaluation-errors.txt, so the next change to the grammar starts from the errors.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path, PurePath

import pyarrow.parquet as pq

from .cli import main as pipeline_main
from .load import write_json

# name, where its articles are, the gold file, the scorer
FIGURE_SETS = (("seeds", "seeds", "gold/seeds.jsonl"), ("dev", "gold/dev", "gold/dev.jsonl"))
CORPORA = ("fakes", "isaf", "wiki-terror", "airwars", "gvdb", "acled")
# name, the corpus, its incident gold (scored by eval/incidents.py)
INCIDENT_SETS = (("gva-incidents", "gva-news.jsonl", "gva-incidents-dev.jsonl"),)
TARGETS = {
    "seeds": {"f1": 1.00},
    "dev": {"f1": 0.93, "claimant": 0.88, "date_start": 0.90, "date_end": 0.90, "qualifier": 0.95},
    "fakes": {"killed": 0.92},
    "isaf": {"captured": 0.70, "killed": 0.80},
    "wiki-terror": {"killed": 0.75, "injured": 0.70},
    "airwars": {"killed": 0.88, "injured": 0.88},
    "gvdb": {"killed": 0.70, "injured": 0.60},
    "acled": {"killed": 0.70},
    "gva-incidents": {"bcubed_f1": 0.90, "killed_exact": 0.85, "injured_exact": 0.75},
}


def _build(raw: Path, out: Path, workers: int) -> Path:
    # (--allow-shrink: a grammar that finds fewer figures must be scored, not refused)
    code = pipeline_main(
        [
            "run",
            "--raw",
            str(raw),
            "--out",
            str(out),
            "--quiet",
            "--full",
            "--allow-shrink",
            "--workers",
            str(workers),
        ]
    )
    if code not in (0, 1):
        raise SystemExit(f"error: the pipeline failed on {raw} (exit {code})")
    return out / "statements.parquet"


def _scorer(shared: Path, name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(shared / "eval" / name), *args], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"error: {name} failed: {result.stderr.strip().splitlines()[-1:]}")
    return result.stdout


def _copy(files: list[Path], raw: Path) -> None:
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    for f in files:
        shutil.copy2(f, raw / f.name)


def run(shared: Path, out: Path, workers: int = 2) -> dict:
    work = out / "evaluation"
    results: dict = {}
    errors: list[str] = []
    for name, articles, gold in FIGURE_SETS:
        if not (shared / gold).exists():
            continue
        _copy(sorted((shared / articles).iterdir()), work / name / "raw")
        table = _build(work / name / "raw", work / name / "out", workers)
        scores = work / name / "score.json"
        shown = _scorer(
            shared, "score.py", str(shared / gold), str(table), "--json", str(scores), "--show-errors"
        )
        errors += [f"## {name}"] + with_rules(shown.strip().splitlines(), table) + [""]
        results[name] = json.loads(scores.read_text(encoding="utf-8"))
    for name in CORPORA:
        corpus = shared / "corpora" / f"{name}-dev.jsonl"
        doc_gold = shared / "corpora" / f"{name}-dev.gold.jsonl"
        if not corpus.exists():
            continue
        _copy([corpus], work / name / "raw")
        table = _build(work / name / "raw", work / name / "out", workers)
        scores = work / name / "doclevel.json"
        _scorer(shared, "doclevel.py", str(doc_gold), str(table), "--json", str(scores))
        results[name] = json.loads(scores.read_text(encoding="utf-8"))
    results.update(_incidents(shared, work, workers))
    write_json(out / "evaluation.json", results)
    (out / "evaluation-errors.txt").write_text("\n".join(errors), encoding="utf-8")
    return results


# The scorer's lines for a predicted figure: "EXTRA   doc: killed 12 «quote»" and
# "WRONG claimant  doc: killed 12: want 'X', got 'Y'".
SCORED_FIGURE = re.compile(r"^(?:EXTRA|WRONG \S+)\s+(?P<doc>[^:\s]+): (?P<category>\S+) (?P<count>-?\d+)\b")


def with_rules(lines: list[str], table: Path) -> list[str]:
    """The scorer's error lines, each extra or wrong figure followed by the rules that decided
    it (the statements' `rules`), so an error leads to its rule."""
    rules: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in pq.read_table(table, columns=["source_path", "category", "count", "rules"]).to_pylist():
        doc = PurePath(str(row["source_path"])).name.rsplit(".", 1)[0]
        rules[doc, str(row["category"]), str(row["count"])].add(row["rules"])
    shown = []
    for line in lines:
        match = SCORED_FIGURE.match(line)
        found = rules.get((match["doc"], match["category"], match["count"])) if match else None
        shown.append(f"{line}  [{' | '.join(sorted(found))}]" if found else line)
    return shown


def _incidents(shared: Path, work: Path, workers: int) -> dict:
    """Grouping and tolls of the incidents built from a corpus, against its incident gold."""
    results = {}
    for name, corpus_name, gold_name in INCIDENT_SETS:
        corpus, gold = shared / "corpora" / corpus_name, shared / "corpora" / gold_name
        if not (corpus.exists() and gold.exists()):
            continue
        _copy([corpus], work / name / "raw")
        table = _build(work / name / "raw", work / name / "out", workers)
        scores = work / name / "incidents.json"
        _scorer(shared, "incidents.py", str(gold), str(table.parent), "--json", str(scores))
        result = json.loads(scores.read_text(encoding="utf-8"))
        results[name] = {
            f"{group}_{measure}": value
            for group in ("bcubed", "pairwise", "killed", "injured")
            for measure, value in result[group].items()
        }
    return results


def table(results: dict) -> str:
    """One table: a line per set and measure, with the target and whether it is met."""
    lines = [f"{'set':<12} {'measure':<14} {'value':>7} {'target':>7}  detail"]
    for name, result in results.items():
        targets = TARGETS.get(name, {})
        if "bcubed_f1" in result:
            measures, detail = result, {}
        elif "f1" in result:
            measures = {k: result[k] for k in ("precision", "recall", "f1")}
            measures.update({k: v for k, v in result["attributes"].items() if v is not None})
            detail = {"f1": f"tp={result['tp']} fp={result['fp']} fn={result['fn']}"}
        else:
            measures = {k: v["hit_rate"] for k, v in result.items()}
            detail = {k: f"{v['hits']}/{v['articles']} articles" for k, v in result.items()}
        for measure, value in measures.items():
            target = targets.get(measure)
            mark = "" if target is None else ("ok" if value >= target else "below")
            lines.append(
                f"{name:<12} {measure:<14} {value:>7.3f} "
                f"{'' if target is None else f'{target:.2f}':>7}  {mark} {detail.get(measure, '')}".rstrip()
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from . import paths

    parser = argparse.ArgumentParser(
        prog="python -m pipeline.evaluate",
        description=__doc__.splitlines()[0],
        epilog="example: python -m pipeline.evaluate --out data/processed",
    )
    parser.add_argument("--shared", default=str(paths.SHARED), help="the shared folder (default: ../shared)")
    parser.add_argument("--out", default=str(paths.default_out()), help="output folder")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "eval" / "score.py").exists():
        print(f"error: {shared} holds no eval/score.py", file=sys.stderr)
        return 2
    results = run(shared, Path(args.out), args.workers)
    print(table(results))
    print(f"\nwrote {Path(args.out) / 'evaluation.json'} and {Path(args.out) / 'evaluation-errors.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
