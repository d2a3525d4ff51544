"""Enrichment writes: one row counting every save of enrichment.

A worker compares it with the count it saw when it last enriched to tell whether another
process enriched meanwhile (then it reloads its in-memory indexes). It replaces counting the
enriched articles, which read the whole articles table: 1 s per look at 1M articles.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "enrichment_writes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "count": 0}])


def downgrade() -> None:
    op.drop_table("enrichment_writes")
