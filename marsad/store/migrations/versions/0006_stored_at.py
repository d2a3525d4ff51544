"""When each article was stored, for the workers' sweep of articles whose enrichment was lost.

The sweep used the fetch time, which for an imported dump is years before the article reached
the store. Articles stored before this migration keep NULL (the sweep then uses the fetch time).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("stored_at", sa.DateTime))


def downgrade() -> None:
    op.drop_column("articles", "stored_at")
