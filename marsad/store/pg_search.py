"""PostgreSQL search: a page of hits, newest first, without reading every hit of a common word.

Hits come in the order `published_at DESC NULLS LAST, rowid DESC`. article_search keeps each
article's published_at (migration 0003) with an index in that order, so every plan reads one
table. A search counts its hits up to a cap, then finds its page one of three ways:

- fewer hits than the cap: read them all through the GIN index and sort them;
- a word the planner's statistics call very common: walk the newest articles through the date
  index and test each until a page's worth (most articles hold the word, so few are walked);
- otherwise: the hits among the articles of a recent time window, the GIN and date indexes
  combined so that only those rows are read; a wider window while it holds less than a
  page's worth (as much wider as the hits it held say, four times if none), and at last every
  hit.

Every plan gives exactly the page that sorting every hit gives; the choice only changes the
cost. Reading a hit's row costs far more than a GIN posting or a date index entry (rows are
mostly outside PostgreSQL's buffers at a million articles), hence these plans.

Relevance ranking scores the hits stored last instead (`latest_hits`, as on SQLite): ids are
dense, so a range of the latest ids holds what the estimate says, where time windows missed
(news bunches up in time) and were read again and again. The GIN index holds each article's
block of ids beside its terms (migration 0015), so the words are looked up among the latest
blocks only: the index skips the postings of older articles, and only the window's rows are
read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from marsad.store.ranking import (
    LONG_QUERY,
    PARTIAL,
    RARE_BELOW,
    RELAX_BELOW,
    STEM_ONLY,
    Scored,
    behind,
    folded,
    rare_groups,
    title_cover,
)
from marsad.store.search import ParsedQuery
from marsad.store.search_match import (
    Filters,
    pg_query,
    pg_scored_groups,
    pg_title_stems,
    pg_written,
)

# What the steps of a search cost, in microseconds, at a million articles on a small server
# (bench/scale.py): rows mostly come from the OS cache, not from PostgreSQL's own buffers.
POSTING_US = 0.07  # a GIN posting put in a bitmap
HIT_US = 5.0  # a row read through a bitmap
ROW_US = 2.3  # a row read in table order, its terms read and tested
PROBE_US = 4.6  # an article walked through the date index, its terms read and tested
# The first time window holds this many times a page's worth of hits if they were spread evenly
# over time; each next window is WIDEN times wider.
WINDOW_SLACK = 2
WIDEN = 4
# A window that held some hits but not a page's worth is followed by one as much wider as the
# hits it held say, at least WIDEN_MIN times.
WIDEN_MIN = 1.5
# A walk for a very common word gives up (and looks in windows) after this many times the
# articles that should hold a page's worth.
WALK_SLACK = 8
# A search whose hits the planner estimates at this many times its count cap or more is not
# counted: it has at least `cap` hits.
TRUSTED_ESTIMATE = 20

_MATCH = "s.terms @@ CAST(:q AS tsquery)"
_ORDER = "s.published_at DESC NULLS LAST, s.rowid DESC"
_COUNT = f"SELECT count(*) FROM (SELECT 1 FROM article_search s WHERE {_MATCH} LIMIT :cap) c"
_SORTED = (
    f"SELECT s.rowid FROM article_search s WHERE {_MATCH} {{since}} "
    f"ORDER BY {_ORDER} LIMIT :limit OFFSET :offset"
)
_WALKED = (
    "SELECT s.rowid FROM (SELECT rowid, published_at, terms FROM article_search "
    "ORDER BY published_at DESC NULLS LAST, rowid DESC LIMIT :walk) s "
    f"WHERE {_MATCH} ORDER BY {_ORDER} LIMIT :limit OFFSET :offset"
)


# What search_page and latest_hits need of the index: its size (the planner's estimate), its
# newest and oldest publish times, and its highest id.
Extent = tuple[float, datetime | None, datetime | None, int | None]


def search_page(
    conn: Connection, query: str, limit: int, offset: int, cap: int, extent: Extent | None = None
) -> tuple[list[int], int]:
    """One page of the articles matching a tsquery, newest first, and their count up to `cap`.

    Each step runs under the planner options it is built on (`restricted`). `extent` is
    `index_extent`, if known.
    """
    params = {"q": query, "cap": cap}
    extent, (hits,) = first_look(conn, [query], extent)
    size, newest, oldest, _ = extent
    wanted = offset + limit
    # Through the index: a posting per hit, then rows up to the cap. Testing rows in table
    # order instead stops at the cap, after about cap * size / hits rows.
    by_index = hits * POSTING_US + cap * HIT_US < cap * size / hits * ROW_US
    # A word the statistics say far more articles hold than the cap (they know the common
    # words well) has at least the cap: counting would build the bitmap of all its hits.
    trusted = hits >= TRUSTED_ESTIMATE * cap
    if trusted:
        total = cap
    else:
        rows = restricted(conn, _COUNT, params, seqscan=not by_index, bitmapscan=by_index)
        total = int(rows[0][0])
    if total < cap:
        return (page_by_sorting(conn, query, limit, offset) if total > offset else []), total
    # A walk tests about wanted * size / hits articles; windows cost at least the word's
    # bitmap and the rows of a page's worth of hits.
    walked = wanted * size / hits * PROBE_US
    if walked < hits * POSTING_US + WINDOW_SLACK * wanted * HIT_US:
        ids = page_by_walking(conn, query, limit, offset, int(WALK_SLACK * wanted * size / hits))
        if len(ids) == limit:
            return ids, total
    # Windows of the newest articles by date, as if articles were spread evenly over time.
    window = WINDOW_SLACK * wanted * size / max(hits, cap)
    while newest is not None and oldest is not None and window < size:
        since = newest - (newest - oldest) * (window / size)
        ids = page_by_sorting(conn, query, limit, offset, since)
        if len(ids) == limit:
            return ids, total
        # The hits a window held tell how wide the next must be (the planner's estimate
        # of a rare word can be far off); a window holding none of the page, WIDEN wider.
        held = offset + len(ids) if ids else 0
        window *= max(WIDEN_MIN, WINDOW_SLACK * wanted / held) if held else WIDEN
    return page_by_sorting(conn, query, limit, offset), total


def page_by_sorting(
    conn: Connection, query: str, limit: int, offset: int, since: datetime | None = None
) -> list[int]:
    """A page of every hit (published `since` or later if given), read and sorted by date."""
    where = "AND s.published_at >= :since" if since is not None else ""
    params = {"q": query, "limit": limit, "offset": offset, "since": since}
    sql = _SORTED.format(since=where)
    return [int(r[0]) for r in restricted(conn, sql, params, seqscan=False, bitmapscan=True)]


def page_by_walking(conn: Connection, query: str, limit: int, offset: int, walk: int) -> list[int]:
    """A page of the hits among the `walk` newest articles, each tested in date order."""
    params = {"q": query, "limit": limit, "offset": offset, "walk": walk}
    rows = restricted(conn, _WALKED, params, seqscan=False, bitmapscan=False)
    return [int(r[0]) for r in rows]


def counted(
    conn: Connection,
    queries: Sequence[str | None],
    cap: int,
    known: dict[str, float] | None = None,
) -> list[int]:
    """The hits of each tsquery counted up to `cap` (0 for None), through the GIN index.

    Left to itself, the planner takes a rare word for a common one and tests every row's
    terms in table order (56 ms for 300 hits at only 1,300 articles, far worse at a million).
    `known`: the planner's estimates of some of the queries (`first_look`), not asked again.
    """
    given = [q for q in queries if q]
    known = known or {}
    unknown = [q for q in given if q not in known]
    known = known | dict(zip(unknown, estimates(conn, unknown), strict=True))
    # A word the statistics say far more articles hold than the cap has at least the cap:
    # counting it would build the bitmap of all its postings.
    common = {q for q in given if known[q] >= TRUSTED_ESTIMATE * cap}
    asked = [q for q in given if q not in common]
    found: dict[str, int] = dict.fromkeys(common, cap)
    if asked:
        # One statement counting each (one round trip).
        each = ", ".join(
            f"(SELECT count(*) FROM (SELECT 1 FROM article_search s "
            f"WHERE s.terms @@ CAST(:q{n} AS tsquery) LIMIT :cap) c{n})"
            for n in range(len(asked))
        )
        params: dict[str, Any] = {f"q{n}": q for n, q in enumerate(asked)} | {"cap": cap}
        (counts,) = restricted(conn, f"SELECT {each}", params, seqscan=False, bitmapscan=True)
        found.update(zip(asked, (int(c) for c in counts), strict=True))
    return [found[q] if q else 0 for q in queries]


def estimates(conn: Connection, queries: Sequence[str]) -> list[float]:
    """The planner's estimate of the hits of each tsquery (from table statistics, at least 1),
    from one EXPLAIN (each query is a round trip to the server, which a loaded one answers late).
    """
    if not queries:
        return []
    return _estimated(together(conn, [_estimates(queries)])[0], len(queries))


def _estimates(queries: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """The EXPLAIN giving the planner's estimates of these tsqueries' hits (`_estimated`)."""
    sql = " UNION ALL ".join(
        f"SELECT 1 FROM article_search s WHERE s.terms @@ CAST(:q{n} AS tsquery)"
        for n in range(len(queries))
    )
    return f"EXPLAIN (FORMAT JSON) {sql}", {f"q{n}": q for n, q in enumerate(queries)}


def _estimated(rows: Sequence[Any], queries: int) -> list[float]:
    """Each query's estimate from the rows of `_estimates`."""
    plan = rows[0][0][0]["Plan"]
    # Several queries are an Append of one plan each (parallel plans are off: `_PLAN`).
    parts = plan["Plans"] if queries > 1 else [plan]
    return [max(float(part["Plan Rows"]), 1.0) for part in parts]


