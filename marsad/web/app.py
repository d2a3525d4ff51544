"""The web app factory: pages, JSON API, feeds, security headers and error pages."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marsad.settings import Settings
from marsad.store import Storage, open_store
from marsad.web import api, feeds, images, pages
from marsad.web.desk import Desk, DeskConfig
from marsad.web.desk import api as desk_api
from marsad.web.desk import pages as desk_pages
from marsad.web.memo import TimedMemo
from marsad.web.templating import build_environment, render

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# Publisher text never runs: no scripts at all, styles and forms only from this site.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Swagger UI at /docs loads its own script and styles from a CDN and runs one inline script.
DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src https://cdn.jsdelivr.net; img-src 'self' https: data:; connect-src 'self'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
DEFAULT_ZONE = "Asia/Riyadh"
# `marsad serve --workers N` hands the readers' time zone to its worker processes here.
ZONE_ENV = "MARSAD_WEB_TIMEZONE"
# The front page's ranking and trending list are shared by every reader and cost a scan of
# the last two days: recomputed at most this often, so stories still grow as articles arrive.
HOME_TTL = 15.0


@dataclass(frozen=True)
class Web:
    """What every request handler needs: the store, the templates and the readers' time zone."""

    store: Storage
    env: Environment
    zone: tzinfo
    memo: TimedMemo
    settings: Settings


def create_app(
    settings: Settings,
    *,
    store: Storage | None = None,
    zone: str = DEFAULT_ZONE,
    desk: DeskConfig | None = None,
) -> FastAPI:
    """Build the site over the store at settings.db_url (or the store given)."""
    owned = store is None
    web = Web(
        store or open_store(settings.db_url),
        build_environment(ZoneInfo(zone), settings.image_proxy),
        ZoneInfo(zone),
        TimedMemo(HOME_TTL),
        settings,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            web.store.close()

    app = FastAPI(
        title="marsad",
        summary="Arabic news: articles, stories, keyphrases and search",
        version="1",
        lifespan=lifespan,
    )
    app.state.web = web
    app.state.desk = Desk.for_store(web.store, desk)
    app.include_router(desk_api.router)
    app.include_router(desk_pages.router)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(pages.router)
    app.include_router(images.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/healthz", healthz, include_in_schema=False)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(desk_pages.LoginNeeded, desk_pages.login_needed)
    app.add_middleware(SecurityHeaders)
    return app


def app_from_env() -> FastAPI:
    """The site for one `marsad serve --workers N` process: settings and zone from the env."""
    return create_app(Settings.from_env(), zone=os.environ.get(ZONE_ENV, DEFAULT_ZONE))


def healthz() -> PlainTextResponse:
    """A trivial route: the reference in the web benchmark."""
    return PlainTextResponse("ok")


class SecurityHeaders:
    """Pure ASGI middleware adding the Content-Security-Policy and related headers.

    It also answers HEAD as GET without the body (so every page and feed answers HEAD), and
    turns an exception no handler caught into a plain 500 that carries the same headers:
    Starlette's own 500 is sent from outside every middleware, without them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to every HTTP response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith(DOCS_PATHS) else CSP
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + _security_headers(csp)
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if started:
                raise
            body = b"" if head else "خطأ في الخادم (500)".encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        *_security_headers(csp),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})


def _security_headers(csp: str) -> list[tuple[bytes, bytes]]:
    """The headers every response carries."""
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
    ]


def _is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (errors as JSON) or a page (errors as HTML)."""
    return request.url.path.startswith(api.PREFIX)


async def _http_error(request: Request, exc: Exception) -> Response:
    """404s and the like: JSON for the API, an Arabic page for readers."""
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail) if exc.detail else "error"
    if _is_api(request):
        return JSONResponse(api.error_body(exc.status_code, message), status_code=exc.status_code)
    return _error_page(request, exc.status_code, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    """Bad parameters: 422 with the fields at fault, or a not-found page for a bad page path."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    # An id past what the store can hold (pages.MAX_ID) names nothing: not found, like id 0.
    out_of_range = errors and all(
        err.get("loc", ("",))[0] == "path" and err.get("type") in _RANGE_ERRORS for err in errors
    )
    if _is_api(request) and out_of_range:
        return JSONResponse(api.error_body(404, "no such id"), status_code=404)
    if _is_api(request):
        parts = [
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}"
            for err in exc.errors()
        ]
        body = api.error_body(422, "invalid request: " + "; ".join(parts))
        return JSONResponse(body, status_code=422)
    # A page address with a non-numeric id names no page.
    bad_path = any(err.get("loc", ("",))[0] == "path" for err in exc.errors())
    return _error_page(request, 404 if bad_path else 422, None)


_RANGE_ERRORS = ("less_than_equal", "greater_than_equal", "greater_than", "less_than")


def _error_page(request: Request, status: int, headers: Mapping[str, str] | None) -> Response:
    """The Arabic error page for a status code."""
    web: Web = request.app.state.web
    body = render(web.env, "error.html", status=status, request=request)
    extra: dict[str, Any] = dict(headers or {})
    return HTMLResponse(body, status_code=status, headers=extra)
