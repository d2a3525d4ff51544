"""Hostile feeds through the whole pipeline to every page and feed out.

The replay publisher serves real corpus pages, each site's feed replaced by one of our own
hostile feeds (tests/fixtures/hostile/feeds: markup, entities and XXE, malformed XML, Atom
xml:base tricks, a JSON Feed of wrong types, windows-1256 declared UTF-8, UTF-16 with a BOM)
through its `hostile-feed` misbehaviour. `marsad fetch --once` follows them all, enrichment on;
then the site is crawled from its home page, every page and feed linked and the API lists, on
both backends: everything answers, nothing active comes out, every URL served is http(s).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from marsad.cli import main
from marsad.models import RawArticle, Source
from marsad.replay.server import ReplayConfig, RunningReplay, load_articles, start_replay
from marsad.settings import Settings
from marsad.store import Store
from marsad.urls import web_url
from marsad.web import create_app

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile" / "feeds"
TYPES = {
    "markup.xml": "application/rss+xml; charset=utf-8",
    "entities.xml": "application/rss+xml; charset=utf-8",
    "malformed.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
    "windows-1256.xml": "application/rss+xml; charset=utf-8",  # a wrong declaration
    "utf-16.xml": "application/rss+xml",
}
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "img", "base"}
MAX_PAGES = 400
# The site's own files and its API docs (Swagger UI runs its own script, under its own CSP).
OWN_PAGES = ("//", "/static", "/docs", "/redoc", "/openapi.json")


class Page(HTMLParser):
    """The elements, attributes and links of a page."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(body)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def day(shared_dir: Path) -> list[RawArticle]:
    return load_articles([shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"])


@pytest.fixture()
def publisher(day: list[RawArticle]) -> Iterator[tuple[RunningReplay, dict[str, str]]]:
    """Replay sites, each serving one hostile feed over three real article pages."""
    sources = sorted({a.source for a in day})
    assert len(sources) >= len(TYPES)
    chosen = dict(zip(TYPES, sources, strict=False))
    records = [a for s in chosen.values() for a in [x for x in day if x.source == s][:3]]
    config = ReplayConfig(
        misbehave={s: frozenset({"hostile-feed"}) for s in chosen.values()},
        hostile_feeds={s: ((FEEDS / f).read_bytes(), TYPES[f]) for f, s in chosen.items()},
    )
    with start_replay(records, config) as server:
        yield server, chosen


def test_hostile_feeds_reach_no_reader_as_markup(
    publisher: tuple[RunningReplay, dict[str, str]],
    db_url: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, chosen = publisher
    for slug in chosen.values():
        store.upsert_source(Source(slug, slug, f"{server.url}/{slug}/feed.xml"))
    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["fetch", "--once", "--allow-host", "127.0.0.1", "--delay", "0"]) == 0
    out = capsys.readouterr().out
    health = {s.slug: s for s in store.list_sources()}
    # Every feed but the cut-off one is read; each names only http(s) pages that parse.
    for name, slug in chosen.items():
        assert health[slug].last_status is not None, name
        if name != "malformed.xml":
            assert health[slug].last_status.startswith("ok"), (name, health[slug].last_status)
    stored = list(store.iter_articles())
    assert len(stored) >= 10, out
    for article in stored:
        assert web_url(article.article.url) == article.article.url
        assert (
            article.article.published_at is None
            or 1990 <= article.article.published_at.year <= 2100
        )
        assert "\x00" not in article.article.title + article.article.text

    client = TestClient(create_app(Settings(), store=store), raise_server_exceptions=False)
    crawled = crawl(client)
    assert any(p.startswith("/article/") for p in crawled) and any(
        "/feed.xml" in p for p in crawled
    )
    assert any(p.startswith("/story/") for p in crawled) and any(
        p.startswith("/tag/") for p in crawled
    )

    for path in ["/api/v1/articles?limit=100", "/api/v1/stories?limit=100", "/api/v1/sources"]:
        response = client.get(path)
        assert response.status_code == 200, path
        for url in json_urls(response.json()):
            assert web_url(url) == url, (path, url)

    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["export"]) == 0
    for line in capsys.readouterr().out.splitlines():
        record = json.loads(line)
        assert web_url(record["url"]) == record["url"]
        assert record.get("image") is None or web_url(record["image"]) is not None


def crawl(client: TestClient) -> set[str]:
    """Every page and feed reachable from the home page and the sitemap, checked as it goes."""
    todo, seen = ["/", "/sitemap.xml", "/sources", "/feed.xml"], set()
    while todo and len(seen) < MAX_PAGES:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        assert "default-src 'none'" in response.headers["content-security-policy"]
        kind = response.headers["content-type"]
        links = (
            check_xml(response.content, path) if "xml" in kind else check_html(response.text, path)
        )
        todo += [p for p in links if p not in seen]
    return seen


def check_html(body: str, where: str) -> list[str]:
    """No active element, no handler, no javascript: link; the site's own links to follow."""
    links = []
    for tag, attrs in Page(body).tags:
        assert tag not in ACTIVE_TAGS, (where, tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), where
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("/"):
            if not href.startswith(OWN_PAGES):
                links.append(href.split("#")[0])
        elif tag == "a" and href not in ("", "#"):
            assert web_url(href) is not None, (where, href)
    return links


def check_xml(body: bytes, where: str) -> list[str]:
    """Every text escaped (no tag after XML decoding), every link http(s): the links to follow."""
    root = ET.fromstring(body)
    links = []
    for node in root.iter():
        text = node.text or ""
        if node.tag.endswith(("link", "loc", "guid")):
            assert web_url(text.strip()) is not None, (where, text)
            links.append(urlsplit(text.strip()).path)
        else:
            assert "<" not in text, (where, node.tag, text)
        for value in node.attrib.values():
            if value.startswith(("http", "javascript", "data")):
                assert web_url(value) is not None, (where, value)
    return [p for p in links if p and not p.startswith("/static")]


def json_urls(data: object) -> Iterator[str]:
    """Every `url` (and `image`) value in an API answer."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "image") and isinstance(value, str):
                yield value
            else:
                yield from json_urls(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_urls(value)
