"""Every HTML page: status, right-to-left markup, the sections a reader expects, paging, links."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, unquote

from fastapi.testclient import TestClient


class Page(HTMLParser):
    """The parts of a page the tests look at: the html element, links, headings, dir=auto."""

    def __init__(self, body: str) -> None:
        super().__init__()
        self.html_attrs: dict[str, str | None] = {}
        self.links: list[str] = []
        self.headings: list[str] = []
        self.auto_dir: dict[str, int] = {}
        self._in_heading = False
        self.feed(body)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_attrs = found
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if found.get("dir") == "auto":
            self.auto_dir[tag] = self.auto_dir.get(tag, 0) + 1
        if tag in ("h1", "h2"):
            self._in_heading = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings[-1] += data.strip()


def get_page(client: TestClient, path: str, status: int = 200) -> Page:
    """Fetch a page, check its status and RTL root, and parse it."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.html_attrs.get("lang") == "ar" and page.html_attrs.get("dir") == "rtl"
    return page


def test_home_shows_top_stories_trending_and_latest(client: TestClient, web_fixture: Any) -> None:
    page = get_page(client, "/")
    assert page.headings[:3] == ["أهم القصص", "الأكثر تداولًا خلال 24 ساعة", "آخر الأخبار"]
    story_links = [link for link in page.links if link.startswith("/story/")]
    assert {f"/story/{i}" for i in web_fixture.stories.values()} & set(story_links)
    assert any(link.startswith("/tag/") for link in page.links)
    assert sum(link.startswith("/article/") for link in page.links) >= 20
    assert page.auto_dir.get("h3", 0) >= 20


def test_home_ranks_stories_by_sources(client: TestClient, web_fixture: Any) -> None:
    ranked = client.get("/api/v1/stories?sort=top&limit=100").json()["items"]
    # Within the 48-hour window of one corpus day, a story with more sources comes first
    # unless it is much older; the top story is among the widest.
    widest = max(s["source_count"] for s in ranked)
    assert ranked[0]["source_count"] >= widest - 1


def test_article_page_has_the_seed_sections(client: TestClient, web_fixture: Any) -> None:
    story_id = web_fixture.stories["اليمن"]
    article_id = client.get(f"/api/v1/stories/{story_id}").json()["articles"][0]["id"]
    api = client.get(f"/api/v1/articles/{article_id}").json()
    response = client.get(f"/article/{article_id}")
    page = get_page(client, f"/article/{article_id}")
    body = response.text
    assert "المصدر:" in body
    assert f'href="{api["url"]}"' in body  # the source's name links to the original
    assert "كلمات دلالية" in page.headings
    assert "اقرأ أيضًا" in page.headings and "مقالات مشابهة" in page.headings
    assert re.search(
        r"<time datetime=\"2015-07-2\dT[^\"]+\">[^<]*(يوليو) 2015، \d+:\d\d [صم]</time>", body
    )
    for phrase in api["keyphrases"]:
        assert "/tag/" + quote(phrase, safe="") in page.links
    assert f"/article/{api['read_also']['id']}" in page.links
    assert api["read_also"]["story_id"] != api["story_id"]
    assert page.auto_dir.get("p", 0) >= 2 and page.auto_dir.get("h1") == 1


def test_story_page_lists_articles_in_time_order(client: TestClient, web_fixture: Any) -> None:
    story_id = web_fixture.stories["اليمن"]
    data = client.get(f"/api/v1/stories/{story_id}").json()
    page = get_page(client, f"/story/{story_id}")
    body = client.get(f"/story/{story_id}").text
    titles = [a["title"] for a in data["articles"]]
    positions = [body.find(t.replace('"', "&#34;")) for t in titles]
    assert all(p > 0 for p in positions), "every article of the story is on its page"
    assert positions == sorted(positions), "in publish order"
    assert body.count("المصدر:") == len(titles)
    assert "كلمات دلالية" in page.headings and "الملخص" in page.headings
    summary = web_fixture.store.get_story(story_id).summary
    assert summary and html.escape(summary, quote=False) in body
    times = [a["published_at"] for a in data["articles"]]
    assert times == sorted(times)


