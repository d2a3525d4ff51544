"""Ranked search on a corpus day: names as written first, phrases, exclusions, filters,
synonyms, one result per story and suggestions, through the store and the API."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from marsad.store.search import search_words


def _words(text: str) -> list[str]:
    """An article's words as the index holds them (matching form, article peeled)."""
    return search_words(text)


def _api(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/search", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_a_name_as_written_ranks_above_its_stem(web_fixture: Any) -> None:
    store = web_fixture.store
    ids, total = store.search("طالبان", limit=100)
    articles = store.get_articles(ids)
    written = [
        "طالبان" in _words(a.article.match_title + " " + a.article.match_text) for a in articles
    ]
    # The stem («طالب», student) finds many more articles, but the name comes first.
    assert total > 5 and written[0] and sum(written) < total
    assert written == sorted(written, reverse=True)


def test_a_quoted_phrase_keeps_its_words_together(web_fixture: Any) -> None:
    store = web_fixture.store
    loose, loose_total = store.search("وزارة الصحة", limit=100)
    quoted, quoted_total = store.search("«وزارة الصحة»", limit=100)
    assert 0 < quoted_total <= loose_total and set(quoted) <= set(loose)
    for article in store.get_articles(quoted):
        text = " ".join(_words(article.article.match_title + " " + article.article.match_text))
        assert re.search(r"(?<!\S)وزار\w* صح\w*", text), article.title


def test_an_excluded_word_takes_its_articles_out(web_fixture: Any) -> None:
    store = web_fixture.store
    yemen, _ = store.search("اليمن", limit=100)
    both, _ = store.search("اليمن الرياض", limit=100, sort="newest")  # holding both words
    without, total = store.search("اليمن -الرياض", limit=100)
    assert total > 0 and set(without) <= set(yemen) and not set(without) & set(both)
    assert set(without) | set(both) == set(yemen)


def test_source_and_dates_filter_in_the_query_and_as_fields(
    client: TestClient, web_fixture: Any
) -> None:
    store = web_fixture.store
    every = _api(client, q="السعودية")
    sources = {a["source"]["slug"] for a in every["items"]}
    assert len(sources) > 3
    in_query = _api(client, q="السعودية source:okaz")
    as_field = _api(client, q="السعودية", source="okaz")
    assert in_query["total"] == as_field["total"] > 0
    assert {a["source"]["slug"] for a in as_field["items"]} == {"okaz"}
    # A date range: the day's articles up to its middle hour, inclusive of whole days.
    times = sorted(a["published_at"] for a in every["items"] if a["published_at"])
    day = times[0][:10]
    dated = _api(client, q="السعودية", **{"from": day, "to": day})
    assert all(a["published_at"][:10] == day for a in dated["items"])
    before = _api(client, q=f"السعودية to:{_day_before(day)}")
    assert before["total"] == 0
    refused = _api(client, q="السعودية from:yesterday")
    assert refused["refused"] and refused["total"] == every["total"]
    assert store.search("السعودية source:nosuchsource") == ([], 0)


def _day_before(day: str) -> str:
    from datetime import date

    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def test_a_synonym_finds_what_the_other_name_finds(web_fixture: Any) -> None:
    store = web_fixture.store
    daesh, daesh_total = store.search("داعش", limit=100)
    named, _named_total = store.search("تنظيم الدولة", limit=100)
    texts = {
        a.id: _words(a.article.match_title + " " + a.article.match_text)
        for a in store.get_articles(named)
    }
    only_daesh = [i for i, words in texts.items() if "داعش" in words and "تنظيم" not in words]
    assert daesh_total > 0 and only_daesh and set(daesh) <= set(named)


def test_search_folds_a_story_under_its_best_article_only_when_asked(
    client: TestClient, web_fixture: Any
) -> None:
    flat = _api(client, q="السعودية", limit=100)
    grouped = _api(client, q="السعودية", limit=100, group="story")
    stories = [a["story_id"] for a in grouped["items"] if a["story_id"] is not None]
    assert len(stories) == len(set(stories)), "one result per story"
    assert sum(1 + a["folded"] for a in grouped["items"]) == len(flat["items"])
    assert any(a["folded"] for a in grouped["items"])
    flat_stories = [a["story_id"] for a in flat["items"] if a["story_id"] is not None]
    assert len(flat_stories) > len(set(flat_stories)), "the flat list keeps every article"
    assert all({"url", "story_id", "duplicate_of"} <= set(a) for a in flat["items"])
    # Each kept article is the best-ranked of its story in the flat list.
    first_of = {}
    for a in flat["items"]:
        first_of.setdefault(a["story_id"] or -a["id"], a["id"])
    assert all(first_of[a["story_id"] or -a["id"]] == a["id"] for a in grouped["items"])


def test_the_search_page_says_how_many_more_a_story_holds(client: TestClient) -> None:
    body = client.get("/search", params={"q": "السعودية"}).text
    found = re.findall(r'<a href="/story/(\d+)">و(\d+) أخرى في هذه القصة</a>', body)
    assert found and all(int(n) > 0 for _, n in found)


def test_newest_first_is_a_choice(client: TestClient) -> None:
    newest = _api(client, q="السعودية", sort="newest")["items"]
    times = [a["published_at"] for a in newest if a["published_at"]]
    assert times == sorted(times, reverse=True)
    ranked = _api(client, q="السعودية")["items"]
    assert [a["id"] for a in ranked] != [a["id"] for a in newest]
    assert {a["id"] for a in ranked} == {a["id"] for a in newest}


def test_suggestions_as_the_reader_types(client: TestClient, web_fixture: Any) -> None:
    tag = (
        web_fixture.store.engine.connect()
        .exec_driver_sql(
            "SELECT k.display FROM keyphrases k JOIN article_keyphrases a ON a.keyphrase_id = k.id "
            "GROUP BY k.id, k.display ORDER BY count(*) DESC LIMIT 1"
        )
        .scalar_one()
    )
    prefix = tag[: max(3, len(tag) // 2)]
    data = client.get("/api/v1/suggest", params={"q": prefix}).json()
    assert tag in [t["tag"] for t in data["tags"]]
    assert all(t["tag"].startswith(prefix[:2]) or t["articles"] > 0 for t in data["tags"])
    assert client.get("/api/v1/suggest", params={"q": "ا"}).json() == {"tags": [], "stories": []}
    for hostile in ["%", "_%_", "\\", "'; DROP TABLE keyphrases; --", "«", '"*)(:^']:
        response = client.get("/api/v1/suggest", params={"q": hostile})
        assert response.status_code == 200, hostile
    stories = client.get("/api/v1/suggest", params={"q": "السعودية"}).json()["stories"]
    assert stories and all(s["title"] for s in stories)
