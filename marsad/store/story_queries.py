"""Read-only story queries: the front page ranking, a story with its articles, related stories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from marsad.store.desk_schema import story_rules
from marsad.store.queries import (
    ArticleCard,
    StoryCard,
    StoryPage,
    card_select,
    fetch_cards,
)
from marsad.store.rows import StoryRow
from marsad.store.schema import article_keyphrases, articles, keyphrases, related_articles, stories
from marsad.store.stories import story_row
from marsad.store.times import as_utc, utc_naive
from marsad.store.writer import Writes

if TYPE_CHECKING:
    from marsad.store.desk_moderation import Pin
    from marsad.store.rows import StoredArticle

# Stories considered for the front page: with an article published in this window.
TOP_STORY_WINDOW = timedelta(hours=48)
# Hours added to a story's age, so that a one-source story minutes old does not outrank
# a story three sources have reported over the last two hours.
AGE_OFFSET_HOURS = 6.0
GRAVITY = 1.2
# A pinned story's score: above any a story earns.
PINNED_SCORE = 1e9


def _score(n_sources: int, n_articles: int, newest: datetime | None, ref: datetime) -> float:
    """Sources reporting a story, damped by its age (hours before the reference time)."""
    age = max(0.0, (ref - newest).total_seconds() / 3600) if newest else 48.0
    weight = n_sources + 0.25 * max(0, n_articles - n_sources)
    return float(weight / (age + AGE_OFFSET_HOURS) ** GRAVITY)


def _story_rows(conn: Connection, ids: list[int]) -> list[StoryRow]:
    """Story rows by id, in no particular order; stories an editor hid are left out."""
    if not ids:
        return []
    rows: list[StoryRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = select(stories).where(stories.c.id.in_(chunk), _shown())
        rows.extend(story_row(r) for r in conn.execute(stmt))
    return rows


def _shown() -> Any:
    """Stories readers may see: not hidden by an editor."""
    hidden = select(story_rules.c.story_id).where(story_rules.c.hidden.is_(True))
    return stories.c.id.not_in(hidden)


def _leads(conn: Connection, rows: Sequence[StoryRow]) -> dict[int, ArticleCard]:
    """Each story's lead article: the one the enricher chose, else the story's first."""
    chosen = {row.id: row.lead_article_id for row in rows if row.lead_article_id}
    missing = [row.id for row in rows if not row.lead_article_id]
    if missing:
        stmt = (
            select(articles.c.story_id, func.min(articles.c.id))
            .where(articles.c.story_id.in_(missing))
            .group_by(articles.c.story_id)
        )
        chosen.update({int(sid): int(aid) for sid, aid in conn.execute(stmt)})
    if not chosen:
        return {}
    cards = fetch_cards(conn, card_select().where(articles.c.id.in_(list(chosen.values()))))
    by_id = {card.id: card for card in cards}
    return {sid: by_id[aid] for sid, aid in chosen.items() if aid in by_id}


def _story_keyphrases(conn: Connection, story_id: int, limit: int = 10) -> list[str]:
    """The keyphrases most of a story's articles carry, best first."""
    n = func.count().label("n")
    stmt = (
        select(keyphrases.c.display, n)
        .select_from(articles)
        .join(article_keyphrases, article_keyphrases.c.article_id == articles.c.id)
        .join(keyphrases, keyphrases.c.id == article_keyphrases.c.keyphrase_id)
        .where(articles.c.story_id == story_id)
        .group_by(keyphrases.c.id, keyphrases.c.display)
        .order_by(n.desc(), func.min(article_keyphrases.c.rank), keyphrases.c.display)
        .limit(limit)
    )
    return [display for display, _ in conn.execute(stmt)]


def _related_story_ids(conn: Connection, story_id: int, limit: int) -> list[int]:
    """Other stories that the story's articles are most often related to."""
    # Plain tables, no aliases: an alias rebuilds its column collection on every call, which
    # cost more than the query itself.
    mine = select(articles.c.id).where(articles.c.story_id == story_id)
    n = func.count().label("n")
    stmt = (
        select(articles.c.story_id, n)
        .select_from(related_articles)
        .join(articles, articles.c.id == related_articles.c.related_id)
        .where(
            related_articles.c.article_id.in_(mine),
            articles.c.story_id.is_not(None),
            articles.c.story_id != story_id,
        )
        .group_by(articles.c.story_id)
        .order_by(n.desc(), articles.c.story_id.desc())
        .limit(limit)
    )
    return [int(sid) for sid, _ in conn.execute(stmt)]


