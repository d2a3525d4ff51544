"""Feeds of every kind into entries: one fixture file per case, expectations in cases.json."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from marsad.ingest.failures import FetchError
from marsad.ingest.feeds import FeedEntry, feed_links, parse_feed

FEEDS = Path(__file__).parent.parent / "fixtures" / "ingest" / "feeds"
CASES: dict[str, Any] = {
    k: v for k, v in json.loads((FEEDS / "cases.json").read_text("utf-8")).items() if k[0] != "_"
}


def _check(entry: FeedEntry, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        found = getattr(entry, key)
        if isinstance(found, datetime):
            found = found.isoformat() if key != "published_at" else _utc_or_given(found, value)
        assert found == value, f"{key}: {found!r} != {value!r}"


def _utc_or_given(found: datetime, expected: str) -> str:
    """Compare times as instants: render found in the expected string's offset."""
    return found.astimezone(datetime.fromisoformat(expected).tzinfo).isoformat()


@pytest.mark.parametrize("name", sorted(CASES))
def test_feed_case(name: str) -> None:
    case = CASES[name]
    body = (FEEDS / name).read_bytes()
    url = "https://news.example.sa/feed"
    if "error" in case:
        with pytest.raises(FetchError) as caught:
            parse_feed(body, url)
        assert caught.value.reason == case["error"]
        return
    feed = parse_feed(body, url)
    assert len(feed.entries) == case["entries"], case["description"]
    assert feed.malformed == case.get("malformed", feed.malformed)
    _check(feed.entries[0], case["first"])
    if "second" in case:
        _check(feed.entries[1], case["second"])


def test_guid_falls_back_to_title_and_date_without_a_link() -> None:
    from marsad.ingest.feeds import entry_id

    first = entry_id(None, "", "عنوان", None)
    assert first.startswith("sha1:") and first != entry_id(None, "", "عنوان آخر", None)


def test_site_page_advertises_its_feeds() -> None:
    html = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" type="text/html" hreflang="en" href="/en/">'
        '<link rel="alternate" type="application/atom+xml" href="https://x.example/atom"></head></html>'
    )
    assert feed_links(html, "https://x.example/ar/") == [
        "https://x.example/rss.xml",
        "https://x.example/atom",
    ]
