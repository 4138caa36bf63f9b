"""Paragraphs and sentences with their offsets in the article text."""

from __future__ import annotations

from collections.abc import Iterator

from . import patterns

# Abbreviations after which a full stop does not end a sentence ("Lt. Gen. Sergei Rudskoi").
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "cpl",
    "pvt",
    "gov",
    "sen",
    "rep",
    "rev",
    "st",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "u.k",
    "e.u",
    "a.m",
    "p.m",
    "approx",
    "est",
    "adm",
    "cmdr",
    "brig",
    "ft",
    "mt",
}

PARAGRAPH = patterns.compile(r"[^\n]+")
# A sentence ends at . ! or ? (and any closing quotes) followed by space and a capital,
# digit or opening quote. It is tried only where a run of stops begins (the look-behind), so
# a paragraph of '!!!!...' is one attempt, not one per character, each reading to the run's end.
SENTENCE_END = patterns.compile(r"(?<![.!?])[.!?]+[\"'”’)]*(?=\s+[\"“‘'(]?[\p{Lu}\d])")
LAST_WORD = patterns.compile_at_end(r"([\w.]+)[.!?]*$")
# Long stretches with no full stop are cut at this many characters so that no sentence
# makes the grammar's work unbounded.
MAX_SENTENCE = 2000


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    for match in PARAGRAPH.finditer(text):
        if match.group().strip():
            yield match.start(), match.end()


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], trimmed of white space."""
    begin = start
    for match in SENTENCE_END.finditer(text, start, end):
        word = LAST_WORD.search(text[max(begin, match.start() - 12) : match.start() + 1])
        token = word.group(1).lower().rstrip(".") if word else ""
        if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        yield from _trimmed(text, begin, match.end())
        begin = match.end()
    yield from _trimmed(text, begin, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield start, cut
        start = cut + 1
    if end > start:
        yield start, end
