"""`marsad worker`, `marsad scheduler` and `marsad enqueue`: the pipeline on many machines."""

from __future__ import annotations

import argparse
import itertools
import socket
import sys
from pathlib import Path

from celery import Celery

from marsad.ingest.importers import expand_paths, read_records, source_names
from marsad.models import Article, RawArticle, Rejection
from marsad.pipeline import normalize
from marsad.settings import Settings
from marsad.workers import STORIES_QUEUE, WORK_QUEUE, make_app
from marsad.workers.messages import raw_to_message
from marsad.workers.tasks import batch_parts


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the worker, scheduler and enqueue subcommands."""
    p = subparsers.add_parser("worker", help="run a Celery worker (fetch, store, enrich)")
    p.add_argument(
        "--queues",
        default=WORK_QUEUE,
        help=f"queues to consume (default: {WORK_QUEUE}); give '{STORIES_QUEUE}' to exactly one "
        f"worker process, as '{STORIES_QUEUE},{WORK_QUEUE}'",
    )
    p.add_argument("--concurrency", type=int, default=1, help="processes in this worker")
    p.add_argument("--name", default=None, help="worker name (default: marsad-<pid>@host)")
    p.add_argument("--delay", type=float, default=0.5, help="seconds between requests per host")
    p.add_argument("--per-host", type=int, default=2, help="concurrent requests per host")
    _common(p)
    p.set_defaults(func=run_worker)

    p = subparsers.add_parser("scheduler", help="run the periodic scheduler (run exactly one)")
    p.add_argument(
        "--schedule-file", type=Path, default=Path("data") / "celerybeat-schedule", metavar="PATH"
    )
    _common(p)
    p.set_defaults(func=run_scheduler)

    p = subparsers.add_parser("enqueue", help="send dump files to the workers as import jobs")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    p.add_argument(
        "--batch-size",
        type=int,
        default=200,
        help="articles per enrichment batch (stored in parts of 50)",
    )
    p.set_defaults(func=run_enqueue)


def _common(p: argparse.ArgumentParser) -> None:
    """Options every long-running worker process takes."""
    p.add_argument(
        "--visibility-timeout",
        type=float,
        default=300.0,
        help="seconds before Redis hands a dead worker's job to another (same on every worker)",
    )
    p.add_argument("--tick", type=float, default=60.0, help="seconds between catch-up ticks")
    p.add_argument("--loglevel", default="INFO")


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Consume the queues until stopped; jobs of a worker that dies are redone elsewhere."""
    import os

    app = make_app(
        settings,
        visibility_timeout=args.visibility_timeout,
        tick_seconds=args.tick,
        fetch_delay=args.delay,
        per_host=args.per_host,
    )
    name = args.name or f"marsad-{os.getpid()}@{socket.gethostname()}"
    argv = ["worker", f"--loglevel={args.loglevel}", "-Q", args.queues, "-n", name]
    argv += ["-c", str(args.concurrency), "--without-gossip", "--without-mingle"]
    app.worker_main(argv)
    return 0


def run_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    """Send the periodic jobs (fetch what is due, catch up on lost enrichment)."""
    app = make_app(settings, visibility_timeout=args.visibility_timeout, tick_seconds=args.tick)
    args.schedule_file.parent.mkdir(parents=True, exist_ok=True)
    app.start(["beat", f"--loglevel={args.loglevel}", "-s", str(args.schedule_file)])
    return 0


def run_enqueue(args: argparse.Namespace, settings: Settings) -> int:
    """Read dump files and send their articles to the workers in batches."""
    files = expand_paths(args.paths)
    if not files:
        print("nothing to enqueue: no .zip, .json or .jsonl files found", file=sys.stderr)
        return 2
    app = make_app(settings)
    names = source_names()
    sent = rejected = 0
    batch: list[tuple[RawArticle, Article]] = []
    for record in itertools.chain.from_iterable(
        read_records(p, names, settings.limits) for p in files
    ):
        # Batches are cut after normalizing, as `marsad import` cuts them: same batches.
        found = record if isinstance(record, Rejection) else normalize(record)
        if isinstance(record, Rejection) or isinstance(found, Rejection):
            rejected += 1
            continue
        batch.append((record, found))
        if len(batch) >= args.batch_size:
            sent += _send(app, batch)
            batch = []
    sent += _send(app, batch)
    print(f"sent: {sent} articles\nrejected: {rejected}")
    return 0


def _send(app: Celery, batch: list[tuple[RawArticle, Article]]) -> int:
    """Send one import batch: its parts to the work queue, then its enrichment job to the story
    queue, in order."""
    if batch:
        messages = [raw_to_message(raw) for raw, _ in batch]
        for part in batch_parts(messages):
            app.send_task("marsad.ingest", args=(part,), kwargs={"handoff": False})
        app.send_task("marsad.enrich_batch", args=(messages,))
    return len(batch)
