"""fetch: new articles from the feeds and pages listed in sources.toml into data/raw/.

Each article is stored once, as the page's HTML, under
`data/raw/<publisher>/<yyyy-mm-dd>/<slug>.html` with a `.meta.json` sidecar (url,
publisher, title, published, fetched_at, sha256). Raw files are never rewritten and a
URL already stored is not fetched again. Every download has a timeout and a size limit;
a source that fails is reported in one line and the others are still fetched.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

DEFAULTS = {"user_agent": "casualty-figures/0.1 (news figures dataset builder; polite fetcher)",
            "timeout_seconds": 20.0, "max_bytes": 5_000_000}


@dataclass
class Source:
    kind: str          # "feed" or "page"
    url: str
    publisher: str


@dataclass
class Settings:
    user_agent: str
    timeout_seconds: float
    max_bytes: int


@dataclass
class Report:
    stored: list[Path] = field(default_factory=list)
    known: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"fetched {len(self.stored)} new articles, {self.known} already stored, "
                f"{len(self.problems)} problems")


class SourcesError(Exception):
    """sources.toml cannot be used as written."""


def read_sources(path: Path) -> tuple[Settings, list[Source]]:
    try:
        config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SourcesError(f"{path}: {error}") from error
    settings = {**DEFAULTS, **config.get("settings", {})}
    sources = []
    for kind, key in (("feed", "feeds"), ("page", "pages")):
        for i, entry in enumerate(config.get(key, []), start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
                raise SourcesError(f"{path}: [[{key}]] number {i} has no url")
            sources.append(Source(kind, entry["url"], str(entry.get("publisher") or _host(entry["url"]))))
    return Settings(str(settings["user_agent"]), float(settings["timeout_seconds"]),
                    int(settings["max_bytes"])), sources


def _host(url: str) -> str:
    match = re.match(r"\w+://([^/:]+)", url)
    return match.group(1) if match else "unknown"


def slug(text: str, limit: int = 60) -> str:
    """'Syria's war: Kerry wants probe' -> 'syria-s-war-kerry-wants-probe'; never a path."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].strip("-") or "article"


class TooLarge(Exception):
    pass


def download(client, url: str, max_bytes: int) -> bytes:
    """The body of a GET, refusing more than max_bytes; raises on HTTP errors."""
    with client.stream("GET", url) as response:
        response.raise_for_status()
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(f"{int(declared)} bytes, over the {max_bytes} byte limit")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise TooLarge(f"over the {max_bytes} byte limit")
        return bytes(body)


def stored_urls(raw: Path) -> set[str]:
    urls = set()
    for sidecar in raw.rglob("*.meta.json"):
        try:
            url = json.loads(sidecar.read_text(encoding="utf-8")).get("url")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(url, str):
            urls.add(url)
    return urls


def _describe(error: Exception) -> str:
    import httpx
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, TooLarge):
        return f"too large ({error})"
    if isinstance(error, httpx.HTTPError):
        return f"{type(error).__name__}: {str(error)[:100]}"
    return f"{type(error).__name__}: {str(error)[:100]}"


def store(raw: Path, source: Source, url: str, html: bytes, title: str | None,
          published: str | None, fetched_at: dt.datetime) -> Path:
    """Write the page and its sidecar under publisher/date/slug, never over an existing file."""
    import trafilatura
    metadata = trafilatura.extract_metadata(html.decode("utf-8", errors="replace"))
    title = title or (metadata.title if metadata else None)
    published = published or (metadata.date if metadata else None)
    day = (published or fetched_at.date().isoformat())[:10]
    folder = raw / slug(source.publisher) / day
    folder.mkdir(parents=True, exist_ok=True)
    base = slug(title or url)
    path, n = folder / f"{base}.html", 2
    while path.exists() or path.with_suffix(".meta.json").exists():
        path, n = folder / f"{base}-{n}.html", n + 1
    meta = {"url": url, "publisher": source.publisher, "title": title, "published": published,
            "fetched_at": fetched_at.isoformat(timespec="seconds"),
            "sha256": hashlib.sha256(html).hexdigest()}
    with open(path, "xb") as f:
        f.write(html)
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path


def _feed_entries(client, source: Source, settings: Settings, report: Report) -> list[tuple[str, str | None, str | None]]:
    import feedparser
    try:
        body = download(client, source.url, settings.max_bytes)
    except Exception as error:  # one bad source never stops the others
        report.problems.append(f"feed {source.url}: {_describe(error)}")
        return []
    feed = feedparser.parse(body)
    if feed.bozo:  # reported, and whatever entries could still be read are fetched
        reason = str(getattr(feed, "bozo_exception", "not a feed")).splitlines()[0][:100]
        report.problems.append(f"feed {source.url}: malformed feed ({reason})")
    entries = []
    for entry in feed.entries:
        link = entry.get("link")
        if not link:
            continue
        published = None
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if parsed:
            published = dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
        entries.append((link, entry.get("title"), published))
    return entries


def fetch(sources_path: Path, raw: Path, now: dt.datetime | None = None) -> Report:
    import httpx
    settings, sources = read_sources(sources_path)
    report = Report()
    known = stored_urls(raw)
    now = now or dt.datetime.now(dt.timezone.utc)
    timeout = httpx.Timeout(settings.timeout_seconds)
    with httpx.Client(timeout=timeout, follow_redirects=True,
                      headers={"User-Agent": settings.user_agent}) as client:
        for source in sources:
            items = ([(source.url, None, None)] if source.kind == "page"
                     else _feed_entries(client, source, settings, report))
            for url, title, published in items:
                if url in known:
                    report.known += 1
                    continue
                try:
                    html = download(client, url, settings.max_bytes)
                except Exception as error:
                    report.problems.append(f"page {url}: {_describe(error)}")
                    continue
                report.stored.append(store(raw, source, url, html, title, published, now))
                known.add(url)
    return report
