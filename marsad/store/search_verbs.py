"""Search verbs of the store: ranked or newest-first pages, one result per story, suggestions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import Connection, func, select

from marsad.arabic.normalize import matching_form
from marsad.store import dialect
from marsad.store.ranking import (
    RECHECK,
    Hit,
    Ranked,
    Scored,
    blend,
    fold,
    newest_first,
    without_article,
)
from marsad.store.schema import article_keyphrases, articles, keyphrases, sources
from marsad.store.schema import stories as story_table
from marsad.store.search import (
    TOTAL_CAP,
    ParsedQuery,
    bare_in_title,
    definite_words,
    parse_query,
)
from marsad.store.search_match import Filters
from marsad.store.times import as_utc, now_utc
from marsad.store.writer import Writes

Sort = Literal["relevance", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest")
# Suggestions: the shortest prefix looked up, how many keyphrases a prefix may list before
# they are counted, and how many of each kind are returned at most.
SUGGEST_MIN_CHARS = 2
SUGGEST_SCAN = 200
SUGGEST_MAX = 10


@dataclass(frozen=True)
class SearchPage:
    """One page of search results (folded by story when asked) and what the query meant."""

    hits: list[Ranked]
    total: int
    query: ParsedQuery = field(default_factory=ParsedQuery)

    @property
    def ids(self) -> list[int]:
        """The page's article ids in result order."""
        return [h.id for h in self.hits]


@dataclass(frozen=True)
class Suggestions:
    """What a prefix may be heading for: keyphrases (with article counts) and stories."""

    tags: list[tuple[str, int]]
    stories: list[tuple[int, str]]


class SearchVerbs(Writes):
    """Search over the full-text index (composed into `Store`)."""

    def search(
        self,
        query: str,
        limit: int = 20,
        offset: int = 0,
        cap: int = TOTAL_CAP,
        *,
        sort: Sort = "relevance",
        group: bool = False,
    ) -> tuple[list[int], int]:
        """Article ids matching the query (any variant), best first or newest, and the total.

        The total counts hits up to `cap`: a total equal to `cap` means "at least that many".
        """
        page = self.search_page(query, limit, offset, cap, sort=sort, group=group)
        return page.ids, page.total

    def search_page(
        self,
        query: str,
        limit: int = 20,
        offset: int = 0,
        cap: int = TOTAL_CAP,
        *,
        sort: Sort = "relevance",
        group: bool = False,
        sources: Sequence[str] = (),
        since: date | None = None,
        until: date | None = None,
    ) -> SearchPage:
        """A page of results; `sources`, `since` and `until` add to the query's own filters.

        Relevance ranks the capped candidates (see `dialect.scored_hits`) with freshness
        blended in; grouping keeps the best hit of each story and counts the others.
        """
        parsed = parse_query(query)
        offset = max(offset, 0)
        with self.engine.connect() as conn:
            filters = _filters(
                conn, tuple(sources) or parsed.sources, since or parsed.since, until or parsed.until
            )
            if sort == "newest" and not group:
                ids, total = dialect.newest_hits(conn, parsed, limit, offset, cap, filters)
                return SearchPage([Ranked(i, 0.0, None) for i in ids], total, parsed)
            if sort == "newest":
                ids, total = dialect.newest_hits(
                    conn, parsed, dialect.SQLITE_RANK_CAP, 0, cap, filters
                )
                scored = [Scored(i, 0.0) for i in ids]
            else:
                scored, total = dialect.scored_hits(conn, parsed, cap, filters)
            hits, newest = _hits(conn, scored, fresh=sort != "newest")
            if sort == "newest":
                ranked = newest_first(hits)
            else:
                ranked = _relevance(conn, hits, newest, query, len(parsed.groups))
        if group:
            ranked = fold(ranked, hits)
            if total < cap and total <= len(hits):  # every hit is a candidate: count stories
                total = len(ranked)
        return SearchPage(ranked[offset : offset + limit], total, parsed)

    def suggest(self, prefix: str, limit: int = 5, stories: bool = True) -> Suggestions:
        """Keyphrases starting with the prefix (most used first) and stories it finds."""
        form = matching_form(prefix)
        limit = max(1, min(limit, SUGGEST_MAX))
        if len(form.replace(" ", "")) < SUGGEST_MIN_CHARS:
            return Suggestions([], [])
        like = form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.engine.connect() as conn:
            tags = _tags(conn, like, limit)
        if not stories:
            return Suggestions(tags, [])
        page = self.search_page(prefix, limit, group=True)
        found = [h.story_id for h in page.hits if h.story_id is not None]
        stmt = select(story_table.c.id, story_table.c.title).where(story_table.c.id.in_(found))
        with self.engine.connect() as conn:
            titles = dict(conn.execute(stmt).tuples().all())
        return Suggestions(tags, [(i, titles[i]) for i in found if i in titles])


