"""Following sources end to end: replay publisher on loopback → fetch → pipeline → store."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from store_writes import fetch_log_entries

from marsad.cli import main
from marsad.follow import FollowOptions, SourceReport, fetch_once, run_forever
from marsad.ingest.fetch import Fetcher, FetchOptions
from marsad.ingest.quality import token_f1
from marsad.models import RawArticle, Source
from marsad.replay.server import RunningReplay
from marsad.store import Store
from marsad.urls import canonical_url

Start = Callable[..., RunningReplay]
LOOPBACK = ["--allow-host", "127.0.0.1", "--delay", "0", "--per-host", "4"]


def _follow(store: Store, url: str, slugs: list[str]) -> None:
    for slug in slugs:
        store.upsert_source(Source(slug, slug, f"{url}/{slug}/feed.xml"))


async def _once(
    store: Store,
    fetching: FetchOptions,
    options: FollowOptions | None = None,
    progress: Callable[[SourceReport], None] | None = None,
) -> list[SourceReport]:
    """fetch_once with a fetcher of these options."""
    async with Fetcher(fetching) as fetcher:
        return await fetch_once(store, fetcher, options or FollowOptions(), progress=progress)


def test_import_opml_then_fetch_once_stores_the_publishers_articles(
    replay: Start,
    sample: list[RawArticle],
    db_url: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = replay()
    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["sources", "import-opml", f"{server.url}/sources.opml", *LOOPBACK[:2]]) == 0
    assert main(["fetch", "--once", "--no-enrich", *LOOPBACK]) == 0
    assert "3 sources, " in capsys.readouterr().out

    published = {canonical_url(a.url): a for a in sample}
    stored = {a.article.url: a for a in store.iter_articles()}
    wanted = [u for u, a in published.items() if len(a.text.split()) >= 30]
    assert len([u for u in wanted if u in stored]) >= 0.95 * len(wanted)
    assert set(stored) <= set(published)  # each under its original URL
    assert all(stored[u].article.source == published[u].source for u in stored)
    scores = [token_f1(stored[u].article.text, published[u].text) for u in wanted if u in stored]
    assert statistics.median(scores) >= 0.95

    # A second run finds every feed unchanged and stores nothing twice.
    assert main(["fetch", "--once", "--no-enrich", "--quiet", *LOOPBACK]) == 0
    assert "0 new articles" in capsys.readouterr().out
    assert sum(1 for _ in store.iter_articles()) == len(stored)
    health = {s.slug: s for s in store.list_sources()}
    assert health["okaz"].last_status == "not modified"
    assert health["okaz"].article_count == 12 and health["okaz"].consecutive_errors == 0


async def test_article_in_two_feeds_is_stored_once(
    replay: Start, sample: list[RawArticle], store: Store, loopback_options: FetchOptions
) -> None:
    okaz = [a for a in sample if a.source == "okaz"]
    first = replay(okaz)
    mirror = replay([replace(a, source="mirror") for a in okaz])
    _follow(store, first.url, ["okaz"])
    _follow(store, mirror.url, ["mirror"])
    reports = await _once(store, loopback_options)
    assert sum(r.stored for r in reports) == len(okaz)
    assert store.counts()["articles"] == len(okaz)


async def test_every_failure_is_recorded_per_source_and_per_url(
    replay: Start, store: Store, loopback_options: FetchOptions
) -> None:
    server = replay(misbehave={"sabq": frozenset({"5xx"}), "okaz": frozenset({"empty"})})
    _follow(store, server.url, ["aawsat", "sabq", "okaz"])
    fetching = replace(loopback_options, retries=1)
    reports = {r.slug: r for r in await _once(store, fetching, FollowOptions(interval=60))}

    assert reports["aawsat"].ok and reports["aawsat"].stored == 12
    assert not reports["sabq"].ok and reports["sabq"].status.startswith("HTTP 503")
    assert reports["okaz"].failures["no article text"] == 12

    health = {s.slug: s for s in store.list_sources()}
    assert health["sabq"].consecutive_errors == 1
    assert health["sabq"].last_status is not None and health["sabq"].last_status.startswith(
        "HTTP 503"
    )
    due = health["sabq"].next_check_at
    assert due is not None and (due if due.tzinfo else due.replace(tzinfo=UTC)) > datetime.now(UTC)
    log = fetch_log_entries(store, source="okaz", limit=50)
    page_failures = [e for e in log if e["status"] == "error"]
    assert len(page_failures) == 12
    assert all(e["reason"].startswith("no article text") for e in page_failures)
    sabq_log = fetch_log_entries(store, source="sabq")
    assert sabq_log[0]["http_status"] == 503 and sabq_log[0]["url"].endswith("/sabq/feed.xml")


async def test_failing_source_backs_off_longer_each_time(
    replay: Start, store: Store, loopback_options: FetchOptions
) -> None:
    server = replay(misbehave={"sabq": frozenset({"challenge"})})
    _follow(store, server.url, ["sabq"])
    options = FollowOptions(interval=100)
    waits = []
    for _ in range(2):
        before = datetime.now(UTC)
        await _once(store, loopback_options, options)
        due = store.get_source("sabq").next_check_at  # type: ignore[union-attr]
        assert due is not None
        waits.append(((due if due.tzinfo else due.replace(tzinfo=UTC)) - before).total_seconds())
    assert 150 < waits[0] < 250 and 350 < waits[1] < 450  # 100 s × 2, then × 4


async def test_a_slow_source_holds_up_no_other(
    replay: Start, sample: list[RawArticle], store: Store, loopback_options: FetchOptions
) -> None:
    sabq = [a for a in sample if a.source == "sabq"][:3]
    slow = replay(sabq, misbehave={"sabq": frozenset({"slow"})}, slow_seconds=2.0)
    fast = replay([a for a in sample if a.source == "okaz"])
    _follow(store, slow.url, ["sabq"])
    _follow(store, fast.url, ["okaz"])
    finished: dict[str, float] = {}
    started = time.monotonic()

    def note(report: SourceReport) -> None:
        finished[report.slug] = time.monotonic() - started

    fetching = replace(loopback_options, obey_robots=False)
    await _once(store, fetching, progress=note)
    # sabq is followed first, so a serial walk would finish it first; every one of its
    # responses waits 2 s. Order, not a clock bound, so a loaded machine cannot fail it.
    assert finished["okaz"] < finished["sabq"] and finished["sabq"] >= 2.0


async def test_run_follows_until_stopped_then_shuts_down_cleanly(
    replay: Start, sample: list[RawArticle], store: Store, loopback_options: FetchOptions
) -> None:
    server = replay(misbehave={"sabq": frozenset({"slow"})}, slow_seconds=0.2)
    _follow(store, server.url, ["aawsat", "sabq"])
    stop = asyncio.Event()
    seen: list[str] = []

    def note(report: SourceReport) -> None:
        seen.append(report.slug)
        if {"aawsat", "sabq"} <= set(seen):
            stop.set()

    options = FollowOptions(interval=3600)
    async with Fetcher(loopback_options) as fetcher:
        running = run_forever(store, fetcher, options, stop, progress=note)
        await asyncio.wait_for(running, timeout=30)
    assert sorted(seen) == ["aawsat", "sabq"]  # each once: the next check is an hour away
    with_text = [a for a in sample if a.source in ("aawsat", "sabq") and a.text.strip()]
    assert store.counts()["articles"] == len(with_text)


async def test_trusted_feed_content_needs_no_page_fetch(
    replay: Start, sample: list[RawArticle], store: Store, loopback_options: FetchOptions
) -> None:
    # The pages are empty; the feed carries the full text; the source is trusted to.
    server = replay(misbehave={"okaz": frozenset({"full-content", "empty"})})
    store.upsert_source(
        Source("okaz", "عكاظ", f"{server.url}/okaz/feed.xml"), {"trust_feed_content": True}
    )
    [report] = await _once(store, loopback_options)
    okaz = {canonical_url(a.url): a for a in sample if a.source == "okaz"}
    assert report.stored == len(okaz) and not report.failures
    for article in store.iter_articles():
        assert token_f1(article.article.text, okaz[article.article.url].text) >= 0.95
