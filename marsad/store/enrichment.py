"""Store verbs the enricher needs beyond the Store class: its window start, story updates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from marsad.store.schema import articles, stories
from marsad.store.store import Store, _refresh_story_counts, as_utc, utc_naive


def latest_published(store: Store) -> datetime | None:
    """The newest publish time (else fetch time) among stored articles, or None when empty."""
    order_key = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    with store.engine.connect() as conn:
        return as_utc(conn.execute(select(func.max(order_key))).scalar_one_or_none())


def update_stories(store: Store, changes: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Change many stories' title, summary, lead article or time in one transaction, recounted."""
    allowed = {"title", "summary", "lead_article_id", "updated_at"}
    with store.engine.begin() as conn:
        for story_id, values in changes:
            unknown = set(values) - allowed
            if unknown:
                raise ValueError(f"unknown story fields: {sorted(unknown)}")
            if "updated_at" in values:
                values = {**values, "updated_at": utc_naive(values["updated_at"])}
            conn.execute(update(stories).where(stories.c.id == story_id).values(**values))
        _refresh_story_counts(conn, [story_id for story_id, _ in changes])
