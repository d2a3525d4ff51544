"""The desk's security: sessions, CSRF, the login throttle, roles, tokens, and every desk
endpoint refusing an anonymous request."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from desk_client import ADMIN, EDITOR, PASSWORDS, Clock, act, log_in, login_csrf, session_csrf
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from store_writes import create_story
from test_accounts import _every_value

from marsad.desk.sessions import COOKIE
from marsad.store import Store
from marsad.web.desk import api as desk_api
from marsad.web.desk import pages as desk_pages


def test_login_sets_a_new_signed_httponly_lax_cookie(desk_app: Any) -> None:
    client = TestClient(desk_app)
    response = log_in(client, EDITOR)
    assert response.status_code == 303 and response.headers["location"] == "/desk"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/desk" in cookie
    assert "Secure" not in cookie  # plain http here; https gets Secure
    assert client.get("/desk").status_code == 200


def test_secure_cookie_behind_https(desk_app: Any) -> None:
    client = TestClient(desk_app, base_url="https://testserver")
    response = log_in(client, EDITOR)
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(COOKIE + "="))
    assert "Secure" in cookie


def test_a_session_id_from_before_login_is_refused_after_it(desk_app: Any) -> None:
    client = TestClient(desk_app)
    log_in(client, EDITOR)
    before = client.cookies.get(COOKIE, path="/desk")
    assert before
    log_in(client, EDITOR)  # logging in again: a new id, the old one ended
    after = client.cookies.get(COOKIE, path="/desk")
    assert after and after != before
    stale = TestClient(desk_app)
    stale.cookies.set(COOKIE, before, path="/desk")
    assert stale.get("/desk", follow_redirects=False).status_code == 303
    fresh = TestClient(desk_app)
    fresh.cookies.set(COOKIE, after, path="/desk")
    assert fresh.get("/desk", follow_redirects=False).status_code == 200


def test_a_forged_cookie_is_refused(desk_app: Any) -> None:
    client = TestClient(desk_app)
    log_in(client, EDITOR)
    value = client.cookies.get(COOKIE, path="/desk") or ""
    session_id, _, mac = value.rpartition(".")
    forged = TestClient(desk_app)
    forged.cookies.set(COOKIE, f"{session_id}.{'0' * len(mac)}", path="/desk")
    assert forged.get("/desk", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(desk_app: Any) -> None:
    client = TestClient(desk_app)
    log_in(client, EDITOR)
    value = client.cookies.get(COOKIE, path="/desk")
    token = session_csrf(client)
    assert (
        client.post("/desk/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    )
    replay = TestClient(desk_app)
    replay.cookies.set(COOKIE, value or "", path="/desk")
    assert replay.get("/desk", follow_redirects=False).status_code == 303


def test_idle_and_absolute_expiry(desk_app: Any, clock: Clock) -> None:
    client = TestClient(desk_app)
    log_in(client, EDITOR)
    clock.advance(minutes=29)
    assert client.get("/desk", follow_redirects=False).status_code == 200
    clock.advance(minutes=31)  # 31 minutes idle
    assert client.get("/desk", follow_redirects=False).status_code == 303
    log_in(client, EDITOR)
    for _ in range(12 * 3):  # used every 20 minutes: never idle, but 12 hours end it
        clock.advance(minutes=20)
        status = client.get("/desk", follow_redirects=False).status_code
    assert status == 303


def test_a_form_without_csrf_or_with_another_sessions_token_is_refused(
    desk_app: Any, store: Store, clock: Clock
) -> None:
    story = create_story(store, "قصة")
    mine, other = TestClient(desk_app), TestClient(desk_app)
    log_in(mine, EDITOR)
    log_in(other, ADMIN)
    theirs = session_csrf(other)
    for data in ({}, {"csrf": ""}, {"csrf": theirs}, {"csrf": theirs[:-1] + "x"}):
        response = mine.post(
            "/desk/do/hide_story", data={**data, "story_id": str(story), "confirm": "yes"}
        )
        assert response.status_code == 403, data
        assert "CSRF" in response.text
    assert not store.hidden_stories([story])
    assert act(mine, "hide_story", story_id=story).status_code == 200
    assert store.hidden_stories([story]) == {story}


def test_the_login_form_needs_its_csrf_token(desk_app: Any) -> None:
    client = TestClient(desk_app)
    client.get("/desk/login")
    response = client.post(
        "/desk/login", data={"name": EDITOR, "password": PASSWORDS[EDITOR]}, follow_redirects=False
    )
    assert response.status_code == 403 and COOKIE not in response.cookies


def test_wrong_passwords_are_throttled_then_locked_then_the_lock_ends(
    desk_app: Any, clock: Clock
) -> None:
    client = TestClient(desk_app)
    statuses = []
    for _ in range(3):
        statuses.append(log_in(client, EDITOR, "wrong-password").status_code)
    assert statuses == [401, 401, 401]
    refused = log_in(client, EDITOR)  # after three, even the right password must wait
    assert refused.status_code == 429 and "انتظر" in refused.text
    clock.advance(seconds=2)
    assert log_in(client, EDITOR, "wrong-password").status_code == 401
    for _ in range(6):
        clock.advance(seconds=61)
        log_in(client, EDITOR, "wrong-password")
    clock.advance(seconds=61)
    locked = log_in(client, EDITOR)
    assert locked.status_code == 429 and "أُقفل" in locked.text
    clock.advance(minutes=10)
    assert log_in(client, EDITOR).status_code == 429  # still locked
    clock.advance(minutes=6)
    assert log_in(client, EDITOR).status_code == 303  # the lock ended by itself


def test_one_address_is_throttled_across_accounts(desk_app: Any) -> None:
    client = TestClient(desk_app)
    for name in ("nobody1", "nobody2", "nobody3", "nobody4"):
        token_page = log_in(client, EDITOR, "wrong") if name == "nobody1" else None
        assert token_page is None or token_page.status_code == 401

        client.post("/desk/login", data={"csrf": login_csrf(client), "name": name, "password": "x"})
    assert log_in(client, ADMIN).status_code == 429


def test_an_editor_is_refused_admin_actions(desk_app: Any, store: Store) -> None:
    client = TestClient(desk_app)
    log_in(client, EDITOR)
    assert client.get("/desk/users").status_code == 403
    token = session_csrf(client)
    for action, values in (
        ("add_user", {"name": "x1", "role": "admin", "password": "long-enough-pass"}),
        ("remove_user", {"name": ADMIN}),
        ("add_token", {"name": EDITOR, "label": "x"}),
        ("revoke_token", {"token_id": "1"}),
        ("remove_source", {"slug": "okaz"}),
    ):
        response = client.post(
            f"/desk/do/{action}", data={"csrf": token, "confirm": "yes", **values}
        )
        assert response.status_code == 403, action
    assert {u.name for u in store.list_users()} == {ADMIN, EDITOR}
    assert store.list_tokens() == []


def _token(desk_app: Any, name: str) -> str:
    client = TestClient(desk_app)
    log_in(client, ADMIN)
    done = act(client, "add_token", name=name, label="tests")
    assert done.status_code == 200
    import re

    found = re.search(r'class="token">([^<]+)<', done.text)
    assert found
    return found.group(1)


def test_api_tokens_work_and_a_revoked_one_is_refused(desk_app: Any, store: Store) -> None:
    token = _token(desk_app, EDITOR)
    assert token not in str(store.list_tokens())
    api = TestClient(desk_app)
    auth = {"Authorization": f"Bearer {token}"}
    mine = api.get("/api/v1/desk/audit", headers=auth).json()
    assert (mine["user"], mine["role"]) == (EDITOR, "editor")
    story = create_story(store, "قصة")
    done = api.post(
        "/api/v1/desk/actions", headers=auth, json={"action": "hide_story", "story_id": story}
    )
    assert done.status_code == 200 and done.json()["audit_id"]
    refused = api.post(
        "/api/v1/desk/actions", headers=auth, json={"action": "remove_user", "name": ADMIN}
    )
    assert refused.status_code == 403  # an editor's token cannot do an admin's action
    (listed,) = store.list_tokens()
    admin = TestClient(desk_app)
    log_in(admin, ADMIN)
    assert act(admin, "revoke_token", token_id=listed.id).status_code == 200
    assert api.get("/api/v1/desk/audit", headers=auth).status_code == 401
    assert (
        api.post(
            "/api/v1/desk/actions",
            headers=auth,
            json={"action": "restore_story", "story_id": story},
        ).status_code
        == 401
    )


def test_passwords_never_in_logs_or_the_store(
    desk_app: Any, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = TestClient(desk_app)
    log_in(client, EDITOR, "a-wrong-password-typed")
    log_in(client, EDITOR)
    text = caplog.text + _every_value(store)
    for secret in (PASSWORDS[EDITOR], PASSWORDS[ADMIN], "a-wrong-password-typed"):
        assert secret not in text


def _desk_routes() -> list[tuple[str, str]]:
    """Every desk endpoint: (method, path with ids filled in)."""
    found = []
    for route in [*desk_pages.router.routes, *desk_api.router.routes]:
        if isinstance(route, APIRoute):
            for method in sorted(route.methods):
                path = (
                    route.path.replace("{article_id}", "1")
                    .replace("{story_id}", "1")
                    .replace("{slug}", "okaz")
                )
                found.append((method, path.replace("{name}", "hide_story")))
    return found


# Every desk endpoint by name: a new one must be added here (and so checked) or this fails.
DESK_ENDPOINTS = {
    ("GET", "/desk"),
    ("GET", "/desk/login"),
    ("POST", "/desk/login"),
    ("POST", "/desk/logout"),
    ("GET", "/desk/article/1"),
    ("GET", "/desk/story/1"),
    ("GET", "/desk/tags"),
    ("GET", "/desk/sources"),
    ("POST", "/desk/sources/add"),
    ("GET", "/desk/sources/okaz/rules"),
    ("POST", "/desk/sources/okaz/rules"),
    ("GET", "/desk/audit"),
    ("GET", "/desk/audit.jsonl"),
    ("GET", "/desk/users"),
    ("GET", "/desk/go"),
    ("POST", "/desk/do/hide_story"),
    ("POST", "/api/v1/desk/actions"),
    ("GET", "/api/v1/desk/audit"),
}
OPEN = {("GET", "/desk/login"), ("POST", "/desk/login")}  # the way in


def test_every_desk_endpoint_refuses_an_anonymous_request(desk_app: Any, store: Store) -> None:
    create_story(store, "قصة")
    assert set(_desk_routes()) == DESK_ENDPOINTS
    client = TestClient(desk_app)
    for method, path in sorted(DESK_ENDPOINTS - OPEN):
        body = {"action": "hide_story", "story_id": 1} if path.startswith("/api") else None
        response = client.request(method, path, json=body, follow_redirects=False)
        if path.startswith("/api") or method == "POST":
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 303, (method, path)
            assert response.headers["location"] == "/desk/login"
    assert not store.hidden_stories()
    for method, path in sorted(OPEN):
        assert client.request(method, path).status_code in (200, 403)
