"""The fetcher: polite, bounded HTTP GETs over httpx and asyncio.

One `Fetcher` per run holds the HTTP client, the robots.txt rules it has read and a slot per
host (a concurrency limit and a delay between requests). A fetch goes:
  1. refuse non-http(s) URLs and private, loopback and link-local addresses (unless allowed)
  2. check robots.txt for the host (read once per run; an unreadable robots.txt allows all)
  3. wait for the host's slot, send a conditional GET (ETag, Last-Modified)
  4. follow redirects by hand, up to a limit, checking every hop as in 1 and 2
  5. read the body up to a size cap; gzip and deflate are decoded by httpx
  6. on timeouts, dropped connections and 5xx, retry with exponential backoff, honouring
     Retry-After when the server sends one
Every failure is a FetchError whose reason says what went wrong.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlsplit

import httpx
from protego import Protego

from marsad.ingest.charset import Decoded, UndecodableError, decode
from marsad.ingest.failures import FetchError, Reason
from marsad.urls import web_url

MB = 1024 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_CHALLENGE = re.compile(
    rb"captcha|cf-challenge|cf_chl|challenge-platform|just a moment|attention required|"
    rb"ddos-guard|are you a robot|access denied|px-captcha|incapsula",
    re.I,
)
_ROBOTS_MAX_BYTES = 512 * 1024
# A Retry-After longer than this (about a year) is read as this: the caller caps it further.
_RETRY_AFTER_CEILING = 366 * 24 * 3600.0
# What httpx (h11) says when a response stops early, as opposed to one that is not HTTP at all.
_CUT_SHORT = ("incomplete", "peer closed", "disconnected", "without sending")
DEFAULT_USER_AGENT = "marsad/0.1 (+https://github.com/marsad-news/marsad; Arabic news aggregator)"


@dataclass(frozen=True)
class FetchOptions:
    """How politely and how far the fetcher goes; one object passed down from the entry point."""

    user_agent: str = DEFAULT_USER_AGENT
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5
    timeout: float = 15.0  # connect, read and write, each
    total_timeout: float = 60.0  # one request, from sending to the last byte
    max_bytes: int = 5 * MB
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 30.0
    obey_robots: bool = True
    allow_private: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class FetchResult:
    """What a successful GET returned (status 200-299, or 304 with an empty body)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed_ms: int

    @property
    def not_modified(self) -> bool:
        """Whether the server said the resource has not changed since the last fetch."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        """The ETag to send next time."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The Last-Modified date to send next time."""
        return self.headers.get("last-modified")

    def decoded(self) -> Decoded:
        """The body as text, with the charset checked against what it claims."""
        try:
            return decode(self.body, self.headers.get("content-type"))
        except UndecodableError as exc:
            raise FetchError(Reason.UNDECODABLE, str(exc)) from exc


@dataclass
class _HostSlot:
    """Politeness state of one host: concurrent requests and the earliest next start."""

    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    delay: float = 0.0


