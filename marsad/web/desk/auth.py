"""Who is asking: session cookies for pages (with CSRF tokens), bearer tokens for the API,
and the login with its throttle. Nothing here logs a password or a token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from urllib.parse import parse_qs

from fastapi import HTTPException, Request
from fastapi.responses import Response

from marsad.desk.accounts import check_password, hash_password
from marsad.desk.sessions import (
    COOKIE,
    SessionPolicy,
    after_failure,
    login_wait,
    session_alive,
    sign,
    unsign,
)
from marsad.store import Session, Storage, User

# A form body larger than this is refused unread (desk forms are a few fields).
MAX_FORM = 64 * 1024
# seen_at is written at most this often per session: a page view is not a write each time.
TOUCH_EVERY = timedelta(seconds=60)


def _wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeskConfig:
    """Session lifetimes, throttling, the clock (tests move it) and whether cookies are
    Secure (None: when the request came over https)."""

    policy: SessionPolicy = field(default_factory=SessionPolicy)
    clock: Callable[[], datetime] = _wall_clock
    secure_cookies: bool | None = None


@dataclass(frozen=True)
class Desk:
    """What the desk's handlers share: its settings and the cookie-signing key."""

    config: DeskConfig
    key: str

    @classmethod
    def for_store(cls, store: Storage, config: DeskConfig | None = None) -> Desk:
        """The desk over a store (its key made on first use)."""
        return cls(config or DeskConfig(), store.desk_key())

    @cached_property
    def decoy(self) -> str:
        """A hash to check against when the account does not exist, so that a wrong name
        costs the same time as a wrong password (made on the first login, not at start)."""
        return hash_password("decoy-password")

    def now(self) -> datetime:
        """The desk's clock."""
        return self.config.clock()


@dataclass(frozen=True)
class Visitor:
    """A logged-in user of a page request: the session's id (from the cookie) and row."""

    session_id: str
    session: Session

    @property
    def user(self) -> User:
        """The user of the session."""
        return self.session.user


def desk_of(request: Request) -> Desk:
    """The app's desk."""
    desk: Desk = request.app.state.desk
    return desk


def store_of(request: Request) -> Storage:
    """The app's store."""
    store: Storage = request.app.state.web.store
    return store


def visitor(request: Request) -> Visitor | None:
    """The logged-in user of a page request, or None (absent, forged, ended or expired)."""
    desk = desk_of(request)
    session_id = unsign(desk.key, request.cookies.get(COOKIE))
    if session_id is None:
        return None
    store = store_of(request)
    found = store.find_session(session_id)
    if found is None:
        return None
    now = desk.now()
    if not session_alive(desk.config.policy, found.created_at, found.seen_at, now):
        store.end_session(session_id)
        return None
    if now - found.seen_at >= TOUCH_EVERY:
        store.touch_session(session_id, now)
    return Visitor(session_id, found)


def api_user(request: Request) -> User:
    """The user of an API request's bearer token; 401 without a live one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip() and len(token) < 200:
        user = store_of(request).token_user(token.strip(), desk_of(request).now())
    if user is None:
        raise HTTPException(
            401,
            "a live API token is needed: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form's fields (the first value of each); 413 past MAX_FORM."""
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) > MAX_FORM:
        raise HTTPException(413, "form too large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise HTTPException(413, "form too large")
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=50)
    return {k: v[0] for k, v in fields.items()}


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    """A signed, HttpOnly, SameSite=Lax cookie for the desk's paths (Secure behind https)."""
    desk = desk_of(request)
    secure = desk.config.secure_cookies
    if secure is None:
        secure = request.url.scheme == "https"
    response.set_cookie(
        name,
        sign(desk.key, value),
        max_age=max_age,
        path="/desk",
        httponly=True,
        samesite="lax",
        secure=secure,
    )


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to: the new session id, or the refusal in words."""

    session_id: str | None = None
    refusal: str = ""
    status: int = 200


def attempt_login(request: Request, name: str, password: str) -> LoginOutcome:
    """Check a login against the throttle and the stored hash; on success a new session (the
    one the browser held before, if any, ends)."""
    desk, store = desk_of(request), store_of(request)
    now = desk.now()
    policy = desk.config.policy
    address = request.client.host if request.client else "unknown"
    keys = [f"account:{name.lower()[:100]}", f"address:{address}"]
    kept = store.login_failures(keys)
    wait = max((login_wait(policy, kept.get(k), now) for k in keys), default=timedelta(0))
    if wait > timedelta(0):
        locked = any(f.locked_until is not None and f.locked_until > now for f in kept.values())
        seconds = int(wait.total_seconds()) + 1
        if locked:
            return LoginOutcome(
                refusal=f"أُقفل الدخول مؤقتًا بعد محاولات خاطئة كثيرة؛ يُفتح بعد {seconds // 60 + 1} دقيقة.",
                status=429,
            )
        return LoginOutcome(
            refusal=f"محاولات خاطئة متتالية: انتظر {seconds} ثانية ثم حاول.", status=429
        )
    user = store.get_user(name)
    stored = store.password_hash(name) if user is not None else None
    good = check_password(stored or desk.decoy, password) and user is not None
    if not good or user is None:
        store.save_login_failures({k: after_failure(policy, kept.get(k), now) for k in keys})
        return LoginOutcome(refusal="اسم المستخدم أو كلمة المرور غير صحيح.", status=401)
    store.clear_login_failures(keys)
    before = unsign(desk.key, request.cookies.get(COOKIE))
    return LoginOutcome(session_id=store.start_session(user.id, now, ended=before))
