"""Search at scale: capped totals, and every plan giving the page that sorting every hit gives.

On PostgreSQL a search picks a plan by the word's frequency (sort every hit, walk the newest
articles, or look in time windows: `marsad.store.pg_search`); on SQLite it sorts or walks. Each
plan must give exactly the same ids in the same order: newest first, undated articles last,
the higher id first among equal dates.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import Store, pg_search
from marsad.store.dialect import pg_tsquery, search_ids
from marsad.store.search import TOTAL_CAP, parse_query, query_terms
from marsad.store.store import MIGRATIONS

DAY = "2015-07-21.zip"
UNDATED = [
    RawArticle(
        url=f"https://example.org/undated/{n}",
        source="odd",
        title=f"خبر بلا تاريخ من الرياض رقم {n}",
        text="أعلنت وزارة الصحة في المملكة العربية السعودية اليوم عن مشروع جديد في الرياض",
    )
    for n in range(3)
]
QUERIES = ("السعودية", "الرياض", "وزارة", "المملكة العربية", "في")
EVERY = 10**9


def _fill(store: Store, shared_dir: Path) -> None:
    """The first 300 articles of a corpus day, and a few undated ones."""
    day = shared_dir / "corpus" / "saudinewsnet" / DAY
    ingest(store, itertools.chain(itertools.islice(read_records(day), 300), UNDATED))


def _page(store: Store, query: str, offset: int, cap: int) -> tuple[list[int], int]:
    """One page of 20 hits, searched with the given count cap."""
    with store.engine.connect() as conn:
        return search_ids(conn, query_terms(query), 20, offset, cap)


def _newest_first(store: Store, ids: list[int]) -> list[int]:
    """The ids in result order, sorted here in Python from the stored articles' dates."""
    dated = [(a.article.published_at, a.id) for a in store.get_articles(ids)]
    order = sorted(dated, key=lambda d: (d[0] is not None, d[0] or datetime.min, d[1]))
    return [i for _, i in reversed(order)]


def _every_hit(store: Store, query: str) -> list[int]:
    """Every hit of a query, in the order search gives."""
    return _page_of(store, query, 0, EVERY)


def _page_of(store: Store, query: str, offset: int, limit: int) -> list[int]:
    """A page of any size, the count uncapped."""
    with store.engine.connect() as conn:
        return search_ids(conn, query_terms(query), limit, offset, EVERY)[0]


def test_results_are_newest_first_undated_last(store: Store, shared_dir: Path) -> None:
    _fill(store, shared_dir)
    for query in QUERIES:
        every = _every_hit(store, query)
        assert len(every) >= 10 and every == _newest_first(store, every), query
    riyadh = _every_hit(store, "الرياض")
    undated = {a.id for a in store.get_articles(riyadh) if a.article.published_at is None}
    assert len(undated) == 3 and set(riyadh[-3:]) == undated


def test_a_capped_count_gives_the_same_pages(store: Store, shared_dir: Path) -> None:
    _fill(store, shared_dir)
    capped = 0
    for query in QUERIES:
        every = _every_hit(store, query)
        for offset in (0, 20, len(every) - 5):
            ids, total = _page(store, query, max(offset, 0), 10)
            assert ids == every[max(offset, 0) :][:20], (query, offset)
            assert total == min(len(every), 10)
        capped += len(every) >= 10
    assert capped == len(QUERIES)
    ids, total = store.search("في", limit=5, sort="newest")
    assert ids == _every_hit(store, "في")[:5] and total == min(len(_every_hit(store, "في")), 1000)
    assert TOTAL_CAP == 1000 and store.search("كلمةغيرموجودةأبدا") == ([], 0)


