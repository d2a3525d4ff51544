"""One hostile source never ends a run: each failure is recorded against it, in words.

Every test feeds marsad what a hostile publisher on loopback sends (issue 15, items 1-4 and 8
and the smaller ones) next to a good source serving real corpus articles, and checks both the
hostile source's record and that the good one was fetched.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest
from hostile_servers import Answer, HostileServer, RawServer

from marsad.cli import main
from marsad.follow import FollowOptions, SourceReport, fetch_once
from marsad.ingest.fetch import Fetcher, FetchOptions
from marsad.models import RawArticle, Source
from marsad.replay.server import RunningReplay
from marsad.store import Store

RSS = "application/rss+xml; charset=utf-8"
LOOPBACK = ["--allow-host", "127.0.0.1", "--delay", "0", "--per-host", "4"]


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS 2.0 feed of (title, link, pubDate) items; the texts are XML-escaped here."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        + (f"<pubDate>{escape(d)}</pubDate>" if d else "")
        + "</item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>hostile</title>'
        f"<link>http://127.0.0.1/</link>{body}</channel></rss>"
    ).encode()


async def once(
    store: Store, fetching: FetchOptions, options: FollowOptions | None = None
) -> list[SourceReport]:
    """fetch_once with a fetcher of these options."""
    async with Fetcher(fetching) as fetcher:
        return await fetch_once(store, fetcher, options or FollowOptions())


def follow(store: Store, slug: str, feed_url: str) -> None:
    store.upsert_source(Source(slug, slug, feed_url))


def due_in(store: Store, slug: str) -> float:
    """Seconds until the source's next check."""
    due = store.get_source(slug).next_check_at  # type: ignore[union-attr]
    assert due is not None
    return ((due if due.tzinfo else due.replace(tzinfo=UTC)) - datetime.now(UTC)).total_seconds()


def test_an_undecodable_feed_is_that_sources_failure_only(
    hostile: HostileServer,
    publisher: RunningReplay,
    okaz: list[RawArticle],
    db_url: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    noise = random.Random(15).randbytes(50_000)
    hostile.routes["/noise/feed.xml"] = Answer(200, noise, {"Content-Type": RSS})
    follow(store, "aaa-noise", f"{hostile.url}/noise/feed.xml")  # listed first
    follow(store, "okaz", f"{publisher.url}/okaz/feed.xml")
    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["fetch", "--once", "--no-enrich", *LOOPBACK]) == 0
    assert "2 sources, " in capsys.readouterr().out
    health = {s.slug: s for s in store.list_sources()}
    assert (health["aaa-noise"].last_status or "").startswith("undecodable")
    assert health["aaa-noise"].consecutive_errors == 1
    assert health["okaz"].article_count == len(okaz)


@pytest.mark.parametrize(
    "retry_after",
    ["1000000000000", "9" * 20, "100000000000", "Fri, 31 Dec 9999 23:59:59 GMT"],
)
async def test_retry_after_never_parks_a_source_past_the_longest_backoff(
    retry_after: str, hostile: HostileServer, store: Store, loopback: FetchOptions
) -> None:
    hostile.routes["/slow/feed.xml"] = Answer(429, b"slow down", {"Retry-After": retry_after})
    follow(store, "slow", f"{hostile.url}/slow/feed.xml")
    options = FollowOptions(interval=60, max_backoff=3600)
    (report,) = await once(store, loopback, options)
    assert not report.ok and report.status.startswith("blocked")
    assert 3500 < due_in(store, "slow") <= 3600
    assert hostile.hits["/slow/feed.xml"] == 1  # a wait past max_retry_after is not retried


async def test_items_naming_bad_urls_are_dropped_and_the_rest_stored(
    hostile: HostileServer, publisher: RunningReplay, store: Store, loopback: FetchOptions
) -> None:
    good = f"{publisher.url}/okaz/1.html"
    bad = ["http://[::1", "http://a:b:c/", "http://127.0.0.1:99999/", "javascript:alert(1)"]
    items = [(f"item {i}", link, None) for i, link in enumerate(bad)] + [("good", good, None)]
    hostile.routes["/mixed/feed.xml"] = Answer(200, rss(items), {"Content-Type": RSS})
    follow(store, "mixed", f"{hostile.url}/mixed/feed.xml")
    (report,) = await once(store, loopback)
    assert report.ok and report.entries == 1 and report.stored == 1
    (article,) = store.iter_articles()
    assert article.article.url.startswith("http://www.okaz.com.sa/")  # the page's canonical URL


@pytest.mark.parametrize("location", ["http://[::1", "http://a:b:c/", "http://127.0.0.1:99999/x"])
async def test_a_redirect_to_a_bad_url_is_refused_once_in_words(
    location: str, hostile: HostileServer, store: Store, loopback: FetchOptions
) -> None:
    hostile.routes["/moved/feed.xml"] = Answer(302, b"", {"Location": location})
    follow(store, "moved", f"{hostile.url}/moved/feed.xml")
    (report,) = await once(store, loopback)
    assert report.status.startswith("bad URL (bad Location header: "), report.status
    assert hostile.hits["/moved/feed.xml"] == 1


@pytest.mark.parametrize(
    "reply", [b"ICY 200 OK\r\nicy-name: radio\r\n\r\n", b"SSH-2.0-OpenSSH_9.2\r\n\r\n"]
)
async def test_a_server_that_is_not_http_is_not_a_truncated_body(
    reply: bytes, raw_server: object, store: Store, loopback: FetchOptions
) -> None:
    server: RawServer = raw_server(reply)  # type: ignore[operator]
    follow(store, "ssh", f"{server.url}/feed.xml")
    (report,) = await once(store, loopback)
    assert report.status.startswith("not an HTTP response"), report.status
    assert server.connections == 1


