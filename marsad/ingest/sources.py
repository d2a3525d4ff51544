"""Finding a source's feed and naming it: a feed URL, or a site page that advertises one."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from marsad.ingest.failures import FetchError, Reason
from marsad.ingest.feeds import Feed, feed_links, parse_feed
from marsad.ingest.fetch import Fetcher

_FEED_WORDS = {"feed", "feeds", "rss", "atom", "rss2", "xml", "index", "home", "ar", "arabic"}
_GENERIC_LABELS = {
    "www",
    "m",
    "ar",
    "arabic",
    "news",
    "feeds",
    "rss",
    "feed",
    "co",
    "com",
    "net",
    "org",
    "gov",
    "edu",
    "ac",
}


@dataclass(frozen=True)
class Discovered:
    """A feed found for a URL: its address, the parsed feed and the page it came from."""

    feed_url: str
    feed: Feed
    site_url: str | None


async def discover(fetcher: Fetcher, url: str) -> Discovered:
    """The feed at a URL, or the first feed a page at that URL advertises."""
    result = await fetcher.fetch(url)
    content_type = result.headers.get("content-type")
    try:
        return Discovered(
            result.final_url, parse_feed(result.body, result.final_url, content_type), None
        )
    except FetchError as error:
        if error.kind is not Reason.NOT_A_FEED:
            raise
    links = feed_links(result.decoded().text, result.final_url)
    if not links:
        raise FetchError(Reason.NOT_A_FEED, "the page advertises no feed")
    for link in links:
        found = await fetcher.fetch(link)
        try:
            feed = parse_feed(found.body, found.final_url, found.headers.get("content-type"))
        except FetchError:
            continue
        return Discovered(found.final_url, feed, result.final_url)
    raise FetchError(Reason.NOT_A_FEED, "no advertised feed parses")


def slug_for(url: str, taken: Collection[str] = ()) -> str:
    """A short ASCII name for a source: the site's name in its host, else its first path part.

    `https://www.alriyadh.com/rss` gives `alriyadh`; on an address or localhost (the replay
    publisher) the first path segment names the site: `http://127.0.0.1:8000/sabq/feed.xml`
    gives `sabq`. A taken name gets a number.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s and s.lower() not in _FEED_WORDS]
    segments = [s for s in segments if not re.search(r"\.(xml|rss|atom|json|php|aspx?)$", s, re.I)]
    if _is_address(host) or host == "localhost" or "." not in host:
        base = segments[0] if segments else host
    else:
        labels = [x for x in host.split(".")[:-1] if x not in _GENERIC_LABELS]
        base = labels[-1] if labels else host.split(".")[0]
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "source"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _is_address(host: str) -> bool:
    """Whether a host is an IP address."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
