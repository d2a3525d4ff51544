"""What the store hands back: plain dataclasses, never ORM rows or cursors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marsad.models import Article, Enrichment, Removal


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
    """A stored article with its enrichment (empty where a stage has not run yet)."""

    id: int
    url: str
    source: str
    source_name: str
    title: str
    text: str
    match_title: str
    match_text: str
    content_hash: str
    author: str | None
    published_at: datetime | None
    fetched_at: datetime
    language: str
    image: str | None
    summary: str | None
    duplicate_of: int | None
    story_id: int | None
    keyphrases: list[str] = field(default_factory=list)
    related: list[int] = field(default_factory=list)
    dateline: str | None = None
    credit: str | None = None
    brief: bool = False
    original_text: str | None = None
    original_author: str | None = None
    removed: tuple[Removal, ...] = ()

    @property
    def publisher_text(self) -> str:
        """The publisher's own text, as it came (cleaning never rewrites it)."""
        return self.original_text if self.original_text is not None else self.text

    @property
    def publisher_author(self) -> str | None:
        """The publisher's own author field, as it came."""
        return self.original_author if self.original_author is not None else self.author

    def as_article(self) -> Article:
        """The pipeline's Article for this stored one (to run stages over it again)."""
        return Article(
            url=self.url,
            source=self.source,
            source_name=self.source_name,
            title=self.title,
            text=self.text,
            match_title=self.match_title,
            match_text=self.match_text,
            content_hash=self.content_hash,
            author=self.author,
            published_at=self.published_at,
            fetched_at=self.fetched_at,
            language=self.language,
            image=self.image,
            id=self.id,
            dateline=self.dateline,
            credit=self.credit,
            brief=self.brief,
            original_text=self.original_text,
            original_author=self.original_author,
            removed=self.removed,
        )

    def as_enrichment(self) -> Enrichment:
        """What enrichment recorded of this article (empty where a stage has not run)."""
        return Enrichment(
            keyphrases=self.keyphrases,
            duplicate_of=self.duplicate_of,
            story_id=self.story_id,
            related=self.related,
            summary=self.summary,
        )


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
