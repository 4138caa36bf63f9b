"""Each grammar piece on the sentences it must handle; the sentence is the test's id."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract
from pipeline.grammar import attribution, dates

FRIDAY = dt.date(2016, 10, 7)


def found(text, published=FRIDAY):
    return [(f.category, f.quantity.count, f.quantity.qualifier) for f in extract(text, published)]


def test_breakdown_links_to_its_whole():
    """'290 people, 57 of them children': 57 is a part of 290."""
    figures = extract("At least 290 people have been killed, 57 of them children.", FRIDAY)
    assert [f.quantity.count for f in figures] == [290, 57]
    assert figures[1].parent is figures[0] and figures[1].subject_kind == "children"


def test_active_subject_is_not_counted():
    """'Three gunmen killed 20 people': the gunmen are the doers, 20 the dead."""
    assert found("Three gunmen killed 20 people.") == [("killed", 20, "exact")]


def test_claimant_in_next_sentence_and_pronoun():
    text = (
        "At least 20 people were killed in the raid. The monitor said the toll would rise.\n\n"
        "Ten more were wounded, it said."
    )
    figures = extract(text, FRIDAY)
    assert [f.claimant for f in figures] == ["monitor", "monitor"]


def test_pronoun_points_back_past_sentences_without_figures():
    text = (
        "Airstrikes have intensified in recent weeks according to the Observatory. Seven days "
        "of airstrikes had left more than 75 civilians dead and another 150 wounded it said."
    )
    assert [f.claimant for f in extract(text, FRIDAY)] == ["Observatory", "Observatory"]


def test_lone_source_noun_takes_the_named_source():
    text = (
        "Military sources told Al-Manar that the army regained the town. Units killed and "
        "injured many terrorists near the mosque according to the source."
    )
    assert extract(text, FRIDAY)[0].claimant == "Military sources"


def test_reported_figures_go_on_with_the_last_source():
    text = (
        "According to Mr Colville, staff were told of abuses in the village.\n"
        "The following day, forces reportedly discovered the bodies of 70 civilians.\n"
        "On Saturday, militants shot dead three women.\n"
    )
    assert [f.claimant for f in extract(text, FRIDAY)] == ["Mr Colville", None]


def test_reported_figure_far_from_any_source_stays_unattributed():
    text = (
        "The minister said the talks would resume.\n"
        + "Nothing else was said.\n" * 120
        + "Fifteen civilians were reportedly killed."
    )
    assert extract(text, FRIDAY)[0].claimant is None


def test_statement_introduced_by_said_colon():
    text = (
        "Speaking in London, Tobias Ellwood said:\n\n"
        "We are providing an additional 125 soldiers to assist in training.\n\n"
        "The ministry later said nothing.\n\nA further 30 soldiers were killed in the attack."
    )
    assert [f.claimant for f in extract(text, FRIDAY)] == ["Tobias Ellwood", None]


def test_headline_ending_in_its_source():
    """'Twin blasts kill 30 Kurdish fighters in Syria: monitor' names the monitor the body names."""
    text = (
        "Twin blasts kill 30 Kurdish fighters in Syria: monitor\n\n"
        "The Syrian Observatory for Human Rights counts the dead."
    )
    assert extract(text, FRIDAY)[0].claimant == "monitor"


def test_headline_source_before_the_site_name():
    text = "Car bomb and rockets kill 45 in Homs: Governor - Region - World - Ahram Online\n\nText."
    assert extract(text, FRIDAY)[0].claimant == "Governor"


def test_claimant_from_according_to_before():
    """'According to the Al Masdar outlet, the strikes hit a market. At least 20 civilians
    were killed.'"""
    text = "According to the Al Masdar outlet, the strikes hit a market. At least 20 civilians were killed."
    assert extract(text, FRIDAY)[0].claimant == "Al Masdar outlet"


def test_attribution_pieces_reject_clauses():
    assert attribution.clean("car bomb attacks targeting the shrine") is None
    assert attribution.clean("it") == attribution.PRONOUN
    assert (
        attribution.clean("Ibrahim Abu Leith, spokesman for the Syria Civil Defence in Aleppo")
        == "Ibrahim Abu Leith, spokesman for the Syria Civil Defence"
    )


# Dates, resolved against a publication date of Friday 7 October 2016.
@pytest.mark.parametrize(
    "words, start, end",
    [
        ("on Friday", "2016-10-07", "2016-10-07"),
        ("on Thursday", "2016-10-06", "2016-10-06"),
        ("yesterday", "2016-10-06", "2016-10-06"),
        ("last night", "2016-10-06", "2016-10-06"),
        ("this morning", "2016-10-07", "2016-10-07"),
        ("on September 22", "2016-09-22", "2016-09-22"),
        ("on October 19", "2015-10-19", "2015-10-19"),
        ("since September 22", "2016-09-22", "2016-10-07"),
        ("since early September", "2016-09-01", "2016-10-07"),
        ("since the war began in March 2011", "2011-03-01", "2016-10-07"),
        ("over the past 24 hours", "2016-10-06", "2016-10-07"),
        ("on Saturday and Sunday", "2016-10-01", "2016-10-02"),
        ("in February", "2016-02-01", "2016-02-29"),
        ("since the end of July", "2016-07-31", "2016-10-07"),
        ("in an offensive that began in December 15", "2015-12-15", "2016-10-07"),
        ("after seven days of airstrikes", "2016-09-30", "2016-10-07"),
        ("overnight", "2016-10-06", "2016-10-07"),
        ("(published Thursday, Oct. 6, 2016)", "2016-10-06", "2016-10-06"),
    ],
)
def test_dates(words, start, end):
    found_dates = dates.find(f"Ten people were killed {words}.", FRIDAY)
    assert found_dates, words
    d = found_dates[0]
    assert (str(d.start), str(d.end)) == (start, end)


