"""The schema's metadata and the migrations agree, on each backend: a store built by the
migrations holds every table and index `marsad.store.schema` declares, and no other (but the
full-text index's own tables, which the backends make), the search index
ix_articles_search_hits (migration 0014) as that backend declares it."""

from __future__ import annotations

import re
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.schema import CreateIndex

from marsad.store import Store
from marsad.store.schema import articles, metadata

SEARCH_HITS = "ix_articles_search_hits"


def _ours(name: str) -> bool:
    """Whether a table is the schema's (the full-text index's tables are the backends')."""
    return not name.startswith("article_search") and name != "alembic_version"


def _differences(conn: Connection) -> list[object]:
    """What autogenerate would change to make the migrated schema the metadata's."""
    dialect = conn.dialect.name

    def keep(obj: object, name: str | None, kind: str, reflected: bool, _: object) -> bool:
        if kind == "table":
            return _ours(name or "")
        table = getattr(obj, "table", None)
        if table is not None and not _ours(table.name):
            return False
        info = getattr(obj, "info", {})
        return kind != "index" or info.get("dialect", dialect) == dialect

    context = MigrationContext.configure(conn, opts={"include_object": keep})
    with warnings.catch_warnings():
        # Expression indexes (ix_articles_publish_order) are not reflected: skipped, warned.
        warnings.simplefilter("ignore")
        return list(compare_metadata(context, metadata))


def _declared(conn: Connection) -> str:
    """The search hits index as this backend's metadata creates it."""
    (index,) = (
        i
        for i in articles.indexes
        if i.name == SEARCH_HITS and i.info.get("dialect") == conn.dialect.name
    )
    return str(CreateIndex(index).compile(dialect=conn.dialect))


def _created(conn: Connection) -> str:
    """The search hits index as the migrations created it."""
    if conn.dialect.name == "sqlite":
        sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"
    else:
        sql = "SELECT indexdef FROM pg_indexes WHERE indexname = :n"
    return str(conn.execute(text(sql), {"n": SEARCH_HITS}).scalar_one())


def _plain(ddl: str) -> str:
    """An index definition without what only the catalogue spells out."""
    ddl = re.sub(r"\bpublic\.|USING btree ", "", ddl)
    return " ".join(ddl.split())


def test_search_index_metadata_and_migrations_agree(store: Store) -> None:
    with store.engine.connect() as conn:
        assert _differences(conn) == []
        assert _plain(_created(conn)) == _plain(_declared(conn))


def test_search_index_metadata_creates_it_on_its_backend_only(store: Store) -> None:
    with store.engine.connect() as conn:
        declared = _declared(conn)
    assert declared.startswith(f"CREATE INDEX {SEARCH_HITS} ON articles (id")
    assert "published_at" in declared and "source_id" in declared
    if store.engine.dialect.name == "postgresql":
        assert "INCLUDE (published_at, story_id, duplicate_of, source_id)" in declared
