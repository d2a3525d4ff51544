"""Cleaning: the reading text beside the publisher's own, the byline read, briefs, and each
source's learned furniture.

`text` becomes the reading text; `original_text` and `original_author` keep the publisher's
own when cleaning changed them (NULL for articles stored before, whose `text` is the
publisher's; `marsad reclean` cleans them). `removed` lists what was cut and why.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("original_text", sa.Text))
    op.add_column("articles", sa.Column("original_author", sa.Text))
    op.add_column("articles", sa.Column("removed", sa.JSON))
    op.add_column("articles", sa.Column("dateline", sa.Text))
    op.add_column("articles", sa.Column("credit", sa.Text))
    op.add_column(
        "articles",
        sa.Column("brief", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "source_furniture",
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_furniture")
    for column in ("brief", "credit", "dateline", "removed", "original_author", "original_text"):
        op.drop_column("articles", column)