_EXTENT = (
    "SELECT (SELECT CASE WHEN c.reltuples > 0 AND c.relpages > 0 THEN c.reltuples "
    "/ c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int) "
    "END FROM pg_class c WHERE c.oid = 'article_search'::regclass), "
    "max(published_at), min(published_at), max(rowid) FROM article_search"
)
# The planner's own guess of the index's size, for a table never analyzed.
_GUESS = "EXPLAIN (FORMAT JSON) SELECT 1 FROM article_search"


def index_extent(conn: Connection) -> Extent:
    """The planner's estimate of the articles indexed (as it scales its statistics to the
    table's size now), the newest and oldest publish times and the highest id, in one round
    trip."""
    extent, _ = first_look(conn, [])
    return extent


def first_look(
    conn: Connection, queries: Sequence[str], extent: Extent | None = None
) -> tuple[Extent, list[float]]:
    """`index_extent` (unless given) and the planner's estimates of these tsqueries' hits,
    in one round trip."""
    statements: list[tuple[str, dict[str, Any]]] = (
        [] if extent is not None else [(_EXTENT, {}), (_GUESS, {})]
    )
    if queries:
        statements.append(_estimates(queries))
    rows = together(conn, statements)
    found = _estimated(rows[-1], len(queries)) if queries else []
    if extent is not None:
        return extent, found
    size, newest, oldest, top = rows[0][0]
    if size is None:  # never analyzed: the planner's own guess
        size = rows[1][0][0][0]["Plan"]["Plan Rows"]
    return (max(float(size), 1.0), newest, oldest, top), found


