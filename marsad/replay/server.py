"""The replay publisher: the shared corpus served as live news sites over real HTTP.

Each source of the SaudiNewsNet files (or JSONL of the same shape) becomes a site at
`/<source>/` with an RSS 2.0 feed at `/<source>/feed.xml`, one HTML page per article
(`/<source>/<n>.html`, furniture around the text, `<link rel="canonical">` = the original URL)
and `/sources.opml` listing every feed. With `speed`, articles appear over time in publish
order (speed 60: one corpus minute per real second). Sources misbehave on request, as real
sites do: see MISBEHAVIOURS.

A ThreadingHTTPServer: it runs in a thread of the caller (tests, benchmarks) or in the
foreground (`marsad replay`), on any host and port (port 0 picks a free one).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path

from marsad.ingest.importers import read_records, source_names
from marsad.ingest.opml import OpmlFeed, write_opml
from marsad.models import RawArticle
from marsad.replay.pages import PageArticle

MISBEHAVIOURS = {
    "slow": "every response waits `slow_seconds` first",
    "5xx": "every response is 503 Service Unavailable with Retry-After: 1",
    "flaky": "the first request for each path is 503, the next ones succeed",
    "truncated": "article pages declare their full length and stop halfway",
    "wrong-charset": "article pages are windows-1256 but declare UTF-8",
    "iso-8859-6": "article pages are ISO-8859-6, declared only in a meta tag",
    "malformed": "the feed is malformed XML (bad entities, unclosed tags)",
    "not-a-feed": "the feed URL serves an HTML page",
    "redirect-loop": "article pages redirect to each other in a loop",
    "oversized": "article pages are padded past 6 MB",
    "challenge": "every response is a 403 anti-bot challenge page",
    "ratelimit": "every response is 429 Too Many Requests with Retry-After: 120",
    "robots": "robots.txt disallows the source's pages",
    "empty": "article pages have furniture but no article text",
    "binary": "article pages are binary noise served as text/html",
    "full-content": "the feed carries each article's full text in content:encoded",
    "hostile-feed": "the feed is the source's template in `hostile_feeds`, links to its pages",
}


@dataclass(frozen=True)
class ReplayConfig:
    """How the publisher behaves: its clock, its misbehaving sources, its feed length."""

    speed: float | None = None
    start: datetime | None = None
    misbehave: Mapping[str, frozenset[str]] = field(default_factory=dict)
    slow_seconds: float = 3.0
    feed_limit: int | None = None
    gzip: bool = True
    # A source's own feed bytes and Content-Type, served by `hostile-feed`: `{site}` in them
    # becomes the source's address (`http://host:port/slug`), so items link to its pages.
    hostile_feeds: Mapping[str, tuple[bytes, str]] = field(default_factory=dict)


class Catalogue:
    """The articles of every source in publish order, and the publisher's clock."""

    def __init__(self, records: Iterable[RawArticle], config: ReplayConfig) -> None:
        self.config = config
        names = source_names()
        by_source: dict[str, list[RawArticle]] = defaultdict(list)
        seen: set[str] = set()
        for raw in records:
            if raw.url in seen:
                continue
            seen.add(raw.url)
            by_source[raw.source].append(raw)
        self.names = {s: names.get(s, s) for s in by_source}
        self.sites: dict[str, list[PageArticle]] = {}
        for source, items in sorted(by_source.items()):
            ordered = sorted(items, key=lambda r: (_when(r), r.url))
            self.sites[source] = [PageArticle(source, n, r) for n, r in enumerate(ordered, 1)]
        firsts = [_when(a[0].raw) for a in self.sites.values() if a]
        self.first = config.start or (min(firsts) if firsts else datetime.now(UTC))
        self.started = time.monotonic()

    def now(self) -> datetime | None:
        """The publisher's clock, or None when every article is already out."""
        if not self.config.speed:
            return None
        elapsed = (time.monotonic() - self.started) * self.config.speed
        return self.first + timedelta(seconds=elapsed)

    def published(self, source: str) -> list[PageArticle]:
        """A source's articles that are out by now, oldest first."""
        items = self.sites.get(source, [])
        now = self.now()
        if now is None:
            return items
        return [a for a in items if _when(a.raw) <= now]

    def article(self, source: str, number: int) -> PageArticle | None:
        """One article if it exists and is out by now."""
        items = self.sites.get(source, [])
        if not 1 <= number <= len(items):
            return None
        found = items[number - 1]
        now = self.now()
        return found if now is None or _when(found.raw) <= now else None

    def misbehaves(self, source: str, kind: str) -> bool:
        """Whether a source was asked to misbehave in this way."""
        return kind in self.config.misbehave.get(source, frozenset())

    def opml(self, base: str) -> str:
        """The OPML list of every feed."""
        feeds = [
            OpmlFeed(f"{base}/{s}/feed.xml", self.names[s], f"{base}/{s}/") for s in self.sites
        ]
        return write_opml(feeds, "marsad replay")


def _when(raw: RawArticle) -> datetime:
    """An article's publish time (undated articles count as published at the start)."""
    return raw.published_at or datetime(1970, 1, 1, tzinfo=UTC)


def load_articles(paths: Iterable[Path]) -> list[RawArticle]:
    """Every article in the SaudiNewsNet or JSONL files (rejected records are skipped)."""
    from marsad.ingest.importers import expand_paths

    found: list[RawArticle] = []
    names = source_names()
    for path in expand_paths(paths):
        found.extend(r for r in read_records(path, names) if isinstance(r, RawArticle))
    return found


class ReplayServer(ThreadingHTTPServer):
    """The HTTP server holding the catalogue its handler serves from."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], catalogue: Catalogue) -> None:
        from marsad.replay.handler import ReplayHandler

        self.catalogue = catalogue
        self.seen_paths: set[str] = set()
        self.seen_lock = threading.Lock()
        super().__init__(address, ReplayHandler)

    @property
    def base_url(self) -> str:
        """http://host:port of the running server."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@dataclass
class RunningReplay:
    """A replay server running in a background thread."""

    server: ReplayServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        """http://host:port of the server."""
        return self.server.base_url

    def close(self) -> None:
        """Stop serving and release the port."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> RunningReplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_replay(
    records: Iterable[RawArticle],
    config: ReplayConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> RunningReplay:
    """Start the publisher in a background thread and return it (use as a context manager)."""
    server = ReplayServer((host, port), Catalogue(records, config or ReplayConfig()))
    thread = threading.Thread(target=server.serve_forever, name="marsad-replay", daemon=True)
    thread.start()
    return RunningReplay(server, thread)


def parse_misbehaviour(specs: Iterable[str]) -> dict[str, frozenset[str]]:
    """`SOURCE=KIND[,KIND]` options into a mapping; unknown kinds raise ValueError."""
    found: dict[str, set[str]] = defaultdict(set)
    for spec in specs:
        source, _, kinds = spec.partition("=")
        for kind in filter(None, (k.strip() for k in kinds.split(","))):
            if kind not in MISBEHAVIOURS:
                raise ValueError(f"unknown misbehaviour {kind!r}; known: {sorted(MISBEHAVIOURS)}")
            found[source.strip()].add(kind)
    return {s: frozenset(k) for s, k in found.items()}
