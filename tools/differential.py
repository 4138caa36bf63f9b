"""Differential check: the figures of this checkout against those of another commit.

Speed work must not change what is extracted. This runs extraction and normalisation over
every corpus in ../shared (corpora/*.jsonl except the gold answers, gold/dev, seeds) once with
the code of a base commit and once with the code of this checkout, each in its own process,
and compares every column of every statement, and every document's status and reason. Only
`extractor_version` may differ: it is a hash of the grammar code.

    python tools/differential.py                 # against HEAD
    python tools/differential.py --base 4ee4f88  # against any commit
    python tools/differential.py --base 4ee4f88 --added rules  # a statement column new since

It prints one line per corpus (documents, statements, differences, CPU seconds of each side)
and exits 1 if anything differs, printing the first differences.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# Fixed, so a published date is judged in the future or not the same way on every run.
TODAY = dt.date(2026, 11, 23)
IGNORED = {"extractor_version"}


def corpora(scratch: Path) -> dict[str, Path]:
    """Raw folders, one per corpus: each JSON Lines corpus copied into a folder of its own
    (the reader takes folders and skips symbolic links)."""
    folders = {}
    for path in sorted((SHARED / "corpora").glob("*.jsonl")):
        if path.name.endswith(".gold.jsonl"):
            continue
        folder = scratch / "raw" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / path.name)
        folders[path.stem] = folder
    folders["gold-dev"] = SHARED / "gold" / "dev"
    folders["seeds"] = SHARED / "seeds"
    return folders


def snapshot(raw: Path, out: Path) -> None:
    """Every statement and document outcome of one raw folder, as JSON lines, with the code
    on sys.path; the last line holds the CPU seconds the extraction took."""
    from pipeline.build import extract_document
    from pipeline.ingest import read_raw

    docs = list(read_raw(raw, TODAY))
    start = _cpu_seconds()
    with out.open("w", encoding="utf-8") as lines:
        for doc in docs:
            doc, rows = extract_document(doc)
            lines.write(
                json.dumps({"doc": doc.doc_id, "status": doc.status, "reason": doc.reason}, sort_keys=True)
                + "\n"
            )
            for row in rows:
                kept = {k: v for k, v in row.items() if k not in IGNORED}
                lines.write(json.dumps(kept, sort_keys=True, default=repr) + "\n")
        lines.write(json.dumps({"cpu_seconds": _cpu_seconds() - start}) + "\n")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_snapshot(code: Path, raw: Path, out: Path) -> float:
    # A fixed hash seed, so that code still depending on set order cannot pass for a change.
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--snapshot", str(raw), str(out)],
        env=env,
        cwd=code,
        check=True,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    return json.loads(lines.pop())["cpu_seconds"]


def checkout(base: str, dest: Path) -> Path:
    """The pipeline package of a commit, unpacked into dest (the worktree is not touched)."""
    archive = dest / "base.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), base, "pipeline"], check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(dest / "base", filter="data")
    return dest / "base"


def compare(corpus: str, base: Path, new: Path, added: tuple[str, ...] = ()) -> list[str]:
    """Line by line. A column named in `added` is taken out of each new statement before it is
    compared (every other column still has to match); a new statement without it differs."""
    old_lines = base.read_text(encoding="utf-8").splitlines()[:-1]
    new_lines = [_without(line, added) for line in new.read_text(encoding="utf-8").splitlines()[:-1]]
    differences = []
    for i in range(max(len(old_lines), len(new_lines))):
        a = old_lines[i] if i < len(old_lines) else None
        b = new_lines[i] if i < len(new_lines) else None
        if a != b:
            differences.append(f"{corpus} line {i + 1}:\n  base: {a}\n  new:  {b}")
    return differences


def _without(line: str, added: tuple[str, ...]) -> str:
    record = json.loads(line)
    if not added or "doc" in record:
        return line
    missing = [column for column in added if column not in record]
    if missing:
        return line + f"  (lacks the added column(s) {', '.join(missing)})"
    return json.dumps({k: v for k, v in record.items() if k not in added}, sort_keys=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--snapshot"]:
        snapshot(Path(argv[1]), Path(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="commit to compare against (default HEAD)")
    parser.add_argument("--only", nargs="*", help="corpus names to check (default all)")
    parser.add_argument("--added", nargs="*", default=[], help="statement columns new since the base")
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        base_code = checkout(args.base, scratch)
        total = [0.0, 0.0]
        for corpus, raw in corpora(scratch).items():
            if args.only and corpus not in args.only:
                continue
            old, new = scratch / f"{corpus}.base.jsonl", scratch / f"{corpus}.new.jsonl"
            old_cpu = run_snapshot(base_code, raw, old)
            new_cpu = run_snapshot(ROOT, raw, new)
            total[0] += old_cpu
            total[1] += new_cpu
            differences = compare(corpus, old, new, tuple(args.added))
            records = [json.loads(line) for line in new.read_text(encoding="utf-8").splitlines()[:-1]]
            documents = sum("doc" in r for r in records)
            print(
                f"{corpus}: {documents} documents, {len(records) - documents} statements, "
                f"{len(differences)} differences; extraction CPU {old_cpu:.2f} s base, {new_cpu:.2f} s new"
            )
            for line in differences[:5]:
                print(line)
            failed = failed or bool(differences)
        print(
            f"all corpora: {'DIFFERENT' if failed else 'identical'}; extraction CPU "
            f"{total[0]:.2f} s base, {total[1]:.2f} s new"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
