"""download: one polite, bounded HTTP client for fetch.

Every request has a total deadline (each socket wait is cut to what is left of it, so a
server trickling one byte a second is stopped on time), a size limit counted after
decompression and while decompressing, and connects only to public addresses unless told
otherwise (checked on the address actually connected to, so redirects and DNS answers
cannot get round it). Transient failures are retried with back-off; robots.txt is read
once per site.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from urllib.robotparser import RobotFileParser

# Statuses worth trying again later; other errors are the answer.
TRANSIENT_STATUSES = {429, 502, 503, 504}
MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 5
DECODE_CHUNK = 64 * 1024
# The rules of a site whose robots.txt cannot be read (unreachable, 5xx, 401, 403).
DISALLOW_ALL = ["User-agent: *", "Disallow: /"]


@dataclass
class Settings:
    """How a fetch behaves: the [settings] of sources.toml (their defaults in fetch.py)."""

    user_agent: str
    timeout_seconds: float
    max_bytes: int
    max_items_per_feed: int
    retries: int
    retry_backoff_seconds: float
    respect_robots_txt: bool
    allow_private_addresses: bool


class FetchError(Exception):
    """A request that did not give a usable body: the message says why, in a few words."""


class Refused(FetchError):
    """An address this fetcher will not connect to."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class Deadline:
    """The total time one request may take; every socket wait is cut to what is left."""

    def __init__(self):
        self.ends: float | None = None
        self.seconds = 0.0

    def start(self, seconds: float) -> None:
        self.ends, self.seconds = time.monotonic() + seconds, seconds

    def limit(self, timeout: float | None) -> float | None:
        import httpcore

        if self.ends is None:
            return timeout
        left = self.ends - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout(f"over the {self.seconds:g} s deadline")
        return left if timeout is None else min(timeout, left)


def _network(deadline: Deadline, allow_private: bool):
    """An httpcore network backend that refuses non-public addresses (checked on the address
    actually connected to, so redirects and DNS tricks are covered) and keeps to `deadline`."""
    import httpcore

    class Stream(httpcore.NetworkStream):
        def __init__(self, inner):
            self.inner = inner

        def read(self, max_bytes, timeout=None):
            return self.inner.read(max_bytes, deadline.limit(timeout))

        def write(self, buffer, timeout=None):
            self.inner.write(buffer, deadline.limit(timeout))

        def close(self):
            self.inner.close()

        def start_tls(self, ssl_context, server_hostname=None, timeout=None):
            return Stream(self.inner.start_tls(ssl_context, server_hostname, deadline.limit(timeout)))

        def get_extra_info(self, info):
            return self.inner.get_extra_info(info)

    class Backend(httpcore.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as error:
                raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))  # the host, as text
            if not allow_private:
                refused = [a for a in addresses if not _public(a)]
                if refused:
                    raise Refused(
                        f"refused: {host} is at {refused[0]}, not a public address "
                        f"(allow_private_addresses = true under [settings] allows it)"
                    )
            last = None
            for address in addresses:
                try:
                    return Stream(
                        super().connect_tcp(
                            address, port, deadline.limit(timeout), local_address, socket_options
                        )
                    )
                except httpcore.ConnectError as error:
                    last = error
            raise last or httpcore.ConnectError(f"no address for {host}")

    return Backend()


def _inflate(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """One Content-Encoding undone, a bounded piece at a time (a small body can inflate to
    gigabytes: nothing here ever holds more than DECODE_CHUNK of output)."""
    if encoding in ("", "identity"):
        yield from chunks
        return
    if encoding in ("gzip", "x-gzip"):
        wbits = 16 + zlib.MAX_WBITS
    elif encoding == "deflate":
        wbits = zlib.MAX_WBITS
    else:
        raise FetchError(f"unsupported Content-Encoding {encoding!r}")
    inflater = zlib.decompressobj(wbits)
    try:
        for chunk in chunks:
            data = chunk
            while data:
                out = inflater.decompress(data, DECODE_CHUNK)
                if out:
                    yield out
                if inflater.eof:  # another gzip member may follow
                    data, inflater = inflater.unused_data, zlib.decompressobj(wbits)
                else:
                    data = inflater.unconsumed_tail
            while not inflater.eof:  # output zlib still holds for the input it has taken
                out = inflater.decompress(b"", DECODE_CHUNK)
                if not out:
                    break
                yield out
    except zlib.error as error:
        raise FetchError(f"broken {encoding} body ({error})") from error


def read_body(raw_chunks: Iterator[bytes], content_encoding: str, max_bytes: int) -> bytes:
    """The body decoded as its Content-Encoding says (`gzip, gzip` is undone twice), refused as
    soon as the decoded bytes pass max_bytes."""
    encodings = [e.strip().lower() for e in content_encoding.split(",") if e.strip()]
    raw_total = 0

    def counted(chunks):
        nonlocal raw_total
        for chunk in chunks:
            raw_total += len(chunk)
            if raw_total > max_bytes:
                raise FetchError(f"too large (over the {max_bytes} byte limit)")
            yield chunk

    chunks: Iterator[bytes] = counted(raw_chunks)
    for encoding in reversed(encodings):
        chunks = _inflate(chunks, encoding)
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"too large (over the {max_bytes} byte limit once decompressed)")
    return bytes(body)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


