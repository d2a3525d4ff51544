"""Following sources: `fetch --once` and `run`, the orchestration over fetch, feeds, extract,
the pipeline and the store (it sits above them all; the caller hands it a `Fetcher`).

For one source:
  1. conditional GET of the feed (ETag, Last-Modified); 304 ends here
  2. parse it; skip entries whose link or GUID is already stored or already seen this run
  3. fetch and extract each new entry's page (or take the feed's content if the source is
     trusted to carry full text), a few at a time, extraction in a worker thread
  4. hand the articles to the pipeline (normalize, store keyed by canonical URL, enrich)
  5. record the outcome: per URL in the fetch log, per source in its health and next check
Sources run concurrently and independently, so a slow or broken one holds up no other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from marsad.ingest.extract import Extracted, extract
from marsad.ingest.failures import FetchError, Reason
from marsad.ingest.feeds import FeedEntry, parse_feed
from marsad.ingest.fetch import Fetcher
from marsad.ingest.rules import rules_for
from marsad.models import RawArticle
from marsad.pipeline import EnrichStage, ingest
from marsad.store import SourceRow, Storage
from marsad.urls import canonical_url, web_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FollowOptions:
    """How sources are followed: schedule, backoff and concurrency (politeness is the
    `Fetcher`'s own options)."""

    interval: float = 900.0  # seconds between checks of a healthy source
    max_backoff: float = 6 * 3600.0
    sources_at_once: int = 8
    pages_per_source: int = 8
    batch_size: int = 100
    # New entries taken from one feed per check, newest first; the rest wait for the next
    # check. A feed of 100,000 items would otherwise hold its source for hours unrecorded.
    max_new_entries: int = 200


@dataclass
class SourceReport:
    """What one fetch of one source did."""

    slug: str
    ok: bool = True
    status: str = ""
    entries: int = 0
    skipped: int = 0
    deferred: int = 0
    stored: int = 0
    already_present: int = 0
    failures: Counter[str] = field(default_factory=Counter)


@dataclass
class _Run:
    """State shared by the sources of one run: the store, the pipeline and what was seen."""

    store: Storage
    fetcher: Fetcher
    options: FollowOptions
    enricher: EnrichStage | None
    seen: set[str] = field(default_factory=set)
    learn: bool = True  # learn furniture as articles are stored (else the ordered step does)
    store_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


async def fetch_once(
    store: Storage,
    fetcher: Fetcher,
    options: FollowOptions,
    enricher: EnrichStage | None = None,
    slugs: Sequence[str] | None = None,
    progress: Callable[[SourceReport], None] | None = None,
    learn: bool = True,
) -> list[SourceReport]:
    """Fetch every followed source (or the ones named) once, all at the same time; with
    `learn` off, new articles are stored pending for the ordered step to learn from."""
    sources = [s for s in store.list_sources() if _followed(s) and (not slugs or s.slug in slugs)]
    limit = asyncio.Semaphore(options.sources_at_once)
    run = _Run(store, fetcher, options, enricher, learn=learn)

    async def one(source: SourceRow) -> SourceReport:
        async with limit:
            report = await fetch_source(run, source)
        if progress is not None:
            progress(report)
        return report

    return list(await asyncio.gather(*(one(s) for s in sources)))


async def run_forever(
    store: Storage,
    fetcher: Fetcher,
    options: FollowOptions,
    stop: asyncio.Event,
    enricher: EnrichStage | None = None,
    progress: Callable[[SourceReport], None] | None = None,
    grace: float = 10.0,
) -> None:
    """Fetch each source when it is due until `stop` is set, then finish or cancel cleanly."""
    running: dict[str, asyncio.Task[SourceReport]] = {}
    run = _Run(store, fetcher, options, enricher)
    while not stop.is_set():
        now = datetime.now(UTC)
        for source in store.list_sources():
            if _followed(source) and source.slug not in running and _due(source, now):
                task = asyncio.create_task(fetch_source(run, source))
                running[source.slug] = task
        for slug, task in list(running.items()):
            if task.done():
                del running[slug]
                if progress is not None and not task.cancelled():
                    progress(task.result())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)
    await _finish(list(running.values()), grace)


async def _finish(tasks: list[asyncio.Task[SourceReport]], grace: float) -> None:
    """Let running fetches finish for a grace period, then cancel what is left."""
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def _followed(source: SourceRow) -> bool:
    """Whether a source is followed: it has a feed and no editor paused it (the desk)."""
    return bool(source.feed_url) and not source.options.get("paused")


