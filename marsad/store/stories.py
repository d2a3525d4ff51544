"""Stories: articles about one event, with a headline, a summary and counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from marsad.models import StoryChange
from marsad.store.desk_schema import story_merges
from marsad.store.rows import StoryRow
from marsad.store.schema import articles, stories, story_redirects
from marsad.store.times import as_utc, utc_naive
from marsad.store.writer import Writes


class StoryVerbs(Writes):
    """The store's verbs about stories."""

    def get_story(self, story_id: int) -> StoryRow | None:
        """One story, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        return None if row is None else story_row(row)

    def merged_into(self, story_id: int) -> int | None:
        """The story a missing story was merged into (by enrichment or by an editor), if it
        was and that story still exists; None otherwise."""
        with self.engine.connect() as conn:
            for _ in range(16):  # chains are kept flat; this only bounds a broken one
                found = conn.execute(
                    select(story_redirects.c.survivor_id).where(
                        story_redirects.c.absorbed_id == story_id
                    )
                ).scalar_one_or_none()
                if found is None:
                    found = conn.execute(
                        select(story_merges.c.survivor_id).where(
                            story_merges.c.absorbed_id == story_id
                        )
                    ).scalar_one_or_none()
                if found is None or found == story_id:
                    return None
                story_id = int(found)
                if conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first():
                    return story_id
        return None

    def story_article_ids(self, story_id: int) -> list[int]:
        """The story's articles in publish order."""
        stmt = (
            select(articles.c.id)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.published_at.asc().nulls_first(), articles.c.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(stmt).scalars())


def story_values(change: StoryChange) -> dict[str, Any]:
    """The stories columns a change writes: the one place that says which fields may change."""
    values: dict[str, Any] = {
        "title": change.title,
        "lead_article_id": change.lead_article_id,
        "updated_at": utc_naive(change.updated_at),
    }
    if change.new_summary:
        values["summary"] = change.summary
    return values


def story_row(row: Row[Any]) -> StoryRow:
    """Build a StoryRow from a stories row."""
    m = row._mapping
    return StoryRow(
        id=m["id"],
        title=m["title"],
        summary=m["summary"],
        created_at=as_utc(m["created_at"]) or datetime.now(UTC),
        updated_at=as_utc(m["updated_at"]) or datetime.now(UTC),
        article_count=m["article_count"],
        source_count=m["source_count"],
        lead_article_id=m["lead_article_id"],
    )


def refresh_counts(conn: Connection, story_ids: Sequence[int]) -> None:
    """Recount articles and distinct sources for the given stories (one statement per 500)."""
    members = select(func.count()).where(articles.c.story_id == stories.c.id)
    outlets = select(func.count(func.distinct(articles.c.source_id))).where(
        articles.c.story_id == stories.c.id
    )
    ids = sorted(set(story_ids))
    for start in range(0, len(ids), 500):
        conn.execute(
            update(stories)
            .where(stories.c.id.in_(ids[start : start + 500]))
            .values(article_count=members.scalar_subquery(), source_count=outlets.scalar_subquery())
        )
