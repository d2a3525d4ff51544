"""Keyphrases and their links to articles: one row per phrase, shown in its display form."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from marsad.arabic.normalize import matching_form
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
    # In one order everywhere: workers saving at once then never wait on each other in a cycle.
    # Within a batch too, a phrase keeps the least of its forms (see _insert_keeping_least).
    displays: dict[str, str] = {}
    for match, display in sorted(
        (match, display) for mine in ranked.values() for match, display in mine.items()
    ):
        displays.setdefault(match, display)
    if not displays:
        return
    conn.execute(
        _insert_keeping_least(conn),
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


def _insert_keeping_least(conn: Connection) -> Insert:
    """Insert phrases; a phrase already there keeps the least of its display forms (by code
    point), whichever article brought which form first, so that workers saving in any order
    agree. That is also the standard spelling: hamza forms (أ إ آ) come before bare alif, ة
    before ه, ى before ي, and a form without diacritics before one with them."""
    if conn.dialect.name == "postgresql":
        pg = postgresql.insert(keyphrases)
        # Code-point order, as SQLite compares, whatever the database's collation.
        return pg.on_conflict_do_update(
            index_elements=["match"],
            set_={"display": pg.excluded.display},
            where=pg.excluded.display.collate("C") < keyphrases.c.display.collate("C"),
        )
    lite = sqlite.insert(keyphrases)
    return lite.on_conflict_do_update(
        index_elements=["match"],
        set_={"display": lite.excluded.display},
        where=lite.excluded.display < keyphrases.c.display,
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
