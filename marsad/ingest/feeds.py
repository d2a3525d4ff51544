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

import feedparser
import lxml.html

from marsad.arabic.normalize import remove_unsafe
from marsad.ingest.charset import UndecodableError, decode
from marsad.ingest.dates import parse_date, plausible
from marsad.ingest.failures import FetchError, Reason
from marsad.urls import canonical_url, web_url

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
_BAD_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _charref(found: re.Match[str]) -> str:
    """A character reference as written, or nothing when it names a character XML forbids
    (NUL, controls, a lone surrogate, past U+10FFFF): feedparser's loose parser raises on
    `&#xD800;` and a NUL would reach the store."""
    code = int(found.group(1), 16) if found.group(1) else int(found.group(2))
    allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF
    return found.group(0) if allowed and code not in (0xFFFE, 0xFFFF) else ""


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
    """Parse RSS, Atom or JSON Feed bytes; raise FetchError(not a feed) for anything else.

    Every entry's link is an http(s) URL that parses (entries without one are dropped) and
    every publish time is plausible (an implausible one is dropped, so the page's own is used).
    """
    try:
        text = decode(body, content_type).text
    except UndecodableError as exc:
        raise FetchError(Reason.UNDECODABLE, str(exc)) from exc
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _parse_json_feed(stripped, url)
    # Decoded already (with the charset checked), so hand feedparser UTF-8 and say so.
    text = _BAD_CHARREF.sub(_charref, _XML_DECLARATION.sub("", text, count=1))
    try:
        parsed = feedparser.parse(
            text.encode("utf-8"),
            response_headers={
                "content-type": "application/xml; charset=utf-8",
                "content-location": url,
            },
        )
    except (UnicodeError, ValueError, RecursionError) as exc:
        raise FetchError(Reason.NOT_A_FEED, f"unreadable XML ({type(exc).__name__})") from exc
    if not parsed.get("version") and not parsed.entries:
        raise FetchError(Reason.NOT_A_FEED, _what_it_is(stripped))
    entries = [entry for raw in parsed.entries if (entry := _entry(raw, url)) is not None]
    meta = parsed.get("feed", {})
    return Feed(
        title=_clean(meta.get("title")),
        site_url=web_url(meta.get("link"), url),
        entries=entries,
        malformed=bool(parsed.get("bozo")),
    )


def _entry(raw: Any, base: str) -> FeedEntry | None:
    """A FeedEntry from a feedparser entry; None when it has no http(s) link that parses."""
    candidates = [raw.get("link")] + [x.get("href") for x in raw.get("links", [])]
    link = next((u for c in candidates if (u := web_url(c, base)) is not None), None)
    if link is None:
        return None
    title = _clean(raw.get("title"))
    published = _entry_time(raw)
    content = raw.get("content") or []
    return FeedEntry(
        guid=entry_id(_clean(raw.get("id")), link, title, published),
        link=link,
        title=title,
        published_at=published,
        author=_clean(raw.get("author")) or None,
        summary=_clean(raw.get("summary")) or None,
        content_html=(_clean(content[0].get("value")) or None) if content else None,
    )


def _entry_time(raw: Any) -> datetime | None:
    """The entry's publish (else update) time: feedparser's reading, else our date chain."""
    for key in ("published", "updated", "created"):
        parsed = raw.get(f"{key}_parsed")
        found = None
        if parsed:
            try:
                found = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, OSError, ValueError):
                found = None
        elif raw.get(key):
            found = parse_date(str(raw.get(key)))
        if found is not None and plausible(found):
            return found
    return None


def entry_id(guid: Any, link: str, title: str, published: datetime | None) -> str:
    """The entry's GUID, else its canonical link, else a hash of its title and date."""
    if isinstance(guid, str) and guid.strip():
        return guid.strip()[:2000]
    if link and web_url(link):
        return canonical_url(link)
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}".encode()).hexdigest()


def _parse_json_feed(text: str, url: str) -> Feed:
    """A JSON Feed (jsonfeed.org, version 1 or 1.1)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # bad JSON, nesting too deep, huge numbers
        raise FetchError(Reason.NOT_A_FEED, "JSON that does not parse") from exc
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FetchError(Reason.NOT_A_FEED, "JSON that is not a JSON Feed")
    entries = []
    items = data.get("items")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        link = web_url(_text(item.get("url")), url) or web_url(_text(item.get("external_url")), url)
        if link is None:
            continue
        title = _text(item.get("title"))
        when = _text(item.get("date_published")) or _text(item.get("date_modified"))
        published = parse_date(when) if when else None
        if published is not None and not plausible(published):
            published = None
        authors = item.get("authors") or [item.get("author")]
        authors = authors if isinstance(authors, list) else []
        names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
        names = [n for n in names if n]
        entries.append(
            FeedEntry(
                guid=entry_id(_text(item.get("id")), link, title, published),
                link=link,
                title=title,
                published_at=published,
                author=", ".join(names) or None,
                summary=_text(item.get("summary")) or _text(item.get("content_text")) or None,
                content_html=_text(item.get("content_html")) or None,
            )
        )
    home = web_url(_text(data.get("home_page_url")), url)
    return Feed(_text(data.get("title")), home, entries)


def _clean(value: Any) -> str:
    """A feed's text as stripped text without NUL, controls or lone surrogates ('' if none).

    `&#xD800;` or `\\u0000` in a feed decode to characters no store, hash or page can take.
    """
    return remove_unsafe(value).strip() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    """A JSON Feed field as clean text: numbers as written, lists and objects as nothing."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


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
        feed = web_url(href, base_url) if "alternate" in rel and kind in FEED_TYPES else None
        if feed is not None:
            found.append(feed)
    return list(dict.fromkeys(found))


def _what_it_is(text: str) -> str:
    """A few words on what a non-feed body looks like, for the failure's detail."""
    head = text[:512].lower()
    if "<html" in head or "<!doctype html" in head:
        return "an HTML page"
    if not head.strip():
        return "an empty body"
    return "unrecognised content"
