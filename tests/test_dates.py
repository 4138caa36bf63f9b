"""Date words read to the day they name, and date words that name no event's day."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract
from pipeline.grammar import dates

TUESDAY = dt.date(2023, 10, 24)


def days(words: str, published: dt.date = TUESDAY) -> list[tuple[str, str, str]]:
    return [(str(d.start), str(d.end), d.precision) for d in dates.find(words, published)]


@pytest.mark.parametrize(
    "words, start",
    [
        ("Friday 20th of October 2023", "2023-10-20"),
        ("on Friday, the 20th of October", "2023-10-20"),
        ("the 22nd of October 2023", "2023-10-22"),
        ("on the 2nd of October", "2023-10-02"),
        ("October 22nd", "2023-10-22"),
        ("October the 21st", "2023-10-21"),
        ("22nd October", "2023-10-22"),
        ("on 1st September 2022", "2022-09-01"),
        ("on the 3rd, when the shelling began", "2023-10-03"),
        ("on the 23rd.", "2023-10-23"),
        ("on the 30th", "2023-09-30"),  # the 30th of this month is still to come: last month's
        ("on Sunday the 22nd", "2023-10-22"),
    ],
)
def test_ordinal_days_are_read_to_the_day(words, start):
    assert days(f"Six people were killed {words}") == [(start, start, "day")]


@pytest.mark.parametrize("words", ["on the 3rd floor", "on the 2nd anniversary", "in the 4th round"])
def test_an_ordinal_before_a_noun_is_no_day(words):
    assert days(f"Six people were killed {words}") == []


def test_day_of_the_month_is_not_a_figure():
    figures = extract("Gunmen killed 12 villagers on the 19th of October.", TUESDAY)
    assert [(f.quantity.count, str(f.dates.start)) for f in figures] == [(12, "2023-10-19")]


def test_an_ordinal_day_alone_reaches_the_sentence():
    """'on the 19th' has no month or weekday word: the first pass still finds it."""
    figure = extract("Gunmen killed 12 villagers on the 19th.", TUESDAY)[0]
    assert str(figure.dates.start) == "2023-10-19"


@pytest.mark.parametrize(
    "words, start, end",
    [
        ("late Saturday and early Sunday", "2023-10-21", "2023-10-22"),
        ("on Saturday night and Sunday", "2023-10-21", "2023-10-22"),
        ("from Sunday into early Monday", "2023-10-22", "2023-10-23"),
    ],
)
def test_a_night_across_two_days_is_a_period(words, start, end):
    assert days(f"Strikes killed nine people {words}") == [(start, end, "period")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Nine people were killed, a monitor said Friday.",
        "Nine people were killed, the ministry announced on Sunday.",
        "Nine people were killed, a doctor told Reuters on Monday.",
    ],
)
def test_the_day_a_source_spoke_is_not_the_day_of_the_event(sentence):
    assert days(sentence) == []


def test_a_figure_takes_the_event_day_not_the_day_it_was_reported():
    text = (
        "The ministry said Monday that 14 soldiers were killed. "
        "The convoy was ambushed late Saturday and early Sunday near the border."
    )
    figure = extract(text, TUESDAY)[0]
    assert (str(figure.dates.start), str(figure.dates.end)) == ("2023-10-21", "2023-10-22")
