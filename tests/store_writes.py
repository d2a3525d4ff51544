"""Test set-ups written through the store verbs production writes with.

The enricher saves stories, enrichment and related lists with the store's
`reserved_story_ids` and `save_batch`; a test that needs a story or an article's enrichment in
place writes them the same way, one piece at a time, so that the rows are the ones production
would have written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from marsad.models import Enrichment, StoryChange
from marsad.store import EnrichedBatch, Store
from marsad.store.schema import fetch_log, sources


def create_story(store: Store, title: str, created_at: datetime | None = None) -> int:
    """Start a new story with no article yet; return its id."""
    with store.reserved_story_ids(1) as (story_id,):
        moment = created_at or datetime.now(UTC)
        store.save_batch(EnrichedBatch(new_stories=[(story_id, title, moment)]))
    return story_id


def save_enrichments(store: Store, batch: Sequence[tuple[int, Enrichment]]) -> None:
    """Store what enrichment found for these articles, replacing what was there."""
    store.save_batch(EnrichedBatch(enrichments=batch))


def save_enrichment(store: Store, article_id: int, enrichment: Enrichment) -> None:
    """Store what enrichment found for one article, replacing what was there."""
    save_enrichments(store, [(article_id, enrichment)])


def set_related(store: Store, batch: Sequence[tuple[int, Sequence[int]]]) -> None:
    """Replace these articles' related lists (best first)."""
    store.save_batch(EnrichedBatch(related=batch))


def update_story(store: Store, story_id: int, change: StoryChange) -> None:
    """Write what enrichment changed of one story, and recount it."""
    store.save_batch(EnrichedBatch(stories=[(story_id, change)]))


def refresh_story_counts(store: Store, story_ids: Iterable[int]) -> None:
    """Recount the articles and sources of these stories, changing nothing else of them."""
    changes = []
    for story_id in sorted(set(story_ids)):
        row = store.get_story(story_id)
        assert row is not None, f"no story {story_id}"
        changes.append((story_id, StoryChange(row.title, row.lead_article_id, row.updated_at)))
    store.save_batch(EnrichedBatch(stories=changes))


def fetch_log_entries(
    store: Store, source: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The latest fetch outcomes as stored, newest first, optionally for one source."""
    stmt = (
        select(fetch_log, sources.c.slug.label("source"))
        .outerjoin(sources, sources.c.id == fetch_log.c.source_id)
        .order_by(fetch_log.c.id.desc())
        .limit(limit)
    )
    if source is not None:
        stmt = stmt.where(sources.c.slug == source)
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]
