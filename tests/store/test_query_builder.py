"""Property tests of the query builder: whatever is typed, it parses, and FTS5 and PostgreSQL
accept what it builds; an excluded word never comes back; filters only narrow."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from marsad.ingest.importers import read_records
from marsad.pipeline import ingest
from marsad.store import Store
from marsad.store.search import parse_query, search_words
from marsad.store.search_match import fts_query, pg_query

# Arabic letters, Latin, digits, and every character the query language or the backends'
# syntaxes give a meaning to.
ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئةى")
    + list("abcXYZ019٣")
    + list(" \"«»“”-:*^()[]{}'\\%_;.,!?؟+|&<>~@#\u0640\u064e\u200f\t\n")
    + ["source:", "from:", "to:", "NOT", "AND", "OR", "NEAR"]
)
QUERIES = st.lists(ALPHABET, max_size=40).map("".join)
WORDS = ("السعودية", "الرياض", "وزارة", "اليمن", "المملكة", "في")
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fill(store: Store, shared_dir: Path) -> None:
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    ingest(store, itertools.islice(read_records(day), 120))


@PROPERTY
@given(query=QUERIES)
def test_any_input_parses_into_what_the_backends_accept(store: Store, query: str) -> None:
    parsed = parse_query(query)
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            for every in (True, False):
                built = pg_query(parsed, every=every)
                if built is not None:
                    conn.execute(text("SELECT CAST(:q AS tsquery)"), {"q": built})
        else:
            for every, written in itertools.product((True, False), repeat=2):
                built = fts_query(parsed, every=every, written=written)
                if built is not None:
                    conn.execute(
                        text("SELECT count(*) FROM article_search WHERE article_search MATCH :q"),
                        {"q": built},
                    )
    ids, total = store.search(query, limit=5)
    assert len(ids) <= 5 and total >= len(ids)


@PROPERTY
@given(
    wanted=st.sampled_from(WORDS),
    excluded=st.sampled_from(WORDS),
    noise=QUERIES,
    group=st.booleans(),
)
def test_excluded_words_never_come_back(
    store: Store, shared_dir: Path, wanted: str, excluded: str, noise: str, group: bool
) -> None:
    if not store.counts()["articles"]:
        _fill(store, shared_dir)
    query = f"{wanted} -{excluded} {noise.replace('-', ' ')}"
    ids, _ = store.search(query, limit=50, group=group)
    gone = parse_query(excluded).groups[0].ways[0].words[0]
    for article in store.get_articles(ids):
        assert gone not in search_words(
            article.article.match_title + " " + article.article.match_text
        ), query


@PROPERTY
@given(wanted=st.sampled_from(WORDS), source=st.sampled_from(["okaz", "sabq", "alriyadh", "x"]))
def test_a_source_filter_only_narrows(
    store: Store, shared_dir: Path, wanted: str, source: str
) -> None:
    if not store.counts()["articles"]:
        _fill(store, shared_dir)
    every, _ = store.search(wanted, limit=200)
    kept = store.search_page(wanted, 200, sources=[source])
    assert set(kept.ids) <= set(every)
    assert all(a.article.source == source for a in store.get_articles(kept.ids))
