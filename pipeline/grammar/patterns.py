"""How the grammar compiles its patterns, and why no pattern call can hang a run.

A pattern call carries no time limit of its own (the `regex` package's per-call timeout
reads the process clock on every call, which cost about a quarter of extraction). Three
guarantees take its place, none of them paid per call:

- no pattern nests unbounded repetition in a way that lets one string be matched many ways
  (`(a+)+`, `(?:\\w+\\s?)*`): tests/test_patterns_safe.py parses every compiled pattern of the
  grammar and fails on one that does, so no call can backtrack exponentially;
- the grammar reads sentences of at most `sentences.MAX_SENTENCE` characters, so even a
  pattern that retries at every position stays within a bounded cost;
- each document has a time budget (pipeline/grammar/budget.py), checked between sentences and
  between passes, which stops whatever still runs too long and says so in `reason`.
"""

from __future__ import annotations

import re

import regex


def compile(pattern: str, flags: int = 0) -> regex.Pattern:  # noqa: A001 - mirrors regex.compile
    return regex.compile(pattern, flags)


def compile_at_end(pattern: str, flags: int = 0) -> regex.Pattern:
    """For a pattern anchored at the end ('killed at least' before a number): the search
    runs backwards from the end, so it costs the length of the match, not of the text."""
    return regex.compile(pattern, flags | regex.REVERSE)


class CaselessPattern:
    """A case-insensitive pattern whose scans run case-sensitively over lower-cased text,
    which `regex` does about twice as fast. Its text must be all lower case (no \\p{Lu}), and
    the matches it returns are of the lower-cased string.

    `starts`, when given, lists in the standard library's `re` syntax what every match opens
    with (lower case, starting with a letter or digit). A scan then finds those places with one
    fast `re` pass and tries the full pattern only there, instead of at every word."""

    __slots__ = ("compiled", "lower", "pattern", "starts")

    def __init__(self, pattern: str, flags: int = 0, starts: str | None = None):
        self.pattern = pattern
        self.compiled = regex.compile(pattern, flags | regex.IGNORECASE)
        self.lower = regex.compile(pattern, flags & ~regex.IGNORECASE)
        # A match opens with a word character after a word boundary, so never just after an
        # ASCII letter or digit, which both engines count as word characters. (Not `\\b`: the
        # two engines disagree on a few rare characters.) `re` cannot backtrack here: literal
        # words after a one-character look-behind.
        self.starts = re.compile(rf"(?<![a-z0-9_])(?={starts})") if starts else None

    def search(self, string, pos=None, endpos=None):
        return self.compiled.search(string, pos, endpos)

    def match(self, string, pos=None, endpos=None):
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string, pos=None, endpos=None):
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string, pos=None, endpos=None):
        lower = string.lower()
        if len(lower) != len(string):  # a few letters change length: offsets would move
            return self.compiled.finditer(string, pos, endpos)
        if self.starts is None:
            return self.lower.finditer(lower, pos, endpos)
        return self._at_starts(self.starts, lower, pos or 0, len(lower) if endpos is None else endpos)

    def first(self, string: str, pos: int = 0, endpos: int | None = None):
        """What search would find, as a match of the lower-cased string: the full pattern is
        tried only where `starts` says a match can open (most stretches hold none). Text whose
        lower-casing moves offsets, or holds 'ſ' (which matches 's' only case-insensitively),
        is searched as written."""
        lower = string.lower()
        if self.starts is None or len(lower) != len(string) or "ſ" in lower:
            return self.compiled.search(string, pos, endpos)
        return next(self._at_starts(self.starts, lower, pos, len(lower) if endpos is None else endpos), None)

    def _at_starts(self, starts: re.Pattern, lower: str, pos: int, endpos: int):
        """What finditer would find: the leftmost match from pos, then on from its end."""
        match_at = self.lower.match
        for start in starts.finditer(lower, pos, endpos):
            at = start.start()
            if at < pos:
                continue
            match = match_at(lower, at, endpos)
            if match and match.end() > match.start():
                yield match
                pos = match.end()


def compile_caseless(pattern: str, flags: int = 0, starts: str | None = None) -> CaselessPattern:
    return CaselessPattern(pattern, flags, starts)
