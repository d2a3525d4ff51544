"""The data that flows through marsad's pipeline: plain frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Source:
    """A news source: a feed (or an import origin) with a stable slug and a display name."""

    slug: str
    name: str
    feed_url: str | None = None
    site_url: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class RawArticle:
    """An article as it arrives from an importer or the extractor, before normalization."""

    url: str
    source: str
    title: str
    text: str
    author: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    image: str | None = None
    source_name: str | None = None


@dataclass(frozen=True)
class Removal:
    """What cleaning cut from a body, where ("start" or "end"), and why (in words)."""

    text: str
    where: str
    reason: str


@dataclass(frozen=True)
class Article:
    """A normalized article ready to store: display text for readers, matching text for machines."""

    url: str
    source: str
    title: str
    text: str
    match_title: str
    match_text: str
    content_hash: str
    author: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str = "ar"
    image: str | None = None
    source_name: str | None = None
    id: int | None = None
    # Cleaning (marsad.pipeline.clean): `text` is the reading text; the publisher's own text
    # and author field are kept when cleaning changed them.
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


@dataclass(frozen=True)
class ArticleFeatures:
    """What enrichment computes of one article alone, whatever else is stored.

    Any worker computes these (`marsad.enrich.features`); the ordered story step then needs
    only the window's indexes. `vector` is the title's unit sentence vector, float32 bytes.
    """

    keyphrases: list[str]
    summary: str | None
    stems: dict[str, int]
    vector: bytes
    kinds: list[str] = field(default_factory=list)  # person, place, organisation or topic


@dataclass(frozen=True)
class Enrichment:
    """What the enrichment stages add to a stored article."""

    keyphrases: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # of the keyphrases, in their order
    duplicate_of: int | None = None
    story_id: int | None = None
    related: list[int] = field(default_factory=list)
    summary: str | None = None


@dataclass(frozen=True)
class StoryChange:
    """What enrichment changes of a story it touched: the story fields that may change.

    Its headline, lead article and time always; its summary only when `new_summary` (a change
    among the first reports changes what the summary draws on).
    """

    title: str
    lead_article_id: int | None
    updated_at: datetime | None
    summary: str | None = None
    new_summary: bool = False


@dataclass(frozen=True)
class Rejection:
    """A record that could not become an article, with a reason a person can read."""

    reason: str
    where: str
