"""SQLite search: FTS5 lists hits, newest first or scored by its bm25 with weighted columns.

The six columns (stems of title, lead and body, then their words as written) are weighted so
that a title counts TITLE times a body word and the lead LEAD times, and a stem match STEM
times a match as written: a name matched as written ranks far above a common word that only
shares its stem. FTS5 computes bm25 for every hit, then keeps the best `rank_cap`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

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
from marsad.store.search import Group, ParsedQuery
from marsad.store.search_match import Filters, fts_query, fts_title, fts_written

TITLE = 4.0
LEAD = 1.5
BODY = 1.0
STEM = 0.4
WEIGHTS = ", ".join(str(w) for w in (TITLE * STEM, LEAD * STEM, BODY * STEM, TITLE, LEAD, BODY))
# What walking one article costs a search on SQLite, in hits sorted by date instead (measured
# at 100k articles: more than the probe itself, as a word's hits often bunch up in the past).
WALK_COST = 32
# The articles table (as `a`) as search reads it: through the index holding what search reads of a row
# (id, publish time, story, original, source: migration 0014), not the rows, where those
# columns follow the text.
HITS = "articles a INDEXED BY ix_articles_search_hits"


def newest_page(
    conn: Connection, match: str, limit: int, offset: int, cap: int, filters: Filters
) -> tuple[list[int], int]:
    """A page of the hits of an FTS5 expression, newest first, and their count up to `cap`.

    FTS5 lists a word's rowids fast, so hits are counted up to where walking articles newest
    first (FTS5 looks each one up in the word's list) gets cheaper than sorting every hit by
    date, about sqrt(wanted * articles * WALK_COST) hits.
    """
    order = "a.published_at DESC, a.id DESC"  # SQLite sorts NULLs last in DESC order
    size = conn.execute(text("SELECT coalesce(max(id), 0) FROM articles")).scalar_one()
    scan = max(cap, math.isqrt((offset + limit) * int(size) * WALK_COST))
    where, params = filters.sql()
    params |= {"q": match, "limit": limit, "offset": offset, "scan": scan}
    join = f"JOIN {HITS} ON a.id = s.rowid" if filters.any() else ""
    hits = conn.execute(
        text(
            f"SELECT count(*) FROM (SELECT 1 FROM article_search s {join} "
            f"WHERE article_search MATCH :q {where} LIMIT :scan)"
        ),
        params,
    ).scalar_one()
    if hits < scan:
        sql = (
            f"SELECT a.id FROM article_search s JOIN {HITS} ON a.id = s.rowid "
            f"WHERE article_search MATCH :q {where} ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
    else:
        sql = (
            "SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM article_search s "
            f"WHERE s.rowid = a.id AND article_search MATCH :q) {where} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
    return list(conn.execute(text(sql), params).scalars()), min(int(hits), cap)


def scored(
    conn: Connection, parsed: ParsedQuery, rank_cap: int, cap: int, filters: Filters
) -> tuple[list[Scored], int]:
    """Up to `rank_cap` hits scored by weighted bm25 (higher is better), and the count to `cap`.

    Hits must hold every group of the query, except for a long query, or a short one that
    fewer than RELAX_BELOW articles hold in full (ranking.LONG_QUERY): then any of its rarer
    groups will do, hits lacking some scored PARTIAL times lower, and for a short query
    marked to rank behind every complete hit; a folded group held by stems only counts as
    `ranking.STEM_ONLY` says. When there are more than `rank_cap` hits, the newest by id (the
    latest stored) are the ones scored, so the cost stays bounded. Each candidate's title cover
    comes from the title columns the index stores.
    """
    every = fts_query(parsed)
    if every is None:
        return [], 0
    where, params = filters.sql()
    join = f"JOIN {HITS} ON a.id = article_search.rowid" if filters.any() else ""
    count = (
        f"SELECT count(*) FROM (SELECT 1 FROM article_search {join} "
        f"WHERE article_search MATCH :q {where} LIMIT :cap)"
    )
    # Counted past the display cap up to `rank_cap`, so that which hits are scored (all, or the
    # newest) never depends on the cap.
    params |= {"cap": max(cap, rank_cap), "n": rank_cap}
    total = int(conn.execute(text(count), params | {"q": every}).scalar_one())
    relax = len(parsed.groups) >= LONG_QUERY or (len(parsed.groups) > 1 and total < RELAX_BELOW)
    scored_query = parsed
    if relax:
        counts = [
            int(
                conn.execute(
                    text(count), params | {"q": fts_query(one), "cap": RARE_BELOW}
                ).scalar_one()
            )
            for one in _each_group(parsed)
        ]
        scored_query = rare_groups(parsed, counts)
    match = fts_query(scored_query, every=not relax) or every
    if relax:
        total = int(conn.execute(text(count), params | {"q": match}).scalar_one())
    newest = (
        f"SELECT article_search.rowid FROM article_search {join} "
        f"WHERE article_search MATCH :q {where} ORDER BY article_search.rowid DESC LIMIT :n"
    )
    floor = 0
    if total >= rank_cap:
        found = conn.execute(text(newest), params | {"q": match}).scalars().all()
        floor = int(found[-1]) if found else 0
    shown = min(total, cap)
    if len(parsed.groups) == 1 and len(parsed.groups[0].ways) > 1:
        rows = dict(_best_way(conn, parsed.groups[0], floor, join, where, params))
        complete = None
    else:
        scoring = fts_query(parsed, every=not relax, written=True) or match
        if relax and scored_query != parsed:
            # Only the rare groups' hits are candidates, but every group adds to their score
            # (the rare groups' stems, there twice, count twice: the rarer words weigh more).
            scoring = f"({match}) AND ({scoring})"
        rows = _bm25(conn, scoring, floor, join, where, params)
        complete = _matching(conn, every, floor, join, where, params) if relax else None
    # Unless relaxed, every candidate holds every group.
    held = None if relax else set(rows)
    stem_only = _stem_only(conn, parsed, match, held, floor, join, where, params)
    titles = _titles(conn, parsed, list(rows), match, floor, join, where, params)
    found = []
    for i, r in rows.items():
        lacking = complete is not None and i not in complete
        folded_away = stem_only.get(i, 0)
        score = r * (PARTIAL if lacking else 1.0) * STEM_ONLY**folded_away
        late = behind(len(parsed.groups), lacking, folded_away)
        found.append(Scored(i, score, late, titles.get(i, 0.0)))
    return found, shown


def _titles(
    conn: Connection,
    parsed: ParsedQuery,
    ids: list[int],
    candidates: str,
    floor: int,
    join: str,
    where: str,
    params: dict[str, Any],
) -> dict[int, float]:
    """The title cover of each candidate (the hits of `candidates` from `floor` on), from the
    index's title columns (column filters: the stored text is not read)."""
    held: dict[int, list[tuple[bool, bool]]] = {i: [] for i in ids}
    for group in parsed.groups:
        written_match, stem_match = fts_title(group)
        found_in = (f"({candidates}) AND {m}" if m else None for m in (written_match, stem_match))
        written, stemmed = (
            _matching(conn, m, floor, join, where, params) if m else set() for m in found_in
        )
        for i, found in held.items():
            found.append((i in written, i in stemmed))
    return {i: title_cover(found) for i, found in held.items()}


def _stem_only(
    conn: Connection,
    parsed: ParsedQuery,
    candidates: str,
    every_held: set[int] | None,
    floor: int,
    join: str,
    where: str,
    params: dict[str, Any],
) -> dict[int, int]:
    """For the candidates (the hits of `candidates` from `floor` on), how many of the query's
    folded groups (`ranking.folded`) each holds by stems only: per group, the candidates
    holding it (`every_held` if they all hold every group), and those holding it as written.
    Only candidates are read, so a common word costs no more than a rare one."""
    counts: dict[int, int] = {}
    for group in parsed.groups:
        held = every_held
        if held is None:
            alone = f"({candidates}) AND {fts_query(ParsedQuery((group,)))}"
            held = _matching(conn, alone, floor, join, where, params)
        written = _matching(
            conn, f"({candidates}) AND {fts_written(group)}", floor, join, where, params
        )
        if folded(len(held), len(held & written)):
            for i in held - written:
                counts[i] = counts.get(i, 0) + 1
    return counts


def _each_group(parsed: ParsedQuery) -> list[ParsedQuery]:
    """Each group of a query alone (with the query's exclusions)."""
    return [replace(parsed, groups=(g,)) for g in parsed.groups]


def _best_way(
    conn: Connection, group: Group, floor: int, join: str, where: str, params: dict[str, Any]
) -> list[tuple[int, float]]:
    """Scores of a one-group query with synonyms: each hit's best way, not their sum.

    bm25 adds up every phrase of an expression, so an article naming a thing two ways would
    count twice; each way is scored alone instead (the hits are the group's, from `floor` on).
    """
    best: dict[int, float] = {}
    for way in group.ways:
        alone = fts_query(ParsedQuery((Group((way,)),)), written=True)
        scores = _bm25(conn, alone or "", floor, join, where, params)
        top = max(scores.values(), default=0.0)
        for i, r in scores.items():
            best[i] = max(best.get(i, 0.0), r / top if top > 0 else 0.0)
    return list(best.items())


def _bm25(
    conn: Connection, match: str, floor: int, join: str, where: str, params: dict[str, Any]
) -> dict[int, float]:
    """Weighted bm25 (higher is better) of the hits of an FTS5 expression from `floor` on."""
    rows = conn.execute(
        text(
            f"SELECT article_search.rowid, bm25(article_search, {WEIGHTS}) FROM article_search "
            f"{join} WHERE article_search MATCH :q AND article_search.rowid >= :floor {where}"
        ),
        params | {"q": match, "floor": floor},
    )
    return {int(i): -float(r) for i, r in rows}


def _matching(
    conn: Connection, match: str, floor: int, join: str, where: str, params: dict[str, Any]
) -> set[int]:
    """The ids from `floor` on that match an FTS5 expression."""
    return set(
        conn.execute(
            text(
                f"SELECT article_search.rowid FROM article_search {join} "
                f"WHERE article_search MATCH :q AND article_search.rowid >= :floor {where}"
            ),
            params | {"q": match, "floor": floor},
        ).scalars()
    )
