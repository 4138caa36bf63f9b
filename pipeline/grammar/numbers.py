"""Reading numbers of people: digits, words, vague words, ranges and their qualifiers.

`QUANTITY` finds one quantity with any qualifier around it, and
`read_quantity(match)` turns the match into a `Quantity` with count, bounds and
qualifier as FIGURES.md writes them. Each piece below names an example it must match.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from . import patterns
from .words import alternation, opening_words, word_starts

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# "twenty-three", "two hundred and fifty", "two and a half thousand", "a thousand"
_SMALL = alternation(list(TENS) + list(UNITS))
_SCALE = alternation(SCALES)
WORD_NUMBER = (
    rf"(?:(?:{_SMALL})(?:[- ](?:{_SMALL}))?|a(?=\s+(?:{_SCALE})\b))"
    rf"(?:(?:\s+and)?\s+(?:a\s+half|{_SCALE}|(?:{_SMALL})(?:[- ](?:{_SMALL}))?))*"
    # a whole word: "Tenn." (Tennessee) is no ten
    r"\b"
)

# "1,127", "1 000", "1127", "1.5 million", "3 million", "20+"
DIGIT_NUMBER = (
    r"(?<![\d.,:/$£€])(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\u00a0\d{3})+|\d{1,3}(?: \d{3})+(?![\d,])"
    r"|\d+(?:\.\d+)?)(?![\d:/]|\.\d|,\d)"
    rf"(?:\s*(?:{_SCALE}|mn|bn|m)\b)?"
)

# "a dozen" (12), "half a dozen" (6), "two dozen" (24), "2 dozen" (24)
DOZEN = rf"(?:half\s+a|a|(?:{_SMALL})|\d{{1,2}})\s+dozen(?!s)"

# Vague words with the ACLED-style conventional value and what they allow (FIGURES.md).
VAGUE = {
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "several thousand": 3_000,
    "a few thousand": 3_000,
    "several hundred": 300,
    "a few hundred": 300,
    "a few": 3,
    "a handful": 3,
    "several": 3,
    "a number": 3,
    "multiple": 3,
    "numerous": 10,
    "many": 10,
    "scores": 10,
    "tens": 10,
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1_000,
    "millions": 1_000_000,
    "some": 3,
}
# "dozens of", "scores of" read without the "of"; "some" only before a noun, never "some 300";
# "it is unknown how many were hurt" asks a number, it gives none; "some of the bodies",
# "wounded, some of them seriously" pick out a few of people counted elsewhere, uncounted.
PARTITIVE_OF = r"\s+(?:the|them|those|whom|these)\b"
# Narratives that quote their sources put the words in quote marks: "a ‘number’ were wounded",
# "injured “a number” of others" (the marks are dropped when the words are looked up).
_QUOTE_CHARS = r"[\"“”‘’']"
_QUOTE_MARK = rf"{_QUOTE_CHARS}?"
QUOTE_MARKS = patterns.compile(_QUOTE_CHARS)
_VAGUE_WORDS = alternation(VAGUE).replace(r"\s+", rf"\s+{_QUOTE_MARK}")
VAGUE_NUMBER = (
    rf"(?<!\bhow\s+)(?!some\s+of{PARTITIVE_OF})(?:{_VAGUE_WORDS})\b{_QUOTE_MARK}(?:\s+of(?!{PARTITIVE_OF}))?"
    r"(?!\s*\d)"
)

# "16 civilians were killed and others were injured": "others" alone, as the next part of a
# sentence that has counted some already, is an unspecified number of wounded (read as "some").
# Only there: "two others" is the number two, "the others" people already counted, and in
# "some killed him and others injured his father" they are the doers.
OTHERS = {"others": 3}
# So after "that": "reports said that others were wounded", and after "with": "three were killed,
# with others wounded / sustaining injuries"; and as the object of a wounding verb that ends its
# clause: "killing three and injuring others." Narratives quoting their sources put the word in
# quote marks: "reported that “others” were injured".
OTHERS_ALONE = (
    rf"(?<=(?:\band|\bwhile|\bthat|\bwith|,)\s{{1,3}}{_QUOTE_MARK})others(?={_QUOTE_MARK}\s+(?:were\s+|are\s+|have\s+been\s+|had\s+been\s+)?"
    rf"(?:\w+ly\s+|also\s+)?(?:injured|wounded|hurt|sustaining\s+injuries)\b(?!\s+(?:his|her|their|him|them|a|an|the|\d+|{alternation(UNITS)}|{alternation(TENS)})\b))"
    rf"|(?<=\b(?:injuring|wounding)\s{{1,3}}{_QUOTE_MARK})others(?={_QUOTE_MARK}\s*(?:[.,;]|$))"
)

# Parts of a large number: "a quarter of a million", "half a million", "a half million",
# "three quarters of a million", "two thirds of a million".
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25}
_FRACTION_WORD = alternation(FRACTIONS)
_BIG_SCALE = alternation(["thousand", "million", "billion"])
FRACTION = rf"(?:(?:a|one|two|three)[\s-]+)?(?:{_FRACTION_WORD})\s+(?:of\s+)?(?:a\s+)?(?:{_BIG_SCALE})\b"

NUMBER = rf"(?:{FRACTION}|{DOZEN}|{DIGIT_NUMBER}|{WORD_NUMBER})"

# Qualifiers before the number, each mapped to its FIGURES.md value.
QUALIFIERS_BEFORE = {
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "not less than": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "well over": "more_than",
    "above": "more_than",
    "well above": "more_than",
    "at most": "at_most",
    "up to": "at_most",
    "no more than": "at_most",
    "as many as": "at_most",
    "a maximum of": "at_most",
    "not more than": "at_most",
    "less than": "less_than",
    "fewer than": "less_than",
    "under": "less_than",
    "nearly": "less_than",
    "almost": "less_than",
    "just under": "less_than",
    "close to": "less_than",
    "about": "about",
    "around": "about",
    "some": "about",
    "approximately": "about",
    "roughly": "about",
    "an estimated": "about",
    "estimated": "about",
    "approx.": "about",
    "a total of": "exact",
}
# "20+", "20 or more"
QUALIFIERS_AFTER = {"+": "at_least", "or more": "at_least", "and more": "at_least", "plus": "at_least"}

# What can open a quantity ("a" only in "a dozen", "a thousand", "a few", "a total of" and the
# like), as the pattern's own lookahead (first letters of the first word: the scan skips every
# other word at once) and as the whole phrases of the fast first pass (patterns.CaselessPattern).
_OPENING = [
    *QUALIFIERS_BEFORE,
    "between",
    "half",
    *UNITS,
    *TENS,
    *VAGUE,
    *OTHERS,
    *(f"a {word}" for word in ("dozen", *SCALES, *FRACTIONS)),
]
QUANTITY_STARTS = word_starts(_OPENING)
QUANTITY_OPENERS = opening_words(_OPENING).replace(r"\s+", rf"\s+{_QUOTE_MARK}")  # "a ‘number’"
# ("none of the 12 passengers were hurt", "not one person was hurt" count no one)
QUANTITY = patterns.compile_caseless(
    rf"""\b(?<!\bnone\s+of\s+(?:the\s+|those\s+)?|\bnot\s+)(?=\d|(?:{QUANTITY_STARTS}))(?:(?P<qualifier>{alternation(QUALIFIERS_BEFORE)})\s+)?
    (?:
        between\s+(?P<low>{NUMBER})\s+and\s+(?P<high>{NUMBER})          # between 30 and 40
      | (?P<vague>{VAGUE_NUMBER}|{OTHERS_ALONE})                         # dozens, several thousand
        # 23, twenty-three, 1.5 million; 30-40, 30 to 40 (then `number` is the low end). One
        # number read once, then the range's end tried after it: most numbers are no range.
        # (A hyphen only after digits: "twenty-eight" is one number, not twenty to eight. No
        # vague word opens a number, so trying them before it finds the same.)
      | (?P<number>{NUMBER})(?:(?:(?<=\d)\s*[-–—]|\s*\bto\b|\s*\bor\b)\s*(?P<high>{NUMBER}))?
    )
    (?:\s*(?P<after>\+(?!\w)|\bor\s+more\b|\band\s+more\b))?""",
    regex.IGNORECASE | regex.VERBOSE,
    starts=rf"\d|{QUANTITY_OPENERS}",
)


# Numbers that are ages or page furniture however their sentence reads: each number in a
# list of ages ("ages 13, 17 and 19", "between the ages of 11 and 15", "aged 20 to 25"), an
# age after "both" ("Smith and Jones, both 17, died"), the N of M of a gallery or pager
# ("Image 2 of 8", "page 2 of 5").
_LIST_BEFORE = r"(?:\d{1,3}\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|to\s+|through\s+|[-–]\s*))*"
NOT_A_COUNT_BEFORE = patterns.compile_at_end(
    rf"(?:\b(?:ages?|aged)\s+(?:(?:of|from|between)\s+)?{_LIST_BEFORE}"
    r"|\b(?:image|photo|picture|slide|page|part)\s+\d{1,3}\s+(?:of|/)\s*(?:/\s*)?)$",
    regex.IGNORECASE,
)
# "a woman and a man, both 19, ...": an age when only punctuation follows it.
BOTH_BEFORE = patterns.compile_at_end(r"\bboth\s+$", regex.IGNORECASE)
# The N of "Image 4 of 9" itself.
GALLERY_BEFORE = patterns.compile_at_end(r"\b(?:image|photo|picture|slide|page|part)\s+$", regex.IGNORECASE)
OF_TOTAL_AFTER = patterns.compile(r"\s*(?:of|/)\s*(?:/\s*)?\d", regex.IGNORECASE)
DIGIT = patterns.compile(r"\d")
PUNCTUATION_AFTER = patterns.compile(r"\s*(?:[,;.)]|$)")


def is_not_a_count(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] is an age in a list, or a gallery's or page's
    'N of M', rather than a count of people."""
    if not DIGIT.search(text, start, end):
        return False  # ages and page numbers are written in digits: "ages 7 and 10, and two adults"
    if NOT_A_COUNT_BEFORE.search(text, max(0, start - 80), start):
        return True
    if GALLERY_BEFORE.search(text, max(0, start - 10), start) and OF_TOTAL_AFTER.match(text, end):
        return True
    return bool(BOTH_BEFORE.search(text, max(0, start - 10), start) and PUNCTUATION_AFTER.match(text, end))


