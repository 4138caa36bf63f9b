"""fetch against a real HTTP server on 127.0.0.1 (and no other address): good pages, slow,
missing, broken, huge, compressed, duplicated, disallowed and flaky ones."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyarrow.parquet as pq
import pytest

from pipeline import ingest
from pipeline.download import _public, read_body
from pipeline.fetch import canonical, entry_date, fetch, slug

from .conftest import run_cli

PAGE = """<html><head><title>{title}</title>
<meta property="article:published_time" content="2016-10-07"></head>
<body><article><h1>{title}</h1><p>{body}</p>
<p>The figures could not be independently verified, the agency said in a statement issued
late on Friday evening, adding that rescue teams were still searching the area.</p></article></body></html>"""

GOOD = PAGE.format(
    title="Blast kills 12", body="A blast killed 12 people in the market on Friday, police said."
).encode()
TEN = PAGE.format(title="Ten wounded", body="Ten people were wounded in the shelling.").encode()
# A page whose own dateline says May 23 while its markup (a date box, a dated URL) says May 1.
DATELINED = b"""<html><head><title>Insurgents killed</title>
<link rel="canonical" href="https://www.isaf.example/news/2011/05/insurgents-killed.html"></head>
<body><div class="date">2011-05-01</div><article><h1>Insurgents killed in Kandahar</h1>
<p>KABUL, Afghanistan (May 23, 2011) - Afghan and coalition forces killed 12 insurgents during an
operation in Kandahar province yesterday, officials said.</p><p>The security force also detained
two suspected insurgents, according to a statement released by the provincial governor.</p>
</article></body></html>"""


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><pubDate>{d}</pubDate></item>" for t, p, d in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'
    ).encode()


FRIDAY = "Fri, 07 Oct 2016 10:00:00 GMT"
# 50 MB of zeros, gzipped twice: 200 bytes on the wire.
BOMB = gzip.compress(gzip.compress(b"\0" * 50_000_000))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def send(self, status: int, body: bytes, kind: str = "text/html", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path
        if path.endswith(".xml") and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
        elif path == "/feed.xml":
            self.send(
                200,
                rss(
                    base,
                    [
                        ("Blast kills 12", "/good", FRIDAY),
                        ("Slow", "/slow", FRIDAY),
                        ("Missing", "/missing", FRIDAY),
                        ("Broken", "/broken", FRIDAY),
                        ("Huge", "/huge", FRIDAY),
                    ],
                ),
                "application/rss+xml",
                {"ETag": '"v1"'},
            )
        elif path == "/bad-feed.xml":
            self.send(200, b"<rss><channel><item><title>unclosed", "application/rss+xml")
        elif path == "/local-time.xml":
            self.send(
                200,
                rss(base, [("Blast kills 12", "/good", "Sun, 14 Aug 2016 01:30:00 +0300")]),
                "application/rss+xml",
                {"ETag": '"v1"'},
            )
        elif path == "/tracked.xml":
            self.send(
                200,
                rss(
                    base,
                    [
                        ("Blast kills 12", "/good?utm_source=rss&utm_medium=feed", FRIDAY),
                        ("Blast kills 12", "/good", FRIDAY),
                        ("Blast kills 12", "/good-copy", FRIDAY),
                    ],
                ),
                "application/rss+xml",
            )
        elif path == "/many.xml":
            self.send(
                200,
                rss(base, [(f"Item {i}", f"/missing-{i}", FRIDAY) for i in range(1000)]),
                "application/rss+xml",
            )
        elif path.split("?")[0] in ("/good", "/good-copy"):
            self.send(200, GOOD)
        elif path == "/page":
            self.send(200, TEN)
        elif path == "/datelined":
            self.send(200, DATELINED)
        elif path == "/gzipped":
            self.send(200, gzip.compress(TEN), headers={"Content-Encoding": "gzip"})
        elif path == "/bomb":
            self.send(200, BOMB, headers={"Content-Encoding": "gzip, gzip"})
        elif path == "/slow":
            time.sleep(6)
            self.send(200, b"<html>late</html>")
        elif path == "/dribble":  # one byte at a time, each well inside the per-read timeout
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
        elif path == "/flaky":
            self.server.flaky += 1
            if self.server.flaky <= 2:
                self.send(503, b"busy", headers={"Retry-After": "0"})
            else:
                self.send(200, TEN)
        elif path == "/robots.txt":
            self.send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        elif path == "/private":
            self.send(200, TEN)
        elif path == "/broken":
            self.send(500, b"server error")
        elif path == "/huge":
            self.send(200, b"<html>" + b"x" * 300_000 + b"</html>")
        else:
            self.send(404, b"not found")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the client hung up on /slow: expected
        pass


@pytest.fixture
def httpd():
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.requests, server.flaky = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(httpd):
    return f"http://127.0.0.1:{httpd.server_port}"


LOCAL = """
[settings]
timeout_seconds = 2   # a loaded machine can take a second to answer even a 404
max_bytes = 100000
retry_backoff_seconds = 0.01
allow_private_addresses = true   # the test server is on 127.0.0.1
"""


def write_sources(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def feed(url: str, publisher: str = "Test Wire") -> str:
    return f'\n[[feeds]]\npublisher = "{publisher}"\nurl = "{url}"\n'


def page(url: str, publisher: str = "Test Paper") -> str:
    return f'\n[[pages]]\npublisher = "{publisher}"\nurl = "{url}"\n'


@pytest.fixture
def sources(tmp_path, server):
    return write_sources(
        tmp_path,
        LOCAL
        + feed(f"{server}/feed.xml")
        + feed(f"{server}/bad-feed.xml", "Broken Feed")
        + feed(f"{server}/no-such-feed.xml", "Gone")
        + page(f"{server}/page"),
    )


def test_each_case_ends_with_one_line_per_source_and_the_rest_is_fetched(sources, server, tmp_path):
    raw = tmp_path / "raw"
    report = fetch(sources, raw)
    assert sorted(p.relative_to(raw).as_posix() for p in report.stored) == [
        "test-paper/2016-10-07/ten-wounded.html",
        "test-wire/2016-10-07/blast-kills-12.html",
    ]
    warnings = report.warnings()
    assert len(warnings) == 3  # one per failing source, the good page has none
    wire = next(w for w in warnings if w.startswith(f"feed {server}/feed.xml (Test Wire): "))
    assert "4 of 5 articles failed: timed out" in wire and f"HTTP 404 ({server}/missing)" in wire
    assert "and 1 more" in wire  # the fourth failure is counted, not listed
    assert any(w.startswith(f"feed {server}/bad-feed.xml (Broken Feed): not a feed") for w in warnings)
    assert f"feed {server}/no-such-feed.xml (Gone): HTTP 404" in warnings
    assert (
        report.line() == "fetched 2 new articles, 0 already stored, 0 with content already stored; "
        "2 of 4 sources failed"
    )
    meta = json.loads((raw / "test-wire/2016-10-07/blast-kills-12.meta.json").read_text())
    assert meta["url"] == f"{server}/good" and meta["publisher"] == "Test Wire"
    assert meta["title"] == "Blast kills 12" and meta["published"].startswith("2016-10-07")
    assert meta["published_from"] == "feed"
    assert len(meta["sha256"]) == 64 and meta["fetched_at"]


def test_stored_urls_are_not_fetched_again_and_files_never_rewritten(sources, tmp_path, httpd):
    raw = tmp_path / "raw"
    first = fetch(sources, raw)
    stamps = {p: p.stat().st_mtime_ns for p in raw.rglob("*") if p.is_file()}
    httpd.requests.clear()
    second = fetch(sources, raw)
    assert second.stored == [] and second.known == len(first.stored)
    assert {p: p.stat().st_mtime_ns for p in raw.rglob("*") if p.is_file()} == stamps
    assert not {"/good", "/page"} & {path for path, _ in httpd.requests}


def test_an_unchanged_feed_is_asked_for_conditionally(tmp_path, server, httpd):
    sources = write_sources(tmp_path, LOCAL + feed(f"{server}/local-time.xml"))
    assert len(fetch(sources, tmp_path / "raw").stored) == 1
    httpd.requests.clear()
    second = fetch(sources, tmp_path / "raw")
    headers = next(h for path, h in httpd.requests if path == "/local-time.xml")
    assert headers.get("If-None-Match") == '"v1"'
    assert second.outcomes[0].not_modified and second.warnings() == []
    assert "/good" not in [path for path, _ in httpd.requests]


def test_a_feed_with_failures_is_asked_for_in_full_again(sources, tmp_path):
    """Its ETag is kept only once every article of it is in, so a failed article is retried."""
    fetch(sources, tmp_path / "raw")
    state_file = tmp_path / "fetch-state.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    assert not any(url.endswith("/feed.xml") for url in state)


@pytest.mark.e2e
def test_fetched_pages_become_figures(sources, tmp_path, capsys):
    raw = tmp_path / "raw"
    assert run_cli("fetch", "--sources", str(sources), "--raw", str(raw)) == 0
    err = capsys.readouterr().err
    assert (
        "fetched 2 new articles, 0 already stored, 0 with content already stored; 2 of 4 sources failed"
        in err
    )
    assert len([line for line in err.splitlines() if line.startswith("warning: ")]) == 3
    out = tmp_path / "out"
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 0
    rows = pq.read_table(out / "statements.parquet").to_pylist()
    # each headline is a figure of its own, as FIGURES.md counts a repeated figure again
    assert sorted((r["category"], r["count"], r["publisher"]) for r in rows) == [
        ("injured", 10, "Test Paper"),
        ("injured", 10, "Test Paper"),
        ("killed", 12, "Test Wire"),
        ("killed", 12, "Test Wire"),
    ]


def test_a_feed_item_keeps_its_publishers_local_date(tmp_path, server):
    raw = tmp_path / "raw"
    report = fetch(write_sources(tmp_path, LOCAL + feed(f"{server}/local-time.xml")), raw)
    [stored] = report.stored
    assert stored.relative_to(raw).as_posix() == "test-wire/2016-08-14/blast-kills-12.html"
    meta = json.loads(stored.with_name(stored.stem + ".meta.json").read_text())
    assert meta["published"] == "2016-08-14T01:30:00+03:00"  # 2016-08-13 in UTC
    [doc] = list(ingest.read_raw(raw, __import__("datetime").date(2026, 1, 1)))
    assert str(doc.published_date) == "2016-08-14"


def test_entry_dates_keep_their_offset_in_rss_and_atom():
    assert entry_date({"published": "Sun, 14 Aug 2016 01:30:00 +0300"}) == "2016-08-14T01:30:00+03:00"
    assert entry_date({"updated": "2016-08-14T01:30:00+03:00"}) == "2016-08-14T01:30:00+03:00"
    assert entry_date({"published": "Sat, 13 Aug 2016 23:30:00 -0500"}).startswith("2016-08-13")
    assert entry_date({}) is None


def test_a_stated_dateline_beats_the_guessed_date_for_a_page(tmp_path, server):
    raw = tmp_path / "raw"
    [stored] = fetch(write_sources(tmp_path, LOCAL + page(f"{server}/datelined", "ISAF")), raw).stored
    meta = json.loads(stored.with_name(stored.stem + ".meta.json").read_text())
    assert (meta["published"], meta["published_from"]) == ("2011-05-23", "dateline")
    assert stored.parent.name == "2011-05-23"


def test_the_page_metadata_date_is_used_without_a_dateline(tmp_path, server):
    [stored] = fetch(write_sources(tmp_path, LOCAL + page(f"{server}/page")), tmp_path / "raw").stored
    meta = json.loads(stored.with_name(stored.stem + ".meta.json").read_text())
    assert (meta["published"], meta["published_from"]) == ("2016-10-07", "page metadata")


def test_a_url_with_tracking_parameters_and_a_copy_are_stored_once(tmp_path, server):
    raw = tmp_path / "raw"
    report = fetch(write_sources(tmp_path, LOCAL + feed(f"{server}/tracked.xml")), raw)
    assert len(report.stored) == 1 and len(list(raw.rglob("*.html"))) == 1
    assert report.known == 1  # /good?utm_source=... is /good
    assert report.duplicates == 1  # /good-copy serves the same bytes
    meta = json.loads(next(raw.rglob("*.meta.json")).read_text())
    assert meta["url"] == f"{server}/good"


def test_canonical_urls():
    assert (
        canonical("https://Example.com:443/a?b=2&a=1&utm_source=rss#top") == "https://example.com/a?a=1&b=2"
    )
    assert canonical("https://example.com/story?id=5&fbclid=xyz") == "https://example.com/story?id=5"


def test_all_sources_failing_exits_non_zero_with_one_line_each(tmp_path, server, capsys):
    sources = write_sources(
        tmp_path,
        LOCAL + feed(f"{server}/no-such-feed.xml") + page(f"{server}/broken") + page(f"{server}/missing"),
    )
    assert run_cli("fetch", "--sources", str(sources), "--raw", str(tmp_path / "raw")) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert [line.split(" (")[0] for line in err[:3]] == [
        f"warning: feed {server}/no-such-feed.xml",
        f"warning: page {server}/broken",
        f"warning: page {server}/missing",
    ]
    assert (
        err[3]
        == "fetched 0 new articles, 0 already stored, 0 with content already stored; 3 of 3 sources failed"
    )
    assert err[4] == f"error: all 3 sources in {sources} failed; nothing was fetched"


def test_no_sources_says_why_nothing_was_fetched(tmp_path, capsys):
    sources = write_sources(tmp_path, "[settings]\n# [[feeds]]\n# url = 'https://example.org/rss'\n")
    assert run_cli("fetch", "--sources", str(sources), "--raw", str(tmp_path / "raw")) == 0
    assert capsys.readouterr().err.strip() == (
        f"nothing fetched: {sources} lists no [[feeds]] or [[pages]] (every entry is commented out or missing)"  # noqa: E501 (a pattern or sentence reads best whole)
    )


def test_the_shipped_sources_file_lists_sources():
    from pipeline import paths
    from pipeline.fetch import read_sources

    settings, listed = read_sources(paths.ROOT / "sources.toml")
    assert listed and all(s.url.startswith("https://") for s in listed)
    assert settings.respect_robots_txt and not settings.allow_private_addresses


def test_a_slow_trickle_is_stopped_at_the_total_deadline(tmp_path, server):
    started = time.monotonic()
    report = fetch(write_sources(tmp_path, LOCAL + page(f"{server}/dribble")), tmp_path / "raw")
    assert time.monotonic() - started < 8  # 2 s deadline (plus robots.txt); the trickle takes 20 s
    assert "timed out" in report.warnings()[0]


def test_a_gzip_bomb_is_refused_while_it_is_decompressed(tmp_path, server):
    report = fetch(write_sources(tmp_path, LOCAL + page(f"{server}/bomb")), tmp_path / "raw")
    assert "too large (over the 100000 byte limit once decompressed)" in report.warnings()[0]


def test_a_gzipped_page_is_stored_decompressed(tmp_path, server):
    [stored] = fetch(write_sources(tmp_path, LOCAL + page(f"{server}/gzipped")), tmp_path / "raw").stored
    assert stored.read_bytes() == TEN


def test_decompression_never_holds_more_than_the_limit():
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(Exception, match="once decompressed"):
            read_body(iter([BOMB]), "gzip, gzip", 1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # 50 MB inflated all at once would show here


def test_read_body_undoes_each_encoding_in_turn():
    twice = gzip.compress(gzip.compress(b"hello " * 1000))
    assert read_body(iter([twice[:10], twice[10:]]), "gzip, gzip", 10_000) == b"hello " * 1000
    assert read_body(iter([b"plain"]), "", 10) == b"plain"


def test_a_huge_feed_is_capped_and_summarised_in_one_line(tmp_path, server, httpd):
    settings = LOCAL.replace("[settings]", "[settings]\nmax_items_per_feed = 5").replace("100000", "1000000")
    sources = write_sources(tmp_path, settings + feed(f"{server}/many.xml"))
    report = fetch(sources, tmp_path / "raw")
    assert len([p for p, _ in httpd.requests if p.startswith("/missing-")]) == 5
    [warning] = report.warnings()
    assert "1000 items, only the first 5 read (max_items_per_feed)" in warning
    assert "5 of 5 articles failed" in warning and "and 2 more" in warning


def test_private_addresses_are_refused_unless_allowed(tmp_path, server, httpd):
    sources = write_sources(tmp_path, "[settings]\ntimeout_seconds = 1\n" + feed(f"{server}/feed.xml"))
    report = fetch(sources, tmp_path / "raw")
    assert httpd.requests == []  # nothing was sent, not even robots.txt
    assert "refused: 127.0.0.1 is at 127.0.0.1, not a public address" in report.warnings()[0]
    assert report.all_failed


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
    ],
)
def test_non_public_addresses_are_recognised(address):
    assert not _public(address)


def test_public_addresses_are_recognised():
    assert _public("93.184.216.34") and _public("2606:4700::1111")


def test_transient_errors_are_retried_with_back_off(tmp_path, server):
    waits = []
    report = fetch(
        write_sources(tmp_path, LOCAL + page(f"{server}/flaky")), tmp_path / "raw", sleep=waits.append
    )
    assert len(report.stored) == 1
    assert waits == [0.01, 0.02]


def test_a_client_error_is_not_retried(tmp_path, server, httpd):
    waits = []
    fetch(write_sources(tmp_path, LOCAL + page(f"{server}/missing")), tmp_path / "raw", sleep=waits.append)
    assert waits == [] and [p for p, _ in httpd.requests].count("/missing") == 1


def test_robots_txt_is_respected_unless_sources_toml_says_not(tmp_path, server, httpd):
    report = fetch(write_sources(tmp_path, LOCAL + page(f"{server}/private")), tmp_path / "raw")
    assert report.warnings() == [f"page {server}/private (Test Paper): disallowed by robots.txt"]
    assert "/private" not in [p for p, _ in httpd.requests]
    ignoring = LOCAL.replace("[settings]", "[settings]\nrespect_robots_txt = false")
    assert (
        len(fetch(write_sources(tmp_path, ignoring + page(f"{server}/private")), tmp_path / "raw").stored)
        == 1
    )


def test_missing_sources_file_is_a_usage_error(tmp_path, capsys):
    assert run_cli("fetch", "--sources", str(tmp_path / "none.toml"), "--raw", str(tmp_path)) == 2
    assert capsys.readouterr().err.strip() == f"error: sources file {tmp_path / 'none.toml'} does not exist"


def test_an_unknown_setting_is_a_usage_error_naming_it(tmp_path, capsys):
    sources = write_sources(tmp_path, "[settings]\ntimeout = 3\n")
    assert run_cli("fetch", "--sources", str(sources), "--raw", str(tmp_path / "raw")) == 2
    assert f"error: {sources}: unknown setting 'timeout' under [settings]" in capsys.readouterr().err


def test_slug_is_never_a_path():
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Syria’s war: Kerry wants probe") == "syrias-war-kerry-wants-probe"
