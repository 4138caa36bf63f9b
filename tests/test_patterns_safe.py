"""No grammar pattern can backtrack without bound: the guarantee that lets pattern calls run
without a per-call timeout (pipeline/grammar/patterns.py).

Every compiled pattern of the grammar is parsed (with the standard library's parser, after
`regex`'s Unicode properties are swapped for stand-ins) and its repetitions are checked:

- the rounds of a repeated group must not be able to trade characters: no character that a
  repetition inside the group can take at its end may also open the next round, and the
  other way round (`(a+)+`, `(?:\\w+\\s?)*`, `(?:\\d+|\\w+)+`: each splits a run of letters
  into rounds in every possible way, which takes the standard `re` engine a second for 22
  letters and twice as long for each one more);
- an unbounded repetition must not be able to match the empty string.

Such a pattern can take time exponential in the text. What is left, two unbounded repetitions
in a row that share characters (`\\s*,?\\s*`), costs at most a power of the length it is
given; the sentence cap and the document's time budget bound that.

Character sets are compared on a sample alphabet: ASCII, the letters and punctuation the
grammar names, and a few other Unicode letters and spaces.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import re._constants as sre  # noqa: PLC2701 - the parser's node names
import re._parser as sre_parse  # noqa: PLC2701 - the standard library's own regex parser

import pytest
import regex

import pipeline.extract
import pipeline.grammar
from pipeline.grammar import patterns

# Stand-ins for the Unicode properties `re` cannot parse: private-use characters, read back
# as the property they stand for.
PROPERTIES = {"Lu": "\ue000", "Ll": "\ue001", "L": "\ue002"}
STAND_IN = {v: k for k, v in PROPERTIES.items()}
ALPHABET = sorted({chr(c) for c in range(9, 127)} | set("’‘“”–—…•«»éÉèÀßİıçñ\u00a0\u2009\u200b٣"))
# A repetition with more rounds than this can cost as much as an unbounded one.
BOUNDED = 100
WHOLE = frozenset(ALPHABET)


def _in_property(name: str, c: str) -> bool:
    return {"Lu": c.isupper(), "Ll": c.islower(), "L": c.isalpha()}[name]


def _category(cat, c: str) -> bool:
    word = c.isalnum() or c == "_"
    return {
        sre.CATEGORY_WORD: word,
        sre.CATEGORY_NOT_WORD: not word,
        sre.CATEGORY_SPACE: c.isspace(),
        sre.CATEGORY_NOT_SPACE: not c.isspace(),
        sre.CATEGORY_DIGIT: c.isdecimal(),
        sre.CATEGORY_NOT_DIGIT: not c.isdecimal(),
    }[cat]


def _literal(code: int, c: str, caseless: bool) -> bool:
    char = chr(code)
    if char in STAND_IN:
        return c.isalpha() if caseless else _in_property(STAND_IN[char], c)
    return c == char or caseless and c.lower() == char.lower()


def _class_holds(items, c: str, caseless: bool) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            hit = hit or _literal(av, c, caseless)
        elif op is sre.RANGE:
            hit = hit or any(
                av[0] <= ord(x) <= av[1] for x in {c, c.lower(), c.upper()} if caseless or x == c
            )
        elif op is sre.CATEGORY:
            hit = hit or _category(av, c)
    return hit != negate


class Analysis:
    """The repetition checks over one parsed pattern."""

    def __init__(self, pattern: str, flags: int):
        self.caseless = bool(flags & regex.IGNORECASE)
        self.dotall = bool(flags & regex.DOTALL)
        self.problems: list[str] = []
        source = pattern
        for name, char in PROPERTIES.items():
            source = source.replace(rf"\p{{{name}}}", char)
        # Group names may repeat in `regex` (alternatives), not in `re`; names do not matter here.
        source = re.sub(r"\(\?P<\w+>", "(?:", source)
        self.tree = sre_parse.parse(source, flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE | re.DOTALL))

    # What a piece can match -------------------------------------------------------------
    def chars(self, op, av) -> frozenset:
        """The characters a one-character piece matches."""
        if op is sre.ANY:
            return WHOLE if self.dotall else WHOLE - {"\n"}
        if op is sre.LITERAL:
            return frozenset(c for c in ALPHABET if _literal(av, c, self.caseless))
        if op is sre.NOT_LITERAL:
            return frozenset(c for c in ALPHABET if not _literal(av, c, self.caseless))
        if op is sre.IN:
            return frozenset(c for c in ALPHABET if _class_holds(av, c, self.caseless))
        raise AssertionError(op)

    @staticmethod
    def _body(op, av):
        if op is sre.SUBPATTERN:
            return [av[-1]]
        if op is sre.ATOMIC_GROUP:
            return [av]
        if op is sre.BRANCH:
            return av[1]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return [av[2]]
        return []

    @staticmethod
    def unbounded(op, av) -> bool:
        return op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[1] > BOUNDED

    def nullable(self, seq) -> bool:
        for op, av in seq:
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue
            if op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
                if not self.nullable(self._body(op, av)[0]):
                    return False
            elif op is sre.BRANCH:
                if not any(self.nullable(alt) for alt in av[1]):
                    return False
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                if av[0] > 0 and not self.nullable(av[2]):
                    return False
            elif op is sre.GROUPREF:
                continue
            else:
                return False
        return True

    def edge(self, seq, last: bool) -> frozenset:
        """The characters a match of seq can open with (or end with, when last)."""
        found: set = set()
        for op, av in reversed(seq) if last else seq:
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue
            if op is sre.GROUPREF:
                return WHOLE
            bodies = self._body(op, av)
            if bodies:
                for body in bodies:
                    found |= self.edge(body, last)
            else:
                found |= self.chars(op, av)
            if not self.nullable([(op, av)]):
                break
        return frozenset(found)

    def everything(self, seq) -> frozenset:
        """Every character seq can take anywhere."""
        found: set = set()
        for op, av in seq:
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue
            if op is sre.GROUPREF:
                return WHOLE
            bodies = self._body(op, av)
            if bodies:
                for body in bodies:
                    found |= self.everything(body)
            else:
                found |= self.chars(op, av)
        return frozenset(found)

    def runs(self, seq, last: bool) -> frozenset:
        """The characters an unbounded repetition can take at the end of seq (or at its
        opening, when not last): where a round of an enclosing repetition can hand over
        characters to the next."""
        found: set = set()
        for op, av in reversed(seq) if last else seq:
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue
            if self.unbounded(op, av):
                found |= self.everything(av[2])
            for body in self._body(op, av):
                found |= self.runs(body, last)
            if not self.nullable([(op, av)]):
                break
        return frozenset(found)

    def holds_unbounded(self, seq) -> bool:
        return any(
            self.unbounded(op, av) or any(self.holds_unbounded(b) for b in self._body(op, av))
            for op, av in seq
            if op not in (sre.ASSERT, sre.ASSERT_NOT)
        )

    # The checks -----------------------------------------------------------------------------
    def check(self, seq=None, where: str = "") -> list[str]:
        seq = self.tree if seq is None else seq
        for op, av in seq:
            if op in (sre.ASSERT, sre.ASSERT_NOT):
                self.check(av[1])
                continue
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                self._repeat(av)
            for body in self._body(op, av):
                self.check(body)
        return self.problems

    def _repeat(self, av) -> None:
        low, high, body = av
        if high > BOUNDED and self.nullable(body):
            self.problems.append(f"an unbounded repetition that can match nothing: {self._show(body)}")
        if high < 2 or not self.holds_unbounded(body):
            return
        overlap = (self.runs(body, last=True) & self.edge(body, last=False)) | (
            self.runs(body, last=False) & self.edge(body, last=True)
        )
        if overlap:
            self.problems.append(
                f"a repeated group whose rounds can share {_sample(overlap)}: {self._show(body)}"
            )

    @staticmethod
    def _show(seq) -> str:
        return str(seq)[:160]


def _sample(chars: frozenset) -> str:
    return repr("".join(sorted(chars)[:12]))


def problems(pattern: str, flags: int = 0) -> list[str]:
    return Analysis(pattern, flags).check()


def grammar_patterns() -> dict[str, tuple[str, int]]:
    """Every compiled pattern held by the extractor, normaliser and grammar modules."""
    modules = [
        *(f"pipeline.extract.{m.name}" for m in pkgutil.iter_modules(pipeline.extract.__path__)),
        "pipeline.normalize",
        *(f"pipeline.grammar.{m.name}" for m in pkgutil.iter_modules(pipeline.grammar.__path__)),
    ]
    found: dict[str, tuple[str, int]] = {}
    for name in modules:
        for attr, value in vars(importlib.import_module(name)).items():
            compiled = [value] if isinstance(value, (regex.Pattern, re.Pattern)) else []
            if isinstance(value, patterns.CaselessPattern):
                compiled = [value.compiled, value.lower, *([value.starts] if value.starts else [])]
            for i, p in enumerate(compiled):
                found.setdefault(f"{name}.{attr}" + (f"[{i}]" if i else ""), (p.pattern, p.flags))
    return found


GRAMMAR = grammar_patterns()


def test_every_grammar_pattern_is_found():
    assert len(GRAMMAR) > 80
    assert "pipeline.grammar.circumstances.LOCATION" in GRAMMAR
    assert "pipeline.grammar.numbers.QUANTITY" in GRAMMAR


@pytest.mark.parametrize("name", sorted(GRAMMAR))
def test_grammar_pattern_cannot_backtrack_without_bound(name):
    pattern, flags = GRAMMAR[name]
    assert problems(pattern, flags) == []


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"(?:\w+\s?)*x",
        r"(?:\d+|\w+)+!",
        r"(?:\s+,?)*$",
        r"(?:[\w\-]+\s*)+:",
        r"(?:a|\s*)*",
        r"(?:\p{Lu}\w*\s*)+\.",
        r"(?:x\s+|\s+y)+z",
    ],
)
def test_dangerous_patterns_are_caught(pattern):
    assert problems(pattern), pattern


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:\s+\w+)*",
        r"\w+(?:\s+\w+){0,5}",
        r"(?:[\w\-]+\s+){0,4}?x",
        r"[^.]{0,40}?\bby\s+\w+",
        r"(?:\s+(?:\p{Lu}[\w'\-]*|al-[\w\-]+|district))*",
        r"(?<![.!?])[.!?]+[\"')]*(?=\s+[\p{Lu}\d])",
    ],
)
def test_safe_patterns_pass(pattern):
    assert problems(pattern) == []