def test_postgresql_plans_give_the_page_of_a_full_sort(store: Store, shared_dir: Path) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the plans are PostgreSQL's")
    _fill(store, shared_dir)
    with store.engine.connect() as conn:
        for query in QUERIES:
            tsquery = pg_tsquery(query_terms(query))
            assert tsquery is not None
            every = _every_hit(store, query)
            dates = {a.id: a.article.published_at for a in store.get_articles(every)}
            for offset in (0, 7, 40):
                page = every[offset : offset + 20]
                sorted_page = pg_search.page_by_sorting(conn, tsquery, 20, offset)
                walked = pg_search.page_by_walking(conn, tsquery, 20, offset, walk=10**6)
                assert sorted_page == walked == page, (query, offset)
            # A short walk keeps only the hits among the newest articles it walks.
            newest = [i for (i,) in conn.execute(text(_NEWEST), {"n": 60})]
            short = pg_search.page_by_walking(conn, tsquery, 20, 0, walk=60)
            assert short == [i for i in every if i in set(newest)][:20]
            # A time window keeps the hits published since its start, still in order.
            since = sorted(d for d in dates.values() if d is not None)[len(dates) // 2]
            window = pg_search.page_by_sorting(conn, tsquery, 20, 0, since=since)
            in_window = [i for i in every if dates[i] is not None and dates[i] >= since]
            assert window == in_window[:20] and window
            for cap in (1, 10, 100):
                assert search_ids(conn, query_terms(query), 20, 5, cap) == (
                    every[5:25],
                    min(len(every), cap),
                )


_NEWEST = "SELECT id FROM articles ORDER BY published_at DESC NULLS LAST, id DESC LIMIT :n"


def test_postgresql_index_keeps_each_articles_date(store: Store, shared_dir: Path) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL's index holds dates")
    _fill(store, shared_dir)
    assert _dates_differ(store) == 0
    # Migration 0003 fills in the dates of an index built before it.
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    try:
        with store.engine.begin() as conn:
            columns = conn.execute(text(_COLUMNS)).scalars().all()
            assert "published_at" not in columns
    finally:
        store.upgrade()
    assert _dates_differ(store) == 0
    with store.engine.connect() as conn:
        dated = conn.execute(text("SELECT count(published_at) FROM article_search")).scalar_one()
        stored = conn.execute(text("SELECT count(published_at) FROM articles")).scalar_one()
    assert dated == stored > 200


_COLUMNS = "SELECT column_name FROM information_schema.columns WHERE table_name = 'article_search'"


def _dates_differ(store: Store) -> int:
    """Index rows whose date is not their article's."""
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM article_search s JOIN articles a ON a.id = s.rowid "
                    "WHERE s.published_at IS DISTINCT FROM a.published_at"
                )
            ).scalar_one()
        )


