"""Everything that differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from marsad.store import pg_search
from marsad.store.search import TOTAL_CAP

# Letters and digits of any script; FTS5's unicode61 tokenizer treats everything else
# (underscore included) as a separator.
_TOKEN_RE = re.compile(r"[^\W_]+")
# PostgreSQL's tsvector limits: longer lexemes are refused, later positions are clamped.
PG_MAX_LEXEME_BYTES = 2047
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS = 256
# Any constant shared by every marsad process: serializes concurrent migrations.
MIGRATION_LOCK_KEY = 0x6D61727361640001
# What walking one article costs a search on SQLite, in hits sorted by date instead (measured
# at 100k articles: more than the probe itself, as a word's hits often bunch up in the past).
SQLITE_WALK_COST = 32
# A full-text index row on PostgreSQL, with the article's date, which search sorts by.
_PG_INDEX = (
    "INSERT INTO article_search (rowid, terms, published_at) "
    "SELECT a.id, CAST(:terms AS tsvector), a.published_at FROM articles a WHERE a.id = :rowid"
)


def engine_options(backend: str) -> dict[str, Any]:
    """Options for create_engine: a server may restart, so check pooled connections first."""
    if backend == "postgresql":
        return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}
    return {}


def lock_migrations(conn: Connection) -> None:
    """Let one process at a time migrate a PostgreSQL database (until the transaction ends)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


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


def insert_skipping_existing(table: Table, conn: Connection) -> Insert:
    """An INSERT that skips rows clashing with any primary key or unique column."""
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    return dialect_insert(table).on_conflict_do_nothing()


def reset_id_sequences(conn: Connection, tables: Sequence[str]) -> None:
    """After rows were written with explicit ids, let PostgreSQL's next ids follow the largest."""
    if conn.dialect.name != "postgresql":
        return  # SQLite picks max(rowid) + 1 by itself.
    for name in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {name}), 1), "
                f"(SELECT max(id) FROM {name}) IS NOT NULL)"
            )
        )


def reindex_for_search(conn: Connection, rows: Sequence[tuple[int, str]]) -> None:
    """Set the full-text index rows of these articles, replacing any already there."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"{_PG_INDEX} ON CONFLICT (rowid) DO UPDATE "
                "SET terms = excluded.terms, published_at = excluded.published_at"
            ),
            [{"rowid": rowid, "terms": pg_tsvector(terms)} for rowid, terms in rows],
        )
        return
    conn.execute(
        text("DELETE FROM article_search WHERE rowid = :rowid"), [{"rowid": r} for r, _ in rows]
    )
    index_for_search(conn, rows)


def search_index_size(conn: Connection) -> int:
    """How many articles the full-text index holds."""
    return int(conn.execute(text("SELECT count(*) FROM article_search")).scalar_one())


def index_for_search(conn: Connection, rows: Sequence[tuple[int, str]]) -> None:
    """Add (article id, stemmed terms) rows to the full-text index."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(f"{_PG_INDEX} ON CONFLICT (rowid) DO NOTHING"),
            [{"rowid": rowid, "terms": pg_tsvector(terms)} for rowid, terms in rows],
        )
    else:
        conn.execute(
            text("INSERT INTO article_search (rowid, terms) VALUES (:rowid, :terms)"),
            [{"rowid": rowid, "terms": terms} for rowid, terms in rows],
        )


def search_ids(
    conn: Connection, terms: Sequence[str], limit: int, offset: int, cap: int = TOTAL_CAP
) -> tuple[list[int], int]:
    """Ids of articles holding every term, newest first, and the total (at most `cap`)."""
    found = _search_match(conn, terms)
    if found is None:
        return [], 0
    match, query = found
    if conn.dialect.name == "postgresql":
        return pg_search.search_page(conn, query, limit, offset, cap)
    # SQLite: FTS5 lists a word's rowids fast, so hits are counted up to where walking
    # articles newest first (FTS5 looks each one up in the word's list) gets cheaper than
    # sorting every hit by date, about sqrt(wanted * articles * SQLITE_WALK_COST) hits.
    order = "a.published_at DESC, a.id DESC"  # SQLite sorts NULLs last in DESC order
    size = conn.execute(text("SELECT coalesce(max(id), 0) FROM articles")).scalar_one()
    scan = max(cap, math.isqrt((offset + limit) * int(size) * SQLITE_WALK_COST))
    params = {"q": query, "limit": limit, "offset": offset, "scan": scan}
    hits = conn.execute(
        text(f"SELECT count(*) FROM (SELECT 1 FROM article_search s WHERE {match} LIMIT :scan)"),
        params,
    ).scalar_one()
    if hits < scan:
        sql = (
            "SELECT a.id FROM article_search s JOIN articles a ON a.id = s.rowid "
            f"WHERE {match} ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
    else:
        sql = (
            "SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM article_search s "
            f"WHERE s.rowid = a.id AND {match}) ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
    return list(conn.execute(text(sql), params).scalars()), min(int(hits), cap)


def _search_match(conn: Connection, terms: Sequence[str]) -> tuple[str, str] | None:
    """The WHERE clause matching `article_search s` against the terms, and its query text."""
    if not terms:
        return None
    if conn.dialect.name == "postgresql":
        query = pg_tsquery(terms)
        return None if query is None else ("s.terms @@ CAST(:q AS tsquery)", query)
    return "article_search MATCH :q", " ".join(_fts_quote(t) for t in terms)


def fts_tokens(terms: str) -> list[str]:
    """The tokens SQLite's unicode61 tokenizer makes: runs of letters and digits, case-folded."""
    return [token.lower() for token in _TOKEN_RE.findall(terms)]


def pg_tsvector(terms: str) -> str:
    """A tsvector literal holding exactly the FTS5 tokens of `terms`, with their positions.

    PostgreSQL's own parser splits and folds words differently from FTS5 (it drops some
    characters and knows e-mails and paths); feeding it ready tokens gives both backends the
    same index, hence the same hits.
    """
    positions: dict[str, list[int]] = {}
    for pos, token in enumerate(fts_tokens(terms), start=1):
        if len(token.encode("utf-8")) > PG_MAX_LEXEME_BYTES:
            continue
        kept = positions.setdefault(token, [])
        if len(kept) < PG_MAX_POSITIONS:
            kept.append(min(pos, PG_MAX_POSITION))
    return " ".join(
        f"'{token}':{','.join(str(p) for p in dict.fromkeys(kept))}"
        for token, kept in positions.items()
    )


def pg_tsquery(terms: Sequence[str]) -> str | None:
    """A tsquery literal requiring every term, a term of several tokens as a phrase (as FTS5).

    None when some term has no token at all: FTS5 matches nothing for an empty phrase.
    """
    parts = []
    for term in terms:
        tokens = [t for t in fts_tokens(term) if len(t.encode("utf-8")) <= PG_MAX_LEXEME_BYTES]
        if not tokens:
            return None
        phrase = " <-> ".join(f"'{t}'" for t in tokens)
        parts.append(f"({phrase})" if len(tokens) > 1 else phrase)
    return " & ".join(parts)


def _fts_quote(term: str) -> str:
    """Quote a term as an FTS5 string so that no character acts as an operator."""
    return '"' + term.replace('"', '""') + '"'
