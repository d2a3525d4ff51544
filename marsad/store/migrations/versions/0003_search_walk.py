"""Search: an index in the exact newest-first order of search results, for PostgreSQL.

A common word's search walks articles newest first and keeps the matching ones (see
`dialect.search_ids`). Results are ordered `published_at DESC NULLS LAST, id DESC`, which a
backward scan of ix_articles_published_at (NULLs first that way, no id) cannot give. SQLite needs
nothing: its index on published_at ends with the rowid and already sorts NULLs last in DESC.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_articles_newest ON articles (published_at DESC NULLS LAST, id DESC)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_articles_newest")