@dataclass(frozen=True)
class Quantity:
    count: int
    count_min: int | None
    count_max: int | None
    qualifier: str
    start: int
    end: int


DIGITS_AND_SCALE = patterns.compile(r"([\d, .]+?)\s*([a-z]*)$")
WORD_SEPARATOR = patterns.compile(r"[\s-]+")
FRACTION_PARTS = patterns.compile(
    rf"(?:(?:a|(?P<times>one|two|three))[\s-]+)?(?P<part>{_FRACTION_WORD})\s+(?:of\s+)?(?:a\s+)?"
    rf"(?P<scale>{_BIG_SCALE})"
)
SPACES = patterns.compile(r"\s+")
OF_AT_END = patterns.compile(r"\s+of$")


def parse_number(text: str) -> int | None:
    """'1,127' -> 1127, 'twenty-three' -> 23, 'two and a half thousand' -> 2500, '1.5 million' -> 1500000."""
    text = text.lower().replace("\u00a0", " ").strip()
    if not text:
        return None
    if FRACTION_PARTS.fullmatch(text):
        return _parse_fraction(text)
    if "dozen" in text:
        head = text.split("dozen")[0].strip()
        if head in ("a", ""):
            return 12
        if head == "half a":
            return 6
        small = parse_number(head)
        return None if small is None else small * 12
    if text[0].isdigit():
        return _parse_digits(text)
    return _parse_words(text)


