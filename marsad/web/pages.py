"""The HTML pages readers see: home, story, article, tag, source, sources and search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from math import ceil
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from marsad.store import TOTAL_CAP, Sort, Suggestions
from marsad.web.related import split_related
from marsad.web.snippets import highlight
from marsad.web.templating import render

if TYPE_CHECKING:
    from marsad.models import Article
    from marsad.store import StoredArticle
    from marsad.web.app import Web

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
MAX_PAGE = 5000
# Ids are 32-bit integers on PostgreSQL (64-bit on SQLite): a larger one in an address names
# nothing and is answered 404 before it reaches the store, which could not even compare it.
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# Tags and stories the first page of a search suggests above the results.
SUGGESTED = 4


def _web(request: Request) -> Web:
    """The app's shared handles."""
    web: Web = request.app.state.web
    return web


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    """Render a page template with what every page needs."""
    web = _web(request)
    context.setdefault("q", "")
    return HTMLResponse(render(web.env, template, request=request, **context))


def _pager(page: int, total: int) -> dict[str, int]:
    """Numbers the pager shows."""
    return {"page": page, "pages": max(1, ceil(total / PER_PAGE)), "total": total}


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    """Top stories, trending keyphrases and the latest articles."""
    web = _web(request)
    store = web.store
    return _page(
        request,
        "home.html",
        stories=web.memo.get("top", lambda: store.top_stories(limit=12)),
        trending=web.memo.get("trending", lambda: store.trending_tags(24, 20)),
        latest=store.latest_articles(limit=PER_PAGE).items,
    )


@router.get("/article/{article_id}", response_class=HTMLResponse)
async def article(request: Request, article_id: Id) -> HTMLResponse:
    """One article: source, time, text, keyphrases, read-also and similar articles."""
    store = _web(request).store
    found = store.visible_article(article_id)
    if found is None:
        raise HTTPException(404, "article not found")
    enrichment = found.enrichment
    read_also, similar = split_related(found, store.article_cards(enrichment.related))
    story = store.get_story(enrichment.story_id) if enrichment.story_id else None
    return _page(
        request,
        "article.html",
        article=found.article,
        enrichment=enrichment,
        story=story,
        read_also=read_also,
        similar=similar,
    )


@router.get("/story/{story_id}", response_class=HTMLResponse)
async def story(request: Request, story_id: Id) -> Response:
    """A story: the lead article, the others in time order, keyphrases, summary, related."""
    found = _web(request).store.story_page(story_id)
    if found is None:
        survivor = _web(request).store.merged_into(story_id)
        if survivor is not None:  # merged into another story: its articles are there now
            return RedirectResponse(f"/story/{survivor}", status_code=301)
        raise HTTPException(404, "story not found")
    members = found.articles
    lead = next((a for a in members if a.id == found.story.lead_article_id), None)
    lead = lead or (members[0] if members else None)
    ids = {a.id for a in members}
    copies = [a for a in members if a.enrichment.duplicate_of in ids and a is not lead]
    others = [a for a in members if a is not lead and a not in copies]
    summary = found.story.summary or (lead.enrichment.summary if lead else None)
    return _page(
        request,
        "story.html",
        page=found,
        lead=lead.article if lead else None,
        others=[a.article for a in others],
        copies=[a.article for a in copies],
        timeline=[a.article for a in members],
        summary=summary,
        coverage=story_coverage(members),
    )


@dataclass(frozen=True)
class Coverage:
    """One paper's coverage of a story: how many of its articles, the first and the latest."""

    source_name: str
    articles: int
    first: datetime | None
    latest: datetime | None


def story_coverage(members: Sequence[StoredArticle]) -> list[Coverage]:
    """Which papers covered a story, widest coverage first (then the earliest to report)."""
    by_source: dict[str, list[Article]] = {}
    for stored in members:
        by_source.setdefault(stored.article.source_name or "", []).append(stored.article)
    found = []
    for name, articles in by_source.items():
        times = sorted(a.published_at for a in articles if a.published_at is not None)
        found.append(
            Coverage(name, len(articles), times[0] if times else None, times[-1] if times else None)
        )
    return sorted(
        found,
        key=lambda c: (-c.articles, c.first is None, c.first.timestamp() if c.first else 0.0),
    )


