"""`marsad reclean`: articles stored before their source's furniture was known are cleaned."""

from __future__ import annotations

import re
from pathlib import Path

from marsad.cli.clean import reclean
from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import Store

# A closing tag list («… . سمات الصين ثلاثية الابعاد»), as عين اليوم ends its articles.
TAGS = re.compile(r"(^|[.!؟\n]\s*)سمات [^.\n]*$")


def _first(shared_dir: Path, source: str, n: int) -> list[RawArticle]:
    """The first `n` articles of a source on a corpus day."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-25.zip"
    found = [r for r in read_records(day) if isinstance(r, RawArticle) and r.source == source]
    return found[:n]


def test_reclean_cleans_the_first_articles_and_enriches_again(
    store: Store, shared_dir: Path
) -> None:
    records = _first(shared_dir, "3alyoum", 40)
    ingest(store, records, start_enrichment(store), batch_size=10)
    stored = list(store.iter_articles())
    dirty = [a for a in stored if TAGS.search(a.article.text.strip())]
    # Learning online: the first articles came before the tag list had been seen enough.
    assert 0 < len(dirty) < 10
    assert all(a.article.original_text for a in stored if a.article.removed)
    changed, seen = reclean(store)
    assert seen == 40 and changed >= len(dirty)
    store.reset_enrichment()
    start_enrichment(store)
    again = list(store.iter_articles())
    assert not any(TAGS.search(a.article.text.strip()) for a in again)
    assert sum(bool(TAGS.search(a.article.publisher_text.strip())) for a in again) > 30
    assert all(
        a.enrichment.story_id is not None and a.enrichment.summary
        for a in again
        if not a.article.brief
    )
    assert not any(TAGS.search((a.enrichment.summary or "").strip()) for a in again)


def test_a_new_source_loses_its_link_line_from_its_first_article(
    store: Store, shared_dir: Path
) -> None:
    ingest(store, _first(shared_dir, "alweeam", 3))
    stored = list(store.iter_articles())
    assert len(stored) == 3
    assert not any("رابط الخبر" in a.article.text for a in stored)
    assert all("رابط الخبر" in a.article.publisher_text for a in stored)
    assert store.search('"رابط الخبر بصحيفة"')[1] == 0  # search reads the reading text
