"""Bad input and faults: every raw file and record is accounted for, nothing crashes or hangs."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import batches, build, load
from pipeline.extract import extract
from pipeline.grammar import budget
from pipeline.ingest import Document, read_raw

from .conftest import run_cli

TODAY = dt.date(2026, 11, 23)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def documents(raw: Path, **kwargs) -> dict[str, Document]:
    """Documents by (path, record id); the first of two records with the same id wins."""
    found: dict = {}
    for d in read_raw(raw, TODAY, **kwargs):
        found.setdefault((d.source_path, d.record_id), d)
    return found


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.fixture
def messy(tmp_path) -> Path:
    """A raw folder holding what scrapers and people really drop there."""
    raw = tmp_path / "raw"
    write(raw / "empty.txt", b"")
    write(raw / "blank.txt", b"  \n\t \r\n ")
    write(raw / "image.txt", PNG)
    buffer = tmp_path / "a.zip"
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("x.txt", "hello")
    write(raw / "archive.txt", buffer.read_bytes())
    write(raw / "latin.txt", "Title\n\nFive people were killed in the caf\xe9 on Friday.".encode("cp1252"))
    write(raw / "utf16.txt", "Title\n\nFour soldiers were wounded.".encode("utf-16"))
    write(raw / "bad-utf8.txt", b"Title\n\nThree people died \xff\xfe in the blast.")
    write(raw / "crlf.txt", b"Blast\r\n\r\nTwo people were killed.\rSix were injured.\n")
    write(raw / "nul.txt", b"Title\n\nSeven people\x00 were killed.")
    write(raw / "notes.docx", b"PK\x03\x04 not an article")
    write(raw / ".hidden.txt", "Title\n\nNine people were killed.")
    write(raw / "orphan.meta.json", '{"title": "no article"}')
    write(raw / "meta-bad.txt", "Title\n\nTen people were killed.")
    write(raw / "meta-bad.meta.json", "{not json")
    write(raw / "meta-date.txt", "Title\n\nEleven people were killed.")
    write(raw / "meta-date.meta.json", json.dumps({"published": "last Tuesday", "publisher": "X"}))
    write(raw / "meta-future.txt", "Title\n\nTwelve people were killed.")
    write(raw / "meta-future.meta.json", json.dumps({"published": "2099-01-01"}))
    write(raw / "meta-types.txt", "Title\n\nThirteen people were killed.")
    write(raw / "meta-types.meta.json", json.dumps({"title": 5, "publisher": ["a"], "published": 20161007}))
    lines = [
        json.dumps({"id": "a", "text": "Fourteen people were killed.", "published": "2016-10-07"}),
        "{this line is broken",
        json.dumps({"id": "b", "title": "no text"}),
        json.dumps({"id": "a", "text": "Duplicate of a: 15 people were killed."}),
        json.dumps({"id": "../../etc/passwd", "text": "Sixteen people were killed."}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "No id: 17 people were killed."}),
    ]
    write(raw / "feed.jsonl", "\n".join(lines) + "\n")
    return raw


def test_every_file_and_record_becomes_one_row(messy):
    docs = list(read_raw(messy, TODAY))
    files = [p for p in messy.rglob("*") if p.is_file()]
    sidecars_with_article = 4
    records = 7
    # every file is a row, except sidecars read with their article and the JSON Lines file,
    # which gives a row per record instead
    assert len(docs) == len(files) - sidecars_with_article - 1 + records
    assert len({d.doc_id for d in docs}) == len(docs)


@pytest.mark.parametrize(
    "path, status, reason",
    [
        ("empty.txt", "skipped", "empty article text"),
        ("blank.txt", "skipped", "empty article text"),
        ("image.txt", "skipped", "binary file (PNG image), not text"),
        ("archive.txt", "skipped", "binary file (zip archive), not text"),
        ("notes.docx", "skipped", "unsupported file type '.docx'"),
        (".hidden.txt", "skipped", "hidden file"),
        ("orphan.meta.json", "skipped", "metadata sidecar with no article beside it"),
        ("latin.txt", "ok", "not valid UTF-8 (byte 41); decoded as Windows-1252"),
        ("utf16.txt", "ok", "decoded as UTF-16 (byte order mark)"),
        ("bad-utf8.txt", "ok", "not valid UTF-8 (byte 25); decoded as Windows-1252"),
        ("nul.txt", "ok", "NUL bytes removed"),
        ("crlf.txt", "ok", None),
        ("meta-bad.txt", "ok", "metadata meta-bad.meta.json unreadable"),
        ("meta-date.txt", "ok", "unparseable published date 'last Tuesday'"),
        ("meta-future.txt", "ok", "published date 2099-01-01 is in the future; ignored"),
        ("meta-types.txt", "ok", "title should be a string, got int"),
    ],
)
def test_each_bad_file_has_its_outcome(messy, path, status, reason):
    doc = documents(messy)[(path, None)]
    assert doc.status == status
    if reason is None:
        assert doc.reason is None
    else:
        assert doc.reason is not None and doc.reason.startswith(reason), doc.reason


def test_text_is_normalised(messy):
    docs = documents(messy)
    assert docs[("latin.txt", None)].text.endswith("caf\xe9 on Friday.")
    assert "\r" not in docs[("crlf.txt", None)].text
    assert "\x00" not in docs[("nul.txt", None)].text
    assert docs[("meta-types.txt", None)].reason.count(";") == 2  # three problems, one line


@pytest.mark.parametrize(
    "record, status, reason",
    [
        ("a", "ok", None),
        ("line-2", "skipped", "line 2: invalid JSON"),
        ("b", "skipped", "line 3: record has no text"),
        ("../../etc/passwd", "ok", None),
        ("line-6", "skipped", "line 6: invalid JSON (not a JSON object)"),
        ("line-7", "ok", None),
    ],
)
def test_each_bad_record_has_its_outcome(messy, record, status, reason):
    doc = documents(messy)[("feed.jsonl", record)]
    assert doc.status == status
    if reason:
        assert doc.reason.startswith(reason), doc.reason


def test_duplicate_id_is_skipped_with_first_line(messy):
    dupes = [d for d in read_raw(messy, TODAY) if d.reason and "duplicate id" in d.reason]
    assert [d.reason for d in dupes] == ["line 4: duplicate id 'a' (first on line 1)"]


@pytest.mark.e2e
def test_run_on_messy_folder_accounts_for_everything(messy, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_cli("run", "--raw", str(messy), "--out", str(out), "--quiet", "--workers", "1") == 0
    table = pq.read_table(out / "documents.parquet").to_pylist()
    assert len(table) == len(list(read_raw(messy, TODAY)))
    assert {r["status"] for r in table} == {"ok", "skipped"}
    err = capsys.readouterr().err
    assert "documents read:" in err and "skipped" in err and "validation passed" in err
    # an id that looks like a path is only data: nothing is written outside the output folder
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "changes.json",
        "datapackage.json",
        "documents.parquet",
        "incidents.parquet",
        "manifest.json",
        "report",
        "statements.parquet",
        "validation",
        "validation.json",
    ]
    assert any(r["record_id"] == "../../etc/passwd" for r in table)


@pytest.mark.e2e
def test_article_over_the_size_limit_is_read_in_parts(tmp_path):
    """A huge article is read in parts at paragraph breaks, never whole; every part is
    processed and together they hold all of its text."""
    raw = tmp_path / "raw"
    paragraph = "Five people were killed in the shelling on Friday. " * 200 + "\n\n"
    write(raw / "huge.txt", "Huge report\n\n" + paragraph * 300)
    write(raw / "huge.meta.json", json.dumps({"publisher": "Wire", "published": "2016-10-07"}))
    parts = [d for d in read_raw(raw, TODAY, limit=1024 * 1024)]
    assert len(parts) == 3 and [d.record_id for d in parts] == ["part-1", "part-2", "part-3"]
    assert all(d.status == "ok" and len(d.text) <= 1024 * 1024 for d in parts)
    assert all(d.publisher == "Wire" and d.title == "Huge report" for d in parts)
    assert "".join(d.text for d in parts).replace("\n", "") == ("Huge report\n\n" + paragraph * 300).replace(
        "\n", ""
    )
    assert parts[0].reason == "3 MB article read in parts of at most 1 MB (--max-article-mb)"
    rows = [row for d in parts for row in build.extract_document(d)[1]]
    assert len(rows) == 300 * 200


def test_record_over_the_size_limit_is_skipped_not_loaded(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw / "huge.jsonl",
        json.dumps({"id": "h", "text": "x " * 2_000_000})
        + "\n"
        + json.dumps({"id": "small", "text": "Two people were killed."})
        + "\n",
    )
    docs = documents(raw, limit=1024 * 1024)
    assert docs[("huge.jsonl", "line-1")].status == "skipped"
    assert "over the 1 MB limit for one article" in docs[("huge.jsonl", "line-1")].reason
    assert docs[("huge.jsonl", "small")].status == "ok"


def test_paragraph_of_a_million_characters_with_no_full_stop():
    text = "Ten people were killed and " + "the shelling went on " * 50_000
    figures = extract(text, TODAY)
    assert [(f.category, f.quantity.count) for f in figures] == [("killed", 10)]


@pytest.mark.parametrize(
    "text",
    [
        "killed " + "1" * 100_000,
        "killed " + "at least " * 5_000 + "5 people",
        "killed " + "," * 1_000_000,
        "killed " + "twenty " * 20_000 + "people",
        "killed " + "one hundred and " * 5_000 + "people",
        "said " * 50_000 + "5 killed",
    ],
)
def test_adversarial_text_finishes(text):
    for figure in extract(text, TODAY):
        assert figure.end <= len(text)


def test_document_that_runs_out_of_its_budget_is_reported(monkeypatch):
    """A budget of nothing: the article is skipped, and the reason says why."""
    monkeypatch.setattr(budget, "BASE_SECONDS", 0.0)
    monkeypatch.setattr(budget, "SECONDS_PER_CHARACTER", 0.0)
    doc = Document("d", "d.txt", text="Ten people were killed. Five more were wounded.")
    doc, rows = build.extract_document(doc)
    assert doc.status == "ok" and rows == []
    assert doc.reason == (
        "time budget of 0.00 CPU seconds used up; 2 part(s) skipped, the first: "
        "paragraph at offset 0 skipped: the grammar ran out of time"
    )


def test_budget_spent_mid_article_keeps_what_was_found(monkeypatch):
    """The budget runs out after the first sentence: its figure stays; the two sentences after it
    and the two passes over the whole article are skipped."""
    checks = []

    def check(self):
        checks.append(1)
        if len(checks) > 2:  # the paragraph, then its first sentence
            self.exhausted = True
        if self.exhausted:
            raise budget.OutOfTime("spent")

    monkeypatch.setattr(budget.Budget, "check", check)
    doc = Document("d", "d.txt", text="Ten people were killed. Five more were wounded. Two died.")
    doc, rows = build.extract_document(doc)
    assert [(r["category"], r["count"]) for r in rows] == [("killed", 10)]
    assert doc.reason.startswith("time budget of ")
    assert "; 4 part(s) skipped, the first: sentence at offset 24 skipped" in doc.reason


@pytest.mark.e2e
def test_grammar_failure_fails_the_document_and_the_run(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    write(raw / "a.txt", "Title\n\nTen people were killed.")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(batches, "extract", broken)
    assert run_cli("run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1") == 1
    err = capsys.readouterr().err
    assert "0 processed, 0 skipped, 1 failed" in err
    assert err.strip().splitlines()[-1] == (
        "error: the pipeline failed on 1 document(s); see the reason column of documents.parquet"
    )
    row = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()[0]
    assert row["status"] == "failed" and row["reason"] == "extraction failed: RuntimeError: boom"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "fault",
    [
        OSError(28, "No space left on device"),
        PermissionError(13, "Permission denied"),
    ],
)
def test_write_fault_keeps_previous_outputs(tmp_path, monkeypatch, capsys, fault):
    raw = tmp_path / "raw"
    write(raw / "a.txt", "Title\n\nTen people were killed.")
    out = tmp_path / "out"
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    write(raw / "b.txt", "Title\n\nTwenty people were killed.")

    def full(*args, **kwargs):
        raise fault

    monkeypatch.setattr(load.pq.ParquetWriter, "write_table", full)
    capsys.readouterr()
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"error: cannot write {out / '.staging' / 'statements.parquet'}: {fault.strerror}"
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # nothing half-written, no temporary files left behind


def test_unwritable_output_folder_is_one_line(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    write(raw / "a.txt", "Title\n\nTen people were killed.")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(load.tempfile, "mkstemp", refuse)
    assert run_cli("run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--quiet") == 1
    assert capsys.readouterr().err.strip() == (
        f"error: cannot write {tmp_path / 'out' / '.staging' / 'statements.parquet'}: Permission denied"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_fuzz_ingest_any_bytes(tmp_path_factory, data):
    raw = tmp_path_factory.mktemp("fuzz")
    write(raw / "a.txt", data)
    write(raw / "b.jsonl", data)
    docs = list(read_raw(raw, TODAY))
    assert {d.source_path for d in docs} <= {"a.txt", "b.jsonl"}
    assert sum(d.source_path == "a.txt" for d in docs) == 1  # one article, whatever its bytes
    for d in docs:
        assert d.status in ("ok", "skipped")
        assert d.status == "skipped" or d.text


PIECES = list("0123456789 ,.-–\n\"'\u00e9\u0130") + [
    "killed",
    " people ",
    "at least ",
    "dozens",
    "twenty-",
    "said",
    " wounded",
    "on Friday",
    "including ",
    "Nine ",
    "1,000",
    " the ",
    "According to ",
    "Observatory",
    " of them ",
]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(PIECES), max_size=60).map("".join)))
def test_fuzz_extract_offsets_stay_true(text):
    doc = Document("d", "d.txt", text=text, published_date=TODAY)
    doc, rows = build.extract_document(doc)
    assert doc.status == "ok"
    for row in rows:
        assert 0 <= row["char_start"] < row["char_end"] <= len(text)
        assert text[row["char_start"] : row["char_end"]] == row["quote"]
