"""extract: article text -> figures (FIGURES.md), each with its spans and raw attributes.

The grammar pieces live in `pipeline.grammar`; this package links them, in passes over one
article (PASSES, in order):

1. paragraphs: split the article; the days it names are read later, when a figure asks.
2. sentences: every sentence that holds a trigger word and a number gets its figures
   (sentence.py: quantities.py, link.py, breakdowns.py), claimants from the sentences beside
   it (claimants.py), and undated figures the day their paragraph is about (dating.py).
3. dates: figures still undated take the dates of the same figure told elsewhere, of the
   article's one event, of the figure they go on from; running totals their period.
4. headline: a headline ending in its source gives it to the figures it holds.
5. sources: 'it said', 'the source', reports and quotes point back to a source named before.

The article's CPU budget (grammar/budget.py) is checked between passes, and between the
paragraphs and sentences of the second: once spent, what is left is skipped and said so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..grammar import prefilter, sentences
from ..grammar.budget import Budget
from ..grammar.clauses import ACRONYM_IN_BRACKETS
from . import claimants, dating
from .model import Article, Candidate, ClaimantRule, DatesRule, Figure, How, Sentence
from .sentence import sentence_figures

__all__ = ["ACRONYM_IN_BRACKETS", "Candidate", "ClaimantRule", "DatesRule", "Figure", "How", "extract"]

OUT_OF_TIME = "the grammar ran out of time"
PARAGRAPH_RULES = (DatesRule.PARAGRAPH_BEFORE, DatesRule.PARAGRAPH_AFTER, DatesRule.PARAGRAPH_ONLY)
ARTICLE_RULES = (DatesRule.ARTICLE_BEFORE, DatesRule.ARTICLE_AFTER, DatesRule.ARTICLE_ONLY)


def extract(
    text: str,
    published: dt.date | None = None,
    problems: list[str] | None = None,
    budget: Budget | None = None,
) -> list[Figure]:
    """Every figure in an article, in text order. Once the article's time budget is spent, the
    sentences and passes left are skipped, and said so in `problems`."""
    # One pass over the article marks its trigger words and numbers; a paragraph or sentence
    # without both is skipped unread.
    marks = prefilter.Marks(text)
    if not marks.triggers:
        return []
    article = Article(text, published, budget or Budget.for_text(text), problems, marks)
    for step in PASSES:
        if step.needs_figures and not article.figures:
            continue
        try:
            if step.checked:
                article.budget.check()
            step.run(article)
        except TimeoutError:
            article.note(step.skipped)
            if step.stops:
                return []
    return article.figures


def _read_paragraphs(article: Article) -> None:
    article.paragraphs = list(sentences.paragraphs(article.text))
    if article.published:  # without it, no day words can be read
        article.days = dating.Days(article.text, article.published, article.paragraphs, article.marks)


def _read_sentences(article: Article) -> None:
    """Each paragraph's figures, sentence by sentence; a part that runs out of time is skipped
    and the next tried, so that the parts read before keep their figures."""
    for p_start, p_end in article.paragraphs:
        if not article.marks.candidate(p_start, p_end):
            continue
        try:
            article.budget.check()
            spans = list(sentences.sentences(article.text, p_start, p_end))
        except TimeoutError:
            article.note(f"paragraph at offset {p_start} skipped: {OUT_OF_TIME}")
            continue
        in_paragraph = _paragraph_figures(article, spans, p_start)
        try:
            if in_paragraph and article.days:
                article.budget.check()
                dating.date_from_context(article.days, p_start, p_end, in_paragraph, PARAGRAPH_RULES)
        except TimeoutError:
            article.note(f"dates of paragraph at offset {p_start} not read: {OUT_OF_TIME}")
        article.figures.extend(in_paragraph)


def _paragraph_figures(article: Article, spans: list[tuple[int, int]], p_start: int) -> list[Figure]:
    in_paragraph: list[Figure] = []
    for i, (s_start, s_end) in enumerate(spans):
        if not article.marks.candidate(s_start, s_end):
            continue
        try:
            article.budget.check()
            text = article.text[s_start:s_end]
            sentence = Sentence(
                text, s_start, s_end, p_start, headline=_is_title(article.text, s_start, s_end)
            )
            found = sentence_figures(sentence, article.published, article.marks)
        except TimeoutError:
            article.note(f"sentence at offset {s_start} skipped: {OUT_OF_TIME}")
            continue
        if found:
            claimants.from_neighbours(article.text, found, spans, i)
            in_paragraph.extend(found)
    return in_paragraph


# A title is the article's first line, standing alone, with no full stop: most outlets write
# it in sentence case, so the title-case test of a headline (grammar/persons.py) misses it.
TITLE_ENDS = (".", "!", "?", ":", ";")


def _is_title(text: str, start: int, end: int) -> bool:
    return start == 0 and text[end : end + 1] in ("\n", "") and not text[:end].rstrip().endswith(TITLE_ENDS)


def _dates_from_article(article: Article) -> None:
    if article.days:
        dating.date_from_repeats(article.figures)
        dating.date_from_context(article.days, 0, len(article.text), article.figures, ARTICLE_RULES)
    dating.carry_on(article.figures)
    if article.published and article.days:
        dating.running_totals(article.text, article.figures, article.published, article.days)


def _headline_source(article: Article) -> None:
    claimants.from_headline(article.text, article.figures)


def _sources_from_context(article: Article) -> None:
    claimants.from_context(article.text, article.paragraphs, article.figures, article.budget)


@dataclass(frozen=True)
class Pass:
    run: Callable[[Article], None]
    skipped: str  # what is said when the budget runs out before it
    checked: bool = True  # the budget is checked before it
    needs_figures: bool = False  # it has nothing to do without figures
    stops: bool = False  # running out of time here leaves nothing to read


PASSES = (
    Pass(_read_paragraphs, f"article skipped: {OUT_OF_TIME} splitting it into paragraphs", False, stops=True),
    # (each paragraph and sentence checks the budget, and says what it skipped, itself)
    Pass(_read_sentences, "", checked=False),
    Pass(_dates_from_article, f"dates from the article as a whole not read: {OUT_OF_TIME}"),
    # (one pattern over the first line: too cheap to need the budget)
    Pass(_headline_source, "", checked=False),
    Pass(
        _sources_from_context,
        f"sources from the article as a whole not read: {OUT_OF_TIME}",
        needs_figures=True,
    ),
)
