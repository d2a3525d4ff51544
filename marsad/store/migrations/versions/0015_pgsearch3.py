"""Search on PostgreSQL: the GIN index also knows which block of ids each article is in.

Ranking scores the hits stored last (the highest ids). Finding them meant a bitmap of every
hit of the query's words (a common word's postings, all of them) and another of the id range
from the primary key (a posting per article in the range: 120,000 for a rare word at a million
articles), or reading every hit's row to test its id: 50 to 270 ms per search at 1M. The GIN
index now holds, beside the terms, one lexeme per article naming its block of 4,096 ids
(`b244` for ids 999,424 to 1,003,519), so a search asks for its words among the latest blocks
and the index intersects the two inside one scan, skipping the postings of older articles: it
reads only the pages of the window it looks in.

The block is an expression of the id, not a column: nothing is stored or written twice, and
rows need no update. SQLite's FTS5 index has nothing alike (it walks its hits newest first
already): this migration changes nothing there.

At a million articles the index takes as long to build as the one it replaces (minutes).

Revision ID: 0015_pgsearch3
Revises: 0014_search
Create Date: 2026-12-02
"""

from alembic import op

revision = "0015_pgsearch3"
down_revision = "0014_search"
branch_labels = None
depends_on = None

INDEX = "ix_article_search_terms"
BLOCK = "array_to_tsvector(ARRAY['b' || (rowid / 4096)::text])"


def upgrade() -> None:
    _index(f"terms, ({BLOCK})")


def downgrade() -> None:
    _index("terms")


def _index(columns: str) -> None:
    """The GIN index of article_search built again over these columns (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(
        f"CREATE INDEX {INDEX} ON article_search USING GIN ({columns}) "
        "WITH (gin_pending_list_limit = 256)"
    )
