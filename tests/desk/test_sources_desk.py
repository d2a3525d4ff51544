"""Adding a source from the desk (feed discovery, a preview of what extraction gives, then
confirmation) and per-source extraction rules with a live preview, against a replay publisher
on loopback serving a shared corpus day."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_client import EDITOR, log_in, session_csrf
from fastapi.testclient import TestClient

from marsad.follow import FollowOptions, fetch_once
from marsad.ingest.fetch import Fetcher, FetchOptions
from marsad.models import RawArticle, Source
from marsad.replay.server import ReplayConfig, RunningReplay, load_articles, start_replay
from marsad.settings import Settings
from marsad.store import Store
from marsad.web import create_app
from marsad.web.desk import DeskConfig

DAY = "2015-07-21.zip"
LOOPBACK = frozenset({"127.0.0.1"})


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> list[RawArticle]:
    """The first four articles of okaz and of sabq on a shared day."""
    day = load_articles([shared_dir / "corpus" / "saudinewsnet" / DAY])
    return [a for s in ("okaz", "sabq") for a in [r for r in day if r.source == s][:4]]


@pytest.fixture()
def publisher(records: list[RawArticle]) -> Iterator[RunningReplay]:
    server = start_replay(records, ReplayConfig())
    yield server
    server.close()


@pytest.fixture()
def loopback_desk(store: Store, desk_app: Any) -> Any:
    """The site with its fetcher allowed to reach loopback, as `MARSAD_ALLOW_HOSTS` allows it
    (desk_app has made the accounts)."""
    settings = Settings(allow_private_hosts=LOOPBACK)
    return create_app(settings, store=store, desk=DeskConfig())


def _editor(app: Any) -> tuple[TestClient, str]:
    client = TestClient(app)
    assert log_in(client, EDITOR).status_code == 303
    return client, session_csrf(client)


def _words(text: str, n: int = 8) -> str:
    return " ".join(text.split()[:n])


def test_adding_a_site_previews_its_latest_items_then_follows_only_once_confirmed(
    loopback_desk: Any, store: Store, publisher: RunningReplay, records: list[RawArticle]
) -> None:
    editor, csrf = _editor(loopback_desk)
    asked = editor.post("/desk/sources/add", data={"csrf": csrf, "url": f"{publisher.url}/okaz/"})
    assert asked.status_code == 200, asked.text
    page = _words(html.unescape(asked.text), 10**6)
    assert f"{publisher.url}/okaz/feed.xml" in page and "هل أنت متأكد" in page
    okaz = [r for r in records if r.source == "okaz"]
    previewed = [r for r in okaz if r.title in page]
    assert len(previewed) == 3  # the feed's latest three items
    for r in previewed:  # the first words of the cleaned text, with the author
        assert _words(r.text) in page and _words(html.unescape(r.author or "")) in page
    assert store.get_source("okaz") is None  # nothing followed before confirming

    form = {"csrf": csrf, "feed_url": f"{publisher.url}/okaz/feed.xml", "slug": "okaz"}
    done = editor.post("/desk/sources/add", data={**form, "name": "عكاظ", "confirm": "yes"})
    assert done.status_code == 200 and "أُضيف المصدر «عكاظ»" in done.text
    added = store.get_source("okaz")
    assert added is not None and added.feed_url == f"{publisher.url}/okaz/feed.xml"
    assert added.site_url == f"{publisher.url}/okaz/"
    entry = store.audit_entries(limit=1)[0][0]
    assert (entry.actor, entry.action, entry.target) == (EDITOR, "add_source", "source:okaz")

    again = editor.post("/desk/sources/add", data={**form, "slug": "okaz2", "confirm": "yes"})
    assert again.status_code == 409 and "متابَع أصلًا باسم «okaz»" in again.text
    assert (
        "متابَعة أصلًا"
        in editor.post(
            "/desk/sources/add", data={"csrf": csrf, "url": f"{publisher.url}/okaz/feed.xml"}
        ).text
    )


def test_adding_is_refused_in_words_without_csrf_off_the_web_or_on_loopback(
    desk_app: Any, loopback_desk: Any, store: Store, publisher: RunningReplay
) -> None:
    editor, csrf = _editor(loopback_desk)
    forged = editor.post("/desk/sources/add", data={"url": f"{publisher.url}/okaz/"})
    assert forged.status_code == 403 and "CSRF" in forged.text
    confirmed = {"feed_url": f"{publisher.url}/okaz/feed.xml", "slug": "okaz", "confirm": "yes"}
    assert editor.post("/desk/sources/add", data=confirmed).status_code == 403
    for url in ("ftp://example.com/feed", "javascript:alert(1)", ""):
        refused = editor.post("/desk/sources/add", data={"csrf": csrf, "url": url})
        assert refused.status_code == 422 and "ليس عنوان موقع أو خلاصة" in refused.text
    bad_slug = editor.post("/desk/sources/add", data={**confirmed, "csrf": csrf, "slug": "ع"})
    assert bad_slug.status_code == 422 and "الاسم المختصر" in bad_slug.text
    not_feed = editor.post(
        "/desk/sources/add", data={"csrf": csrf, "url": f"{publisher.url}/sources.opml"}
    )
    assert not_feed.status_code == 422 and "تعذّر الوصول إلى خلاصة" in not_feed.text

    # The site's own settings allow no private host: the fetcher refuses loopback.
    plain, plain_csrf = _editor(desk_app)
    refused = plain.post("/desk/sources/add", data={"csrf": plain_csrf, "url": publisher.url})
    assert refused.status_code == 422 and "تعذّر الوصول إلى خلاصة" in refused.text
    refused = plain.post("/desk/sources/add", data={**confirmed, "csrf": plain_csrf})
    assert refused.status_code == 422
    assert store.list_sources() == [] and store.audit_entries()[1] == 0


def _okaz(store: Store, publisher: RunningReplay) -> None:
    store.upsert_source(Source("okaz", "عكاظ", f"{publisher.url}/okaz/feed.xml"))
    store.upsert_source(Source("sabq", "سبق", f"{publisher.url}/sabq/feed.xml"))


def test_rules_preview_shows_the_latest_page_by_default_and_with_the_rules(
    loopback_desk: Any, store: Store, publisher: RunningReplay, records: list[RawArticle]
) -> None:
    _okaz(store, publisher)
    editor, _ = _editor(loopback_desk)
    empty = editor.get("/desk/sources/okaz/rules")
    assert empty.status_code == 200 and "أحدث صفحة:" not in empty.text  # nothing fetched yet
    shown = editor.get("/desk/sources/okaz/rules", params={"body": "", "drop": "div.post-body"})
    assert shown.status_code == 200, shown.text
    page = _words(html.unescape(shown.text), 10**6)
    # The default extraction gives the latest item's text; these rules remove it all.
    titles = [r for r in records if r.source == "okaz" and r.title in page]
    assert len(titles) == 1
    latest = titles[0]
    assert _words(latest.text, 30) in page
    assert "لا نص: no article text" in page
    assert store.get_source("okaz").options == {}  # a preview changes nothing

    kept = editor.get(
        "/desk/sources/okaz/rules",
        params={"body": "div.post-body", "drop": "aside\n.share-buttons"},
    )
    assert _words(html.unescape(kept.text), 10**6).count(_words(latest.text, 30)) == 2

    # A title selector: the rules' title is the text of the element it picks.
    byline = editor.get(
        "/desk/sources/okaz/rules", params={"body": "", "drop": "", "title": "span.author"}
    )
    headings = re.findall(r'<h3 dir="auto">([^<]*)</h3>', byline.text)
    assert [html.unescape(h) for h in headings] == [
        latest.title,
        _words(latest.author or "", 99),
    ]


def test_rules_are_kept_logged_and_applied_when_the_source_is_fetched(
    loopback_desk: Any, store: Store, publisher: RunningReplay, records: list[RawArticle]
) -> None:
    _okaz(store, publisher)
    editor, csrf = _editor(loopback_desk)
    forged = editor.post("/desk/sources/okaz/rules", data={"drop": "div.post-body"})
    assert forged.status_code == 403 and store.get_source("okaz").options == {}
    done = editor.post(
        "/desk/sources/okaz/rules",
        data={"csrf": csrf, "drop": "div.post-body", "title": "h1.post-title"},
    )
    assert done.status_code == 200 and "حُفظت قواعد الاستخلاص" in done.text
    kept = {"rules": {"title": "h1.post-title", "drop": ["div.post-body"]}}
    assert store.get_source("okaz").options == kept
    entry = store.audit_entries(limit=1)[0][0]
    assert (entry.action, entry.target, entry.before) == (
        "set_source_rules",
        "source:okaz",
        {"rules": None},
    )
    shown = editor.get("/desk/sources/okaz/rules")
    assert "div.post-body" in shown.text and "(خاصة)" in editor.get("/desk/sources").text

    options = FetchOptions(allowed_hosts=LOOPBACK, per_host_delay=0.0, total_timeout=10.0)

    async def once() -> None:
        async with Fetcher(options) as fetcher:
            await fetch_once(store, fetcher, FollowOptions(), learn=False)

    asyncio.run(once())
    stored = {a.article.source for a in store.iter_articles()}
    # okaz's pages lose their body to its rules and give no article; sabq's are stored.
    assert stored == {"sabq"}

    back = editor.post("/desk/sources/okaz/rules", data={"csrf": csrf, "body": "", "drop": ""})
    assert "عاد الاستخلاص إلى قواعده الافتراضية" in back.text
    assert store.get_source("okaz").options == {}


@pytest.mark.parametrize(
    ("body", "drop", "words"),
    [
        ("div:nth-child(2)", "", "محدد لا يفهمه الاستخلاص"),
        ("div[class='a' or '1'='1']", "", "محدد لا يفهمه الاستخلاص"),
        ("", "aside\n<script>", "محدد لا يفهمه الاستخلاص"),
        ("div " * 2000, "", "أطول من 200"),
        ("", "p\n" * 50, "أكثر من 20"),
        (",".join(["p"] * 30), "", "أكثر من 10"),
    ],
)
def test_hostile_selectors_are_refused_in_words(
    loopback_desk: Any, store: Store, publisher: RunningReplay, body: str, drop: str, words: str
) -> None:
    _okaz(store, publisher)
    editor, csrf = _editor(loopback_desk)
    shown = editor.get("/desk/sources/okaz/rules", params={"body": body, "drop": drop})
    assert shown.status_code == 200 and words in html.unescape(shown.text)
    assert "أحدث صفحة:" not in shown.text
    saved = editor.post("/desk/sources/okaz/rules", data={"csrf": csrf, "body": body, "drop": drop})
    assert saved.status_code == 422 and words in html.unescape(saved.text)
    assert store.get_source("okaz").options == {} and store.audit_entries()[1] == 0
