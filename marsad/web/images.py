"""The optional image proxy: /image/<article id> serves that article's stored lead image.

On when MARSAD_IMAGE_PROXY is set. Only an address a stored article carries is fetched (never
one a reader names), through the fetcher and its limits (no private addresses unless allowed,
timeouts); the body is capped at MARSAD_IMAGE_MAX_BYTES, must say it is a raster image, and
SVG (which can carry script) is refused. Every refusal is a 404 with the reason in words.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from marsad.ingest.failures import FetchError
from marsad.ingest.fetch import Fetcher
from marsad.urls import web_url

router = APIRouter()
ALLOWED_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/bmp"}
)


@router.get("/image/{article_id}", include_in_schema=False)
async def article_image(request: Request, article_id: int) -> Response:
    """One article's lead image, fetched and checked by marsad."""
    web = request.app.state.web
    settings = web.settings
    if not settings.image_proxy:
        return _refused("the image proxy is off")
    article = web.store.get_article(article_id)
    url = web_url(article.article.image) if article is not None else None
    if url is None:
        return _refused("this article has no picture")
    options = settings.fetch_options(
        max_bytes=settings.image_max_bytes, obey_robots=False, retries=0
    )
    try:
        async with Fetcher(options) as fetcher:
            found = await fetcher.fetch(url)
    except FetchError as error:
        return _refused(f"picture not fetched: {error}")
    kind = found.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ALLOWED_TYPES:
        return _refused(f"not a picture marsad serves (content type {kind or 'none'})")
    return Response(
        found.body,
        media_type=kind,
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


def _refused(reason: str) -> Response:
    """A 404 that says why, in words."""
    return Response(reason, status_code=404, media_type="text/plain; charset=utf-8")
