"""Fixtures shared by every test: where ../shared is, and a fresh store per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder with the corpus, pages and seed."""
    path = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")).resolve()
    if not (path / "corpus").is_dir():
        pytest.fail(f"shared data not found at {path}; set MARSAD_SHARED")
    return path


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    """An SQLAlchemy URL for a fresh SQLite database in the test's temporary folder."""
    return f"sqlite:///{tmp_path / 'marsad.db'}"


@pytest.fixture()
def store(db_url: str) -> Iterator[object]:
    """A fresh, migrated store."""
    from marsad.store import open_store

    s = open_store(db_url)
    try:
        yield s
    finally:
        s.close()
