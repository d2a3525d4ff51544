"""Search: ranking reads each candidate's date, story and original from an index, not its row.

Ranking and grouping need, for each of a few hundred candidate articles, its publish time, its
story and what it copies. On SQLite those columns come after the article's text in its row, so
reading them walks the text's overflow pages; ix_articles_search_hits holds them (after the id),
so the candidates are read from the index alone (`Store.search_page`).

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
        op.execute(f"CREATE INDEX {INDEX} ON articles (id, published_at, story_id, duplicate_of)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP INDEX {INDEX}")
