"""The pipeline end to end: what a crash between storing and enriching leaves is caught up."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records
from marsad.pipeline import ingest
from marsad.store import Store


def test_articles_stored_but_not_enriched_are_enriched_on_next_start(
    store: Store, shared_dir: Path
) -> None:
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-22.zip"
    records = list(islice(read_records(day), 60))
    # A run that died after committing articles and before enriching them.
    first = ingest(store, records[:40])
    assert all(a.story_id is None for a in store.iter_articles())

    enricher = start_enrichment(store)
    stored = list(store.iter_articles())
    assert len(stored) >= 35
    assert all(a.story_id is not None and a.keyphrases for a in stored if len(a.text.split()) > 30)
    assert not list(store.iter_articles(unenriched=True))

    # The next run goes on with the same, warmed enricher; nothing is redone or lost.
    report = ingest(store, records, enricher)
    assert report.already_present == first.imported
    assert report.imported > 0
    assert store.counts()["articles"] == first.imported + report.imported
    assert not list(store.iter_articles(unenriched=True))
