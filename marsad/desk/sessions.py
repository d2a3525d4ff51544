"""Sessions, cookies, CSRF tokens, login throttling and API tokens, as pure functions.

A session cookie is `<id>.<signature>`: the id is 32 random bytes, the signature an HMAC-SHA256
of it under the store's key, so a forged or altered cookie is refused before any lookup; the
store keeps only the SHA-256 of the id. A session ends after `idle` without a request or
`absolute` after login, whichever comes first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

COOKIE = "marsad_desk"
LOGIN_COOKIE = "marsad_desk_login"  # the login form's CSRF nonce, before any session exists
TOKEN_PREFIX = "mrsd_"


@dataclass(frozen=True)
class SessionPolicy:
    """How long sessions last and how failed logins are slowed down and locked out."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    free_failures: int = 3  # failures allowed before each attempt must wait
    lock_after: int = 10  # failures that lock the account or address
    lockout: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(minutes=15)  # quiet time that clears the failures
    max_wait: timedelta = timedelta(seconds=60)


def new_secret() -> str:
    """A random key for signing cookies."""
    return secrets.token_hex(32)


def new_id() -> str:
    """A random session id, CSRF token or nonce."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """SHA-256 hex of a high-entropy value (session ids, API tokens)."""
    return hashlib.sha256(value.encode()).hexdigest()


def sign(key: str, value: str) -> str:
    """`value.signature`."""
    mac = hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(key: str, signed: str | None) -> str | None:
    """The value of a signed string, or None when absent, malformed or forged."""
    if not signed or len(signed) > 200 or "." not in signed:
        return None
    value, _, mac = signed.rpartition(".")
    expected = hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
    return value if hmac.compare_digest(mac, expected) else None


def login_csrf(key: str, nonce: str) -> str:
    """The login form's CSRF token for a nonce (the nonce rides in its own cookie)."""
    return hmac.new(key.encode(), f"login:{nonce}".encode(), hashlib.sha256).hexdigest()


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of a CSRF token; a missing one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def session_alive(
    policy: SessionPolicy, created_at: datetime, seen_at: datetime, now: datetime
) -> bool:
    """Whether a session is still valid: used within `idle`, and younger than `absolute`."""
    return now - seen_at < policy.idle and now - created_at < policy.absolute


@dataclass(frozen=True)
class Failures:
    """Failed logins kept for one key."""

    count: int
    last_at: datetime
    locked_until: datetime | None = None


def login_wait(policy: SessionPolicy, failures: Failures | None, now: datetime) -> timedelta:
    """How long a key must wait before the next login attempt (zero: it may try now).

    The first `free_failures` cost nothing; each further one doubles the wait after the last
    (1 s, 2 s, 4 s... up to `max_wait`); `lock_after` failures lock it for `lockout`, which ends
    by itself. Failures are forgotten after `forget_after` of quiet."""
    if failures is None:
        return timedelta(0)
    if failures.locked_until is not None:
        return max(failures.locked_until - now, timedelta(0))
    if now - failures.last_at >= policy.forget_after:
        return timedelta(0)
    extra = failures.count - policy.free_failures
    if extra < 0:
        return timedelta(0)
    wait = min(timedelta(seconds=2**extra), policy.max_wait)
    return max(failures.last_at + wait - now, timedelta(0))


def after_failure(policy: SessionPolicy, failures: Failures | None, now: datetime) -> Failures:
    """The failures kept for a key after one more wrong password."""
    fresh = (
        failures is None
        or (failures.locked_until is not None and failures.locked_until <= now)
        or (failures.locked_until is None and now - failures.last_at >= policy.forget_after)
    )
    count = 1 if fresh or failures is None else failures.count + 1
    locked = now + policy.lockout if count >= policy.lock_after else None
    return Failures(count, now, locked)


def new_api_token() -> str:
    """A new API token as shown once to its owner."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)
