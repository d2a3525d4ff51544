"""Read-only queries behind the web pages, the API and the feeds: small rows, indexed paths."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, func, select

from marsad.arabic.normalize import remove_unsafe
from marsad.store.desk_curation import resolve_match
from marsad.store.desk_schema import article_rules
from marsad.store.keyphrases import phrase_kind
from marsad.store.rows import StoredArticle, StoryRow
from marsad.store.schema import article_keyphrases, articles, keyphrases, sources
from marsad.store.times import as_utc
from marsad.store.writer import Writes

EXCERPT_CHARS = 400


@dataclass(frozen=True)
class ArticleCard:
    """What a list shows of an article: headline, source, time, the start of its text."""

    id: int
    title: str
    source: str
    source_name: str
    source_url: str | None
    url: str
    published_at: datetime | None
    story_id: int | None
    duplicate_of: int | None
    excerpt: str
    image: str | None = None
    brief: bool = False


@dataclass(frozen=True)
class StoryCard:
    """What a list shows of a story: its headline, counts and lead article."""

    story: StoryRow
    lead: ArticleCard | None
    score: float = 0.0


@dataclass(frozen=True)
class Tag:
    """A keyphrase as readers see it, with how many articles carry it and its kind (person,
    place, organisation or topic)."""

    display: str
    count: int
    kind: str = "topic"

    @property
    def lists_stories(self) -> bool:
        """Whether its page lists stories (a person's or a place's) rather than articles."""
        return self.kind in ("person", "place")


@dataclass(frozen=True)
class SourceInfo:
    """A source's public face: name, site and number of stored articles."""

    id: int
    slug: str
    name: str
    site_url: str | None
    feed_url: str | None
    article_count: int


@dataclass(frozen=True)
class Page:
    """One page of a list and the total it was cut from."""

    items: list[ArticleCard]
    total: int


@dataclass(frozen=True)
class StoryPage:
    """A story with its articles in time order, its keyphrases and related stories."""

    story: StoryRow
    articles: list[StoredArticle]
    keyphrases: list[str] = field(default_factory=list)
    related: list[StoryCard] = field(default_factory=list)


_EARLIEST = datetime(1990, 1, 1)


def _shown() -> Any:
    """Articles readers may see: not hidden by an editor (a few rows: a cheap anti-join)."""
    hidden = select(article_rules.c.article_id).where(article_rules.c.hidden.is_(True))
    return articles.c.id.not_in(hidden)


def _newest() -> tuple[Any, Any]:
    """Newest-first ordering that walks the published_at index; undated articles go last."""
    return articles.c.published_at.desc().nulls_last(), articles.c.id.desc()


def card_select() -> Select[Any]:
    """SELECT of the columns an ArticleCard needs, with the source joined."""
    return select(
        articles.c.id,
        articles.c.title,
        articles.c.url,
        articles.c.published_at,
        articles.c.story_id,
        articles.c.duplicate_of,
        func.substr(articles.c.text, 1, EXCERPT_CHARS).label("excerpt"),
        articles.c.image,
        articles.c.brief,
        sources.c.slug.label("source"),
        sources.c.name.label("source_name"),
        sources.c.site_url.label("source_url"),
    ).join(sources, sources.c.id == articles.c.source_id)


def fetch_cards(
    conn: Connection, stmt: Select[Any], limit: int | None = None, offset: int = 0
) -> list[ArticleCard]:
    """Run a card SELECT (optionally paged) and build the cards."""
    if limit is not None:
        stmt = stmt.limit(limit).offset(max(offset, 0))
    return [
        ArticleCard(
            id=r.id,
            title=r.title,
            source=r.source,
            source_name=r.source_name,
            source_url=r.source_url,
            url=r.url,
            published_at=as_utc(r.published_at),
            story_id=r.story_id,
            duplicate_of=r.duplicate_of,
            excerpt=r.excerpt or "",
            image=r.image,
            brief=bool(r.brief),
        )
        for r in conn.execute(stmt)
    ]


