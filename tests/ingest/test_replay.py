"""The replay publisher as a client sees it: sites, feeds, pages, OPML, a clock."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from marsad.ingest.extract import canonical_link
from marsad.ingest.feeds import feed_links, parse_feed
from marsad.ingest.opml import parse_opml
from marsad.models import RawArticle
from marsad.replay.server import RunningReplay, parse_misbehaviour

Start = Callable[..., RunningReplay]


def test_each_source_is_a_site_with_a_feed_pages_and_an_opml_entry(
    replay: Start, sample: list[RawArticle]
) -> None:
    server = replay()
    feeds = parse_opml(httpx.get(f"{server.url}/sources.opml").content)
    assert sorted(f.xml_url for f in feeds) == [
        f"{server.url}/{s}/feed.xml" for s in ("aawsat", "okaz", "sabq")
    ]
    home = httpx.get(f"{server.url}/sabq/").text
    assert feed_links(home, f"{server.url}/sabq/") == [f"{server.url}/sabq/feed.xml"]

    feed = parse_feed(httpx.get(f"{server.url}/sabq/feed.xml").content, server.url)
    sabq = sorted((a for a in sample if a.source == "sabq"), key=lambda a: (a.published_at, a.url))
    assert [e.guid for e in feed.entries] == [a.url for a in reversed(sabq)]  # newest first
    page = httpx.get(feed.entries[-1].link).text
    import lxml.html

    assert canonical_link(lxml.html.fromstring(page), "x") == sabq[0].url
    furniture = [
        ("اقرأ أيضا", "إقرأ أيضاً"),
        ("مقالات مشابهة", "أخبار ذات صلة"),
        ("كلمات دلالية",),
        ("شارك:",),
        ("التعليقات المنشورة",),
        ("جميع الحقوق محفوظة",),
    ]
    for variants in furniture:
        assert any(v in page for v in variants), variants


def test_with_speed_articles_appear_in_publish_order(
    replay: Start, sample: list[RawArticle]
) -> None:
    okaz = sorted((a for a in sample if a.source == "okaz"), key=lambda a: (a.published_at, a.url))
    assert okaz[0].published_at and okaz[-1].published_at
    span = (okaz[-1].published_at - okaz[0].published_at).total_seconds()
    # The whole slice plays out in about 4 s of real time.
    server = replay(okaz, speed=span / 4, start=okaz[0].published_at)
    early = httpx.get(f"{server.url}/okaz/{len(okaz)}.html").status_code
    counts: list[int] = []
    deadline = time.monotonic() + 20
    while (not counts or counts[-1] < len(okaz)) and time.monotonic() < deadline:
        feed = parse_feed(httpx.get(f"{server.url}/okaz/feed.xml").content, server.url)
        counts.append(len(feed.entries))
        time.sleep(0.3)
    assert early == 404  # the last article is not out yet
    assert 1 <= counts[0] < counts[-1] == len(okaz)
    assert counts == sorted(counts)
    assert httpx.get(f"{server.url}/okaz/{len(okaz)}.html").status_code == 200


def test_misbehaviour_options_parse_and_unknown_ones_fail() -> None:
    assert parse_misbehaviour(["sabq=slow,5xx", "okaz=robots"]) == {
        "sabq": frozenset({"slow", "5xx"}),
        "okaz": frozenset({"robots"}),
    }
    with pytest.raises(ValueError, match="unknown misbehaviour"):
        parse_misbehaviour(["sabq=explode"])


def test_full_content_feed_can_be_trusted(replay: Start, sample: list[RawArticle]) -> None:
    server = replay(misbehave={"okaz": frozenset({"full-content"})})
    feed = parse_feed(httpx.get(f"{server.url}/okaz/feed.xml").content, server.url)
    assert all(e.content_html and "<p>" in e.content_html for e in feed.entries)
