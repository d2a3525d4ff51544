"""The editor's desk: accounts, sessions, login throttles, API tokens, the audit log and the
editors' decisions (article, story and tag rules), each in a table of its own.

Revision ID: 0011_desk
Revises: 0010
Create Date: 2026-12-02
"""

from alembic import op

from marsad.store import desk_schema

revision = "0011_desk"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = (
    desk_schema.users,
    desk_schema.sessions,
    desk_schema.login_failures,
    desk_schema.tokens,
    desk_schema.secrets,
    desk_schema.audit_log,
    desk_schema.article_rules,
    desk_schema.story_rules,
    desk_schema.story_merges,
    desk_schema.tag_bans,
    desk_schema.tag_aliases,
    desk_schema.tag_overrides,
)


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind)
