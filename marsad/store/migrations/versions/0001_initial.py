"""Initial schema: sources, articles, stories, keyphrases, related articles, fetch log, search.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("feed_url", sa.Text),
        sa.Column("site_url", sa.Text),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_fetch_at", sa.DateTime),
        sa.Column("last_status", sa.String(200)),
        sa.Column("consecutive_errors", sa.Integer, nullable=False, server_default="0"),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("next_check_at", sa.DateTime),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("source_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lead_article_id", sa.Integer),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("match_title", sa.Text, nullable=False),
        sa.Column("match_text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("published_at", sa.DateTime),
        sa.Column("fetched_at", sa.DateTime, nullable=False),
        sa.Column("language", sa.String(16), nullable=False, server_default="ar"),
        sa.Column("image", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("articles.id")),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id")),
        sa.Column("enriched_at", sa.DateTime),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_index("ix_articles_source_published", "articles", ["source_id", "published_at"])
    op.create_table(
        "keyphrases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("match", sa.Text, nullable=False, unique=True),
        sa.Column("display", sa.Text, nullable=False),
    )
    op.create_table(
        "article_keyphrases",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("keyphrase_id", sa.Integer, sa.ForeignKey("keyphrases.id"), primary_key=True),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_article_keyphrases_keyphrase", "article_keyphrases", ["keyphrase_id", "article_id"]
    )
    op.create_table(
        "related_articles",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("related_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("score", sa.Float),
    )
    op.create_table(
        "fetch_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="SET NULL")),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("status", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("http_status", sa.Integer),
        sa.Column("elapsed_ms", sa.Integer),
    )
    op.create_index("ix_fetch_log_source_at", "fetch_log", ["source_id", "at"])
    _create_search_index()


def _create_search_index() -> None:
    """The full-text index over stemmed matching forms: FTS5 on SQLite, tsvector on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE article_search USING fts5("
            "terms, tokenize = 'unicode61 remove_diacritics 0')"
        )
    else:
        op.execute(
            "CREATE TABLE article_search ("
            "rowid INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, "
            "terms TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_article_search_terms ON article_search USING GIN (terms)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS article_search")
    for table in (
        "fetch_log",
        "related_articles",
        "article_keyphrases",
        "keyphrases",
        "articles",
        "stories",
        "sources",
    ):
        op.drop_table(table)
