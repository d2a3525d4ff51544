"""Ranked search on both backends, over real corpus text: what each backend's scoring gives.

SQLite scores with FTS5's weighted bm25, PostgreSQL with ts_rank over a capped candidate set;
both must rank a name found as written above the articles that only share its stem, rank the
articles whose headline names the query among the first, find the articles lacking a word of a
long query but rank those holding more of its words first, score no more candidates than their
cap, and fold a story's articles under its best one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from store_writes import create_story, save_enrichment

from marsad.arabic.normalize import matching_form
from marsad.arabic.stem import stems
from marsad.ingest.importers import read_records
from marsad.models import Article, Enrichment, RawArticle
from marsad.pipeline import ingest
from marsad.store import Store, open_store, pg_search, sqlite_search
from marsad.store.search import bare_in_title, definite_words, parse_query, search_words
from marsad.store.search_match import Filters

DAY = "2015-07-21.zip"
PER_SOURCE = 40


def _day_slice(day: Path) -> list[RawArticle]:
    """The first articles of every source in a corpus day."""
    taken: dict[str, int] = {}
    kept: list[RawArticle] = []
    for record in read_records(day):
        if isinstance(record, RawArticle) and taken.get(record.source, 0) < PER_SOURCE:
            taken[record.source] = taken.get(record.source, 0) + 1
            kept.append(record)
    return kept


@pytest.fixture(scope="module")
def ranked(module_db_url: str, shared_dir: Path) -> Iterator[Store]:
    """A store per backend with a slice of a corpus day (no enrichment: search needs none)."""
    url = module_db_url
    store = open_store(url)
    ingest(store, _day_slice(shared_dir / "corpus" / "saudinewsnet" / DAY))
    try:
        yield store
    finally:
        store.close()


def _words(article: Article, title_only: bool = False) -> list[str]:
    """An article's words as the index holds them (matching form, article peeled)."""
    text = article.match_title if title_only else f"{article.match_title} {article.match_text}"
    return search_words(text)


@pytest.mark.parametrize("name", ["فورد", "الأهلي"])
def test_a_name_as_written_ranks_above_its_stem(ranked: Store, name: str) -> None:
    # «فورد» (Ford) stems to «ورد» (came, roses), «الأهلي» (the club) to «أهل» (family).
    ids, total = ranked.search(name, limit=200)
    assert len(ids) == total
    (word,) = parse_query(name).groups[0].ways[0].words
    written = [word in _words(a.article) for a in ranked.get_articles(ids)]
    assert written[0] and 0 < sum(written) < total / 2  # the stem alone finds many more
    assert written == sorted(written, reverse=True), written


def test_a_headline_naming_it_ranks_high(ranked: Store) -> None:
    # A place named in some headlines and in many more bodies.
    ids, total = ranked.search("اليمن", limit=200)
    (stem,) = parse_query("اليمن").groups[0].ways[0].stems
    titled = [stem in stems(_words(a.article, title_only=True)) for a in ranked.get_articles(ids)]
    assert total > 10 and 2 < sum(titled) < total / 2
    # The headlines naming it are among the first results (others are about it too: Aden,
    # the Houthis, their bodies naming Yemen again and again).
    places = [n for n, t in enumerate(titled) if t]
    assert titled[0] and sum(places) / len(places) < total / 5, titled


def test_a_long_query_finds_articles_lacking_a_word_after_the_complete_ones(
    ranked: Store,
) -> None:
    query = "وزارة الصحة المستشفيات"
    groups = parse_query(query).groups
    ids, _ = ranked.search(query, limit=200)
    held = []
    for article in ranked.get_articles(ids):
        found = set(stems(_words(article.article)))
        held.append(sum(all(s in found for s in g.ways[0].stems) for g in groups))
    # The first holds every word; hits lacking one are found too, and the first ten hold more
    # of the words, on average, than the rest.
    assert held and held[0] == len(groups) and min(held) < len(groups)
    assert sum(held[:10]) / 10 > sum(held[10:]) / len(held[10:]), held


def test_only_the_capped_candidates_are_scored(ranked: Store) -> None:
    # «في» (in) is in nearly every article: only the latest stored `cap` of its hits (the
    # highest ids) are scored.
    parsed, cap = parse_query("في"), 25
    with ranked.engine.connect() as conn:
        module = pg_search if conn.dialect.name == "postgresql" else sqlite_search
        scored, total = module.scored(conn, parsed, cap, 1000, Filters())
        expected = set(sorted(ranked.search("في", limit=1000, sort="newest")[0])[-cap:])
    assert total > 4 * cap and len(scored) == cap
    assert {s.id for s in scored} == expected


def test_a_story_folds_under_its_best_article(ranked: Store) -> None:
    ids, total = ranked.search("اليمن", limit=200)
    story = create_story(ranked, "اليمن")
    members = ids[1:6]
    for article_id in members:
        save_enrichment(ranked, article_id, Enrichment([], story_id=story))
    folded = ranked.search_page("اليمن", limit=200, group=True)
    ranked_ids = ranked.search("اليمن", limit=200)[0]
    kept = [h for h in folded.hits if h.id in members]
    assert len(kept) == 1 and kept[0].folded == len(members) - 1
    # The story's best article: the first of its members in the article ranking.
    assert kept[0].id == next(i for i in ranked_ids if i in members)
    assert folded.total == total - (len(members) - 1)


def _okaz(slug: str, title: str, text: str, hour: int) -> RawArticle:
    """A written article of 1 August 2015."""
    url = f"https://example.org/dollar/{slug}"
    return RawArticle(url, "okaz", title, text, published_at=datetime(2015, 8, 1, hour))


# Written fixtures: a currency's news and figures counted in it (the unit after a number).
CURRENCY = [
    _okaz(
        "deals",
        "صفقات الاستحواذ العالمية ترتفع إلى 430 مليار دولار في يوليو",
        "ارتفعت قيمة صفقات الاستحواذ العالمية في يوليو إلى 430 مليار دولار، بزيادة 20 "
        "مليار دولار عن يونيو، وبلغت صفقات الرعاية الصحية وحدها 100 مليار دولار.",
        20,
    ),
    _okaz(
        "falls",
        "الدولار يتراجع أمام اليورو",
        "تراجع الدولار اليوم أمام العملات الرئيسية بعد بيانات اقتصادية أضعف من المتوقع، "
        "فيما ارتفعت الأسهم الأوروبية.",
        8,
    ),
]


def test_a_word_typed_with_the_article_ranks_headlines_holding_it_so_first(
    store: Store,
) -> None:
    ingest(store, CURRENCY)
    ids, total = store.search("الدولار", limit=10)
    urls = [a.article.url for a in store.get_articles(ids)]
    # The figures' headline holds the word more often and is fresher: without the article's
    # weight it came first on SQLite.
    assert total == 2 and urls[0].endswith("/falls"), urls


def test_the_words_typed_with_the_article_and_the_titles_holding_them_bare() -> None:
    words = definite_words("الدولار «التمويل العقاري» أمريكا -الأسهم source:okaz")
    assert words == {"دولار", "تمويل", "عقاري"}
    assert bare_in_title(matching_form("430 مليار دولار في يوليو"), words) == 1
    assert bare_in_title(matching_form("الدولار يتراجع أمام 100 دولار"), words) == 0
    assert bare_in_title(matching_form("تمويل عقاري جديد للمواطنين"), words) == 2
