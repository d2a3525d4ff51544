"""Publisher text with <script>, <iframe> and event handlers never reaches a page as markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from marsad.web.snippets import highlight
from marsad.web.templating import safe_url

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "img", "base", "form"}
# The only form on a page is the site's own search box.
ALLOWED_FORMS = 1


class Markup(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(body)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(body: str, where: str) -> Markup:
    """No dangerous element, no event handler, no javascript: link in a page."""
    page = Markup(body)
    forms = [t for t, _ in page.tags if t == "form"]
    assert len(forms) == ALLOWED_FORMS, where
    for tag, attrs in page.tags:
        assert tag not in FORBIDDEN_TAGS - {"form"}, (where, tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (where, tag, name)
    return page


def hostile_pages(client: TestClient, web_fixture: Any) -> list[str]:
    """Every page on which the hostile fixture's fields appear."""
    paths = ["/", "/sources", "/source/hostile-press", f"/story/{web_fixture.hostile_story}"]
    paths += [f"/article/{i}" for i in web_fixture.hostile_ids]
    paths += ["/tag/" + quote(t, safe="") for t in web_fixture.hostile_tags]
    paths += ["/search?q=" + quote(q) for q in ["الأمطار جدة", "وزير الخارجية القطري"]]
    paths += ["/search?q=" + quote("<script>alert(1)</script>")]
    return paths


def test_no_page_carries_hostile_markup(client: TestClient, web_fixture: Any) -> None:
    for path in hostile_pages(client, web_fixture):
        response = client.get(path)
        assert response.status_code == 200, path
        page = assert_inert(response.text, path)
        assert "alert(" in "".join(page.text) or path.startswith("/search?q=%3C"), path


def test_hostile_text_is_shown_as_text(client: TestClient, web_fixture: Any) -> None:
    response = client.get(f"/article/{web_fixture.hostile_ids[0]}")
    page = assert_inert(response.text, "article")
    text = "".join(page.text)
    assert "<script>alert('title')</script>وزير الخارجية" in text
    assert "<iframe src=\"javascript:alert('text')\"></iframe>" in text
    assert "صحيفة <script>alert('source')</script> المختبر" in text


def test_javascript_urls_never_become_links(client: TestClient, web_fixture: Any) -> None:
    second = client.get(f"/api/v1/articles/{web_fixture.hostile_ids[1]}").json()
    assert second["url"] is None  # stored as it came, served as no address at all
    page = assert_inert(client.get(f"/article/{web_fixture.hostile_ids[1]}").text, "article 2")
    hrefs = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert "#" in hrefs
    assert safe_url("JavaScript:alert(1)") == "#" and safe_url(" data:text/html,x") == "#"
    assert safe_url("https://www.spa.gov.sa/x?a=1") == "https://www.spa.gov.sa/x?a=1"


def test_feeds_carry_no_markup(client: TestClient, web_fixture: Any) -> None:
    for path in [f"/story/{web_fixture.hostile_story}/feed.xml", "/source/hostile-press/feed.xml"]:
        root = ET.fromstring(client.get(path).content)
        values = [
            item.findtext(field) or ""
            for item in root.iter("item")
            for field in ("title", "description")
        ]
        # After XML decoding, the text holds no tag a feed reader could run, only its escape.
        assert all("<" not in value for value in values), (path, values)
        assert sum("&lt;script" in value for value in values) >= 2, (path, values)


def test_error_pages_do_not_echo_markup(client: TestClient) -> None:
    for path in ["/tag/" + quote("<script>alert(1)</script>"), "/source/%3Cscript%3E"]:
        response = client.get(path)
        assert response.status_code == 404
        assert_inert(response.text, path)


def test_snippet_keeps_only_marks() -> None:
    text = "<b onclick=alert(1)>جدة</b> غمرت الأمطار شوارع جدة <script>x</script>"
    out = highlight(text, {"جده"})
    assert "<mark>جدة</mark>" in out
    page = Markup(f"<p>{out}</p>")
    assert {tag for tag, _ in page.tags} == {"p", "mark"}
