"""The one narrow interface to storage: domain verbs over SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    create_engine,
    func,
    select,
)
from sqlalchemy.engine import make_url

from marsad.models import Article, Enrichment, Removal
from marsad.store import dialect
from marsad.store.cleaning import CleaningVerbs, cleaning_values
from marsad.store.desk_accounts import AccountVerbs
from marsad.store.desk_audit import AuditVerbs
from marsad.store.desk_moderation import ModerationVerbs
from marsad.store.desk_sources import SourceDeskVerbs
from marsad.store.desk_tags import TagVerbs
from marsad.store.enrichment import EnrichmentVerbs
from marsad.store.features import FeatureVerbs
from marsad.store.keyphrases import load_tags
from marsad.store.queries import ReadingVerbs
from marsad.store.rows import StoredArticle
from marsad.store.schema import (
    articles,
    related_articles,
    sources,
    stories,
)
from marsad.store.search import index_parts
from marsad.store.search_verbs import SearchVerbs
from marsad.store.sources import SourceVerbs
from marsad.store.stories import StoryVerbs
from marsad.store.story_queries import StoryReadingVerbs
from marsad.store.times import as_utc, now_utc, utc_naive
from marsad.store.trending import TrendingVerbs
from marsad.store.work import WorkVerbs
from marsad.store.writer import WriteLock

# Kept importable from here for the modules that build on the store.
__all__ = [
    "Store",
    "as_utc",
    "open_store",
    "utc_naive",
]

MIGRATIONS = Path(__file__).parent / "migrations"


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store at an SQLAlchemy URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, **dialect.engine_options(parsed.get_backend_name()))
    dialect.configure_engine(engine)
    store = Store(engine, WriteLock.for_database(parsed.get_backend_name(), parsed.database))
    store.upgrade()
    return store


class Store(
    SourceVerbs,
    StoryVerbs,
    SearchVerbs,
    CleaningVerbs,
    AccountVerbs,
    ModerationVerbs,
    TagVerbs,
    AuditVerbs,
    SourceDeskVerbs,
    EnrichmentVerbs,
    ReadingVerbs,
    StoryReadingVerbs,
    WorkVerbs,
    FeatureVerbs,
    TrendingVerbs,
):
    """Sources, articles, stories, keyphrases, related links, the fetch log and search."""

    def __init__(self, engine: Engine, writer: WriteLock | None = None) -> None:
        self.engine = engine
        # SQLite's one writer at a time (see marsad.store.writer); None on PostgreSQL.
        self.writer = writer

    @property
    def url(self) -> str:
        """The database in use, with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Apply every pending Alembic migration (one process at a time, under the writer lock
        on SQLite and an advisory lock on PostgreSQL)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.writing() as conn:
            dialect.lock_migrations(conn)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    # -- articles ----------------------------------------------------------------------------

    def add_articles(self, batch: Sequence[Article], pending: bool = False) -> list[int | None]:
        """Store new articles in one transaction; None where the canonical URL is already stored.

        `pending`: their sources' furniture has not learned from them yet (a worker stored them
        ahead of the ordered step), each marked with its place in the batch."""
        if not batch:
            return []
        names = {a.source: a.source_name or a.source for a in batch}
        source_ids = self.ensure_sources(names)
        with self.writing() as conn:
            ids = self._insert_articles(conn, batch, source_ids, pending)
            dialect.index_for_search(
                conn,
                [
                    (id_, index_parts(a.match_title, a.match_text))
                    for id_, a in zip(ids, batch, strict=True)
                    if id_ is not None
                ],
            )
        return ids

    def _insert_articles(
        self,
        conn: Connection,
        batch: Sequence[Article],
        source_ids: dict[str, int],
        pending: bool = False,
    ) -> list[int | None]:
        """Insert the batch, skipping known URLs; return ids aligned with the batch."""
        urls = list({a.url for a in batch})
        known = set(conn.execute(select(articles.c.url).where(articles.c.url.in_(urls))).scalars())
        now = now_utc()
        fresh: dict[str, Article] = {}
        place: dict[str, int] = {}
        for index, article in enumerate(batch):
            if article.url not in known:
                fresh.setdefault(article.url, article)
                place.setdefault(article.url, index)
        new_ids: dict[str, int] = {}
        if fresh:
            # Another writer may have stored some of these since the check: skip, never fail,
            # and claim only the rows this insert really added (RETURNING skips the others).
            stmt = dialect.insert_ignoring(articles, conn, "url").returning(
                articles.c.url, articles.c.id
            )
            # Rows go in URL order so that concurrent writers take index locks in one order
            # (batches that overlap in different orders deadlock on PostgreSQL otherwise).
            params = [
                {
                    **_article_values(fresh[url], source_ids[fresh[url].source], now),
                    "cleaning_pending": place[url] if pending else None,
                }
                for url in sorted(fresh)
            ]
            new_ids = {url: int(id_) for url, id_ in conn.execute(stmt, params).all()}
        ids: list[int | None] = []
        for article in batch:
            # Only the first copy of a URL within the batch is the new one.
            ids.append(new_ids.pop(article.url, None))
        return ids

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of these canonical URLs already stored."""
        wanted = list(set(urls))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    conn.execute(select(articles.c.url).where(articles.c.url.in_(chunk))).scalars()
                )
        return found

    def get_article(self, article_id: int) -> StoredArticle | None:
        """One article with its enrichment, or None."""
        found = self.get_articles([article_id])
        return found[0] if found else None

    def get_articles(self, ids: Sequence[int]) -> list[StoredArticle]:
        """Articles by id, in the order asked (missing ids are skipped)."""
        if not ids:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(_article_select().where(articles.c.id.in_(list(ids)))).all()
            by_id = {row.id: row for row in rows}
            found = [by_id[i] for i in ids if i in by_id]
            return self._with_links(conn, found)

    def iter_articles(
        self, since: datetime | None = None, batch_size: int = 1000, *, unenriched: bool = False
    ) -> Iterator[StoredArticle]:
        """Stream articles in publish order (keyset paging; never loads the whole table)."""
        last: tuple[datetime, int] | None = None
        order_key = func.coalesce(articles.c.published_at, articles.c.fetched_at)
        while True:
            stmt = _article_select().order_by(order_key, articles.c.id).limit(batch_size)
            if since is not None:
                stmt = stmt.where(order_key >= utc_naive(since))
            if unenriched:
                stmt = stmt.where(articles.c.enriched_at.is_(None))
            if last is not None:
                stmt = stmt.where(
                    (order_key > last[0]) | ((order_key == last[0]) & (articles.c.id > last[1]))
                )
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
                page = self._with_links(conn, rows)
            if not page:
                return
            yield from page
            tail = page[-1]
            moment = tail.article.published_at or tail.article.fetched_at
            last = (utc_naive(moment) or now_utc(), tail.id)

    def _with_links(self, conn: Connection, rows: Sequence[Row[Any]]) -> list[StoredArticle]:
        """Attach keyphrases (with their kinds) and related ids to article rows."""
        ids = [row.id for row in rows]
        tags = load_tags(conn, ids)
        related: dict[int, list[int]] = {}
        if ids:
            stmt = (
                select(related_articles.c.article_id, related_articles.c.related_id)
                .where(related_articles.c.article_id.in_(ids))
                .order_by(related_articles.c.article_id, related_articles.c.rank)
            )
            for article_id, related_id in conn.execute(stmt):
                related.setdefault(article_id, []).append(related_id)
        return [_stored_article(row, tags.get(row.id, []), related.get(row.id, [])) for row in rows]

    # -- counts ----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many sources, articles, stories and duplicates are stored."""
        with self.engine.connect() as conn:
            return {
                "sources": conn.execute(select(func.count()).select_from(sources)).scalar_one(),
                "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
                "stories": conn.execute(select(func.count()).select_from(stories)).scalar_one(),
                "duplicates": conn.execute(
                    select(func.count()).where(articles.c.duplicate_of.is_not(None))
                ).scalar_one(),
            }


