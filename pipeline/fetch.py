"""fetch: new articles from the feeds and pages listed in sources.toml into data/raw/.

Each article is stored once, as the page's HTML, under
`data/raw/<publisher>/<yyyy-mm-dd>/<slug>.html` with a `.meta.json` sidecar (url,
publisher, title, published, published_from, fetched_at, sha256). Raw files are never
rewritten; a URL already stored (compared after canonicalising it, so tracking
parameters do not count) is not fetched again, and a page whose content is already
stored under another URL is not stored twice.

Requests go through `download.Fetcher` (deadlines, size limits, addresses, retries,
robots.txt). A feed is asked for only if it changed (ETag / Last-Modified, kept in a
state file). A source that fails is one warning line and the others are still fetched.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import re
import time
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .download import Fetcher, FetchError, Settings

DEFAULTS = {
    "user_agent": "casualty-figures (dataset of casualty figures reported in the news)",
    "timeout_seconds": 20.0,  # total deadline of one request, connection to last byte
    "max_bytes": 5_000_000,  # of one page or feed, after decompression
    "max_items_per_feed": 200,  # a feed's first items only; the rest are counted
    "retries": 2,  # further tries after a transient failure
    "retry_backoff_seconds": 1.0,  # wait before the first retry; doubled each time
    "respect_robots_txt": True,
    "allow_private_addresses": False,  # loopback, private and link-local addresses
}
# How many failing articles of one feed its warning line names.
NAMED_FAILURES = 3
DATE_ORDER = ("feed", "dateline", "page metadata")


class SourcesError(Exception):
    """sources.toml cannot be used as written."""


@dataclass
class Source:
    kind: str  # "feed" or "page"
    url: str
    publisher: str


@dataclass
class Outcome:
    """What became of one source."""

    source: Source
    stored: int = 0
    known: int = 0
    duplicates: int = 0
    not_modified: bool = False
    error: str | None = None  # the source itself failed
    failed: list[str] = field(default_factory=list)  # its articles that failed
    items: int = 0
    notes: list[str] = field(default_factory=list)  # read, but with something to say
    validators: dict | None = None  # a feed's ETag / Last-Modified

    @property
    def failed_entirely(self) -> bool:
        return self.error is not None or (
            bool(self.failed) and not (self.stored or self.known or self.duplicates)
        )

    def warning(self) -> str | None:
        """One line for a source with anything wrong, naming the source."""
        parts = [self.error] if self.error else []
        parts += self.notes
        if self.failed:
            named = ", ".join(self.failed[:NAMED_FAILURES])
            more = len(self.failed) - NAMED_FAILURES
            total = self.items if self.source.kind == "feed" else 1
            parts.append(
                f"{len(self.failed)} of {total} articles failed: {named}"
                + (f" and {more} more" if more > 0 else "")
            )
        if not parts:
            return None
        return f"{self.source.kind} {self.source.url} ({self.source.publisher}): " + "; ".join(parts)


@dataclass
class Report:
    sources_path: Path
    stored: list[Path] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # not of one source

    @property
    def known(self) -> int:
        return sum(o.known for o in self.outcomes)

    @property
    def duplicates(self) -> int:
        return sum(o.duplicates for o in self.outcomes)

    @property
    def failed_sources(self) -> int:
        return sum(o.failed_entirely for o in self.outcomes)

    @property
    def all_failed(self) -> bool:
        return bool(self.outcomes) and self.failed_sources == len(self.outcomes)

    def warnings(self) -> list[str]:
        return [w for w in (o.warning() for o in self.outcomes) if w] + self.problems

    def line(self) -> str:
        if not self.outcomes:
            return (
                f"nothing fetched: {self.sources_path} lists no [[feeds]] or [[pages]] "
                f"(every entry is commented out or missing)"
            )
        return (
            f"fetched {len(self.stored)} new articles, {self.known} already stored, "
            f"{self.duplicates} with content already stored; "
            f"{self.failed_sources} of {len(self.outcomes)} sources failed"
        )


# --- sources.toml ------------------------------------------------------------------------


def read_sources(path: Path) -> tuple[Settings, list[Source]]:
    try:
        config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SourcesError(f"{path}: {error}") from error
    given = config.get("settings", {})
    if not isinstance(given, dict):
        raise SourcesError(f"{path}: [settings] should be a table")
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SourcesError(
            f"{path}: unknown setting {unknown[0]!r} under [settings] (known: {', '.join(DEFAULTS)})"
        )
    values: dict[str, Any] = {}  # each checked against its default's type below
    for f in fields(Settings):
        value: Any = given.get(f.name, DEFAULTS[f.name])
        kind = type(DEFAULTS[f.name])
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not kind or (isinstance(value, int | float) and value < 0):
            raise SourcesError(
                f"{path}: setting {f.name} should be a non-negative {kind.__name__}, got {value!r}"
            )
        values[f.name] = value
    sources = []
    for source_kind, key in (("feed", "feeds"), ("page", "pages")):
        entries = config.get(key, [])
        if not isinstance(entries, list):
            raise SourcesError(f"{path}: {key} should be written [[{key}]]")
        for i, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
                raise SourcesError(f"{path}: [[{key}]] number {i} has no url")
            if urlsplit(entry["url"]).scheme not in ("http", "https"):
                raise SourcesError(f"{path}: [[{key}]] number {i}: url should start http:// or https://")
            sources.append(
                Source(source_kind, entry["url"], str(entry.get("publisher") or _host(entry["url"])))
            )
    return Settings(**values), sources


def _host(url: str) -> str:
    return urlsplit(url).hostname or "unknown"


def slug(text: str, limit: int = 60) -> str:
    """'Syria's war: Kerry wants probe' -> 'syria-s-war-kerry-wants-probe'; never a path."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].strip("-") or "article"


