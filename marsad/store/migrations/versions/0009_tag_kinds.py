"""Tag kinds and document frequencies: each article's link to a keyphrase records the kind that
article's text gave it (topic, place, person, organisation; a phrase's kind is the vote of its
links), each keyphrase how many articles carry it, and one row counts the articles that have
keyphrases. Both counts are sums over the articles, so they do not
depend on the order articles arrived in.

Revision ID: 0009_tags
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_tags"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "article_keyphrases", sa.Column("kind", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column(
        "keyphrases", sa.Column("documents", sa.Integer, nullable=False, server_default="0")
    )
    op.create_table(
        "keyphrase_totals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("articles", sa.Integer, nullable=False),
    )
    op.execute(
        "UPDATE keyphrases SET documents = (SELECT count(*) FROM article_keyphrases"
        " WHERE article_keyphrases.keyphrase_id = keyphrases.id)"
    )
    op.execute(
        "INSERT INTO keyphrase_totals (id, articles)"
        " SELECT 1, count(DISTINCT article_id) FROM article_keyphrases"
    )


def downgrade() -> None:
    op.drop_table("keyphrase_totals")
    op.drop_column("keyphrases", "documents")
    op.drop_column("article_keyphrases", "kind")
