"""Workers learn in order: articles waiting for their source's furniture to learn from them, and
the tag kinds a worker computed ahead.

A worker storing part of an import batch cleans it with the furniture its source knew so far and
marks it `cleaning_pending` (its place in the batch it was stored with); the ordered step then
learns from it in the batch's order, cleans it again where that changed anything, and clears the
mark. `article_features.kinds` keeps each precomputed keyphrase's kind, so that keyphrases are
saved in the ordered step too (with their document counts) and not ahead of it.

Revision ID: 0012_workers
Revises: 0011_desk
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_workers"
down_revision = "0011_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("cleaning_pending", sa.Integer))
    op.add_column("article_features", sa.Column("kinds", sa.JSON))


def downgrade() -> None:
    op.drop_column("article_features", "kinds")
    op.drop_column("articles", "cleaning_pending")
