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
        "In a statement issued early Sunday, the army said nine people were killed.",
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


@pytest.mark.parametrize(
    "sentence, start, end",
    [
        ("Shelling killed eight people over the weekend.", "2023-10-21", "2023-10-22"),
        ("Shelling killed eight people at the weekend.", "2023-10-21", "2023-10-22"),
    ],
)
def test_the_weekend_is_the_last_saturday_and_sunday(sentence, start, end):
    assert days(sentence) == [(start, end, "period")]


def test_a_weekend_in_a_saturday_paper_ends_on_publication():
    assert days("Two were killed this weekend.", dt.date(2023, 10, 21)) == [
        ("2023-10-21", "2023-10-21", "period")
    ]


def test_a_date_glued_to_its_year_is_a_date_not_a_figure():
    """'Jul 152015': page furniture whose spaces were lost, never a count of 152015."""
    text = "Updated Jul 152015 Militants killed 13 civilians in the town on Tuesday."
    figures = extract(text, dt.date(2015, 7, 15))
    assert [f.quantity.count for f in figures] == [13]
    assert str(dates.dateline(text)) == "2015-07-15"


@pytest.mark.parametrize(
    "sentence",
    [
        "Hospital staff (@MedicsGaza) October 22 2023 Rescuers counted 30 dead.",
        "A fighter runs past rubble on Monday (AFP photo) Rescuers counted 30 dead.",
        "Medics carry a stretcher in Homs, Syria October 20 2023. (Reuters) Rescuers counted 30 dead.",
        "Mourners gather on October 20, 2023 (Photo: Jane Roe/The Daily) Rescuers counted 30 dead.",
    ],
)
def test_dates_of_quoted_posts_and_photos_name_no_event(sentence):
    assert days(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The regime, in power since 1963, has killed 300000 people.",
        "The city has been out of army control since 2012.",
    ],
)
def test_how_long_a_state_lasted_is_no_counting_period(sentence):
    assert days(sentence) == []


def test_a_running_total_does_not_count_from_a_state_that_began_earlier():
    text = (
        "The province has been out of army control since 2012. "
        "More than 150000 people have been killed in the war."
    )
    figure = extract(text, TUESDAY)[-1]
    assert figure.is_cumulative and (figure.dates is None or figure.dates.start.year != 2012)


def test_a_date_in_parentheses_after_it_is_still_a_date():
    assert days("Thirty died on October 20 2023 (the second day of the siege).") == [
        ("2023-10-20", "2023-10-20", "day")
    ]


def test_a_siege_told_in_the_present_is_as_of_publication():
    """The paragraph names Monday's strike; the 40000 living under siege are counted as of now."""
    text = (
        "Strikes hit the market on Monday. "
        "Some 40000 people are living in besieged areas of the city, the UN said."
    )
    figure = [f for f in extract(text, TUESDAY) if f.category == "besieged"][0]
    assert figure.dates is None


def test_a_siege_told_in_the_past_takes_the_day_of_its_paragraph():
    text = "Strikes hit the market on Monday. Some 40000 people were besieged in the old city."
    figure = [f for f in extract(text, TUESDAY) if f.category == "besieged"][0]
    assert str(figure.dates.start) == "2023-10-23"


@pytest.mark.parametrize("mark", ['"', "“"])
def test_a_speakers_tonight_in_a_quotation_dates_no_other_sentence(mark):
    close = '"' if mark == '"' else "”"
    text = (
        "Rockets hit the port late on Monday. "
        f"{mark}The strikes tonight were aimed at the depots,{close} the spokesman said. "
        "A local radio station said 9 people were killed."
    )
    figure = extract(text, TUESDAY)[0]
    assert str(figure.dates.start) == "2023-10-23"


def test_tonight_outside_a_quotation_still_dates_the_paragraph():
    text = "Rockets hit the port on Sunday. The strikes tonight hit the depots. Police said 9 died."
    figure = extract(text, TUESDAY)[0]
    assert str(figure.dates.start) == "2023-10-24"
    assert dates.in_quote('a "b" c "d', 0, 9) and not dates.in_quote('a "b" c', 0, 6)


def test_a_quoted_tonight_stays_where_the_narration_names_another_event():
    text = (
        "A school was bombed on October 2. "
        "“Rockets fell on the camp tonight,” a resident wrote. "
        "Medics said 9 people were killed."
    )
    figure = extract(text, TUESDAY)[0]
    assert str(figure.dates.start) == "2023-10-24"
