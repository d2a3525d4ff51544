"""Feeds out: RSS 2.0 of the latest articles, of a tag, a story and a source; sitemap.xml."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from marsad.store import ArticleCard
from marsad.web.pages import Id
from marsad.web.snippets import excerpt
from marsad.web.templating import tag_url

if TYPE_CHECKING:
    from marsad.store import Storage

router = APIRouter(include_in_schema=False)
ITEMS = 50
RSS_TYPE = "application/rss+xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Characters XML 1.0 forbids; a publisher's stray control byte must not break the feed.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _store(request: Request) -> Storage:
    """The app's store."""
    store: Storage = request.app.state.web.store
    return store


def _base(request: Request) -> str:
    """The site's absolute base URL as the client reached it."""
    return str(request.base_url).rstrip("/")


def _text(text: str) -> str:
    """Any text that goes into the RSS out, escaped one way everywhere.

    Feed readers take RSS titles, descriptions and source names as HTML, so publisher text is
    HTML-escaped first (a "<script>" typed in a title is shown, never run); ElementTree then
    escapes that for XML, and characters XML 1.0 forbids are dropped.
    """
    return _NOT_XML_RE.sub("", html.escape(text, quote=False))


def rss(title: str, link: str, description: str, items: Sequence[ArticleCard], base: str) -> bytes:
    """An RSS 2.0 document of these articles (ElementTree escapes every text)."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = _text(title)
    ET.SubElement(channel, "link").text = link
    ET.SubElement(channel, "description").text = _text(description)
    ET.SubElement(channel, "language").text = "ar"
    ET.SubElement(channel, "generator").text = "marsad"
    dates = [a.published_at for a in items if a.published_at]
    if dates:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(max(dates))
    for a in items:
        item = ET.SubElement(channel, "item")
        page = f"{base}/article/{a.id}"
        ET.SubElement(item, "title").text = _text(a.title)
        ET.SubElement(item, "link").text = page
        ET.SubElement(item, "guid", isPermaLink="true").text = page
        ET.SubElement(item, "description").text = _text(excerpt(a.excerpt, 300))
        if a.published_at:
            ET.SubElement(item, "pubDate").text = format_datetime(a.published_at.astimezone(UTC))
        source = ET.SubElement(
            item, "source", url=f"{base}/source/{quote(a.source, safe='')}/feed.xml"
        )
        source.text = _text(a.source_name)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def _rss_response(body: bytes) -> Response:
    """An RSS response."""
    return Response(body, media_type=RSS_TYPE)


@router.get("/feed.xml")
async def latest_feed(request: Request) -> Response:
    """The latest articles."""
    base = _base(request)
    items = _store(request).latest_articles(ITEMS).items
    return _rss_response(rss("مرصد: آخر الأخبار", f"{base}/", "آخر الأخبار العربية", items, base))


@router.get("/tag/{phrase:path}/feed.xml")
async def tag_feed(request: Request, phrase: str) -> Response:
    """The latest articles carrying a keyphrase."""
    store, base = _store(request), _base(request)
    found = store.find_tag(phrase)
    if found is None:
        raise HTTPException(404, "tag not found")
    items = store.articles_by_tag(phrase, ITEMS).items
    link = base + tag_url(found.display)
    return _rss_response(rss(f"مرصد: {found.display}", link, found.display, items, base))


@router.get("/story/{story_id}/feed.xml")
async def story_feed(request: Request, story_id: Id) -> Response:
    """A story's articles, newest first."""
    store, base = _store(request), _base(request)
    story = store.get_story(story_id)
    if story is None:
        raise HTTPException(404, "story not found")
    cards = store.article_cards(store.story_article_ids(story_id))
    items = sorted(cards, key=_newest_first)[:ITEMS]
    link = f"{base}/story/{story_id}"
    return _rss_response(
        rss(f"مرصد: {story.title}", link, story.summary or story.title, items, base)
    )


@router.get("/source/{slug}/feed.xml")
async def source_feed(request: Request, slug: str) -> Response:
    """A source's latest articles."""
    store, base = _store(request), _base(request)
    found = store.source_by_slug(slug)
    if found is None:
        raise HTTPException(404, "source not found")
    items = store.articles_by_source(found.id, ITEMS).items
    link = f"{base}/source/{quote(found.slug, safe='')}"
    return _rss_response(rss(f"مرصد: {found.name}", link, found.name, items, base))


def _newest_first(card: ArticleCard) -> tuple[float, int]:
    """Sort key: newest first, undated last."""
    stamp = card.published_at.timestamp() if card.published_at else float("-inf")
    return (-stamp, -card.id)


@router.get("/sitemap.xml")
async def sitemap(request: Request) -> Response:
    """Every page worth indexing: home, sources, stories and the newest articles."""
    store, base = _store(request), _base(request)
    found_articles, found_stories = store.sitemap_entries()
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    _url(root, f"{base}/", None)
    for s in store.public_sources():
        _url(root, f"{base}/source/{quote(s.slug, safe='')}", None)
    for story_id, updated in found_stories:
        _url(root, f"{base}/story/{story_id}", updated)
    for article_id, published in found_articles:
        _url(root, f"{base}/article/{article_id}", published)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
    return Response(body, media_type="application/xml")


def _url(root: ET.Element, loc: str, at: datetime | None) -> None:
    """Add one <url> to a sitemap."""
    node = ET.SubElement(root, "url")
    ET.SubElement(node, "loc").text = loc
    if at is not None:
        ET.SubElement(node, "lastmod").text = at.date().isoformat()
