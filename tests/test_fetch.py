"""fetch against a real HTTP server on 127.0.0.1: good pages, slow, missing, broken, huge."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyarrow.parquet as pq
import pytest

from pipeline.fetch import fetch, slug

from .conftest import run_cli

PAGE = """<html><head><title>{title}</title>
<meta property="article:published_time" content="2016-10-07"></head>
<body><article><h1>{title}</h1><p>{body}</p>
<p>The figures could not be independently verified, the agency said in a statement issued
late on Friday evening, adding that rescue teams were still searching the area.</p></article></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def send(self, status: int, body: bytes, kind: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/feed.xml":
            items = "".join(f"<item><title>{t}</title><link>{base}{p}</link>"
                            f"<pubDate>Fri, 07 Oct 2016 10:00:00 GMT</pubDate></item>"
                            for t, p in (("Blast kills 12", "/good"), ("Slow", "/slow"),
                                         ("Missing", "/missing"), ("Broken", "/broken"),
                                         ("Huge", "/huge")))
            self.send(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                           f"{items}</channel></rss>".encode(), "application/rss+xml")
        elif self.path == "/bad-feed.xml":
            self.send(200, b"<rss><channel><item><title>unclosed", "application/rss+xml")
        elif self.path == "/good":
            self.send(200, PAGE.format(title="Blast kills 12",
                                       body="A blast killed 12 people in the market on Friday, "
                                            "police said.").encode())
        elif self.path == "/page":
            self.send(200, PAGE.format(title="Ten wounded",
                                       body="Ten people were wounded in the shelling.").encode())
        elif self.path == "/slow":
            time.sleep(3)
            self.send(200, b"<html>late</html>")
        elif self.path == "/broken":
            self.send(500, b"server error")
        elif self.path == "/huge":
            self.send(200, b"<html>" + b"x" * 300_000 + b"</html>")
        else:
            self.send(404, b"not found")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the client hung up on /slow: expected
        pass


@pytest.fixture
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def sources(tmp_path, server):
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[settings]
timeout_seconds = 1
max_bytes = 100000

[[feeds]]
publisher = "Test Wire"
url = "{server}/feed.xml"

[[feeds]]
publisher = "Broken Feed"
url = "{server}/bad-feed.xml"

[[feeds]]
publisher = "Gone"
url = "{server}/no-such-feed.xml"

[[pages]]
publisher = "Test Paper"
url = "{server}/page"
""")
    return path


def test_each_case_ends_with_a_clear_message_and_the_rest_is_fetched(sources, server, tmp_path):
    raw = tmp_path / "raw"
    report = fetch(sources, raw)
    assert sorted(p.relative_to(raw).as_posix() for p in report.stored) == [
        "test-paper/2016-10-07/ten-wounded.html", "test-wire/2016-10-07/blast-kills-12.html"]
    problems = sorted(report.problems)
    assert problems == sorted([
        f"page {server}/slow: timed out",
        f"page {server}/missing: HTTP 404",
        f"page {server}/broken: HTTP 500",
        f"page {server}/huge: too large (300013 bytes, over the 100000 byte limit)",
        f"feed {server}/no-such-feed.xml: HTTP 404",
        problems[[p.startswith(f"feed {server}/bad-feed.xml") for p in problems].index(True)],
    ])
    assert any(p.startswith(f"feed {server}/bad-feed.xml: malformed feed") for p in problems)
    meta = json.loads((raw / "test-wire/2016-10-07/blast-kills-12.meta.json").read_text())
    assert meta["url"] == f"{server}/good" and meta["publisher"] == "Test Wire"
    assert meta["title"] == "Blast kills 12" and meta["published"] == "2016-10-07"
    assert len(meta["sha256"]) == 64 and meta["fetched_at"]


def test_stored_urls_are_not_fetched_again_and_files_never_rewritten(sources, tmp_path):
    raw = tmp_path / "raw"
    first = fetch(sources, raw)
    stamps = {p: p.stat().st_mtime_ns for p in raw.rglob("*") if p.is_file()}
    second = fetch(sources, raw)
    assert second.stored == [] and second.known == len(first.stored)
    assert {p: p.stat().st_mtime_ns for p in raw.rglob("*") if p.is_file()} == stamps


def test_fetched_pages_become_figures(sources, tmp_path, capsys):
    raw = tmp_path / "raw"
    assert run_cli("fetch", "--sources", str(sources), "--raw", str(raw)) == 0
    assert "fetched 2 new articles, 0 already stored, 6 problems" in capsys.readouterr().err
    out = tmp_path / "out"
    assert run_cli("run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers", "1") == 0
    rows = pq.read_table(out / "statements.parquet").to_pylist()
    # each headline is a figure of its own, as FIGURES.md counts a repeated figure again
    assert sorted((r["category"], r["count"], r["publisher"]) for r in rows) == [
        ("injured", 10, "Test Paper"), ("injured", 10, "Test Paper"),
        ("killed", 12, "Test Wire"), ("killed", 12, "Test Wire")]


def test_missing_sources_file_is_a_usage_error(tmp_path, capsys):
    assert run_cli("fetch", "--sources", str(tmp_path / "none.toml"), "--raw", str(tmp_path)) == 2
    assert capsys.readouterr().err.strip() == f"error: sources file {tmp_path / 'none.toml'} does not exist"


def test_slug_is_never_a_path():
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Syria’s war: Kerry wants probe") == "syrias-war-kerry-wants-probe"
