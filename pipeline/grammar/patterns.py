"""Every grammar pattern runs with a time limit, so no sentence can hang a run.

`compile()` returns a pattern whose every call passes the `regex` package's `timeout`;
a call that runs over raises TimeoutError, and the extractor skips that sentence and
reports it instead of stopping.
"""
from __future__ import annotations

import re
import time

import regex

# Seconds one pattern call may take (for finditer: from the start of the scan to its end,
# so callers finish a scan before doing other work). Sentences are at most a few thousand
# characters, so a well-behaved pattern takes microseconds; this only stops runaway
# backtracking.
TIMEOUT = 1.0


class Pattern:
    __slots__ = ("compiled", "pattern")

    def __init__(self, pattern: str, flags: int = 0):
        self.compiled = regex.compile(pattern, flags)
        self.pattern = pattern

    def search(self, string, pos=None, endpos=None):
        return self.compiled.search(string, pos, endpos, timeout=TIMEOUT)

    def match(self, string, pos=None, endpos=None):
        return self.compiled.match(string, pos, endpos, timeout=TIMEOUT)

    def finditer(self, string, pos=None, endpos=None):
        return self.compiled.finditer(string, pos, endpos, timeout=TIMEOUT)

    def findall(self, string, pos=None, endpos=None):
        return self.compiled.findall(string, pos, endpos, timeout=TIMEOUT)

    def sub(self, repl, string, count=0):
        return self.compiled.sub(repl, string, count, timeout=TIMEOUT)

    def split(self, string, maxsplit=0):
        return self.compiled.split(string, maxsplit, timeout=TIMEOUT)


def compile(pattern: str, flags: int = 0) -> Pattern:  # noqa: A001 - mirrors regex.compile
    return Pattern(pattern, flags)


def compile_at_end(pattern: str, flags: int = 0) -> Pattern:
    """For a pattern anchored at the end ('killed at least' before a number): the search
    runs backwards from the end, so it costs the length of the match, not of the text."""
    return Pattern(pattern, flags | regex.REVERSE)


class CaselessPattern(Pattern):
    """A case-insensitive pattern whose scans run case-sensitively over lower-cased text,
    which `regex` does about twice as fast. Its text must be all lower case (no \\p{Lu}), and
    the matches it returns are of the lower-cased string.

    `starts`, when given, lists in the standard library's `re` syntax what every match opens
    with (lower case, starting with a letter or digit). A scan then finds those places with one
    fast `re` pass and tries the full pattern only there, instead of at every word."""
    __slots__ = ("lower", "starts")

    def __init__(self, pattern: str, flags: int = 0, starts: str | None = None):
        super().__init__(pattern, flags | regex.IGNORECASE)
        self.lower = regex.compile(pattern, flags & ~regex.IGNORECASE)
        # A match opens with a word character after a word boundary, so never just after an
        # ASCII letter or digit, which both engines count as word characters. (Not `\\b`: the
        # two engines disagree on a few rare characters.) `re` cannot backtrack here: literal
        # words after a one-character look-behind.
        self.starts = re.compile(rf"(?<![a-z0-9_])(?={starts})") if starts else None

    def finditer(self, string, pos=None, endpos=None):
        lower = string.lower()
        if len(lower) != len(string):  # a few letters change length: offsets would move
            return super().finditer(string, pos, endpos)
        if self.starts is None:
            return self.lower.finditer(lower, pos, endpos, timeout=TIMEOUT)
        return self._at_starts(lower, pos or 0, len(lower) if endpos is None else endpos)

    def _at_starts(self, lower: str, pos: int, endpos: int):
        """What finditer would find: the leftmost match from pos, then on from its end. The
        time limit is the same as a finditer's: the whole scan."""
        deadline = time.monotonic() + TIMEOUT
        for start in self.starts.finditer(lower, pos, endpos):
            at = start.start()
            if at < pos:
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("regex timed out")
            match = self.lower.match(lower, at, endpos, timeout=left)
            if match and match.end() > match.start():
                yield match
                pos = match.end()


def compile_caseless(pattern: str, flags: int = 0, starts: str | None = None) -> CaselessPattern:
    return CaselessPattern(pattern, flags, starts)