def _parse_fraction(text: str) -> int:
    """'a quarter of a million' -> 250000, 'three quarters of a million' -> 750000."""
    match = FRACTION_PARTS.fullmatch(text)
    assert match is not None
    share = FRACTIONS[match.group("part")] * UNITS.get(match.group("times") or "one", 1)
    return int(round(share * SCALES[match.group("scale")]))


def _parse_digits(text: str) -> int | None:
    match = DIGITS_AND_SCALE.match(text)
    if not match:
        return None
    digits, scale = match.group(1).strip(), match.group(2)
    multiplier = {"": 1, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}.get(scale, SCALES.get(scale))
    if multiplier is None:
        return None
    digits = digits.replace(",", "").replace(" ", "")
    try:
        value = float(digits) if "." in digits else int(digits)
    except ValueError:
        return None
    if isinstance(value, float) and multiplier == 1:
        return None  # "2.5" people is not a head count
    return int(round(value * multiplier))


def _parse_words(text: str) -> int | None:
    total: float = 0  # "a half" makes a part of a number
    current: float = 0
    seen = False
    tokens = WORD_SEPARATOR.split(text)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "and":
            i += 1
            continue
        if token == "a" and i + 1 < len(tokens) and tokens[i + 1] == "half":
            current += 0.5
            i += 2
            continue
        if token == "a":
            current = 1
        elif token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token in SCALES:
            scale = SCALES[token]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
        seen = True
        i += 1
    if not seen:
        return None
    return int(round(total + current))


def _bounds(count: int, qualifier: str) -> tuple[int | None, int | None]:
    return {
        "exact": (count, count),
        "at_least": (count, None),
        "more_than": (count + 1, None),
        "at_most": (None, count),
        "less_than": (None, max(count - 1, 0)),
        "about": (None, None),
        "vague": (count, None),
    }[qualifier]


def read_quantity(match: regex.Match, offset: int = 0) -> Quantity | None:
    """The Quantity a QUANTITY match stands for, or None when its words are not a number."""
    qualifier = (
        QUALIFIERS_BEFORE.get(_norm(match.group("qualifier")), "exact")
        if match.group("qualifier")
        else "exact"
    )
    start, end = match.start() + offset, match.end() + offset
    if is_not_a_count(match.string, match.start(), match.end()):
        return None
    if match.group("high"):
        low, high = (
            parse_number(match.group("low") or match.group("number")),
            parse_number(match.group("high")),
        )
        if low is None or high is None or not low < high:
            return None
        return Quantity(low, low, high, "range", start, end)
    if match.group("vague"):
        words = OF_AT_END.sub("", _norm(QUOTE_MARKS.sub("", match.group("vague"))))
        count = VAGUE.get(words) or OTHERS[words]
        return Quantity(count, count, None, "vague", start, end)
    number = parse_number(match.group("number"))
    if number is None:
        return None
    count = number
    if match.group("after"):
        qualifier = "at_least"
    low, high = _bounds(count, qualifier)
    return Quantity(count, low, high, qualifier, start, end)


def _norm(text: str) -> str:
    return SPACES.sub(" ", text.lower().strip())
