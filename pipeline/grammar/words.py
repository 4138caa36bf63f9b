"""Word lists shared by the grammar pieces, and the helper that turns a list into a pattern."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import regex


def alternation(words: Iterable[str]) -> str:
    """A non-capturing alternation, longest first so 'tens of thousands' wins over 'tens'.

    Spaces in a phrase match any run of white space ("at  least").
    """
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in ordered)


# Nouns for people, with the subject_kind each implies ("civilians" -> civilians).
PERSON_NOUNS = {
    "civilians": "civilians", "civilian": "civilians", "residents": "civilians",
    "villagers": "civilians", "worshippers": "civilians", "shoppers": "civilians",
    "passengers": "civilians", "students": "civilians", "pilgrims": "civilians",
    "children": "children", "child": "children", "kids": "children", "boys": "children",
    "girls": "children", "infants": "children", "babies": "children", "minors": "children",
    "toddlers": "children", "teenagers": "children",
    "women": "women", "woman": "women",
    "fighters": "fighters", "fighter": "fighters", "militants": "fighters", "militant": "fighters",
    "rebels": "fighters", "rebel": "fighters", "insurgents": "fighters", "insurgent": "fighters",
    "militiamen": "fighters", "terrorists": "fighters", "terrorist": "fighters",
    "jihadists": "fighters", "jihadis": "fighters", "gunmen": "fighters", "gunman": "fighters",
    "extremists": "fighters", "combatants": "fighters", "mercenaries": "fighters",
    "commanders": "fighters", "leaders": "fighters", "heads": "fighters", "bombers": "fighters",
    "attackers": "fighters", "perpetrators": "fighters", "assailants": "fighters",
    "facilitators": "fighters", "facilitator": "fighters",
    "suspects": "fighters", "associates": "fighters", "operatives": "fighters",
    "militia": "fighters", "militias": "fighters", "opposition": "fighters",
    "paramilitaries": "fighters", "Taliban": "fighters", "Peshmerga": "fighters",
    "soldiers": "soldiers", "soldier": "soldiers", "troops": "soldiers", "servicemen": "soldiers",
    "marines": "soldiers", "pilots": "soldiers", "airmen": "soldiers", "sailors": "soldiers",
    "personnel": "soldiers", "recruits": "soldiers", "guards": "soldiers", "officers": "soldiers",
    "paratroopers": "soldiers", "reservists": "soldiers", "conscripts": "soldiers",
    "forces": "soldiers", "servicemembers": "soldiers", "martyrs": "people",
    "citizens": "civilians",
    "police": "police", "policemen": "police", "policeman": "police", "cops": "police",
    "medics": "medics", "doctors": "medics", "nurses": "medics", "paramedics": "medics",
    "journalists": "journalists", "reporters": "journalists", "photographers": "journalists",
    "aid workers": "aid workers", "volunteers": "aid workers",
    "people": "people", "persons": "people", "person": "people", "others": "people",
    "individuals": "people", "victims": "people", "bodies": "people", "men": "people",
    "man": "people", "members": "people", "adults": "people", "relatives": "people",
    "family members": "people", "workers": "people", "employees": "people", "staff": "people",
    "hostages": "people", "prisoners": "people", "detainees": "people", "inmates": "people",
    "protesters": "people", "demonstrators": "people", "migrants": "people",
    "refugees": "people", "families": "people", "teachers": "people", "patients": "people",
    "tourists": "people", "crew": "people", "Syrians": "people", "Iraqis": "people",
    "Afghans": "people", "Kurds": "people", "Americans": "people", "Palestinians": "people",
    "Israelis": "people", "foreigners": "people", "nationals": "people", "teens": "children",
}

# One person, with the subject_kind it implies: the head of a one-person figure ("a man was
# killed", "captured a Taliban leader", "the driver was wounded"; grammar/persons.py).
ONE_PERSON = {
    **dict.fromkeys(("leader", "commander", "facilitator", "financier", "insurgent", "militant",
                     "fighter", "rebel", "terrorist", "gunman", "bomber", "attacker", "suspect",
                     "associate", "chief", "emir", "operative", "expert", "builder", "maker",
                     "jihadist", "militiaman", "sniper", "shooter", "assailant"), "fighters"),
    **dict.fromkeys(("soldier", "guard", "pilot", "serviceman", "marine", "conscript",
                     "paratrooper", "sergeant", "colonel", "lieutenant"), "soldiers"),
    **dict.fromkeys(("officer", "policeman", "policewoman", "deputy", "trooper", "constable",
                     "cop", "detective"), "police"),
    **dict.fromkeys(("child", "boy", "girl", "baby", "infant", "toddler", "teenager", "teen",
                     "schoolboy", "schoolgirl", "newborn"), "children"),
    **dict.fromkeys(("woman", "mother", "wife", "grandmother", "sister"), "women"),
    **dict.fromkeys(("civilian", "resident", "villager", "shepherd", "farmer", "passenger",
                     "pedestrian", "bystander", "student", "worshipper", "shopkeeper"), "civilians"),
    "journalist": "journalists", "reporter": "journalists", "photographer": "journalists",
    "doctor": "medics", "nurse": "medics", "paramedic": "medics", "medic": "medics",
    **dict.fromkeys(("man", "person", "individual", "member", "driver", "victim", "husband",
                     "father", "son", "daughter", "grandson", "granddaughter", "brother", "grandfather", "uncle", "nephew", "cousin", "relative",
                     "worker", "employee", "owner", "clerk", "motorist", "cyclist", "teacher",
                     "customer", "neighbor", "neighbour", "friend", "boyfriend", "girlfriend",
                     "roommate", "homeowner", "security guard", "staff member",
                     "family member"), "people"),
}

# Force nouns: a number of these with no casualty word near it is a troop figure.
FORCE_NOUNS = ("troops", "soldiers", "fighters", "militiamen", "militants", "reinforcements",
               "personnel", "forces", "rebels", "insurgents", "marines", "paratroopers",
               "militia members", "servicemen", "gunmen", "jihadists", "mercenaries",
               "combatants", "recruits", "reservists")

# Nouns that make a number count things, time or money, never people.
NON_PERSON_NOUNS = (
    "attacks", "attack", "strikes", "strike", "airstrikes", "raids", "raid", "bombs", "bombings",
    "shells", "rockets", "missiles", "mortars", "rounds", "bullets", "shots", "explosions",
    "blasts", "explosives", "vehicles", "cars", "trucks", "tanks", "buildings", "houses", "homes",
    "hospitals", "schools", "mosques", "churches", "villages", "towns", "cities", "districts",
    "neighbourhoods", "neighborhoods", "provinces", "areas", "positions", "checkpoints",
    "points", "sites", "targets", "facilities", "weapons", "guns", "rifles", "aircraft", "planes",
    "jets", "helicopters", "drones", "boats", "ships", "incidents", "operations", "missions",
    "clashes", "battles", "times", "sorties", "flights", "convoys", "trucks", "tonnes", "tons",
    "kilograms", "kg", "km", "kilometres", "kilometers", "miles", "metres", "meters", "feet",
    "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour",
    "minutes", "minute", "seconds", "decades", "nights", "percent", "per", "dollars", "euros",
    "pounds", "dinars", "lira", "liras", "riyals", "votes", "seats", "resolutions", "pages",
    "ceasefire", "cases", "countries", "nations", "groups", "factions", "brigades", "battalions",
    "units", "companies", "divisions", "regiments", "squads", "cells", "organisations",
    "organizations", "calls", "reports", "videos", "photos", "images", "miles", "kilometre",
    "mile", "storeys", "floors", "acres", "hectares", "square", "degrees", "points",
    "barrels", "litres", "liters", "gallons", "meals", "parcels", "tents", "beds", "doses",
    "items", "pieces", "bags", "packages", "grams", "firearms", "handguns", "casings",
)


def by_first_letter(alternatives: Iterable[str]) -> str:
    """'kill|kidnap|dead' -> 'd(?:ead)|k(?:ill|idnap)': a scan tries one group per position
    instead of every alternative. Each alternative must start with a plain letter."""
    groups: dict[str, list[str]] = defaultdict(list)
    for alternative in alternatives:
        groups[alternative[0]].append(alternative[1:])
    return "|".join(f"{first}(?:{'|'.join(sorted(set(rests), key=lambda rest: (-len(rest), rest)))})"
                    for first, rests in sorted(groups.items()))


def opening_words(phrases: Iterable[str]) -> str:
    """Lower-case phrases as one standard-library `re` alternation, grouped by first letter;
    spaces match any run of white space."""
    return by_first_letter(re.escape(p.lower()).replace(r"\ ", r"\s+") for p in phrases)


def word_starts(phrases: Iterable[str]) -> str:
    """A lookahead body that admits only positions where one of the phrases could start:
    its first three letters (or a whole short first word). A scan then skips every other word
    at once instead of trying each alternative there."""
    starts = set()
    for phrase in phrases:
        first = phrase.split()[0].lower()
        starts.add(regex.escape(first[:3]) if len(first) >= 3 else regex.escape(first) + r"\b")
    return "|".join(sorted(starts, key=len, reverse=True))
