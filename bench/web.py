"""Web speed: 16 concurrent clients over article, story, search and API requests against uvicorn.

    .venv/bin/python bench/web.py [--day 2015-07-21.zip] [--seconds 20] [--clients 16]
                                  [--workers 2] [--client wrk|httpx]

A day of the shared corpus is imported (with enrichment when the enricher is installed) into
a store under /tmp (kept between runs), `marsad serve --workers N` runs it in its own processes
on loopback, and the clients run first against a trivial route (/healthz: the floor set by
uvicorn and the client) and then against the page mix, in the same run and with the same client.
Prints req/s, p50, p99 and errors per kind of request. Target: p99 <= 100 ms for the mix, no
errors.

The load comes from wrk (a C load generator: `apt-get install -y wrk` on Debian), which leaves
the two cores of the bench machine to the server; without it the bench falls back to a Python
httpx client in this process, which takes a large share of the CPU itself and says so. With wrk
the mix runs once as one list of paths over all the clients (the "all" row), then once more with
one wrk per kind, the clients shared out by the mix's weights, all at once, for the per-kind rows.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from marsad.cli.library import build_enricher  # noqa: E402
from marsad.ingest.importers import read_records  # noqa: E402
from marsad.pipeline import ingest  # noqa: E402
from marsad.store import Store, open_store  # noqa: E402

MIX = {"article": 0.35, "story": 0.2, "search": 0.2, "api": 0.25}
INSTALL_WRK = "apt-get install -y wrk"
# wrk runs this in each of its threads: every request takes the next path of the list (threads
# start at different places), and the summary comes back on one line that main() parses.
WRK_SCRIPT = """
local paths = {}
local i = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = (offset or 0) % #paths
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %.1f %.1f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Row:
    """What one kind of request did: requests, seconds, p50 and p99 in ms, errors."""

    kind: str
    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int


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
    ids = [c.id for c in store.latest_articles(limit=3000).items]
    stories = [c.story.id for c in store.recent_stories(limit=300)[0]]
    words = [w for c in store.latest_articles(limit=300).items for w in c.title.split()]
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
) -> list[Row]:
    """httpx fallback: `clients` workers cycling through the plan for `seconds`, rows per kind."""
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
    everything = [v for values in latencies.values() for v in values]
    return [
        _row(kind, values, elapsed, errors.get(kind, 0))
        for kind, values in sorted(latencies.items())
    ] + [_row("all", everything, elapsed, sum(errors.values()))]


def _row(kind: str, values: list[float], elapsed: float, errors: int) -> Row:
    """A row from the latencies (ms) the httpx client measured."""
    p99 = statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values, default=0)
    p50 = statistics.median(values) if values else 0.0
    return Row(kind, len(values), elapsed, p50, p99, errors)


def wrk_command(
    base: str, paths_file: Path, script: Path, clients: int, seconds: float
) -> list[str]:
    """The wrk command line driving `clients` connections over the paths in a file."""
    threads = max(1, min(2, clients))
    return [
        "wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout", "30s",
        "-s", str(script), base, "--", str(paths_file),
    ]  # fmt: skip


def run_wrk(
    base: str, groups: dict[str, tuple[list[str], int]], seconds: float, workdir: Path
) -> list[Row]:
    """One wrk per group (paths, connections), all at once; a row per group."""
    script = workdir / "mix.lua"
    script.write_text(WRK_SCRIPT)
    running = {}
    for kind, (paths, clients) in groups.items():
        paths_file = workdir / f"{kind}.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        cmd = wrk_command(base, paths_file, script, clients, seconds)
        running[kind] = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    rows = []
    for kind, proc in running.items():
        out, _ = proc.communicate()
        found = re.search(r"^WRK (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)$", out, re.MULTILINE)
        if proc.returncode != 0 or found is None:
            raise SystemExit(f"wrk failed for {kind}:\n{out}")
        n, micros, errors, p50, p99 = found.groups()
        rows.append(
            Row(kind, int(n), int(micros) / 1e6, float(p50) / 1000, float(p99) / 1000, int(errors))
        )
    return rows


