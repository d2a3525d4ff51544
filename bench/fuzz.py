"""Fuzz feed parsing and page extraction with atheris, for a bounded time (`make fuzz`).

Every input must end in a result or a named rejection (`FetchError`, `UndecodableError`,
`BadURL`); anything else is a crash: atheris stops, prints the traceback and saves the input as
`crash-<hash>` in the working directory, to become a regression test in tests/hostile.

Seeds are our own hostile feeds (tests/fixtures/hostile/feeds) and the shared article page
(MARSAD_SHARED/pages). Not part of `make test`: coverage-guided fuzzing needs minutes, and its
findings are kept as ordinary tests instead.

    .venv/bin/python bench/fuzz.py --seconds 120 [--target feed|page|url|date]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["marsad"]):
    from marsad.ingest.charset import UndecodableError, decode
    from marsad.ingest.dates import parse_date
    from marsad.ingest.extract import extract
    from marsad.ingest.failures import FetchError
    from marsad.ingest.feeds import feed_links, parse_feed
    from marsad.urls import BadURL, canonical_url, web_url

REPO = Path(__file__).resolve().parent.parent
FEEDS = REPO / "tests" / "fixtures" / "hostile" / "feeds"
TARGETS = ("feed", "page", "url", "date")
CONTENT_TYPES = (None, "application/rss+xml", "text/html; charset=windows-1256", "text/xml")


def fuzz_feed(data: bytes, kind: int) -> None:
    """parse_feed answers a Feed (http(s) links only) or a FetchError."""
    try:
        feed = parse_feed(data, "https://feeds.example/rss", CONTENT_TYPES[kind % 4])
    except FetchError:
        return
    for entry in feed.entries:
        assert web_url(entry.link) == entry.link, entry.link


def fuzz_page(data: bytes, kind: int) -> None:
    """decode + extract answer an article (an http(s) URL) or a named rejection."""
    try:
        text = decode(data, CONTENT_TYPES[kind % 4]).text
    except UndecodableError:
        return
    feed_links(text, "https://news.example/")
    try:
        found = extract(text, "https://news.example/a/1")
    except FetchError:
        return
    assert web_url(found.url) is not None, found.url
    assert found.image is None or web_url(found.image) is not None, found.image


def fuzz_url(data: bytes, kind: int) -> None:
    """canonical_url answers a fixed point or BadURL."""
    url = data.decode("utf-8", "surrogateescape")
    try:
        canonical = canonical_url(url)
    except BadURL:
        return
    assert canonical_url(canonical) == canonical, (url, canonical)


def fuzz_date(data: bytes, kind: int) -> None:
    """parse_date answers an aware time or None."""
    found = parse_date(data.decode("utf-8", "replace")[:200])
    assert found is None or found.tzinfo is not None


def seeds(target: str) -> list[bytes]:
    """The starting inputs: our hostile feeds and the shared page (with a target byte first)."""
    found = [p.read_bytes() for p in sorted(FEEDS.iterdir())]
    shared = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "pages"
    found += [p.read_bytes() for p in sorted(shared.glob("*/page.html"))]
    if target == "url":
        found = [b"https://www.spa.gov.sa/x?utm_source=a#f", b"http://[::1]:80/%00", b"//a"]
    if target == "date":
        found = ["٢١ يوليو ٢٠١٥ 10:05 م".encode(), b"Tue, 21 Jul 2015 02:51:32 GMT", b"9999"]
    return [bytes([0]) + seed for seed in found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long to fuzz, in total")
    parser.add_argument("--target", choices=TARGETS, default="feed")
    parser.add_argument("--max-len", type=int, default=65536, help="longest input, in bytes")
    args, rest = parser.parse_known_args()
    test = {"feed": fuzz_feed, "page": fuzz_page, "url": fuzz_url, "date": fuzz_date}[args.target]

    def one(data: bytes) -> None:
        if data:
            test(data[1:], data[0])

    corpus = Path(tempfile.mkdtemp(prefix=f"marsad-fuzz-{args.target}-"))
    for number, seed in enumerate(seeds(args.target)):
        (corpus / f"seed-{number}").write_bytes(seed)
    flags = [f"-max_total_time={args.seconds}", f"-max_len={args.max_len}", "-timeout=20"]
    print(f"fuzzing {args.target} for {args.seconds} s; corpus in {corpus}", flush=True)
    atheris.Setup([sys.argv[0], *flags, *rest, str(corpus)], one)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
