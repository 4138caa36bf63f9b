"""changes.json: which figures changed between two tables, value by value (old -> new)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__, refresh


def _write(rows: list[dict], schema: pa.Schema, path):
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def test_changed_values_are_listed_old_and_new(seeds_run, tmp_path):
    table = pq.read_table(seeds_run / "statements.parquet")
    rows = table.to_pylist()
    old = _write(rows, table.schema, tmp_path / "old.parquet")
    changed = [dict(r) for r in rows]
    changed[0]["count"] += 5
    changed[0]["claimant"] = "Syrian Observatory for Human Rights"
    changed[1]["event_date_start"] = dt.date(2016, 1, 2)
    removed = changed.pop()
    added = dict(changed[2], statement_id="f" * 16)
    new = _write(changed + [added], table.schema, tmp_path / "new.parquet")

    report = refresh.changes(old, new)
    assert report["version"] == __version__
    assert (report["added"], report["removed"], report["changed"]) == (1, 1, 2)
    assert report["added_ids"] == ["f" * 16] and report["removed_ids"] == [removed["statement_id"]]
    common = len(rows) - 1
    assert report["changed_values"] == {"changed": 3, "compared": common * len(refresh.COMPARED)}
    assert report["changed_values_by_column"] == {"count": 1, "claimant": 1, "event_date_start": 1}
    first = next(r for r in report["changed_rows"] if r["statement_id"] == rows[0]["statement_id"])
    assert first["values"]["count"] == {"old": rows[0]["count"], "new": rows[0]["count"] + 5}
    assert first["values"]["claimant"] == {
        "old": rows[0]["claimant"],
        "new": "Syrian Observatory for Human Rights",
    }
    assert set(first["values"]) == {"count", "claimant"}
    assert first["publisher"] == rows[0]["publisher"] and first["category"] == rows[0]["category"]

    line = refresh.change_line(report)
    assert line.startswith(
        f"changes since the last table: 1 added, 1 removed, 2 changed; "
        f"changed values: 3 / {common * len(refresh.COMPARED)} "
        f"(count 1, claimant 1, event_date_start 1)"
    )


def test_a_first_table_is_all_added(seeds_run):
    report = refresh.changes(seeds_run / "missing.parquet", seeds_run / "statements.parquet")
    rows = pq.read_table(seeds_run / "statements.parquet").num_rows
    assert report["added"] == rows and report["changed_values"] == {"changed": 0, "compared": 0}


def test_another_tables_section_is_reported_in_the_same_line(tmp_path):
    """A further table's changes slot in as one more table_changes section."""
    schema = pa.schema([("incident_id", pa.string()), ("killed", pa.int64())])
    old = _write(
        [{"incident_id": "a", "killed": 3}, {"incident_id": "b", "killed": 1}],
        schema,
        tmp_path / "old.parquet",
    )
    new = _write(
        [{"incident_id": "a", "killed": 4}, {"incident_id": "b", "killed": 1}],
        schema,
        tmp_path / "new.parquet",
    )
    report = refresh.changes(tmp_path / "none.parquet", tmp_path / "none.parquet")
    report["incidents"] = refresh.table_changes(old, new, "incident_id", ("killed",))
    assert report["incidents"]["changed_rows"] == [
        {"incident_id": "a", "values": {"killed": {"old": 3, "new": 4}}}
    ]
    assert refresh.change_line(report).endswith(
        "; incidents: 0 added, 0 removed, 1 changed; changed values: 1 / 2 (killed 1)"
    )
