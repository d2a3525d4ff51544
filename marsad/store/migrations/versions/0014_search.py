"""Search: ranking reads less per candidate.

Ranking and grouping need, for each of a few hundred candidate articles, its publish time, its
story and what it copies; sorting hits newest first and the source filter need the time and the
source. On SQLite those columns come after the article's text in its row, so reading them walks
the text's overflow pages (a common word's hits sorted by date: 60 ms at 100k articles);
ix_articles_search_hits holds them (after the id), so search reads the index alone. On
PostgreSQL the same index (the id, the rest included) lets the candidates be read by an
index-only scan, not 300 random heap rows (at 1M articles, 3 s to build; one search's
candidates: 3.0 ms against 0.5).

On PostgreSQL ranking decompresses each candidate's terms (several kilobytes, out of line):
new rows compress them with lz4 where the server has it, which decompresses about three times
faster than the default pglz (3,000 articles' terms: 224 ms against 74 ms on a loaded 2-core
box). Rows already stored keep pglz until they are rewritten.

Revision ID: 0014_search
Revises: 0013_story_redirects
Create Date: 2026-12-02
"""

from alembic import op
from sqlalchemy import text

revision = "0014_search"
down_revision = "0013_story_redirects"
branch_labels = None
depends_on = None

INDEX = "ix_articles_search_hits"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            f"CREATE INDEX {INDEX} ON articles (id, published_at, story_id, duplicate_of, source_id)"
        )
        return
    op.execute(
        f"CREATE INDEX {INDEX} ON articles (id) "
        "INCLUDE (published_at, story_id, duplicate_of, source_id)"
    )
    if _has_lz4():
        op.execute("ALTER TABLE article_search ALTER COLUMN terms SET COMPRESSION lz4")


def downgrade() -> None:
    op.execute(f"DROP INDEX {INDEX}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE article_search ALTER COLUMN terms SET COMPRESSION default")


def _has_lz4() -> bool:
    """Whether the server was built with lz4 (a choice of default_toast_compression)."""
    found = op.get_bind().execute(
        text(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        )
    )
    return bool(found.scalar_one_or_none())
