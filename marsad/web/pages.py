"""The HTML pages readers see: home, story, article, tag, source, sources and search."""

from __future__ import annotations

from math import ceil
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from marsad.store import queries, story_queries
from marsad.store.queries import ArticleCard
from marsad.store.rows import StoredArticle
from marsad.store.search import TOTAL_CAP, query_terms
from marsad.store.trending import trending_tags
from marsad.web.snippets import highlight
from marsad.web.templating import render

if TYPE_CHECKING:
    from marsad.web.app import Web

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
MAX_PAGE = 5000
SIMILAR = 10


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
        stories=web.memo.get("top", lambda: story_queries.top_stories(store, limit=12)),
        trending=web.memo.get("trending", lambda: trending_tags(store, 24, 20)),
        latest=queries.latest_articles(store, limit=PER_PAGE).items,
    )


@router.get("/article/{article_id}", response_class=HTMLResponse)
async def article(request: Request, article_id: int) -> HTMLResponse:
    """One article: source, time, text, keyphrases, read-also and similar articles."""
    store = _web(request).store
    found = store.get_article(article_id)
    if found is None:
        raise HTTPException(404, "article not found")
    read_also, similar = split_related(found, queries.article_cards(store, found.related))
    story = store.get_story(found.story_id) if found.story_id else None
    return _page(
        request,
        "article.html",
        article=found,
        story=story,
        read_also=read_also,
        similar=similar,
    )


def split_related(
    article: StoredArticle, cards: list[ArticleCard]
) -> tuple[ArticleCard | None, list[ArticleCard]]:
    """The featured read-also (best related outside the article's story) and the similar list."""
    copies = {article.id} if article.duplicate_of is None else {article.id, article.duplicate_of}
    usable = [c for c in cards if c.id not in copies and (c.duplicate_of or c.id) not in copies]
    read_also = next(
        (c for c in usable if article.story_id is None or c.story_id != article.story_id),
        None,
    )
    similar = [c for c in usable if c is not read_also][:SIMILAR]
    return read_also, similar


@router.get("/story/{story_id}", response_class=HTMLResponse)
async def story(request: Request, story_id: int) -> HTMLResponse:
    """A story: the lead article, the others in time order, keyphrases, summary, related."""
    found = story_queries.story_page(_web(request).store, story_id)
    if found is None:
        raise HTTPException(404, "story not found")
    members = found.articles
    lead = next((a for a in members if a.id == found.story.lead_article_id), None)
    lead = lead or (members[0] if members else None)
    ids = {a.id for a in members}
    copies = [a for a in members if a.duplicate_of in ids and a is not lead]
    others = [a for a in members if a is not lead and a not in copies]
    summary = found.story.summary or (lead.summary if lead else None)
    return _page(
        request,
        "story.html",
        page=found,
        lead=lead,
        others=others,
        copies=copies,
        summary=summary,
    )


@router.get("/tag/{phrase:path}", response_class=HTMLResponse)
async def tag(
    request: Request, phrase: str, page: int = Query(1, ge=1, le=MAX_PAGE)
) -> HTMLResponse:
    """Articles tagged with a keyphrase, newest first."""
    store = _web(request).store
    found = queries.find_tag(store, phrase)
    if found is None:
        raise HTTPException(404, "tag not found")
    listed = queries.articles_by_tag(
        store, phrase, PER_PAGE, (page - 1) * PER_PAGE, per_story=found.lists_stories
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
    found = queries.source_by_slug(store, slug)
    if found is None:
        raise HTTPException(404, "source not found")
    listed = queries.articles_by_source(store, found.id, PER_PAGE, (page - 1) * PER_PAGE)
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
    return _page(request, "sources.html", sources=queries.list_sources(_web(request).store))


def search_cap() -> int:
    """How many hits a search counts before it says "that many or more" (a dependency)."""
    return TOTAL_CAP


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request,
    q: str = Query("", max_length=500),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    cap: int = Depends(search_cap),
) -> HTMLResponse:
    """Search results with the matched words marked; any input is searched as plain text.

    The count stops at `cap` (the page then says "cap results or more"); pages go up to it.
    """
    store = _web(request).store
    offset = (page - 1) * PER_PAGE
    ids, total = store.search(q, limit=PER_PAGE, offset=offset, cap=cap) if q else ([], 0)
    cards = queries.article_cards(store, ids)
    texts = queries.search_texts(store, ids)
    wanted = set(query_terms(q))
    snippets = {
        i: Markup(highlight(text, wanted, match_text=folded)) for i, (text, folded) in texts.items()
    }
    return _page(
        request,
        "search.html",
        q=q,
        items=cards,
        snippets=snippets,
        capped=total >= cap,
        paging=_pager(page, total),
    )
