"""normalize: figures -> typed statement rows.

Resolves short claimant names to the full name the article gives ("the Observatory",
"SOHR" -> "Syrian Observatory for Human Rights"), fills event dates (publication date
where the article gives none), and gives every row a stable id.
"""

from __future__ import annotations

import hashlib

import regex

from . import EXTRACTOR_VERSION
from .extract import ACRONYM_IN_BRACKETS, Figure
from .grammar import sources
from .grammar.names import (
    ACRONYM_DEFINITION,
    DESCRIPTORS,
    LEADING_ARTICLE,
    LEADING_NAME,
    MONITOR_NAMES,
    PROPER_NAME,
    written_as_place,
)
from .ingest import Document

# What ACRONYM_DEFINITION reads as the acronym ("SOHR").
ACRONYM = regex.compile(r"\p{Lu}{2,8}")


class Names:
    """The full names an article gives, to resolve short names against. Each of the two scans
    of the whole text runs when a claimant first needs it."""

    def __init__(self, text: str):
        self.text = text
        self._acronyms: dict[str, str] | None = None
        self._in_order: list[str] | None = None
        self._names: list[str] | None = None

    @property
    def acronyms(self) -> dict[str, str]:
        """Acronyms the article defines in brackets, and their names."""
        if self._acronyms is None:
            try:
                # (most articles have no bracket to scan for)
                self._acronyms = (
                    {
                        m.group("acronym"): self._strip_article(m.group("name"))
                        for m in ACRONYM_DEFINITION.finditer(self.text)
                    }
                    if "(" in self.text
                    else {}
                )
            except TimeoutError:  # names stay as the sentence wrote them
                self._acronyms = {}
        return self._acronyms

    @property
    def in_order(self) -> list[str]:
        """The article's multi-word proper names, in the order it gives them."""
        if self._in_order is None:
            try:
                self._in_order = [self._strip_article(m.group()) for m in PROPER_NAME.finditer(self.text)]
            except TimeoutError:  # names stay as the sentence wrote them
                self._in_order = []
        return self._in_order

    @property
    def names(self) -> list[str]:
        """The names longest first; names of one length in the order the article gives them (a
        set's order changes with the process's hash seed, and so would the claimant chosen)."""
        if self._names is None:
            self._names = sorted(dict.fromkeys(self.in_order), key=len, reverse=True)
        return self._names

    @staticmethod
    def _strip_article(name: str) -> str:
        name = name.strip()
        # Only a name opening with a or t can open with an article: spare the others a pattern call.
        return LEADING_ARTICLE.sub("", name) if name[:1] in "AaTt" else name

    def full(self, claimant: str | None) -> str | None:
        if not claimant:
            return claimant
        claimant = ACRONYM_IN_BRACKETS.sub("", claimant).strip()
        short = LEADING_ARTICLE.sub("", claimant)
        # (only a word in capitals can be a defined acronym: the others spare the scan for them)
        if ACRONYM.fullmatch(short) and short in self.acronyms:
            return self.acronyms[short]
        if DESCRIPTORS.match(short):
            monitor = next(
                (
                    n
                    for pattern in MONITOR_NAMES
                    for n in self.in_order
                    if len(n.split()) > 1 and pattern.search(n)
                ),
                None,
            )
            if monitor:
                return monitor
        words = short.split()
        # "Observatory head Rami Abdel Rahman": expand the leading name when it is short for
        # one the article gives in full.
        lead = LEADING_NAME.match(short)
        if lead and len(words) > 3:
            full = self.full(lead.group())
            # ... unless the claimant already goes on with the rest of that name
            rest = short[lead.end() :]
            if (
                full
                and full != lead.group()
                and not short.startswith(full)
                and not full.endswith(rest.strip())
            ):
                return full + rest
        if not words or len(words) > 3 or not any(w[:1].isupper() for w in words) and len(words) > 1:
            return claimant
        wanted = {w.lower() for w in words}
        head = words[-1].lower()
        for name in self.names:
            name_words = [w.lower() for w in name.split()]
            if (
                len(name_words) > len(words)
                and wanted <= set(name_words)
                and head in name_words
                and name_words.index(head) > 0
            ):
                return name
        return claimant


