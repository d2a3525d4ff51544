"""Fixtures of the scale tests: a Redis database of its own, and a cluster over it."""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from scale_cluster import REPO, Cluster


def _redis_ping(url: str) -> None:
    """Fail loudly when Redis is not there."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is unreachable at {url} ({exc}); start it (see .ci/run)")


@pytest.fixture()
def broker_url() -> Iterator[str]:
    """A Redis database of its own for this test, emptied before and after."""
    import redis

    url = f"redis://127.0.0.1:6379/{random.randint(8, 15)}"
    _redis_ping(url)
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    with contextlib.suppress(redis.RedisError):
        redis.Redis.from_url(url).flushdb()
    client.close()


@pytest.fixture()
def cluster(pg_url: str, broker_url: str, tmp_path: Path) -> Iterator[Cluster]:
    """Workers over a fresh PostgreSQL database and Redis; every process stopped afterwards."""
    env = {**os.environ, "MARSAD_DB": pg_url, "MARSAD_BROKER": broker_url}
    env["PYTHONPATH"] = str(REPO)
    found = Cluster(env, tmp_path)
    try:
        yield found
    finally:
        found.stop()


@pytest.fixture()
def rabbitmq_url() -> Iterator[str]:
    """A RabbitMQ virtual host of its own for this test, deleted afterwards."""
    import secrets
    import subprocess

    vhost = f"marsad_test_{secrets.token_hex(4)}"
    try:
        subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True)
        subprocess.run(
            ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"RabbitMQ is not usable ({exc}); start it: rabbitmq-server -detached")
    yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)
