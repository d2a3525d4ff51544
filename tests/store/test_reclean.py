"""`marsad reclean`: articles stored before their source's furniture was known are cleaned."""

from __future__ import annotations

from pathlib import Path

from marsad.cli.clean import reclean
from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import Store


def _alweeam(shared_dir: Path, n: int) -> list[RawArticle]:
    """The first `n` articles of الوئام on a corpus day."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-25.zip"
    found = [r for r in read_records(day) if isinstance(r, RawArticle) and r.source == "alweeam"]
    return found[:n]


def test_reclean_cleans_the_first_articles_and_enriches_again(
    store: Store, shared_dir: Path
) -> None:
    records = _alweeam(shared_dir, 30)
    ingest(store, records, start_enrichment(store), batch_size=10)
    stored = list(store.iter_articles())
    dirty = [a for a in stored if "رابط الخبر" in a.text]
    # Learning online: the first articles came before the link line had been seen enough.
    assert 0 < len(dirty) < 10
    assert all(a.original_text and "رابط الخبر" in a.original_text for a in stored if a.removed)
    changed, seen = reclean(store)
    assert seen == 30 and changed >= len(dirty)
    store.reset_enrichment()
    start_enrichment(store)
    again = list(store.iter_articles())
    assert not any("رابط الخبر" in a.text for a in again)
    assert all("رابط الخبر" in a.publisher_text for a in again)
    assert all(a.story_id is not None and a.summary for a in again if not a.brief)
    assert not any("رابط الخبر" in (a.summary or "") for a in again)
    # Search reads the reading text.
    assert store.search("رابط الخبر بصحيفة")[1] == 0
