"""A story merged into another leads there: an old link reaches the articles it named."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from store_writes import create_story, save_enrichments

from marsad.ingest.importers import read_records
from marsad.models import Enrichment, RawArticle
from marsad.pipeline import ingest
from marsad.settings import Settings
from marsad.store import EnrichedBatch, Store, open_store
from marsad.web import create_app


@pytest.fixture()
def three(shared_dir: Path, tmp_path: Path) -> Iterator[tuple[Store, TestClient, list[int]]]:
    """Three stories of real articles of a corpus day, one article each."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-08-07.zip"
    raws = list(itertools.islice((r for r in read_records(day) if isinstance(r, RawArticle)), 3))
    db_url = f"sqlite:///{tmp_path / 'redirects.db'}"
    store = open_store(db_url)
    ingest(store, raws)
    ids = [a.id for a in store.iter_articles()]
    made = [create_story(store, f"قصة {n}") for n in range(3)]
    save_enrichments(
        store, [(a, Enrichment([], story_id=s)) for a, s in zip(ids, made, strict=True)]
    )
    with TestClient(create_app(Settings(db_url=db_url), store=store)) as client:
        yield store, client, made
    store.close()


def test_a_merged_story_redirects_to_its_survivor_along_a_chain(
    three: tuple[Store, TestClient, list[int]],
) -> None:
    store, client, (first, second, third) = three
    store.save_batch(EnrichedBatch(merges=[(first, second)]))
    moved = client.get(f"/story/{first}", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == f"/story/{second}"
    store.save_batch(EnrichedBatch(merges=[(second, third)]))
    for gone in (first, second):  # a chain leads straight to the last survivor
        moved = client.get(f"/story/{gone}", follow_redirects=False)
        assert moved.headers["location"] == f"/story/{third}"
    assert client.get(f"/story/{third}").status_code == 200
    assert client.get(f"/story/{third + 100}").status_code == 404
