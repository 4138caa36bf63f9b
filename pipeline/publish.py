"""publish: a run's outputs become visible all at once, and are checked before they are trusted.

The output folder holds each published run whole in a folder of its own, and one pointer
to the one that is published:

    OUT/.versions/<id>/          every file one run produced (tables, reports, manifest.json)
    OUT/.current -> .versions/<id>  replaced by a single rename: readers see one run or the next
    OUT/statements.parquet -> .current/statements.parquet   (one such link per published file)
    OUT/.staging/                the run being built
    OUT/.commit                  the journal of a publish under way

So `OUT/statements.parquet` and `OUT/documents.parquet` are always of the same run: a
reader who opens both through `.current` resolved once (os.path.realpath) has a pair that
no publish can split. A run killed before the pointer moves leaves the last table published
and a journal the next run finishes, after checking the staged files against their manifest.
The manifest records each output's size, sha256 and row count: a table that is missing,
truncated, changed or unreadable fails the check, and is rebuilt rather than reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from .load import write_json
from .refresh import fault_point

VERSIONS = ".versions"
CURRENT = ".current"
JOURNAL = ".commit"
STAGING = ".staging"
MANIFEST = "manifest.json"
# Drawn from the checked tables and redrawn in place by `pipeline report`: not in the manifest.
REDRAWN = "report/"


def staging_dir(out: Path) -> Path:
    return out / STAGING


def current(out: Path) -> Path | None:
    """The published version's folder, or None when nothing is published in this layout."""
    pointer = out / CURRENT
    if not pointer.is_symlink():
        return None
    target = out / os.readlink(pointer)
    return target if target.is_dir() else None


# --- what a version holds ------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def describe(folder: Path) -> dict[str, dict]:
    """Size, sha256 and (for a table) row count of every file in a folder but the manifest."""
    outputs = {}
    for path in _files(folder):
        name = path.relative_to(folder).as_posix()
        if name == MANIFEST or name.startswith(REDRAWN):
            continue
        entry = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        if path.suffix == ".parquet":
            entry["rows"] = pq.ParquetFile(path).metadata.num_rows
        outputs[name] = entry
    return outputs


