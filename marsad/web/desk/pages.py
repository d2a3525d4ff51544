"""The desk's pages under /desk: login, the dashboard, an article, a story, tags, sources, the
audit log and (admins) users and tokens. Every change is a POST to /desk/do/<action> carrying
the session's CSRF token: first it shows what will happen, then, confirmed, it does it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from marsad.arabic.normalize import display_form
from marsad.desk.accounts import may
from marsad.desk.refusal import Refused
from marsad.desk.sessions import COOKIE, LOGIN_COOKIE, login_csrf, new_id, same_token, unsign
from marsad.desk.source_preview import desk_rules, preview_rules, preview_source
from marsad.ingest.failures import FetchError
from marsad.ingest.rules import rules_from_data
from marsad.ingest.sources import slug_for
from marsad.models import Source
from marsad.urls import web_url
from marsad.web.desk.actions import (
    ACTIONS,
    KIND_WORDS,
    MAX_TEXT,
    ROLE_WORDS,
    SLUG,
    SLUG_RULE,
    Action,
    Done,
    confirmation,
    parse_values,
    save_source_rules,
)
from marsad.web.desk.auth import (
    Visitor,
    attempt_login,
    desk_of,
    read_form,
    set_cookie,
    store_of,
    visitor,
)
from marsad.web.pages import Id
from marsad.web.templating import render

router = APIRouter(prefix="/desk", include_in_schema=False)
# Pages (GET) every test checks refuse an anonymous visitor; tests/desk lists them all.
LOGIN_AGE = 3600


class LoginNeeded(Exception):
    """Raised by a page handler when no session is present (answered by a redirect)."""


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    web = request.app.state.web
    body = render(web.env, f"desk/{template}", request=request, q="", **context)
    return HTMLResponse(body, status_code=status, headers={"cache-control": "no-store"})


def _login_redirect() -> RedirectResponse:
    return RedirectResponse("/desk/login", status_code=303, headers={"cache-control": "no-store"})


def _need(request: Request) -> Visitor:
    found = visitor(request)
    if found is None:
        raise LoginNeeded
    return found


def _refused(request: Request, who: Visitor, refused: Refused) -> HTMLResponse:
    """A refusal, in words, with its status."""
    return _page(request, "refused.html", refused.status, refusal=refused.message, **_context(who))


def _context(who: Visitor) -> dict[str, Any]:
    return {"who": who.user, "csrf": who.session.csrf, "is_admin": who.user.role == "admin"}


# -- login ------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> Response:
    """The login form, with a fresh CSRF nonce in its own cookie (shown to a logged-in editor
    too: logging in again ends the session held before)."""
    return _login_page(request, "", 200)


def _login_page(request: Request, refusal: str, status: int) -> Response:
    desk = desk_of(request)
    nonce = new_id()
    response = _page(
        request, "login.html", status, csrf=login_csrf(desk.key, nonce), refusal=refusal
    )
    set_cookie(request, response, LOGIN_COOKIE, nonce, LOGIN_AGE)
    return response


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the login; on success a new session id in the cookie and the dashboard."""
    desk = desk_of(request)
    form = await read_form(request)
    nonce = unsign(desk.key, request.cookies.get(LOGIN_COOKIE))
    if nonce is None or not same_token(login_csrf(desk.key, nonce), form.get("csrf")):
        return _login_page(request, "انتهت صلاحية النموذج: أعد المحاولة.", 403)
    name = form.get("name", "").strip()[:100]
    outcome = attempt_login(request, name, form.get("password", ""))
    if outcome.session_id is None:
        return _login_page(request, outcome.refusal, outcome.status)
    response = RedirectResponse("/desk", status_code=303)
    set_cookie(
        request,
        response,
        COOKIE,
        outcome.session_id,
        int(desk.config.policy.absolute.total_seconds()),
    )
    response.delete_cookie(LOGIN_COOKIE, path="/desk")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session (its CSRF token is needed: no other site can log an editor out)."""
    who = visitor(request)
    if who is None:
        raise HTTPException(401, "not logged in")
    form = await read_form(request)
    if not same_token(who.session.csrf, form.get("csrf")):
        raise HTTPException(403, "CSRF token missing or wrong")
    store_of(request).end_session(who.session_id)
    response = _login_redirect()
    response.delete_cookie(COOKIE, path="/desk")
    return response


# -- pages ------------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    """The desk's home: where to go, and the latest actions."""
    who = _need(request)
    entries, total = store_of(request).audit_entries(limit=10)
    return _page(request, "home.html", entries=entries, total=total, **_context(who))


