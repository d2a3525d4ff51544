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
    bindparam,
    create_engine,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import make_url

from marsad.models import Article, Enrichment, Source
from marsad.store import dialect
from marsad.store.keyphrases import load_keyphrases, save_keyphrases
from marsad.store.rows import SourceRow, StoredArticle, StoryRow
from marsad.store.schema import articles, fetch_log, related_articles, sources, stories
from marsad.store.search import index_terms, query_terms

MIGRATIONS = Path(__file__).parent / "migrations"


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store at an SQLAlchemy URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, **dialect.engine_options(parsed.get_backend_name()))
    dialect.configure_engine(engine)
    store = Store(engine)
    store.upgrade()
    return store


def utc_naive(moment: datetime | None) -> datetime | None:
    """Store times as naive UTC so that SQLite and PostgreSQL compare them alike."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def as_utc(moment: datetime | None) -> datetime | None:
    """Times read back from the store, made timezone-aware (UTC)."""
    return None if moment is None else moment.replace(tzinfo=UTC)


class Store:
    """Sources, articles, stories, keyphrases, related links, the fetch log and search."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """The database in use, with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Apply every pending Alembic migration."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            dialect.lock_migrations(conn)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    # -- sources -----------------------------------------------------------------------------

    def upsert_source(self, source: Source, options: dict[str, Any] | None = None) -> int:
        """Add a source or update its name and URLs; return its id."""
        values: dict[str, Any] = {
            "slug": source.slug,
            "name": source.name,
            "feed_url": source.feed_url,
            "site_url": source.site_url,
        }
        with self.engine.begin() as conn:
            found = conn.execute(select(sources.c.id).where(sources.c.slug == source.slug)).first()
            if found is not None:
                if options is not None:
                    values["options"] = options
                conn.execute(update(sources).where(sources.c.id == found.id).values(**values))
                return int(found.id)
            values.update(options=options or {}, created_at=_now(), consecutive_errors=0)
            return int(
                conn.execute(sources.insert().values(**values).returning(sources.c.id)).scalar_one()
            )

    def ensure_sources(self, names: dict[str, str]) -> dict[str, int]:
        """Ids of sources by slug, creating missing ones with the given display names."""
        with self.engine.begin() as conn:
            rows = conn.execute(select(sources.c.slug, sources.c.id)).all()
            known = {slug: int(id_) for slug, id_ in rows}
            missing = [
                {"slug": slug, "name": name, "options": {}, "created_at": _now()}
                for slug, name in names.items()
                if slug not in known
            ]
            if missing:
                # Another worker may be adding the same source right now: skip, never fail.
                conn.execute(
                    dialect.insert_ignoring(sources, conn, "slug").values(consecutive_errors=0),
                    missing,
                )
                found = conn.execute(
                    select(sources.c.slug, sources.c.id).where(
                        sources.c.slug.in_([m["slug"] for m in missing])
                    )
                ).all()
                known.update({slug: int(id_) for slug, id_ in found})
        return known

    def get_source(self, slug: str) -> SourceRow | None:
        """One source with its health, or None."""
        return next((s for s in self.list_sources() if s.slug == slug), None)

    def list_sources(self) -> list[SourceRow]:
        """Every source with its health and the number of articles stored from it."""
        counts = (
            select(articles.c.source_id, func.count().label("n"))
            .group_by(articles.c.source_id)
            .subquery()
        )
        stmt = select(sources, func.coalesce(counts.c.n, 0).label("article_count")).outerjoin(
            counts, counts.c.source_id == sources.c.id
        )
        with self.engine.connect() as conn:
            rows = [_source_row(row) for row in conn.execute(stmt)]
        # Sorted here, by code point as SQLite does: a PostgreSQL collation may differ.
        return sorted(rows, key=lambda row: row.slug)

    def remove_source(self, slug: str) -> bool:
        """Stop following a source; its stored articles stay. Return whether it existed."""
        with self.engine.begin() as conn:
            found = conn.execute(select(sources.c.id).where(sources.c.slug == slug)).first()
            if found is None:
                return False
            stored = conn.execute(
                select(func.count()).where(articles.c.source_id == found.id)
            ).scalar_one()
            if stored:
                # Articles keep their attribution: the source row stays, unfollowed.
                conn.execute(
                    update(sources)
                    .where(sources.c.id == found.id)
                    .values(feed_url=None, next_check_at=None)
                )
            else:
                conn.execute(
                    update(fetch_log)
                    .where(fetch_log.c.source_id == found.id)
                    .values(source_id=None)
                )
                conn.execute(delete(sources).where(sources.c.id == found.id))
            return True

    def record_source_fetch(
        self,
        slug: str,
        *,
        ok: bool,
        status: str,
        etag: str | None = None,
        last_modified: str | None = None,
        next_check_at: datetime | None = None,
    ) -> None:
        """Remember how a source's last fetch went (health, validators, next check)."""
        values: dict[str, Any] = {
            "last_fetch_at": _now(),
            "last_status": status[:200],
            "next_check_at": utc_naive(next_check_at),
            "consecutive_errors": 0 if ok else sources.c.consecutive_errors + 1,
        }
        # A 304 or a server without validators leaves the ones we have in place.
        if ok and etag is not None:
            values["etag"] = etag
        if ok and last_modified is not None:
            values["last_modified"] = last_modified
        with self.engine.begin() as conn:
            conn.execute(update(sources).where(sources.c.slug == slug).values(**values))

    def log_fetch(
        self,
        url: str,
        *,
        source: str | None = None,
        status: str,
        reason: str | None = None,
        http_status: int | None = None,
        elapsed_ms: int | None = None,
    ) -> None:
        """Append one fetch outcome (per URL) to the fetch log."""
        with self.engine.begin() as conn:
            source_id = None
            if source is not None:
                source_id = conn.execute(
                    select(sources.c.id).where(sources.c.slug == source)
                ).scalar_one_or_none()
            conn.execute(
                fetch_log.insert().values(
                    at=_now(),
                    source_id=source_id,
                    url=url,
                    status=status,
                    reason=reason,
                    http_status=http_status,
                    elapsed_ms=elapsed_ms,
                )
            )

    def fetch_log_entries(
        self, source: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """The latest fetch outcomes, newest first, optionally for one source."""
        stmt = (
            select(fetch_log, sources.c.slug.label("source"))
            .outerjoin(sources, sources.c.id == fetch_log.c.source_id)
            .order_by(fetch_log.c.id.desc())
            .limit(limit)
        )
        if source is not None:
            stmt = stmt.where(sources.c.slug == source)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]

    # -- articles ----------------------------------------------------------------------------

    def add_articles(self, batch: Sequence[Article]) -> list[int | None]:
        """Store new articles in one transaction; None where the canonical URL is already stored."""
        if not batch:
            return []
        names = {a.source: a.source_name or a.source for a in batch}
        source_ids = self.ensure_sources(names)
        with self.engine.begin() as conn:
            ids = self._insert_articles(conn, batch, source_ids)
            dialect.index_for_search(
                conn,
                [
                    (id_, index_terms(a.match_title, a.match_text))
                    for id_, a in zip(ids, batch, strict=True)
                    if id_ is not None
                ],
            )
        return ids

    def _insert_articles(
        self, conn: Connection, batch: Sequence[Article], source_ids: dict[str, int]
    ) -> list[int | None]:
        """Insert the batch, skipping known URLs; return ids aligned with the batch."""
        urls = list({a.url for a in batch})
        known = set(conn.execute(select(articles.c.url).where(articles.c.url.in_(urls))).scalars())
        now = _now()
        fresh: dict[str, Article] = {}
        for article in batch:
            if article.url not in known:
                fresh.setdefault(article.url, article)
        new_ids: dict[str, int] = {}
        if fresh:
            # Another writer may have stored some of these since the check: skip, never fail,
            # and claim only the rows this insert really added (RETURNING skips the others).
            stmt = dialect.insert_ignoring(articles, conn, "url").returning(
                articles.c.url, articles.c.id
            )
            params = [_article_values(a, source_ids[a.source], now) for a in fresh.values()]
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
        self, since: datetime | None = None, batch_size: int = 1000
    ) -> Iterator[StoredArticle]:
        """Stream every article in publish order (keyset paging; never loads the whole table)."""
        last: tuple[datetime, int] | None = None
        order_key = func.coalesce(articles.c.published_at, articles.c.fetched_at)
        while True:
            stmt = _article_select().order_by(order_key, articles.c.id).limit(batch_size)
            if since is not None:
                stmt = stmt.where(order_key >= utc_naive(since))
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
            last = (utc_naive(tail.published_at or tail.fetched_at) or _now(), tail.id)

    def _with_links(self, conn: Connection, rows: Sequence[Row[Any]]) -> list[StoredArticle]:
        """Attach keyphrases and related ids to article rows."""
        ids = [row.id for row in rows]
        phrases = load_keyphrases(conn, ids)
        related: dict[int, list[int]] = {}
        if ids:
            stmt = (
                select(related_articles.c.article_id, related_articles.c.related_id)
                .where(related_articles.c.article_id.in_(ids))
                .order_by(related_articles.c.article_id, related_articles.c.rank)
            )
            for article_id, related_id in conn.execute(stmt):
                related.setdefault(article_id, []).append(related_id)
        return [
            _stored_article(row, phrases.get(row.id, []), related.get(row.id, [])) for row in rows
        ]

    # -- enrichment --------------------------------------------------------------------------

    def save_enrichment(self, article_id: int, enrichment: Enrichment) -> None:
        """Store what enrichment found for one article, replacing what was there."""
        self.save_enrichments([(article_id, enrichment)])

    def save_enrichments(self, batch: Sequence[tuple[int, Enrichment]]) -> None:
        """Store enrichment for many articles in one transaction (batched statements)."""
        if not batch:
            return
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                update(articles)
                .where(articles.c.id == bindparam("article_id"))
                .values(
                    duplicate_of=bindparam("duplicate_of"),
                    story_id=bindparam("story_id"),
                    summary=bindparam("summary"),
                    enriched_at=now,
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
            save_keyphrases(conn, [(article_id, found.keyphrases) for article_id, found in batch])
            _replace_related(conn, [(article_id, found.related) for article_id, found in batch])

    def set_related(self, article_id: int, related: Sequence[int]) -> None:
        """Replace one article's related list (best first)."""
        with self.engine.begin() as conn:
            _replace_related(conn, [(article_id, related)])

    def set_related_many(self, batch: Sequence[tuple[int, Sequence[int]]]) -> None:
        """Replace several articles' related lists in one transaction."""
        with self.engine.begin() as conn:
            _replace_related(conn, batch)

    # -- stories -----------------------------------------------------------------------------

    def create_story(self, title: str, created_at: datetime | None = None) -> int:
        """Start a new story; return its id."""
        moment = utc_naive(created_at) or _now()
        with self.engine.begin() as conn:
            stmt = stories.insert().values(
                title=title, created_at=moment, updated_at=moment, article_count=0, source_count=0
            )
            return int(conn.execute(stmt.returning(stories.c.id)).scalar_one())

    def update_story(self, story_id: int, **values: Any) -> None:
        """Change a story's title, summary, lead article or timestamps."""
        allowed = {"title", "summary", "lead_article_id", "updated_at"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown story fields: {sorted(unknown)}")
        if "updated_at" in values:
            values["updated_at"] = utc_naive(values["updated_at"])
        with self.engine.begin() as conn:
            conn.execute(update(stories).where(stories.c.id == story_id).values(**values))
            _refresh_story_counts(conn, [story_id])

    def refresh_story_counts(self, story_ids: Iterable[int]) -> None:
        """Recount the articles and sources of these stories."""
        with self.engine.begin() as conn:
            _refresh_story_counts(conn, list(set(story_ids)))

    def get_story(self, story_id: int) -> StoryRow | None:
        """One story, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        return None if row is None else _story_row(row)

    def story_article_ids(self, story_id: int) -> list[int]:
        """The story's articles in publish order."""
        stmt = (
            select(articles.c.id)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.published_at.asc().nulls_first(), articles.c.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(stmt).scalars())

    # -- search and counts -------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, offset: int = 0) -> tuple[list[int], int]:
        """Article ids matching every word of the query (any variant), newest first, and total."""
        with self.engine.connect() as conn:
            return dialect.search_ids(conn, query_terms(query), limit, max(offset, 0))

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


def _now() -> datetime:
    """The current time, naive UTC, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)


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
        "language": article.language,
        "image": article.image,
    }


def _article_select() -> Any:
    """SELECT of article columns with the source's slug and name."""
    return select(
        articles,
        sources.c.slug.label("source"),
        sources.c.name.label("source_name"),
    ).join(sources, sources.c.id == articles.c.source_id)


def _stored_article(row: Row[Any], phrases: list[str], related: list[int]) -> StoredArticle:
    """Build a StoredArticle from a joined row."""
    m = row._mapping
    return StoredArticle(
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
        summary=m["summary"],
        duplicate_of=m["duplicate_of"],
        story_id=m["story_id"],
        keyphrases=phrases,
        related=related,
    )


def _source_row(row: Row[Any]) -> SourceRow:
    """Build a SourceRow from a sources row with its article count."""
    m = row._mapping
    return SourceRow(
        id=m["id"],
        slug=m["slug"],
        name=m["name"],
        feed_url=m["feed_url"],
        site_url=m["site_url"],
        options=dict(m["options"] or {}),
        last_fetch_at=as_utc(m["last_fetch_at"]),
        last_status=m["last_status"],
        consecutive_errors=m["consecutive_errors"] or 0,
        etag=m["etag"],
        last_modified=m["last_modified"],
        next_check_at=as_utc(m["next_check_at"]),
        article_count=int(m["article_count"]),
    )


def _story_row(row: Row[Any]) -> StoryRow:
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


def _replace_related(conn: Connection, batch: Sequence[tuple[int, Sequence[int]]]) -> None:
    """Replace articles' related rows (best first), dropping self-links and repeats."""
    ids = [article_id for article_id, _ in batch]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(delete(related_articles).where(related_articles.c.article_id.in_(chunk)))
    rows = [
        {"article_id": article_id, "related_id": rid, "rank": rank}
        for article_id, related in dict(batch).items()
        for rank, rid in enumerate(r for r in dict.fromkeys(related) if r != article_id)
    ]
    if rows:
        conn.execute(related_articles.insert(), rows)


def _refresh_story_counts(conn: Connection, story_ids: Sequence[int]) -> None:
    """Recount articles and distinct sources for the given stories."""
    for story_id in story_ids:
        n, n_sources = conn.execute(
            select(func.count(), func.count(func.distinct(articles.c.source_id))).where(
                articles.c.story_id == story_id
            )
        ).one()
        conn.execute(
            update(stories)
            .where(stories.c.id == story_id)
            .values(article_count=n, source_count=n_sources)
        )