def read_manifest(folder: Path) -> dict:
    """The manifest of a version; ValueError naming the file when it cannot be used."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path} is missing") from None
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} is unreadable ({str(error).splitlines()[0][:80]})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs"), dict):
        raise ValueError(f"{path} records no outputs to check")
    return manifest


def check(folder: Path, manifest: dict) -> str | None:
    """Why the files of a version do not match its manifest (one line), or None."""
    for name, expected in manifest["outputs"].items():
        path = folder / name
        try:
            if path.is_symlink() or not path.is_file():
                return f"{path} is missing"
            if path.stat().st_size != expected.get("bytes"):
                return f"{path} has {path.stat().st_size} bytes, not the {expected.get('bytes')} recorded"
            if _sha256(path) != expected.get("sha256"):
                return f"{path} does not match the hash recorded in {folder / MANIFEST}"
            if "rows" in expected and pq.ParquetFile(path).metadata.num_rows != expected["rows"]:
                return f"{path} does not hold the {expected['rows']} rows recorded"
        except Exception as error:  # an unreadable table is a failed check, whatever the error
            return f"{path} is unreadable ({type(error).__name__}: {str(error)[:80]})"
    return None


def check_published(out: Path) -> tuple[dict | None, str | None]:
    """(manifest, None) when the published outputs pass their check; (None, why not) when
    they do not; (None, None) when nothing has been published."""
    folder = current(out)
    if folder is None:
        if (out / "statements.parquet").exists() or (out / MANIFEST).exists():
            return None, f"the outputs in {out} have no checked manifest (an older layout)"
        return None, None
    try:
        manifest = read_manifest(folder)
    except ValueError as error:
        return None, str(error)
    problem = check(folder, manifest)
    if problem:
        return None, problem
    restored = link_names(out, folder)
    if restored:
        print(f"note: restored the missing link(s) {', '.join(restored)} in {out}", file=sys.stderr)
    return manifest, None


def published_rows(out: Path, table: str = "statements.parquet") -> int | None:
    """How many rows the published table has, by its manifest or else by the table itself:
    the baseline a new table is compared with before it may replace it."""
    folder = current(out)
    if folder is not None:
        try:
            rows = read_manifest(folder)["outputs"].get(table, {}).get("rows")
            if isinstance(rows, int):
                return rows
        except ValueError:
            pass
    try:
        return pq.ParquetFile(out / table).metadata.num_rows
    except Exception:  # no readable table: no baseline
        return None


def seal(staging: Path, manifest: dict) -> None:
    """Write the manifest of a staged run: its inputs and a description of every output."""
    write_json(staging / MANIFEST, {**manifest, "outputs": describe(staging)})


# --- putting a version in place ------------------------------------------------------------


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if not path.is_symlink():
            _fsync(path)
    _fsync(folder)


def _symlink(target: str, link: Path) -> None:
    """Make `link` point at `target` in one rename (a real file there is replaced)."""
    tmp = link.with_name(f".{link.name}.link")
    if os.path.lexists(tmp):
        tmp.unlink()
    os.symlink(target, tmp)
    if link.is_dir() and not link.is_symlink():  # a folder of the older layout
        shutil.rmtree(link)
    os.replace(tmp, link)


def link_names(out: Path, version: Path) -> list[str]:
    """OUT/NAME -> .current/NAME for each file and folder of the version (creating the missing
    links), and no link left to a name the version does not have. Returns the names linked."""
    made = []
    for entry in sorted(version.iterdir()):
        link = out / entry.name
        target = f"{CURRENT}/{entry.name}"
        if not (link.is_symlink() and os.readlink(link) == target):
            _symlink(target, link)
            made.append(entry.name)
    for link in out.iterdir():
        if (
            link.is_symlink()
            and os.readlink(link) == f"{CURRENT}/{link.name}"
            and not os.path.lexists(version / link.name)
        ):
            link.unlink()
    return made


def _put_in_place(out: Path, version: Path) -> None:
    _symlink(f"{VERSIONS}/{version.name}", out / CURRENT)
    _fsync(out)
    fault_point("half-committed")
    link_names(out, version)
    (out / JOURNAL).unlink(missing_ok=True)
    _fsync(out)
    _remove_unpublished(out)


def _remove_unpublished(out: Path) -> bool:
    """Remove the staging folder and every version that is not the published one."""
    published = current(out)
    removed = False
    for folder in [staging_dir(out), *sorted((out / VERSIONS).glob("*"))]:
        if folder.exists() and folder != published:
            shutil.rmtree(folder, ignore_errors=True)
            removed = True
    return removed


def publish(out: Path) -> None:
    """Make the staged run the published one, all at once: its folder becomes a version,
    a journal names it, and the pointer moves to it in one rename."""
    staging = staging_dir(out)
    version = out / VERSIONS / f"v{time.time_ns()}"
    _fsync_tree(staging)
    version.parent.mkdir(exist_ok=True)
    os.replace(staging, version)
    _fsync(version.parent)
    write_json(out / JOURNAL, {"version": version.name})
    _fsync(out)
    fault_point("committing")
    _put_in_place(out, version)


def recover(out: Path) -> str | None:
    """Finish a publish a killed run left under way (once its files pass their check), or
    throw away what it had only staged. Returns one line saying what was done, or None."""
    journal = out / JOURNAL
    if os.path.lexists(journal):
        try:
            name = json.loads(journal.read_text(encoding="utf-8"))["version"]
            if not isinstance(name, str) or "/" in name or name in ("", ".", ".."):
                raise ValueError(f"no version folder named in it: {name!r}")
        except (OSError, ValueError, KeyError, TypeError) as error:
            journal.unlink()
            _remove_unpublished(out)
            return (
                f"discarded the unreadable journal {journal} ({str(error).splitlines()[0][:80]}); "
                f"the last complete table stays published"
            )
        version = out / VERSIONS / name
        try:
            problem = check(version, read_manifest(version)) if version.is_dir() else f"{version} is missing"
        except ValueError as error:
            problem = str(error)
        if problem is None:
            _put_in_place(out, version)
            return "finished the commit of an interrupted run"
        journal.unlink()
        _remove_unpublished(out)
        return (
            f"discarded an interrupted run's staged table: {problem}; the last complete table stays published"
        )
    if _remove_unpublished(out):
        return "discarded the staged outputs of an interrupted run"
    return None
