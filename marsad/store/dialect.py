"""Everything that differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


def configure_engine(engine: Engine) -> None:
    """Set per-connection options: WAL, foreign keys and a busy timeout on SQLite."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def insert_ignoring(table: Table, conn: Connection, key: str) -> Insert:
    """An INSERT that skips rows whose `key` already exists."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])


def upsert(table: Table, conn: Connection, key: str, values: dict[str, Any]) -> Insert:
    """An INSERT that updates the given columns when `key` already exists."""
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(table).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=[key], set_={k: v for k, v in values.items() if k != key}
    )


def index_for_search(conn: Connection, rows: Sequence[tuple[int, str]]) -> None:
    """Add (article id, stemmed terms) rows to the full-text index."""
    if not rows:
        return
    params = [{"rowid": rowid, "terms": terms} for rowid, terms in rows]
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "INSERT INTO article_search (rowid, terms) "
                "VALUES (:rowid, to_tsvector('simple', :terms)) ON CONFLICT (rowid) DO NOTHING"
            ),
            params,
        )
    else:
        conn.execute(
            text("INSERT INTO article_search (rowid, terms) VALUES (:rowid, :terms)"), params
        )


def search_ids(
    conn: Connection, terms: Sequence[str], limit: int, offset: int
) -> tuple[list[int], int]:
    """Ids of articles holding every term, newest first, and the total count."""
    if not terms:
        return [], 0
    if conn.dialect.name == "postgresql":
        match = "s.terms @@ to_tsquery('simple', :q)"
        query = " & ".join(_pg_quote(t) for t in terms)
    else:
        match = "article_search MATCH :q"
        query = " ".join(_fts_quote(t) for t in terms)
    total = conn.execute(
        text(f"SELECT count(*) FROM article_search s WHERE {match}"), {"q": query}
    ).scalar_one()
    ids = conn.execute(
        text(
            "SELECT a.id FROM article_search s JOIN articles a ON a.id = s.rowid "
            f"WHERE {match} ORDER BY a.published_at DESC, a.id DESC LIMIT :limit OFFSET :offset"
        ),
        {"q": query, "limit": limit, "offset": offset},
    ).scalars()
    return list(ids), int(total)


def _fts_quote(term: str) -> str:
    """Quote a term as an FTS5 string so that no character acts as an operator."""
    return '"' + term.replace('"', '""') + '"'


def _pg_quote(term: str) -> str:
    """Quote a term as a tsquery lexeme so that no character acts as an operator."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