def _due(source: SourceRow, now: datetime) -> bool:
    """Whether a source's next check time has come."""
    if source.next_check_at is None:
        return True
    due = source.next_check_at
    return (due if due.tzinfo else due.replace(tzinfo=UTC)) <= now


async def fetch_source(run: _Run, source: SourceRow) -> SourceReport:
    """Fetch one source's feed and its new articles; record how it went, whatever happens.

    A failure marsad did not foresee is still one source's failure: it is recorded against
    the source as an internal error (with the traceback in the log) and the run goes on.
    """
    started = time.monotonic()
    try:
        return await _fetch_source(run, source, started)
    except Exception as exc:  # the last line of defence for the run, see above
        log.exception("source %s: unexpected failure", source.slug)
        detail = f"{type(exc).__name__}: {exc}"[:200]
        error = FetchError(Reason.INTERNAL, detail)
        return _record_failure(run, source, SourceReport(source.slug), error, started)


async def _fetch_source(run: _Run, source: SourceRow, started: float) -> SourceReport:
    """fetch_source without its last line of defence."""
    report = SourceReport(source.slug)
    assert source.feed_url is not None
    try:
        result = await run.fetcher.fetch(
            source.feed_url, etag=source.etag, last_modified=source.last_modified
        )
        if result.not_modified:
            # A 304 need not repeat the validators: keep the ones that earned it.
            etag = result.etag or source.etag
            modified = result.last_modified or source.last_modified
            _record(run, source, report, "not modified", etag, modified)
            return report
        feed = parse_feed(result.body, result.final_url, result.headers.get("content-type"))
    except FetchError as error:
        return _record_failure(run, source, report, error, started)
    report.entries = len(feed.entries)
    await _fetch_entries(run, source, feed.entries, report)
    note = ", malformed XML recovered" if feed.malformed else ""
    if report.deferred:
        note += f", {report.deferred} more left for the next check"
    status = f"ok: {report.stored} new, {len(feed.entries)} in feed{note}"
    if report.failures:
        status += f", {sum(report.failures.values())} pages failed"
    _record(run, source, report, status, result.etag, result.last_modified)
    return report


async def _fetch_entries(
    run: _Run, source: SourceRow, entries: list[FeedEntry], report: SourceReport
) -> None:
    """Fetch, extract and store the entries not seen before, a few at a time.

    Pages are fetched concurrently but stored in the feed's order, a batch at a time: which
    page answered first never changes the order the pipeline sees (a source's furniture is
    learned in that order), so two runs, or two workers that both took the same fetch, store
    alike."""
    fresh, report.deferred = _new_entries(run, entries, run.options.max_new_entries)
    report.skipped = len(entries) - len(fresh) - report.deferred
    limit = asyncio.Semaphore(run.options.pages_per_source)

    async def one(entry: FeedEntry) -> RawArticle | None:
        async with limit:
            return await _article(run, source, entry, report)

    size = max(1, run.options.batch_size)
    for start in range(0, len(fresh), size):
        found = await asyncio.gather(*(one(e) for e in fresh[start : start + size]))
        await _store(run, [raw for raw in found if raw is not None], report)


def _new_entries(run: _Run, entries: list[FeedEntry], cap: int) -> tuple[list[FeedEntry], int]:
    """Up to `cap` entries, newest first, whose link or GUID is neither stored nor taken;
    and how many more new ones were left for the next check."""
    keys = {e.guid: _keys(e) for e in entries}
    known = run.store.known_urls(k for ks in keys.values() for k in ks)
    fresh: list[FeedEntry] = []
    deferred = 0
    for entry in sorted(entries, key=_newest_first):
        mine = keys[entry.guid]
        if any(k in known or k in run.seen for k in mine):
            continue
        if len(fresh) >= cap:
            # Not marked as seen: the next check (or another feed) takes it.
            deferred += 1
            continue
        run.seen.update(mine)
        fresh.append(entry)
    return fresh, deferred


def _newest_first(entry: FeedEntry) -> float:
    """Sort key: the newest entries first, undated ones after them in feed order."""
    return -entry.published_at.timestamp() if entry.published_at else float("inf")


def _keys(entry: FeedEntry) -> list[str]:
    """The canonical URLs an entry may be stored under: its link, and its GUID if a URL."""
    keys = [canonical_url(entry.link)]  # parse_feed keeps only entries whose link parses
    if web_url(entry.guid) is not None:
        keys.append(canonical_url(entry.guid))
    return keys


