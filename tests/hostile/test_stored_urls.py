"""Addresses stored before the URL checks existed (issue 15): a `javascript:` article URL or a
`data:` image in the store never leaves marsad through the API, feeds, pages or export."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.cli import main
from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records
from marsad.models import Article, RawArticle
from marsad.pipeline import normalize
from marsad.settings import Settings
from marsad.store import Store
from marsad.web import create_app

BAD_URLS = (
    "javascript:alert(document.cookie)//",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
)
BAD_IMAGE = "data:image/svg+xml,<svg onload=alert(1)>"
SCHEMES = ("javascript:", "data:", "vbscript:", "file:")


def _store_old_rows(store: Store, shared_dir: Path) -> list[int]:
    """Real corpus articles written straight through the store's write path with addresses
    the pipeline would refuse today (as rows stored before the checks hold them)."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    raws = [r for r in islice(read_records(day), 40) if isinstance(r, RawArticle)]
    articles = []
    for i, raw in enumerate(raws[: len(BAD_URLS) * 2]):
        article = normalize(raw)
        assert isinstance(article, Article)
        articles.append(
            replace(
                article,
                url=BAD_URLS[i] if i < len(BAD_URLS) else article.url,
                image=BAD_IMAGE if i % 2 == 0 else "javascript:alert(2)",
                published_at=datetime(2015, 7, 21, 9, i, tzinfo=UTC),
            )
        )
    ids = store.add_articles(articles)
    assert all(i is not None for i in ids)
    start_enrichment(store)
    return [i for i in ids if i is not None]


def _clean(where: str, body: str) -> None:
    low = body.lower()
    for scheme in SCHEMES:
        assert scheme not in low, (where, scheme, low[max(0, low.find(scheme) - 80) :][:200])


def test_old_unsafe_addresses_never_leave_marsad(
    store: Store,
    shared_dir: Path,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = _store_old_rows(store, shared_dir)
    # The store holds them as written: the outputs must refuse them themselves.
    held = {a.id: a for a in store.iter_articles()}
    assert (
        held[ids[0]].article.url.startswith("javascript:")
        and held[ids[0]].article.image == BAD_IMAGE
    )
    client = TestClient(create_app(Settings(db_url=db_url), store=store))
    story_ids = sorted(
        {held[i].enrichment.story_id for i in ids if held[i].enrichment.story_id is not None}
    )
    source = held[ids[0]].article.source
    word = held[ids[0]].article.title.split()[0]
    paths = ["/", "/feed.xml", f"/source/{source}", f"/source/{source}/feed.xml"]
    paths += [f"/search?q={word}", "/api/v1/articles?limit=100", "/api/v1/stories?limit=100"]
    paths += [f"/api/v1/search?q={word}", "/api/v1/sources", "/sitemap.xml"]
    for article_id in ids:
        paths += [f"/article/{article_id}", f"/api/v1/articles/{article_id}"]
    for story_id in story_ids:
        paths += [
            f"/story/{story_id}",
            f"/story/{story_id}/feed.xml",
            f"/api/v1/stories/{story_id}",
        ]
    assert story_ids
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, path
        _clean(path, answer.text)
    shown = client.get(f"/api/v1/articles/{ids[0]}").json()
    assert shown["url"] is None and shown["image"] is None  # shown as none, the article kept
    listed = client.get("/api/v1/articles?limit=100").json()["items"]
    assert {a["id"] for a in listed} >= set(ids) - {
        i for i in ids if held[i].enrichment.duplicate_of is not None
    }
    # `marsad export`: every article, none of their unsafe addresses.
    monkeypatch.setenv("MARSAD_DB", db_url)
    capsys.readouterr()
    assert main(["export"]) == 0
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["id"] for r in records} >= set(ids)
    _clean("export", out)
    assert all(r["url"] is None for r in records if r["id"] in ids[: len(BAD_URLS)])
    assert all(r["url"].startswith("http") for r in records if r["id"] not in ids[: len(BAD_URLS)])
