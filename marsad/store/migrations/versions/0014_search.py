"""Search: ranking reads each candidate's date, story and original from an index, not its row.

Ranking and grouping need, for each of a few hundred candidate articles, its publish time, its
story and what it copies; sorting hits newest first and the source filter need the time and the
source. On SQLite those columns come after the article's text in its row, so reading them walks
the text's overflow pages (a common word's hits sorted by date: 60 ms at 100k articles);
ix_articles_search_hits holds them (after the id), so search reads the index alone.

Revision ID: 0014_search
Revises: 0013_story_redirects
Create Date: 2026-12-02
"""

from alembic import op

revision = "0014_search"
down_revision = "0013_story_redirects"
branch_labels = None
depends_on = None

INDEX = "ix_articles_search_hits"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"CREATE INDEX {INDEX} ON articles (id, published_at, story_id, duplicate_of, source_id)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP INDEX {INDEX}")