class Fetcher:
    """One HTTP client for a whole fetch: deadlines, retries, robots.txt."""

    def __init__(self, settings: Settings, sleep=time.sleep):
        import httpcore
        import httpx

        self.settings = settings
        self.sleep = sleep
        self.deadline = Deadline()
        transport = httpx.HTTPTransport(retries=0)
        # httpx takes no network backend of its own: give its transport a pool that has ours.
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=_network(self.deadline, settings.allow_private_addresses),
        )
        self.client = httpx.Client(
            transport=transport,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=False,
            timeout=settings.timeout_seconds,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self.robots: dict[str, RobotFileParser] = {}

    def close(self) -> None:
        self.client.close()

    def _once(self, url: str, headers: dict) -> Response:
        import httpx

        self.deadline.start(self.settings.timeout_seconds)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Response(304, dict(response.headers), b"")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.settings.max_bytes:
                    raise FetchError(
                        f"too large ({int(declared)} bytes, over the {self.settings.max_bytes} byte limit)"
                    )
                if response.status_code >= 400:
                    return Response(response.status_code, dict(response.headers), b"")
                body = read_body(
                    response.iter_raw(), response.headers.get("content-encoding", ""), self.settings.max_bytes
                )
                return Response(response.status_code, dict(response.headers), body)
        except httpx.TimeoutException as error:
            raise FetchError(
                f"timed out (timeout_seconds = {self.settings.timeout_seconds:g}, the total for one request)"
            ) from error
        except httpx.TooManyRedirects as error:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects") from error
        except httpx.HTTPError as error:
            raise _Transient(f"{type(error).__name__}: {str(error)[:100]}") from error
        finally:
            self.deadline.ends = None

    def get(self, url: str, headers: dict | None = None, retries: int | None = None) -> Response:
        """GET with retries for transient failures; raises FetchError for any other failure,
        HTTP errors included, and for a URL robots.txt disallows."""
        if not self.allowed(url):
            raise FetchError("disallowed by robots.txt")
        retries = self.settings.retries if retries is None else retries
        wait = self.settings.retry_backoff_seconds
        for attempt in range(retries + 1):
            try:
                response = self._once(url, headers or {})
            except _Transient as error:
                if attempt == retries:
                    raise FetchError(str(error)) from error
                self.sleep(wait)
                wait *= 2
                continue
            if response.status in TRANSIENT_STATUSES and attempt < retries:
                self.sleep(max(wait, min(_retry_after(response.headers), MAX_RETRY_AFTER)))
                wait *= 2
                continue
            if response.status >= 400:
                raise FetchError(f"HTTP {response.status}")
            return response
        raise AssertionError("unreachable")

    def allowed(self, url: str) -> bool:
        """robots.txt of the URL's site, read once per run: a missing one allows everything,
        an unreachable one (5xx, no answer) nothing."""
        if not self.settings.respect_robots_txt:
            return True
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self.robots:
            rules = RobotFileParser()
            try:
                response = self._once(f"{site}/robots.txt", {})
            except Refused:
                raise
            except (FetchError, _Transient):
                rules.parse(DISALLOW_ALL)
            else:
                if response.status in (401, 403) or response.status >= 500:
                    rules.parse(DISALLOW_ALL)
                elif response.status >= 400:
                    rules.parse([])  # no rules: everything allowed
                else:
                    rules.parse(response.body.decode("utf-8", errors="replace").splitlines())
            self.robots[site] = rules
        return self.robots[site].can_fetch(self.settings.user_agent, url)


class _Transient(Exception):
    """A failure worth one more try: the connection broke or could not be made."""


def _retry_after(headers: dict) -> float:
    value = headers.get("retry-after", "")
    return float(value) if value.strip().isdigit() else 0.0
