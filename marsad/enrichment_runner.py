"""Enrichment over the store: warm the enricher from it, enrich stored articles, save the result.

The enricher (`marsad.enrich`) reads and writes nothing; this runner sits above it and the
store. Per batch it reserves story ids, lets the enricher process the batch, and saves
everything the batch changed in one transaction, before the reserved ids are let go.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime

from marsad.enrich.enricher import EnrichedArticle, Enricher
from marsad.enrich.stories import StoryItem
from marsad.models import Article, ArticleFeatures
from marsad.pipeline import learn_pending
from marsad.store import EnrichedBatch, Storage


class EnrichmentRunner:
    """An `Enricher` run over the store: what the pipeline calls with each stored batch."""

    def __init__(self, enricher: Enricher | None = None) -> None:
        self.enricher = enricher or Enricher()

    def warm(self, store: Storage) -> None:
        """Rebuild the enricher's indexes from the stored, enriched articles of the last window."""
        newest = store.latest_published()
        if newest is None:
            return
        self.enricher.warm(_enriched(store, newest - self.enricher.settings.window))

    def enrich(
        self,
        store: Storage,
        batch: Sequence[tuple[int, Article]],
        ready: Mapping[int, ArticleFeatures] | None = None,
    ) -> None:
        """Enrich newly stored articles and save what was found (and older related lists);
        `ready` holds the features a worker already computed, by article id."""
        if not batch:
            return
        with store.reserved_story_ids(len(batch)) as ids:
            reserved = iter(ids)
            created: list[tuple[int, str, datetime]] = []

            def new_story(item: StoryItem) -> int:
                story_id = next(reserved)
                created.append((story_id, item.title, item.published))
                return story_id

            result = self.enricher.process(batch, new_story, ready)
            store.save_batch(
                EnrichedBatch(
                    created,
                    result.enrichments,
                    result.related,
                    result.stories,
                    related_before=result.related_before,
                    merges=result.merges,
                ),
            )


def _enriched(store: Storage, since: datetime) -> Iterator[EnrichedArticle]:
    """Stored articles from `since` on, in publish order, as the enricher warms from them."""
    for stored in store.iter_articles(since=since):
        yield stored.id, stored.article, stored.enrichment


def start_enrichment(store: Storage, batch_size: int = 200) -> EnrichmentRunner:
    """The enrichment stage warmed from the store, after enriching what a crash left undone."""
    runner = EnrichmentRunner()
    runner.warm(store)
    batch: list[tuple[int, Article]] = []
    # Articles committed by a run that died before their enrichment was saved (or stored by
    # workers whose ordered step never came: learned from first, as it would have).
    for stored in store.iter_articles(unenriched=True):
        batch.append((stored.id, stored.article))
        if len(batch) >= batch_size:
            runner.enrich(store, _learned(store, batch))
            batch = []
    runner.enrich(store, _learned(store, batch))
    return runner


def _learned(store: Storage, batch: list[tuple[int, Article]]) -> list[tuple[int, Article]]:
    """The batch once its pending articles are learned from, those cleaned again re-read."""
    again = learn_pending(store, [i for i, _ in batch])
    if not again:
        return batch
    fresh = {a.id: a.article for a in store.get_articles(sorted(again))}
    return [(i, fresh.get(i, a)) for i, a in batch]
