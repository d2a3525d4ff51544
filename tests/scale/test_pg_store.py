"""PostgreSQL behaves as SQLite: same search hits, same order, safe under concurrent writers."""

from __future__ import annotations

import itertools
import random
import re
import secrets
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from store_writes import create_story, save_enrichment

from marsad.ingest.importers import read_records
from marsad.models import Article, RawArticle
from marsad.pipeline import ingest, normalize
from marsad.store import Store, open_store
from marsad.store.dialect import fts_tokens, pg_tsquery, pg_tsvector

DAY = "2015-07-21.zip"
ODD_RECORDS = [
    RawArticle(
        url="https://example.org/odd/1",
        source="odd",
        title="Riyadh_Metro خبر بلا تاريخ",
        text="مشروع MetroLine_2 في الرياض ½ نصف الطريق و ٣٣ محطة COVID19",
    ),
    RawArticle(
        url="https://example.org/odd/2",
        source="odd",
        title="خبر آخر بلا تاريخ عن الرياض",
        text="قطار الرياض يربط المحطات metroline وسط المدينة",
    ),
]


def _fill(store: Store, day: Path, limit: int) -> None:
    """The first `limit` records of a corpus day, and a few odd undated ones."""
    records = itertools.islice(read_records(day), limit)
    ingest(store, itertools.chain(records, ODD_RECORDS))


def _queries(store: Store, rng: random.Random) -> list[str]:
    """Words and word pairs from stored titles, and queries with odd characters."""
    words: list[str] = []
    for article in store.iter_articles():
        words.extend(re.findall(r"\w+", article.article.title))
    picked = rng.sample(sorted(set(words)), 120)
    pairs = [f"{a} {b}" for a, b in zip(picked[::2], picked[1::2], strict=False)][:40]
    odd = ["Riyadh_Metro", "metro_riyadh", "metroline_2", "½", "٣٣", "33", "covid19", "COVID19"]
    odd += ["الرياض", "الرياض metroline", "__", "'\"&|!:*", "قطار & محطة", "ال"]
    return picked + pairs + odd


def _hits(store: Store, query: str) -> tuple[list[str], int, list[str]]:
    """URLs of a query's first page of hits newest first, the total, and, for a query of at
    most 100 hits, every ranked hit's URL in URL order (the backends score by different
    formulas and different numbers of candidates, but rank the same hits)."""
    ids, total = store.search(query, limit=30, sort="newest")
    ranked, ranked_total = store.search(query, limit=100)
    urls = sorted(a.article.url for a in store.get_articles(ranked)) if ranked_total <= 100 else []
    return [a.article.url for a in store.get_articles(ids)], total, urls


def test_search_gives_the_same_hits_on_both_backends(
    shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    lite = open_store(f"sqlite:///{tmp_path / 'lite.db'}")
    pg = open_store(pg_url)
    try:
        day = shared_dir / "corpus" / "saudinewsnet" / DAY
        _fill(lite, day, 500)
        _fill(pg, day, 500)
        queries = _queries(lite, random.Random(7))
        found = 0
        for query in queries:
            expected = _hits(lite, query)
            assert _hits(pg, query) == expected, query
            found += expected[1] > 0
        assert found > len(queries) * 0.8
        # Undated articles come last in both, whatever PostgreSQL's NULL order is.
        ids, total = pg.search("الرياض", limit=500, sort="newest")
        assert total == len(ids) > 2
        last = pg.get_article(ids[-1])
        assert last is not None and last.article.url.startswith("https://example.org/odd/")
    finally:
        lite.close()
        pg.close()


def test_tsvector_literal_keeps_fts5_tokens() -> None:
    assert fts_tokens("Metro_Line ½ قطار٣ x") == ["metro", "line", "½", "قطار٣", "x"]
    vector = pg_tsvector("a b a " + "ب" * 1100)
    assert vector == "'a':1,3 'b':2"
    assert pg_tsquery(["قطار", "metro_line"]) == "'قطار' & ('metro' <-> 'line')"
    assert pg_tsquery(["قطار", "__"]) is None


def test_index_vector_weights_parts_and_marks_written_words() -> None:
    from marsad.arabic.normalize import matching_form
    from marsad.store.dialect import pg_index_vector
    from marsad.store.search import index_parts

    parts = index_parts(matching_form("طالبان"), matching_form("قالت حركة طالبان"))
    vector = pg_index_vector(parts)
    # Title positions weigh A, the lead's B; each stem and written word share a position.
    assert "'طالب':1A,5B" in vector and "'\u0640طالبان':1A,5B" in vector
    assert "'حرك':4B" in vector and "'\u0640حركه':4B" in vector


def test_story_articles_put_undated_first_on_both(store: Store) -> None:
    dated = RawArticle(
        url="https://example.org/s/1",
        source="s",
        title="خبر",
        text="نص الخبر الأول",
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    undated = RawArticle(url="https://example.org/s/2", source="s", title="خبر", text="نص ثان")
    articles = [normalize(dated), normalize(undated)]
    assert all(isinstance(a, Article) for a in articles)
    ids = store.add_articles([a for a in articles if isinstance(a, Article)])
    story = create_story(store, "قصة")
    for id_ in ids:
        assert id_ is not None
        save_enrichment(store, id_, _in_story(story))
    assert store.story_article_ids(story) == [ids[1], ids[0]]


def _in_story(story_id: int) -> Any:
    """An enrichment that only places an article in a story."""
    from marsad.models import Enrichment

    return Enrichment(story_id=story_id)


def test_concurrent_writers_claim_each_url_once(pg_url: str) -> None:
    base = [
        normalize(
            RawArticle(url=f"https://example.org/c/{i}", source="c", title="t", text=f"نص {i}")
        )
        for i in range(300)
    ]
    batch = [a for a in base if isinstance(a, Article)]
    stores = [open_store(pg_url) for _ in range(3)]
    claimed: list[list[int | None]] = [[] for _ in stores]

    def write(n: int) -> None:
        order = random.Random(n).sample(batch, len(batch))
        for start in range(0, len(order), 25):
            claimed[n].extend(stores[n].add_articles(order[start : start + 25]))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        ids = [i for part in claimed for i in part if i is not None]
        assert sorted(ids) == sorted(set(ids)) and len(ids) == 300
        assert stores[0].counts()["articles"] == 300
        assert stores[0].search("نص")[1] == 300
    finally:
        for s in stores:
            s.close()


def test_processes_opening_a_new_database_migrate_it_once(pg_server: Any, pg_url: str) -> None:
    import os

    name = f"marsad_test_{os.getpid()}_{secrets.token_hex(4)}"
    pg_server.execute(f'CREATE DATABASE "{name}"')
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            open_store(url).close()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=open_and_close) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        store = open_store(url)
        assert store.counts()["articles"] == 0
        store.close()
    finally:
        pg_server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