class StoryReadingVerbs(Writes):
    """Reads of stories: the front page ranking, a story with its articles, related stories."""

    if TYPE_CHECKING:
        # Verbs of the other groups Store composes, which these reads build on.
        def reference_time(self) -> datetime: ...

        def pinned_stories(self, now: datetime) -> list[Pin]: ...

        def get_story(self, story_id: int) -> StoryRow | None: ...

        def hidden_stories(self, ids: Sequence[int] | None = None) -> set[int]: ...

        def story_article_ids(self, story_id: int) -> list[int]: ...

        def get_articles(self, ids: Sequence[int]) -> list[StoredArticle]: ...

    def top_stories(self, limit: int = 10, offset: int = 0) -> list[StoryCard]:
        """Stories ranked by how many sources report them and how recently they were updated."""
        ref = self.reference_time()
        since = utc_naive(ref - TOP_STORY_WINDOW)
        # Counts and recency come from the story's articles in the window, in one aggregate, not
        # from when the enricher last touched the story; only the winners' rows are then read.
        stmt = (
            select(
                articles.c.story_id,
                func.count(func.distinct(articles.c.source_id)),
                func.count(),
                func.max(articles.c.published_at),
            )
            .where(articles.c.published_at >= since, articles.c.story_id.is_not(None))
            .group_by(articles.c.story_id)
        )
        # Stories an editor pinned lead, latest pin first, for as long as the pin lasts.
        pinned = [pin.story_id for pin in self.pinned_stories(datetime.now(UTC))]
        with self.engine.connect() as conn:
            scored = sorted(
                (
                    (_score(int(n_sources), int(n), as_utc(newest), ref), int(story_id))
                    for story_id, n_sources, n, newest in conn.execute(stmt)
                    if int(story_id) not in pinned
                ),
                key=lambda pair: (-pair[0], -pair[1]),
            )
            scored = ([(PINNED_SCORE, sid) for sid in pinned] + scored)[offset : offset + limit]
            rows = {row.id: row for row in _story_rows(conn, [sid for _, sid in scored])}
            leads = _leads(conn, list(rows.values()))
        return [StoryCard(rows[sid], leads.get(sid), score) for score, sid in scored if sid in rows]

    def recent_stories(self, limit: int = 20, offset: int = 0) -> tuple[list[StoryCard], int]:
        """Stories by last update, newest first, and how many there are."""
        stmt = (
            select(stories)
            .where(_shown(), stories.c.article_count > 0)
            .order_by(stories.c.updated_at.desc(), stories.c.id.desc())
            .limit(limit)
            .offset(max(offset, 0))
        )
        with self.engine.connect() as conn:
            rows = [story_row(r) for r in conn.execute(stmt)]
            total = conn.execute(
                select(func.count()).where(_shown(), stories.c.article_count > 0)
            ).scalar_one()
            leads = _leads(conn, rows)
        return [StoryCard(row, leads.get(row.id)) for row in rows], int(total)

    def story_page(self, story_id: int, related_limit: int = 6) -> StoryPage | None:
        """A story, its articles in publish order, its keyphrases and its related stories."""
        story = self.get_story(story_id)
        if story is None or self.hidden_stories([story_id]):
            return None
        members = self.get_articles(self.story_article_ids(story_id))
        with self.engine.connect() as conn:
            phrases = _story_keyphrases(conn, story_id)
            related_ids = _related_story_ids(conn, story_id, related_limit)
            related_rows = _story_rows(conn, related_ids)
            leads = _leads(conn, related_rows)
        by_id = {row.id: row for row in related_rows}
        related = [StoryCard(by_id[i], leads.get(i)) for i in related_ids if i in by_id]
        return StoryPage(story, members, phrases, related)

    def storyfetch_cards(self, story_ids: Sequence[int]) -> list[StoryCard]:
        """Cards for these stories, in the order asked (missing ids skipped)."""
        with self.engine.connect() as conn:
            rows = _story_rows(conn, list(story_ids))
            leads = _leads(conn, rows)
        by_id = {row.id: row for row in rows}
        return [StoryCard(by_id[i], leads.get(i)) for i in story_ids if i in by_id]

    def sitemap_entries(
        self, limit: int = 40000
    ) -> tuple[list[tuple[int, datetime | None]], list[tuple[int, datetime]]]:
        """(id, time) of the newest articles and stories, for sitemap.xml."""
        art = (
            select(articles.c.id, articles.c.published_at)
            .where(articles.c.duplicate_of.is_(None))
            .order_by(articles.c.published_at.desc().nulls_last(), articles.c.id.desc())
            .limit(limit)
        )
        sto = select(stories.c.id, stories.c.updated_at).order_by(stories.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            found_articles = [(int(i), as_utc(at)) for i, at in conn.execute(art)]
            found_stories = [
                (int(i), as_utc(at) or self.reference_time()) for i, at in conn.execute(sto)
            ]
        return found_articles, found_stories
