"""The first pass must never skip a sentence the grammar would read."""

from __future__ import annotations

import json
import re
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.grammar import (
    attribution,
    categories,
    circumstances,
    dates,
    prefilter,
    sentences,
    triggers,
    words,
)
from pipeline.grammar.numbers import QUALIFIERS_BEFORE, QUANTITY, SCALES, TENS, UNITS, VAGUE

from .conftest import SHARED

# Verbs that make a troop figure only with a force noun, which the scan finds instead.
PHRASES = sorted(
    (
        set(triggers.AFTER_CATEGORY)
        | set(triggers.BEFORE_CATEGORY)
        | set(triggers.TOLL_NOUNS)
        | set(triggers.NOUN_TRIGGERS)
        | set(words.FORCE_NOUNS)
    )
    - triggers.NEEDS_FORCE_NOUN
)


@pytest.mark.parametrize("phrase", PHRASES)
def test_every_trigger_is_marked(phrase):
    marks = prefilter.Marks(f"Officials said {phrase} 20 people.")
    assert marks.triggers, phrase


@pytest.mark.parametrize("word", sorted({*UNITS, *TENS, *SCALES, *VAGUE, "dozen"}))
def test_every_number_word_is_marked(word):
    text = f"The raid killed {word} people."
    assert prefilter.Marks(text).number_in(0, len(text)), word


def test_a_sentence_without_both_is_not_read():
    # "he" points back to someone counted: no number, and no one-person noun phrase
    # ("A 12-year-old was shot in the leg" is a figure of one injured, and read)
    text = "A 12-year-old was taken to a clinic. Police said he died. Nine people were killed."
    marks = prefilter.Marks(text)
    spans = [(0, 36), (37, 57), (58, len(text))]
    assert [marks.trigger_in(*s) and marks.number_in(*s) for s in spans] == [False, False, True]


def test_case_changing_letters_keep_offsets():
    """'İ' lower-cases to two characters; the scan then runs on the text as written."""
    text = "İstanbul: Nine people were KILLED."
    marks = prefilter.Marks(text)
    assert marks.triggers and text[marks.triggers[0] :].lower().startswith("kill")


# The quantity and date scans try their full pattern only where their first, fast pass says a
# match can open. They must find exactly what a scan of every position finds.
SCANS = pytest.mark.parametrize("pattern", [QUANTITY, dates.DATE], ids=["quantity", "date"])
PIECES = [
    *UNITS,
    *TENS,
    *SCALES,
    *VAGUE,
    *QUALIFIERS_BEFORE,
    *dates.WEEKDAYS,
    *dates.MONTHS,
    "a",
    "an",
    "half",
    "dozen",
    "between",
    "and",
    "to",
    "or",
    "more",
    "+",
    "of",
    "the",
    "past",
    "last",
    "since",
    "this morning",
    "hours",
    "days",
    "2016",
    "22nd",
    "1,127",
    "30-40",
    "5",
    "12:30",
    "$5",
    "people",
    "killed",
    "x2",
    "²",
    "é",
    "_",
    "İ",
    "ǅ",
    "-",
    ".",
    ",",
    "(",
    "\n",
]


def gva_articles(count: int) -> list[str]:
    """The texts of the first articles of the benchmark corpus."""
    with (SHARED / "corpora" / "gva-news.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] or "" for line in islice(lines, count)]


def full_scan(pattern, text):
    return [(m.span(), m.groupdict()) for m in pattern.lower.finditer(text.lower())]


def fast_scan(pattern, text):
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@SCANS
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", "  ", "", "-", ", ", "\t"])), max_size=12
    )
)
def test_fast_scan_finds_what_a_full_scan_finds(pattern, pieces):
    text = "".join(word.title() if i % 3 == 0 else word + sep for i, (word, sep) in enumerate(pieces))
    if len(text.lower()) == len(text):  # otherwise both scans run on the text as written
        assert fast_scan(pattern, text) == full_scan(pattern, text), text


@SCANS
def test_fast_scan_on_real_articles(pattern):
    paragraphs = [p for text in gva_articles(300) for p in text.split("\n") if len(p.lower()) == len(p)]
    found = 0
    for paragraph in paragraphs:
        fast = fast_scan(pattern, paragraph)
        assert fast == full_scan(pattern, paragraph), paragraph
        found += len(fast)
    assert found > 500


# Searches that try their full pattern only where a word of theirs opens (CaselessPattern.first).
FIRSTS = pytest.mark.parametrize(
    "pattern",
    [triggers.AFTER_TRIGGER, circumstances.CUMULATIVE, attribution.SAY_OR_ACCORDING],
    ids=["after_trigger", "cumulative", "say"],
)


