"""The grammar's sentence cases, kept as data in tests/cases/*.jsonl: one JSON object a line,

    {"sentence": "...", "published": "2016-10-07",
     "figures": [{"category": "killed", "count": 4, "qualifier": "exact", "claimant": "police",
                  "date_start": "2016-10-06", "date_end": "2016-10-06"}]}

`figures` lists every figure extract() finds, in text order, each compared on the fields it
names only ([] when the sentence holds none); with "first_only": true, only the first figure
is compared and others may follow. A domain expert adds a case by adding a line.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.extract import Figure, extract

CASES = Path(__file__).parent / "cases"
# What a case may say of a figure, and how it is read off a Figure.
FIELDS = {
    "category": lambda f: f.category,
    "count": lambda f: f.quantity.count,
    "qualifier": lambda f: f.quantity.qualifier,
    "subject": lambda f: f.subject,
    "subject_kind": lambda f: f.subject_kind,
    "claimant": lambda f: f.claimant,
    "date_start": lambda f: str(f.dates.start) if f.dates else None,
    "date_end": lambda f: str(f.dates.end) if f.dates else None,
    "is_cumulative": lambda f: f.is_cumulative,
    # the rules that decided its link, claimant and dates (pipeline/extract/model.py)
    "rules": lambda f: f.rules,
}
KEYS = {"sentence", "published", "figures", "first_only"}


def read_cases(path: Path) -> list[tuple[str, dict]]:
    """The cases of one file with their ids; a malformed line fails naming the file and line."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            case = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(case, dict) or not {"sentence", "published", "figures"} <= case.keys():
            raise ValueError(f"{where}: a case needs sentence, published and figures")
        if unknown := case.keys() - KEYS:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
        for figure in case["figures"]:
            if unknown := figure.keys() - FIELDS.keys():
                raise ValueError(f"{where}: unknown figure field(s) {sorted(unknown)}")
        dt.date.fromisoformat(case["published"])
        cases.append((f"{path.stem}: {case['sentence']}", case))
    return cases


ALL = [case for path in sorted(CASES.glob("*.jsonl")) for case in read_cases(path)]


def seen(figure: Figure, expected: dict) -> dict:
    return {name: FIELDS[name](figure) for name in expected}


def test_there_are_cases_of_every_file():
    assert {case_id.split(":")[0] for case_id, _ in ALL} == {p.stem for p in CASES.glob("*.jsonl")}
    assert len(ALL) > 60


@pytest.mark.parametrize("case", [case for _, case in ALL], ids=[case_id for case_id, _ in ALL])
def test_case(case):
    figures = extract(case["sentence"], dt.date.fromisoformat(case["published"]))
    expected = case["figures"]
    if case.get("first_only"):
        assert figures, "no figure found"
        figures = figures[:1]
        expected = expected[:1]
    assert [seen(f, e) for f, e in zip(figures, expected, strict=False)] == expected
    assert len(figures) == len(expected), [seen(f, {"category": 1, "count": 1}) for f in figures]


def test_a_bad_case_line_names_its_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"sentence": "Four people were killed.", "published": "2016-10-07"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl line 1: a case needs"):
        read_cases(path)
