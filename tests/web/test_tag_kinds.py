"""Tag kinds on pages and in the API, a person's page listing stories, and /api/v1/trending."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from store_writes import create_story, refresh_story_counts, save_enrichment

from marsad.ingest.importers import read_records
from marsad.models import Enrichment, RawArticle
from marsad.pipeline import ingest
from marsad.settings import Settings
from marsad.store import open_store
from marsad.urls import canonical_url
from marsad.web import create_app

NOW = datetime(2015, 8, 7, 20, 0, tzinfo=UTC)
PERSON = "فيصل بن خالد"


@pytest.fixture(scope="module")
def tagged(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """Nine articles of four sources within a day: two stories and a loose article carry a
    person; one phrase bursts."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-08-07.zip"
    raws = list(itertools.islice((r for r in read_records(day) if isinstance(r, RawArticle)), 9))
    dated = [
        replace(
            r, source=f"s{i % 4}", source_name=f"s{i % 4}", published_at=NOW - timedelta(hours=i)
        )
        for i, r in enumerate(raws)
    ]
    db_url = f"sqlite:///{tmp_path_factory.mktemp('kinds') / 'kinds.db'}"
    store = open_store(db_url)
    ingest(store, dated)
    ids = {a.article.url: a.id for a in store.iter_articles()}
    order = [ids[canonical_url(r.url)] for r in dated]  # newest first
    first = create_story(store, "الأولى", NOW)
    second = create_story(store, "الثانية", NOW - timedelta(hours=4))
    story_of = {order[0]: first, order[1]: first, order[4]: second, order[5]: second}
    for n, article_id in enumerate(order):
        phrases, kinds = ["تفجير عسير"], ["topic"]
        if n in (0, 1, 4, 5, 7):
            phrases, kinds = [PERSON, *phrases], ["person", *kinds]
        save_enrichment(
            store, article_id, Enrichment(phrases, kinds=kinds, story_id=story_of.get(article_id))
        )
    refresh_story_counts(store, [first, second])
    app = create_app(Settings(db_url=db_url), store=store)
    with TestClient(app) as client:
        yield client, order, (first, second)
    store.close()


def test_person_tag_lists_stories_newest_first(tagged: tuple) -> None:
    client, order, _ = tagged
    found = client.get("/api/v1/tags/" + quote(PERSON)).json()
    assert found["kind"] == "person"
    # One article per story (its newest), and the loose article, newest first.
    assert [item["id"] for item in found["items"]] == [order[0], order[4], order[7]]
    assert found["total"] == 3
    page = client.get("/tag/" + quote(PERSON))
    assert page.status_code == 200
    assert "شخص" in page.text and "القصص، الأحدث أولًا" in page.text


def test_topic_tag_lists_every_article(tagged: tuple) -> None:
    client, order, _ = tagged
    found = client.get("/api/v1/tags/" + quote("تفجير عسير"), params={"limit": 50}).json()
    assert found["kind"] == "topic"
    assert [item["id"] for item in found["items"]] == order


def test_trending_api_gives_the_list_as_json(tagged: tuple) -> None:
    client, _, _ = tagged
    trends = client.get("/api/v1/trending").json()
    assert trends, trends
    assert set(trends[0]) == {"display", "kind", "articles", "sources", "burst"}
    top = trends[0]
    assert top["display"] == "تفجير عسير" and top["articles"] == 9 and top["sources"] == 4
    assert client.get("/api/v1/trending", params={"hours": 0}).status_code == 422
    home = client.get("/")
    assert 'data-kind="topic"' in home.text and "تفجير عسير" in home.text
