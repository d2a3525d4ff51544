"""Everything that differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from marsad.store import pg_search, sqlite_search
from marsad.store.ranking import Scored
from marsad.store.search import TOTAL_CAP, IndexedPart, ParsedQuery
from marsad.store.search_match import (
    WRITTEN_MARK,
    Filters,
    fts_query,
    fts_stems,
    pg_query,
)

# Letters and digits of any script; FTS5's unicode61 tokenizer treats everything else
# (underscore included) as a separator.
_TOKEN_RE = re.compile(r"[^\W_]+")
# PostgreSQL's tsvector limits: longer lexemes are refused, later positions are clamped.
PG_MAX_LEXEME_BYTES = 2047
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS = 256
# Any constant shared by every marsad process: serializes concurrent migrations.
MIGRATION_LOCK_KEY = 0x6D61727361640001
# How many hits relevance ranking scores, on both backends the latest stored (the highest ids):
# 100 on PostgreSQL, where reading each one's terms is what costs, found the first result right
# for 32 of the 39 gold queries against 35 with 300 (bench/search.py --pg).
SQLITE_RANK_CAP = 300
PG_RANK_CAP = 300
# The FTS5 columns: stems of the title, lead and body, then the same parts' words as written
# (marked, as on PostgreSQL).
SQLITE_COLUMNS = ("title", "lead", "body", "title_w", "lead_w", "body_w")
SQLITE_SEARCH_TABLE = (
    f"CREATE VIRTUAL TABLE article_search USING fts5({', '.join(SQLITE_COLUMNS)}, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
# PostgreSQL: the weight of each part's positions (title, lead, body), and the mark before a
# word as written (a tatweel, which matching forms never hold) that tells it from a stem.
PG_WEIGHTS = ("A", "B", "")
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


def reindex_for_search(conn: Connection, rows: Sequence[tuple[int, Sequence[IndexedPart]]]) -> None:
    """Set the full-text index rows of these articles, replacing any already there."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                f"{_PG_INDEX} ON CONFLICT (rowid) DO UPDATE "
                "SET terms = excluded.terms, published_at = excluded.published_at"
            ),
            [{"rowid": rowid, "terms": pg_index_vector(parts)} for rowid, parts in rows],
        )
        return
    conn.execute(
        text("DELETE FROM article_search WHERE rowid = :rowid"), [{"rowid": r} for r, _ in rows]
    )
    index_for_search(conn, rows)


def search_index_size(conn: Connection) -> int:
    """How many articles the full-text index holds."""
    return int(conn.execute(text("SELECT count(*) FROM article_search")).scalar_one())


