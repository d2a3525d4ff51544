"""`marsad import`, `export` and `stats`: moving articles in and out of the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from marsad.enrichment_runner import start_enrichment
from marsad.export import export_line
from marsad.ingest.importers import expand_paths, read_records, source_names
from marsad.pipeline import EnrichStage, ImportReport, ingest
from marsad.settings import Settings
from marsad.store import Storage, open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the import, export and stats subcommands."""
    p = subparsers.add_parser("import", help="import SaudiNewsNet zip/json files or JSONL files")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--no-enrich", action="store_true", help="store only, skip enrichment")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_import)

    p = subparsers.add_parser("export", help="write every article as JSON lines to stdout")
    p.set_defaults(func=run_export)

    p = subparsers.add_parser("stats", help="print counts and the database in use")
    p.set_defaults(func=run_stats)


def build_enricher(store: Storage) -> EnrichStage:
    """The enrichment stage, warmed from the store and caught up with what a crash left."""
    return start_enrichment(store)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import dump files through the pipeline and print a summary."""
    files = expand_paths(args.paths)
    if not files:
        print("nothing to import: no .zip, .json or .jsonl files found", file=sys.stderr)
        return 2
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        print(f"nothing imported: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    store = open_store(settings.db_url)
    names = source_names()
    report = ImportReport()
    try:
        with store.import_turn(lambda: _waiting(store)):
            _import_files(store, files, names, args, settings, report)
    finally:
        store.close()
    print(report.summary())
    return 0


def _waiting(store: Storage) -> None:
    """Say that this import waits for another one into the same SQLite file."""
    print(
        f"another marsad import is writing {store.url}: waiting for it to finish", file=sys.stderr
    )


def _import_files(
    store: Storage,
    files: list[Path],
    names: dict[str, str],
    args: argparse.Namespace,
    settings: Settings,
    report: ImportReport,
) -> None:
    """Import the files in order, warming enrichment first, adding up their reports."""
    enricher = None if args.no_enrich else build_enricher(store)
    for path in files:
        bar = tqdm(desc=path.name, unit=" articles", disable=args.quiet, file=sys.stderr)
        part = ingest(
            store, read_records(path, names, settings.limits), enricher, progress=bar.update
        )
        bar.close()
        _merge(report, part)


def _merge(total: ImportReport, part: ImportReport) -> None:
    """Add one file's report into the running total."""
    total.imported += part.imported
    total.already_present += part.already_present
    total.rejected.update(part.rejected)
    for reason, examples in part.examples.items():
        kept = total.examples.setdefault(reason, [])
        kept.extend(examples[: max(0, 3 - len(kept))])


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write every article as one JSON object per line."""
    store = open_store(settings.db_url)
    try:
        out = sys.stdout
        for article in store.iter_articles():
            out.write(export_line(article))
            out.write("\n")
    except BrokenPipeError:
        return 0
    finally:
        store.close()
    return 0


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print counts of sources, articles and stories, and the database in use."""
    store = open_store(settings.db_url)
    try:
        counts = store.counts()
        print(f"database: {store.url}")
        for name, value in counts.items():
            print(f"{name}: {value}")
    finally:
        store.close()
    return 0
