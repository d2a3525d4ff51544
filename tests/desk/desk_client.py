"""Helpers of the desk tests: the accounts they log in as, a clock they move, and logging in
and acting as a browser does (CSRF tokens read from the pages' forms)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

ADMIN, EDITOR = "huda", "sami"
PASSWORDS = {ADMIN: "حدائق-الرياض-2015", EDITOR: "kornish-jeddah-2015"}


@dataclass
class Clock:
    """A clock the tests move forward."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def login_csrf(client: TestClient) -> str:
    """The CSRF token of the login form (its nonce cookie is now in the client)."""
    page = client.get("/desk/login")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def log_in(client: TestClient, name: str, password: str | None = None) -> Any:
    """Log in through the form; the response (a redirect to the desk on success)."""
    token = login_csrf(client)
    return client.post(
        "/desk/login",
        data={
            "csrf": token,
            "name": name,
            "password": PASSWORDS[name] if password is None else password,
        },
        follow_redirects=False,
    )


def session_csrf(client: TestClient) -> str:
    """The CSRF token of the logged-in session (from any desk page's forms)."""
    page = client.get("/desk")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def act(client: TestClient, action: str, **values: Any) -> Any:
    """Do a desk action as a browser: the form, then its confirmation."""
    token = session_csrf(client)
    data = {"csrf": token, **{k: str(v) for k, v in values.items()}}
    asked = client.post(f"/desk/do/{action}", data=data)
    assert asked.status_code == 200 and "هل أنت متأكد" in asked.text, asked.text
    return client.post(f"/desk/do/{action}", data={**data, "confirm": "yes"})