@FIRSTS
def test_fast_search_finds_what_a_full_search_finds(pattern):
    found = 0
    for text in gva_articles(300):
        for paragraph in sentences.paragraphs(text):
            for start, end in sentences.sentences(text, *paragraph):
                # from the sentence's start, and from its middle to a few words before its end
                for pos, endpos in ((start, end), ((start + end) // 2, max((start + end) // 2, end - 20))):
                    full = pattern.compiled.search(text, pos, endpos)
                    fast = pattern.first(text, pos, endpos)
                    assert (fast and fast.span()) == (full and full.span()), text[pos:endpos]
                    found += full is not None
    assert found > 50


@FIRSTS
def test_fast_search_reads_case_changing_text_as_written(pattern):
    for text in ("İstanbul: 20 people were KILLED, the war has killed many, police said.", "ſaid"):
        full, fast = pattern.compiled.search(text), pattern.first(text)
        assert (fast and fast.span()) == (full and full.span())


@pytest.mark.parametrize(
    "text",
    ["50 civilians, including ", "of whom ", "MOSTLY ", "among them a woman and ", "killed in ", "moſtly "],
)
def test_breakdown_words_gate_agrees_with_the_pattern(text):
    assert triggers.breakdown_before(text) == (triggers.BREAKDOWN_BEFORE.search(text) is not None)


def test_numbers_looked_for_in_a_span_are_those_a_whole_text_scan_finds():
    """number_in searches only the span asked about; on the paragraphs and sentences the
    extractor asks about, that must agree with one scan of the whole article."""
    asked = 0
    for text in gva_articles(300):
        marks = prefilter.Marks(text)
        whole = [m.start() for m in marks.number_scan.finditer(marks.scan)]
        spans = [s for p in sentences.paragraphs(text) for s in (p, *sentences.sentences(text, *p))]
        for start, end in spans:
            assert marks.number_in(start, end) == any(start <= at < end for at in whole), text[start:end]
            asked += 1
    assert asked > 5000


@pytest.mark.parametrize("phrase", sorted({*triggers.AFTER_CATEGORY, *triggers.TOLL_NOUNS}))
def test_the_linker_may_skip_stretches_without_a_stem(phrase):
    """The linker (pipeline/extract/link.py) searches for these only where the first pass
    marked a stem, so every one must hold a stem, force noun or not."""
    marks = prefilter.Marks(f"Some 20 people {phrase}.")
    start = len("Some 20 people ")
    assert marks.triggers_from(start, start + len(phrase)), phrase


def noun_said_agrees(sentence):
    for start, end in attribution.verb_windows(sentence):
        gate = attribution.NOUN_SAID.search(sentence, start, end) is not None
        scan = list(attribution.SOURCE_SAID.finditer(sentence, start, end))
        assert gate == bool(scan), sentence[start:end]
        yield gate


SAYING = [
    "the",
    "a",
    "an",
    "of",
    "in",
    "Syrian",
    "observatory",
    "monitoring group",
    "police",
    "officials",
    "sources",
    "also",
    "had",
    "said",
    "reported",
    "told",
    "report",
    "claimed",
    "claimed the lives",
    "according to",
    "were quoted as saying",
    "received reports",
    ",",
    ".",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SAYING), st.sampled_from([" ", "  ", "", "-", "\n"])), max_size=14))
def test_source_said_is_tried_only_where_it_can_match(pieces):
    """_matches scans for SOURCE_SAID only when NOUN_SAID, run backwards from the verb, finds
    its source noun and verb: they must agree on every stretch."""
    list(noun_said_agrees("".join(word + sep for word, sep in pieces)))


def test_source_said_gate_on_real_articles():
    sentence_texts = [
        text[s:e]
        for text in gva_articles(400)
        for p in sentences.paragraphs(text)
        for s, e in sentences.sentences(text, *p)
    ]
    gates = [gate for sentence in sentence_texts for gate in noun_said_agrees(sentence)]
    assert len(gates) > 1000 and sum(gates) > 50


@pytest.mark.parametrize("category", categories.CATEGORIES, ids=lambda c: c.name)
def test_each_category_marks_its_own_words(category):
    """A category's own record carries the stems of its words, so that a new category or word
    is one entry in categories.py: its words are found by its stems, not another's."""
    own = re.compile(rf"\b(?:{'|'.join(category.stems)})", re.IGNORECASE)
    words = {*category.after, *category.before, *category.tolls, *category.singular}
    for word in sorted(words - set(category.force_only)):
        assert own.search(word), f"{category.name}: no stem of its own finds {word!r}"
    assert set(category.stems) <= set(prefilter.TRIGGER_STEMS)
