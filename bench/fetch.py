"""Fetching: a whole shared day from the replay publisher into a fresh SQLite store.

    .venv/bin/python bench/fetch.py [--day PATH] [--per-host 8] [--delay 0] [--enrich]

Starts `marsad replay DAY` in its own process, then runs, as a user would,
`marsad sources import-opml URL` and `marsad fetch --once` against it into a new SQLite file,
and times the fetch. It then checks the done-when figures: the share of the day's articles
with 30+ words that were stored, the median token F1 between stored and published text,
and that each stored article carries its source and original URL. The peer, in the same run:
the plainest asyncio loop over the same feeds and pages (httpx + feedparser +
trafilatura.extract, same concurrency, no robots, no store), for the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import feedparser
import httpx
import trafilatura

from marsad.ingest.quality import token_f1
from marsad.replay.server import load_articles
from marsad.store import open_store
from marsad.urls import canonical_url

MARSAD = str(Path(sys.executable).parent / "marsad")


def start_publisher(day: Path) -> tuple[subprocess.Popen[str], str]:
    """`marsad replay DAY --port 0` in a child process, and its base URL."""
    process = subprocess.Popen(
        [MARSAD, "replay", str(day), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"(http://[^\s/]+)", line)
    if not found:
        process.kill()
        raise SystemExit(f"replay did not start: {line}")
    return process, found.group(1)


def marsad_fetch(base: str, db: Path, args: argparse.Namespace) -> float:
    """import-opml then fetch --once through the CLI; return the fetch's seconds."""
    env = {**os.environ, "MARSAD_DB": f"sqlite:///{db}", "MARSAD_ALLOW_HOSTS": "127.0.0.1"}
    subprocess.run(
        [MARSAD, "sources", "import-opml", f"{base}/sources.opml"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    command = [MARSAD, "fetch", "--once", "--quiet", "--delay", str(args.delay),
               "--per-host", str(args.per_host)]  # fmt: skip
    if not args.enrich:
        command.append("--no-enrich")
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    print("  " + done.stdout.strip().splitlines()[-1])
    return elapsed


async def plain_fetch(base: str, per_host: int) -> tuple[int, float]:
    """The peer: feeds with feedparser, pages with httpx, text with trafilatura.extract."""
    started = time.perf_counter()
    limit = asyncio.Semaphore(per_host)
    async with httpx.AsyncClient(timeout=60) as client:
        opml = (await client.get(f"{base}/sources.opml")).text
        feeds = re.findall(r'xmlUrl="([^"]+)"', opml)
        links = []
        for url in feeds:
            parsed = feedparser.parse((await client.get(url)).content)
            links += [e.link for e in parsed.entries]

        async def one(link: str) -> int:
            async with limit:
                html = (await client.get(link)).text
            text = await asyncio.to_thread(trafilatura.extract, html, url=link)
            return 1 if text else 0

        got = sum(await asyncio.gather(*(one(link) for link in links)))
    return got, time.perf_counter() - started


def check(db: Path, day: Path) -> None:
    """Print coverage, text quality and attribution against the publisher's records."""
    published = {canonical_url(a.url): a for a in load_articles([day])}
    store = open_store(f"sqlite:///{db}")
    try:
        stored = {a.article.url: a for a in store.iter_articles()}
    finally:
        store.close()
    wanted = [u for u, a in published.items() if len(a.text.split()) >= 30]
    kept = [u for u in wanted if u in stored]
    scores = [token_f1(stored[u].article.text, published[u].text) for u in kept]
    attributed = sum(
        1 for u, a in stored.items() if u in published and a.article.source == published[u].source
    )
    print(f"  day's articles: {len(published)}, with 30+ words: {len(wanted)}")
    print(f"  stored: {len(stored)}; of the 30+ word ones: {len(kept)} "
          f"({100 * len(kept) / max(1, len(wanted)):.1f}%)")  # fmt: skip
    print(f"  median token F1 stored vs published: {statistics.median(scores):.3f} "
          f"(mean {statistics.fmean(scores):.3f}, under 0.9: {sum(s < 0.9 for s in scores)})")  # fmt: skip
    print(f"  with their source and original URL: {attributed}/{len(stored)}")


def main() -> None:
    """Run the publisher, marsad's fetch and the peer's, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--day", type=Path, default=Path("../shared/corpus/saudinewsnet/2015-07-21.zip")
    )
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--enrich", action="store_true", help="run enrichment too")
    args = parser.parse_args()
    publisher, base = start_publisher(args.day)
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "marsad.db"
            print(f"replay publisher at {base}; marsad fetch --once:")
            ours = marsad_fetch(base, db, args)
            count = sum(1 for _ in open_store(f"sqlite:///{db}").iter_articles())
            check(db, args.day)
            print(f"  {count} articles in {ours:.1f} s: {count / ours:.1f} articles/s")
            got, peer = asyncio.run(plain_fetch(base, args.per_host))
            print(f"peer (httpx + feedparser + trafilatura.extract, no store): {got} articles "
                  f"in {peer:.1f} s: {got / peer:.1f} articles/s")  # fmt: skip
            print(f"speed ratio marsad/peer: {(count / ours) / (got / peer):.2f}")
    finally:
        publisher.terminate()
        publisher.wait(timeout=10)


if __name__ == "__main__":
    main()
