"""The category records (grammar/categories.py) are the one list every part reads."""

from __future__ import annotations

import pytest

from pipeline import schema
from pipeline.grammar import categories, triggers
from pipeline.grammar.categories import Category


def test_every_trigger_category_is_a_schema_category_and_back():
    used = set(triggers.AFTER_CATEGORY.values()) | set(triggers.BEFORE_CATEGORY.values())
    used |= set(triggers.TOLL_NOUNS.values())
    assert used <= set(schema.CATEGORIES)
    assert tuple(schema.CATEGORIES) == categories.NAMES
    # every category but troops (a force noun makes it: "1,000 troops") has a trigger word
    assert set(schema.CATEGORIES) - used <= {categories.FORCE}


@pytest.mark.parametrize("category", categories.CATEGORIES, ids=lambda c: c.name)
def test_every_trigger_word_is_found(category):
    """(tests/test_prefilter.py checks that the first pass marks each one)"""
    for word in category.after:
        assert triggers.AFTER_TRIGGER.fullmatch(word), word
    for word in category.before:
        assert triggers.BEFORE_TRIGGER.search(word), word
    for word in category.tolls:
        assert triggers.TOLL_TRIGGER.search(f"the {word} rose to "), word


def test_a_category_property_must_name_its_own_words():
    with pytest.raises(ValueError, match="transitive words"):
        Category("x", one_person=False, running_total=False, subject_kind="people", transitive=("shot",))
