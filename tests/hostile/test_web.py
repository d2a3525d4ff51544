"""Hostile records and requests against the site: no page goes down, nothing active goes out.

Issue 15, items 5, 9, 10 and 11 and the smaller ones: a record stored with a date at the edge
of the calendar, markup in every text that reaches the RSS out, javascript: links in a page,
ids past what a backend holds, NUL in addresses, errors and HEAD requests.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from html import escape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from store_writes import create_story, save_enrichments, update_story

from marsad.ingest.extract import extract
from marsad.models import Article, Enrichment, RawArticle, StoryChange
from marsad.pipeline import normalize
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.search import TOTAL_CAP
from marsad.web import create_app

MARKUP = "<script>alert(1)</script><b onmouseover=alert(2)>"


@pytest.fixture()
def site(store: Store, okaz: list[RawArticle]) -> Iterator[tuple[TestClient, list[int], int]]:
    """The site over a store holding real articles with hostile dates and names, in a story."""
    moments = [
        datetime(9999, 12, 31, 22, 30, tzinfo=UTC),
        datetime(1, 1, 1, 0, 30, tzinfo=UTC),
        None,
    ]
    batch = []
    for raw, moment in zip(okaz, moments, strict=False):
        found = normalize(replace(raw, source_name=f"عكاظ {MARKUP}"))
        assert isinstance(found, Article)
        # Stored past normalize, which would drop such dates: an older store may hold them.
        batch.append(replace(found, published_at=moment))
    ids = [i for i in store.add_articles(batch) if i is not None]
    title = f"قصة {MARKUP}"
    story = create_story(store, title)
    save_enrichments(store, [(i, Enrichment(["مكة المكرمة"], story_id=story)) for i in ids])
    now = datetime.now(UTC)
    change = StoryChange(title, ids[0], now, f"ملخص {MARKUP}", new_summary=True)
    update_story(store, story, change)
    app = create_app(Settings(), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, ids, story


def test_dates_at_the_edge_of_the_calendar_take_no_page_down(
    site: tuple[TestClient, list[int], int],
) -> None:
    client, ids, story = site
    paths = ["/", f"/story/{story}", "/source/okaz", "/feed.xml", "/source/okaz/feed.xml"]
    paths += [f"/article/{i}" for i in ids] + [f"/api/v1/articles/{i}" for i in ids]
    paths += ["/api/v1/stories", "/api/v1/articles", "/sitemap.xml", f"/story/{story}/feed.xml"]
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert "9999" in client.get(f"/article/{ids[0]}").text


def test_every_text_in_the_rss_out_is_escaped_alike(
    site: tuple[TestClient, list[int], int],
) -> None:
    client, _, story = site
    for path in [f"/story/{story}/feed.xml", "/source/okaz/feed.xml", "/feed.xml"]:
        root = ET.fromstring(client.get(path).content)
        channel = root.find("channel")
        assert channel is not None
        texts = [channel.findtext("title") or "", channel.findtext("description") or ""]
        texts += [node.text or "" for node in root.iter("source")]
        texts += [node.text or "" for node in root.iter("title")]
        # After XML decoding no text holds a tag a feed reader could run, only its escape.
        assert all("<" not in text for text in texts), (path, texts)
        assert any("&lt;script&gt;" in text for text in texts), (path, texts)


@pytest.mark.parametrize(
    "path",
    [
        "/article/2147483648",
        "/article/9223372036854775808",
        "/story/18446744073709551616",
        "/story/99999999999999999999/feed.xml",
        "/api/v1/articles/2147483648",
        "/api/v1/stories/18446744073709551616",
        "/tag/%00",
        "/tag/%00/feed.xml",
        "/source/%00",
        "/source/%00/feed.xml",
        "/source/a%00b",
        "/api/v1/tags/%00",
    ],
)
def test_ids_out_of_range_and_nul_addresses_are_404(
    path: str, site: tuple[TestClient, list[int], int]
) -> None:
    client, _, _ = site
    response = client.get(path)
    assert response.status_code == 404, (path, response.text[:300])
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_searching_for_nul_answers(site: tuple[TestClient, list[int], int]) -> None:
    client, _, _ = site
    for path in ["/search?q=%00", "/api/v1/search?q=%00", "/search?q=%D9%85%00%D9%83"]:
        assert client.get(path).status_code == 200, path


def test_a_server_error_carries_the_security_headers(store: Store) -> None:
    app: FastAPI = create_app(Settings(), store=store)

    def broken() -> None:
        raise RuntimeError("a bug marsad did not foresee")

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    assert response.status_code == 500
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "RuntimeError" not in response.text  # nothing of the failure is shown to readers


def test_pages_and_feeds_answer_head(site: tuple[TestClient, list[int], int]) -> None:
    client, ids, _ = site
    for path in ["/", f"/article/{ids[0]}", "/feed.xml", "/sources", "/api/v1/articles"]:
        head, get = client.head(path), client.get(path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert "content-security-policy" in head.headers
    assert client.head("/article/999999").status_code == 404


def test_the_schema_allows_only_search_offsets_the_api_accepts(
    site: tuple[TestClient, list[int], int],
) -> None:
    client, _, _ = site
    schema = client.get("/openapi.json").json()
    params = schema["paths"]["/api/v1/search"]["get"]["parameters"]
    offset = next(p for p in params if p["name"] == "offset")
    assert offset["schema"]["maximum"] == TOTAL_CAP - 1
    assert client.get(f"/api/v1/search?q=x&offset={TOTAL_CAP - 1}").status_code == 200
    assert client.get(f"/api/v1/search?q=x&offset={TOTAL_CAP}").status_code == 422


def test_javascript_canonical_and_image_are_not_taken(okaz: list[RawArticle]) -> None:
    article = okaz[0]
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n") if p.strip())
    page = (
        '<html><head><link rel="canonical" href="javascript:alert(document.cookie)">'
        '<meta property="og:url" content="http://[::1">'
        '<meta property="og:image" content="javascript:alert(1)"></head>'
        f"<body><article><h1>{escape(article.title)}</h1>{paragraphs}</article></body></html>"
    )
    found = extract(page, "https://www.okaz.com.sa/article/1")
    assert found.url == "https://www.okaz.com.sa/article/1"
    assert found.image is None
    assert article.text.split()[0] in found.text
    good = page.replace("javascript:alert(1)", "/img/a.jpg")
    assert extract(good, "https://www.okaz.com.sa/article/1").image == (
        "https://www.okaz.com.sa/img/a.jpg"
    )