def _article_values(article: Article, source_id: int, now: datetime) -> dict[str, Any]:
    """Column values for a new article row."""
    return {
        "url": article.url,
        "source_id": source_id,
        "title": article.title,
        "author": article.author,
        "text": article.text,
        "match_title": article.match_title,
        "match_text": article.match_text,
        "content_hash": article.content_hash,
        "published_at": utc_naive(article.published_at),
        "fetched_at": utc_naive(article.fetched_at) or now,
        "stored_at": now,
        "language": article.language,
        "image": article.image,
        **cleaning_values(article),
    }


def _article_select() -> Any:
    """SELECT of article columns with the source's slug and name."""
    return select(
        articles,
        sources.c.slug.label("source"),
        sources.c.name.label("source_name"),
    ).join(sources, sources.c.id == articles.c.source_id)


def _stored_article(
    row: Row[Any], tags: list[tuple[str, str]], related: list[int]
) -> StoredArticle:
    """Build a StoredArticle from a joined row: the Article as stored and its Enrichment."""
    m = row._mapping
    article = Article(
        id=m["id"],
        url=m["url"],
        source=m["source"],
        source_name=m["source_name"],
        title=m["title"],
        text=m["text"],
        match_title=m["match_title"],
        match_text=m["match_text"],
        content_hash=m["content_hash"],
        author=m["author"],
        published_at=as_utc(m["published_at"]),
        fetched_at=as_utc(m["fetched_at"]) or datetime.now(UTC),
        language=m["language"],
        image=m["image"],
        dateline=m["dateline"],
        credit=m["credit"],
        brief=bool(m["brief"]),
        original_text=m["original_text"],
        original_author=m["original_author"],
        removed=tuple(
            Removal(str(r.get("text", "")), str(r.get("where", "")), str(r.get("reason", "")))
            for r in (m["removed"] or [])
            if isinstance(r, dict)
        ),
    )
    enrichment = Enrichment(
        keyphrases=[phrase for phrase, _ in tags],
        kinds=[kind for _, kind in tags],
        duplicate_of=m["duplicate_of"],
        story_id=m["story_id"],
        related=related,
        summary=m["summary"],
    )
    return StoredArticle(m["id"], article, enrichment)