def _relevance(
    conn: Connection, hits: list[Hit], newest: datetime | None, query: str, groups: int
) -> list[Ranked]:
    """Hits blended (`ranking.blend`, freshness from `newest`), then again once the titles of
    the first RECHECK are read for the words typed with the article that they hold only
    bare."""
    ranked = blend(hits, newest)
    definite = definite_words(query)
    if not definite or not ranked:
        return ranked
    first = [r.id for r in ranked[:RECHECK]]
    stmt = select(articles.c.id, articles.c.match_title).where(articles.c.id.in_(first))
    bare = {int(i): bare_in_title(t, definite) for i, t in conn.execute(stmt).all()}
    if not any(bare.values()):
        return ranked
    return blend(without_article(hits, bare, groups), newest)


def _filters(
    conn: Connection, slugs: Sequence[str], since: date | None, until: date | None
) -> Filters:
    """The filters of a search: source slugs to ids, dates to a half-open time range (UTC)."""
    ids = None
    if slugs:
        stmt = select(sources.c.id).where(sources.c.slug.in_([s.lower() for s in slugs]))
        ids = tuple(int(i) for i in conn.execute(stmt).scalars())
    start = datetime.combine(since, time()) if since else None
    before = datetime.combine(until + timedelta(days=1), time()) if until else None
    return Filters(ids, start, before)


def _hits(
    conn: Connection, scored: Sequence[Scored], fresh: bool
) -> tuple[list[Hit], datetime | None]:
    """The candidates with their publish time, story and original, in the order given, and
    (if `fresh`) the newest publish time in the store that is not in the future (freshness's
    'now'), None if there are no candidates."""
    if not scored:
        return [], None
    now = now_utc().replace(tzinfo=None) if fresh else None
    rows, newest = dialect.candidate_rows(conn, [s.id for s in scored], now)
    found = {int(r[0]): r for r in rows}
    hits = [
        Hit(
            s.id,
            s.score,
            _moment(found[s.id][1]),
            found[s.id][2],
            found[s.id][3],
            s.behind,
            s.title,
        )
        for s in scored
        if s.id in found
    ]
    return hits, as_utc(newest)


def _moment(epoch: int | None) -> datetime | None:
    """A time from epoch seconds (UTC)."""
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _tags(conn: Connection, like: str, limit: int) -> list[tuple[str, int]]:
    """Keyphrases whose matching form starts with a LIKE prefix, by article count."""
    first = (
        select(keyphrases.c.id, keyphrases.c.display)
        .where(keyphrases.c.match.like(like, escape="\\"))
        .limit(SUGGEST_SCAN)
        .subquery()
    )
    n = func.count(article_keyphrases.c.article_id).label("n")
    stmt = (
        select(first.c.display, n)
        .join(article_keyphrases, article_keyphrases.c.keyphrase_id == first.c.id)
        .group_by(first.c.id, first.c.display)
        .order_by(n.desc(), first.c.display)
        .limit(limit)
    )
    return [(display, int(count)) for display, count in conn.execute(stmt)]
