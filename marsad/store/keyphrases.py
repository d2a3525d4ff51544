"""Keyphrases and their links to articles: one row per phrase, shown in its display form."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, select

from marsad.arabic.normalize import matching_form
from marsad.store import dialect
from marsad.store.schema import article_keyphrases, keyphrases


def save_keyphrases(conn: Connection, article_id: int, phrases: Sequence[str]) -> None:
    """Replace one article's keyphrases (best first), creating phrase rows as needed."""
    conn.execute(delete(article_keyphrases).where(article_keyphrases.c.article_id == article_id))
    ranked: dict[str, str] = {}
    for phrase in phrases:
        ranked.setdefault(matching_form(phrase), phrase)
    if not ranked:
        return
    for match, display in ranked.items():
        conn.execute(
            dialect.insert_ignoring(keyphrases, conn, "match").values(match=match, display=display)
        )
    ids = dict(
        conn.execute(
            select(keyphrases.c.match, keyphrases.c.id).where(keyphrases.c.match.in_(list(ranked)))
        ).all()
    )
    conn.execute(
        article_keyphrases.insert(),
        [
            {"article_id": article_id, "keyphrase_id": ids[match], "rank": rank}
            for rank, match in enumerate(ranked)
        ],
    )


def load_keyphrases(conn: Connection, article_ids: Sequence[int]) -> dict[int, list[str]]:
    """Display forms of the keyphrases of these articles, best first."""
    if not article_ids:
        return {}
    stmt = (
        select(article_keyphrases.c.article_id, keyphrases.c.display)
        .join(keyphrases, keyphrases.c.id == article_keyphrases.c.keyphrase_id)
        .where(article_keyphrases.c.article_id.in_(list(article_ids)))
        .order_by(article_keyphrases.c.article_id, article_keyphrases.c.rank)
    )
    found: dict[int, list[str]] = {}
    for article_id, display in conn.execute(stmt):
        found.setdefault(article_id, []).append(display)
    return found
