"""Store verbs the enricher needs beyond the Store class: its window start, story ids, and
saving a batch's stories, articles and related lists together."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, text, update

from marsad.models import Enrichment, StoryChange
from marsad.store.desk_moderation import hold_articles, keep_changes, load_decisions
from marsad.store.schema import articles, stories
from marsad.store.store import Store, as_utc, replace_related, save_enrichment_rows, utc_naive
from marsad.store.stories import refresh_counts, story_values


def latest_published(store: Store) -> datetime | None:
    """The newest publish time (else fetch time) among stored articles, or None when empty."""
    order_key = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    with store.engine.connect() as conn:
        return as_utc(conn.execute(select(func.max(order_key))).scalar_one_or_none())


@dataclass(frozen=True)
class EnrichedBatch:
    """Everything one enrichment batch writes: saved together or not at all."""

    new_stories: Sequence[tuple[int, str, datetime]] = ()  # (reserved id, title, created at)
    enrichments: Sequence[tuple[int, Enrichment]] = ()
    related: Sequence[tuple[int, Sequence[int]]] = ()  # older articles' new lists
    stories: Sequence[tuple[int, StoryChange]] = ()  # touched stories' changes
    related_before: Mapping[int, Sequence[int]] = field(default_factory=dict)  # as stored
    merges: Sequence[tuple[int, int]] = ()  # (absorbed story, surviving story), in merge order


@contextmanager
def reserved_story_ids(store: Store, count: int) -> Iterator[list[int]]:
    """Ids for up to `count` new stories, good for the block: save the batch inside it.

    PostgreSQL draws them from the stories' sequence (safe with any number of processes; ids a
    batch does not use are skipped). SQLite counts on from the largest id, and holds the
    writer lock for the block, so that no other process counts from the same id before this
    batch's stories are saved (marsad.store.writer).
    """
    with store.write_lock():
        yield _reserve(store, count)


def _reserve(store: Store, count: int) -> list[int]:
    """Ids for up to `count` new stories (the caller holds the writer lock on SQLite)."""
    if count <= 0:
        return []
    with store.writing() as conn:
        if conn.dialect.name == "postgresql":
            query = text(
                "SELECT nextval(pg_get_serial_sequence('stories', 'id')) "
                "FROM generate_series(1, :count)"
            )
            return [int(i) for i in conn.execute(query, {"count": count}).scalars()]
        last = int(conn.execute(select(func.coalesce(func.max(stories.c.id), 0))).scalar_one())
    return list(range(last + 1, last + 1 + count))


def save_batch(store: Store, batch: EnrichedBatch) -> None:
    """Write one enrichment batch in one transaction: a process that dies half-way leaves no
    story without articles and no article without its story's title, summary and counts."""
    with store.writing() as conn:
        # Editors' decisions win: hidden articles, held articles, merged stories, titles.
        decisions = load_decisions(conn)
        merges = [
            (a, s)
            for a, s in ((decisions.story(a), decisions.story(s)) for a, s in batch.merges)
            if a is not None and s is not None and a != s
        ]
        related = [(i, decisions.related(ids)) for i, ids in batch.related]
        related_before = {
            i: ids
            for i, ids in batch.related_before.items()
            if not decisions.hidden.intersection(ids)
        }
        if batch.new_stories:
            conn.execute(
                stories.insert(),
                [
                    {
                        "id": story_id,
                        "title": title,
                        "created_at": utc_naive(moment),
                        "updated_at": utc_naive(moment),
                        "article_count": 0,
                        "source_count": 0,
                    }
                    for story_id, title, moment in batch.new_stories
                ],
            )
        save_enrichment_rows(conn, batch.enrichments, decisions)
        # Stories articles are held in are counted again when those articles come through.
        held_here = sorted({decisions.held[i] for i, _ in batch.enrichments if i in decisions.held})
        if held_here:
            refresh_counts(conn, held_here)
        for absorbed, survivor in merges:
            # Articles saved in earlier batches follow their story into the survivor.
            conn.execute(
                update(articles).where(articles.c.story_id == absorbed).values(story_id=survivor)
            )
        if merges:
            held_moved = hold_articles(conn, decisions)
            absorbed_ids = [a for a, _ in merges]
            # An absorbed story holds no article any more: it goes, so no empty story is listed.
            held = select(articles.c.id).where(articles.c.story_id == stories.c.id).exists()
            conn.execute(delete(stories).where(stories.c.id.in_(absorbed_ids), ~held))
            refresh_counts(conn, [s for pair in merges for s in pair] + held_moved)
        if related:
            replace_related(conn, related, related_before)
        changes = keep_changes(conn, decisions, batch.stories)
        if changes:
            _update_stories(conn, changes)


def _update_stories(conn: Connection, changes: Sequence[tuple[int, StoryChange]]) -> None:
    """Stories' changes as one batched statement per set of changed fields, then recounts."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for story_id, change in changes:
        values = story_values(change)
        row = {f"new_{k}": v for k, v in values.items()}
        groups.setdefault(tuple(sorted(values)), []).append({"story_id": story_id, **row})
    for fields, rows in groups.items():
        stmt = (
            update(stories)
            .where(stories.c.id == bindparam("story_id"))
            .values({name: bindparam(f"new_{name}") for name in fields})
        )
        conn.execute(stmt, rows)
    refresh_counts(conn, [story_id for story_id, _ in changes])
