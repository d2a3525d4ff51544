"""Fixtures of the hostile suite: hostile servers on loopback, and a replay of real articles."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_servers import HostileServer, RawServer
from hypothesis import settings

from marsad.ingest.fetch import FetchOptions
from marsad.models import RawArticle
from marsad.replay.server import ReplayConfig, RunningReplay, load_articles, start_replay

# Bounded and the same examples on every run: the suite stays quick and never flaky in CI.
settings.register_profile(
    "marsad", max_examples=100, deadline=None, derandomize=True, database=None
)
settings.load_profile("marsad")


@pytest.fixture()
def hostile() -> Iterator[HostileServer]:
    """A hostile HTTP publisher on loopback, stopped after the test."""
    server = HostileServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture()
def raw_server() -> Iterator[Callable[[bytes], RawServer]]:
    """Start servers that answer every connection with the bytes given."""
    servers: list[RawServer] = []

    def start(reply: bytes) -> RawServer:
        server = RawServer(reply)
        server.sock.bind(("127.0.0.1", 0))
        server.sock.listen(8)
        server.sock.settimeout(0.2)

        def serve() -> None:
            while server.sock.fileno() >= 0:
                try:
                    conn, _ = server.sock.accept()
                except (TimeoutError, OSError):
                    continue
                server.connections += 1
                with conn:
                    conn.settimeout(2)
                    try:
                        conn.recv(65536)
                        conn.sendall(reply)
                    except OSError:
                        pass

        threading.Thread(target=serve, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.sock.close()


@pytest.fixture()
def loopback() -> FetchOptions:
    """Fetch options for tests: loopback allowed, no politeness delay, quick retries."""
    return FetchOptions(
        allowed_hosts=frozenset({"127.0.0.1"}),
        per_host_delay=0.0,
        per_host_concurrency=4,
        backoff=0.01,
        total_timeout=10.0,
        obey_robots=False,
    )


@pytest.fixture(scope="session")
def okaz(shared_dir: Path) -> list[RawArticle]:
    """Six real okaz articles of one shared corpus day."""
    day = load_articles([shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"])
    return [a for a in day if a.source == "okaz"][:6]


@pytest.fixture()
def publisher(okaz: list[RawArticle]) -> Iterator[RunningReplay]:
    """The replay publisher serving the okaz articles on loopback."""
    with start_replay(okaz, ReplayConfig()) as server:
        yield server