def test_postgresql_latest_hits_in_id_blocks_are_the_latest_of_all(
    store: Store, shared_dir: Path
) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the id blocks are PostgreSQL's index")
    day = shared_dir / "corpus" / "saudinewsnet" / DAY
    records = list(itertools.islice(read_records(day), 300))
    # Three runs of articles in three blocks of ids, the last one partly filled.
    for start, first_id in ((0, 1), (100, 5000), (200, 9000)):
        with store.engine.begin() as conn:
            conn.execute(text(_NEXT_ID), {"n": first_id})
        ingest(store, records[start : start + 100])
    with store.engine.connect() as conn:
        top = int(conn.execute(text("SELECT max(rowid) FROM article_search")).scalar_one())
        assert top // pg_search.BLOCK_IDS == 2
        for query in QUERIES:
            tsquery = pg_tsquery(query_terms(query))
            assert tsquery is not None
            every = sorted(_every_hit(store, query), reverse=True)
            assert len({i // pg_search.BLOCK_IDS for i in every}) == 3, query
            for n, cap, size in itertools.product((5, 20, 300), (10, 1000), (1.0, 1e6)):
                # A small size makes the first window one block, then wider ones.
                extent = (size, None, None, top)
                found = pg_search.latest_hits(conn, tsquery, n, cap, extent)
                assert found == (every[:n], min(len(every), cap)), (query, n, cap, size)
        # The index serves the blocks: they are a condition of its scan, not a filter.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = conn.execute(
            text(
                "EXPLAIN SELECT s.rowid FROM article_search s WHERE "
                f"s.terms @@ CAST('سعود' AS tsquery) AND {pg_search.block_of('s.rowid')} "
                "@@ CAST('b2' AS tsquery)"
            )
        ).scalars()
        conditions = [line for line in plan if "Index Cond" in line]
        assert conditions and "array_to_tsvector" in conditions[0]


_NEXT_ID = "SELECT setval(pg_get_serial_sequence('articles', 'id'), :n)"


def test_postgresql_a_word_the_statistics_call_rare_is_looked_for_among_the_latest_ids_first(
    store: Store, shared_dir: Path
) -> None:
    """An estimate says little of a word the statistics do not know (the planner gives every
    such word one frequency): the first window is FIRST_BLOCKS wide whatever it says, so a
    common word is not read whole."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the id blocks are PostgreSQL's index")
    day = shared_dir / "corpus" / "saudinewsnet" / DAY
    records = list(itertools.islice(read_records(day), 300))
    # Three runs of articles ten blocks of ids apart.
    for start, first_id in (
        (0, 1),
        (100, 10 * pg_search.BLOCK_IDS),
        (200, 20 * pg_search.BLOCK_IDS),
    ):
        with store.engine.begin() as conn:
            conn.execute(text(_NEXT_ID), {"n": first_id})
        ingest(store, records[start : start + 100])
    with store.engine.connect() as conn:
        top = int(conn.execute(text("SELECT max(rowid) FROM article_search")).scalar_one())
        extent = (1e6, None, None, top)
        tsquery = pg_tsquery(query_terms("في"))
        assert tsquery is not None
        every = sorted(_every_hit(store, "في"), reverse=True)
        latest = [i for i in every if i > top - pg_search.FIRST_BLOCKS * pg_search.BLOCK_IDS]
        assert len(latest) >= 5 and len(every) > len(latest)
        # Estimated at 10 hits in a million articles: a window from the estimate alone would
        # take every id, and read every hit.
        rows, total = pg_search.latest_rows(conn, tsquery, 5, 10, extent, hits=10.0)
        assert [int(r[0]) for r in rows] == every[:5] and total == 10
        assert int(rows[0][1]) < len(every)


def test_postgresql_scoring_sorts_no_copy_of_the_terms(store: Store, shared_dir: Path) -> None:
    """The candidates' terms (several kilobytes each) are scored where they are read: only the
    scores are joined and sorted (300 copies sorted overflowed work_mem at 1M articles)."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the scoring statement is PostgreSQL's")
    _fill(store, shared_dir)
    parsed = parse_query("وزارة الصحة")
    tests = pg_search._tests(parsed)
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(text("SELECT rowid FROM article_search")).scalars()]
        sql = "EXPLAIN (VERBOSE, FORMAT JSON) " + tests.scored(pg_search._GIVEN, "true")
        (plan,) = conn.execute(text(sql), tests.params | {"ids": ids}).scalar_one()
        rows = conn.execute(
            text(tests.scored(pg_search._GIVEN, "true")), tests.params | {"ids": ids}
        ).all()
    assert len(rows) == len(ids) and any(r[2] > 0 for r in rows)

    def nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node, *(n for child in node.get("Plans", []) for n in nodes(child))]

    # What a sort or a hash holds: its output, or the first input's if it passes it on.
    sorts = [n for n in nodes(plan["Plan"]) if n["Node Type"] in ("Sort", "Hash")]
    assert sorts
    for node in sorts:
        held = node.get("Output", [])
        assert not any(
            "ts_delete" in o or "terms" in o or o.rsplit(".", 1)[-1] == "t" for o in held
        ), held


def test_postgresql_scoring_reads_each_hit_once(store: Store, shared_dir: Path) -> None:
    """The hits found are scored from the rows that found them: the index of ids is not
    walked again, nor their pages read again."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the scoring statement is PostgreSQL's")
    _fill(store, shared_dir)
    parsed = parse_query("وزارة")
    tsquery = pg_tsquery(query_terms("وزارة"))
    tests = pg_search._tests(parsed)
    hits = pg_search._LATEST.format(blocks="")
    params = tests.params | {"q": tsquery, "n": 20}
    with store.engine.connect() as conn:
        sql = tests.scored(hits, "true")
        (plan,) = conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}"), params).scalar_one()
        rows = conn.execute(text(sql), params).all()
        latest = pg_search.latest_hits(conn, tsquery, 20, 1000, (1e6, None, None, 10**6))[0]

    def nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node, *(n for child in node.get("Plans", []) for n in nodes(child))]

    scans = [n for n in nodes(plan["Plan"]) if n.get("Relation Name") == "article_search"]
    assert len(scans) == 1
    assert [int(r[0]) for r in rows] == latest and all(r[2] > 0 for r in rows)