def canonical(url: str) -> str:
    """One spelling per page: courlan's normalisation (host case, default port, sorted query,
    tracking parameters such as utm_* removed) without the #fragment."""
    import courlan

    try:
        normal = courlan.normalize_url(url)
    except ValueError:
        normal = url
    return urlunsplit(urlsplit(normal)._replace(fragment=""))


# --- what is stored ------------------------------------------------------------------------


def stored(raw: Path) -> tuple[set[str], set[str]]:
    """Canonical URLs and content hashes of everything already in the raw folder."""
    urls, hashes = set(), set()
    for sidecar in raw.rglob("*.meta.json"):
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(meta, dict):
            continue
        if isinstance(meta.get("url"), str):
            urls.add(canonical(meta["url"]))
        if isinstance(meta.get("sha256"), str):
            hashes.add(meta["sha256"])
    return urls, hashes


def publication_date(html: bytes, feed_date: str | None) -> tuple[str | None, str | None]:
    """(date, where it came from), in the order of DATE_ORDER: the feed's own date, in the
    publisher's offset; else a date the article's text states (its dateline); else the date
    trafilatura reads from the page (its metadata, or failing that its guess from the page)."""
    if feed_date:
        return feed_date, "feed"
    import trafilatura

    from .grammar.dates import dateline
    from .ingest import html_article

    page = html.decode("utf-8", errors="replace")
    text, _ = html_article(page)
    stated = dateline(text) if text else None
    if stated:
        return stated.isoformat(), "dateline"
    metadata = trafilatura.extract_metadata(page)
    if metadata and metadata.date:
        return metadata.date, "page metadata"
    return None, None


def store(
    raw: Path,
    source: Source,
    url: str,
    html: bytes,
    title: str | None,
    published: str | None,
    fetched_at: dt.datetime,
) -> Path:
    """Write the page and its sidecar under publisher/date/slug, never over an existing file."""
    import trafilatura

    published, published_from = publication_date(html, published)
    if title is None:
        metadata = trafilatura.extract_metadata(html.decode("utf-8", errors="replace"))
        title = metadata.title if metadata else None
    day = (published or fetched_at.date().isoformat())[:10]
    folder = raw / slug(source.publisher) / day
    folder.mkdir(parents=True, exist_ok=True)
    base = slug(title or url)
    path, n = folder / f"{base}.html", 2
    while path.exists() or path.with_suffix(".meta.json").exists():
        path, n = folder / f"{base}-{n}.html", n + 1
    meta = {
        "url": url,
        "publisher": source.publisher,
        "title": title,
        "published": published,
        "published_from": published_from,
        "fetched_at": fetched_at.isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(html).hexdigest(),
    }
    with open(path, "xb") as f:
        f.write(html)
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path


# --- feeds ---------------------------------------------------------------------------------


