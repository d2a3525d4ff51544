"""Faults during a run: a worker killed with -9, PostgreSQL restarted, Redis restarted.

Afterwards every article is stored exactly once (and enriched, where enrichment is installed),
and the workers carry on with new jobs with nobody touching them. These tests restart shared
servers, so they live in this one module and pytest runs them one after another.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
from pathlib import Path

import pytest
from scale_cluster import Cluster, wait_for
from scale_scenario import day_slice
from sqlalchemy import text

from marsad.ingest.importers import read_records
from marsad.models import Article, RawArticle
from marsad.pipeline import normalize
from marsad.replay.server import start_replay
from marsad.store import Store, open_store

ENRICHER = importlib.util.find_spec("marsad.enrich.enricher") is not None
pytestmark = pytest.mark.slow


def _expected_urls(dump: Path) -> set[str]:
    """The canonical URLs of the articles in a dump file."""
    found = (normalize(r) for r in read_records(dump) if isinstance(r, RawArticle))
    return {a.url for a in found if isinstance(a, Article)}


def _stored_urls(store: Store) -> list[str]:
    """Every stored URL, repeats included (there must be none)."""
    return [a.article.url for a in store.iter_articles()]


def _settled(store: Store, expected: set[str]) -> bool:
    """Every expected article stored and, where enrichment is installed, enriched."""
    try:
        stored = store.iter_articles()
        ids = [a.id for a in stored if a.article.url in expected]
    except Exception:  # the database may be restarting right now
        return False
    return len(ids) == len(expected) and (not ENRICHER or not store.unenriched_ids(ids))


def _check_exactly_once(store: Store, expected: set[str]) -> None:
    """Every expected article is there once, and nothing else is."""
    urls = _stored_urls(store)
    assert len(urls) == len(set(urls))
    assert set(urls) == expected
    assert store.counts()["articles"] == len(expected)


def _children(pid: int) -> list[int]:
    """Ids of a process's direct children."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _carry_on(
    cluster: Cluster, store: Store, shared_dir: Path, tmp_path: Path, seen: set[str]
) -> None:
    """New jobs after the fault are done too, by the same workers."""
    more = day_slice(shared_dir, "2015-08-01", 40, tmp_path / "more.jsonl")
    cluster.marsad("enqueue", "--batch-size", "30", str(more))
    expected = seen | _expected_urls(more)
    wait_for(lambda: _settled(store, expected), 240, "jobs sent after the fault")
    _check_exactly_once(store, expected)


def _run_with_fault(cluster: Cluster, shared_dir: Path, tmp_path: Path, pg_url: str, fault) -> None:  # type: ignore[no-untyped-def]
    """Two workers import a corpus day while `fault` strikes; check the outcome."""
    dump = day_slice(shared_dir, "2015-07-27", 400, tmp_path / "day.jsonl")
    expected = _expected_urls(dump)
    cluster.worker("stories", "--queues", "stories")
    w1 = cluster.worker("w1", "--queues", "work")
    w2 = cluster.worker("w2", "--queues", "work")
    store = open_store(pg_url)
    try:
        cluster.marsad("enqueue", "--batch-size", "100", str(dump))
        wait_for(lambda: store.counts()["articles"] > 0, 60, "the first stored articles")
        before = store.counts()["articles"]
        fault(cluster, w1, w2)
        # The fault struck in the middle of the run.
        assert before < len(expected)
        wait_for(lambda: _settled(store, expected), 300, "every article after the fault")
        _check_exactly_once(store, expected)
        _carry_on(cluster, store, shared_dir, tmp_path, expected)
    finally:
        store.close()


def test_worker_killed_mid_batch(
    cluster: Cluster, shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    def kill_workers(
        cluster: Cluster, w1: subprocess.Popen[bytes], w2: subprocess.Popen[bytes]
    ) -> None:
        # The process running w1's job dies: w1 requeues the job at once and forks a new one.
        for child in _children(w1.pid):
            subprocess.run(["kill", "-9", str(child)], check=False)
        # All of w2 dies: its job waits out the visibility timeout, then w1 redoes it.
        cluster.kill(w2, signal.SIGKILL)

    _run_with_fault(cluster, shared_dir, tmp_path, pg_url, kill_workers)
    assert "exited with 'signal 9 (SIGKILL)'" in cluster.log("w1")


def test_postgresql_restarted_mid_run(
    cluster: Cluster, shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    started: list[object] = []

    def restart_postgresql(cluster: Cluster, *_: object) -> None:
        version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
        started.append(_server_started(pg_url))
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            timeout=60,
            capture_output=True,
        )

    _run_with_fault(cluster, shared_dir, tmp_path, pg_url, restart_postgresql)
    # The server the workers finished on is a new one: the restart did happen mid-run.
    assert started and _server_started(pg_url) != started[0]


def _server_started(url: str) -> object:
    """When the PostgreSQL server behind a store URL started."""
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            return conn.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()
    finally:
        store.close()


REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def _restart_redis() -> None:
    """Stop Redis (it keeps nothing on disk: every queued job is lost) and start it again."""
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True)
    wait_for(
        lambda: (
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode
            != 0
        ),
        10,
        "Redis to stop",
    )
    subprocess.run(REDIS_START, check=True, capture_output=True)
    wait_for(
        lambda: (
            subprocess.run(
                ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True
            ).stdout.strip()
            == b"PONG"
        ),
        10,
        "Redis",
    )


def test_redis_restarted_mid_run(
    cluster: Cluster, shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    dump = day_slice(shared_dir, "2015-07-26", 200, tmp_path / "day.jsonl")
    records = [r for r in read_records(dump) if isinstance(r, RawArticle)]
    expected = _expected_urls(dump)
    cluster.env["MARSAD_ALLOW_HOSTS"] = "127.0.0.1"
    fast = ("--delay", "0.05", "--per-host", "4", "--tick", "1")
    with start_replay(records) as replay:
        cluster.marsad("sources", "import-opml", f"{replay.url}/sources.opml")
        cluster.worker("stories", "--queues", "stories", "--tick", "1")
        cluster.worker("w1", "--queues", "work", *fast)
        cluster.worker("w2", "--queues", "work", *fast)
        schedule = str(tmp_path / "beat-schedule")
        cluster.start("scheduler", "--tick", "1", "--schedule-file", schedule, name="scheduler")
        store = open_store(pg_url)
        try:
            wait_for(lambda: store.counts()["articles"] > 0, 60, "the first stored articles")
            before = store.counts()["articles"]
            _restart_redis()
            assert before < len(expected)
            wait_for(lambda: _settled(store, expected), 300, "every article after the restart")
            _check_exactly_once(store, expected)
        finally:
            store.close()
    logs = cluster.log("w1") + cluster.log("w2") + cluster.log("stories")
    assert "Connection to broker lost" in logs or "Cannot connect to redis" in logs
