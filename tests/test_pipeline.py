"""The pipeline end to end: what a crash between storing and enriching leaves is caught up."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records
from marsad.models import Article, RawArticle
from marsad.pipeline import ingest, learn_pending, normalize
from marsad.store import Store, open_store


def test_articles_stored_but_not_enriched_are_enriched_on_next_start(
    store: Store, shared_dir: Path
) -> None:
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-22.zip"
    records = list(islice(read_records(day), 60))
    # A run that died after committing articles and before enriching them.
    first = ingest(store, records[:40])
    assert all(a.enrichment.story_id is None for a in store.iter_articles())

    enricher = start_enrichment(store)
    stored = list(store.iter_articles())
    assert len(stored) >= 35
    assert all(
        a.enrichment.story_id is not None and a.enrichment.keyphrases
        for a in stored
        if len(a.article.text.split()) > 30
    )
    assert not list(store.iter_articles(unenriched=True))

    # The next run goes on with the same, warmed enricher; nothing is redone or lost.
    report = ingest(store, records, enricher)
    assert report.already_present == first.imported
    assert report.imported > 0
    assert store.counts()["articles"] == first.imported + report.imported
    assert not list(store.iter_articles(unenriched=True))


def test_furniture_learned_in_the_ordered_step_gives_what_one_process_gives(
    store: Store, shared_dir: Path, tmp_path: Path
) -> None:
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-25.zip"
    records = [r for r in islice(read_records(day), 240) if isinstance(r, RawArticle)]
    one = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        ingest(one, records)  # learned as stored, in one process
        expected = _cleaning(one)
        states = one.load_furniture()
    finally:
        one.close()
    # Workers: parts stored in any order, each cleaned with what its source knew then...
    parts = [records[i : i + 50] for i in range(0, len(records), 50)]
    for part in reversed(parts):
        ingest(store, part, learn=False)
    ahead = _cleaning(store)
    assert ahead.keys() == expected.keys()
    assert sum(ahead[u] != expected[u] for u in expected) > 10  # learning order matters here
    # ...then the ordered step learns part by part in the batch's order (each step loads the
    # states the one before saved), and cleans again what that changes.
    urls = [a.url for r in records if isinstance(a := normalize(r), Article)]
    found = store.ids_by_url(urls)
    again: set[int] = set()
    for start in range(0, len(urls), 50):
        ids = [found[u] for u in dict.fromkeys(urls[start : start + 50])]
        again |= learn_pending(store, ids, in_order=True)
    assert again and _cleaning(store) == expected
    assert store.load_furniture() == states
    assert not store.pending_cleaning(list(found.values()))
    # Learned once: a second pass changes nothing.
    assert learn_pending(store, list(found.values())) == set()


def _cleaning(store: Store) -> dict[str, tuple[object, ...]]:
    """What cleaning gave each stored article, by URL."""
    return {
        a.article.url: (
            a.article.text,
            a.article.match_text,
            a.article.author,
            a.article.dateline,
            a.article.credit,
            a.article.brief,
            a.article.removed,
        )
        for a in store.iter_articles()
    }
