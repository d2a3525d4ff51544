"""A real Chromium at a phone's size logs in to the desk, hides an article, merges two stories
and bans a tag, confirming each, and sees each take effect on the public pages."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import uvicorn
from desk_client import EDITOR, PASSWORDS
from store_writes import create_story, save_enrichments, update_story

from marsad.ingest.importers import read_records
from marsad.models import Enrichment, RawArticle, StoryChange
from marsad.pipeline import ingest
from marsad.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
PHRASES = ("اليمن", "إيران", "الرياض", "جدة", "داعش")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def _serve(app: Any) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _fill(store: Store, shared_dir: Path) -> tuple[list[int], list[int], str]:
    """Real articles in two stories of three each, tagged with phrases their texts hold; the
    two stories' article ids and the commonest phrase."""
    taken: Counter[str] = Counter()
    kept = []
    for record in read_records(shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"):
        if isinstance(record, RawArticle) and taken[record.source] < 4:
            taken[record.source] += 1
            kept.append(record)
    ingest(store, kept)
    found = list(store.iter_articles())
    one, two = [a.id for a in found[:3]], [a.id for a in found[3:6]]
    first, second = (
        create_story(store, found[0].article.title),
        create_story(store, found[3].article.title),
    )
    phrases = {a.id: [p for p in PHRASES if p in a.article.text] for a in found}
    save_enrichments(
        store,
        [
            (
                a.id,
                Enrichment(
                    phrases[a.id],
                    story_id=first if a.id in one else second if a.id in two else None,
                ),
            )
            for a in found
        ],
    )
    for story, ids in ((first, one), (second, two)):
        lead = next(a for a in found if a.id == ids[0])
        update_story(
            store, story, StoryChange(lead.article.title, lead.id, lead.article.published_at)
        )
    common = Counter(p for ps in phrases.values() for p in ps).most_common(1)[0][0]
    return one, two, common


def _confirm(page: Any, button: str) -> None:
    """Press an action's button, then confirm it; the result page says it was done."""
    page.get_by_role("button", name=button).click()
    assert "هل أنت متأكد" in page.locator("h1").inner_text()
    page.get_by_role("button", name="نعم، نفّذ").click()
    assert page.locator("h1").inner_text() == "تم"


def test_an_editor_hides_merges_and_bans_from_a_phone(
    desk_app: Any, store: Store, shared_dir: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    one, two, banned = _fill(store, shared_dir)
    first, second = store.get_article(one[0]), store.get_article(two[0])
    assert (
        first is not None
        and second is not None
        and first.enrichment.story_id
        and second.enrichment.story_id
    )
    hidden = store.get_article(one[1])
    assert hidden is not None
    serving = _serve(desk_app)
    site = next(serving)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_context(
                viewport={"width": 390, "height": 844}, locale="ar"
            ).new_page()
            page.goto(site + "/desk")
            assert page.url.endswith("/desk/login")
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
            page.get_by_label("اسم المستخدم").fill(EDITOR)
            page.get_by_label("كلمة المرور").fill(PASSWORDS[EDITOR])
            page.get_by_role("button", name="دخول").click()
            assert page.url.endswith("/desk") and EDITOR in page.locator("h1").inner_text()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, "the desk fits a phone's width"

            assert page.goto(f"{site}/story/{first.enrichment.story_id}").status == 200
            assert hidden.article.title in page.content()
            page.goto(f"{site}/desk/article/{hidden.id}")
            _confirm(page, "إخفاء المقال")
            assert page.goto(f"{site}/article/{hidden.id}").status == 404
            page.goto(f"{site}/story/{first.enrichment.story_id}")
            assert hidden.article.title not in page.content()

            page.goto(f"{site}/desk/story/{second.enrichment.story_id}")
            page.get_by_label("في القصة").fill(str(first.enrichment.story_id))
            _confirm(page, "دمج القصتين")
            # The merged-away story's address now leads to the survivor, holding its articles.
            assert page.goto(f"{site}/story/{second.enrichment.story_id}").status == 200
            assert page.url == f"{site}/story/{first.enrichment.story_id}"
            assert second.article.title in page.content()

            assert page.goto(f"{site}/tag/{quote(banned)}").status == 200
            page.goto(f"{site}/desk/tags?tag={quote(banned)}")
            _confirm(page, "حظر الوسم")
            assert page.goto(f"{site}/tag/{quote(banned)}").status == 404
            tagged = next(a for a in (first, second) if banned in a.enrichment.keyphrases)
            page.goto(f"{site}/article/{tagged.id}")
            assert f'href="/tag/{quote(banned, safe="")}"' not in page.content()
            page.screenshot(path=str(tmp_path / "desk.png"))
            browser.close()
    finally:
        next(serving, None)
