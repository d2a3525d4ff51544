"""Keyphrases and their links to articles: one row per phrase, shown in its display form.

Each link keeps the kind its article's text gave the phrase (a phrase's kind is the vote of its
links, `vote_kind`); each phrase row keeps how many articles carry it; `keyphrase_totals` counts the articles that
have keyphrases. Both are sums over the stored articles, kept as links are saved and replaced,
so they are the same whatever order the articles arrived in. Readers see an article's phrases
with those common to a large share of all articles ("المملكة", "الرياض") moved after the
others (`rank_for_readers`), from those counts at read time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from marsad.arabic.normalize import matching_form
from marsad.store.desk_curation import curate, keep_displays
from marsad.store.schema import article_keyphrases, keyphrase_totals, keyphrases

KINDS = ("topic", "place", "person", "organisation")  # stored as the index
_KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
# A phrase carried by more than this share of all articles is common, not news about anything.
COMMON_SHARE = 0.01
# Below this many articles the shares say nothing yet.
MIN_ARTICLES = 200

Batch = Sequence[tuple[int, Sequence[str], Sequence[str]]]


def kind_code(kind: str | None) -> int:
    """The stored code of a kind name (unknown or missing: topic)."""
    return _KIND_CODES.get(kind or "topic", 0)


def kind_name(code: int) -> str:
    """The kind name of a stored code."""
    return KINDS[code] if 0 <= code < len(KINDS) else "topic"


# A phrase is a name when at least this share of the articles carrying it read it as one.
NAME_SHARE = 1 / 3


def vote_kind(votes: Mapping[int, int]) -> str:
    """A phrase's kind from its articles' votes (kind code → articles): the commonest name kind
    when names are at least NAME_SHARE of the votes, else topic. One article that took
    "مكة المكرمة" for a person's name does not make it one."""
    total = sum(votes.values())
    names = {code: n for code, n in votes.items() if code != 0 and n > 0}
    if not total or sum(names.values()) < NAME_SHARE * total:
        return "topic"
    return kind_name(max(sorted(names), key=lambda code: names[code]))


def save_keyphrases(conn: Connection, batch: Batch) -> None:
    """Replace articles' keyphrases (best first, with their kinds), creating phrase rows as
    needed and keeping the phrases' article counts and the articles' total exact."""
    ranked: dict[int, dict[str, tuple[str, int]]] = {}
    for article_id, phrases, phrase_kinds in batch:
        mine = ranked[article_id] = {}
        for index, phrase in enumerate(phrases):
            kind = phrase_kinds[index] if index < len(phrase_kinds) else None
            mine.setdefault(matching_form(phrase), (phrase, kind_code(kind)))
    ranked = curate(conn, ranked)  # editors' bans, merges and kinds (store/desk_tags.py)
    before = _forget_links(conn, list(ranked))
    # In one order everywhere: workers saving at once then never wait on each other in a cycle.
    # Within a batch too, a phrase keeps the least of its forms (see _insert_keeping_least).
    displays: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for match, (display, _) in sorted(
        (match, value) for mine in ranked.values() for match, value in mine.items()
    ):
        displays.setdefault(match, display)
        counts[match] += 1
    rows = [{"match": m, "display": displays[m], "documents": counts[m]} for m in displays]
    tagged = sum(1 for mine in ranked.values() if mine)
    _add_to_total(conn, tagged - before)
    if not rows:
        return
    conn.execute(_insert_keeping_least(conn), rows)
    keep_displays(conn, list(displays))
    ids: dict[str, int] = {}
    matches = list(displays)
    for start in range(0, len(matches), 500):
        wanted = matches[start : start + 500]
        stmt = select(keyphrases.c.match, keyphrases.c.id).where(keyphrases.c.match.in_(wanted))
        ids.update((match, id_) for match, id_ in conn.execute(stmt))
    conn.execute(
        article_keyphrases.insert(),
        [
            {
                "article_id": article_id,
                "keyphrase_id": ids[match],
                "rank": rank,
                "kind": mine[match][1],
            }
            for article_id, mine in ranked.items()
            for rank, match in enumerate(mine)
        ],
    )


def _forget_links(conn: Connection, article_ids: list[int]) -> int:
    """Delete these articles' links, taking them off their phrases' counts; how many of the
    articles had links."""
    gone: Counter[int] = Counter()
    had: set[int] = set()
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        stmt = select(article_keyphrases.c.article_id, article_keyphrases.c.keyphrase_id).where(
            article_keyphrases.c.article_id.in_(chunk)
        )
        for article_id, keyphrase_id in conn.execute(stmt):
            had.add(article_id)
            gone[keyphrase_id] += 1
        conn.execute(delete(article_keyphrases).where(article_keyphrases.c.article_id.in_(chunk)))
    for keyphrase_id, n in sorted(gone.items()):
        conn.execute(
            update(keyphrases)
            .where(keyphrases.c.id == keyphrase_id)
            .values(documents=keyphrases.c.documents - n)
        )
    return len(had)


