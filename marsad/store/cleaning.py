"""Cleaning in the store: each source's learned furniture, and articles cleaned again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update

from marsad.models import Article
from marsad.store import dialect
from marsad.store.desk_moderation import hidden_among, kept_stories
from marsad.store.schema import (
    article_features,
    article_keyphrases,
    articles,
    related_articles,
    source_furniture,
    sources,
    stories,
)
from marsad.store.search import index_parts
from marsad.store.times import now_utc
from marsad.store.writer import Writes


class CleaningVerbs(Writes):
    """The store's verbs about furniture learning states and re-cleaned articles."""

    def load_furniture(self) -> dict[str, dict[str, Any]]:
        """Every source's furniture learning state (JSON data), by source slug."""
        stmt = select(sources.c.slug, source_furniture.c.state).join(
            sources, sources.c.id == source_furniture.c.source_id
        )
        with self.engine.connect() as conn:
            return {slug: state for slug, state in conn.execute(stmt) if isinstance(state, dict)}

    def save_furniture(self, states: Mapping[str, dict[str, Any]]) -> None:
        """Replace these sources' furniture learning states (sources must exist)."""
        if states:
            with self.writing() as conn:
                _save_states(conn, states)

    def update_cleaning(self, batch: Sequence[tuple[int, Article]]) -> None:
        """Store articles cleaned again: reading text, byline, brief mark and what was cut
        (the publisher's own text stays), and their search terms."""
        if batch:
            with self.writing() as conn:
                _update_cleaning(conn, batch)

    def pending_cleaning(self, ids: Sequence[int], earlier: bool = False) -> list[int]:
        """Those of these articles that their source's furniture has not learned from yet, in
        the order they were stored (by store time, then their place in the batch); with
        `earlier`, also every pending article of their sources stored before them (so that a
        source never learns from an article ahead of one stored before it)."""
        if not ids:
            return []
        stored = func.coalesce(articles.c.stored_at, articles.c.fetched_at)
        pending = articles.c.cleaning_pending.is_not(None)
        order = (stored, articles.c.cleaning_pending, articles.c.id)
        found: dict[int, tuple[Any, ...]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                stmt = select(articles.c.id, articles.c.source_id, *order).where(
                    articles.c.id.in_(chunk), pending
                )
                found.update((int(row[0]), tuple(row[1:])) for row in conn.execute(stmt))
            if earlier and found:
                latest: dict[int, Any] = {}
                for source_id, moment, *_ in found.values():
                    latest[source_id] = max(latest.get(source_id, moment), moment)
                for source_id, moment in sorted(latest.items()):
                    stmt = select(articles.c.id, articles.c.source_id, *order).where(
                        articles.c.source_id == source_id, pending, stored <= moment
                    )
                    found.update((int(row[0]), tuple(row[1:])) for row in conn.execute(stmt))
        return sorted(found, key=lambda i: (*found[i][1:], i))

    def save_learning(
        self,
        states: Mapping[str, dict[str, Any]],
        learned: Sequence[int],
        cleaned_again: Sequence[tuple[int, Article]],
    ) -> None:
        """In one transaction: the sources' new furniture states, the articles learned from
        (no longer pending), and those of them cleaned differently than when they were stored,
        whose features computed ahead from the old text are dropped."""
        with self.writing() as conn:
            _save_states(conn, states)
            _update_cleaning(conn, cleaned_again)
            again = [i for i, _ in cleaned_again]
            if again:
                conn.execute(
                    delete(article_features).where(article_features.c.article_id.in_(again))
                )
            for start in range(0, len(learned), 500):
                chunk = list(learned[start : start + 500])
                conn.execute(
                    update(articles).where(articles.c.id.in_(chunk)).values(cleaning_pending=None)
                )

    def reset_enrichment(self) -> None:
        """Forget every article's enrichment and every story, so that enrichment runs again
        over the (re-cleaned) articles in publish order; articles and their text stay."""
        with self.writing() as conn:
            conn.execute(delete(related_articles))
            conn.execute(delete(article_keyphrases))
            conn.execute(delete(article_features))
            conn.execute(
                update(articles).values(
                    story_id=None, duplicate_of=None, summary=None, enriched_at=None
                )
            )
            # Stories editors' decisions name stay: their held articles come back to them.
            conn.execute(delete(stories).where(stories.c.id.not_in(kept_stories())))


def _save_states(conn: Connection, states: Mapping[str, dict[str, Any]]) -> None:
    """Upsert these sources' furniture states (sources not stored are skipped)."""
    if not states:
        return
    ids = dict(
        conn.execute(
            select(sources.c.slug, sources.c.id).where(sources.c.slug.in_(list(states)))
        ).all()
    )
    for slug, state in sorted(states.items()):
        if slug in ids:
            values = {"source_id": ids[slug], "state": state, "updated_at": now_utc()}
            conn.execute(dialect.upsert(source_furniture, conn, "source_id", values))


def _update_cleaning(conn: Connection, batch: Sequence[tuple[int, Article]]) -> None:
    """Write articles' cleaning columns and search terms again."""
    if not batch:
        return
    conn.execute(
        update(articles)
        .where(articles.c.id == bindparam("article_id"))
        .values({name: bindparam(f"new_{name}") for name in _CLEANING_COLUMNS}),
        [
            {"article_id": i, **{f"new_{k}": v for k, v in cleaning_values(a).items()}}
            for i, a in batch
        ],
    )
    hidden = hidden_among(conn, [i for i, _ in batch])  # stay out of search
    dialect.reindex_for_search(
        conn,
        [(i, index_parts(a.match_title, a.match_text)) for i, a in batch if i not in hidden],
    )


_CLEANING_COLUMNS = (
    "text",
    "match_text",
    "content_hash",
    "author",
    "original_text",
    "original_author",
    "removed",
    "dateline",
    "credit",
    "brief",
)


def cleaning_values(article: Article) -> dict[str, Any]:
    """The columns cleaning sets on an article row."""
    return {
        "text": article.text,
        "match_text": article.match_text,
        "content_hash": article.content_hash,
        "author": article.author,
        "original_text": article.original_text,
        "original_author": article.original_author,
        "removed": [{"text": r.text, "where": r.where, "reason": r.reason} for r in article.removed]
        or None,
        "dateline": article.dateline,
        "credit": article.credit,
        "brief": article.brief,
    }
