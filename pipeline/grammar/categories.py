"""The categories of figure (FIGURES.md), one record each: the words that trigger it and how
they behave. The schema's category list, the trigger patterns (triggers.py) and the linker
(pipeline/extract) all read these records; a new category is one more record here (and, for
its words to be read at all, their stems in prefilter.TRIGGER_STEMS: tests/test_prefilter.py
fails until they are there).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    name: str
    # One person can be counted as it: "a man was killed" (but "the teen fled" is no figure).
    one_person: bool
    # A figure of it may be a running total ("the war has killed ..."); counts of forces and of
    # the besieged are standing numbers.
    running_total: bool
    # The kind of people counted when the words name none.
    subject_kind: str
    # Stems of its words, as regular expressions, for the first pass over every article
    # (prefilter.py): a sentence with none of any category is never read. Each must be literal
    # letters after a word boundary, so that the scan cannot backtrack. (A BEFORE word that
    # needs a force noun is found by the noun: prefilter.FORCE_NOUN_STEMS.)
    stems: tuple[str, ...] = ()
    # Words that follow the people they count: "32 people were killed", "22 dead".
    after: tuple[str, ...] = ()
    # Words that come before the number they govern: "killed at least 23", "wounded 85".
    before: tuple[str, ...] = ()
    # Toll nouns that name the figure some words ahead: "the death toll rose to 32".
    tolls: tuple[str, ...] = ()
    # AFTER words that may also be active ("gunmen killed 20"): their subject is then the doer.
    transitive: tuple[str, ...] = ()
    # AFTER words that are themselves the counted noun: "18 bodies", "6 martyrs".
    nouns: tuple[str, ...] = ()
    # BEFORE words that count people only when soldiers or fighters follow: "deployed 1,000 troops".
    force_only: tuple[str, ...] = ()
    # BEFORE words that count only when their number names people: "eliminated 14 terrorists",
    # "the family lost six relatives" (not "neutralized 3 devices", "lost three games").
    people_only: tuple[str, ...] = ()
    # Singular nouns that count people only straight after "one": "one death", "a single
    # fatality" ("sentenced to death" counts no one).
    singular: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for part, whole in (
            ("transitive", self.after),
            ("nouns", self.after),
            ("force_only", self.before),
            ("people_only", self.before),
        ):
            if stray := set(getattr(self, part)) - set(whole):
                raise ValueError(f"category {self.name}: {part} words {sorted(stray)} are not its triggers")


# Verbs that send or gather a force: a troops figure only with a force noun ("sent 300
# soldiers", never "sent 300 people").
_SENDING_TROOPS = (
    "deployed",
    "deploying",
    "deploy",
    "deploys",
    "sent",
    "sending",
    "send",
    "dispatched",
    "dispatching",
    "massed",
    "massing",
    "bringing",
    "brought",
    "mobilised",
    "mobilized",
)


# State media's words for killing, before the number they govern ("eliminated 14 terrorists"):
# they count people only when the number names people ("neutralized three positions" does not).
_EUPHEMISMS = (
    "eliminated",
    "eliminating",
    "neutralized",
    "neutralised",
    "neutralizing",
    "neutralising",
    "liquidated",
    "liquidating",
)

# Verbs that give their subject a wound, and the wounds they give: "the driver sustained
# gunshot wounds", "five people suffered minor injuries". Only verb and wound together count
# the people before them: "two gunshot wounds" alone counts wounds, not people.
_WOUND_VERBS = ("suffered", "sustained", "received")
_WOUND_KINDS = (
    "injuries",
    "wounds",
    "minor injuries",
    "minor wounds",
    "serious injuries",
    "serious wounds",
    "severe injuries",
    "critical injuries",
    "life-threatening injuries",
    "non-life-threatening injuries",
    "gunshot wounds",
    "multiple gunshot wounds",
    "a gunshot wound",
    "stab wounds",
    "multiple stab wounds",
    "a stab wound",
    "shrapnel wounds",
)
_WOUNDED = tuple(f"{verb} {kind}" for verb in _WOUND_VERBS for kind in _WOUND_KINDS)

CATEGORIES = (
    Category(
        "killed",
        stems=(
            "kill",
            "dead",
            "die",
            "dying",
            "death",
            "toll",
            "bod(?:y|ies)",
            "live",
            "execut",
            "massacr",
            "slain",
            "slaughter",
            "murder",
            "perish",
            "fatal",
            "gunned",
            "behead",
            "decapitat",
            "martyr",
            "crucif",
            "lost",
            "stabbed",
            "beaten",
            "burn[et]",
            "hacked",
            "tortured",
            "crushed",
            "starved",
            "succumb",
            r"passed\s+away",
            r"did\s+not\s+survive",
            r"didn[’']t\s+survive",
            "eliminat",
            "neutrali",
            "liquidat",
            "homicide",
            r"number\s+of\s+victims",
            r"took\s+(?:his|her)\s+own\s+life",
        ),
        one_person=True,
        running_total=True,
        subject_kind="people",
        after=(
            "killed",
            "dead",
            "died",
            "die",
            "dying",
            "slain",
            "executed",
            "massacred",
            "murdered",
            "shot dead",
            "shot and killed",
            "gunned down",
            "lost their lives",
            "lost their life",
            "perished",
            "deaths",
            "fatalities",
            "bodies",
            "found dead",
            "beheaded",
            "decapitated",
            "were pronounced dead",
            "pronounced dead",
            "martyrs",
            "martyred",
            "lives",
            "civilian lives",
            "crucified",
            # "shot" alone is injured (the injured record); these say the shot were killed
            "shot to death",
            "shot and died",
            "fatally shot",
            "fatally wounded",
            "fatally injured",
            # the part of the shot who died: "four teens shot, one fatally"
            "fatally",
            # other ways "to death": "three men were stabbed to death"
            "stabbed to death",
            "beaten to death",
            "burned to death",
            "burnt to death",
            "hacked to death",
            "tortured to death",
            "crushed to death",
            "starved to death",
            # a noun phrase only: "he succumbed" is no quantity, so never a figure
            "succumbed to his injuries",
            "succumbed to her injuries",
            "succumbed to their injuries",
            "succumbed to injuries",
            "succumbed to his wounds",
            "succumbed to her wounds",
            "succumbed to their wounds",
            "succumbed to wounds",
            "passed away",
            "did not survive",
            "didn't survive",
            "didn’t survive",
            # state-media euphemisms: "12 terrorists were eliminated"
            "eliminated",
            "neutralized",
            "neutralised",
            "liquidated",
            "homicides",
            # one who killed themself is one killed: "the man killed himself", "Eric Meeks, 34,
            # fatally shot himself" ("he killed himself" is a pronoun: no figure)
            "killed himself",
            "killed herself",
            "shot and killed himself",
            "shot and killed herself",
            "fatally shot himself",
            "fatally shot herself",
            "took his own life",
            "took her own life",
        ),
        before=(
            "killed",
            "kill",
            "kills",
            "killing",
            "shot dead",
            "shot and killed",
            "executed",
            "executing",
            "execute",
            "massacred",
            "massacring",
            "slaughtered",
            "murdered",
            "murdering",
            "claimed the lives of",
            "claiming the lives of",
            "claimed lives of",
            "claiming lives of",
            "claim the lives of",
            "took the lives of",
            "taking the lives of",
            "the lives of",
            "bodies of",
            "the bodies of",
            "deaths of",
            "the deaths of",
            "death of",
            "killing of",
            "murder of",
            "massacre of",
            "lost",
            "gunned down",
            "martyrdom of",
            "the martyrdom of",
            "crucified",
            "crucifies",
            "crucify",
            "beheaded",
            "beheads",
            "behead",
            "beheading",
            "decapitated",
            "decapitating",
            "shot to death",
            "stabbed to death",
            "fatally shot",
            "fatally wounded",
            "fatally injured",
            *_EUPHEMISMS,
        ),
        tolls=(
            "death toll",
            "toll",
            "number of dead",
            "number of deaths",
            "number of victims",
            "number of people killed",
            "number of civilians killed",
            "number of those killed",
            "number of fatalities",
        ),
        transitive=(
            "killed",
            "slain",
            "executed",
            "massacred",
            "murdered",
            "shot dead",
            "shot and killed",
            "gunned down",
            "beheaded",
            "decapitated",
            "shot to death",
            "fatally shot",
            "fatally wounded",
            "stabbed to death",
            "beaten to death",
            "hacked to death",
            "eliminated",
            "neutralized",
            "neutralised",
            "liquidated",
        ),
        nouns=(
            "deaths",
            "fatalities",
            "bodies",
            "martyrs",
            "lives",
            "civilian lives",
            "homicides",
        ),
        force_only=(),
        people_only=(
            "lost",
            *_EUPHEMISMS,
        ),
        singular=("death", "fatality", "homicide"),
    ),
    Category(
        "injured",
        stems=(
            "wound",
            "injur",
            "hurt",
            "hospitali",
            "suffer",
            "suffocat",
            "breathing",
            # (not "shots", "shotgun": they count no one, and are in most crime reports)
            r"shot\b",
            "stab",
        ),
        one_person=True,
        running_total=True,
        subject_kind="people",
        after=(
            "wounded",
            "injured",
            "hurt",
            "hospitalised",
            "hospitalized",
            "injuries",
            "suffered from suffocation",
            *_WOUNDED,
            "suffered burns",
            "treated for injuries",
            "treated for wounds",
            # ("their injuries" alone refers back: "volunteers risked their lives")
            "treated for their injuries",
            "treated for his injuries",
            "treated for her injuries",
            "treated for their wounds",
            "hospitalized for wounds",
            "hospitalised for wounds",
            "suffered suffocation",
            "suffered from breathing difficulties",
            "suffered breathing difficulties",
            # "five people were shot" (and "shot dead", "shot to death" are killed)
            "shot",
            # a knife wound as a gunshot: "three people were stabbed" ("stabbed to death" is killed)
            "stabbed",
        ),
        before=(
            "wounded",
            "wounding",
            "wound",
            "wounds",
            "injured",
            "injuring",
            "injure",
            "injures",
            "hurt",
            "hurting",
            "injuries to",
            "shot",
            "stabbed",
            "stabbing",
            "the injury of",
            "injury of",
            "the injuries of",
            "injuries of",
            "the wounding of",
            "wounding of",
        ),
        tolls=(
            "number of wounded",
            "number of injured",
            "number of people wounded",
            "number of people injured",
        ),
        transitive=(
            "wounded",
            "injured",
            "hurt",
            "shot",
            "stabbed",
        ),
        nouns=("injuries",),
        force_only=(),
        # "shot three people", "stabbed two women" (not "shot three times")
        people_only=("shot", "stabbed", "stabbing"),
        singular=("injury",),
    ),
    Category(
        "casualties",
        stems=(
            "casualt",
            "kill",
            "dead",
            "wound",
            "injur",
            "hurt",
        ),
        one_person=False,
        running_total=True,
        subject_kind="people",
        after=(
            "casualties",
            "killed or wounded",
            "killed or injured",
            "killed and wounded",
            "killed and injured",
            "dead or wounded",
            "dead and wounded",
            "dead and injured",
            "dead or injured",
            "killed or hurt",
            "dead or hurt",
        ),
        before=(
            "killed or wounded",
            "killing or wounding",
            "killed and injured",
            "killing and injuring",
            "killed and wounded",
            "killing and wounding",
            "killed or injured",
            "killing or injuring",
        ),
        tolls=(
            "casualty toll",
            "number of casualties",
        ),
        transitive=(
            "killed or wounded",
            "killed or injured",
            "killed and wounded",
            "killed and injured",
        ),
        nouns=("casualties",),
        force_only=(),
        singular=("casualty",),
    ),
    Category(
        "captured",
        stems=(
            "captur",
            "prisoner",
            "captive",
            "hostage",
            "abduct",
            "kidnap",
            "seiz",
        ),
        one_person=True,
        running_total=True,
        subject_kind="people",
        after=(
            "captured",
            "taken prisoner",
            "taken prisoners",
            "taken captive",
            "held captive",
            "held hostage",
            "taken hostage",
            "abducted",
            "kidnapped",
            "prisoners",
        ),
        before=(
            "captured",
            "capturing",
            "capture",
            "captures",
            "abducted",
            "abducting",
            "kidnapped",
            "kidnapping",
            "seized",
            "seizing",
            "took prisoner",
            "taking prisoner",
            "held hostage",
            "holding hostage",
        ),
        tolls=(),
        transitive=(
            "captured",
            "abducted",
            "kidnapped",
        ),
        nouns=("prisoners",),
        force_only=(),
    ),
    Category(
        "arrested",
        stems=(
            "arrest",
            "detain",
            "custody",
            "apprehend",
            "rounded",
        ),
        one_person=True,
        running_total=True,
        subject_kind="people",
        after=(
            "arrested",
            "detained",
            "in custody",
            "taken into custody",
            "apprehended",
            "rounded up",
        ),
        before=(
            "arrested",
            "arresting",
            "arrest",
            "arrests",
            "detained",
            "detaining",
            "detain",
            "detains",
            "rounded up",
            "apprehended",
        ),
        tolls=(),
        transitive=(
            "arrested",
            "detained",
            "apprehended",
            "rounded up",
        ),
        nouns=(),
        force_only=(),
    ),
    Category(
        "missing",
        stems=(
            "missing",
            "unaccounted",
            "rubble",
            "disappear",
        ),
        one_person=True,
        running_total=True,
        subject_kind="people",
        after=(
            "missing",
            "unaccounted for",
            "under the rubble",
            "disappeared",
        ),
        before=(),
        tolls=(),
        transitive=(),
        nouns=(),
        force_only=(),
    ),
    Category(
        "displaced",
        stems=(
            "displac",
            "fle[de]",
            "evacuat",
            "homeless",
            "uproot",
            "force",
        ),
        one_person=False,
        running_total=True,
        subject_kind="people",
        after=(
            "displaced",
            "fled",
            "forced to flee",
            "forced from their homes",
            "evacuated",
            "made homeless",
            "left homeless",
            "homeless",
            "uprooted",
            "fled their homes",
            "forced to leave their homes",
            "to flee",
            "flee",
        ),
        before=(
            "displaced",
            "displacing",
            "displace",
            "evacuated",
            "evacuating",
            "uprooted",
        ),
        tolls=(
            "number of displaced",
            "number of people displaced",
        ),
        transitive=(
            "displaced",
            "evacuated",
        ),
        nouns=(),
        force_only=(),
    ),
    Category(
        "besieged",
        stems=(
            "besieg",
            "trapp",
            "siege",
        ),
        one_person=False,
        running_total=False,
        subject_kind="people",
        after=(
            "besieged",
            "trapped",
            "under siege",
        ),
        before=(
            "besieging",
            "trapping",
        ),
        tolls=(),
        transitive=(
            "besieged",
            "trapped",
        ),
        nouns=(),
        force_only=(),
    ),
    Category(
        "troops",
        stems=(
            "deploy",
            "force",
            r"army\s+of",
        ),
        one_person=False,
        running_total=False,
        subject_kind="fighters",
        after=(),
        before=(
            *_SENDING_TROOPS,
            "a force of",
            "force of",
            "an army of",
        ),
        tolls=(),
        transitive=(),
        nouns=(),
        force_only=_SENDING_TROOPS,
    ),
)
BY_NAME = {c.name: c for c in CATEGORIES}
NAMES = tuple(BY_NAME)
# What one person can be counted as.
ONE_PERSON = frozenset(c.name for c in CATEGORIES if c.one_person)
NEVER_CUMULATIVE = frozenset(c.name for c in CATEGORIES if not c.running_total)
# The category a number followed by a troop noun makes without any trigger: "1,000 troops".
FORCE = BY_NAME["troops"].name
