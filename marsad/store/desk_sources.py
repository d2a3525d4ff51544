"""Store verbs of the sources desk: health with articles per day, add, pause and resume, fetch
now, remove and per-source extraction rules, each logged in the audit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from marsad.desk.refusal import Refused
from marsad.models import Source
from marsad.store.desk_audit import record
from marsad.store.schema import articles, sources
from marsad.store.times import as_utc, utc_naive
from marsad.store.writer import Writes

# Articles per day are counted over this many days before the newest article stored.
RATE_DAYS = 7


class SourceDeskVerbs(Writes):
    """The store's verbs about sources as the desk manages them."""

    def articles_per_day(self) -> dict[int, float]:
        """Each source's articles per day over the RATE_DAYS before the newest stored article."""
        with self.engine.connect() as conn:
            newest = as_utc(conn.execute(select(func.max(articles.c.fetched_at))).scalar())
            if newest is None:
                return {}
            since = utc_naive(newest - timedelta(days=RATE_DAYS))
            stmt = (
                select(articles.c.source_id, func.count())
                .where(articles.c.fetched_at >= since)
                .group_by(articles.c.source_id)
            )
            return {int(s): round(int(n) / RATE_DAYS, 1) for s, n in conn.execute(stmt)}

    def set_source_paused(self, actor: str, slug: str, paused: bool, now: datetime) -> int:
        """Pause a source (following skips it) or resume it; the audit entry's id."""
        with self.writing() as conn:
            row = conn.execute(select(sources).where(sources.c.slug == slug)).first()
            if row is None:
                raise Refused(f"لا يوجد مصدر «{slug}»", 404)
            options = dict(row.options or {})
            was = bool(options.get("paused"))
            if was == paused:
                raise Refused("المصدر موقوف أصلًا" if paused else "المصدر غير موقوف")
            options["paused"] = paused
            conn.execute(update(sources).where(sources.c.id == row.id).values(options=options))
            action = "pause_source" if paused else "resume_source"
            return record(
                conn, actor, action, f"source:{slug}", {"paused": was}, {"paused": paused}, now
            )

    def fetch_source_now(self, actor: str, slug: str, now: datetime) -> int:
        """Make a source due now: the follower checks it on its next round."""
        with self.writing() as conn:
            row = conn.execute(select(sources).where(sources.c.slug == slug)).first()
            if row is None:
                raise Refused(f"لا يوجد مصدر «{slug}»", 404)
            if not row.feed_url:
                raise Refused("لا خلاصة لهذا المصدر")
            conn.execute(
                update(sources).where(sources.c.id == row.id).values(next_check_at=utc_naive(now))
            )
            was = as_utc(row.next_check_at)
            return record(
                conn,
                actor,
                "fetch_source",
                f"source:{slug}",
                {"next_check_at": was.isoformat() if was else None},
                {"next_check_at": now.isoformat()},
                now,
            )

    def log_source_removal(self, actor: str, slug: str, feed_url: str | None, now: datetime) -> int:
        """Log that a source was removed."""
        with self.writing() as conn:
            return record(
                conn, actor, "remove_source", f"source:{slug}", {"feed_url": feed_url}, None, now
            )

    def add_desk_source(self, actor: str, source: Source, now: datetime) -> int:
        """Follow a new source (refused when its slug or feed is followed already)."""
        with self.writing() as conn:
            for column, value in (
                (sources.c.slug, source.slug),
                (sources.c.feed_url, source.feed_url),
            ):
                taken = conn.execute(select(sources.c.slug).where(column == value)).first()
                if taken is not None:
                    raise Refused(f"هذا المصدر متابَع أصلًا باسم «{taken.slug}»", 409)
            conn.execute(
                sources.insert().values(
                    slug=source.slug,
                    name=source.name,
                    feed_url=source.feed_url,
                    site_url=source.site_url,
                    options={},
                    created_at=utc_naive(now),
                    consecutive_errors=0,
                )
            )
            after = {"name": source.name, "feed_url": source.feed_url, "site_url": source.site_url}
            return record(conn, actor, "add_source", f"source:{source.slug}", None, after, now)

    def set_source_rules(
        self, actor: str, slug: str, rules: dict[str, Any] | None, now: datetime
    ) -> int:
        """A source's extraction rules (`{"body": ..., "drop": [...]}`; None: the defaults)."""
        with self.writing() as conn:
            row = conn.execute(select(sources).where(sources.c.slug == slug)).first()
            if row is None:
                raise Refused(f"لا يوجد مصدر «{slug}»", 404)
            options = dict(row.options or {})
            was = options.get("rules")
            if rules:
                options["rules"] = rules
            else:
                options.pop("rules", None)
            conn.execute(update(sources).where(sources.c.id == row.id).values(options=options))
            return record(
                conn,
                actor,
                "set_source_rules",
                f"source:{slug}",
                {"rules": was},
                {"rules": rules},
                now,
            )
