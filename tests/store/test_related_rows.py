"""Related lists kept fresh by rewriting only the ranks that changed still read back whole."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from store_writes import set_related

from marsad.ingest.importers import read_records
from marsad.pipeline import ingest
from marsad.store import Store
from marsad.store.enrichment import replace_related


@pytest.fixture
def ids(store: Store, shared_dir: Path) -> list[int]:
    """Ids of a dozen stored corpus articles."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    ingest(store, itertools.islice(read_records(day), 12))
    found = sorted(a.id for a in store.iter_articles())
    assert len(found) >= 10
    return found


CHANGES = [
    ([1, 2, 3, 4], [1, 5, 2, 3, 4]),  # a newer article enters in the middle
    ([1, 2, 3, 4], [5, 1, 2, 3]),  # at the top, pushing the last one out
    ([1, 2, 3, 4], [1, 2, 3]),  # a list that shrinks (its last article left the window)
    ([1, 2, 3], [1, 2, 3, 6, 7]),  # one that grows
    ([1, 2, 3, 4], [4, 3, 2, 1]),  # reordered throughout
]


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_tail_rewrite_reads_back_the_new_list(
    store: Store, ids: list[int], old: list[int], new: list[int]
) -> None:
    owner = ids[0]
    before = [ids[i] for i in old]
    after = [ids[i] for i in new]
    set_related(store, [(owner, before)])
    assert store.get_article(owner).enrichment.related == before  # type: ignore[union-attr]
    with store.engine.begin() as conn:
        replace_related(conn, [(owner, after)], {owner: before})
    assert store.get_article(owner).enrichment.related == after  # type: ignore[union-attr]
    # Another article's list is left alone.
    set_related(store, [(ids[9], before)])
    with store.engine.begin() as conn:
        replace_related(conn, [(owner, before)], {owner: after})
    assert store.get_article(owner).enrichment.related == before  # type: ignore[union-attr]
    assert store.get_article(ids[9]).enrichment.related == before  # type: ignore[union-attr]
