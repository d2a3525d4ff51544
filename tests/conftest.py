"""Fixtures shared by every test: where ../shared is, and a fresh store per test on each backend.

`db_url` (and `store`, built on it) is parametrized over SQLite and PostgreSQL, so every test
that takes either runs twice. SQLite gets a new file per test. PostgreSQL gets one database per
test session, `marsad_test_<pid>_<random>`, created at the start and dropped at the end; between
tests its tables are emptied and their ids restarted, which is much quicker than a new database.
Set MARSAD_TEST_PG to use another server (an SQLAlchemy URL of any database on it), and
MARSAD_TEST_BACKENDS=sqlite to run one backend locally; CI runs both. An unreachable PostgreSQL
fails the tests that need it, loudly.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = tuple(
    b.strip() for b in os.environ.get("MARSAD_TEST_BACKENDS", "sqlite,postgresql").split(",")
)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder with the corpus, pages and seed."""
    path = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")).resolve()
    if not (path / "corpus").is_dir():
        pytest.fail(f"shared data not found at {path}; set MARSAD_SHARED")
    return path


def _pg_admin_dsn() -> tuple[str, str]:
    """The server's SQLAlchemy URL (without database) and a libpq DSN for its admin database."""
    from sqlalchemy.engine import make_url

    url = make_url(os.environ.get("MARSAD_TEST_PG", PG_DEFAULT))
    admin = url.set(drivername="postgresql", database=url.database or "postgres")
    return url.render_as_string(hide_password=False), admin.render_as_string(hide_password=False)


class PgServer:
    """Admin access to the test PostgreSQL server: a new connection per statement, so that a
    server restart (the fault tests make some) never leaves the fixture with a dead one."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    def execute(self, sql: str, params: tuple[Any, ...] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement in autocommit mode; return its rows (if any)."""
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


def _drop_stale_databases(server: PgServer) -> None:
    """Drop test databases left by sessions that died before their teardown."""
    rows = server.execute("SELECT datname FROM pg_database WHERE datname LIKE 'marsad\\_test\\_%'")
    for (name,) in rows:
        parts = name.split("_")
        if len(parts) == 4 and parts[2].isdigit() and not Path(f"/proc/{parts[2]}").exists():
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    """Admin access to the test PostgreSQL server; fails loudly when it is unreachable."""
    import psycopg

    _, admin = _pg_admin_dsn()
    server = PgServer(admin)
    try:
        _drop_stale_databases(server)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is unreachable ({exc}); start it "
            "(pg_ctlcluster --skip-systemctl-redirect 15 main start) or set MARSAD_TEST_PG"
        )
    return server


@pytest.fixture(scope="session")
def pg_database(pg_server: PgServer) -> Iterator[str]:
    """A database for this test session, created at the start and dropped at the end."""
    from sqlalchemy.engine import make_url

    base, _ = _pg_admin_dsn()
    name = f"marsad_test_{os.getpid()}_{secrets.token_hex(4)}"
    pg_server.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        pg_server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_pg_database(pg_server: PgServer, url: str) -> None:
    """Empty every table but Alembic's and restart ids, ending connections left by a test."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ]
        if not tables:
            return
        names = ", ".join(f'"{t}"' for t in tables)
        conn.execute("SET lock_timeout = '2s'")
        try:
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        except psycopg.errors.LockNotAvailable:
            # A previous test left a transaction open; it is over, so end its connections.
            pg_server.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (parsed.database,),
            )
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An SQLAlchemy URL for a fresh, empty database: SQLite in tmp_path, or PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'marsad.db'}"
    url: str = request.getfixturevalue("pg_database")
    _empty_pg_database(request.getfixturevalue("pg_server"), url)
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Like `db_url`, for a module's tests that share one database built once."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('module-db') / 'marsad.db'}"
    url: str = request.getfixturevalue("pg_database")
    _empty_pg_database(request.getfixturevalue("pg_server"), url)
    return url


@pytest.fixture()
def store(db_url: str) -> Iterator[object]:
    """A fresh, migrated store."""
    from marsad.store import open_store

    s = open_store(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture()
def pg_url(pg_database: str, pg_server: PgServer) -> str:
    """A fresh, empty PostgreSQL database URL, for tests that need PostgreSQL itself."""
    _empty_pg_database(pg_server, pg_database)
    return pg_database