class ReadingVerbs(Writes):
    """Reads behind the web pages, the API and the feeds: small rows, indexed paths."""

    if TYPE_CHECKING:
        # Verbs of the other groups Store composes, which these reads build on.
        def hidden_articles(self, ids: Sequence[int]) -> set[int]: ...

        def get_article(self, article_id: int) -> StoredArticle | None: ...

    def reference_time(self) -> datetime:
        """'Now' for recency: the newest publish time in the store, or now if that is later.

        An archive corpus (SaudiNewsNet is from 2015) would show nothing as trending or recent
        against the wall clock, so windows such as "the last 24 hours" end at the newest article.
        Future-dated articles (broken publisher clocks) are ignored, and so are dates before the
        plausible window ingest keeps (1990): windows reaching back from year 1 do not exist.
        """
        now = datetime.now(UTC).replace(tzinfo=None)
        stmt = select(func.max(articles.c.published_at)).where(
            articles.c.published_at <= now, articles.c.published_at >= _EARLIEST
        )
        with self.engine.connect() as conn:
            newest = conn.execute(stmt).scalar_one_or_none()
        return as_utc(newest) or datetime.now(UTC)

    def visible_article(self, article_id: int) -> StoredArticle | None:
        """One article as readers may see it: None when missing or hidden by an editor."""
        if self.hidden_articles([article_id]):
            return None
        return self.get_article(article_id)

    def latest_articles(self, limit: int = 20, offset: int = 0) -> Page:
        """The newest articles, duplicates and hidden ones left out, newest first."""
        where = articles.c.duplicate_of.is_(None) & _shown()
        with self.engine.connect() as conn:
            items = fetch_cards(
                conn, card_select().where(where).order_by(*_newest()), limit, offset
            )
            total = conn.execute(select(func.count()).where(where)).scalar_one()
        return Page(items, int(total))

    def article_cards(self, ids: Sequence[int]) -> list[ArticleCard]:
        """Cards for these article ids, in the order asked (missing ids skipped)."""
        if not ids:
            return []
        with self.engine.connect() as conn:
            found = fetch_cards(conn, card_select().where(articles.c.id.in_(list(ids))))
        by_id = {card.id: card for card in found}
        return [by_id[i] for i in ids if i in by_id]

    def find_tag(self, phrase: str) -> Tag | None:
        """The keyphrase a tag URL names (any spelling variant), with its article count."""
        with self.engine.connect() as conn:
            stmt = (
                select(
                    keyphrases.c.id,
                    keyphrases.c.display,
                    func.count(article_keyphrases.c.article_id),
                )
                .outerjoin(article_keyphrases, article_keyphrases.c.keyphrase_id == keyphrases.c.id)
                .where(
                    keyphrases.c.match == resolve_match(conn, phrase)
                )  # merged spellings lead on
                .group_by(keyphrases.c.id, keyphrases.c.display)
            )
            row = conn.execute(stmt).first()
            if row is None:
                return None
            kind = phrase_kind(conn, int(row[0]))
        return Tag(row[1], int(row[2]), kind)

    def articles_by_tag(
        self, phrase: str, limit: int = 20, offset: int = 0, *, per_story: bool = False
    ) -> Page:
        """Articles carrying a keyphrase (any spelling variant), newest first; with `per_story`,
        one per story (its newest carrying the keyphrase), so a person's or a place's page lists
        their stories newest first."""
        with self.engine.connect() as conn:
            match = resolve_match(conn, phrase)  # a merged spelling leads to its tag
        kp_id = select(keyphrases.c.id).where(keyphrases.c.match == match).scalar_subquery()
        tagged = select(article_keyphrases.c.article_id).where(
            article_keyphrases.c.keyphrase_id == kp_id
        )
        if per_story:
            newest = (
                func.row_number()
                .over(
                    partition_by=func.coalesce(articles.c.story_id, -articles.c.id),
                    order_by=(*_newest(),),
                )
                .label("n")
            )
            ranked = (
                select(articles.c.id, newest)
                .where(articles.c.id.in_(tagged), articles.c.duplicate_of.is_(None))
                .subquery()
            )
            tagged = select(ranked.c.id).where(ranked.c.n == 1)
        with self.engine.connect() as conn:
            stmt = card_select().where(articles.c.id.in_(tagged)).order_by(*_newest())
            items = fetch_cards(conn, stmt, limit, offset)
            total = conn.execute(select(func.count()).select_from(tagged.subquery())).scalar_one()
        return Page(items, int(total))

    def source_by_slug(self, slug: str, count: bool = True) -> SourceInfo | None:
        """A source's public details by slug (with its article count unless told not to), or None."""
        if remove_unsafe(slug) != slug:
            # No stored slug holds a NUL or a control character (normalize keeps them out), and
            # PostgreSQL cannot even compare text holding NUL: a reader's such address names none.
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(sources).where(sources.c.slug == slug)).first()
            if row is None:
                return None
            n = 0
            if count:
                stmt = select(func.count()).where(articles.c.source_id == row.id)
                n = int(conn.execute(stmt).scalar_one())
            return SourceInfo(row.id, row.slug, row.name, row.site_url, row.feed_url, n)

    def public_sources(self) -> list[SourceInfo]:
        """Every source with its article count, by name."""
        counts = (
            select(articles.c.source_id, func.count().label("n"))
            .group_by(articles.c.source_id)
            .subquery()
        )
        stmt = (
            select(sources, func.coalesce(counts.c.n, 0).label("n"))
            .outerjoin(counts, counts.c.source_id == sources.c.id)
            .order_by(sources.c.name)
        )
        with self.engine.connect() as conn:
            return [
                SourceInfo(r.id, r.slug, r.name, r.site_url, r.feed_url, int(r.n))
                for r in conn.execute(stmt)
            ]

    def source_choices(self) -> list[tuple[str, str]]:
        """Every source's slug and name, by name (no counts: cheap enough for every search page)."""
        stmt = select(sources.c.slug, sources.c.name).order_by(sources.c.name)
        with self.engine.connect() as conn:
            return [(slug, name) for slug, name in conn.execute(stmt)]

    def articles_by_source(self, source_id: int, limit: int = 20, offset: int = 0) -> Page:
        """One source's articles (hidden ones left out), newest first."""
        where = (articles.c.source_id == source_id) & _shown()
        with self.engine.connect() as conn:
            items = fetch_cards(
                conn, card_select().where(where).order_by(*_newest()), limit, offset
            )
            total = conn.execute(select(func.count()).where(where)).scalar_one()
        return Page(items, int(total))

    def article_texts(self, ids: Sequence[int]) -> dict[int, str]:
        """The full text of these articles, by id (for search snippets)."""
        if not ids:
            return {}
        stmt = select(articles.c.id, articles.c.text).where(articles.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            return {int(i): t for i, t in conn.execute(stmt)}

    def search_texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """The full text and its matching form of these articles, by id (for search snippets)."""
        if not ids:
            return {}
        stmt = select(articles.c.id, articles.c.text, articles.c.match_text).where(
            articles.c.id.in_(list(ids))
        )
        with self.engine.connect() as conn:
            return {int(i): (t, m) for i, t, m in conn.execute(stmt)}
