"""Workers give what one process gives: same articles, duplicates, stories; tasks idempotent."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from scale_cluster import Cluster, wait_for
from scale_scenario import day_slice, outcome

from marsad.ingest.importers import read_records
from marsad.models import Article, RawArticle
from marsad.pipeline import normalize
from marsad.settings import Settings
from marsad.store import Store, enrichment, open_store
from marsad.workers.context import WorkerContext
from marsad.workers.messages import raw_from_message, raw_to_message
from marsad.workers.tasks import enrich_articles, ingest_messages

ENRICHER = importlib.util.find_spec("marsad.enrich.enricher") is not None


def _settled(store: Store, expected: int) -> bool:
    """All articles stored and (where enrichment is installed) enriched."""
    ids = [a.id for a in store.iter_articles()]
    if len(ids) < expected:
        return False
    return not ENRICHER or not store.unenriched_ids(ids)


# Worker processes and the queues each consumes: the story queue's consumer also does its share
# of the work queue, and one process alone consumes both without waiting on itself.
LAYOUTS = {
    "two": [("w1", "stories,work"), ("w2", "work")],
    "one": [("w1", "stories,work")],
}


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_workers_give_what_one_process_gives(
    cluster: Cluster, shared_dir: Path, tmp_path: Path, pg_url: str, layout: str
) -> None:
    dump = day_slice(shared_dir, "2015-07-23", 400, tmp_path / "slice.jsonl")
    one_url = f"sqlite:///{tmp_path / 'one.db'}"
    cluster.marsad("import", "--quiet", str(dump), db=one_url)  # batches of 200, as enqueue
    one = open_store(one_url)
    expected = outcome(one)
    one.close()

    for name, queues in LAYOUTS[layout]:
        cluster.worker(name, "--queues", queues)
    assert "sent: 400 articles" in cluster.marsad("enqueue", str(dump))
    store = open_store(pg_url)
    try:
        wait_for(lambda: _settled(store, len(expected["articles"])), 300, "the workers")
        assert outcome(store) == expected
        # The work queue's second consumer took its share; the features computed were spent.
        if layout == "two":
            assert "marsad.ingest" in cluster.log("w2")
        assert not store.featured_ids([a.id for a in store.iter_articles()])
    finally:
        store.close()


def test_tasks_redone_change_nothing(db_url: str, shared_dir: Path, tmp_path: Path) -> None:
    dump = day_slice(shared_dir, "2015-07-24", 60, tmp_path / "slice.jsonl")
    messages = [raw_to_message(r) for r in read_records(dump) if isinstance(r, RawArticle)]
    assert raw_from_message(messages[0]) == next(iter(read_records(dump)))
    ctx = WorkerContext(Settings(db_url=db_url))
    try:
        ids = ingest_messages(ctx, messages)
        store = ctx.store()
        before = outcome(store), store.counts()
        assert len(ids) == before[1]["articles"] > 50
        # Storing computed every article's own features, ahead of the ordered step.
        ready = store.load_features(ids)
        assert set(ready) == set(ids) and any(f.keyphrases for f in ready.values())
        # A job that died after storing: its rerun finds the same articles still to enrich.
        assert ingest_messages(ctx, messages) == ids
        assert (outcome(store), store.counts()) == before
        done = enrich_articles(ctx, ids)
        assert done == (len(ids) if ENRICHER else 0)
        assert not store.featured_ids(ids)  # spent by the enrichment that used them
        after = outcome(store), store.counts()
        assert enrich_articles(ctx, ids) == 0
        assert ingest_messages(ctx, messages) == ([] if ENRICHER else ids)
        assert (outcome(store), store.counts()) == after
    finally:
        ctx.close()


@pytest.mark.slow
def test_workers_run_over_rabbitmq(
    cluster: Cluster, rabbitmq_url: str, shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    dump = day_slice(shared_dir, "2015-08-02", 120, tmp_path / "slice.jsonl")
    cluster.env["MARSAD_BROKER"] = rabbitmq_url
    cluster.worker("stories", "--queues", "stories")
    cluster.worker("w1", "--queues", "work")
    cluster.marsad("enqueue", "--batch-size", "40", str(dump))
    sent = len({a.url for r in read_records(dump) if isinstance(a := _normal(r), Article)})
    store = open_store(pg_url)
    try:
        wait_for(lambda: _settled(store, sent), 180, "the workers over RabbitMQ")
        assert "amqp://" in cluster.log("w1")
        assert store.counts()["articles"] == sent
    finally:
        store.close()


def _normal(record: object) -> object:
    """A record normalized (a RawArticle), or the record as it is."""
    return normalize(record) if isinstance(record, RawArticle) else record


def test_enrichment_dying_half_way_is_redone_cleanly(
    db_url: str, shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = day_slice(shared_dir, "2015-08-03", 80, tmp_path / "slice.jsonl")
    messages = [raw_to_message(r) for r in read_records(dump) if isinstance(r, RawArticle)]
    clean = WorkerContext(Settings(db_url=f"sqlite:///{tmp_path / 'clean.db'}"))
    ctx = WorkerContext(Settings(db_url=db_url))
    try:
        enrich_articles(clean, ingest_messages(clean, messages))
        ids = ingest_messages(ctx, messages)
        store = ctx.store()
        real_refresh = enrichment.refresh_counts

        def power_cut(conn: object, story_ids: object) -> None:
            raise RuntimeError("power cut after the stories and articles were written")

        # The run dies at the last statement of its batch's transaction: nothing is kept.
        monkeypatch.setattr(enrichment, "refresh_counts", power_cut)
        with pytest.raises(RuntimeError):
            enrich_articles(ctx, ids)
        assert store.counts()["stories"] == 0
        assert store.unenriched_ids(ids) == sorted(ids)
        monkeypatch.setattr(enrichment, "refresh_counts", real_refresh)
        assert enrich_articles(ctx, ids) == len(ids)
        assert outcome(store) == outcome(clean.store())
        assert store.counts() == clean.store().counts()
    finally:
        ctx.close()
        clean.close()
