"""Search ranks: the index keeps title, lead and body apart, and each word as written beside its stem.

SQLite: article_search becomes an FTS5 table of six columns, the stems of the title, the lead
(the text's first words) and the rest of the body, then the same words as written (matching
form, article peeled), so that FTS5's bm25 weights the title above the body and a name matched
as written above a common word its stem shares. PostgreSQL: `terms` keeps the stems with the
part as a weight (A title, B lead, D body) and adds each word as written, marked with a leading
tatweel (which matching forms never hold), at its stem's position, so phrases still match.

Every stored article is indexed again from its matching form (a few minutes per 100k articles);
on PostgreSQL the GIN index is dropped meanwhile and built once after (as in 0003).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op
from sqlalchemy import text

from marsad.store import dialect
from marsad.store.search import index_parts

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE article_search")
        op.execute(dialect.SQLITE_SEARCH_TABLE)
    else:
        op.execute("SET LOCAL maintenance_work_mem = '256MB'")
        op.execute("DROP INDEX IF EXISTS ix_article_search_terms")
    _reindex(bind)
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_article_search_terms ON article_search USING GIN (terms) "
            "WITH (gin_pending_list_limit = 256)"
        )


def _reindex(bind) -> None:
    """Index every stored article again, in id order, a batch at a time."""
    last = 0
    while True:
        rows = bind.execute(
            text(
                "SELECT id, match_title, match_text FROM articles WHERE id > :last "
                "ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        dialect.reindex_for_search(bind, [(i, index_parts(t, x)) for i, t, x in rows])
        last = rows[-1][0]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE article_search")
        op.execute(
            "CREATE VIRTUAL TABLE article_search USING fts5("
            "terms, tokenize = 'unicode61 remove_diacritics 0')"
        )
    rows = bind.execute(text("SELECT id, match_title, match_text FROM articles")).all()
    from marsad.store.search import index_terms

    for i, t, x in rows:
        terms = index_terms(t, x)
        if bind.dialect.name == "sqlite":
            bind.execute(
                text("INSERT INTO article_search (rowid, terms) VALUES (:i, :t)"),
                {"i": i, "t": terms},
            )
        else:
            bind.execute(
                text("UPDATE article_search SET terms = CAST(:t AS tsvector) WHERE rowid = :i"),
                {"i": i, "t": dialect.pg_tsvector(terms)},
            )