def together(conn: Connection, statements: Sequence[tuple[str, dict[str, Any]]]) -> list[list[Any]]:
    """The rows of each statement (none for one that returns none), all sent to the server
    at once and answered in one round trip (psycopg's pipeline mode): a loaded server answers
    each round trip late, and most steps of a search are statements that wait on no other."""
    raw = conn.connection.driver_connection
    assert raw is not None  # a live connection: `conn` is open
    cursors = []
    with raw.pipeline():
        for sql, params in statements:
            compiled = text(sql).compile(dialect=conn.dialect)
            cursor = raw.cursor()
            cursor.execute(str(compiled), compiled.construct_params(params))
            cursors.append(cursor)
    return [list(c.fetchall()) if c.description is not None else [] for c in cursors]


def restricted(
    conn: Connection, sql: str, params: dict[str, Any], *, seqscan: bool, bitmapscan: bool
) -> list[Any]:
    """The rows of a statement planned with only the scans it is built on (and no JIT or
    parallel workers, costly on a search), the planner's options set before it and reset
    after it in the same round trip (the next statements, like the newest publish time,
    need the usual plans).

    The planner's own choice misjudges both kinds of word: it takes a rare word for a common
    one (it knows only the commonest words) and does not count reading a row's terms out of
    line.
    """
    options = {
        "seq": "on" if seqscan else "off",
        "bitmap": "on" if bitmapscan else "off",
        "index": "off" if seqscan or bitmapscan else "on",
    }
    return together(conn, [(_PLAN, options), (sql, params), (_RESET, {})])[1]


