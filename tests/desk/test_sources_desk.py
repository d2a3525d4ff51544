"""Adding a source from the desk (feed discovery, a preview of what extraction gives, then
confirmation) and per-source extraction rules with a live preview, against a replay publisher
on loopback serving a shared corpus day."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_client import EDITOR, log_in, session_csrf
from fastapi.testclient import TestClient

from marsad.models import RawArticle
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
