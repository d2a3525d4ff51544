"""The store's verbs for what enrichment writes: its window start, story ids, and saving a
batch's stories, articles and related lists together (with the row writers they share)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, text, update

from marsad.models import Enrichment, StoryChange
from marsad.store.desk_moderation import Decisions, hold_articles, keep_changes, load_decisions
from marsad.store.keyphrases import save_keyphrases
from marsad.store.schema import (
    article_features,
    articles,
    enrichment_writes,
    related_articles,
    stories,
    story_redirects,
)
from marsad.store.stories import refresh_counts, story_values
from marsad.store.times import as_utc, now_utc, utc_naive
from marsad.store.writer import Writes


@dataclass(frozen=True)
class EnrichedBatch:
    """Everything one enrichment batch writes: saved together or not at all."""

    new_stories: Sequence[tuple[int, str, datetime]] = ()  # (reserved id, title, created at)
    enrichments: Sequence[tuple[int, Enrichment]] = ()
    related: Sequence[tuple[int, Sequence[int]]] = ()  # older articles' new lists
    stories: Sequence[tuple[int, StoryChange]] = ()  # touched stories' changes
    related_before: Mapping[int, Sequence[int]] = field(default_factory=dict)  # as stored
    merges: Sequence[tuple[int, int]] = ()  # (absorbed story, surviving story), in merge order


class EnrichmentVerbs(Writes):
    """The store's verbs for what the enrichment runner reads and writes."""

    def latest_published(self) -> datetime | None:
        """The newest publish time (else fetch time) among stored articles, or None when empty."""
        order_key = func.coalesce(articles.c.published_at, articles.c.fetched_at)
        with self.engine.connect() as conn:
            return as_utc(conn.execute(select(func.max(order_key))).scalar_one_or_none())

    @contextmanager
    def reserved_story_ids(self, count: int) -> Iterator[list[int]]:
        """Ids for up to `count` new stories, good for the block: save the batch inside it.

        PostgreSQL draws them from the stories' sequence (safe with any number of processes;
        ids a batch does not use are skipped). SQLite counts on from the largest id, and holds
        the writer lock for the block, so that no other process counts from the same id before
        this batch's stories are saved (marsad.store.writer).
        """
        with self.write_lock():
            yield self._reserve(count)

    def _reserve(self, count: int) -> list[int]:
        """Ids for up to `count` new stories (the caller holds the writer lock on SQLite)."""
        if count <= 0:
            return []
        with self.writing() as conn:
            if conn.dialect.name == "postgresql":
                query = text(
                    "SELECT nextval(pg_get_serial_sequence('stories', 'id')) "
                    "FROM generate_series(1, :count)"
                )
                return [int(i) for i in conn.execute(query, {"count": count}).scalars()]
            last = int(conn.execute(select(func.coalesce(func.max(stories.c.id), 0))).scalar_one())
        return list(range(last + 1, last + 1 + count))

    def save_batch(self, batch: EnrichedBatch) -> None:
        """Write one enrichment batch in one transaction: a process that dies half-way leaves
        no story without articles and no article without its story's title, summary and
        counts."""
        with self.writing() as conn:
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
            held_here = sorted(
                {decisions.held[i] for i, _ in batch.enrichments if i in decisions.held}
            )
            if held_here:
                refresh_counts(conn, held_here)
            for absorbed, survivor in merges:
                # Articles saved in earlier batches follow their story into the survivor.
                conn.execute(
                    update(articles)
                    .where(articles.c.story_id == absorbed)
                    .values(story_id=survivor)
                )
            if merges:
                held_moved = hold_articles(conn, decisions)
                absorbed_ids = [a for a, _ in merges]
                # An absorbed story holds no article any more: it goes, so no empty story is listed.
                held = select(articles.c.id).where(articles.c.story_id == stories.c.id).exists()
                conn.execute(delete(stories).where(stories.c.id.in_(absorbed_ids), ~held))
                refresh_counts(conn, [s for pair in merges for s in pair] + held_moved)
                redirect_merged(conn, merges)
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


