"""Store verbs the distributed workers need: what is left to enrich, and a story lock."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from marsad.store.schema import articles, enrichment_writes, sources
from marsad.store.times import utc_naive
from marsad.store.writer import Writes

# Any constant shared by every marsad process: the key of the story-assignment lock.
STORY_LOCK_KEY = 0x6D61727361640002


class WorkVerbs(Writes):
    """What the distributed workers need: what is left to enrich, claims and the story lock."""

    def unenriched_ids(self, ids: Sequence[int]) -> list[int]:
        """Those of these articles that enrichment has not finished, in id order."""
        if not ids:
            return []
        stmt = (
            select(articles.c.id)
            .where(articles.c.id.in_(list(ids)), articles.c.enriched_at.is_(None))
            .order_by(articles.c.id)
        )
        with self.engine.connect() as conn:
            return [int(i) for i in conn.execute(stmt).scalars()]

    def claim_due_sources(self, now: datetime, lease: timedelta) -> list[str]:
        """Slugs of the followed sources due for a check, each put off by `lease` in the same
        statement, so that a source is not sent twice while its fetch runs (the fetch sets the
        real next check; if its job is lost, the source is due again when the lease ends)."""
        moment = utc_naive(now)
        due = sources.c.feed_url.is_not(None) & (
            sources.c.next_check_at.is_(None) | (sources.c.next_check_at <= moment)
        )
        stmt = (
            update(sources)
            .where(due)
            .values(next_check_at=utc_naive(now + lease))
            .returning(sources.c.slug)
        )
        with self.writing() as conn:
            return sorted(conn.execute(stmt).scalars())

    def pending_enrichment(self, before: datetime, limit: int = 1000) -> list[int]:
        """Articles stored before `before` and still not enriched (their message may be lost).

        By when they were stored, not fetched: a dump sent by `marsad enqueue` holds articles
        fetched years ago whose ordered jobs are still coming, and enriching them ahead of their
        turn would change the stories.
        """
        stored = func.coalesce(articles.c.stored_at, articles.c.fetched_at)
        stmt = (
            select(articles.c.id)
            .where(articles.c.enriched_at.is_(None), stored < utc_naive(before))
            .order_by(articles.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [int(i) for i in conn.execute(stmt).scalars()]

    def ids_by_url(self, urls: Sequence[str]) -> dict[str, int]:
        """Ids of the stored articles among these canonical URLs."""
        found: dict[str, int] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(urls), 500):
                chunk = list(urls[start : start + 500])
                stmt = select(articles.c.url, articles.c.id).where(articles.c.url.in_(chunk))
                found.update({url: int(id_) for url, id_ in conn.execute(stmt).all()})
        return found

    def enrichment_mark(self) -> int:
        """How many times enrichment was saved: changes when anyone enriches (one row read)."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(enrichment_writes.c.count).where(enrichment_writes.c.id == 1)
            ).scalar_one_or_none()
        return int(found or 0)

    @contextmanager
    def story_lock(self) -> Iterator[None]:
        """Hold the story-assignment lock across processes and machines (PostgreSQL only).

        On SQLite there is one machine and the single consumer of the stories queue is the lock.
        """
        with self._advisory_lock(STORY_LOCK_KEY, wait=True):
            yield

    @contextmanager
    def batch_claim(self, urls: Sequence[str], *, wait: bool) -> Iterator[bool]:
        """Claim the preparation (storing and features) of one import batch, named by its URLs.

        Yields whether this process holds the claim. With `wait`, waits while another holds it
        (always ends holding it); without, gives up at once. A claim dies with its holder's
        connection, so a worker killed mid-batch leaves the batch to whoever asks next.
        PostgreSQL only: on SQLite every claim succeeds.
        """
        digest = hashlib.blake2b("\n".join(urls).encode("utf-8"), digest_size=8).digest()
        with self._advisory_lock(int.from_bytes(digest, "big", signed=True), wait=wait) as held:
            yield held

    @contextmanager
    def _advisory_lock(self, key: int, *, wait: bool) -> Iterator[bool]:
        """A PostgreSQL session advisory lock on its own connection, held for the block."""
        if self.engine.dialect.name != "postgresql":
            yield True
            return
        with self.engine.connect() as conn:
            if wait:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
                held = True
            else:
                query = text("SELECT pg_try_advisory_lock(:key)")
                held = bool(conn.execute(query, {"key": key}).scalar_one())
            conn.commit()
            try:
                yield held
            finally:
                if held:
                    try:
                        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                        conn.commit()
                    except DBAPIError:
                        pass  # The connection is gone, and the server released its locks with it.
