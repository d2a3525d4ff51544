"""Feeds into entries: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

Each entry gets a stable id: its GUID, else its canonical link, else a hash of title and date.
A page that is not a feed may still name one in `<link rel="alternate">`; `feed_links` finds it.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.html

from marsad.ingest.charset import decode
from marsad.ingest.dates import parse_date
from marsad.ingest.failures import FetchError, Reason
from marsad.urls import canonical_url

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "text/xml",
    "application/xml",
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: where the article is and what the feed says about it."""

    guid: str
    link: str
    title: str
    published_at: datetime | None = None
    author: str | None = None
    summary: str | None = None
    content_html: str | None = None


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, the site it belongs to and its entries."""

    title: str
    site_url: str | None
    entries: list[FeedEntry]
    malformed: bool = False


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """Parse RSS, Atom or JSON Feed bytes; raise FetchError(not a feed) for anything else."""
    text = decode(body, content_type).text
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _parse_json_feed(stripped, url)
    # Decoded already (with the charset checked), so hand feedparser UTF-8 and say so.
    utf8 = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
    parsed = feedparser.parse(
        utf8,
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
    )
    if not parsed.get("version") and not parsed.entries:
        raise FetchError(Reason.NOT_A_FEED, _what_it_is(stripped))
    entries = [entry for raw in parsed.entries if (entry := _entry(raw, url)) is not None]
    meta = parsed.get("feed", {})
    return Feed(
        title=str(meta.get("title", "")).strip(),
        site_url=meta.get("link"),
        entries=entries,
        malformed=bool(parsed.get("bozo")),
    )


def _entry(raw: Any, base: str) -> FeedEntry | None:
    """A FeedEntry from a feedparser entry; None when it has no link at all."""
    link = raw.get("link") or ""
    if not link:
        links = [x.get("href") for x in raw.get("links", []) if x.get("href")]
        link = links[0] if links else ""
    if not link:
        return None
    link = urljoin(base, link.strip())
    title = str(raw.get("title", "")).strip()
    published = _entry_time(raw)
    content = raw.get("content") or []
    return FeedEntry(
        guid=entry_id(raw.get("id"), link, title, published),
        link=link,
        title=title,
        published_at=published,
        author=(str(raw.get("author", "")).strip() or None),
        summary=(str(raw.get("summary", "")).strip() or None),
        content_html=(str(content[0].get("value", "")) or None) if content else None,
    )


def _entry_time(raw: Any) -> datetime | None:
    """The entry's publish (else update) time: feedparser's reading, else our date chain."""
    for key in ("published", "updated", "created"):
        parsed = raw.get(f"{key}_parsed")
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        if raw.get(key):
            found = parse_date(str(raw.get(key)))
            if found is not None:
                return found
    return None


def entry_id(guid: Any, link: str, title: str, published: datetime | None) -> str:
    """The entry's GUID, else its canonical link, else a hash of its title and date."""
    if isinstance(guid, str) and guid.strip():
        return guid.strip()
    if link:
        return canonical_url(link)
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}".encode()).hexdigest()


def _parse_json_feed(text: str, url: str) -> Feed:
    """A JSON Feed (jsonfeed.org, version 1 or 1.1)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FetchError(Reason.NOT_A_FEED, "JSON that does not parse") from exc
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FetchError(Reason.NOT_A_FEED, "JSON that is not a JSON Feed")
    entries = []
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url") or ""
        if not link:
            continue
        link = urljoin(url, str(link))
        title = str(item.get("title") or "").strip()
        when = item.get("date_published") or item.get("date_modified")
        published = parse_date(str(when)) if when else None
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
        entries.append(
            FeedEntry(
                guid=entry_id(str(item.get("id") or ""), link, title, published),
                link=link,
                title=title,
                published_at=published,
                author=", ".join(names) or None,
                summary=item.get("summary") or item.get("content_text"),
                content_html=item.get("content_html"),
            )
        )
    return Feed(str(data.get("title") or ""), data.get("home_page_url"), entries)


def feed_links(html: str, base_url: str) -> list[str]:
    """Feeds a page advertises with `<link rel="alternate" type="application/rss+xml">`."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = link.get("href")
        if "alternate" in rel and kind in FEED_TYPES and href:
            found.append(urljoin(base_url, href.strip()))
    return list(dict.fromkeys(found))


def _what_it_is(text: str) -> str:
    """A few words on what a non-feed body looks like, for the failure's detail."""
    head = text[:512].lower()
    if "<html" in head or "<!doctype html" in head:
        return "an HTML page"
    if not head.strip():
        return "an empty body"
    return "unrecognised content"
