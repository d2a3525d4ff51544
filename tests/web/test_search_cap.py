"""A search counts its hits up to a cap: the page says "that many or more", the API says capped.

The cap is 1,000 in the app; these tests give the app a cap of 30 through its `search_cap`
dependency, so the fixture's day of articles is enough to pass it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from marsad.web.pages import search_cap
from marsad.web.templating import count_ar

CAP = 30
COMMON = "السعودية"  # in far more than 30 articles of the fixture
RARE = "اليمن"  # in fewer than 30


def _api(client: TestClient, query: str, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """The API's search answer."""
    response = client.get("/api/v1/search", params={"q": query, "limit": limit, "offset": offset})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def _ids(body: str) -> list[int]:
    """Article ids a search page links to, in order."""
    return [int(i) for i in re.findall(r'<h3 dir="auto"><a href="/article/(\d+)">', body)]


@pytest.fixture
def capped(client: TestClient) -> Iterator[TestClient]:
    """The test client with the app counting search hits up to CAP only."""
    app = cast(FastAPI, client.app)
    app.dependency_overrides[search_cap] = lambda: CAP
    try:
        yield client
    finally:
        app.dependency_overrides.pop(search_cap, None)


def test_api_says_the_total_is_capped(capped: TestClient, web_fixture: Any) -> None:
    every, real = web_fixture.store.search(COMMON, limit=100, cap=10**9)
    assert real > CAP + 20
    first = _api(capped, COMMON, limit=20)
    assert (first["total"], first["total_capped"]) == (CAP, True)
    # Paging up to the cap gives the same hits in the same order as an uncapped search.
    pages = [_api(capped, COMMON, 10, offset)["items"] for offset in range(0, CAP, 10)]
    assert [a["id"] for page in pages for a in page] == every[:CAP]
    # Past the cap, the API asks for a narrower query instead of sorting every hit.
    refused = capped.get("/api/v1/search", params={"q": COMMON, "offset": CAP})
    assert refused.status_code == 422 and "narrow" in refused.text
    rare_ids, rare_total = web_fixture.store.search(RARE, limit=100, cap=10**9)
    rare = _api(capped, RARE)
    assert 0 < rare_total < CAP and rare["total_capped"] is False
    assert (rare["total"], [a["id"] for a in rare["items"]]) == (rare_total, rare_ids)


def test_api_total_is_exact_below_the_app_cap(client: TestClient, web_fixture: Any) -> None:
    data = _api(client, COMMON)
    assert data["total"] == web_fixture.store.search(COMMON, cap=10**9)[1] < 1000
    assert data["total_capped"] is False


def test_search_page_says_that_many_or_more(capped: TestClient, web_fixture: Any) -> None:
    # The page shows one result per story.
    every, _ = web_fixture.store.search(COMMON, limit=100, cap=10**9, group=True)
    first = capped.get("/search", params={"q": COMMON}).text
    assert f'<p class="count">{CAP} نتيجة أو أكثر عن «' in first
    assert "صفحة 1 من 2" in first and _ids(first) == every[:20]
    second = capped.get("/search", params={"q": COMMON, "page": 2}).text
    assert "صفحة 2 من 2" in second and _ids(second) == every[20:40]
    _, total = web_fixture.store.search(RARE, cap=10**9, group=True)
    exact = capped.get("/search", params={"q": RARE}).text
    shown = count_ar(total, "نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة")
    assert f'<p class="count">{shown} عن «' in exact and "أو أكثر" not in exact
