"""The work each Celery task does: plain functions over a WorkerContext, calling the pipeline.

Each one is idempotent: storing skips known URLs and enrichment skips enriched articles, so a
task that died half-way is simply run again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from marsad.models import Article
from marsad.pipeline import EnrichStage, ingest
from marsad.store import Store, StoredArticle
from marsad.store.work import (
    claim_due_sources,
    drop_empty_stories,
    ids_by_url,
    pending_enrichment,
    story_lock,
    unenriched_ids,
)
from marsad.urls import canonical_url
from marsad.workers.context import WorkerContext
from marsad.workers.messages import raw_from_message


def ingest_messages(ctx: WorkerContext, messages: Sequence[dict[str, Any]]) -> list[int]:
    """Normalize and store a batch of raw articles; return the ids of them still to enrich."""
    raws = [raw_from_message(m) for m in messages]
    store = ctx.store()
    ingest(store, raws)
    return stored_unenriched(ctx, [canonical_url(r.url) for r in raws if r.url.strip()])


def stored_unenriched(ctx: WorkerContext, urls: Sequence[str]) -> list[int]:
    """Ids of the stored articles among these URLs that are not enriched yet.

    Not only the new ones: if a task died between storing and handing over, its rerun finds
    the articles already stored, and they must still reach enrichment.
    """
    store = ctx.store()
    return unenriched_ids(store, list(ids_by_url(store, urls).values()))


def enrich_articles(ctx: WorkerContext, ids: Sequence[int]) -> int:
    """Enrich (dedupe, keyphrases, story, related, summary) those articles not enriched yet.

    Runs under the story lock, in id order, so that two workers never make the same story.
    """
    store = ctx.store()
    with story_lock(store):
        todo = unenriched_ids(store, ids)
        if not todo:
            return 0
        # Stories left empty by a run that died between creating them and saving its articles.
        drop_empty_stories(store)
        enricher = ctx.enricher()
        if enricher is None:
            return 0
        batch = [(a.id, as_article(a)) for a in store.get_articles(todo)]
        try:
            enricher.enrich(store, batch)
        except BaseException:
            # Its indexes now hold articles the store does not: rebuild them on the retry.
            ctx.forget_enricher()
            raise
        ctx.enriched()
        return len(batch)


def enrich_when_stored(ctx: WorkerContext, urls: Sequence[str], wait: float) -> int:
    """Enrich one import batch, by URL, once every article of it is stored.

    The producer sends these in its batch order to the single stories consumer, so enrichment
    sees the same batches in the same order as a one-process import, whichever workers stored
    them and in whatever order: the results are the same. After `wait` seconds it enriches what
    is there; the periodic tick catches up on the rest.
    """
    store = ctx.store()
    wanted = set(urls)
    deadline = time.monotonic() + wait
    found = ids_by_url(store, list(wanted))
    while len(found) < len(wanted) and time.monotonic() < deadline:
        time.sleep(0.2)
        found = ids_by_url(store, list(wanted))
    return enrich_articles(ctx, sorted(found.values()))


def fetch_source(ctx: WorkerContext, slug: str, handoff: EnrichStage) -> None:
    """Fetch one source once with the ingestion stage's own function; each stored batch's new
    articles go to `handoff`, as they would go to the enricher in one process."""
    from marsad.ingest.fetch import FetchOptions
    from marsad.ingest.follow import FollowOptions, fetch_once

    fetching = FetchOptions.from_settings(
        ctx.settings, per_host_delay=ctx.fetch_delay, per_host_concurrency=ctx.per_host
    )
    asyncio.run(fetch_once(ctx.store(), FollowOptions(fetch=fetching), handoff, [slug]))


def due_sources(ctx: WorkerContext, lease: timedelta) -> list[str]:
    """Slugs of the followed sources whose next check has come, claimed for `lease`."""
    return claim_due_sources(ctx.store(), datetime.now(UTC), lease)


@dataclass(frozen=True)
class Handoff:
    """An enrichment stage that sends each batch's ids to the story queue instead."""

    send: Callable[[list[int]], object]

    def enrich(self, store: Store, batch: Sequence[tuple[int, Article]]) -> None:
        """Send the ids of these newly stored articles to enrichment."""
        if batch:
            self.send([article_id for article_id, _ in batch])


def overdue_enrichment(ctx: WorkerContext, older_than: timedelta) -> list[int]:
    """Articles stored a while ago and still not enriched: their message was lost or failed."""
    return pending_enrichment(ctx.store(), datetime.now(UTC) - older_than)


def as_article(stored: StoredArticle) -> Article:
    """The pipeline's Article of a stored one (what the enricher takes)."""
    return stored.as_article()
