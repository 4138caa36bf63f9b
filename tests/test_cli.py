"""The command line as a user meets it: exit codes, messages, help and outputs."""

from __future__ import annotations

import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main, parser

from .conftest import run_cli, run_command

COMMANDS = ["run", "fetch", "ingest", "extract", "validate", "schema"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "example: python -m pipeline " + command in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_missing_raw_folder_is_one_line_exit_2(tmp_path, capsys):
    code = run_cli("run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--quiet")
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"error: raw folder {tmp_path / 'nope'} does not exist or is not a folder"


def test_run_writes_all_outputs_and_summary(seeds_run):
    for name in ("statements.parquet", "documents.parquet", "datapackage.json", "validation.json"):
        assert (seeds_run / name).exists(), name
    assert (seeds_run / "validation" / "index.html").exists()


@pytest.mark.e2e
def test_run_prints_a_one_line_summary(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Blast kills 12\n\nA blast killed 12 people on Friday.", encoding="utf-8")
    result = subprocess.run(
        run_command(raw, tmp_path / "out", workers=1),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "1 documents read: 1 processed, 0 skipped, 0 failed; 2 figures found" in result.stderr
    assert "validation passed" in result.stderr


def test_stages_one_by_one_match_run(tmp_path, seeds_run):
    raw = seeds_run.parent / "raw"
    out = tmp_path / "out"
    assert run_cli("ingest", "--raw", str(raw), "--out", str(out), "--quiet") == 0
    assert run_cli("extract", "--out", str(out), "--quiet", "--workers", "1") == 0
    assert run_cli("validate", "--out", str(out), "--quiet") == 0
    # the stages work in OUT/stages/, apart from what a run publishes
    assert pq.read_table(out / "stages" / "statements.parquet").equals(
        pq.read_table(seeds_run / "statements.parquet")
    )
    assert not (out / "statements.parquet").exists()


def test_broken_table_fails_validation_with_exit_1(tmp_path, seeds_run, capsys):
    """A negative count, a duplicated id and a date after publication each break the suite."""
    table = pq.read_table(seeds_run / "statements.parquet")
    rows = table.to_pylist()
    rows[0]["count"] = -5
    rows[1]["statement_id"] = rows[2]["statement_id"]
    rows[3]["event_date_end"] = rows[3]["published_date"].replace(year=2030)
    out = tmp_path / "out"
    (out / "stages").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), out / "stages" / "statements.parquet")
    capsys.readouterr()
    assert run_cli("validate", "--out", str(out), "--quiet") == 1
    err = capsys.readouterr().err
    assert err.startswith("validation failed:")
    for broken in ("on count:", "on statement_id:", "on published_date,event_date_end:"):
        assert broken in err
    assert (out / "stages" / "validation" / "index.html").exists()


def test_validate_without_table_is_a_usage_error(tmp_path, capsys):
    assert run_cli("validate", "--out", str(tmp_path)) == 2
    assert "statements.parquet does not exist" in capsys.readouterr().err


def test_parser_builds():
    assert parser().prog == "python -m pipeline"


def test_unknown_flag_prints_the_subcommands_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m pipeline validate")
    assert "unrecognized arguments: --bogus" in err


def test_out_naming_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "statements.parquet"
    target.write_text("not a folder")
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--raw", str(tmp_path), "--out", str(target), "--quiet"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m pipeline run")
    assert f"--out {target} is a file" in err


@pytest.mark.e2e
def test_ctrl_c_keeps_the_previous_table_and_exits_130(tmp_path):
    """SIGINT to the whole process group, as a terminal sends it, pool workers included."""
    import os
    import shutil
    import signal
    import time

    from .conftest import DEV, SHARED

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("fakes-1914947537.txt", "fakes-1914947537.meta.json"):
        shutil.copy(DEV / name, raw / name)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--quiet"]
    assert subprocess.run([*command, "--workers", "1"], capture_output=True).returncode == 0
    before = (out / "statements.parquet").read_bytes()
    shutil.copy(SHARED / "corpora" / "gva-news.jsonl", raw / "gva-news.jsonl")  # seconds of work
    run = subprocess.Popen(
        [*command, "--workers", "2"], stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    time.sleep(4)
    os.killpg(run.pid, signal.SIGINT)
    err = run.communicate(timeout=60)[1]
    assert run.returncode == 130, err
    assert "interrupted; the previous table is kept" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert (out / "statements.parquet").read_bytes() == before
    assert not (out / ".staging").exists()
