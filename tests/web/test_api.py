"""The JSON API under /api/v1: fields, paging, errors as JSON with the right status, OpenAPI."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

ARTICLE_FIELDS = {
    "id",
    "title",
    "text",
    "summary",
    "source",
    "url",
    "published_at",
    "keyphrases",
    "story_id",
    "read_also",
    "related",
}


def _story_article(client: TestClient, web_fixture: Any) -> dict[str, Any]:
    """The first article of the fixture's Yemen story, as the API shows it."""
    story = client.get(f"/api/v1/stories/{web_fixture.stories['اليمن']}").json()
    data: dict[str, Any] = client.get(f"/api/v1/articles/{story['articles'][0]['id']}").json()
    return data


def test_article_has_every_field(client: TestClient, web_fixture: Any) -> None:
    data = _story_article(client, web_fixture)
    assert set(data) >= ARTICLE_FIELDS
    stored = web_fixture.store.get_article(data["id"])
    assert data["title"] == stored.article.title and data["text"] == stored.article.text
    assert data["url"] == stored.article.url
    assert data["source"]["name"] == stored.article.source_name
    assert data["keyphrases"] == stored.enrichment.keyphrases and "اليمن" in data["keyphrases"]
    assert data["story_id"] == web_fixture.stories["اليمن"]
    assert data["published_at"].startswith("2015-07-2")
    related_ids = [data["read_also"]["id"]] + [r["id"] for r in data["related"]]
    assert (
        related_ids == [i for i in stored.enrichment.related if i != data["id"]][: len(related_ids)]
    )
    assert 1 <= len(data["related"]) <= 10


def test_stories_list_and_one_story(client: TestClient, web_fixture: Any) -> None:
    listed = client.get("/api/v1/stories?sort=latest&limit=3").json()
    assert listed["total"] == len(web_fixture.stories) + 1 and len(listed["items"]) == 3
    top = client.get("/api/v1/stories").json()
    assert {s["id"] for s in top["items"]} >= set(web_fixture.stories.values())
    story = client.get(f"/api/v1/stories/{web_fixture.stories['اليمن']}").json()
    assert story["article_count"] == len(story["articles"]) >= 2
    assert story["source_count"] >= 2
    assert story["lead"]["id"] == story["articles"][0]["id"]
    assert "اليمن" in story["keyphrases"]
    times = [a["published_at"] for a in story["articles"]]
    assert times == sorted(times)


def test_paging_is_consistent(client: TestClient) -> None:
    first = client.get("/api/v1/articles?limit=7&offset=0").json()
    second = client.get("/api/v1/articles?limit=7&offset=7").json()
    both = client.get("/api/v1/articles?limit=14&offset=0").json()
    assert [a["id"] for a in first["items"] + second["items"]] == [a["id"] for a in both["items"]]
    assert first["total"] == both["total"] >= 300
    assert (first["limit"], second["offset"]) == (7, 7)
    dates = [a["published_at"] for a in both["items"]]
    assert dates == sorted(dates, reverse=True)


def test_search_and_tags(client: TestClient, web_fixture: Any) -> None:
    found = client.get("/api/v1/search", params={"q": "اليمن", "limit": 5}).json()
    assert found["query"] == "اليمن" and found["total"] > 5 and len(found["items"]) == 5
    tagged = client.get("/api/v1/tags/" + quote("ايران"), params={"limit": 100}).json()
    assert tagged["tag"] == "إيران" and tagged["total"] == len(tagged["items"]) > 5
    sources = client.get("/api/v1/sources").json()
    stored = web_fixture.store.list_sources()
    assert {s["slug"] for s in sources} == {s.slug for s in stored}
    assert sum(s["article_count"] for s in sources) == web_fixture.store.counts()["articles"]


def test_errors_are_json_with_status_and_message(client: TestClient) -> None:
    cases = {
        "/api/v1/articles/999999": (404, "no article with id 999999"),
        "/api/v1/stories/999999": (404, "no story with id 999999"),
        "/api/v1/tags/" + quote("لا وسم هنا"): (404, "no keyphrase"),
        "/api/v1/articles/abc": (422, "path.article_id"),
        "/api/v1/search": (422, "query.q: Field required"),
        "/api/v1/search?q=": (422, "query.q"),
        "/api/v1/articles?limit=0": (422, "query.limit"),
        "/api/v1/articles?limit=101": (422, "less than or equal to 100"),
        "/api/v1/articles?offset=-1": (422, "query.offset"),
        "/api/v1/stories?sort=random": (422, "query.sort"),
        "/api/v1/nothing": (404, "Not Found"),
    }
    for path, (status, message) in cases.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/json", path
        error = response.json()["error"]
        assert error["status"] == status and message in error["message"], (path, error)


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for path in [
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/search",
        "/api/v1/tags/{phrase}",
        "/api/v1/sources",
    ]:
        assert path in paths, path
    assert not any(p.startswith(("/article/", "/story/", "/tag/")) for p in paths)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