def share_clients(clients: int) -> dict[str, int]:
    """The clients shared out among the kinds by the mix's weights, at least one each."""
    shares = {kind: max(1, round(clients * weight)) for kind, weight in MIX.items()}
    biggest = max(shares, key=lambda k: shares[k])
    shares[biggest] += clients - sum(shares.values())
    return shares


def report(title: str, rows: list[Row]) -> None:
    """Print req/s, p50 and p99 per kind and overall."""
    print(f"\n{title}")
    print(f"  {'kind':<10}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for r in rows:
        rate = r.requests / r.seconds if r.seconds else 0.0
        print(
            f"  {r.kind:<10}{r.requests:>10}{rate:>10.0f}{r.p50:>10.1f}{r.p99:>10.1f}{r.errors:>8}"
        )


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`marsad serve` in its own process(es); returns once it answers."""
    env = dict(os.environ, MARSAD_DB=db_url)
    entry = "import sys; from marsad.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", entry, "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(cmd, env=env, cwd=REPO, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120  # two workers importing the app on a loaded machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("marsad serve did not start")


def measure_wrk(base: str, plan: list[tuple[str, str]], args: argparse.Namespace) -> None:
    """Reference, mix and per-kind runs with wrk."""
    kinds = {kind: [path for k, path in plan if k == kind] for kind in MIX}
    with tempfile.TemporaryDirectory(prefix="marsad-wrk-") as tmp:
        workdir = Path(tmp)
        run_wrk(base, {"warm": ([p for _, p in plan[:400]], args.clients)}, 3, workdir)
        ref = run_wrk(base, {"static": (["/healthz"], args.clients)}, args.seconds / 2, workdir)
        report(f"reference: GET /healthz, {args.clients} clients (wrk)", ref)
        mix = run_wrk(base, {"all": ([p for _, p in plan], args.clients)}, args.seconds, workdir)
        shares = share_clients(args.clients)
        groups = {kind: (kinds[kind], shares[kind]) for kind in MIX}
        per_kind = run_wrk(base, groups, args.seconds / 2, workdir)
    title = f"mix: article/story/search/api, {args.clients} clients (wrk; per kind: {shares})"
    report(title, [*per_kind, *mix])
    print(f"\nmix req/s / reference req/s: {_rate(mix[0]) / _rate(ref[0]):.2f}")


def _rate(row: Row) -> float:
    """Requests per second of a row."""
    return row.requests / row.seconds if row.seconds else 0.0


def measure_httpx(base: str, plan: list[tuple[str, str]], args: argparse.Namespace) -> None:
    """Reference and mix with the Python client (when wrk is not installed)."""
    print(f"wrk not found (install it: {INSTALL_WRK}); falling back to the httpx client, which")
    print("runs in this process and takes a large share of the CPU: figures are pessimistic.")
    asyncio.run(run_clients(base, plan[:400], args.clients, 3.0))  # warm templates and caches
    ref = asyncio.run(run_clients(base, [("static", "/healthz")], args.clients, args.seconds / 2))
    report(f"reference: GET /healthz, {args.clients} clients (httpx)", ref)
    mix = asyncio.run(run_clients(base, plan, args.clients, args.seconds))
    report(f"mix: article/story/search/api, {args.clients} clients (httpx)", mix)


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
    parser.add_argument("--workers", type=int, default=2, help="marsad serve --workers")
    parser.add_argument("--client", choices=("wrk", "httpx"), default="wrk")
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
    server = start_server(db_url, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    print(f"marsad serve --workers {args.workers} on {base}")
    try:
        if args.client == "wrk" and shutil.which("wrk"):
            measure_wrk(base, plan, args)
        else:
            measure_httpx(base, plan, args)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
