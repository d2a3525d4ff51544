"""Story redirects: a story merged into another leads to the survivor.

Revision ID: 0013_story_redirects
Revises: 0012_workers
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_story_redirects"
down_revision = "0012_workers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_redirects",
        sa.Column("absorbed_id", sa.Integer, primary_key=True),
        sa.Column("survivor_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_redirects")