@router.get("/article/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: Id) -> Response:
    """One article as the desk sees it (hidden or not), with its actions."""
    who = _need(request)
    store = store_of(request)
    found = store.get_article(article_id)
    if found is None:
        raise HTTPException(404, "article not found")
    hidden = bool(store.hidden_articles([article_id]))
    story_id = found.enrichment.story_id
    story = store.get_story(story_id) if story_id else None
    return _page(
        request,
        "article.html",
        article=found.article,
        enrichment=found.enrichment,
        hidden=hidden,
        story=story,
        actions=ACTIONS,
        **_context(who),
    )


@router.get("/story/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: Id) -> Response:
    """One story as the desk sees it, its articles and its actions."""
    who = _need(request)
    store = store_of(request)
    found = store.get_story(story_id)
    if found is None:
        raise HTTPException(404, "story not found")
    members = store.article_cards(store.story_article_ids(story_id))
    return _page(
        request,
        "story.html",
        story=found,
        members=members,
        decisions=store.story_decisions(story_id),
        actions=ACTIONS,
        **_context(who),
    )


@router.get("/tags", response_class=HTMLResponse)
async def tags_page(request: Request, tag: str = Query("", max_length=200)) -> Response:
    """Tag curation: one tag looked up, the bans, merges and overrides, and their actions."""
    who = _need(request)
    store = store_of(request)
    found = store.find_tag(tag) if tag.strip() else None
    return _page(
        request,
        "tags.html",
        tag=tag,
        found=found,
        curated=store.curated_tags(),
        kinds=KIND_WORDS,
        actions=ACTIONS,
        **_context(who),
    )


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(request: Request) -> Response:
    """Every source with its health, and its actions."""
    who = _need(request)
    store = store_of(request)
    return _page(
        request,
        "sources.html",
        sources=store.list_sources(),
        rates=store.articles_per_day(),
        actions=ACTIONS,
        **_context(who),
    )


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, page: int = Query(1, ge=1, le=100_000)) -> Response:
    """The audit log, newest first, with undo where it makes sense."""
    who = _need(request)
    entries, total = store_of(request).audit_entries(limit=50, offset=(page - 1) * 50)
    return _page(request, "audit.html", entries=entries, total=total, page=page, **_context(who))


@router.get("/audit.jsonl")
async def audit_export(request: Request) -> Response:
    """The whole audit log as JSON lines, oldest first."""
    _need(request)
    return StreamingResponse(
        store_of(request).audit_jsonl(),
        media_type="application/x-ndjson; charset=utf-8",
        headers={
            "content-disposition": 'attachment; filename="marsad-audit.jsonl"',
            "cache-control": "no-store",
        },
    )


@router.get("/users", response_class=HTMLResponse)
async def users_page(request: Request) -> Response:
    """Accounts and API tokens (admins only)."""
    who = _need(request)
    if who.user.role != "admin":
        return _page(
            request, "refused.html", 403, refusal="هذه الصفحة للمديرين فقط.", **_context(who)
        )
    store = store_of(request)
    return _page(
        request,
        "users.html",
        users=store.list_users(),
        tokens=store.list_tokens(),
        roles=ROLE_WORDS,
        actions=ACTIONS,
        **_context(who),
    )


# -- adding a source, its extraction rules ----------------------------------------------------

MAX_URL = 2000


async def _posted(request: Request) -> tuple[Visitor, dict[str, str]] | Response:
    """The visitor and form of a desk POST, or the refusal (no session, wrong CSRF token)."""
    who = visitor(request)
    if who is None:
        raise HTTPException(401, "not logged in")
    form = await read_form(request)
    if not same_token(who.session.csrf, form.get("csrf")):
        return _page(
            request,
            "refused.html",
            403,
            refusal="رمز الحماية من التزوير (CSRF) مفقود أو خاطئ: أعد فتح الصفحة وحاول.",
            **_context(who),
        )
    return who, form


def _fetch_options(request: Request) -> Any:
    """The fetcher's options for the desk's previews: the site's settings (private hosts only
    where they allow them), a short total time."""
    return request.app.state.web.settings.fetch_options(total_timeout=20.0)


def _cannot_fetch(error: FetchError) -> Refused:
    return Refused(f"تعذّر الوصول إلى خلاصة: {error}", 422)


@router.post("/sources/add", response_class=HTMLResponse)
async def add_source(request: Request) -> Response:
    """Add a source from a site or feed URL: first its feed and latest items as extraction
    would store them, then, confirmed, followed (and logged)."""
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    who, form = posted
    try:
        if form.get("confirm") == "yes":
            done = await _add_confirmed(request, who, form)
            request.app.state.web.memo.clear()
            return _page(request, "done.html", done=done, **_context(who))
        url = web_url(form.get("url", "").strip()[:MAX_URL])
        if url is None:
            raise Refused("العنوان ليس عنوان موقع أو خلاصة (http أو https)", 422)
        try:
            preview = await preview_source(_fetch_options(request), url)
        except FetchError as error:
            raise _cannot_fetch(error) from error
    except Refused as refused:
        return _refused(request, who, refused)
    store = store_of(request)
    known = store.list_sources()
    followed = next((s for s in known if s.feed_url == preview.found.feed_url), None)
    slug = slug_for(preview.found.feed_url, {s.slug for s in known})
    name = display_form(preview.found.feed.title or "") or slug
    return _page(
        request,
        "source_add.html",
        url=url,
        preview=preview,
        followed=followed,
        slug=slug,
        feed_name=name,
        **_context(who),
    )


async def _add_confirmed(request: Request, who: Visitor, form: dict[str, str]) -> Done:
    """Follow the feed the editor confirmed (found again: the form is not trusted)."""
    slug = form.get("slug", "").strip()
    if not SLUG.fullmatch(slug):
        raise Refused(SLUG_RULE, 422)
    name = display_form(form.get("name", "").strip()[:MAX_TEXT]) or slug
    url = web_url(form.get("feed_url", "").strip()[:MAX_URL])
    if url is None:
        raise Refused("عنوان الخلاصة ليس عنوان http أو https", 422)
    try:
        found = (await preview_source(_fetch_options(request), url, items=0)).found
    except FetchError as error:
        raise _cannot_fetch(error) from error
    site = found.site_url or web_url(found.feed.site_url or "")
    source = Source(slug=slug, name=name, feed_url=found.feed_url, site_url=site)
    entry = store_of(request).add_desk_source(who.user.name, source, desk_of(request).now())
    return Done(f"أُضيف المصدر «{name}» ({slug}) وستُتابَع خلاصته.", entry, next_page="/desk/sources")


@router.get("/sources/{slug}/rules", response_class=HTMLResponse)
async def rules_page(
    request: Request,
    slug: str,
    body: str | None = Query(None, max_length=20_000),
    drop: str | None = Query(None, max_length=20_000),
    title: str | None = Query(None, max_length=20_000),
) -> Response:
    """A source's extraction rules, and (rules given) its latest page extracted by default and
    with them side by side."""
    who = _need(request)
    source = store_of(request).get_source(slug)
    if source is None:
        raise HTTPException(404, "source not found")
    kept = source.options.get("rules") or {}
    shown = {
        "body": kept.get("body", "") if body is None else body,
        "drop": "\n".join(kept.get("drop") or []) if drop is None else drop,
        "title": kept.get("title", "") if title is None else title,
    }
    compared, refusal = None, ""
    if body is not None or drop is not None or title is not None:
        try:
            data = desk_rules(shown["body"], shown["drop"], shown["title"])
            if not source.feed_url:
                raise Refused("لا خلاصة لهذا المصدر تُؤخذ منها صفحته الأخيرة")
            try:
                compared = await preview_rules(
                    _fetch_options(request),
                    source.feed_url,
                    rules_from_data(data) if data else None,
                )
            except FetchError as error:
                raise _cannot_fetch(error) from error
            if compared is None:
                refusal = "الخلاصة بلا عناصر الآن: لا صفحة تُعرض"
        except Refused as refused:
            refusal = refused.message
    return _page(
        request,
        "source_rules.html",
        source=source,
        shown=shown,
        compared=compared,
        refusal=refusal,
        **_context(who),
    )


@router.post("/sources/{slug}/rules", response_class=HTMLResponse)
async def save_rules(request: Request, slug: str) -> Response:
    """Keep a source's extraction rules (empty: back to the defaults), logged in the audit."""
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    who, form = posted
    typed = {"slug": slug} | {f: form.get(f, "") for f in ("body", "title", "drop")}
    try:
        done = save_source_rules(store_of(request), who.user.name, typed, desk_of(request).now())
    except Refused as refused:
        return _refused(request, who, refused)
    return _page(request, "done.html", done=done, **_context(who))


# -- actions ----------------------------------------------------------------------------------


@router.post("/do/{name}", response_class=HTMLResponse)
async def do_action(request: Request, name: str) -> Response:
    """An action: refused without the session's CSRF token or the role; shown for confirmation
    first; done once confirmed, then its result in words."""
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    who, form = posted
    action = ACTIONS.get(name)
    if action is None:
        raise HTTPException(404, "no such action")
    if not may(who.user.role, action.role):
        return _page(
            request, "refused.html", 403, refusal="هذا الإجراء للمديرين فقط.", **_context(who)
        )
    try:
        values = parse_values(action, form)
        if form.get("confirm") != "yes":
            return _confirm_page(request, who, action, form, values)
        desk = desk_of(request)
        done = action.run(store_of(request), who.user.name, values, desk.now())
    except Refused as refused:
        return _refused(request, who, refused)
    request.app.state.web.memo.clear()
    return _page(request, "done.html", done=done, **_context(who))


def _confirm_page(
    request: Request, who: Visitor, action: Action, form: dict[str, str], values: dict[str, Any]
) -> Response:
    kept = {f.name: form.get(f.name, "") for f in action.fields}
    return _page(
        request,
        "confirm.html",
        action=action,
        said=confirmation(action, values),
        kept=kept,
        **_context(who),
    )


def tag_link(phrase: str) -> str:
    """The desk's page of a tag."""
    return "/desk/tags?tag=" + quote(phrase, safe="")


@router.get("/go")
async def go(
    request: Request,
    article: str = Query("", max_length=12),
    story: str = Query("", max_length=12),
) -> Response:
    """The dashboard's "open" form: to the article or story asked for."""
    _need(request)
    if article.strip().isdigit():
        return RedirectResponse(f"/desk/article/{int(article)}", status_code=303)
    if story.strip().isdigit():
        return RedirectResponse(f"/desk/story/{int(story)}", status_code=303)
    return RedirectResponse("/desk", status_code=303)


async def login_needed(request: Request, exc: Exception) -> Response:
    """A desk page asked for without a session: to the login form."""
    return _login_redirect()
