"""One person counts too (FIGURES.md): a noun phrase for one person linked to a trigger is a
figure of 1; a phrase naming several people ("a man and his son") one figure of their number;
a pronoun none."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract

PUBLISHED = dt.date(2019, 3, 2)


def found(text):
    return [(f.category, f.quantity.count, f.quantity.qualifier) for f in extract(text, PUBLISHED)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("A teenager was killed when a shell hit the market.", [("killed", 1, "exact")]),
        ("A 9-year-old was wounded by shrapnel.", [("injured", 1, "exact")]),
        ("The bus driver was injured in the blast.", [("injured", 1, "exact")]),
        ("Soldiers captured the local Taliban commander Abdul Rahim.", [("captured", 1, "exact")]),
        ("Police said Maria Lopez was killed outside her home.", [("killed", 1, "exact")]),
        ("Carlos Ruiz, 41, was killed at the scene.", [("killed", 1, "exact")]),
        ("An elderly shepherd and his grandson were killed by a mine.", [("killed", 2, "exact")]),
        ("A farmer, his wife and their son were killed.", [("killed", 3, "exact")]),
        ("Troops detained a suspected bomb maker near the border.", [("arrested", 1, "exact")]),
        ("A woman killed in the raid was buried on Friday.", [("killed", 1, "exact")]),
    ],
)
def test_one_person_is_a_figure(sentence, expected):
    assert found(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "He died in hospital two days later.",  # a pronoun points back
        "She was wounded in the leg.",
        "A gunman killed the guard with a rifle.",  # the doer, not the dead (guard counted below)
        "The militant group claimed the attack that killed civilians.",
        "The man's brother said the family was devastated by the killing.",
    ],
)
def test_no_one_person_figure(sentence):
    assert ("killed", 1, "exact") not in found(sentence) or "guard" in sentence


def test_the_doer_is_not_counted_but_the_victim_is():
    figures = extract("A gunman killed the guard with a rifle.", PUBLISHED)
    assert [(f.category, f.quantity.count, f.subject) for f in figures] == [("killed", 1, "the guard")]


def test_parts_of_a_whole_name_it_as_their_parent():
    """'at least 30 civilians, including nine women and a child': the whole and both parts."""
    figures = extract("At least 30 civilians, including nine women and a child, were killed.", PUBLISHED)
    assert [(f.quantity.count, f.subject_kind) for f in figures] == [
        (30, "civilians"),
        (9, "women"),
        (1, "children"),
    ]
    assert figures[1].parent is figures[0] and figures[2].parent is figures[0]


def test_a_figure_with_its_own_part_among_a_larger_one():
    figures = extract("Four civilians including a nurse were among at least 19 people killed.", PUBLISHED)
    assert [f.quantity.count for f in figures] == [4, 1, 19]
    assert figures[0].parent is figures[2] and figures[1].parent is figures[0]


def test_one_person_is_not_displaced_or_a_force():
    assert found("The teenager fled the scene before police arrived.") == []


def test_a_comma_aside_is_not_a_second_person():
    figures = extract("She mourned the death of her husband Nadim, father of three.", PUBLISHED)
    assert [(f.category, f.quantity.count) for f in figures] == [("killed", 1)]


def test_phrases_found_where_they_may_open_are_those_of_a_full_scan():
    """persons.find tries ONE only where OPENINGS says a phrase may open: on real sentences it
    finds what a scan of every position finds (and reads 'ſ' text with the full scan)."""
    from pathlib import Path

    from pipeline.grammar import persons, sentences
    from pipeline.ingest import read_raw

    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    texts = [doc.text for doc in read_raw(shared / "gold" / "dev", dt.date(2026, 11, 23)) if doc.text]
    lines = [
        t[s:e] for t in texts for p, q in sentences.paragraphs(t) for s, e in sentences.sentences(t, p, q)
    ]
    lines += ["Two men and The Boy were shot", "a ſoldier was killed", "İ a man died, 2 boys"]
    assert len(lines) > 500
    for line in lines:
        assert [m.span() for m in persons._phrases(line, line.lower())] == [
            m.span() for m in persons.ONE.finditer(line)
        ], line


def test_a_reader_skipped_for_want_of_a_word_could_not_have_matched():
    """persons.find runs FULL_NAME, UNKNOWN_HEAD, AGE_AND_NAME, ONE_NAME and ANOTHER only over
    sentences holding a word each needs: wherever one of them matches, its words are there."""
    from pathlib import Path

    from pipeline.grammar import persons, sentences
    from pipeline.ingest import read_raw

    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    texts = [doc.text for doc in read_raw(shared / "gold" / "dev", dt.date(2026, 11, 23)) if doc.text]
    lines = [
        t[s:e] for t in texts for p, q in sentences.paragraphs(t) for s, e in sentences.sentences(t, p, q)
    ]
    lines += [
        "Nouri Hamish has been killed",
        "Joe Bryant, a 20-year-old man, reportedly died",
        "a truck helper was fatally shot",
        "his bodyguard died",
        "Stevens had been wounded",
        "police shot and killed 14-YEAR-OLD Tyler Ross",
        "five soldiers died and ANOTHER was hurt",
    ]
    matched = set()
    for line in lines:
        for pattern, may_match in persons._may_match(line, line.lower()).items():
            if pattern.search(line):
                matched.add(pattern.pattern)
                assert may_match, (pattern.pattern[:60], line)
    assert len(matched) == 5  # each reader matched somewhere, so each gate was tried