@router.get("/tag/{phrase:path}", response_class=HTMLResponse)
async def tag(
    request: Request, phrase: str, page: int = Query(1, ge=1, le=MAX_PAGE)
) -> HTMLResponse:
    """Articles tagged with a keyphrase, newest first."""
    store = _web(request).store
    found = store.find_tag(phrase)
    if found is None:
        raise HTTPException(404, "tag not found")
    listed = store.articles_by_tag(
        phrase, PER_PAGE, (page - 1) * PER_PAGE, per_story=found.lists_stories
    )
    return _page(
        request,
        "tag.html",
        tag=found,
        items=listed.items,
        paging=_pager(page, listed.total),
    )


@router.get("/source/{slug}", response_class=HTMLResponse)
async def source(
    request: Request, slug: str, page: int = Query(1, ge=1, le=MAX_PAGE)
) -> HTMLResponse:
    """One source's articles, newest first."""
    store = _web(request).store
    found = store.source_by_slug(slug)
    if found is None:
        raise HTTPException(404, "source not found")
    listed = store.articles_by_source(found.id, PER_PAGE, (page - 1) * PER_PAGE)
    return _page(
        request,
        "source.html",
        source=found,
        items=listed.items,
        paging=_pager(page, listed.total),
    )


@router.get("/sources", response_class=HTMLResponse)
async def sources(request: Request) -> HTMLResponse:
    """Every source with its article count."""
    return _page(request, "sources.html", sources=_web(request).store.public_sources())


def search_cap() -> int:
    """How many hits a search counts before it says "that many or more" (a dependency)."""
    return TOTAL_CAP


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request,
    q: str = Query("", max_length=500),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    sort: str = Query("relevance", max_length=20),
    source: str = Query("", max_length=200),
    since: str = Query("", alias="from", max_length=20),
    until: str = Query("", alias="to", max_length=20),
    cap: int = Depends(search_cap),
) -> HTMLResponse:
    """Search results, one per story, with the matched words marked.

    Any input is searched as plain text apart from the query language (see
    `marsad.store.search`); the form's source and dates add to the query's own filters, and
    what cannot be read (a malformed date) is said on the page, never an error. The count stops
    at `cap` (the page then says "cap results or more"); pages go up to it.
    """
    store = _web(request).store
    form = SearchForm.read(sort, source, since, until)
    offset = (page - 1) * PER_PAGE
    found = None
    if q:
        found = store.search_page(
            q,
            PER_PAGE,
            offset,
            cap,
            sort=form.sort,
            group=True,
            sources=form.sources,
            since=form.since,
            until=form.until,
        )
    ids = found.ids if found else []
    cards = store.article_cards(ids)
    texts = store.search_texts(ids)
    wanted = set(found.query.stems()) if found else set()
    snippets = {
        i: Markup(highlight(text, wanted, match_text=folded)) for i, (text, folded) in texts.items()
    }
    folded = {h.id: h.folded for h in found.hits} if found else {}
    refused = form.refused + (list(found.query.refused) if found else [])
    total = found.total if found else 0
    return _page(
        request,
        "search.html",
        q=q,
        form=form,
        items=cards,
        snippets=snippets,
        folded=folded,
        refused=refused,
        capped=total >= cap,
        paging=_pager(page, total),
        sources=store.source_choices(),
        suggested=store.suggest(q, SUGGESTED, stories=False)
        if q and page == 1
        else Suggestions([], []),
    )


@dataclass(frozen=True)
class SearchForm:
    """The search form's fields as read (bad values dropped and said why)."""

    sort: Sort = "relevance"
    sources: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    refused: list[str] = field(default_factory=list)
    raw_source: str = ""
    raw_since: str = ""
    raw_until: str = ""

    @classmethod
    def read(cls, sort: str, source: str, since: str, until: str) -> SearchForm:
        """The fields from query parameters; anything unreadable is left out and named."""
        refused: list[str] = []
        dates = []
        for name, value in (("from", since), ("to", until)):
            try:
                dates.append(date.fromisoformat(value) if value else None)
            except ValueError:
                refused.append(f"{name}: {value[:20]!r} is not a date (YYYY-MM-DD)")
                dates.append(None)
        picked: Sort = "newest" if sort == "newest" else "relevance"
        slugs = tuple(s for s in source.split(",") if s)[:5] if source else ()
        return cls(picked, slugs, dates[0], dates[1], refused, source, since, until)

    def link(self) -> str:
        """The form's fields as URL parameters (for the pager), ending in '&'."""
        fields = {"sort": self.sort if self.sort != "relevance" else "", "source": self.raw_source}
        fields |= {"from": self.raw_since, "to": self.raw_until}
        return "".join(f"{k}={quote(v)}&" for k, v in fields.items() if v)
