"""Fixtures of the desk tests: an app over a fresh store with an admin and an editor, and a
clock the tests move."""

from __future__ import annotations

from typing import Any

import pytest
from desk_client import ADMIN, EDITOR, PASSWORDS, Clock

from marsad.desk.accounts import hash_password
from marsad.settings import Settings
from marsad.store import Store
from marsad.web import create_app
from marsad.web.desk import DeskConfig


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def desk_app(store: Store, clock: Clock) -> Any:
    """The site over the test store, with one admin and one editor."""
    store.add_user(ADMIN, "admin", hash_password(PASSWORDS[ADMIN]), clock.now)
    store.add_user(EDITOR, "editor", hash_password(PASSWORDS[EDITOR]), clock.now)
    return create_app(Settings(), store=store, desk=DeskConfig(clock=clock))
