"""The Celery app: a thin layer that routes messages to the task functions in tasks.py.

Queues: `work` (storing, each article's features, fetching: anything that runs on any number of
workers) and `stories` (the ordered step of enrichment, with story assignment: give it one
consumer, which may consume `work` too; a PostgreSQL advisory lock also keeps two consumers from
making the same story). Every task is acknowledged late and requeued when
its worker dies, and every task is idempotent, so a redone task changes nothing.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from celery import Celery
from celery.signals import worker_process_shutdown
from sqlalchemy.exc import DBAPIError

from marsad.settings import Settings
from marsad.workers import tasks
from marsad.workers.context import WorkerContext

WORK_QUEUE = "work"
STORIES_QUEUE = "stories"
# A database restart or a lost connection: wait and try again rather than drop the message.
RETRY: dict[str, Any] = {
    "autoretry_for": (DBAPIError, OSError),
    "retry_backoff": 1,
    "retry_backoff_max": 10,
    "retry_jitter": True,
    "max_retries": None,
}


def make_app(
    settings: Settings,
    *,
    visibility_timeout: float = 300.0,
    tick_seconds: float = 60.0,
    fetch_delay: float = 0.5,
    per_host: int = 2,
) -> Celery:
    """Build the Celery app over settings.broker_url with every marsad task registered."""
    app = Celery("marsad", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=WORK_QUEUE,
        task_routes={
            "marsad.enrich": {"queue": STORIES_QUEUE},
            "marsad.enrich_batch": {"queue": STORIES_QUEUE},
        },
        # Redis keeps an unacknowledged message hidden this long before another worker may
        # take it: the time after which a job of a worker killed outright is redone.
        broker_transport_options={
            "visibility_timeout": visibility_timeout,
            # Look for such jobs often enough that a short timeout means a quick redo.
            "unacked_restore_interval": min(10.0, max(1.0, visibility_timeout / 5)),
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": 5,
            "socket_keepalive": True,
        },
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_hijack_root_logger=False,
        beat_schedule={
            "tick": {"task": "marsad.tick", "schedule": timedelta(seconds=tick_seconds)},
        },
        timezone="UTC",
    )
    ctx = WorkerContext(settings, fetch_delay=fetch_delay, per_host=per_host)
    _register(
        app,
        ctx,
        overdue_after=timedelta(seconds=max(2 * tick_seconds, 10)),
        lease=timedelta(seconds=max(15 * tick_seconds, 15)),
    )

    @worker_process_shutdown.connect(weak=False)
    def _close(**_: Any) -> None:
        ctx.close()

    return app


def _register(app: Celery, ctx: WorkerContext, overdue_after: timedelta, lease: timedelta) -> None:
    """Register the tasks as closures over this process's context."""

    @app.task(name="marsad.enrich", **RETRY)
    def enrich(ids: Sequence[int]) -> int:
        """Enrich these articles (story queue)."""
        return tasks.enrich_articles(ctx, ids)

    @app.task(name="marsad.enrich_batch", **RETRY)
    def enrich_batch(messages: Sequence[dict[str, Any]]) -> int:
        """Enrich one import batch once it is prepared (story queue, in the producer's order)."""
        return tasks.enrich_batch(ctx, messages)

    @app.task(name="marsad.ingest", **RETRY)
    def ingest(messages: Sequence[dict[str, Any]], handoff: bool = True) -> int:
        """Store a batch of raw articles and compute their features; hand what is new to
        enrichment unless the producer sends the batch's enrichment itself (`handoff=False`,
        to keep its order)."""
        ids = tasks.ingest_messages(ctx, messages, learn=not _enrichment_installed())
        if handoff and ids and _enrichment_installed():
            enrich.delay(ids)
        return len(ids)

    @app.task(name="marsad.fetch", **RETRY)
    def fetch(slug: str) -> None:
        """Fetch one source; each stored batch's new articles go to enrichment."""
        handoff = tasks.Handoff(ctx, enrich.delay) if _enrichment_installed() else None
        tasks.fetch_source(ctx, slug, handoff)

    @app.task(name="marsad.tick", **RETRY)
    def tick() -> int:
        """Periodic: fetch the sources that are due, and resend enrichment of articles whose
        job was lost (a broker restart, say). Both are idempotent, so a lost tick is harmless."""
        due = tasks.due_sources(ctx, lease=lease)
        for slug in due:
            fetch.delay(slug)
        if not _enrichment_installed():
            return len(due)
        ids = tasks.overdue_enrichment(ctx, overdue_after)
        for start in range(0, len(ids), 100):
            enrich.delay(ids[start : start + 100])
        return len(due) + len(ids)


def _enrichment_installed() -> bool:
    """Whether the enrichment stage is part of this installation."""
    return importlib.util.find_spec("marsad.enrich.enricher") is not None
