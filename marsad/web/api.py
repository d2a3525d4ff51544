"""The JSON API under /api/v1: articles, stories, search, tags and sources, with paging."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from marsad.store import TOTAL_CAP, ArticleCard, StoryCard
from marsad.urls import web_url
from marsad.web.pages import Id, search_cap
from marsad.web.related import split_related

if TYPE_CHECKING:
    from marsad.store import Storage, StoredArticle

PREFIX = "/api/v1"
router = APIRouter(prefix=PREFIX, tags=["api"])
Limit = Query(20, ge=1, le=100, description="items per page")
Offset = Query(0, ge=0, le=1_000_000, description="items to skip")
# Search pages stop at the count's cap: the schema says so, and the handler refuses past it.
SearchOffset = Query(0, ge=0, le=TOTAL_CAP - 1, description="items to skip (below the cap)")
SourceSlugs = Query([], max_length=5, description="source slugs to keep (search)")
Since = Query(None, alias="from", description="published on or after (search)")
Until = Query(None, alias="to", description="published on or before (search)")


class SourceOut(BaseModel):
    """A source as the API shows it."""

    slug: str
    name: str
    url: str | None


class ArticleBrief(BaseModel):
    """An article in a list."""

    id: int
    title: str
    url: str | None  # null where the stored address is not http(s) (stored before the checks)
    source: SourceOut
    published_at: datetime | None
    story_id: int | None
    duplicate_of: int | None = None


class RemovalOut(BaseModel):
    """Furniture cleaning cut from the publisher's text: what, at which end, and why."""

    text: str
    where: str
    reason: str


class ArticleOut(BaseModel):
    """One article with its enrichment. `text` is the reading text; `publisher_text` and
    `publisher_author` are the publisher's own, `removed` says what cleaning cut and why."""

    id: int
    title: str
    text: str
    summary: str | None
    author: str | None
    dateline: str | None
    credit: str | None
    brief: bool
    image: str | None
    publisher_text: str
    publisher_author: str | None
    removed: list[RemovalOut]
    source: SourceOut
    url: str | None  # null where the stored address is not http(s)
    published_at: datetime | None
    keyphrases: list[str]
    story_id: int | None
    duplicate_of: int | None
    read_also: ArticleBrief | None
    related: list[ArticleBrief]


class StoryBrief(BaseModel):
    """A story in a list."""

    id: int
    title: str
    summary: str | None
    article_count: int
    source_count: int
    updated_at: datetime
    lead: ArticleBrief | None


class StoryOut(StoryBrief):
    """One story with its articles in time order."""

    keyphrases: list[str]
    articles: list[ArticleBrief]
    related: list[StoryBrief]


class Paged(BaseModel):
    """Paging facts of a list."""

    total: int
    limit: int
    offset: int


class ArticleList(Paged):
    """A page of articles."""

    items: list[ArticleBrief]


class StoryList(Paged):
    """A page of stories."""

    items: list[StoryBrief]


class SearchHit(ArticleBrief):
    """A search result: an article, with the hits of its story folded under it (group=story)."""

    folded: int = Field(0, description="other hits of the same story folded under this one")


class SearchResult(Paged):
    """A page of search results, best first unless sort=newest; `total` counts up to a cap."""

    query: str
    sort: str
    group: str
    items: list[SearchHit]
    refused: list[str] = Field(
        default_factory=list, description="parts of the query that were not understood"
    )
    total_capped: bool = Field(
        description="true when counting stopped at the cap: there are `total` hits or more"
    )


class TagOut(BaseModel):
    """A keyphrase with the number of articles carrying it."""

    tag: str
    articles: int


class StorySuggestion(BaseModel):
    """A story a prefix finds."""

    id: int
    title: str


class Suggestion(BaseModel):
    """What a typed prefix may be heading for."""

    tags: list[TagOut]
    stories: list[StorySuggestion]


class TagResult(ArticleList):
    """A page of articles carrying one keyphrase; a person's or place's page has one article
    per story (its newest carrying the tag), newest first."""

    tag: str
    kind: Literal["person", "place", "organisation", "topic"]


class TrendOut(BaseModel):
    """One entry of the trending list («الأكثر تداولًا»)."""

    display: str
    kind: Literal["person", "place", "organisation", "topic"]
    articles: int = Field(
        description="articles of the window the entry stands for: those carrying the tag "
        "and those of the stories it names"
    )
    sources: int = Field(description="distinct sources of those articles")
    burst: float = Field(
        description="the tag's share of the window's articles over its share before "
        "(under 0.5: a story of the days before, still on 2% of the window)"
    )


