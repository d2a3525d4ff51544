"""A real Chromium reads the site: home, a story, an article, a tag and a search, as a reader would.

It checks what a reader sees (right-to-left layout, the sections, links that lead somewhere)
and saves screenshots (to MARSAD_SCREENSHOTS when set, e.g. docs/screenshots, else tmp).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.replay.server import ReplayConfig, start_replay
from marsad.settings import Settings
from marsad.store import Store, open_store
from marsad.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def site(web_fixture: Any) -> Iterator[str]:
    """The site served by uvicorn on a free loopback port, in a background thread."""
    with serve(create_app(Settings(db_url=web_fixture.db_url), store=web_fixture.store)) as url:
        yield url


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """An app served by uvicorn on a free loopback port, in a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go."""
    wanted = os.environ.get("MARSAD_SCREENSHOTS")
    path = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def assert_rtl(page: Any) -> None:
    """The page is laid out right to left: root dir, computed direction, brand on the right."""
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    brand = page.locator("header.site .brand").bounding_box()
    search = page.locator("header.site form.search").bounding_box()
    assert brand["x"] > search["x"], "the site name sits at the right, the search box left of it"


def assert_links_work(page: Any, site: str, limit: int = 25) -> None:
    """Every distinct internal link on the page (up to a limit) answers 200."""
    hrefs = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    for href in list(dict.fromkeys(hrefs))[:limit]:
        if href.startswith("/docs"):
            continue
        response = page.request.get(site + href)
        assert response.status == 200, href


def test_reader_journey(browser: Any, site: str, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    assert page.goto(site + "/").status == 200
    assert_rtl(page)
    for heading in ("أهم القصص", "الأكثر تداولًا خلال 24 ساعة", "آخر الأخبار"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".story-card").count() >= 3
    page.screenshot(path=str(shots / "home.png"))
    assert_links_work(page, site)

    page.locator(".story-card h3 a").first.click()
    page.wait_for_load_state()
    assert "/story/" in page.url
    assert_rtl(page)
    assert page.locator("text=المصدر:").count() >= 2
    assert page.get_by_role("heading", name="كلمات دلالية").is_visible()
    page.screenshot(path=str(shots / "story.png"))
    assert_links_work(page, site)

    page.locator("article.lead h2 a").click()
    page.wait_for_load_state()
    assert "/article/" in page.url
    assert_rtl(page)
    for heading in ("كلمات دلالية", "اقرأ أيضًا", "مقالات مشابهة"):
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.locator("p.meta .label", has_text="المصدر:").is_visible()
    original = page.locator("a.source.original").first.get_attribute("href")
    assert original.startswith("http") and site not in original
    page.screenshot(path=str(shots / "article.png"), full_page=True)
    assert_links_work(page, site)

    page.locator(".keyphrases .tags a").first.click()
    page.wait_for_load_state()
    assert "/tag/" in page.url and page.locator(".card").count() >= 1
    context.close()


def test_search_from_the_header(browser: Any, site: str, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("searchbox").fill("ايران")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search?q=" in page.url
    assert_rtl(page)
    marks = page.locator(".search-results mark")
    assert marks.count() >= 1
    assert any("إيران" in t or "يران" in t for t in marks.all_inner_texts())
    page.screenshot(path=str(shots / "search.png"))
    page.locator(".search-results .card h3 a").first.click()
    page.wait_for_load_state()
    assert "/article/" in page.url
    context.close()


def test_article_on_a_phone(browser: Any, site: str, shots: Path, web_fixture: Any) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, locale="ar"
    )
    page = context.new_page()
    story = web_fixture.stories["اليمن"]
    page.goto(f"{site}/story/{story}")
    page.locator("article.lead h2 a").click()
    page.wait_for_load_state()
    assert_rtl(page)
    # Readable on a phone: nothing wider than the screen, body text at a readable size.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.text p')).fontSize)")
    assert size >= 16
    page.screenshot(path=str(shots / "article-phone.png"))
    context.close()


# Sources whose replay pages carry a picture (og:image, twitter:image or a figure).
PICTURED = ("okaz", "alweeam", "almadina", "aljazirah", "aleqtisadiya", "aawsat", "sabq", "alwatan")


@pytest.fixture(scope="module")
def pictured_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A corpus day's slice stored and enriched, each article with the picture its replay page
    shows (the address the extractor reads from the page)."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    records = [r for r in read_records(day) if isinstance(r, RawArticle) and r.source in PICTURED]
    records = [r for r in records if len(r.text) > 400][:400]
    replay = start_replay(records, ReplayConfig())
    pictures: dict[str, str] = {}
    for source in PICTURED:
        feed = httpx.get(f"{replay.url}/{source}/feed.xml").text
        for guid, link in re.findall(r"<guid[^>]*>([^<]+)</guid>\s*<link>([^<]+)</link>", feed):
            pictures[guid] = link.replace(".html", ".png")
        for link, guid in re.findall(
            r"<link>([^<]+\.html)</link>\s*<guid[^>]*>([^<]+)</guid>", feed
        ):
            pictures[guid] = link.replace(".html", ".png")
    assert len(pictures) > len(records) / 2
    with_pictures = [RawArticle(**{**r.__dict__, "image": pictures.get(r.url)}) for r in records]
    url = f"sqlite:///{tmp_path_factory.mktemp('pictures') / 'm.db'}"
    store = open_store(url)
    ingest(store, with_pictures, start_enrichment(store))
    try:
        yield store
    finally:
        store.close()
        replay.close()


def test_story_page_shows_pictures(browser: Any, pictured_store: Store, shots: Path) -> None:
    settings = Settings(
        db_url=str(pictured_store.engine.url),
        image_proxy=True,
        allow_private_hosts=frozenset({"127.0.0.1"}),
    )
    app = create_app(settings, store=pictured_store)
    with serve(app) as site:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
        page = context.new_page()
        assert page.goto(site + "/").status == 200
        assert page.locator(".story-card img.picture").count() >= 1
        page.locator(".story-card h3 a").first.click()
        page.wait_for_load_state("networkidle")
        assert "/story/" in page.url
        # The story with the most pictured reports (the newest one-report stories lead the
        # home page of this slice, so its first card may show one picture).
        pictured = Counter(
            a.enrichment.story_id
            for a in pictured_store.iter_articles()
            if a.article.image and a.enrichment.duplicate_of is None and a.enrichment.story_id
        )
        widest, reports = pictured.most_common(1)[0]
        assert reports >= 3
        assert page.goto(f"{site}/story/{widest}").status == 200
        page.wait_for_load_state("networkidle")
        assert "/story/" in page.url
        pictures = page.locator("article img.picture")
        assert pictures.count() >= 2
        # Lazy pictures load as the reader scrolls to them.
        for img in pictures.all()[:4]:
            img.scroll_into_view_if_needed()
            img.element_handle().wait_for_element_state("visible")
            page.wait_for_function(
                "e => e.complete && e.naturalWidth > 0", arg=img.element_handle()
            )
        first = pictures.first
        assert first.get_attribute("loading") == "lazy"
        assert first.get_attribute("referrerpolicy") == "no-referrer"
        assert first.get_attribute("alt")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(shots / "story-pictures.png"), full_page=False)
        context.close()
