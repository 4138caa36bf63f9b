"""Figures that add up several events: "10 shot, 1 fatally in Baltimore shootings Thursday".

A roundup of a weekend's or a city's shootings, or a year's murders, sums the figures of many
events; an article of one shooting often gives one in passing ("More than 700 people have
been shot in the city this year"). The extractor marks few of them cumulative, so the tolls
read their sentence: where it says that the figure covers several events, the figure is not
the article's report of its own event unless the article gives nothing else (`tolls`).
"""

from __future__ import annotations

import re

# What says a sentence counts more than one event, each with an example it must match.
SEVERAL_EVENTS = (
    r"\bshootings\b",  # "4 Wounded In Chicago Shootings Tuesday"
    r"\bseparate\s+(?:incidents|attacks|shootings)\b",  # "two of them accidentally - in separate incidents"
    r"\bacross\s+the\s+(?:city|county|state)\b",  # "53 wounded in shootings across the city"
    r"\bcitywide\b",  # "11 people were shot citywide"
    r"\bthis\s+year\b",  # "700 people have been shot in the city this year"
    r"\bso\s+far\b",  # "44 homicides in Louisville so far in 2015"
    r"\bsince\s+(?:january|the\s+start|the\s+beginning)\b",  # "killed since January"
)
SEVERAL = re.compile("|".join(SEVERAL_EVENTS), re.IGNORECASE)


def is_roundup(sentence: str) -> bool:
    """The figure's sentence says it covers several events."""
    return SEVERAL.search(sentence) is not None
