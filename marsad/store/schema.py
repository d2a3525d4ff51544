"""The relational schema, one table per entity; Alembic migrations create it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    func,
)

metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(200), nullable=False, unique=True),
    Column("name", String(500), nullable=False),
    Column("feed_url", Text),
    Column("site_url", Text),
    Column("options", JSON, nullable=False, default=dict),
    Column("created_at", DateTime, nullable=False),
    Column("last_fetch_at", DateTime),
    Column("last_status", String(200)),
    Column("consecutive_errors", Integer, nullable=False, default=0),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_check_at", DateTime),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("summary", Text),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("article_count", Integer, nullable=False, default=0),
    Column("source_count", Integer, nullable=False, default=0),
    Column("lead_article_id", Integer),
)

# Stories the enrichment merged into another: the absorbed id leads to the survivor, so that a
# link to a story that was merged away still reaches its articles.
story_redirects = Table(
    "story_redirects",
    metadata,
    Column("absorbed_id", Integer, primary_key=True),
    Column("survivor_id", Integer, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("author", Text),
    Column("text", Text, nullable=False),
    Column("match_title", Text, nullable=False),
    Column("match_text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("published_at", DateTime),
    Column("fetched_at", DateTime, nullable=False),
    Column("language", String(16), nullable=False, default="ar"),
    Column("image", Text),
    Column("summary", Text),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    Column("story_id", Integer, ForeignKey("stories.id")),
    Column("enriched_at", DateTime),
    Column("stored_at", DateTime),  # migration 0006; NULL for articles stored before it
    # Migration 0008: cleaning. The publisher's text and author field when cleaning changed
    # them (NULL: `text`/`author` are the publisher's own), what was cut and why, the byline.
    Column("original_text", Text),
    Column("original_author", Text),
    Column("removed", JSON),
    Column("dateline", Text),
    Column("credit", Text),
    Column("brief", Boolean, nullable=False, default=False, server_default=false()),
    # Migration 0012: stored by a worker and not learned from yet by its source's furniture
    # (its place in the batch it was stored with); NULL once learned.
    Column("cleaning_pending", Integer),
    Index("ix_articles_published_at", "published_at"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_story_id", "story_id"),
    Index("ix_articles_source_published", "source_id", "published_at"),
)
# Migration 0002: the order in which `Store.iter_articles` streams (undated articles by fetch time).
Index(
    "ix_articles_publish_order",
    func.coalesce(articles.c.published_at, articles.c.fetched_at),
    articles.c.id,
)

# Migration 0014: what search reads of a candidate (its publish time, story, original and
# source) held in an index after the id, so that the rows (their text first) are not read: on
# SQLite as key columns, on PostgreSQL included in an index on the id (an index-only scan).
SEARCH_HITS_COLUMNS = ("published_at", "story_id", "duplicate_of", "source_id")
# Each is created on its own dialect only; `info["dialect"]` says which, for comparisons.
Index(
    "ix_articles_search_hits",
    articles.c.id,
    *(articles.c[c] for c in SEARCH_HITS_COLUMNS),
    info={"dialect": "sqlite"},
).ddl_if(dialect="sqlite")
Index(
    "ix_articles_search_hits",
    articles.c.id,
    postgresql_include=list(SEARCH_HITS_COLUMNS),
    info={"dialect": "postgresql"},
).ddl_if(dialect="postgresql")

# Migration 0004: features a worker computed for an article not enriched yet (deleted once it is).
article_features = Table(
    "article_features",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("keyphrases", JSON, nullable=False),
    Column("summary", Text),
    Column("stems", JSON, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    Column("kinds", JSON),  # migration 0012: each keyphrase's kind
)

# Migration 0005: one row counting enrichment writes, so that a worker tells cheaply whether
# another process enriched since it last did (counting enriched articles took 1 s at 1M).
enrichment_writes = Table(
    "enrichment_writes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
)

# Migration 0008: each source's furniture learning state (marsad.ingest.learned_furniture).
source_furniture = Table(
    "source_furniture",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("state", JSON, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# Migration 0009: documents (articles carrying the phrase), kept by store/keyphrases.py.
keyphrases = Table(
    "keyphrases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("match", Text, nullable=False, unique=True),
    Column("display", Text, nullable=False),
    Column("documents", Integer, nullable=False, default=0, server_default="0"),
)

# One row (id 1): how many articles have keyphrases, the denominator of their shares.
keyphrase_totals = Table(
    "keyphrase_totals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("articles", Integer, nullable=False),
)

article_keyphrases = Table(
    "article_keyphrases",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("keyphrase_id", Integer, ForeignKey("keyphrases.id"), primary_key=True),
    Column("rank", Integer, nullable=False),
    # Migration 0009: the kind this article's text gave the phrase (0 topic, 1 place, 2 person,
    # 3 organisation); a phrase's kind is the vote of its links (store/keyphrases.py).
    Column("kind", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_article_keyphrases_keyphrase", "keyphrase_id", "article_id"),
)

related_articles = Table(
    "related_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("related_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("score", Float),
)

fetch_log = Table(
    "fetch_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("url", Text, nullable=False),
    Column("status", String(100), nullable=False),
    Column("reason", Text),
    Column("http_status", Integer),
    Column("elapsed_ms", Integer),
    Index("ix_fetch_log_source_at", "source_id", "at"),
)