class SourceInfoOut(SourceOut):
    """A source with its article count."""

    article_count: int
    feed_url: str | None


class ErrorOut(BaseModel):
    """An error: the HTTP status and a message a developer can act on."""

    error: dict[str, Any]


def error_body(status: int, message: str) -> dict[str, Any]:
    """The JSON body of every API error."""
    return {"error": {"status": status, "message": message}}


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def _store(request: Request) -> Storage:
    """The app's store."""
    store: Storage = request.app.state.web.store
    return store


def brief(card: ArticleCard) -> ArticleBrief:
    """An article card as the API shows it."""
    return ArticleBrief(
        id=card.id,
        title=card.title,
        url=web_url(card.url),
        source=SourceOut(slug=card.source, name=card.source_name, url=web_url(card.source_url)),
        published_at=card.published_at,
        story_id=card.story_id,
        duplicate_of=card.duplicate_of,
    )


def article_out(
    stored: StoredArticle,
    site_url: str | None,
    read_also: ArticleCard | None,
    similar: list[ArticleCard],
) -> ArticleOut:
    """A stored article as the API shows it: the article, its enrichment, its related cards."""
    article, enrichment = stored.article, stored.enrichment
    return ArticleOut(
        id=stored.id,
        title=article.title,
        text=article.text,
        summary=enrichment.summary,
        author=article.author,
        dateline=article.dateline,
        credit=article.credit,
        brief=article.brief,
        image=web_url(article.image),
        publisher_text=article.publisher_text,
        publisher_author=article.publisher_author,
        removed=[RemovalOut(text=r.text, where=r.where, reason=r.reason) for r in article.removed],
        source=SourceOut(
            slug=article.source, name=article.source_name or "", url=web_url(site_url)
        ),
        url=web_url(article.url),
        published_at=article.published_at,
        keyphrases=enrichment.keyphrases,
        story_id=enrichment.story_id,
        duplicate_of=enrichment.duplicate_of,
        read_also=brief(read_also) if read_also else None,
        related=[brief(c) for c in similar],
    )


def story_brief(card: StoryCard) -> StoryBrief:
    """A story card as the API shows it."""
    s = card.story
    return StoryBrief(
        id=s.id,
        title=s.title,
        summary=s.summary,
        article_count=s.article_count,
        source_count=s.source_count,
        updated_at=s.updated_at,
        lead=brief(card.lead) if card.lead else None,
    )


@router.get("/articles", response_model=ArticleList)
async def list_articles(request: Request, limit: int = Limit, offset: int = Offset) -> ArticleList:
    """The latest articles (duplicates left out), newest first."""
    page = _store(request).latest_articles(limit, offset)
    items = [brief(c) for c in page.items]
    return ArticleList(total=page.total, limit=limit, offset=offset, items=items)


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=ERRORS)
async def get_article(request: Request, article_id: Id) -> ArticleOut:
    """One article with its source, keyphrases, story, read-also and related articles."""
    store = _store(request)
    a = store.visible_article(article_id)
    if a is None:
        raise HTTPException(404, f"no article with id {article_id}")
    source = store.source_by_slug(a.article.source, count=False)
    read_also, similar = split_related(a, store.article_cards(a.enrichment.related))
    return article_out(a, source.site_url if source else None, read_also, similar)


@router.get("/stories", response_model=StoryList)
async def list_stories(
    request: Request,
    limit: int = Limit,
    offset: int = Offset,
    sort: Literal["top", "latest"] = Query("top", description="top: by sources and recency"),
) -> StoryList:
    """Stories, ranked as on the home page (top) or by last update (latest)."""
    store = _store(request)
    if sort == "top":
        ranked = store.top_stories(limit=10_000)
        cards, total = ranked[offset : offset + limit], len(ranked)
    else:
        cards, total = store.recent_stories(limit, offset)
    items = [story_brief(c) for c in cards]
    return StoryList(total=total, limit=limit, offset=offset, items=items)


