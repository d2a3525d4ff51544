"""Keyphrases and their links to articles: one row per phrase, shown in its display form."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, select

from marsad.arabic.normalize import matching_form
from marsad.store import dialect
from marsad.store.schema import article_keyphrases, keyphrases


def save_keyphrases(conn: Connection, batch: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Replace articles' keyphrases (best first), creating phrase rows as needed."""
    ranked: dict[int, dict[str, str]] = {}
    for article_id, phrases in batch:
        mine = ranked[article_id] = {}
        for phrase in phrases:
            mine.setdefault(matching_form(phrase), phrase)
    for start in range(0, len(ranked), 500):
        chunk = list(ranked)[start : start + 500]
        conn.execute(delete(article_keyphrases).where(article_keyphrases.c.article_id.in_(chunk)))
    displays = {match: display for mine in ranked.values() for match, display in mine.items()}
    if not displays:
        return
    conn.execute(
        dialect.insert_ignoring(keyphrases, conn, "match"),
        [{"match": match, "display": display} for match, display in displays.items()],
    )
    ids: dict[str, int] = {}
    matches = list(displays)
    for start in range(0, len(matches), 500):
        wanted = matches[start : start + 500]
        stmt = select(keyphrases.c.match, keyphrases.c.id).where(keyphrases.c.match.in_(wanted))
        ids.update((match, id_) for match, id_ in conn.execute(stmt))
    conn.execute(
        article_keyphrases.insert(),
        [
            {"article_id": article_id, "keyphrase_id": ids[match], "rank": rank}
            for article_id, mine in ranked.items()
            for rank, match in enumerate(mine)
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