async def _article(
    run: _Run, source: SourceRow, entry: FeedEntry, report: SourceReport
) -> RawArticle | None:
    """The entry's article: its page fetched and extracted, or the feed's own content."""
    started = time.monotonic()
    try:
        if source.options.get("trust_feed_content") and entry.content_html:
            html = f"<html><body><article>{entry.content_html}</article></body></html>"
            url = web_url(entry.guid) or entry.link
        else:
            result = await run.fetcher.fetch(entry.link)
            html, url = result.decoded().text, result.final_url
        found = await _extract(html, url, source)
    except FetchError as error:
        report.failures[error.reason] += 1
        run.store.log_fetch(
            entry.link,
            source=source.slug,
            status="error",
            reason=str(error),
            http_status=error.http_status,
            elapsed_ms=int((time.monotonic() - started) * 1000),
        )
        return None
    return RawArticle(
        url=found.url,
        source=source.slug,
        source_name=source.name,
        title=entry.title or found.title,
        text=found.text,
        author=found.author or entry.author,
        published_at=entry.published_at or found.published_at,
        fetched_at=datetime.now(UTC),
        language=found.language,
        image=found.image,
    )


async def _extract(html: str, url: str, source: SourceRow) -> Extracted:
    """Extract a page in a worker thread; an unforeseen failure is this page's failure only."""
    try:
        return await asyncio.to_thread(extract, html, url, rules_for(url, source.options))
    except FetchError:
        raise
    except (ValueError, RecursionError, MemoryError, LookupError) as exc:
        log.warning("page %s: extraction failed", url, exc_info=True)
        raise FetchError(Reason.INTERNAL, f"extraction: {type(exc).__name__}") from exc


async def _store(run: _Run, batch: list[RawArticle], report: SourceReport) -> None:
    """Run a batch through the pipeline, one batch at a time across the run."""
    if not batch:
        return
    async with run.store_lock:
        done = await asyncio.to_thread(
            ingest, run.store, batch, run.enricher, run.options.batch_size, None, run.learn
        )
    report.stored += done.imported
    report.already_present += done.already_present
    for reason, count in done.rejected.items():
        report.failures[reason] += count


def _record(
    run: _Run,
    source: SourceRow,
    report: SourceReport,
    status: str,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """Record a successful check of a source and when to check it next."""
    report.status = status
    interval = float(source.options.get("interval") or run.options.interval)
    run.store.record_source_fetch(
        source.slug,
        ok=True,
        status=status,
        etag=etag,
        last_modified=last_modified,
        next_check_at=datetime.now(UTC) + timedelta(seconds=interval),
    )
    run.store.log_fetch(source.feed_url or "", source=source.slug, status="ok", reason=status)


def _record_failure(
    run: _Run, source: SourceRow, report: SourceReport, error: FetchError, started: float
) -> SourceReport:
    """Record a failed check: the reason, and a next check backed off by the error count."""
    report.ok, report.status = False, str(error)
    report.failures[error.reason] += 1
    interval = float(source.options.get("interval") or run.options.interval)
    errors = min(source.consecutive_errors + 1, 64)  # 2**64 s is past any backoff already
    wait = min(interval * 2**errors, run.options.max_backoff)
    if error.retry_after is not None:
        # The publisher may ask for a longer wait, but never beyond marsad's own longest.
        wait = max(wait, min(error.retry_after, run.options.max_backoff))
    run.store.record_source_fetch(
        source.slug,
        ok=False,
        status=str(error),
        next_check_at=datetime.now(UTC) + timedelta(seconds=wait),
    )
    run.store.log_fetch(
        source.feed_url or "",
        source=source.slug,
        status="error",
        reason=str(error),
        http_status=error.http_status,
        elapsed_ms=int((time.monotonic() - started) * 1000),
    )
    log.info("source %s failed: %s", source.slug, error)
    return report


def describe(report: SourceReport) -> str:
    """One line about a source's fetch."""
    return f"{report.slug}: {report.status}" + (
        f" [{', '.join(f'{k}: {v}' for k, v in report.failures.most_common())}]"
        if report.failures
        else ""
    )


def health_row(source: SourceRow) -> dict[str, Any]:
    """A source's health as `sources list` shows it."""
    return {
        "slug": source.slug,
        "name": source.name,
        "feed_url": source.feed_url,
        "last_fetch_at": source.last_fetch_at.isoformat() if source.last_fetch_at else None,
        "last_status": source.last_status,
        "consecutive_errors": source.consecutive_errors,
        "articles": source.article_count,
        "next_check_at": source.next_check_at.isoformat() if source.next_check_at else None,
    }