@router.get("/stories/{story_id}", response_model=StoryOut, responses=ERRORS)
async def get_story(request: Request, story_id: Id) -> StoryOut:
    """One story with its articles in time order, keyphrases and related stories."""
    store = _store(request)
    page = store.story_page(story_id)
    if page is None:
        raise HTTPException(404, f"no story with id {story_id}")
    cards = store.article_cards([a.id for a in page.articles])
    lead = next((c for c in cards if c.id == page.story.lead_article_id), None)
    head = story_brief(StoryCard(page.story, lead or (cards[0] if cards else None)))
    return StoryOut(
        **head.model_dump(),
        keyphrases=page.keyphrases,
        articles=[brief(c) for c in cards],
        related=[story_brief(c) for c in page.related],
    )


@router.get("/search", response_model=SearchResult, responses=ERRORS)
async def search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=500, description="words to find"),
    limit: int = Limit,
    offset: int = SearchOffset,
    sort: Literal["relevance", "newest"] = Query("relevance", description="order of results"),
    group: Literal["article", "story"] = Query("article", description="fold by story"),
    source: list[str] = SourceSlugs,
    since: date | None = Since,
    until: date | None = Until,
    cap: int = Depends(search_cap),
) -> SearchResult:
    """Articles matching the query in any variant, best first (or newest), one per story if asked.

    The query may hold «phrases» or "phrases", -word to exclude, source:slug and from:/to:
    dates. `total` counts hits up to a cap (1,000); `total_capped` says the count stopped
    there, and pages go up to it (an offset past it is refused: add words to narrow the query).
    """
    if offset >= cap:
        raise HTTPException(
            422, f"search pages stop at the first {cap} results: add words to narrow the query"
        )
    store = _store(request)
    page = store.search_page(
        q,
        limit,
        offset,
        cap,
        sort=sort,
        group=group == "story",
        sources=[s[:200] for s in source],
        since=since,
        until=until,
    )
    cards = {c.id: c for c in store.article_cards(page.ids)}
    items = [
        SearchHit(**brief(cards[h.id]).model_dump(), folded=h.folded)
        for h in page.hits
        if h.id in cards
    ]
    return SearchResult(
        query=q,
        sort=sort,
        group=group,
        total=page.total,
        total_capped=page.total >= cap,
        limit=limit,
        offset=offset,
        items=items,
        refused=list(page.query.refused),
    )


@router.get("/suggest", response_model=Suggestion)
async def suggest(
    request: Request,
    q: str = Query(..., min_length=1, max_length=100, description="what the reader typed"),
    limit: int = Query(5, ge=1, le=10),
) -> Suggestion:
    """Keyphrases starting with what was typed (most used first) and the stories it finds."""
    found = _store(request).suggest(q, limit)
    return Suggestion(
        tags=[TagOut(tag=t, articles=n) for t, n in found.tags],
        stories=[StorySuggestion(id=i, title=t) for i, t in found.stories],
    )


@router.get("/tags/{phrase:path}", response_model=TagResult, responses=ERRORS)
async def tag(request: Request, phrase: str, limit: int = Limit, offset: int = Offset) -> TagResult:
    """Articles carrying a keyphrase (any spelling variant), newest first."""
    store = _store(request)
    found = store.find_tag(phrase)
    if found is None:
        raise HTTPException(404, f"no keyphrase {phrase!r}")
    page = store.articles_by_tag(phrase, limit, offset, per_story=found.lists_stories)
    items = [brief(c) for c in page.items]
    return TagResult(
        tag=found.display,
        kind=found.kind,  # type: ignore[arg-type]
        total=page.total,
        limit=limit,
        offset=offset,
        items=items,
    )


@router.get("/trending", response_model=list[TrendOut])
async def trending(
    request: Request,
    hours: int = Query(24, ge=1, le=168, description="the window, ending at the newest article"),
    limit: int = Query(20, ge=1, le=50),
) -> list[TrendOut]:
    """The tags whose share of the window stands far above their share before, best first:
    the list the front page shows as «الأكثر تداولًا»."""
    store = _store(request)
    found = store.trending_tags(hours, limit)
    return [
        TrendOut(
            display=t.display,
            kind=t.kind,  # type: ignore[arg-type]
            articles=t.articles,
            sources=t.sources,
            burst=t.burst,
        )
        for t in found
    ]


@router.get("/sources", response_model=list[SourceInfoOut])
async def sources(request: Request) -> list[SourceInfoOut]:
    """Every source with its site, feed and number of stored articles."""
    return [
        SourceInfoOut(
            slug=s.slug,
            name=s.name,
            url=web_url(s.site_url),
            feed_url=web_url(s.feed_url),
            article_count=s.article_count,
        )
        for s in _store(request).public_sources()
    ]
