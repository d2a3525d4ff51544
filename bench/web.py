"""Web speed: 16 concurrent clients over article, story, search and API requests against uvicorn.

    .venv/bin/python bench/web.py [--day 2015-07-21.zip] [--seconds 20] [--clients 16]

A day of the shared corpus is imported (with enrichment when the enricher is installed) into
a store under /tmp (kept between runs), `marsad serve` runs it in its own process on loopback,
and the clients run first against a trivial route (/healthz: the floor set by uvicorn and the
client) and then against the page mix, in the same run. Prints req/s, p50, p99 and errors per
kind of request. Target: p99 <= 100 ms for the mix, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from marsad.cli.library import build_enricher  # noqa: E402
from marsad.ingest.importers import read_records  # noqa: E402
from marsad.pipeline import ingest  # noqa: E402
from marsad.store import Store, open_store, queries, story_queries  # noqa: E402  # noqa: E402

MIX = {"article": 0.35, "story": 0.2, "search": 0.2, "api": 0.25}


def build_store(day: Path, db_path: Path) -> str:
    """Import a corpus day (enriched when possible) unless the store already holds it."""
    url = f"sqlite:///{db_path}"
    store = open_store(url)
    try:
        if store.counts()["articles"] == 0:
            print(f"importing {day.name} into {db_path} ...", flush=True)
            started = time.perf_counter()
            report = ingest(store, read_records(day), build_enricher(store))
            print(f"  {report.imported} articles in {time.perf_counter() - started:.0f} s")
        print(f"store: {store.counts()}")
    finally:
        store.close()
    return url


def request_paths(store: Store, rng: random.Random) -> dict[str, list[str]]:
    """Paths to request, per kind, from what the store holds."""
    ids = [c.id for c in queries.latest_articles(store, limit=3000).items]
    stories = [c.story.id for c in story_queries.recent_stories(store, limit=300)[0]]
    words = [w for c in queries.latest_articles(store, limit=300).items for w in c.title.split()]
    terms = [w for w in words if len(w) >= 4][:400] or ["السعودية"]
    pick = rng.sample
    paths = {
        "article": [f"/article/{i}" for i in pick(ids, min(500, len(ids)))],
        "story": [f"/story/{i}" for i in stories] or [f"/article/{ids[0]}"],
        "search": [f"/search?q={quote(t)}" for t in pick(terms, min(200, len(terms)))],
    }
    api = [f"/api/v1/articles/{i}" for i in pick(ids, min(200, len(ids)))]
    api += [f"/api/v1/search?q={quote(t)}" for t in pick(terms, min(100, len(terms)))]
    api += [f"/api/v1/stories/{i}" for i in stories[:100]]
    paths["api"] = api
    return paths


async def run_clients(
    base: str, plan: list[tuple[str, str]], clients: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Run `clients` workers cycling through the plan for `seconds`; latencies in ms per kind."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(offset: int, client: httpx.AsyncClient) -> None:
        i = offset
        while time.perf_counter() < deadline:
            kind, path = plan[i % len(plan)]
            i += clients
            started = time.perf_counter()
            try:
                response = await client.get(base + path)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies[kind].append((time.perf_counter() - started) * 1000)
            if not ok:
                errors[kind] += 1

    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(n, client) for n in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def report(
    title: str, latencies: dict[str, list[float]], errors: dict[str, int], elapsed: float
) -> None:
    """Print req/s, p50 and p99 per kind and overall."""
    print(f"\n{title}")
    print(f"  {'kind':<10}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    everything = [v for values in latencies.values() for v in values]
    rows = [*sorted(latencies.items()), ("all", everything)]
    for kind, values in rows:
        if not values:
            continue
        p50 = statistics.median(values)
        p99 = statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)
        n_err = sum(errors.values()) if kind == "all" else errors.get(kind, 0)
        rate = len(values) / elapsed
        print(f"  {kind:<10}{len(values):>10}{rate:>10.0f}{p50:>10.1f}{p99:>10.1f}{n_err:>8}")


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db_url: str, port: int) -> subprocess.Popen[bytes]:
    """`marsad serve` in its own process; returns once it answers."""
    env = dict(os.environ, MARSAD_DB=db_url)
    entry = "import sys; from marsad.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", entry, "serve", "--port", str(port)]
    server = subprocess.Popen(cmd, env=env, cwd=REPO, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("marsad serve did not start")


def main() -> int:
    """Build the store, start the server, measure the reference route and the page mix."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
    )
    parser.add_argument("--day", default="2015-07-21.zip")
    parser.add_argument("--db", type=Path, default=Path("/tmp/marsad-bench-web.db"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    db_url = build_store(args.shared / "corpus" / "saudinewsnet" / args.day, args.db)
    rng = random.Random(7)
    store = open_store(db_url)
    try:
        paths = request_paths(store, rng)
    finally:
        store.close()
    plan = [
        (kind, rng.choice(paths[kind]))
        for kind in rng.choices(list(MIX), list(MIX.values()), k=5000)
    ]
    port = free_port()
    server = start_server(db_url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(run_clients(base, plan[:400], args.clients, 3.0))  # warm templates and caches
        ref = asyncio.run(
            run_clients(base, [("static", "/healthz")], args.clients, args.seconds / 2)
        )
        report(f"reference: GET /healthz, {args.clients} clients", *ref)
        mix = asyncio.run(run_clients(base, plan, args.clients, args.seconds))
        report(f"mix: article/story/search/api, {args.clients} clients", *mix)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