_PLAN = (
    "SELECT set_config('enable_seqscan', :seq, true), "
    "set_config('enable_bitmapscan', :bitmap, true), "
    "set_config('enable_indexscan', :index, true), set_config('jit', 'off', true), "
    "set_config('max_parallel_workers_per_gather', '0', true)"
)
_RESET = (
    "SELECT set_config(name, reset_val, true) FROM pg_settings "
    "WHERE name IN ('enable_seqscan', 'enable_bitmapscan', 'enable_indexscan')"
)


# Ranking: ts_rank's weights for body, (unused), lead and title positions.
RANK_WEIGHTS = "{0.25, 0.25, 0.4, 1.0}"
_FILTERED = (
    "SELECT s.rowid FROM article_search s JOIN articles a ON a.id = s.rowid "
    f"WHERE {_MATCH} {{where}} ORDER BY {_ORDER} LIMIT :limit OFFSET :offset"
)
_FILTERED_COUNT = (
    "SELECT count(*) FROM (SELECT 1 FROM article_search s JOIN articles a ON a.id = s.rowid "
    f"WHERE {_MATCH} {{where}} LIMIT :cap) c"
)


def filtered_page(
    conn: Connection, query: str, limit: int, offset: int, cap: int, filters: Filters
) -> tuple[list[int], int]:
    """A page of the hits that pass the filters, newest first, and their count up to `cap`."""
    where, params = filters.sql()
    params |= {"q": query, "limit": limit, "offset": offset, "cap": cap}
    total = int(conn.execute(text(_FILTERED_COUNT.format(where=where)), params).scalar_one())
    ids = list(conn.execute(text(_FILTERED.format(where=where)), params).scalars())
    return ids, total


def scored(
    conn: Connection, parsed: ParsedQuery, rank_cap: int, cap: int, filters: Filters
) -> tuple[list[Scored], int]:
    """The latest stored `rank_cap` hits (`latest_hits`) scored by their text, and the count
    of hits up to `cap`.

    Which hits count is as on SQLite (`sqlite_search.scored`). Only the capped candidates are
    scored, so the cost stays bounded whatever the number of hits: each group's ts_rank
    (weighted by part; its stems and words as written are alternatives, so a name found as
    written scores about twice its stem alone) times its idf; hits lacking some group are
    multiplied by PARTIAL, a folded group held by stems only counts as `ranking.STEM_ONLY`
    says. The title cover comes from the title's positions (weight A) of the same terms.

    The candidates are scored by the statement that finds them (`latest_rows`), so that a
    search is three round trips: the estimates, the scored candidates, then their rows.
    """
    every = pg_query(parsed)
    if every is None:
        return [], 0
    # Each group alone (for a relaxed query's counts) and without the excluded (for its idf):
    # their estimates come with the whole query's and the index extent, in one round trip.
    several = len(parsed.groups) > 1
    each = [pg_query(replace(parsed, groups=(g,))) for g in parsed.groups] if several else []
    bare = [pg_query(replace(parsed, groups=(g,), excluded=())) for g in parsed.groups]
    asked = list(dict.fromkeys(q for q in [every, *each, *(bare if several else [])] if q))
    extent, estimated = first_look(conn, asked)
    known = dict(zip(asked, estimated, strict=True))
    tests = _tests(parsed)
    # A long query is always relaxed: its full query's hits are not looked for.
    rows: list[Any] = []
    total = 0
    if len(parsed.groups) < LONG_QUERY:
        # The rarest group's estimate bounds the whole query's (`latest_rows`).
        upper = min((known[q] for q in each if q), default=None)
        hits = (known[every], upper)
        rows, total = _candidates(conn, every, rank_cap, cap, filters, extent, hits, tests)
    relax = len(parsed.groups) >= LONG_QUERY or (several and total < RELAX_BELOW)
    if relax:
        # As on SQLite: only the groups that fewer than RARE_BELOW articles hold find hits.
        rare = rare_groups(parsed, counted(conn, each, RARE_BELOW, known))
        relaxed = pg_query(rare, every=False) or every
        rows, total = _candidates(
            conn, relaxed, rank_cap, cap, filters, extent, (known.get(relaxed), None), tests
        )
    if not rows:
        return [], total
    groups = len(parsed.groups)
    idf = _idf(bare, known, extent[0]) if several else [1.0] * groups
    values = {int(row[0]): [float(v) for v in row[2::4]] for row in rows}
    written = {int(row[0]): [bool(v) for v in row[3::4]] for row in rows}
    titles = {
        int(row[0]): title_cover(list(zip(row[4::4], row[5::4], strict=True))) for row in rows
    }
    stem_only = dict.fromkeys(values, 0)
    for n in range(groups):
        held = [i for i, v in values.items() if v[n] > 0]
        if folded(len(held), sum(written[i][n] for i in held)):
            for i in held:
                stem_only[i] += not written[i][n]
    found: list[Scored] = []
    for i, ranked in values.items():
        lacking = relax and not all(v > 0 for v in ranked)
        score = sum(w * v for w, v in zip(idf, ranked, strict=True)) * STEM_ONLY ** stem_only[i]
        score *= PARTIAL if not all(v > 0 for v in ranked) else 1.0
        found.append(Scored(i, score, behind(groups, lacking, stem_only[i]), titles[i]))
    return found, total