def _claimant(names: Names, text: str, written: str | None) -> tuple[str | None, str | None]:
    """(claimant, claimant_text): the one name of the source, and the words the article used;
    both null when the words name no source."""
    if not written:
        return None, None
    # The catalogue knows the words as written, or the article's full name for them
    full = written if sources.known(written) else names.full(written)
    if not full or not sources.is_source(full):
        return None, None
    name = sources.canonical(full)
    if name and sources.known(name) is None and _is_place(text, name):
        return None, None
    return name, written


def _is_place(text: str, name: str) -> bool:
    words = name.split()
    if not name[:1].isupper() or len(words) > 3 or any(sources.is_head(w) for w in words):
        return False  # ("Homs Governor" is a source)
    return written_as_place(text, name)


def statement_id(doc_id: str, figure: Figure) -> str:
    q = figure.quantity
    key = f"{doc_id}\x00{q.start}\x00{q.end}\x00{figure.category}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


INT64_MAX = 2**63 - 1


def _fitting(doc: Document, figures: list[Figure]) -> list[Figure]:
    """Figures whose numbers fit the table's 64-bit counts: no count of people is larger, so one
    that does not fit is not a figure ("99999999999999999999999 people"); the reason says so."""
    kept = [
        f
        for f in figures
        if all(
            n is None or n <= INT64_MAX
            for n in (f.quantity.count, f.quantity.count_min, f.quantity.count_max)
        )
    ]
    if len(kept) < len(figures):
        note = f"{len(figures) - len(kept)} number(s) too large to be a count not kept as figures"
        doc.reason = f"{doc.reason}; {note}" if doc.reason else note
    return kept


def rows(doc: Document, figures: list[Figure]) -> list[dict]:
    """One row per figure, with every column of the statements schema."""
    text = doc.text or ""
    figures = _fitting(doc, figures)
    # Reading the article's names costs two scans of its whole text: only for a claimant.
    names = Names(text) if any(f.claimant for f in figures) else None
    # (an article names the same source for many figures: each is resolved once)
    claimants_of: dict[str | None, tuple[str | None, str | None]] = {}
    ids = [statement_id(doc.doc_id, f) for f in figures]
    id_of = {id(f): sid for f, sid in zip(figures, ids, strict=False)}
    out = []
    for figure, sid in zip(figures, ids, strict=False):
        q = figure.quantity
        start, end = figure.start, figure.end
        dates = figure.dates
        if dates is not None:
            date_start, date_end, precision = dates.start, dates.end, dates.precision
        else:
            date_start = date_end = doc.published_date
            precision = "publication"
        # (a pointer left when the context pass ran out of time names no one)
        said = figure.claimant if isinstance(figure.claimant, str) else None
        if names is None:
            claimants: tuple[str | None, str | None] = (None, None)
        elif said in claimants_of:
            claimants = claimants_of[said]
        else:
            claimants = claimants_of[said] = _claimant(names, text, said)
        out.append(
            {
                "statement_id": sid,
                "doc_id": doc.doc_id,
                "source_path": doc.source_path,
                "record_id": doc.record_id,
                "publisher": doc.publisher,
                "title": doc.title,
                "url": doc.url,
                "published_date": doc.published_date,
                "category": figure.category,
                "count": q.count,
                "count_min": q.count_min,
                "count_max": q.count_max,
                "qualifier": q.qualifier,
                "subject": figure.subject,
                "subject_kind": figure.subject_kind,
                "parent_statement_id": id_of.get(id(figure.parent)) if figure.parent is not None else None,
                "claimant": claimants[0],
                "claimant_text": claimants[1],
                "perpetrator": figure.perpetrator,
                "location": figure.location,
                "event_date_start": date_start,
                "event_date_end": date_end,
                "date_precision": precision,
                "is_cumulative": figure.is_cumulative,
                "quote": text[start:end],
                "sentence": text[figure.sentence_start : figure.sentence_end],
                "char_start": start,
                "char_end": end,
                "rules": figure.rules,
                "extractor_version": EXTRACTOR_VERSION,
            }
        )
    return out