def entry_date(entry) -> str | None:
    """The entry's date as the publisher wrote it, offset kept ('2016-08-14T01:30:00+03:00'):
    its day is the publisher's day, not the UTC one. feedparser's own parsed dates are UTC,
    so they are only the fallback."""
    for key in ("published", "updated"):
        text = entry.get(key)
        if not isinstance(text, str) or not text.strip():
            continue
        when = None
        try:
            when = email.utils.parsedate_to_datetime(text.strip())  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            try:
                when = dt.datetime.fromisoformat(text.strip())  # Atom: RFC 3339
            except ValueError:
                pass
        if when is not None:
            return when.isoformat()
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None


def _feed_items(fetcher: Fetcher, source: Source, outcome: Outcome, state: dict) -> list[tuple]:
    import feedparser

    previous = state.get(source.url, {})
    headers = {}
    if previous.get("etag"):
        headers["If-None-Match"] = previous["etag"]
    if previous.get("last_modified"):
        headers["If-Modified-Since"] = previous["last_modified"]
    try:
        response = fetcher.get(source.url, headers)
    except FetchError as error:
        outcome.error = str(error)
        return []
    if response.status == 304:
        outcome.not_modified = True
        return []
    feed = feedparser.parse(response.body)
    if feed.bozo and not any(entry.get("link") for entry in feed.entries):
        reason = str(getattr(feed, "bozo_exception", "not a feed")).splitlines()[0][:100]
        outcome.error = f"not a feed ({reason})"
        return []
    if feed.bozo:  # reported, and whatever entries could still be read are fetched
        reason = str(getattr(feed, "bozo_exception", "")).splitlines()[0][:100]
        outcome.notes.append(f"malformed feed ({reason})")
    limit = fetcher.settings.max_items_per_feed
    if len(feed.entries) > limit:
        outcome.notes.append(f"{len(feed.entries)} items, only the first {limit} read (max_items_per_feed)")
    items = []
    for entry in feed.entries[:limit]:
        link = entry.get("link")
        if isinstance(link, str) and urlsplit(link).scheme in ("http", "https"):
            items.append((link, entry.get("title"), entry_date(entry)))
        else:
            outcome.failed.append(f"an item with no http(s) link ({str(link)[:60]!r})")
    outcome.items = len(feed.entries[:limit])
    # Remembered only once every article of this version of the feed is in.
    outcome.validators = {
        k: v
        for k, v in (
            ("etag", response.headers.get("etag")),
            ("last_modified", response.headers.get("last-modified")),
        )
        if v
    }
    return items


def _state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def default_state(raw: Path) -> Path:
    """Beside the raw folder, not in it: everything in it is read as an article."""
    return Path(raw).parent / "fetch-state.json"


def fetch(
    sources_path: Path,
    raw: Path,
    now: dt.datetime | None = None,
    state_path: Path | None = None,
    sleep=time.sleep,
) -> Report:
    settings, sources = read_sources(sources_path)
    report = Report(Path(sources_path))
    if not sources:
        return report
    known_urls, known_hashes = stored(raw)
    state_path = state_path or default_state(raw)
    state = _state(state_path)
    now = now or dt.datetime.now(dt.UTC)
    fetcher = Fetcher(settings, sleep)
    try:
        for source in sources:
            outcome = Outcome(source)
            report.outcomes.append(outcome)
            items = (
                [(source.url, None, None)]
                if source.kind == "page"
                else _feed_items(fetcher, source, outcome, state)
            )
            for url, title, published in items:
                url = canonical(url)
                if url in known_urls:
                    outcome.known += 1
                    continue
                try:
                    html = fetcher.get(url).body
                except FetchError as error:
                    if source.kind == "page":
                        outcome.error = str(error)
                    else:
                        outcome.failed.append(f"{error} ({url})")
                    continue
                known_urls.add(url)
                digest = hashlib.sha256(html).hexdigest()
                if digest in known_hashes:  # the same page under another address
                    outcome.duplicates += 1
                    continue
                known_hashes.add(digest)
                report.stored.append(store(raw, source, url, html, title, published, now))
                outcome.stored += 1
            if outcome.validators is not None and not outcome.failed:
                state[source.url] = outcome.validators
    finally:
        fetcher.close()
    if state:
        from .load import OutputError, write_json

        try:
            write_json(state_path, state)
        except OutputError as error:  # the articles are stored; only the next request is dearer
            report.problems.append(f"{error}; feeds will be downloaded in full next time")
    return report