def test_date_words_give_figures_their_dates():
    figure = extract("On Thursday, rebel fire killed at least 11 people.", FRIDAY)[0]
    assert (figure.dates.start, figure.dates.precision) == (dt.date(2016, 10, 6), "day")


def test_running_total_counts_from_the_start_of_the_war():
    text = (
        "More than 230000 people have been killed in Syria's war. "
        "The conflict began in March 2011 with protests."
    )
    figure = extract(text, FRIDAY)[0]
    assert figure.is_cumulative and figure.dates.start == dt.date(2011, 3, 1)


def test_running_total_in_the_present_perfect():
    """'More than 300000 people have been killed' is a war's total; 'four have been killed' is not."""
    text = (
        "More than 300000 people have been killed. Four people have been killed today. "
        "Syria's conflict erupted in March 2011."
    )
    totals = [(f.quantity.count, f.is_cumulative, str(f.dates.start)) for f in extract(text, FRIDAY)]
    assert totals == [(300000, True, "2011-03-01"), (4, False, "2016-10-07")]


def test_dateline_is_not_an_event_date():
    """'Sun 05 Jul 2015 22 dead ...': the dateline is when it was published, not the event."""
    text = "Sun 05 Jul 2015 22 dead in raids. The raids on Saturday and Sunday hit the city."
    figure = extract(text, dt.date(2015, 7, 5))[0]
    assert (str(figure.dates.start), str(figure.dates.end)) == ("2015-07-04", "2015-07-05")


def test_dateline_with_its_weekday_is_not_an_event_date():
    text = (
        "Two people were shot and killed in a car. (Published Friday, Oct. 7, 2016)\n\n"
        "A shooting on Thursday night left two people dead."
    )
    assert [str(f.dates.start) for f in extract(text, FRIDAY)] == ["2016-10-06", "2016-10-06"]


FILLER = "The town has been divided for years between rival forces. " * 8


def test_repeated_figure_takes_the_date_given_elsewhere():
    """The headline repeats the story's figure; the story dates it."""
    text = (
        "Two Russian pilots killed in Syria\n\n"
        + FILLER
        + "The talks were on Monday. "
        + FILLER
        + "Two Russian pilots were killed on Wednesday near Palmyra."
    )
    assert [str(f.dates.start) for f in extract(text, FRIDAY)] == ["2016-10-05", "2016-10-05"]


def test_article_naming_one_day_is_about_that_day():
    text = (
        "Airstrikes killed dozens of people in Tokhar. "
        + FILLER
        + "The strikes hit the village at dawn yesterday."
    )
    assert str(extract(text, FRIDAY)[0].dates.start) == "2016-10-06"


def test_article_naming_several_days_leaves_a_far_figure_undated():
    text = (
        "Airstrikes killed dozens of people in Tokhar. "
        + FILLER
        + "The strikes hit the village at dawn yesterday, after talks on Monday."
    )
    assert extract(text, FRIDAY)[0].dates is None


def test_context_dates_are_read_only_as_far_as_a_figure_needs(monkeypatch):
    """A figure with no day in its paragraph takes the nearest day named before it: the
    paragraphs after it are not read for dates."""
    later = "".join(f"\n\nTalks resumed on {day}." for day in ["Monday", "Tuesday"] * 20)
    text = "Strikes hit Tokhar on Thursday.\n\nAirstrikes killed 12 people in the village." + later
    read, find = [], dates.find
    monkeypatch.setattr(
        dates, "find", lambda paragraph, *rest: read.append(paragraph) or find(paragraph, *rest)
    )
    assert str(extract(text, FRIDAY)[0].dates.start) == "2016-10-06"
    assert "Strikes hit Tokhar on Thursday." in read
    assert not [paragraph for paragraph in read if "Talks" in paragraph]


def test_running_total_does_not_take_a_day_from_its_paragraph():
    text = "The crew died on Friday. Russia has so far lost at least 12 soldiers in the war."
    figure = extract(text, FRIDAY)[-1]
    assert figure.is_cumulative and figure.dates is None


def test_a_rising_toll_is_dated_by_its_event():
    text = "The strikes hit Tokhar on Thursday. Opposition websites said the death toll has risen to 85."
    assert str(extract(text, FRIDAY)[-1].dates.start) == "2016-10-06"


@pytest.mark.parametrize(
    "text, date",
    [
        ("Published September 23 2016 Five people were killed.", "2016-09-23"),
        ("KABUL, Afghanistan (Jan. 25, 2013) - Two insurgents were detained.", "2013-01-25"),
        ("Sun 05 Jul 2015 22 dead in heavy raids.", "2015-07-05"),
    ],
)
def test_dateline(text, date):
    assert str(dates.dateline(text)) == date
