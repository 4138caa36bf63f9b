"""Worst time of any one article of 100 KB or less: hostile texts built to be slow, and the
largest real articles in ../shared, each timed through extraction (grammar and rows).

    PYTHONPATH=. .venv/bin/python tools/article_times.py [--sizes 25,50,100] [--real 20]

Each article goes through `build.extract_document`, as in a run, with its time budget; the
CPU seconds (this process) and wall seconds of each are printed, worst first, with whether
the budget ran out. An article of 100 KB or less must take under LIMIT_SECONDS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import build, ingest  # noqa: E402 (after the path is set)

SHARED = ROOT.parent / "shared"
LIMIT_SECONDS = 2.0
MAX_BYTES = 100_000
PUBLISHED = dt.date(2024, 3, 15)

NAMES = ["Ahmed Hassan", "Maria Lopez", "John O'Neill", "Li Wei", "Fatima Al-Sayed", "Ivan Petrov"]
PLACES = ["Aleppo", "Mosul", "Kabul", "Gaza City", "Donetsk", "Mogadishu"]


def _fill(unit: Callable[[int], str], size: int, joiner: str = "") -> str:
    """unit(0) + joiner + unit(1) + ... up to size bytes of UTF-8."""
    parts, length, i = [], 0, 0
    while length < size:
        part = unit(i) + joiner
        parts.append(part)
        length += len(part.encode("utf-8"))
        i += 1
    return "".join(parts)[:size]


# Each builds a text of about `size` bytes meant to find a slow path in the grammar.
HOSTILE: dict[str, Callable[[int], str]] = {
    # a list of tolls, one a line, as a wire service's running list
    "killed-lines": lambda size: _fill(lambda i: f"{i % 9 + 1} killed", size, "\n"),
    "dated-killed-lines": lambda size: _fill(
        lambda i: f"March {i % 28 + 1}: {i % 9 + 2} killed, {i % 7 + 1} wounded in {PLACES[i % 6]}",
        size,
        "\n",
    ),
    # one sentence that never ends
    "no-full-stop": lambda size: _fill(
        lambda i: f"{i % 50 + 2} people were killed and {i % 30 + 1} wounded in {PLACES[i % 6]}", size, ", "
    ),
    "no-full-stop-no-comma": lambda size: _fill(
        lambda i: f"at least {i % 50 + 2} people killed {i % 30 + 1} injured", size, " and "
    ),
    "many-numbers": lambda size: (
        "Those killed numbered " + _fill(lambda i: f"{i * 37 % 1000}", size, ", ") + " people."
    ),
    "many-number-words": lambda size: (
        _fill(
            lambda i: ["three", "dozens of", "hundreds", "twenty-one", "a few", "scores of"][i % 6],
            size,
            " and ",
        )
        + " were killed."
    ),
    "many-names": lambda size: _fill(lambda i: f"{NAMES[i % 6]} {i}", size, ", ") + " were killed.",
    "named-killed-sentences": lambda size: _fill(lambda i: f"{NAMES[i % 6]} was killed", size, ". "),
    "nested-parentheses": lambda size: "(" * (size // 2 - 10) + "5 killed" + ")" * (size // 2 - 10),
    "parenthesised-tolls": lambda size: _fill(lambda i: f"({i % 9 + 1} killed (including {i % 3 + 1}", size),
    "including-chain": lambda size: (
        "At least 500 people were killed, "
        + _fill(lambda i: f"including {400 - i % 400} {['children', 'women', 'men'][i % 3]}", size, ", ")
        + "."
    ),
    "of-them-chain": lambda size: _fill(
        lambda i: f"{i % 90 + 10} of them {['children', 'women'][i % 2]}", size, ", "
    ),
    "toll-chain": lambda size: _fill(lambda i: f"the death toll rose to {i + 3}", size, " and "),
    "according-to-chain": lambda size: (
        "12 people were killed " + _fill(lambda i: f"according to {NAMES[i % 6]} who said", size, " ") + "."
    ),
    "date-chain": lambda size: (
        "Since "
        + _fill(
            lambda i: f"{['Monday', 'January 3', 'last week', 'Friday night'][i % 4]}", size, " and since "
        )
        + " 40 were killed."
    ),
    "trigger-words-only": lambda size: _fill(
        lambda i: ["killed", "wounded", "dead", "toll"][i % 4], size, " "
    ),
    "digits-and-triggers": lambda size: _fill(lambda i: f"{i}killed{i}", size, " "),
    "hyphens-and-ranges": lambda size: _fill(lambda i: f"{i}-{i + 5} killed", size, " to "),
    "quotes": lambda size: _fill(lambda i: f'"{i % 9 + 1} killed," he said, "and', size, " "),
    "one-paragraph-of-sentences": lambda size: _fill(
        lambda i: f"On {['Monday', 'Tuesday'][i % 2]} {i % 9 + 1} soldiers were killed in {PLACES[i % 6]}",
        size,
        ". ",
    ),
}


def hostile(sizes_kb: list[int]) -> Iterator[tuple[str, str]]:
    for name, build_text in HOSTILE.items():
        for kb in sizes_kb:
            yield f"hostile/{name}@{kb}KB", build_text(kb * 1000)


def real(count: int) -> list[tuple[str, str]]:
    """The `count` largest real articles of 100 KB or less in ../shared."""
    found: list[tuple[int, str, str]] = []
    for path in sorted((SHARED / "corpora").glob("*.jsonl")):
        if path.name.endswith(".gold.jsonl"):
            continue
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                text = json.loads(line).get("text") or ""
                found.append((len(text.encode("utf-8")), f"{path.name}:{number}", text))
    for folder in (SHARED / "gold" / "dev", SHARED / "seeds"):
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            found.append((len(text.encode("utf-8")), path.relative_to(SHARED).as_posix(), text))
    found = [item for item in found if item[0] <= MAX_BYTES]
    found.sort(key=lambda item: -item[0])
    return [(name, text) for _, name, text in found[:count]]


def time_one(name: str, text: str) -> dict:
    text = ingest.normalize_text(text)
    doc = ingest.Document(doc_id="t", source_path=name, text=text, published_date=PUBLISHED)
    cpu, wall = time.process_time(), time.perf_counter()
    doc, rows = build.extract_document(doc)
    return {
        "article": name,
        "bytes": len(text.encode("utf-8")),
        "cpu_seconds": time.process_time() - cpu,
        "wall_seconds": time.perf_counter() - wall,
        "figures": len(rows),
        "status": doc.status,
        "budget_ran_out": "time budget" in (doc.reason or ""),
    }


def measure(sizes_kb: list[int], real_count: int) -> list[dict]:
    articles = [*hostile(sizes_kb), *real(real_count)]
    results = [time_one(name, text) for name, text in articles]
    return sorted(results, key=lambda r: -r["cpu_seconds"])


def summary(results: list[dict], show: int = 12) -> list[str]:
    lines = [
        f"{r['cpu_seconds']:6.2f} s CPU {r['wall_seconds']:6.2f} s wall  {r['bytes'] / 1000:6.1f} KB  "
        f"{r['figures']:5d} figures  {'budget ran out  ' if r['budget_ran_out'] else ''}{r['article']}"
        for r in results[:show]
    ]
    worst = results[0]
    hostile_count = sum(r["article"].startswith("hostile/") for r in results)
    lines.append(
        f"worst of {len(results)} articles of 100 KB or less ({hostile_count} hostile, "
        f"{len(results) - hostile_count} real): {worst['cpu_seconds']:.2f} s CPU, "
        f"{max(r['wall_seconds'] for r in results):.2f} s wall at most ({worst['article']}); "
        f"{sum(r['budget_ran_out'] for r in results)} ran out of their budget; limit {LIMIT_SECONDS} s"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,50,100", help="sizes of the hostile texts, in KB")
    parser.add_argument("--real", type=int, default=20, help="how many of the largest real articles")
    parser.add_argument("--show", type=int, default=12, help="how many of the slowest to list")
    args = parser.parse_args()
    results = measure([int(kb) for kb in args.sizes.split(",")], args.real)
    print("\n".join(summary(results, args.show)))
    return 1 if results[0]["cpu_seconds"] >= LIMIT_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
