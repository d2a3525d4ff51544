"""Import speed: `marsad import` of the shared corpus beside a bare json load + SQLite insert.

    .venv/bin/python bench/import_speed.py [--days N] [--enrich] [--shared ../shared]

Both runs read the same records in the same process; the ratio says what normalization,
canonical URLs, idempotent inserts and the FTS5 index cost over the plainest possible load.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from marsad.cli.library import build_enricher
from marsad.ingest.importers import expand_paths, read_records, source_names
from marsad.pipeline import ImportReport, ingest
from marsad.store import open_store


def bare_load(files: list[Path], db_path: Path) -> int:
    """json.load each file and INSERT its records into one plain SQLite table."""
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE TABLE articles (url TEXT PRIMARY KEY, source TEXT, title TEXT, author TEXT,"
        " content TEXT, date TEXT)"
    )
    count = 0
    for path in files:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                records = json.loads(archive.read(member))
                conn.executemany(
                    "INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            r["url"],
                            r["source"],
                            r["title"],
                            r["author"],
                            r["content"],
                            r["date_extracted"],
                        )
                        for r in records
                    ],
                )
                count += len(records)
        conn.commit()
    conn.close()
    return count


def marsad_import(files: list[Path], db_url: str, enrich: bool) -> ImportReport:
    """Run the files through marsad's pipeline into a fresh store."""
    store = open_store(db_url)
    names = source_names()
    total = ImportReport()
    try:
        enricher = build_enricher(store) if enrich else None
        for path in files:
            part = ingest(store, read_records(path, names), enricher)
            total.imported += part.imported
            total.rejected.update(part.rejected)
    finally:
        store.close()
    return total


def main() -> int:
    """Run both imports and print articles/s and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--days", type=int, default=15, help="how many daily files (of 15)")
    parser.add_argument("--enrich", action="store_true", help="include the enrichment stages")
    args = parser.parse_args()
    files = expand_paths([args.shared / "corpus" / "saudinewsnet"])[: args.days]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        bare_count = bare_load(files, Path(tmp) / "bare.db")
        bare_s = time.perf_counter() - start

        start = time.perf_counter()
        report = marsad_import(files, f"sqlite:///{tmp}/marsad.db", args.enrich)
        marsad_s = time.perf_counter() - start

    print(f"files: {len(files)}  records: {bare_count}  enrichment: {args.enrich}")
    print(f"bare json load + sqlite insert: {bare_s:7.2f} s  {bare_count / bare_s:9.0f} records/s")
    print(
        f"marsad import:                  {marsad_s:7.2f} s  "
        f"{report.imported / marsad_s:9.0f} articles/s  "
        f"(imported {report.imported}, rejected {sum(report.rejected.values())})"
    )
    print(f"ratio marsad/bare time: {marsad_s / bare_s:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
