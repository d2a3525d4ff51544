"""The workers' sweep re-sends articles stored a while ago and not enriched, by storing time."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import Store
from marsad.store.schema import articles


def test_a_dump_just_stored_is_not_overdue(store: Store, shared_dir: Path) -> None:
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    # A dump that says when each article was fetched (a crawler's JSONL, say): years ago.
    then = datetime(2015, 7, 21, 9, 0, tzinfo=UTC)
    records = [
        replace(r, fetched_at=then)
        for r in itertools.islice(read_records(day), 20)
        if isinstance(r, RawArticle)
    ]
    ingest(store, records)
    stored = sorted(a.id for a in store.iter_articles())
    fetched = {a.article.fetched_at.year for a in store.iter_articles() if a.article.fetched_at}
    assert len(stored) >= 15 and fetched == {2015}
    now = datetime.now(UTC)
    # Just stored: its ordered jobs are still on their way, so the sweep leaves it alone...
    assert store.pending_enrichment(now - timedelta(seconds=10)) == []
    # ...until it has waited longer than the sweep allows.
    assert store.pending_enrichment(now + timedelta(seconds=1)) == stored
    # Articles stored before the storing time was kept fall back to their fetch time.
    with store.engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.id == stored[0]).values(stored_at=None))
    assert store.pending_enrichment(now - timedelta(seconds=10)) == [stored[0]]
