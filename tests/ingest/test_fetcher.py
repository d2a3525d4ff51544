"""The fetcher against the replay publisher on loopback, one misbehaviour per test."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from marsad.ingest.extract import extract
from marsad.ingest.failures import FetchError
from marsad.ingest.feeds import parse_feed
from marsad.ingest.fetch import Fetcher, FetchOptions, FetchResult
from marsad.models import RawArticle
from marsad.replay.server import RunningReplay

Start = Callable[..., RunningReplay]


async def _get(options: FetchOptions, url: str, **kwargs: str | None) -> FetchResult:
    async with Fetcher(options) as fetcher:
        return await fetcher.fetch(url, **kwargs)


async def _reason(options: FetchOptions, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        result = await _get(options, url)
        if "feed.xml" in url:
            parse_feed(result.body, url, result.headers.get("content-type"))
        else:
            extract(result.decoded().text, url)
    return caught.value


async def test_feed_and_page_come_through_gzip(
    replay: Start, loopback_options: FetchOptions
) -> None:
    server = replay()
    result = await _get(loopback_options, f"{server.url}/okaz/feed.xml")
    assert result.headers.get("content-encoding") == "gzip"
    feed = parse_feed(result.body, result.final_url)
    assert len(feed.entries) == 12 and feed.entries[0].link.startswith(server.url)


async def test_conditional_get_gives_not_modified(
    replay: Start, loopback_options: FetchOptions
) -> None:
    server = replay()
    first = await _get(loopback_options, f"{server.url}/sabq/feed.xml")
    assert first.etag and first.last_modified
    again = await _get(loopback_options, f"{server.url}/sabq/feed.xml", etag=first.etag)
    assert again.not_modified and again.body == b""


@pytest.mark.parametrize(
    ("kind", "path", "reason", "status"),
    [
        ("challenge", "/okaz/1.html", "blocked by anti-bot challenge", 403),
        ("ratelimit", "/okaz/feed.xml", "blocked by anti-bot challenge", 429),
        ("not-a-feed", "/okaz/feed.xml", "not a feed", None),
        ("oversized", "/okaz/1.html", "too large", None),
        ("robots", "/okaz/1.html", "robots.txt disallows", None),
        ("binary", "/okaz/1.html", "undecodable", None),
        ("truncated", "/okaz/1.html", "truncated body", None),
        ("redirect-loop", "/okaz/1.html", "too many redirects", None),
        ("empty", "/okaz/1.html", "no article text", None),
    ],
)
async def test_each_failure_has_its_reason(
    replay: Start,
    loopback_options: FetchOptions,
    kind: str,
    path: str,
    reason: str,
    status: int | None,
) -> None:
    server = replay(misbehave={"okaz": frozenset({kind})})
    error = await _reason(replace(loopback_options, retries=1), server.url + path)
    assert error.reason == reason
    assert error.http_status == status


async def test_429_retry_after_is_kept_not_slept(
    replay: Start, loopback_options: FetchOptions
) -> None:
    server = replay(misbehave={"okaz": frozenset({"ratelimit"})})
    started = time.monotonic()
    error = await _reason(loopback_options, f"{server.url}/okaz/feed.xml")
    assert error.retry_after == 120 and time.monotonic() - started < 2


async def test_slow_server_times_out(replay: Start, loopback_options: FetchOptions) -> None:
    server = replay(misbehave={"okaz": frozenset({"slow"})}, slow_seconds=1.5)
    options = replace(loopback_options, total_timeout=0.4, retries=0)
    error = await _reason(options, f"{server.url}/okaz/1.html")
    assert error.reason == "timeout"


async def test_503_is_retried_after_retry_after_then_reported(
    replay: Start, loopback_options: FetchOptions
) -> None:
    server = replay(misbehave={"okaz": frozenset({"5xx"})})
    started = time.monotonic()
    error = await _reason(replace(loopback_options, retries=1), f"{server.url}/okaz/1.html")
    assert error.reason == "HTTP 503" and error.http_status == 503
    assert time.monotonic() - started >= 1.0  # waited the Retry-After: 1 before the retry


async def test_flaky_server_succeeds_on_retry(
    replay: Start, loopback_options: FetchOptions, sample: list[RawArticle]
) -> None:
    server = replay(misbehave={"okaz": frozenset({"flaky"})})
    result = await _get(loopback_options, f"{server.url}/okaz/1.html")
    okaz = [a for a in sample if a.source == "okaz"]
    first = min(okaz, key=lambda a: (a.published_at, a.url))
    assert first.title in result.decoded().text


@pytest.mark.parametrize("kind", ["wrong-charset", "iso-8859-6"])
async def test_arabic_pages_in_other_charsets_decode_right(
    replay: Start, loopback_options: FetchOptions, sample: list[RawArticle], kind: str
) -> None:
    server = replay(misbehave={"okaz": frozenset({kind})})
    result = await _get(loopback_options, f"{server.url}/okaz/2.html")
    found = extract(result.decoded().text, result.final_url)
    okaz = sorted((a for a in sample if a.source == "okaz"), key=lambda a: (a.published_at, a.url))
    assert found.title == okaz[1].title
    assert found.text.split()[:5] == okaz[1].text.split()[:5]


async def test_loopback_is_refused_unless_allowed(replay: Start) -> None:
    server = replay()
    with pytest.raises(FetchError) as caught:
        await _get(FetchOptions(), f"{server.url}/okaz/feed.xml")
    assert caught.value.reason == "private address refused"
    allowed = FetchOptions(allow_private=True, per_host_delay=0)
    assert (await _get(allowed, f"{server.url}/okaz/feed.xml")).status == 200


@pytest.mark.parametrize(
    "url", ["http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/"]
)
async def test_private_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        await _get(FetchOptions(), url)
    assert caught.value.reason == "private address refused"


async def test_per_host_delay_spaces_requests(
    replay: Start, loopback_options: FetchOptions
) -> None:
    import asyncio

    server = replay()
    options = replace(loopback_options, per_host_delay=0.2, per_host_concurrency=4)
    started = time.monotonic()
    async with Fetcher(options) as fetcher:
        await asyncio.gather(*(fetcher.fetch(f"{server.url}/aawsat/{n}.html") for n in (1, 2, 3)))
    # robots.txt, then three pages: at least three delays apart.
    assert time.monotonic() - started >= 0.6


async def test_malformed_feed_is_recovered_and_flagged(
    replay: Start, loopback_options: FetchOptions
) -> None:
    server = replay(misbehave={"okaz": frozenset({"malformed"})})
    result = await _get(loopback_options, f"{server.url}/okaz/feed.xml")
    feed = parse_feed(result.body, result.final_url)
    assert feed.malformed and len(feed.entries) >= 9  # the cut-off tail may lose an item
