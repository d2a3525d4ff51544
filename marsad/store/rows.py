"""What the store hands back: plain dataclasses, never ORM rows or cursors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.models import Article, Enrichment


@dataclass(frozen=True)
class SourceRow:
    """A source with its health as the fetcher last left it."""

    id: int
    slug: str
    name: str
    feed_url: str | None
    site_url: str | None
    options: dict[str, Any]
    last_fetch_at: datetime | None
    last_status: str | None
    consecutive_errors: int
    etag: str | None
    last_modified: str | None
    next_check_at: datetime | None
    article_count: int = 0


@dataclass(frozen=True)
class StoredArticle:
    """A stored article: its id, the pipeline's `Article` as stored (its id, source name and
    fetch time set) and what enrichment recorded of it (`Enrichment`: empty lists and None where
    a stage has not run; its keyphrases in the order readers see them, with their kinds)."""

    id: int
    article: Article
    enrichment: Enrichment


@dataclass(frozen=True)
class StoryRow:
    """A story: articles about one event, with its headline and summary."""

    id: int
    title: str
    summary: str | None
    created_at: datetime
    updated_at: datetime
    article_count: int
    source_count: int
    lead_article_id: int | None