class Fetcher:
    """Fetches URLs politely; use as `async with Fetcher(options) as fetcher`."""

    def __init__(
        self, options: FetchOptions, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.options = options
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._slots: dict[str, _HostSlot] = {}
        self._robots: dict[str, Protego | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(self.options.timeout),
            headers={
                "User-Agent": self.options.user_agent,
                "Accept-Encoding": "gzip, deflate",
            },
            transport=self._transport,
        )
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET a URL with retries and backoff; raise FetchError with a clear reason."""
        headers = {"Accept": "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return await self._follow(url, headers)
            except FetchError as error:
                wait = self._retry_wait(error, attempt)
                if wait is None:
                    raise
            attempt += 1
            await asyncio.sleep(wait)

    def _retry_wait(self, error: FetchError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if not error.retryable or attempt >= self.options.retries:
            return None
        wait = error.retry_after
        if wait is None:
            wait = self.options.backoff * (2**attempt)
        return wait if wait <= self.options.max_retry_after else None

    async def _follow(self, url: str, headers: dict[str, str]) -> FetchResult:
        """One attempt: the request and its redirects, each hop checked."""
        started = time.monotonic()
        current = url
        for _ in range(self.options.max_redirects + 1):
            await self._check_address(current)
            await self._check_robots(current)
            status, response_headers, body = await self._request(current, headers)
            location = response_headers.get("location")
            if status in _REDIRECTS and location:
                target = web_url(location, current)
                if target is None:
                    raise FetchError(Reason.BAD_URL, f"bad Location header: {location[:120]!r}")
                current = target
                continue
            elapsed = int((time.monotonic() - started) * 1000)
            return FetchResult(url, current, status, response_headers, body, elapsed)
        raise FetchError(Reason.REDIRECTS, f"more than {self.options.max_redirects}")

    async def _request(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """One GET inside the host's slot, bounded by the total timeout."""
        async with self._slot(url):
            try:
                return await asyncio.wait_for(
                    self._get(url, headers), timeout=self.options.total_timeout
                )
            except TimeoutError as exc:
                raise FetchError(
                    Reason.TIMEOUT, f"over {self.options.total_timeout:g} s", retryable=True
                ) from exc

    async def _get(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Send the GET, classify the status and read the body under the cap."""
        assert self._client is not None, "use the Fetcher as an async context manager"
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                found = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code in _REDIRECTS or response.status_code == 304:
                    return response.status_code, found, b""
                if response.status_code >= 400:
                    raise await _status_error(response, found)
                body = await self._read_capped(response, found)
                return response.status_code, found, body
        except httpx.TimeoutException as exc:
            raise FetchError(Reason.TIMEOUT, type(exc).__name__, retryable=True) from exc
        except httpx.RemoteProtocolError as exc:
            message = str(exc)
            if "location header" in message.lower():
                raise FetchError(Reason.BAD_URL, f"bad Location header: {message[:120]}") from exc
            if any(words in message.lower() for words in _CUT_SHORT):
                raise FetchError(Reason.TRUNCATED, message[:120], retryable=True) from exc
            raise FetchError(Reason.PROTOCOL, message[:120]) from exc
        except httpx.DecodingError as exc:
            raise FetchError(Reason.UNDECODABLE, "bad content encoding") from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(Reason.BAD_URL, str(exc)[:120]) from exc
        except httpx.TransportError as exc:
            raise FetchError(Reason.CONNECTION, str(exc)[:120], retryable=True) from exc

    async def _read_capped(self, response: httpx.Response, headers: dict[str, str]) -> bytes:
        """The decoded body, refusing it as soon as it passes the size cap."""
        cap = self.options.max_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap and "content-encoding" not in headers:
            raise FetchError(Reason.TOO_LARGE, f"{int(declared)} bytes declared, cap {cap}")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(Reason.TOO_LARGE, f"over {cap} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        """Hold one of the host's concurrent slots, starting no sooner than its delay allows."""
        host = _host_key(url)
        slot = self._slots.get(host)
        if slot is None:
            slot = _HostSlot(asyncio.Semaphore(self.options.per_host_concurrency))
            slot.delay = self.options.per_host_delay
            self._slots[host] = slot
        async with slot.semaphore:
            now = time.monotonic()
            start = max(now, slot.next_start)
            slot.next_start = start + slot.delay
            if start > now:
                await asyncio.sleep(start - now)
            yield

    async def _check_address(self, url: str) -> None:
        """Refuse non-web schemes and, unless allowed, private/loopback/link-local addresses."""
        if web_url(url) is None:
            raise FetchError(Reason.BAD_URL, url[:200])
        parts = urlsplit(url)
        host = parts.hostname or ""
        if self.options.allow_private or host in self.options.allowed_hosts:
            return
        if _host_key(url) in self.options.allowed_hosts:
            return
        for address in await _resolve(host, parts.port or 443):
            if _is_private(address):
                raise FetchError(Reason.PRIVATE, f"{host} is {address}")

    async def _check_robots(self, url: str) -> None:
        """Refuse URLs the host's robots.txt disallows for our User-Agent."""
        if not self.options.obey_robots or urlsplit(url).path == "/robots.txt":
            return
        origin = _origin(url)
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._read_robots(origin)
        rules = self._robots[origin]
        if rules is None:
            return
        if not rules.can_fetch(url, self.options.user_agent):
            raise FetchError(Reason.ROBOTS, urlsplit(url).path[:200])

    async def _read_robots(self, origin: str) -> Protego | None:
        """The host's robots.txt rules; None (allow all) when it is missing or unreadable."""
        try:
            status, _, body = await self._request(f"{origin}/robots.txt", {})
        except FetchError:
            return None
        if status != 200 or len(body) > _ROBOTS_MAX_BYTES:
            return None
        rules = Protego.parse(body.decode("utf-8", "replace"))
        delay = rules.crawl_delay(self.options.user_agent)
        if delay:
            # Crawl-delay raises our delay for the host, never lowers it; capped to stay useful.
            slot = self._slots.get(_host_key(origin))
            if slot is not None:
                slot.delay = max(slot.delay, min(float(delay), self.options.max_retry_after))
        return rules


async def _status_error(response: httpx.Response, headers: dict[str, str]) -> FetchError:
    """The FetchError for a 4xx or 5xx response."""
    code = response.status_code
    retry_after = parse_retry_after(headers.get("retry-after"))
    if code == 429:
        return FetchError(
            Reason.BLOCKED,
            "429 Too Many Requests",
            http_status=code,
            retry_after=retry_after,
            retryable=retry_after is not None,
        )
    if code == 403:
        head = b""
        async for chunk in response.aiter_bytes():
            head += chunk
            if len(head) > 65536:
                break
        if _CHALLENGE.search(head):
            return FetchError(Reason.BLOCKED, "403 challenge page", http_status=code)
    return FetchError(
        Reason.HTTP_STATUS, http_status=code, retry_after=retry_after, retryable=code >= 500
    )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), at most a year.

    The caller caps the wait again (the fetcher's max_retry_after, the follower's max_backoff):
    a publisher's header never parks a source for longer than marsad's own backoff would.
    """
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value[:20]), _RETRY_AFTER_CEILING)
    try:
        moment = parsedate_to_datetime(value)
        wait = moment.timestamp() - time.time()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, wait), _RETRY_AFTER_CEILING)


async def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address a host name resolves to (the name itself when it is an address)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port)
    except OSError as exc:
        raise FetchError(Reason.CONNECTION, f"cannot resolve {host}", retryable=True) from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def _is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is private, loopback, link-local or otherwise not on the Internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _host_key(url: str) -> str:
    """host[:port], the unit of politeness."""
    return urlsplit(url).netloc.lower()
