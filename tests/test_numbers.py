"""The number reader: digits, words, dozens, vague words, ranges and qualifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.grammar.numbers import QUANTITY, parse_number, read_quantity


def quantity(text):
    match = QUANTITY.search(text)
    assert match, text
    return read_quantity(match)


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,127", 1127),
        ("1127", 1127),
        ("1 000", 1000),
        ("300,000", 300000),
        ("twenty-three", 23),
        ("nine", 9),
        ("two hundred and fifty", 250),
        ("two and a half thousand", 2500),
        ("1.5 million", 1_500_000),
        ("3 million", 3_000_000),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("two dozen", 24),
        ("2 dozen", 24),
        ("sixty-two", 62),
        ("one thousand two hundred", 1200),
        ("a thousand", 1000),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, count, low, high, qualifier",
    [
        ("at least 23 fighters", 23, 23, None, "at_least"),
        ("more than 50 people", 50, 51, None, "more_than"),
        ("up to 50 people", 50, None, 50, "at_most"),
        ("fewer than 50 people", 50, None, 49, "less_than"),
        ("nearly 50 people", 50, None, 49, "less_than"),
        ("about 50 people", 50, None, None, "about"),
        ("some 300 people", 300, None, None, "about"),
        ("an estimated 8000 people", 8000, None, None, "about"),
        ("between 30 and 40 people", 30, 30, 40, "range"),
        ("30-40 people", 30, 30, 40, "range"),
        ("3,000 to 5,000 militants", 3000, 3000, 5000, "range"),
        ("two or three hundred refugees", 2, 2, 300, "range"),
        ("1500 to 2000 protesters", 1500, 1500, 2000, "range"),
        ("fifty or more guests", 50, 50, None, "at_least"),
        ("20+ killed", 20, 20, None, "at_least"),
        ("around 2 dozen others", 24, None, None, "about"),
        ("dozens of people", 12, 12, None, "vague"),
        ("tens of thousands of people", 10000, 10000, None, "vague"),
        ("hundreds of thousands of people", 100000, 100000, None, "vague"),
        ("several thousand fighters", 3000, 3000, None, "vague"),
        ("a handful of soldiers", 3, 3, None, "vague"),
        ("scores of civilians", 10, 10, None, "vague"),
        ("exactly 50 people", 50, 50, 50, "exact"),
    ],
)
def test_quantity_bounds_follow_figures_md(text, count, low, high, qualifier):
    q = quantity(text)
    assert (q.count, q.count_min, q.count_max, q.qualifier) == (count, low, high, qualifier)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_rendered_integers_parse_back(n):
    """'1,234', '1234' and '1 234' all read back as the integer they render."""
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n


ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(n: int) -> str:
    """An independent renderer of English number words, for the property test."""
    if n < 10:
        return ONES[n] or "zero"
    if n < 20:
        return TEENS[n - 10]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + (" and " + in_words(rest) if rest else "")
    for scale, word in ((1_000_000, "million"), (1000, "thousand")):
        if n >= scale:
            rest = n % scale
            return in_words(n // scale) + f" {word}" + (" " + in_words(rest) if rest else "")
    raise AssertionError(n)


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words_parse_back(n):
    """'one thousand two hundred and thirty-four' reads back as 1234."""
    assert parse_number(in_words(n)) == n


@given(st.integers(min_value=2, max_value=999_999))
def test_qualified_numbers_keep_their_bounds(n):
    """'more than 1,200' is at least 1,201; 'fewer than 1,200' at most 1,199."""
    more = quantity(f"more than {n:,} people")
    fewer = quantity(f"fewer than {n:,} people")
    assert more.count == n and more.count_min == n + 1 and more.count_max is None
    assert fewer.count == n and fewer.count_max == n - 1 and fewer.count_min is None


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words_in_text_read_as_one_quantity(n):
    """'twenty-eight heads of the group' is 28, not a range from twenty to eight."""
    q = quantity(f"In Idlib {in_words(n)} people were killed.")
    assert (q.count, q.qualifier) == (n, "exact")


@pytest.mark.parametrize(
    "text, count, qualifier",
    [
        ("more than a quarter of a million people", 250_000, "more_than"),
        ("half a million refugees", 500_000, "exact"),
        ("a half million people", 500_000, "exact"),
        ("a quarter million people", 250_000, "exact"),
        ("nearly three quarters of a million people", 750_000, "less_than"),
        ("two thirds of a million people", 666_667, "exact"),
        ("about 1.2 million people", 1_200_000, "about"),
    ],
)
def test_parts_of_large_numbers_are_counts(text, count, qualifier):
    q = quantity(text)
    assert (q.count, q.qualifier) == (count, qualifier)


def test_half_of_a_number_is_not_read_as_half_a_scale():
    assert quantity("half of the 300 people").count == 300


def counts(sentence):
    return [q.count for m in QUANTITY.finditer(sentence) if (q := read_quantity(m))]


@pytest.mark.parametrize(
    "sentence, kept",
    [
        ("Three teenagers, ages 14, 15 and 16, were wounded.", [3]),
        ("Two men, ages 31 and 40, were shot.", [2]),
        ("Four children between the ages of 6 and 12 were hurt.", [4]),
        ("Six people aged 18 to 25 died.", [6]),
        ("Six people aged 18-25 died.", [6]),
        ("Two girls, ages 5 and 8, and two women were found dead.", [2, 2]),
        ("Ali and Omar, both 17, were killed.", []),
        ("Both 17 soldiers were killed.", [17]),
        ("Photo 3 of 12 Five people were killed.", [5]),
        ("Image 9 of 9 Mother, child found dead", []),
        ("page 2 of 9", []),
        ("Two of 9 hostages died.", [2, 9]),
    ],
)
def test_ages_and_page_furniture_are_not_counts(sentence, kept):
    assert counts(sentence) == kept