async def test_new_entries_per_check_are_capped_newest_first(
    hostile: HostileServer, store: Store, loopback: FetchOptions
) -> None:
    start = datetime(2015, 7, 21, tzinfo=UTC)
    items = [
        (f"item {i}", f"{hostile.url}/p/{i}.html", format_datetime(start + timedelta(minutes=i)))
        for i in range(300)
    ]
    hostile.routes["/big/feed.xml"] = Answer(200, rss(items), {"Content-Type": RSS})
    follow(store, "big", f"{hostile.url}/big/feed.xml")
    (report,) = await once(store, replace(loopback, retries=0), FollowOptions(max_new_entries=5))
    assert report.entries == 300 and report.deferred == 295
    assert "295 more left for the next check" in report.status
    fetched = sorted(
        int(p.split("/")[2].split(".")[0]) for p in hostile.hits if p.startswith("/p/")
    )
    assert fetched == [295, 296, 297, 298, 299]
    assert store.get_source("big").last_status == report.status  # type: ignore[union-attr]


async def test_nul_and_far_future_dates_in_a_feed_are_cleaned_on_both_backends(
    hostile: HostileServer, publisher: RunningReplay, store: Store, loopback: FetchOptions
) -> None:
    link = f"{publisher.url}/okaz/2.html"
    feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "t\\u0000", "items": [{'
        f'"id": "x\\u0000", "url": "{link}", "title": "عنوان\\u0000 الخبر\\ud800",'
        '"date_published": "9999-12-31T22:30:00+00:00"}]}'
    )
    hostile.routes["/nul/feed.json"] = Answer(
        200, feed.encode(), {"Content-Type": "application/json"}
    )
    follow(store, "nul", f"{hostile.url}/nul/feed.json")
    (report,) = await once(store, loopback)
    assert report.ok and report.stored == 1, report
    (article,) = store.iter_articles()
    assert article.article.title == "عنوان الخبر"
    assert article.article.published_at is None or article.article.published_at.year == 2015


@pytest.mark.parametrize("url", ["http://[::1", "http://a:b:c/", "http://127.0.0.1:99999/"])
def test_sources_add_refuses_a_bad_url_in_words(
    url: str, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["sources", "add", url, "--allow-host", "127.0.0.1"]) == 1
    assert "not an http(s) URL" in capsys.readouterr().err


def test_import_opml_follows_only_what_sources_add_would(
    tmp_path: object,
    db_url: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pathlib import Path

    bad = ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.example/f", "news.example/rss"]
    bad += ["http://[::1", "http://a:b:c/", "http://127.0.0.1:99999/"]
    outlines = [*bad, "https://news.example/rss.xml"]
    body = "".join(f'<outline text="t" xmlUrl="{escape(u)}"/>' for u in outlines)
    path = Path(str(tmp_path)) / "list.opml"
    path.write_text(f'<opml version="2.0"><body>{body}</body></opml>', encoding="utf-8")
    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["sources", "import-opml", str(path)]) == 0
    out = capsys.readouterr()
    assert "1 feeds followed, 7 refused" in out.out
    assert out.err.count("not an http(s) URL") == 7
    assert [s.feed_url for s in store.list_sources()] == ["https://news.example/rss.xml"]


async def test_a_utf16_page_with_its_bom_is_read(
    hostile: HostileServer, okaz: list[RawArticle], store: Store, loopback: FetchOptions
) -> None:
    article = okaz[0]
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n") if p.strip())
    page = (
        f"<html><body><article><h1>{escape(article.title)}</h1>{paragraphs}</article></body></html>"
    )
    for codec in ("utf-16-be", "utf-16-le"):
        hostile.routes[f"/{codec}.html"] = Answer(
            200, ("\ufeff" + page).encode(codec), {"Content-Type": "text/html"}
        )
    items = [(article.title, f"{hostile.url}/{c}.html", None) for c in ("utf-16-be", "utf-16-le")]
    hostile.routes["/u16/feed.xml"] = Answer(200, rss(items), {"Content-Type": RSS})
    follow(store, "u16", f"{hostile.url}/u16/feed.xml")
    (report,) = await once(store, loopback)
    assert report.stored == 2, report
    assert all(article.text.split()[0] in a.article.text for a in store.iter_articles())


def test_the_entry_cap_is_a_setting(
    hostile: HostileServer,
    db_url: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    items = [(f"item {i}", f"{hostile.url}/p/{i}.html", None) for i in range(10)]
    hostile.routes["/ten/feed.xml"] = Answer(200, rss(items), {"Content-Type": RSS})
    follow(store, "ten", f"{hostile.url}/ten/feed.xml")
    monkeypatch.setenv("MARSAD_DB", db_url)
    monkeypatch.setenv("MARSAD_MAX_NEW_ENTRIES", "3")
    assert main(["fetch", "--once", "--no-enrich", *LOOPBACK]) == 0
    assert "7 more left for the next check" in capsys.readouterr().out
    monkeypatch.setenv("MARSAD_MAX_NEW_ENTRIES", "lots")
    assert main(["fetch", "--once", "--no-enrich", *LOOPBACK]) == 2
    assert "MARSAD_MAX_NEW_ENTRIES must be a positive whole number" in capsys.readouterr().err
