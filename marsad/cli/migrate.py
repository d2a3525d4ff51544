"""`marsad migrate-store`: copy a whole store into another database (SQLite to PostgreSQL)."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from marsad.settings import Settings
from marsad.store import TargetNotEmpty, copy_store, open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the migrate-store subcommand."""
    p = subparsers.add_parser(
        "migrate-store",
        help="copy every row of one store into another (streaming; safe to run again)",
    )
    p.add_argument("--from", dest="source", required=True, metavar="URL", help="store to read")
    p.add_argument("--to", dest="target", required=True, metavar="URL", help="store to fill")
    p.add_argument("--batch-size", type=int, default=1000, help="rows per transaction")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=run_migrate_store)


def run_migrate_store(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the store at --from into the store at --to and compare their row counts."""
    source = open_store(args.source)
    target = open_store(args.target)
    bars: dict[str, tqdm[object]] = {}

    def progress(table: str, rows: int) -> None:
        if table not in bars:
            bars[table] = tqdm(desc=table, unit=" rows", disable=args.quiet, file=sys.stderr)
        bars[table].update(rows)

    try:
        report = copy_store(source, target, batch_size=args.batch_size, progress=progress)
    except TargetNotEmpty as exc:
        print(f"migrate-store: {exc}", file=sys.stderr)
        return 2
    finally:
        for bar in bars.values():
            bar.close()
        source.close()
        target.close()
    print(report.summary())
    if not report.complete:
        print("migrate-store: the target differs from the source; run again", file=sys.stderr)
        return 1
    return 0