def index_for_search(conn: Connection, rows: Sequence[tuple[int, Sequence[IndexedPart]]]) -> None:
    """Add (article id, indexed parts) rows to the full-text index."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(f"{_PG_INDEX} ON CONFLICT (rowid) DO NOTHING"),
            [{"rowid": rowid, "terms": pg_index_vector(parts)} for rowid, parts in rows],
        )
        return
    columns = ", ".join(SQLITE_COLUMNS)
    values = ", ".join(f":{c}" for c in SQLITE_COLUMNS)
    conn.execute(
        text(f"INSERT INTO article_search (rowid, {columns}) VALUES (:rowid, {values})"),
        [{"rowid": rowid, **_sqlite_row(parts)} for rowid, parts in rows],
    )


def _sqlite_row(parts: Sequence[IndexedPart]) -> dict[str, str]:
    """The six FTS5 column values of an article: stems of each part, then words as written.

    Written words carry WRITTEN_MARK (a tatweel, a letter to FTS5's tokenizer), so that stems and
    written words are different tokens and a query needs no column filter (FTS5 decodes every
    position list to apply one: 100 times slower on a common word).
    """
    stemmed = {name: " ".join(p.stems) for name, p in zip(SQLITE_COLUMNS[:3], parts, strict=True)}
    written = {
        name: " ".join(WRITTEN_MARK + w for w in p.words)
        for name, p in zip(SQLITE_COLUMNS[3:], parts, strict=True)
    }
    return stemmed | written


def pg_index_vector(parts: Sequence[IndexedPart]) -> str:
    """A tsvector literal of an article's parts: stems weighted by part, words as written marked.

    Each word's stem and its written form (WRITTEN_MARK before it) share one position; a part
    starts one position past the end of the one before, so that no phrase spans two parts (as
    in FTS5's separate columns).
    """
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, part in zip(PG_WEIGHTS, parts, strict=True):
        for word, stem in zip(part.words, part.stems, strict=True):
            position += 1
            for lexeme in (stem.lower(), WRITTEN_MARK + word.lower()):
                kept = positions.setdefault(lexeme, [])
                if len(kept) < PG_MAX_POSITIONS:
                    kept.append(f"{min(position, PG_MAX_POSITION)}{weight}")
        position += 1
    return " ".join(
        f"'{lexeme}':{','.join(dict.fromkeys(kept))}"
        for lexeme, kept in positions.items()
        if 0 < len(lexeme.encode("utf-8")) <= PG_MAX_LEXEME_BYTES and "'" not in lexeme
    )


def search_ids(
    conn: Connection, terms: Sequence[str], limit: int, offset: int, cap: int = TOTAL_CAP
) -> tuple[list[int], int]:
    """Ids of articles holding every stem, newest first, and the total (at most `cap`)."""
    if not terms:
        return [], 0
    if conn.dialect.name == "postgresql":
        query = pg_tsquery(terms)
        if query is None:
            return [], 0
        return pg_search.search_page(conn, query, limit, offset, cap)
    return sqlite_search.newest_page(conn, fts_stems(terms), limit, offset, cap, Filters())


def newest_hits(
    conn: Connection, parsed: ParsedQuery, limit: int, offset: int, cap: int, filters: Filters
) -> tuple[list[int], int]:
    """A page of a query's hits (every group, none excluded, filters kept), newest first."""
    if conn.dialect.name == "postgresql":
        query = pg_query(parsed)
        if query is None:
            return [], 0
        if filters.any():
            return pg_search.filtered_page(conn, query, limit, offset, cap, filters)
        return pg_search.search_page(conn, query, limit, offset, cap)
    match = fts_query(parsed)
    if match is None:
        return [], 0
    return sqlite_search.newest_page(conn, match, limit, offset, cap, filters)


def scored_hits(
    conn: Connection, parsed: ParsedQuery, cap: int, filters: Filters
) -> tuple[list[Scored], int]:
    """A query's best-scored candidate hits with their text scores, and the count up to `cap`.

    Both backends score a bounded candidate set: see `sqlite_search.scored` and
    `pg_search.scored`.
    """
    if conn.dialect.name == "postgresql":
        return pg_search.scored(conn, parsed, PG_RANK_CAP, cap, filters)
    return sqlite_search.scored(conn, parsed, SQLITE_RANK_CAP, cap, filters)


def candidate_rows(
    conn: Connection, ids: Sequence[int], before: datetime | None = None
) -> tuple[list[Any], datetime | None]:
    """(id, publish time in epoch seconds, story, original) of each of these articles, and
    the newest publish time before `before` in the store (None if not given).

    Ids are ints from the index: listed literally (a thousand bound parameters cost more), and
    times read as epoch seconds (parsing a thousand timestamps costs more too). Both backends
    read them from ix_articles_search_hits (migration 0014), not the rows: SQLite's hold them
    after the text, and PostgreSQL scans the index alone. PostgreSQL answers both in one
    round trip.
    """
    listed = ", ".join(str(int(i)) for i in ids) or "NULL"
    if conn.dialect.name == "postgresql":
        epoch, table = "CAST(extract(epoch FROM a.published_at) AS BIGINT)", "articles a"
    else:
        epoch = "CAST(strftime('%s', a.published_at) AS INTEGER)"
        table = sqlite_search.HITS
    sql = f"SELECT a.id, {epoch}, a.story_id, a.duplicate_of FROM {table} WHERE a.id IN ({listed})"
    newest = "SELECT max(published_at) AS newest FROM articles WHERE published_at <= :before"
    if conn.dialect.name == "postgresql":
        asked: list[tuple[str, dict[str, Any]]] = [(sql, {})]
        if before is not None:
            asked.append((newest, {"before": before}))
        found = pg_search.together(conn, asked)
        return found[0], (found[1][0][0] if before is not None else None)
    rows = list(conn.exec_driver_sql(sql))
    if before is None:
        return rows, None
    typed = text(newest).columns(newest=DateTime)
    return rows, conn.execute(typed, {"before": before}).scalar_one_or_none()


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
