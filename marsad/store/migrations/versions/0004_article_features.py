"""Article features: what any worker computes of an article before the ordered story step.

Keyphrases, summary, lead stems and the title's sentence vector of stored articles that are not
enriched yet; the story step reads them and deletes them when it saves the enrichment.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_features",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("keyphrases", sa.JSON, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("stems", sa.JSON, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_features")
