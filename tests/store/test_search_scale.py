"""Search at scale: capped totals, and the newest-first walk giving the same pages as a full sort."""

from __future__ import annotations

import itertools
from pathlib import Path

from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import Store
from marsad.store.dialect import search_ids
from marsad.store.search import TOTAL_CAP, query_terms

DAY = "2015-07-21.zip"
UNDATED = [
    RawArticle(
        url=f"https://example.org/undated/{n}",
        source="odd",
        title=f"خبر بلا تاريخ من الرياض رقم {n}",
        text="أعلنت وزارة الصحة في المملكة العربية السعودية اليوم عن مشروع جديد في الرياض",
    )
    for n in range(3)
]


def _fill(store: Store, shared_dir: Path) -> None:
    """The first 300 articles of a corpus day, and a few undated ones."""
    day = shared_dir / "corpus" / "saudinewsnet" / DAY
    ingest(store, itertools.chain(itertools.islice(read_records(day), 300), UNDATED))


def _page(store: Store, query: str, offset: int, cap: int) -> tuple[list[int], int]:
    """One page of 20 hits, searched with the given count cap."""
    with store.engine.connect() as conn:
        return search_ids(conn, query_terms(query), 20, offset, cap)


def test_walk_gives_the_same_pages_as_sorting_every_hit(store: Store, shared_dir: Path) -> None:
    _fill(store, shared_dir)
    walked = 0
    for query in ("السعودية", "الرياض", "وزارة", "المملكة العربية", "في"):
        every, real = _page(store, query, 0, 10**9)
        for offset in (0, 20, real - 5):
            sorted_ids, total = _page(store, query, max(offset, 0), 10**9)
            # A cap of 10 sends every query with 10 hits or more down the walk.
            walk_ids, capped = _page(store, query, max(offset, 0), 10)
            assert walk_ids == sorted_ids, (query, offset)
            assert (total, capped) == (real, min(real, 10))
        walked += real >= 10
        assert len(every) == min(real, 20)
    assert walked >= 4
    # The undated articles come last, after every dated one.
    ids, total = _page(store, "الرياض", 0, 10)
    last, _ = _page(store, "الرياض", max(_page(store, "الرياض", 0, 10**9)[1] - 3, 0), 10)
    undated = {a.id for a in store.get_articles(last) if a.published_at is None}
    assert len(undated) == 3 and total == 10 and ids


def test_store_search_counts_up_to_the_cap(store: Store, shared_dir: Path) -> None:
    _fill(store, shared_dir)
    ids, total = store.search("في", limit=5)
    with store.engine.connect() as conn:
        _, real = search_ids(conn, query_terms("في"), 5, 0, 10**9)
    assert len(ids) == 5 and total == min(real, TOTAL_CAP) and real > 100
    assert store.search("كلمة غير موجودة أبدا") == ([], 0)
