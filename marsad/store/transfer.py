"""Copy a whole store into another one (SQLite into PostgreSQL, or back), streaming.

Rows keep their ids, so every link (duplicates, stories, related articles, keyphrases) stays
valid. Each table is read with a streaming cursor and written in batches that skip rows already
there, so an interrupted copy is finished by running it again, and a finished one is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, select, update

from marsad.store import dialect
from marsad.store.schema import (
    article_keyphrases,
    articles,
    fetch_log,
    keyphrase_totals,
    keyphrases,
    related_articles,
    source_furniture,
    sources,
    stories,
)
from marsad.store.search import index_parts
from marsad.store.store import Store

# In foreign-key order: every table after the tables it points to.
TABLES: tuple[Table, ...] = (
    sources,
    source_furniture,
    stories,
    articles,
    keyphrases,
    article_keyphrases,
    related_articles,
    fetch_log,
)
Progress = Callable[[str, int], None]


class TargetNotEmpty(Exception):
    """The target store holds articles that are not a copy of the source's."""


@dataclass
class TransferReport:
    """Rows found in the source and rows present in the target afterwards, per table."""

    source: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every table of the target holds as many rows as the source's."""
        return self.source == self.target

    def summary(self) -> str:
        """One line per table a person can read."""
        return "\n".join(
            f"{name}: {self.source[name]} in source, {self.target.get(name, 0)} in target"
            for name in self.source
        )


def copy_store(
    source: Store, target: Store, batch_size: int = 1000, progress: Progress | None = None
) -> TransferReport:
    """Copy every row of `source` into `target`, keeping ids; safe to run again."""
    _check_target(source, target)
    for table in TABLES:
        if table is articles:
            _copy_articles(source, target, batch_size, progress)
        else:
            _copy_table(source, target, table, batch_size, progress)
    _copy_totals(source, target)
    with target.writing() as conn:
        dialect.reset_id_sequences(conn, [t.name for t in TABLES if "id" in t.c])
    return TransferReport(source=_row_counts(source), target=_row_counts(target))


def _copy_totals(source: Store, target: Store) -> None:
    """The keyphrase totals row as the source has it (the target's migration made its own)."""
    with source.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(keyphrase_totals))]
    with target.writing() as conn:
        conn.execute(keyphrase_totals.delete())
        if rows:
            conn.execute(keyphrase_totals.insert(), rows)


def _check_target(source: Store, target: Store) -> None:
    """Refuse a target whose articles are not (a part of) a copy of the source's."""
    with target.engine.connect() as conn:
        ends = conn.execute(
            select(func.min(articles.c.id), func.max(articles.c.id)).select_from(articles)
        ).one()
        probe = [i for i in ends if i is not None]
        mine = dict(
            conn.execute(
                select(articles.c.id, articles.c.url).where(articles.c.id.in_(probe))
            ).all()
        )
    if not mine:
        return
    with source.engine.connect() as conn:
        theirs = dict(
            conn.execute(
                select(articles.c.id, articles.c.url).where(articles.c.id.in_(probe))
            ).all()
        )
    if mine != theirs:
        raise TargetNotEmpty(f"{target.url} already holds other articles; use an empty store")


def _stream(store: Store, table: Table, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of a table in batches, through a server-side cursor where there is one."""
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        for part in result.partitions(batch_size):
            yield [dict(row._mapping) for row in part]


def _copy_table(
    source: Store, target: Store, table: Table, batch_size: int, progress: Progress | None
) -> None:
    """Copy one table's rows, skipping those the target already has."""
    for rows in _stream(source, table, batch_size):
        with target.writing() as conn:
            conn.execute(dialect.insert_skipping_existing(table, conn), rows)
        if progress is not None:
            progress(table.name, len(rows))


def _copy_articles(
    source: Store, target: Store, batch_size: int, progress: Progress | None
) -> None:
    """Copy articles with their search index; links to duplicates are set once all exist."""
    for rows in _stream(source, articles, batch_size):
        with target.writing() as conn:
            conn.execute(
                dialect.insert_skipping_existing(articles, conn),
                [{**row, "duplicate_of": None} for row in rows],
            )
            _set_duplicates(conn, rows)
            dialect.reindex_for_search(
                conn,
                [(row["id"], index_parts(row["match_title"], row["match_text"])) for row in rows],
            )
        if progress is not None:
            progress(articles.name, len(rows))
    # An article may be the duplicate of one with a higher id: link every one after the copy.
    for rows in _stream(source, articles, batch_size):
        with target.writing() as conn:
            _set_duplicates(conn, rows)


def _set_duplicates(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Point copied duplicates at their originals, where those are already in the target."""
    linked = [
        {"row_id": row["id"], "original": row["duplicate_of"]}
        for row in rows
        if row["duplicate_of"] is not None
    ]
    if not linked:
        return
    present = set(
        conn.execute(
            select(articles.c.id).where(articles.c.id.in_([link["original"] for link in linked]))
        ).scalars()
    )
    linked = [link for link in linked if link["original"] in present]
    if linked:
        conn.execute(
            update(articles)
            .where(articles.c.id == bindparam("row_id"))
            .values(duplicate_of=bindparam("original")),
            linked,
        )


def _row_counts(store: Store) -> dict[str, int]:
    """Rows per table, and the size of the search index."""
    with store.engine.connect() as conn:
        counts = {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in TABLES
        }
        counts["article_search"] = dialect.search_index_size(conn)
    return counts