# What scoring reads of a hit (`_tests`), as `s.t`: its terms, read out of line and
# decompressed once per row (the subquery's copy), not once per expression: ts_delete of
# nothing copies them, where concatenating an empty tsvector (as before) merged them again,
# costing more than the four reads it saved. `{hits}` is a statement of (rowid, held, terms)
# rows: the terms as the row holds them (a pointer to them out of line), so that the row found
# is not looked up again by its id (an index descent and its page again, a third of what
# scoring read). They are scored if `{kept}` (a condition on `held`) says they are all that is
# wanted, else their tests are NULL (a read too narrow is read again wider, its scoring not
# spent). The tests are computed beside the copy, so that only their results (a few bytes a
# row) are sorted: sorting the copies themselves (300 of several kilobytes) overflowed
# work_mem and spilled to disk, 15 to 30 ms a search at 1M articles.
_SCORED = (
    "WITH h AS MATERIALIZED ({hits}) SELECT r.rowid, r.held, {columns} FROM "
    "(SELECT s.rowid, s.held, {tests} FROM (SELECT rowid, held, CASE WHEN {kept} THEN "
    "ts_delete(terms, ARRAY[]::text[]) END AS t FROM h OFFSET 0) s OFFSET 0) r "
    "ORDER BY r.rowid DESC"
)
# Hits given by their ids, for `_SCORED`.
_GIVEN = "SELECT rowid, 0 AS held, terms FROM article_search WHERE rowid = ANY(CAST(:ids AS int[]))"


class Tests(NamedTuple):
    """Scoring expressions over `s.t` (one hit's terms), each named; the named results as
    columns of `r`; and their parameters."""

    expressions: str
    columns: str
    params: dict[str, Any]

    def scored(self, hits: str, kept: str) -> str:
        """`_SCORED` of these tests."""
        return _SCORED.format(hits=hits, tests=self.expressions, columns=self.columns, kept=kept)


def _tests(parsed: ParsedQuery) -> Tests:
    """Per group: its ts_rank, whether the article holds it as written, and whether its title
    holds it as written and by stems."""
    groups = pg_scored_groups(parsed)
    tests = ", ".join(
        f"ts_rank(CAST(:w AS float4[]), s.t, CAST(:g{n} AS tsquery), 1) AS r{n}, "
        f"s.t @@ CAST(:v{n} AS tsquery) AS v{n}, s.t @@ CAST(:a{n} AS tsquery) AS a{n}, "
        f"s.t @@ CAST(:b{n} AS tsquery) AS b{n}"
        for n in range(len(groups))
    )
    columns = ", ".join(f"r.r{n}, r.v{n}, r.a{n}, r.b{n}" for n in range(len(groups)))
    params: dict[str, Any] = {"w": RANK_WEIGHTS}
    for n, (scoring, group) in enumerate(zip(groups, parsed.groups, strict=True)):
        params |= {f"g{n}": scoring, f"v{n}": pg_written(group)}
        params |= {f"a{n}": pg_written(group, "A"), f"b{n}": pg_title_stems(group)}
    return Tests(tests, columns, params)


def _idf(each: Sequence[str | None], known: dict[str, float], size: float) -> list[float]:
    """Each group's weight: its idf, from the planner's estimate (`known`) of how many articles
    hold its stems (`each`, a tsquery per group) among `size` (a query of one group needs none:
    a common factor does not change the order)."""
    return [math.log(1 + size / (known[q] if q else size)) for q in each]


