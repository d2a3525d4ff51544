"""Scale-out benchmark: one vs two worker processes, and cost as the store grows.

    .venv/bin/python bench/scale.py workers [--days 2]
    .venv/bin/python bench/scale.py growth [--backends sqlite,postgresql] [--full] [--keep]
    .venv/bin/python bench/scale.py reads --db URL [--db URL ...]
    .venv/bin/python bench/scale.py search [--backends sqlite,postgresql] [--base N] [--sizes N,N]

`workers`: the same corpus days are sent (`marsad enqueue`) to one worker process, then to two,
each over a fresh PostgreSQL database and Redis; prints articles per second stored and enriched,
and the ratios (target: two >= 1.7x one). One process consumes both queues; with two, the first
consumes both (the ordered story step and its share of storing and features), the second the
work queue only.

`growth`: imports perturbed copies of the corpus (URL and one word changed, so that every copy is
a new article) through the pipeline into SQLite and PostgreSQL side by side; prints the import
cost per article around 10k and 100k stored articles, and search and article-page p95 at 10k and
100k. --full also bulk-loads copies of the stored rows (search index included, enrichment not
re-run) up to 1M articles and measures search and article pages there. --keep leaves the
PostgreSQL databases in place (a snapshot at 100k, and the last one) and prints their URLs.

`reads`: search and article-page p95 on stores kept by `growth --keep`, to measure a change to
the read paths without loading again.

`search` (`--base 10000 --sizes 100000,1000000`): search p95 as the search page runs it
(relevance ranking and one result per story) and newest first, after `--base` articles through
the pipeline and after bulk copies of them up to each size.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from marsad.ingest.importers import read_records  # noqa: E402
from marsad.models import RawArticle  # noqa: E402
from marsad.pipeline import ingest  # noqa: E402
from marsad.store import PG_TERMS_INDEX, Store, open_store  # noqa: E402

PG_SERVER = os.environ.get("MARSAD_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS = os.environ.get("MARSAD_BENCH_REDIS", "redis://127.0.0.1:6379/7")
MARSAD = [
    sys.executable,
    "-c",
    "import sys; from marsad.cli import main; sys.exit(main(sys.argv[1:]))",
]


def corpus_days(shared: Path) -> list[Path]:
    """The corpus day files, in date order."""
    return sorted((shared / "corpus" / "saudinewsnet").glob("*.zip"))


def pg_database(
    template: str | None = None, name: str | None = None
) -> tuple[str, Callable[[], None]]:
    """A new PostgreSQL database (a copy of `template` if given, named `name` if given, else
    a random name) and the function that drops it."""
    import psycopg

    name = name or f"marsad_bench_{secrets.token_hex(4)}"
    admin = PG_SERVER.replace("+psycopg", "") + "/postgres"
    copied = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copied}')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_SERVER}/{name}", drop


def p95(samples: list[float]) -> float:
    """The 95th percentile, in milliseconds."""
    return statistics.quantiles(samples, n=20)[-1] * 1000


# -- workers ---------------------------------------------------------------------------------


def distinct_articles(days: list[Path]) -> int:
    """How many distinct articles (canonical URLs that normalize) the days hold."""
    from marsad.models import Article
    from marsad.pipeline import normalize

    urls = set()
    for day in days:
        for record in read_records(day):
            if isinstance(record, RawArticle):
                found = normalize(record)
                if isinstance(found, Article):
                    urls.add(found.url)
    return len(urls)


def run_workers(days: list[Path], workers: int, expected: int) -> tuple[float, float]:
    """Seconds until `workers` worker processes stored, and until they enriched, every article
    of the days' jobs (sent before the workers start)."""
    import redis

    url, drop = pg_database()
    redis.Redis.from_url(REDIS).flushdb()
    env = {**os.environ, "MARSAD_DB": url, "MARSAD_BROKER": REDIS, "PYTHONPATH": str(REPO)}
    logs = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    store = open_store(url)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run(
            [*MARSAD, "enqueue", *map(str, days)], env=env, capture_output=True, check=True
        )
        layout = [("w0", "stories,work")] + [(f"w{n}", "work") for n in range(1, workers)]
        for name, queues in layout:
            log = (logs / f"{name}.log").open("wb")
            procs.append(
                subprocess.Popen(
                    [*MARSAD, "worker", "--name", f"{name}@bench", "--queues", queues],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        start = time.monotonic()
        postgres_before = postgres_cpu()
        stored_at = 0.0
        # One cheap count every 0.25 s: the polling shares the box with what it measures.
        while True:
            if not stored_at and stored(store) >= expected:
                stored_at = time.monotonic() - start
            if stored_at and enriched(store) >= expected:
                break
            time.sleep(0.25)
        enriched_at = time.monotonic() - start
        print(
            f"  {workers} worker(s): {expected} articles stored in {stored_at:.1f} s "
            f"({expected / stored_at:.0f}/s), enriched in {enriched_at:.1f} s "
            f"({expected / enriched_at:.0f}/s); start-up included"
        )
        spent = {name: cpu_seconds(proc.pid) for (name, _), proc in zip(layout, procs, strict=True)}
        print(
            "    CPU seconds: "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in spent.items())
            + f", PostgreSQL {postgres_cpu() - postgres_before:.1f} (this box's, all databases)"
        )
        return stored_at, enriched_at
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
        store.close()
        drop()


def cpu_seconds(group: int) -> float:
    """CPU time used so far by the processes of a process group (Linux /proc)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU time of the local PostgreSQL server: its live processes and the ones that ended."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.parent.joinpath("comm").read_text().strip() not in {"postgres", "postmaster"}:
                continue
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def stored(store: Store) -> int:
    """How many articles are stored."""
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())


def enriched(store: Store) -> int:
    """How many articles are enriched."""
    with store.engine.connect() as conn:
        query = text("SELECT count(*) FROM articles WHERE enriched_at IS NOT NULL")
        return int(conn.execute(query).scalar_one())


def bench_workers(shared: Path, days: int) -> None:
    """One worker process against two over the same days."""
    picked = corpus_days(shared)[:days]
    expected = distinct_articles(picked)
    print(
        f"workers: {len(picked)} corpus day(s), {expected} articles, jobs of 200, "
        "PostgreSQL + Redis"
    )
    s1, e1 = run_workers(picked, 1, expected)
    s2, e2 = run_workers(picked, 2, expected)
    print(
        f"  two workers vs one: storing {s1 / s2:.2f}x, enriched end to end {e1 / e2:.2f}x "
        "(target >= 1.7x)"
    )


# -- growth ----------------------------------------------------------------------------------


def perturbed(shared: Path) -> Iterator[RawArticle]:
    """The corpus again and again, each copy with new URLs and one word dropped per article."""
    rng = random.Random(7)
    for copy in itertools.count():
        for day in corpus_days(shared):
            for record in read_records(day):
                if not isinstance(record, RawArticle):
                    continue
                if copy == 0:
                    yield record
                    continue
                words = record.text.split()
                if len(words) > 3:
                    del words[rng.randrange(len(words))]
                yield replace(
                    record, url=f"{record.url.rstrip('/')}/copy-{copy}", text=" ".join(words)
                )


def queries(store: Store, count: int = 150) -> list[str]:
    """Search queries: words and word pairs of stored titles (common and rare alike)."""
    rng = random.Random(11)
    with store.engine.connect() as conn:
        titles = [t for (t,) in conn.execute(text("SELECT title FROM articles WHERE id <= 5000"))]
    found: list[str] = []
    while len(found) < count:
        words = [w for w in rng.choice(titles).split() if len(w) > 2]
        if len(words) >= 2:
            found.append(" ".join(rng.sample(words, rng.choice((1, 1, 2)))))
    return found


def measure_reads(store: Store, label: str) -> None:
    """Search and article-page p95 on the store as it is.

    Search as the search page runs it (relevance ranking, one result per story), then newest
    first without grouping (the API's sort=newest).
    """
    asked = queries(store)
    for query in asked[:10]:
        store.search(query, group=True)  # warm caches
    ranked = [_timed(lambda q=q: store.search(q, limit=20, group=True)) for q in asked]
    newest = [_timed(lambda q=q: store.search(q, limit=20, sort="newest")) for q in asked]
    total = store.counts()["articles"]
    ids = random.Random(5).sample(range(1, total + 1), 100)
    pages = article_page_times(store, ids)
    print(
        f"  {label:<11} {total:>8} articles: search p95 {p95(ranked):7.1f} ms ranked and "
        f"grouped (median {statistics.median(ranked) * 1000:.1f}), {p95(newest):7.1f} ms "
        f"newest first; article page p95 {p95(pages):7.1f} ms"
    )


def article_page_times(store: Store, ids: list[int]) -> list[float]:
    """Seconds to serve each article page through the web app (store reads if there is none)."""
    try:
        from fastapi.testclient import TestClient

        from marsad.settings import Settings
        from marsad.web.app import create_app
    except ImportError:
        return [_timed(lambda i=i: store.get_article(i)) for i in ids]
    client = TestClient(create_app(Settings(db_url=str(store.engine.url)), store=store))
    client.get(f"/article/{ids[0]}")
    return [_timed(lambda i=i: client.get(f"/article/{i}")) for i in ids]


def _timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def grow(store: Store, source: Iterator[RawArticle], upto: int, chunk: int = 2000) -> float:
    """Import until `upto` articles are stored; return seconds per article of the last chunk."""
    per_article = 0.0
    while (have := store.counts()["articles"]) < upto:
        batch = list(itertools.islice(source, min(chunk, upto - have)))
        start = time.perf_counter()
        report = ingest(store, batch)
        per_article = (time.perf_counter() - start) / max(report.imported, 1)
    return per_article


def bulk_copy(store: Store, upto: int) -> None:
    """Grow the store to `upto` articles with copies of its rows (new ids and URLs), fast.

    Bench-only: bypasses the pipeline (no normalization, no enrichment), copying rows and their
    search index in SQL, since a full import of 1M articles outlasts a working session.
    """
    with store.engine.begin() as conn:
        base = int(conn.execute(text("SELECT max(id) FROM articles")).scalar_one())
    columns = (
        "source_id, title, author, text, match_title, match_text, content_hash, "
        "published_at, fetched_at, language, image, summary"
    )
    postgresql = store.engine.dialect.name == "postgresql"
    if postgresql:  # one GIN build after the copy costs far less than a million updates
        with store.engine.begin() as conn:
            conn.execute(text("DROP INDEX IF EXISTS ix_article_search_terms"))
    copy = 1
    while base * copy < upto:
        shift = base * copy
        keep = min(base, upto - shift)
        with store.engine.begin() as conn:
            conn.execute(
                text(
                    f"INSERT INTO articles (id, url, {columns}) SELECT id + :shift, "
                    f"url || '/bulk-' || :shift, {columns} FROM articles WHERE id <= :keep"
                ),
                {"shift": shift, "keep": keep},
            )
            indexed = (
                "terms, published_at"
                if conn.dialect.name == "postgresql"
                else "title, lead, body, title_w, lead_w, body_w"
            )
            conn.execute(
                text(
                    f"INSERT INTO article_search (rowid, {indexed}) "
                    f"SELECT rowid + :shift, {indexed} FROM article_search WHERE rowid <= :keep"
                ),
                {"shift": shift, "keep": keep},
            )
        print(f"    bulk-loaded {shift + keep} articles", flush=True)
        copy += 1
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('articles', 'id'), "
                    "(SELECT max(id) FROM articles))"
                )
            )
    if postgresql:
        with store.engine.begin() as conn:
            conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            conn.execute(text(PG_TERMS_INDEX))
        # What autovacuum does to a live store by then: statistics, visibility map, hint bits.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def snapshot(store: Store) -> str:
    """A kept copy of a PostgreSQL store as it is now (its connections are closed first)."""
    store.close()
    url, _drop = pg_database(template=store.engine.url.database)
    return url


def bench_growth(shared: Path, backends: list[str], full: bool, keep: bool) -> None:
    """Import cost at 10k and 100k, reads at 10k, 100k (and 1M with --full), per backend."""
    print(
        "growth: perturbed corpus copies through the pipeline (store + search index, no enrichment)"
    )
    for backend in backends:
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
            url, drop = f"sqlite:///{folder / 'bench.db'}", (lambda: None)
        else:
            url, drop = pg_database()
        store = open_store(url)
        source = perturbed(shared)
        try:
            grow(store, source, 8000)
            cost10 = grow(store, source, 10000)
            print(f"  {backend}: import {cost10 * 1000:.2f} ms/article at 10k")
            measure_reads(store, backend)
            grow(store, source, 98000)
            cost100 = grow(store, source, 100000)
            print(
                f"  {backend}: import {cost100 * 1000:.2f} ms/article at 100k "
                f"({cost100 / cost10:.2f}x the cost at 10k)"
            )
            measure_reads(store, backend)
            if keep and backend == "postgresql":
                print(f"  kept at 100k: {snapshot(store)}")
            if full:
                bulk_copy(store, 1_000_000)
                measure_reads(store, backend)
        finally:
            store.close()
            if keep and backend == "postgresql":
                print(f"  kept: {store.engine.url.render_as_string(hide_password=False)}")
            else:
                drop()


def bench_search(
    shared: Path,
    backends: list[str],
    base: int,
    sizes: list[int],
    keep: bool = False,
    name: str | None = None,
) -> None:
    """Search p95 (ranked and grouped, and newest first) at each size, per backend.

    `base` perturbed corpus articles go through the pipeline; the store then grows to each
    size with bulk copies of its rows (search index included), as `growth --full` does.
    """
    print(f"search: {base} articles through the pipeline, then bulk copies of them")
    for backend in backends:
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
            url, drop = f"sqlite:///{folder / 'bench.db'}", (lambda: None)
        else:
            url, drop = pg_database(name=name)
        store = open_store(url)
        try:
            grow(store, perturbed(shared), base)
            measure_reads(store, backend)
            for size in sizes:
                bulk_copy(store, size)
                measure_reads(store, backend)
        finally:
            store.close()
            if keep and backend == "postgresql":
                print(f"  kept: {store.engine.url.render_as_string(hide_password=False)}")
            else:
                drop()


def bench_reads(urls: list[str]) -> None:
    """Search and article-page p95 on existing stores (fresh statistics first)."""
    for url in urls:
        store = open_store(url)
        try:
            with store.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
            measure_reads(store, store.engine.dialect.name)
        finally:
            store.close()


def main() -> int:
    """Run the part of the benchmark asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["workers", "growth", "reads", "search", "all"])
    parser.add_argument("--base", type=int, default=10000, help="pipeline articles for `search`")
    parser.add_argument("--sizes", default="100000", help="store sizes for `search`")
    parser.add_argument("--days", type=int, default=2, help="corpus days for the worker run")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--full", action="store_true", help="also bulk-load to 1M articles")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--db", action="append", default=[], help="a store URL for `reads`")
    parser.add_argument("--name", help="the PostgreSQL database `search` creates (else random)")
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
    )
    args = parser.parse_args()
    if args.part in ("workers", "all"):
        bench_workers(args.shared, args.days)
    if args.part in ("growth", "all"):
        bench_growth(args.shared, args.backends.split(","), args.full, args.keep)
    if args.part == "search":
        sizes = [int(n) for n in args.sizes.split(",")]
        bench_search(args.shared, args.backends.split(","), args.base, sizes, args.keep, args.name)
    if args.part == "reads":
        bench_reads(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