def _add_to_total(conn: Connection, change: int) -> None:
    """Add to the count of articles that have keyphrases (the row is made on first use)."""
    if change == 0:
        return
    done = conn.execute(
        update(keyphrase_totals)
        .where(keyphrase_totals.c.id == 1)
        .values(articles=keyphrase_totals.c.articles + change)
    )
    if done.rowcount == 0:
        conn.execute(keyphrase_totals.insert().values(id=1, articles=max(change, 0)))


def tagged_articles(conn: Connection) -> int:
    """How many articles have keyphrases."""
    stmt = select(keyphrase_totals.c.articles).where(keyphrase_totals.c.id == 1)
    return int(conn.execute(stmt).scalar_one_or_none() or 0)


def _insert_keeping_least(conn: Connection) -> Insert:
    """Insert phrases; a phrase already there keeps the least of its display forms (by code
    point), whichever article brought which form first, so that workers saving in any order
    agree. That is also the standard spelling: hamza forms (أ إ آ) come before bare alif, ة
    before ه, ى before ي, and a form without diacritics before one with them. Its article
    count grows by the batch's."""
    if conn.dialect.name == "postgresql":
        pg = postgresql.insert(keyphrases)
        # Code-point order, as SQLite compares, whatever the database's collation.
        return pg.on_conflict_do_update(
            index_elements=["match"],
            set_={
                "display": case(
                    (
                        pg.excluded.display.collate("C") < keyphrases.c.display.collate("C"),
                        pg.excluded.display,
                    ),
                    else_=keyphrases.c.display,
                ),
                "documents": keyphrases.c.documents + pg.excluded.documents,
            },
        )
    lite = sqlite.insert(keyphrases)
    return lite.on_conflict_do_update(
        index_elements=["match"],
        set_={
            "display": case(
                (lite.excluded.display < keyphrases.c.display, lite.excluded.display),
                else_=keyphrases.c.display,
            ),
            "documents": keyphrases.c.documents + lite.excluded.documents,
        },
    )


def rank_for_readers(phrases: Sequence[str], documents: Mapping[str, int], total: int) -> list[str]:
    """An article's phrases in the order readers see them: its own order, but phrases carried
    by more than COMMON_SHARE of all articles moved after the others, the commonest last."""
    if total < MIN_ARTICLES:
        return list(phrases)
    limit = COMMON_SHARE * total

    def weight(item: tuple[int, str]) -> float:
        rank, phrase = item
        n = documents.get(matching_form(phrase), 0)
        own = 1.0 / (rank + 1)
        return own if n <= limit else own * (limit / n) ** 0.5

    return [p for _, p in sorted(enumerate(phrases), key=lambda item: -weight(item))]


def load_tags(conn: Connection, article_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(display form, kind) of the keyphrases of these articles, in the order readers see them;
    the kind is the one each article's own text gave."""
    if not article_ids:
        return {}
    stmt = (
        select(
            article_keyphrases.c.article_id,
            keyphrases.c.display,
            keyphrases.c.match,
            article_keyphrases.c.kind,
            keyphrases.c.documents,
        )
        .join(keyphrases, keyphrases.c.id == article_keyphrases.c.keyphrase_id)
        .where(article_keyphrases.c.article_id.in_(list(article_ids)))
        .order_by(article_keyphrases.c.article_id, article_keyphrases.c.rank)
    )
    found: dict[int, list[str]] = {}
    kinds: dict[tuple[int, str], str] = {}
    documents: dict[str, int] = {}
    for article_id, display, match, kind, n in conn.execute(stmt):
        found.setdefault(article_id, []).append(display)
        kinds[(article_id, display)] = kind_name(int(kind))
        documents[match] = int(n)
    total = tagged_articles(conn)
    return {
        article_id: [
            (p, kinds[(article_id, p)]) for p in rank_for_readers(phrases, documents, total)
        ]
        for article_id, phrases in found.items()
    }


def phrase_kind(conn: Connection, keyphrase_id: int) -> str:
    """A phrase's kind: the vote of the articles carrying it."""
    stmt = (
        select(article_keyphrases.c.kind, func.count())
        .where(article_keyphrases.c.keyphrase_id == keyphrase_id)
        .group_by(article_keyphrases.c.kind)
    )
    return vote_kind({int(k): int(n) for k, n in conn.execute(stmt)})