def _candidates(
    conn: Connection,
    query: str,
    rank_cap: int,
    cap: int,
    filters: Filters,
    extent: Extent,
    hits: tuple[float | None, float | None],
    tests: Tests,
) -> tuple[list[Any], int]:
    """The latest stored `rank_cap` hits of a tsquery (the newest by publish time, with
    filters) as rows of id, (a number) and `tests`, and their count up to `cap` (`hits`: the
    planner's estimates of the query and of its rarest group, if known)."""
    if filters.any():
        ids, total = filtered_page(conn, query, rank_cap, 0, cap, filters)
        if not ids:
            return [], total
        sql = tests.scored(_GIVEN, "true")
        return list(conn.execute(text(sql), tests.params | {"ids": ids}).all()), total
    return latest_rows(conn, query, rank_cap, cap, extent, hits[0], tests, hits[1])


_ANY = (
    "SELECT rowid, count(*) OVER () AS held, terms FROM (SELECT s.rowid, s.terms "
    "FROM article_search s "
    f"WHERE {_MATCH} LIMIT :cap) f ORDER BY rowid DESC LIMIT :n"
)
# The block of ids an article is in, as the GIN index holds it beside the terms (migration
# 0015): one lexeme, 'b' and the id divided by BLOCK_IDS.
BLOCK_IDS = 4096


def block_of(rowid: str) -> str:
    """The expression of an id's block (`rowid`, a column) that the GIN index holds."""
    return f"array_to_tsvector(ARRAY['b' || ({rowid} / {BLOCK_IDS})::text])"


# The index as migration 0015 makes it (bench/scale.py builds it again after a bulk load).
TERMS_INDEX = (
    f"CREATE INDEX ix_article_search_terms ON article_search USING GIN "
    f"(terms, ({block_of('rowid')})) WITH (gin_pending_list_limit = 256)"
)
_BLOCK = block_of("s.rowid")
# The first window of latest ids is at most this many blocks wide (`latest_rows`), and the
# next is sized to hold this many times the hits wanted at the density the first showed.
FIRST_BLOCKS = 2
DENSITY_SLACK = 1.4
# A window of more blocks than this looks at every hit instead (the index merges the
# postings of every block asked for: 155 blocks, 120 ms).
MAX_BLOCKS = 64
_LATEST = (
    f"SELECT s.rowid, count(*) OVER () AS held, s.terms FROM article_search s WHERE {_MATCH} "
    "{blocks} ORDER BY s.rowid DESC LIMIT :n"
)


def latest_hits(
    conn: Connection, query: str, n: int, cap: int, extent: Extent, hits: float | None = None
) -> tuple[list[int], int]:
    """The `n` hits of a tsquery stored last (the highest ids, as SQLite ranks), and their
    count up to `cap` (`latest_rows` without scoring)."""
    rows, total = latest_rows(conn, query, n, cap, extent, hits)
    return [int(r[0]) for r in rows], total


