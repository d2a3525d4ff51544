"""Feeds out, parsed back with feedparser: latest, tag, story and source feeds; sitemap.xml."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

import feedparser
from fastapi.testclient import TestClient

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_feed(client: TestClient, path: str) -> Any:
    """Fetch a feed and parse it with feedparser, insisting on well-formed RSS 2.0."""
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    assert feed.version == "rss20"
    assert feed.feed.language == "ar"
    return feed


def test_latest_feed(client: TestClient, web_fixture: Any) -> None:
    feed = parse_feed(client, "/feed.xml")
    assert len(feed.entries) == 50
    newest = client.get("/api/v1/articles?limit=50").json()["items"]
    assert [e.link for e in feed.entries] == [
        f"http://testserver/article/{a['id']}" for a in newest
    ]
    first = feed.entries[0]
    # A reader unescapes the title once (angle brackets are sent as entities).
    assert html.unescape(first.title) == newest[0]["title"] and first.published_parsed
    assert first.source.title == newest[0]["source"]["name"]
    assert first.summary


def test_tag_feed_any_variant(client: TestClient) -> None:
    feed = parse_feed(client, "/tag/" + quote("مكة المكرمة") + "/feed.xml")
    variant = parse_feed(client, "/tag/" + quote("مكه المكرمه") + "/feed.xml")
    total = client.get("/api/v1/tags/" + quote("مكة المكرمة")).json()["total"]
    assert len(feed.entries) == total and feed.feed.title == "مرصد: مكة المكرمة"
    assert [e.id for e in feed.entries] == [e.id for e in variant.entries]


def test_story_feed_newest_first(client: TestClient, web_fixture: Any) -> None:
    story_id = web_fixture.stories["اليمن"]
    feed = parse_feed(client, f"/story/{story_id}/feed.xml")
    story = client.get(f"/api/v1/stories/{story_id}").json()
    assert feed.feed.title == f"مرصد: {story['title']}"
    ids = [a["id"] for a in reversed(story["articles"])]
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == [str(i) for i in ids]


def test_source_feed(client: TestClient) -> None:
    source = client.get("/api/v1/sources").json()[0]
    feed = parse_feed(client, f"/source/{source['slug']}/feed.xml")
    assert len(feed.entries) == min(50, source["article_count"])
    assert {e.source.title for e in feed.entries} == {source["name"]}


def test_missing_feeds_are_404(client: TestClient) -> None:
    for path in ["/story/999999/feed.xml", "/source/nope/feed.xml", "/tag/nope/feed.xml"]:
        assert client.get(path).status_code == 404


def test_sitemap_lists_articles_and_stories(client: TestClient, web_fixture: Any) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP_NS}urlset"
    locs = [u.findtext(f"{SITEMAP_NS}loc") for u in root]
    counts = web_fixture.store.counts()
    assert sum("/article/" in (loc or "") for loc in locs) == counts["articles"]
    assert sum("/story/" in (loc or "") for loc in locs) == counts["stories"]
    assert "http://testserver/" in locs
