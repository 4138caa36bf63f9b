"""What a release promises a user: readable files, valid metadata, a version everywhere."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import __version__, load, paths, schema

from .conftest import run_command

ROOT = Path(__file__).resolve().parent.parent
OTHER_USER = "nobody"


def _other_user_exists() -> bool:
    try:
        pwd.getpwnam(OTHER_USER)
    except KeyError:
        return False
    return shutil.which("runuser") is not None and os.geteuid() == 0


@pytest.fixture
def open_folder():
    """A folder another user may enter (pytest's tmp_path is 0700 all the way up)."""
    folder = Path(tempfile.mkdtemp(prefix="casualty-release-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(
    not _other_user_exists(), reason=f"needs root, runuser and a user named {OTHER_USER} to read as"
)
def test_outputs_are_readable_by_another_user(open_folder):
    raw = open_folder / "raw"
    raw.mkdir()
    for name in ("fakes-1914947537.txt", "fakes-1914947537.meta.json"):
        shutil.copy(paths.SHARED / "gold" / "dev" / name, raw / name)
    out = open_folder / "out"
    result = subprocess.run(
        run_command(raw, out, workers=1),
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stderr
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert {
        "statements.parquet",
        "documents.parquet",
        "datapackage.json",
        "changes.json",
        "manifest.json",
        "validation.json",
    } <= {p.name for p in files}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
        as_other = subprocess.run(["runuser", "-u", OTHER_USER, "--", "cat", str(path)], capture_output=True)
        assert as_other.returncode == 0, f"{path}: {as_other.stderr.decode()}"
        assert as_other.stdout == path.read_bytes()


def test_written_files_follow_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        load.write_json(tmp_path / "a.json", {"a": 1})
        with load.AtomicParquetWriter(tmp_path / "t.parquet", schema.DOCUMENTS_SCHEMA) as writer:
            writer.write([])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "t.parquet").stat().st_mode) == 0o640


def test_datapackage_validates_with_frictionless(seeds_run):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(seeds_run / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]


def test_frictionless_catches_a_statement_whose_document_is_missing(seeds_run, tmp_path):
    """The foreign key is really checked: a doc_id with no document fails the package."""
    frictionless = pytest.importorskip("frictionless")
    for name in ("statements.parquet", "documents.parquet", "incidents.parquet", "datapackage.json"):
        shutil.copy(seeds_run / name, tmp_path / name)
    documents = pq.read_table(tmp_path / "documents.parquet")
    pq.write_table(documents.slice(1), tmp_path / "documents.parquet")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {kind for (kind,) in report.flatten(["type"])}


def test_datapackage_carries_what_a_published_dataset_does(seeds_run):
    package = json.loads((seeds_run / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("name", "title", "version", "created", "licenses", "sources", "resources"):
        assert package.get(key), key
    assert package["version"] == __version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", package["created"])
    assert {lic["name"] for lic in package["licenses"]} == {"CC-BY-4.0", "MIT"}
    documents = pq.read_table(seeds_run / "documents.parquet").to_pylist()
    publishers = {d["publisher"] for d in documents}
    assert {s["title"] for s in package["sources"]} == publishers
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["statements"]["schema"]["primaryKey"] == ["statement_id"]
    assert resources["documents"]["schema"]["primaryKey"] == ["doc_id"]
    assert {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}} in resources[
        "statements"
    ]["schema"]["foreignKeys"]


def test_every_declared_key_names_real_columns_and_tables():
    tables = {t.name: t for t in schema.TABLES}
    for table in schema.TABLES:
        names = {c.name for c in table.columns}
        assert set(table.primary_key) <= names, table.name
        for key in table.foreign_keys:
            assert key.column in names, (table.name, key)
            assert key.key in {c.name for c in tables[key.table].columns}, (table.name, key)


def test_every_table_carries_the_version(seeds_run):
    for table in schema.TABLES:
        metadata = pq.read_schema(seeds_run / f"{table.name}.parquet").metadata
        assert metadata[load.VERSION_KEY].decode() == __version__
    assert json.loads((seeds_run / "changes.json").read_text())["version"] == __version__
    assert json.loads((seeds_run / "manifest.json").read_text())["extractor_version"].startswith(__version__)


def test_readme_pandas_snippet_gives_nullable_integers_and_dates(seeds_run):
    readme = paths.README.read_text(encoding="utf-8")
    snippet = next(
        block for block in re.findall(r"```python\n(.*?)```", readme, re.S) if "pd.read_parquet" in block
    )
    namespace: dict = {}
    exec(snippet.replace("data/processed/", f"{seeds_run}/"), namespace)
    figures = namespace["figures"]
    assert str(figures["count_min"].dtype) == "Int64" and str(figures["count_max"].dtype) == "Int64"
    assert figures["count_max"].isna().any()  # the nulls are <NA>, not NaN in a float column
    for column in ("published_date", "event_date_start", "event_date_end"):
        assert str(figures[column].dtype).startswith("datetime64"), column


def test_a_table_without_declared_columns_still_writes(tmp_path):
    """Only the declared tables get pandas metadata; any other schema is written as it is."""
    other = pa.schema([pa.field("x", pa.int64())])
    with load.AtomicParquetWriter(tmp_path / "x.parquet", other) as writer:
        writer.write([{"x": 1}])
    assert pq.read_table(tmp_path / "x.parquet").column("x").to_pylist() == [1]


def test_version_flag_prints_the_version():
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "--version"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip().startswith(f"casualty-figures {__version__}")


def test_changelog_has_this_version():
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_license_file_is_shipped():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M))
    assert pins and text.count("==") == len(pins)
    assert len(re.findall(r"^[A-Za-z0-9_.\-]+==\S+ \\\n    --hash=sha256:", text, re.M)) == len(pins)
    return {k.lower().replace("_", "-"): v for k, v in pins.items()}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_make_dataset_installs_the_lock_with_hashes_and_nothing_for_tests():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    plan = subprocess.run(
        [make, "-n", "-B", "dataset"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    install = next(line for line in plan.splitlines() if "pip install" in line)
    assert "--require-hashes" in install and install.endswith("-r requirements/dataset.txt")
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dataset = _locked("dataset")
    assert _names(project["dependencies"]) <= set(dataset)
    extras = _names(project["optional-dependencies"]["dev"] + project["optional-dependencies"]["bench"])
    assert not extras & set(dataset)  # pytest, hypothesis, frictionless, quantulum3
    assert _names(project["optional-dependencies"]["dev"]) <= set(_locked("test"))
    assert _names(project["optional-dependencies"]["bench"]) <= set(_locked("bench"))
    # pyproject keeps ranges for people who install the package, not the lock's pins
    assert not any("==" in r for r in project["dependencies"])