def latest_rows(
    conn: Connection,
    query: str,
    n: int,
    cap: int,
    extent: Extent,
    hits: float | None = None,
    tests: Tests | None = None,
    upper: float | None = None,
) -> tuple[list[Any], int]:
    """The `n` hits of a tsquery stored last (the highest ids, as SQLite ranks), highest
    first, as rows of id, (a number) and `tests` of each, and their count up to `cap`.

    Ids are dense, so a window of the latest ids holds hits as the planner's estimate of the
    word says, far more surely than a time window does (news bunches up in time). The GIN
    index knows each article's block of ids (migration 0015): asked for the words among the
    window's blocks, it skips the postings of older articles, so a search reads the index
    pages and the rows of its window only, whatever the number of hits. A word the estimate
    calls rare is read whole first (up to `cap` hits, no window: its few postings cost less
    than the blocks'). `hits`: the planner's estimate of the query's hits, if known; `upper`:
    that of its rarest group, if it has several. A read
    that turns out too narrow is read again wider, its scoring lost.
    """
    size, _, _, top = extent
    if top is None:
        return [], 0
    if hits is None:
        (hits,) = estimates(conn, [query])
    # What the statistics allow at most: the rarest group's own estimate (words found together
    # more often than apart, as a name's or a headline's, hold about as many hits as their
    # rarest; the planner multiplies their frequencies: 25 for two words that 1,000 hold).
    upper = max(hits, upper or hits)
    # Whether the hits are known to reach the cap: a word the statistics say far more
    # articles hold does.
    capped = hits >= TRUSTED_ESTIMATE * cap
    if upper < cap:
        # Up to `cap` hits in one read: fewer are all the hits, the latest `n` of them taken
        # here (a count, then a page, would read their rows twice).
        rows = _latest(conn, _ANY, {"q": query, "cap": cap, "n": n}, tests, "held < :cap")
        held = int(rows[0][1]) if rows else 0
        if held < cap:
            return rows, held
        capped = True
        # The estimate was low: the hits read, the first stored, tell how many articles in a
        # range hold them.
        hits = max(hits, cap * size / max(int(rows[0][0]), 1))
    # The first window is at most FIRST_BLOCKS wide, however rare the estimate says the words
    # are: a word the statistics do not know is given one frequency (0.5%) whatever its own
    # (from 0 to the least of the words they know, 6% at a million articles), and every hit
    # of a window is read (one row each), so a window sized from it read up to 14 times the
    # hits wanted. The hits the first window holds say how wide the next must be.
    span = min(WINDOW_SLACK * n * size / max(hits, 1.0), FIRST_BLOCKS * BLOCK_IDS)
    while True:
        low = max(int(top - span), 0)
        blocks = range(low // BLOCK_IDS, top // BLOCK_IDS + 1)
        # Every hit once the window would hold most ids (no id range either: the planner
        # would take one over all rows and test each row's terms), else those of its blocks.
        every = low == 0 or len(blocks) > MAX_BLOCKS
        rows = _window(conn, query, n, None if every else blocks, tests)
        held = int(rows[0][1]) if rows else 0  # the window's hits, all of them
        if every:
            return rows, min(held, cap)
        if len(rows) == n:
            if not capped and held < cap:
                density = held / (top - blocks.start * BLOCK_IDS + 1)
                held = _older(conn, query, held, cap, blocks.start, density)
            return rows, cap if capped else min(held, cap)
        # The window's hits tell the words' density: the next holds DENSITY_SLACK times the
        # hits wanted at that density.
        span *= max(WIDEN_MIN, DENSITY_SLACK * n / held) if held else WIDEN


def _window(
    conn: Connection, query: str, n: int, blocks: range | None, tests: Tests | None
) -> list[Any]:
    """The latest `n` hits of a tsquery in these blocks of ids (None: anywhere), each with the
    number of hits there (and `tests`)."""
    where = "" if blocks is None else f"AND {_BLOCK} @@ CAST(:blocks AS tsquery)"
    params = {"q": query, "n": n, "blocks": " | ".join(f"b{b}" for b in blocks or ())}
    # A window holding fewer than `n` hits is followed by a wider one: it is not scored.
    kept = "true" if blocks is None else "held >= :n"
    return _latest(conn, _LATEST.format(blocks=where), params, tests, kept)


def _latest(
    conn: Connection, hits: str, params: dict[str, Any], tests: Tests | None, kept: str
) -> list[Any]:
    """The rows of a statement of hits (id, held, terms), highest id first, as (id, held) and
    `tests` if given and the hits are `kept` (`_SCORED`), through the GIN index."""
    if tests is not None:
        hits, params = tests.scored(hits, kept), params | tests.params
    else:  # the terms stay in the server
        hits = f"SELECT rowid, held FROM ({hits}) h ORDER BY rowid DESC"
    return restricted(conn, hits, params, seqscan=False, bitmapscan=True)


_OLDER = (
    f"SELECT count(*) FROM (SELECT FROM article_search s WHERE {_MATCH} "
    f"AND {_BLOCK} @@ CAST(:blocks AS tsquery) LIMIT :cap) c"
)


def _older(conn: Connection, query: str, held: int, cap: int, below: int, density: float) -> int:
    """The hits of a tsquery counted up to `cap`, `held` of them at block `below` and after:
    the blocks just before it that should hold the rest at the density of the window above
    are counted first (at most MAX_BLOCKS, the index skipping the rest), then, if they do not
    hold enough, every hit."""
    wanted = cap - held
    first = below - math.ceil(WINDOW_SLACK * wanted / max(density, 1e-9) / BLOCK_IDS)
    if below - first <= MAX_BLOCKS and first > 0:
        blocks = " | ".join(f"b{b}" for b in range(first, below))
        params = {"q": query, "cap": wanted, "blocks": blocks}
        if int(restricted(conn, _OLDER, params, seqscan=False, bitmapscan=True)[0][0]) == wanted:
            return cap
    params = {"q": query, "cap": cap}
    return int(restricted(conn, _COUNT, params, seqscan=False, bitmapscan=True)[0][0])
