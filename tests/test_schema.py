"""One schema, written once: the outputs, the suite, datapackage.json and the README agree."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from pipeline import paths, readme, schema


def test_statements_file_has_the_declared_schema(seeds_run):
    assert pq.read_schema(seeds_run / "statements.parquet").remove_metadata() == schema.STATEMENTS_SCHEMA


def test_documents_file_has_the_declared_schema(seeds_run):
    assert pq.read_schema(seeds_run / "documents.parquet").remove_metadata() == schema.DOCUMENTS_SCHEMA


def test_suite_file_is_generated_from_the_schema():
    """expectations/statements.json must be what `python -m pipeline schema --write` writes."""
    on_disk = json.loads(paths.SUITE.read_text(encoding="utf-8"))
    assert on_disk == schema.expectation_suite()


def test_suite_checks_every_column_and_label():
    suite = schema.expectation_suite()["expectations"]
    columns = next(e for e in suite if e["type"] == "expect_table_columns_to_match_ordered_list")
    assert columns["kwargs"]["column_list"] == [c.name for c in schema.STATEMENTS]
    in_set = {
        e["kwargs"]["column"]: e["kwargs"]["value_set"]
        for e in suite
        if e["type"] == "expect_column_values_to_be_in_set"
    }
    assert in_set["category"] == list(schema.CATEGORIES)
    assert in_set["qualifier"] == list(schema.QUALIFIERS)
    assert in_set["subject_kind"] == list(schema.SUBJECT_KINDS)


def test_readme_data_dictionary_is_current():
    assert readme.check_readme(paths.README)


def test_datapackage_matches_the_schema(seeds_run):
    package = json.loads((seeds_run / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    for name, columns in (("statements", schema.STATEMENTS), ("documents", schema.DOCUMENTS)):
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in columns]
        assert [f["constraints"]["required"] for f in fields] == [not c.nullable for c in columns]


def test_loads_in_pandas_with_declared_types(seeds_run):
    import pandas as pd

    frame = pd.read_parquet(seeds_run / "statements.parquet")
    assert str(frame["count"].dtype) == "int64"
    assert frame["category"].dtype.name == "category"
    assert len(frame) > 0 and frame.index.name is None
