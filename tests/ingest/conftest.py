"""Replay publishers on loopback, serving slices of the shared corpus, for the ingest tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.ingest.fetch import FetchOptions
from marsad.models import RawArticle
from marsad.replay.server import ReplayConfig, RunningReplay, load_articles, start_replay

DAY = "2015-07-21.zip"


@pytest.fixture(scope="session")
def day_articles(shared_dir: Path) -> list[RawArticle]:
    """Every article of one shared day."""
    return load_articles([shared_dir / "corpus" / "saudinewsnet" / DAY])


@pytest.fixture(scope="session")
def sample(day_articles: list[RawArticle]) -> list[RawArticle]:
    """A small slice of the day: the first 12 articles of three sources."""
    picked: list[RawArticle] = []
    for source in ("aawsat", "sabq", "okaz"):
        picked += [a for a in day_articles if a.source == source][:12]
    return picked


@pytest.fixture()
def replay(sample: list[RawArticle]) -> Iterator[Callable[..., RunningReplay]]:
    """Start replay publishers over the sample (or given records); stopped after the test."""
    running: list[RunningReplay] = []

    def start(records: list[RawArticle] | None = None, **config: Any) -> RunningReplay:
        server = start_replay(sample if records is None else records, ReplayConfig(**config))
        running.append(server)
        return server

    yield start
    for server in running:
        server.close()


@pytest.fixture()
def loopback_options() -> FetchOptions:
    """Fetch options for tests: loopback allowed, no politeness delay, quick retries."""
    return FetchOptions(
        allowed_hosts=frozenset({"127.0.0.1"}),
        per_host_delay=0.0,
        per_host_concurrency=4,
        backoff=0.05,
        total_timeout=10.0,
    )