def test_story_page_gives_coverage_by_source_and_a_timeline(
    client: TestClient, web_fixture: Any
) -> None:
    story_id = web_fixture.stories["اليمن"]
    data = client.get(f"/api/v1/stories/{story_id}").json()
    page = get_page(client, f"/story/{story_id}")
    body = client.get(f"/story/{story_id}").text
    assert len(data["articles"]) >= 2, "the fixture story gathers several articles"
    assert "التغطية حسب المصدر" in page.headings and "التسلسل الزمني" in page.headings
    coverage = body[body.index('id="h-coverage"') : body.index('id="h-timeline"')]
    counts: dict[str, int] = {}
    for a in data["articles"]:
        counts[a["source"]["name"]] = counts.get(a["source"]["name"], 0) + 1
    for name, n in counts.items():
        assert f"<td>{html.escape(name)}</td><td>{n}</td>" in coverage
    timeline = body[body.index('id="h-timeline"') :]
    links = [timeline.find(f'href="/article/{a["id"]}"') for a in data["articles"]]
    assert all(p > 0 for p in links) and links == sorted(links), "every article, in time order"


def test_tag_page_finds_spelling_variants_and_pages(client: TestClient) -> None:
    page = get_page(client, "/tag/" + quote("مكة المكرمة"))
    assert page.headings[0].startswith("كلمة دلالية:")
    assert page.headings[0].endswith("مكة المكرمة")
    # The same tag typed with ه for ة, or without its hamza: the matching form finds it.
    assert get_page(client, "/tag/" + quote("مكه المكرمه")).headings[0] == page.headings[0]
    assert get_page(client, "/tag/" + quote("ايران")).headings[0].endswith("إيران")
    total = client.get("/api/v1/tags/" + quote("مكة المكرمة")).json()["total"]
    assert total > 20
    second = get_page(client, "/tag/" + quote("مكة المكرمة") + "?page=2")
    assert any("page=1" in link for link in second.links)
    first_ids = {x for x in page.links if x.startswith("/article/")}
    second_ids = {x for x in second.links if x.startswith("/article/")}
    assert len(first_ids) == 20 and len(second_ids) == total - 20
    assert not first_ids & second_ids


def test_source_page_and_sources_list(client: TestClient) -> None:
    sources = client.get("/api/v1/sources").json()
    listed = get_page(client, "/sources")
    for s in sources:
        assert f"/source/{quote(s['slug'])}" in listed.links
    slug = next(s["slug"] for s in sources if s["article_count"] >= 25)
    page = get_page(client, f"/source/{slug}")
    assert sum(link.startswith("/article/") for link in page.links) == 20
    assert any(link.endswith("page=2") for link in page.links)
    get_page(client, f"/source/{slug}?page=2")


def test_search_page_marks_matches_and_pages(client: TestClient) -> None:
    response = client.get("/search", params={"q": "السعودية"})
    page = get_page(client, "/search?q=" + quote("السعودية"))
    assert "<mark>" in response.text
    assert sum(link.startswith("/article/") for link in page.links) == 20
    nxt = [link for link in page.links if "page=2" in link]
    assert nxt and unquote(nxt[0]).startswith("/search?q=السعودية&")
    get_page(client, nxt[0])


def test_search_never_fails_on_operators(client: TestClient) -> None:
    for q in ['"', "*", "(", "OR", "NOT السعودية", 'a" OR "b', "‏", "ال", "؟؟", "-", "^", "{}"]:
        get_page(client, "/search?q=" + quote(q))
    get_page(client, "/search")


def test_missing_pages_are_404_in_arabic(client: TestClient) -> None:
    for path in [
        "/article/999999",
        "/story/999999",
        "/tag/لا-يوجد-وسم-بهذا-الاسم",
        "/source/no-such-source",
        "/article/abc",
        "/nowhere",
    ]:
        page = get_page(client, path, status=404)
        assert page.headings == ["الصفحة غير موجودة"]
    page = get_page(client, "/search?q=x&page=0", status=422)
    assert page.headings == ["طلب غير صالح"]


def test_security_headers_on_every_page(client: TestClient) -> None:
    for path in ["/", "/search?q=x", "/article/1", "/feed.xml", "/api/v1/sources", "/nowhere"]:
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert headers["x-content-type-options"] == "nosniff"
    assert "cdn.jsdelivr.net" in client.get("/docs").headers["content-security-policy"]


def test_stylesheet_is_served(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]
    assert "margin-inline-start" in response.text  # logical properties follow dir="rtl"