def redirect_merged(conn: Connection, merges: Sequence[tuple[int, int]]) -> None:
    """Remember where merged stories went (in merge order): an old link to the absorbed
    story, or to a story merged into it before, leads to the survivor."""
    for absorbed, survivor in merges:
        conn.execute(
            update(story_redirects)
            .where(story_redirects.c.survivor_id == absorbed)
            .values(survivor_id=survivor)
        )
        conn.execute(delete(story_redirects).where(story_redirects.c.absorbed_id == absorbed))
        conn.execute(story_redirects.insert().values(absorbed_id=absorbed, survivor_id=survivor))


def save_enrichment_rows(
    conn: Connection,
    batch: Sequence[tuple[int, Enrichment]],
    decisions: Decisions | None = None,
) -> None:
    """Write many articles' enrichment (batched statements) inside the caller's transaction,
    keyphrases too: saved here, in the ordered step, and not when a worker computed them
    ahead, so that a brief's (which enrichment gives none) never reach the counts. Editors'
    decisions (read here unless given) win over what enrichment found."""
    if not batch:
        return
    decisions = decisions if decisions is not None else load_decisions(conn)
    batch = [(article_id, decisions.enrichment(article_id, found)) for article_id, found in batch]
    conn.execute(
        update(articles)
        .where(articles.c.id == bindparam("article_id"))
        .values(
            duplicate_of=bindparam("duplicate_of"),
            story_id=bindparam("story_id"),
            summary=bindparam("summary"),
            enriched_at=now_utc(),
        ),
        [
            {
                "article_id": article_id,
                "duplicate_of": found.duplicate_of,
                "story_id": found.story_id,
                "summary": found.summary,
            }
            for article_id, found in batch
        ],
    )
    save_keyphrases(
        conn,
        [(i, found.keyphrases, found.kinds) for i, found in batch],
    )
    replace_related(conn, [(article_id, found.related) for article_id, found in batch])
    # Anyone holding enrichment indexes in memory can tell that they are now behind.
    conn.execute(
        update(enrichment_writes)
        .where(enrichment_writes.c.id == 1)
        .values(count=enrichment_writes.c.count + 1)
    )
    # Features a worker computed ahead are spent once the enrichment is saved.
    done = [article_id for article_id, _ in batch]
    conn.execute(delete(article_features).where(article_features.c.article_id.in_(done)))


def replace_related(
    conn: Connection,
    batch: Sequence[tuple[int, Sequence[int]]],
    before: Mapping[int, Sequence[int]] | None = None,
) -> None:
    """Replace articles' related rows (best first), dropping self-links and repeats.

    For an article in `before` (its list as stored), only the rows from the first rank that
    changed are rewritten: a newer article entering an older one's list moves the ranks below
    it and leaves those above alone.
    """
    before = before or {}
    whole: list[int] = []
    tails: list[tuple[int, int]] = []
    rows = []
    for article_id, related in dict(batch).items():
        new = _related_ids(article_id, related)
        start = 0
        if article_id in before:
            old = _related_ids(article_id, before[article_id])
            while start < min(len(old), len(new)) and old[start] == new[start]:
                start += 1
            tails.append((article_id, start))
        else:
            whole.append(article_id)
        rows += [
            {"article_id": article_id, "related_id": rid, "rank": rank}
            for rank, rid in enumerate(new[start:], start)
        ]
    for first in range(0, len(whole), 500):
        chunk = whole[first : first + 500]
        conn.execute(delete(related_articles).where(related_articles.c.article_id.in_(chunk)))
    if tails:
        conn.execute(
            delete(related_articles).where(
                related_articles.c.article_id == bindparam("tail_of"),
                related_articles.c.rank >= bindparam("from_rank"),
            ),
            [{"tail_of": article_id, "from_rank": start} for article_id, start in tails],
        )
    if rows:
        conn.execute(related_articles.insert(), rows)


def _related_ids(article_id: int, related: Sequence[int]) -> list[int]:
    """A related list as stored: no repeats, never the article itself."""
    return [r for r in dict.fromkeys(related) if r != article_id]
