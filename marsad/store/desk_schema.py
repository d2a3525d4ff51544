"""The desk's tables (migration 0011): accounts, sessions, login throttles, API tokens, the
audit log, and the editors' decisions the pipeline applies on top of what it computes.

Decisions live in tables of their own, never in columns of `articles` or `stories`: the
pipeline's rows stay as it writes them, and the few decisions are read beside them.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Index, Integer, String, Table, Text

from marsad.store.schema import metadata

users = Table(
    "desk_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),  # argon2id, never the password
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# A session is known by the SHA-256 of its id: the cookie carries the id, the table never does.
sessions = Table(
    "desk_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("seen_at", DateTime, nullable=False),
    Index("ix_desk_sessions_user", "user_id"),
)

# Failed logins per key ("account:NAME" or "address:IP"): how many, the last, the lockout.
login_failures = Table(
    "desk_login_failures",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_at", DateTime, nullable=False),
    Column("locked_until", DateTime),
)

tokens = Table(
    "desk_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("label", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

# One row: the key that signs session cookies, made on first use.
secrets = Table(
    "desk_secrets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(128), nullable=False),
)

audit_log = Table(
    "desk_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(50), nullable=False),
    Column("target", Text, nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("undone_by", Integer),  # the entry that undid this one
    Index("ix_desk_audit_at", "at"),
)

# An article's decisions: hidden from readers, and/or held in a story of the editor's choice.
article_rules = Table(
    "desk_article_rules",
    metadata,
    Column("article_id", Integer, primary_key=True),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("story_id", Integer),
)

# A story's decisions: hidden, a title of the editor's, pinned on the home page until a time.
story_rules = Table(
    "desk_story_rules",
    metadata,
    Column("story_id", Integer, primary_key=True),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("title", Text),
    Column("pinned_until", DateTime),
)

# Stories an editor merged: the absorbed id names the survivor from then on.
story_merges = Table(
    "desk_story_merges",
    metadata,
    Column("absorbed_id", Integer, primary_key=True),
    Column("survivor_id", Integer, nullable=False),
)

# Tag curation by matching form: banned phrases, merged spellings, display and kind overrides.
tag_bans = Table(
    "desk_tag_bans",
    metadata,
    Column("match", Text, primary_key=True),
    Column("display", Text, nullable=False),
)

tag_aliases = Table(
    "desk_tag_aliases",
    metadata,
    Column("match", Text, primary_key=True),
    Column("target", Text, nullable=False),
)

tag_overrides = Table(
    "desk_tag_overrides",
    metadata,
    Column("match", Text, primary_key=True),
    Column("display", Text),
    Column("kind", Integer),
)
