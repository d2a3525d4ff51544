"""The read queries behind the pages: story ranking, trending window, Arabic dates and counts."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from store_writes import create_story, refresh_story_counts, save_enrichment

from marsad.ingest.importers import read_records
from marsad.models import Enrichment, RawArticle
from marsad.pipeline import ingest
from marsad.store import Store
from marsad.urls import canonical_url
from marsad.web.arabic_dates import arabic_datetime
from marsad.web.templating import count_ar

NOW = datetime(2015, 7, 21, 21, 0, tzinfo=UTC)


def _articles(shared_dir: Path, n: int) -> list[RawArticle]:
    """n real articles from a corpus day."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-22.zip"
    records = (r for r in read_records(day) if isinstance(r, RawArticle))
    return list(itertools.islice(records, n))


def _story(store: Store, raws: list[RawArticle], sources: list[str], hours_ago: list[float]) -> int:
    """Store articles from the given sources at the given ages as one story; return its id."""
    dated = [
        replace(raw, source=src, source_name=src, published_at=NOW - timedelta(hours=h))
        for raw, src, h in zip(raws, sources, hours_ago, strict=True)
    ]
    ingest(store, dated)
    ids = [
        a.id
        for a in store.iter_articles()
        if a.article.url in {canonical_url(d.url) for d in dated}
    ]
    story_id = create_story(store, dated[0].title, dated[0].published_at)
    for article_id in ids:
        save_enrichment(store, article_id, Enrichment(["قطاع غزة"], story_id=story_id))
    refresh_story_counts(store, [story_id])
    return story_id


def test_top_stories_rank_sources_and_recency(store: Store, shared_dir: Path) -> None:
    raws = _articles(shared_dir, 12)
    wide = _story(store, raws[0:3], ["a", "b", "c"], [2, 3, 2.5])
    narrow_fresh = _story(store, raws[3:5], ["a", "a"], [0, 0.5])
    wide_old = _story(store, raws[5:8], ["a", "b", "c"], [40, 41, 40])
    pair_fresh = _story(store, raws[8:10], ["b", "d"], [0.2, 0.1])
    ranked = [c.story.id for c in store.top_stories(limit=10)]
    assert ranked[0] in (wide, pair_fresh)
    assert ranked.index(wide) < ranked.index(narrow_fresh)
    assert ranked.index(pair_fresh) < ranked.index(wide_old)
    assert ranked.index(wide_old) == len(ranked) - 1
    cards = store.top_stories(limit=10)
    assert all(c.lead is not None for c in cards)
    assert [c.story.source_count for c in cards if c.story.id == wide] == [3]


def test_trending_is_relative_to_the_newest_article(store: Store, shared_dir: Path) -> None:
    raws = _articles(shared_dir, 6)
    recent = [
        replace(r, source=f"s{i}", source_name=f"s{i}", published_at=NOW - timedelta(hours=i))
        for i, r in enumerate(raws[:4])
    ]
    old = [replace(r, published_at=NOW - timedelta(days=3)) for r in raws[4:]]
    ingest(store, [*recent, *old])
    by_url = {a.article.url: a.id for a in store.iter_articles()}
    for raw in recent[:3]:
        save_enrichment(store, by_url[canonical_url(raw.url)], Enrichment(["وقف إطلاق النار"]))
    for raw in old:
        save_enrichment(store, by_url[canonical_url(raw.url)], Enrichment(["عبد الفتاح السيسي"]))
    save_enrichment(store, by_url[canonical_url(recent[3].url)], Enrichment(["عبد الفتاح السيسي"]))
    # The corpus is from 2015: "the last 24 hours" ends at its newest article, not today.
    assert store.reference_time() == NOW
    trending = store.trending_tags(hours=24)
    # Too few articles stored before the window for shares: counts with the source floor.
    assert [(t.display, t.count, t.sources) for t in trending] == [("وقف إطلاق النار", 3, 3)]


def test_latest_leaves_out_duplicates(store: Store, shared_dir: Path) -> None:
    raws = _articles(shared_dir, 3)
    ingest(store, [replace(r, published_at=NOW - timedelta(hours=i)) for i, r in enumerate(raws)])
    ids = [a.id for a in store.iter_articles()]
    save_enrichment(store, ids[0], Enrichment(duplicate_of=ids[1]))
    page = store.latest_articles()
    assert page.total == 2 and ids[0] not in [c.id for c in page.items]
    assert [c.id for c in store.article_cards([ids[2], 999, ids[0]])] == [ids[2], ids[0]]


def test_arabic_dates() -> None:
    riyadh = ZoneInfo("Asia/Riyadh")
    assert arabic_datetime(datetime(2015, 7, 21, 20, 5, tzinfo=UTC), riyadh) == (
        "الثلاثاء 21 يوليو 2015، 11:05 م"
    )
    assert arabic_datetime(datetime(2015, 7, 21, 21, 30, tzinfo=UTC), riyadh) == (
        "الأربعاء 22 يوليو 2015، 12:30 ص"
    )
    assert arabic_datetime(datetime(2024, 2, 1, 6, 0), UTC) == "الخميس 1 فبراير 2024، 6:00 ص"


def test_arabic_counts() -> None:
    forms = ("مصدر واحد", "مصدران", "مصادر", "مصدرًا")
    assert [count_ar(n, *forms) for n in (1, 2, 3, 10, 11, 100, 103)] == [
        "مصدر واحد",
        "مصدران",
        "3 مصادر",
        "10 مصادر",
        "11 مصدرًا",
        "100 مصدرًا",
        "103 مصادر",
    ]
