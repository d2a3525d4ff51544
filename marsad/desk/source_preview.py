"""What a source would give before the desk follows it or changes its rules: its feed, found
from a site or feed URL, and its latest pages extracted, fetched through marsad's own fetcher
(robots, size and time limits, no private or loopback host unless the settings allow it)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from marsad.desk.refusal import Refused
from marsad.ingest.extract import Extracted, extract
from marsad.ingest.failures import FetchError
from marsad.ingest.fetch import Fetcher, FetchOptions
from marsad.ingest.rules import Rules, SelectorError, rules_for, rules_from_data
from marsad.ingest.sources import Discovered, discover

# Items of the feed whose pages the preview fetches and extracts.
PREVIEW_ITEMS = 3
# Words of each page's cleaned text shown in a preview.
PREVIEW_WORDS = 40
# Limits on an editor's selectors: longer or more are refused, not tried.
MAX_SELECTOR = 200
MAX_DROP = 20
MAX_ALTERNATIVES = 10


@dataclass(frozen=True)
class PagePreview:
    """One feed item as extraction would store it, or why it could not be extracted."""

    link: str
    title: str
    words: str = ""
    author: str | None = None
    published_at: datetime | None = None
    problem: str | None = None
    text: str = ""


@dataclass(frozen=True)
class SourcePreview:
    """A feed found for a URL and its latest items extracted."""

    found: Discovered
    pages: tuple[PagePreview, ...]


async def preview_source(
    options: FetchOptions, url: str, rules: Rules | None = None, items: int = PREVIEW_ITEMS
) -> SourcePreview:
    """The feed at (or advertised by) a URL and its first items' pages extracted, with the
    given rules or, without, the rules extraction would use for each page's host."""
    async with Fetcher(options) as fetcher:
        found = await discover(fetcher, url)
        entries = found.feed.entries[:items]
        pages = [await _page(fetcher, e.link, e.title, rules) for e in entries]
    return SourcePreview(found, tuple(pages))


async def _page(fetcher: Fetcher, link: str, title: str, rules: Rules | None) -> PagePreview:
    try:
        result = await fetcher.fetch(link)
        html, final = result.decoded().text, result.final_url
    except FetchError as error:
        return PagePreview(link, title, problem=str(error))
    return await _extracted(html, final, title, rules or rules_for(final))


async def preview_rules(
    options: FetchOptions, feed_url: str, rules: Rules | None
) -> tuple[PagePreview, PagePreview] | None:
    """The source's latest page extracted by default and with the rules (None: the defaults),
    or None when the feed has no items."""
    async with Fetcher(options) as fetcher:
        found = await discover(fetcher, feed_url)
        if not found.feed.entries:
            return None
        entry = found.feed.entries[0]
        result = await fetcher.fetch(entry.link)
    html, final = result.decoded().text, result.final_url
    default = await _extracted(html, final, entry.title, rules_for(final))
    return default, await _extracted(html, final, entry.title, rules or rules_for(final))


async def _extracted(html: str, url: str, title: str, rules: Rules) -> PagePreview:
    try:
        page = await asyncio.to_thread(extract, html, url, rules)
    except FetchError as error:
        return PagePreview(url, title, problem=str(error))
    except (ValueError, RecursionError, MemoryError, LookupError) as exc:
        return PagePreview(url, title, problem=f"extraction: {type(exc).__name__}")
    return preview_of(page, title)


def desk_rules(body: str, drop: str, title: str = "") -> dict[str, object] | None:
    """Rules typed on the desk (a body selector, a title selector; selectors to remove, one a
    line) as a
    source's options keep them; None when both are empty; refused in words when a selector
    is too long, too many, or outside the CSS subset extraction understands."""
    body, title = body.strip(), title.strip()
    removed = [line.strip() for line in drop.splitlines() if line.strip()]
    if len(removed) > MAX_DROP:
        raise Refused(f"عدد محددات الحذف أكثر من {MAX_DROP}", 422)
    for selector in [body, title, *removed]:
        if len(selector) > MAX_SELECTOR:
            raise Refused(f"المحدد أطول من {MAX_SELECTOR} حرفًا", 422)
        if selector.count(",") >= MAX_ALTERNATIVES:
            raise Refused(f"المحدد يجمع أكثر من {MAX_ALTERNATIVES} بدائل", 422)
    data: dict[str, object] = {}
    if body:
        data["body"] = body
    if title:
        data["title"] = title
    if removed:
        data["drop"] = removed
    if not data:
        return None
    try:
        rules_from_data(data)
    except SelectorError as error:
        raise Refused(f"محدد لا يفهمه الاستخلاص: {error}", 422) from error
    return data


def preview_of(page: Extracted, title: str = "") -> PagePreview:
    """A page's preview: its title, author, date and the first words of its text."""
    words = page.text.split()
    shown = " ".join(words[:PREVIEW_WORDS]) + (" …" if len(words) > PREVIEW_WORDS else "")
    return PagePreview(
        page.url,
        page.title or title,
        shown,
        page.author,
        page.published_at,
        text=page.text,
    )
