"""The first pass must never skip a sentence the grammar would read."""
from __future__ import annotations

import pytest

from pipeline.grammar import prefilter, triggers, words
from pipeline.grammar.numbers import SCALES, TENS, UNITS, VAGUE

# Verbs that make a troop figure only with a force noun, which the scan finds instead.
PHRASES = sorted((set(triggers.AFTER_CATEGORY) | set(triggers.BEFORE_CATEGORY) | set(triggers.TOLL_NOUNS)
                  | set(triggers.NOUN_TRIGGERS) | set(words.FORCE_NOUNS)) - triggers.NEEDS_FORCE_NOUN)


@pytest.mark.parametrize("phrase", PHRASES)
def test_every_trigger_is_marked(phrase):
    marks = prefilter.Marks(f"Officials said {phrase} 20 people.")
    assert marks.triggers, phrase


@pytest.mark.parametrize("word", sorted({*UNITS, *TENS, *SCALES, *VAGUE, "dozen"}))
def test_every_number_word_is_marked(word):
    text = f"The raid killed {word} people."
    assert prefilter.Marks(text).number_in(0, len(text)), word


def test_a_sentence_without_both_is_not_read():
    text = "A 12-year-old was shot in the leg. Police said the man was killed. Nine people were killed."
    marks = prefilter.Marks(text)
    spans = [(0, 34), (35, 66), (67, len(text))]
    assert [marks.trigger_in(*s) and marks.number_in(*s) for s in spans] == [False, False, True]


def test_case_changing_letters_keep_offsets():
    """'İ' lower-cases to two characters; the scan then runs on the text as written."""
    text = "İstanbul: Nine people were KILLED."
    marks = prefilter.Marks(text)
    assert marks.triggers and text[marks.triggers[0]:].lower().startswith("kill")
