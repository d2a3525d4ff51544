"""The work each Celery task does: plain functions over a WorkerContext, calling the pipeline.

Enrichment is split in two: each article's own features (keyphrases, summary, stems, sentence
vector: most of the cost) are computed by whichever worker stored it, and kept in the store;
the ordered step (duplicates, stories, related articles) then runs on the story queue.

Learning each source's furniture is ordered too: whoever stores an article cleans it with what
its source knew so far and marks it pending; the story step learns from the pending articles of
what it enriches (an import batch in the batch's own order, else in the order they were stored)
and cleans again those that this changes, computing their features afresh. Keyphrases and their
document counts are saved there as well, so the store's state grows in one order.

Each task is idempotent: storing skips known URLs, features are kept once, and enrichment skips
enriched articles, so a task that died half-way is simply run again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from marsad.enrich.features import article_features
from marsad.models import Article
from marsad.pipeline import EnrichStage, ingest, learn_pending
from marsad.store import Storage
from marsad.urls import canonical_url, web_url
from marsad.workers.context import WorkerContext
from marsad.workers.messages import raw_from_message

# An import batch is prepared (stored, features computed) in parts of this many articles, each
# its own job: the story step then prepares parts nobody has taken instead of waiting for them.
PART_SIZE = 50


def batch_parts(messages: Sequence[dict[str, Any]]) -> list[Sequence[dict[str, Any]]]:
    """The parts of an import batch, as the producer sends them and the story step claims them."""
    return [messages[i : i + PART_SIZE] for i in range(0, len(messages), PART_SIZE)]


def ingest_messages(
    ctx: WorkerContext, messages: Sequence[dict[str, Any]], learn: bool = False
) -> list[int]:
    """Store raw articles (a part of a batch) and compute their features; return the ids still
    to enrich. Skipped (returns nothing) while another worker prepares the same part.
    `learn`: learn furniture here (only where no ordered step follows)."""
    with ctx.store().batch_claim(batch_urls(messages), wait=False) as claimed:
        return prepare(ctx, messages, learn) if claimed else []


def prepare(
    ctx: WorkerContext, messages: Sequence[dict[str, Any]], learn: bool = False
) -> list[int]:
    """Store raw articles (known URLs skipped; new ones pending for the story step to learn
    from, unless `learn`) and compute the features of those not enriched yet; return their ids."""
    raws = [raw_from_message(m) for m in messages]
    store = ctx.store()
    ingest(store, raws, learn=learn)
    ids = stored_unenriched(ctx, [canonical_url(r.url) for r in raws if web_url(r.url)])
    compute_features(ctx, ids)
    return ids


def batch_urls(messages: Sequence[dict[str, Any]]) -> list[str]:
    """The canonical URLs of a batch's raw articles, in order: the batch's name."""
    urls = (str(m.get("url", "")) for m in messages)
    return [canonical_url(url) for url in urls if web_url(url)]


def compute_features(ctx: WorkerContext, ids: Sequence[int]) -> int:
    """Compute and keep the features of those of these stored articles that have none."""
    store = ctx.store()
    todo = sorted(set(ids) - store.featured_ids(ids))
    if not todo:
        return 0
    articles = [stored.article for stored in store.get_articles(todo)]
    found = article_features(articles, ctx.encoder())
    store.save_features(list(zip(todo, found, strict=True)))
    return len(todo)


def stored_unenriched(ctx: WorkerContext, urls: Sequence[str]) -> list[int]:
    """Ids of the stored articles among these URLs that are not enriched yet.

    Not only the new ones: if a task died between storing and handing over, its rerun finds
    the articles already stored, and they must still reach enrichment.
    """
    store = ctx.store()
    return store.unenriched_ids(list(store.ids_by_url(urls).values()))


def enrich_articles(ctx: WorkerContext, ids: Sequence[int], in_order: bool = False) -> int:
    """Learn from those of these articles still pending (in the order given with `in_order`,
    else in the order they were stored), then enrich (dedupe, keyphrases, story, related,
    summary) those not enriched yet.

    Runs under the story lock, so that two workers never make the same story nor learn at once.
    """
    store = ctx.store()
    with store.story_lock():
        learn_pending(store, ids, in_order)
        todo = store.unenriched_ids(ids)
        if not todo:
            return 0
        enricher = ctx.enricher()
        batch = [(a.id, a.article) for a in store.get_articles(todo)]
        try:
            enricher.enrich(store, batch, store.load_features(todo))
        except BaseException:
            # Its indexes now hold articles the store does not: rebuild them on the retry.
            ctx.forget_enricher()
            raise
        ctx.enriched()
        return len(batch)


def enrich_batch(ctx: WorkerContext, messages: Sequence[dict[str, Any]]) -> int:
    """Enrich one import batch, once it is stored and its features computed.

    The producer sends these in its batch order to the single stories consumer, so enrichment
    sees the same batches in the same order as a one-process import, whichever workers stored
    them and in whatever order: the results are the same. Parts of the batch that nobody is
    preparing (their jobs not taken yet, or their worker gone) are prepared here first, then
    those that other workers hold are waited for: the story step never idles while there is
    preparing to do, and one process consuming both queues never waits on itself.
    """
    store = ctx.store()
    held = []
    for part in batch_parts(messages):
        with store.batch_claim(batch_urls(part), wait=False) as claimed:
            if claimed:
                _prepare_unless_ready(ctx, part)
            else:
                held.append(part)
    for part in held:
        with store.batch_claim(batch_urls(part), wait=True):
            _prepare_unless_ready(ctx, part)
    found = store.ids_by_url(batch_urls(messages))
    ordered = [found[url] for url in dict.fromkeys(batch_urls(messages)) if url in found]
    return enrich_articles(ctx, ordered, in_order=True)


def _prepare_unless_ready(ctx: WorkerContext, messages: Sequence[dict[str, Any]]) -> None:
    """Prepare these raw articles unless every one is stored and enriched or featured already."""
    store = ctx.store()
    urls = batch_urls(messages)
    found = store.ids_by_url(urls)
    todo = store.unenriched_ids(list(found.values()))
    if len(found) < len(set(urls)) or store.featured_ids(todo) != set(todo):
        prepare(ctx, messages)


def fetch_source(ctx: WorkerContext, slug: str, handoff: EnrichStage | None) -> None:
    """Fetch one source once with the ingestion stage's own function; each stored batch's new
    articles go to `handoff`, as they would go to the enricher in one process."""
    from marsad.follow import FollowOptions, fetch_once
    from marsad.ingest.fetch import Fetcher

    fetching = ctx.settings.fetch_options(
        per_host_delay=ctx.fetch_delay, per_host_concurrency=ctx.per_host
    )

    async def once() -> None:
        async with Fetcher(fetching) as fetcher:
            await fetch_once(
                ctx.store(), fetcher, FollowOptions(), handoff, [slug], learn=handoff is None
            )

    asyncio.run(once())


def due_sources(ctx: WorkerContext, lease: timedelta) -> list[str]:
    """Slugs of the followed sources whose next check has come, claimed for `lease`."""
    return ctx.store().claim_due_sources(datetime.now(UTC), lease)


@dataclass(frozen=True)
class Handoff:
    """An enrichment stage that computes each batch's features here, then sends its ids to the
    story queue for the ordered step."""

    ctx: WorkerContext
    send: Callable[[list[int]], object]

    def enrich(self, store: Storage, batch: Sequence[tuple[int, Article]]) -> None:
        """Compute and keep these newly stored articles' features, then send their ids on."""
        if batch:
            found = article_features([article for _, article in batch], self.ctx.encoder())
            store.save_features([(i, f) for (i, _), f in zip(batch, found, strict=True)])
            self.send([article_id for article_id, _ in batch])


def overdue_enrichment(ctx: WorkerContext, older_than: timedelta) -> list[int]:
    """Articles stored a while ago and still not enriched: their message was lost or failed."""
    return ctx.store().pending_enrichment(datetime.now(UTC) - older_than)
