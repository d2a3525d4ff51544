"""Sources and the fetch log: what marsad follows and how each fetch went."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update

from marsad.models import Source
from marsad.store import dialect
from marsad.store.rows import SourceRow
from marsad.store.schema import articles, fetch_log, sources
from marsad.store.times import as_utc, now_utc, utc_naive
from marsad.store.writer import Writes


class SourceVerbs(Writes):
    """The store's verbs about sources, their health and the fetch log."""

    def upsert_source(self, source: Source, options: dict[str, Any] | None = None) -> int:
        """Add a source or update its name and URLs; return its id."""
        values: dict[str, Any] = {
            "slug": source.slug,
            "name": source.name,
            "feed_url": source.feed_url,
            "site_url": source.site_url,
        }
        with self.writing() as conn:
            found = conn.execute(select(sources.c.id).where(sources.c.slug == source.slug)).first()
            if found is not None:
                if options is not None:
                    values["options"] = options
                conn.execute(update(sources).where(sources.c.id == found.id).values(**values))
                return int(found.id)
            values.update(options=options or {}, created_at=now_utc(), consecutive_errors=0)
            return int(
                conn.execute(sources.insert().values(**values).returning(sources.c.id)).scalar_one()
            )

    def ensure_sources(self, names: dict[str, str]) -> dict[str, int]:
        """Ids of sources by slug, creating missing ones with the given display names."""
        with self.writing() as conn:
            rows = conn.execute(select(sources.c.slug, sources.c.id)).all()
            known = {slug: int(id_) for slug, id_ in rows}
            missing = [
                {"slug": slug, "name": name, "options": {}, "created_at": now_utc()}
                for slug, name in names.items()
                if slug not in known
            ]
            if missing:
                # Another worker may be adding the same source right now: skip, never fail.
                conn.execute(
                    dialect.insert_ignoring(sources, conn, "slug").values(consecutive_errors=0),
                    missing,
                )
                found = conn.execute(
                    select(sources.c.slug, sources.c.id).where(
                        sources.c.slug.in_([m["slug"] for m in missing])
                    )
                ).all()
                known.update({slug: int(id_) for slug, id_ in found})
        return known

    def get_source(self, slug: str) -> SourceRow | None:
        """One source with its health, or None."""
        return next((s for s in self.list_sources() if s.slug == slug), None)

    def list_sources(self) -> list[SourceRow]:
        """Every source with its health and the number of articles stored from it."""
        counts = (
            select(articles.c.source_id, func.count().label("n"))
            .group_by(articles.c.source_id)
            .subquery()
        )
        stmt = select(sources, func.coalesce(counts.c.n, 0).label("article_count")).outerjoin(
            counts, counts.c.source_id == sources.c.id
        )
        with self.engine.connect() as conn:
            rows = [source_row(row) for row in conn.execute(stmt)]
        # Sorted here, by code point as SQLite does: a PostgreSQL collation may differ.
        return sorted(rows, key=lambda row: row.slug)

    def remove_source(self, slug: str) -> bool:
        """Stop following a source; its stored articles stay. Return whether it existed."""
        with self.writing() as conn:
            found = conn.execute(select(sources.c.id).where(sources.c.slug == slug)).first()
            if found is None:
                return False
            stored = conn.execute(
                select(func.count()).where(articles.c.source_id == found.id)
            ).scalar_one()
            if stored:
                # Articles keep their attribution: the source row stays, unfollowed.
                conn.execute(
                    update(sources)
                    .where(sources.c.id == found.id)
                    .values(feed_url=None, next_check_at=None)
                )
            else:
                conn.execute(
                    update(fetch_log)
                    .where(fetch_log.c.source_id == found.id)
                    .values(source_id=None)
                )
                conn.execute(delete(sources).where(sources.c.id == found.id))
            return True

    def record_source_fetch(
        self,
        slug: str,
        *,
        ok: bool,
        status: str,
        etag: str | None = None,
        last_modified: str | None = None,
        next_check_at: datetime | None = None,
    ) -> None:
        """Remember how a source's last fetch went (health, validators, next check)."""
        values: dict[str, Any] = {
            "last_fetch_at": now_utc(),
            "last_status": status[:200],
            "next_check_at": utc_naive(next_check_at),
            "consecutive_errors": 0 if ok else sources.c.consecutive_errors + 1,
        }
        # A 304 or a server without validators leaves the ones we have in place.
        if ok and etag is not None:
            values["etag"] = etag
        if ok and last_modified is not None:
            values["last_modified"] = last_modified
        with self.writing() as conn:
            conn.execute(update(sources).where(sources.c.slug == slug).values(**values))

    def log_fetch(
        self,
        url: str,
        *,
        source: str | None = None,
        status: str,
        reason: str | None = None,
        http_status: int | None = None,
        elapsed_ms: int | None = None,
    ) -> None:
        """Append one fetch outcome (per URL) to the fetch log."""
        with self.writing() as conn:
            source_id = None
            if source is not None:
                source_id = conn.execute(
                    select(sources.c.id).where(sources.c.slug == source)
                ).scalar_one_or_none()
            conn.execute(
                fetch_log.insert().values(
                    at=now_utc(),
                    source_id=source_id,
                    url=url,
                    status=status,
                    reason=reason,
                    http_status=http_status,
                    elapsed_ms=elapsed_ms,
                )
            )


def source_row(row: Row[Any]) -> SourceRow:
    """Build a SourceRow from a sources row with its article count."""
    m = row._mapping
    return SourceRow(
        id=m["id"],
        slug=m["slug"],
        name=m["name"],
        feed_url=m["feed_url"],
        site_url=m["site_url"],
        options=dict(m["options"] or {}),
        last_fetch_at=as_utc(m["last_fetch_at"]),
        last_status=m["last_status"],
        consecutive_errors=m["consecutive_errors"] or 0,
        etag=m["etag"],
        last_modified=m["last_modified"],
        next_check_at=as_utc(m["next_check_at"]),
        article_count=int(m["article_count"]),
    )
