"""Workers fetching from the replay publisher store what `marsad fetch --once` stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from scale_cluster import Cluster, wait_for
from scale_scenario import day_slice, outcome

from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.replay.server import start_replay
from marsad.store import Store, open_store

FAST = ("--delay", "0", "--per-host", "8")


def _settled(store: Store, expected: int) -> bool:
    """As many articles stored as the one-process run stored, all enriched."""
    ids = [a.id for a in store.iter_articles()]
    return len(ids) >= expected and not store.unenriched_ids(ids)


@pytest.mark.slow
def test_workers_fetch_what_fetch_once_fetches(
    cluster: Cluster, shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    dump = day_slice(shared_dir, "2015-07-25", 160, tmp_path / "slice.jsonl")
    records = [r for r in read_records(dump) if isinstance(r, RawArticle)]
    cluster.env["MARSAD_ALLOW_HOSTS"] = "127.0.0.1"
    with start_replay(records) as replay:
        opml = f"{replay.url}/sources.opml"
        one_url = f"sqlite:///{tmp_path / 'one.db'}"
        cluster.marsad("sources", "import-opml", opml, db=one_url)
        cluster.marsad("fetch", "--once", "--quiet", *FAST, db=one_url)
        one = open_store(one_url)
        expected = outcome(one)
        one.close()
        assert len(expected["articles"]) > 150

        cluster.marsad("sources", "import-opml", opml)
        cluster.worker("stories", "--queues", "stories")
        cluster.worker("w1", "--queues", "work", *FAST)
        cluster.worker("w2", "--queues", "work", *FAST)
        schedule = str(tmp_path / "beat-schedule")
        cluster.start("scheduler", "--tick", "2", "--schedule-file", schedule, name="scheduler")
        store = open_store(pg_url)
        try:
            wait_for(lambda: _settled(store, len(expected["articles"])), 300, "the workers")
            found = outcome(store)
            store_counts = store.counts()
        finally:
            store.close()
    assert found["articles"] == expected["articles"]
    # Not keyphrases: their document frequencies grow in the order articles arrive, which
    # varies between two `fetch --once` runs too (sources are fetched concurrently).
    # The same copies grouped together; which copy counts as the original may differ where
    # two copies were published at the same moment (the one enriched first is taken).
    assert found["duplicate_groups"] == expected["duplicate_groups"]
    # Stories: the enricher groups articles into stories in the order batches reach it, and
    # `fetch --once` itself gives other stories when its sources finish in another order (one
    # process fetching the same sources in reverse order agrees on 69% of grouped pairs). So
    # here: no story made twice or left empty, and as many stories as one process makes, give
    # or take 5%. tests/scale/test_workers.py shows equal stories where batch order is fixed.
    assert store_counts["stories"] == len(found["stories"])
    assert abs(len(found["stories"]) - len(expected["stories"])) <= 0.05 * len(expected["stories"])
    assert "marsad.fetch" in cluster.log("w1") and "marsad.fetch" in cluster.log("w2")
