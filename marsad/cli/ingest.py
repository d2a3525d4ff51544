"""`marsad sources`, `fetch`, `run`, `extract` and `replay`: following news sources over HTTP."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from marsad.arabic.normalize import display_form
from marsad.follow import FollowOptions, SourceReport, describe, fetch_once, health_row, run_forever
from marsad.ingest.extract import Extracted
from marsad.ingest.failures import FetchError
from marsad.ingest.fetch import Fetcher, FetchOptions
from marsad.ingest.opml import OpmlFeed, parse_opml, write_opml
from marsad.ingest.sources import discover, slug_for
from marsad.models import Source
from marsad.pipeline import EnrichStage
from marsad.replay.server import MISBEHAVIOURS
from marsad.settings import Settings
from marsad.store import Storage, open_store
from marsad.urls import web_url


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sources, fetch, run, extract and replay subcommands."""
    _register_sources(subparsers)
    p = subparsers.add_parser("fetch", help="fetch every followed source once into the store")
    p.add_argument("--once", action="store_true", help="fetch each source once (the default)")
    p.add_argument("--source", action="append", metavar="SLUG", help="only these sources")
    _fetch_arguments(p)
    p.set_defaults(func=run_fetch)

    p = subparsers.add_parser("run", help="follow every source on its schedule until stopped")
    p.add_argument("--interval", type=float, default=900.0, help="seconds between checks")
    _fetch_arguments(p)
    p.set_defaults(func=run_follow)

    p = subparsers.add_parser("extract", help="print what marsad extracts from one HTML page")
    p.add_argument("file", type=Path, metavar="FILE.html")
    p.add_argument("--url", default=None, help="the page's address (for relative links, rules)")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument(
        "--source",
        default=None,
        help="clean with this source's learned furniture (slug; read from the store)",
    )
    p.set_defaults(func=run_extract)

    p = subparsers.add_parser("replay", help="serve corpus files as live news sites over HTTP")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="zip/json/jsonl files")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--speed", type=float, default=None, help="corpus seconds per real second")
    p.add_argument("--feed-limit", type=int, default=None, help="newest N items per feed")
    p.add_argument(
        "--misbehave",
        action="append",
        default=[],
        metavar="SOURCE=KIND[,KIND]",
        help="make a source misbehave: " + ", ".join(sorted(MISBEHAVIOURS)),
    )
    p.add_argument("--slow-seconds", type=float, default=3.0, help="delay of `slow` sources")
    p.set_defaults(func=run_replay)


def _register_sources(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `sources` group: add, list, remove, import-opml, export-opml."""
    group = subparsers.add_parser("sources", help="manage the followed sources")
    verbs = group.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    p = verbs.add_parser("add", help="follow a feed, or the feed a site page advertises")
    p.add_argument("url")
    p.add_argument("--name", help="display name (default: the feed's title)")
    p.add_argument("--slug", help="short ASCII name (default: from the URL)")
    p.add_argument("--interval", type=float, help="seconds between checks of this source")
    p.add_argument("--trust-feed-content", action="store_true", help="take full text from the feed")
    _fetch_arguments(p, store_args=False)
    p.set_defaults(func=run_add)
    p = verbs.add_parser("list", help="list sources with their health")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run_list)
    p = verbs.add_parser("remove", help="stop following a source (its articles stay)")
    p.add_argument("slug")
    p.set_defaults(func=run_remove)
    p = verbs.add_parser("import-opml", help="follow every feed of an OPML file or URL")
    p.add_argument("location", metavar="URL|PATH")
    _fetch_arguments(p, store_args=False)
    p.set_defaults(func=run_import_opml)
    p = verbs.add_parser("export-opml", help="write the followed feeds as OPML to stdout")
    p.set_defaults(func=run_export_opml)


def _fetch_arguments(p: argparse.ArgumentParser, store_args: bool = True) -> None:
    """Politeness and reach options shared by the commands that fetch."""
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="a private/loopback host the fetcher may reach (adds to MARSAD_ALLOW_HOSTS)",
    )
    p.add_argument("--delay", type=float, default=0.5, help="seconds between requests per host")
    p.add_argument("--per-host", type=int, default=2, help="concurrent requests per host")
    p.add_argument("--timeout", type=float, default=60.0, help="total seconds per request")
    if store_args:
        p.add_argument("--no-enrich", action="store_true", help="store only, skip enrichment")
        p.add_argument("--quiet", action="store_true", help="print only the summary")


def fetch_options(args: argparse.Namespace, settings: Settings) -> FetchOptions:
    """Fetch options from the settings and the command line."""
    return settings.fetch_options(
        allowed_hosts=settings.allow_private_hosts | frozenset(args.allow_host),
        per_host_delay=args.delay,
        per_host_concurrency=args.per_host,
        total_timeout=args.timeout,
    )


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    """Find the feed for a URL and follow it."""
    if web_url(args.url) is None:
        print(f"cannot add {args.url[:200]!r}: not an http(s) URL", file=sys.stderr)
        return 1
    try:
        found = asyncio.run(_discover(fetch_options(args, settings), args.url))
    except FetchError as error:
        print(f"cannot add {args.url}: {error}", file=sys.stderr)
        return 1
    store = open_store(settings.db_url)
    try:
        taken = {s.slug for s in store.list_sources() if s.feed_url != found.feed_url}
        slug = args.slug or slug_for(found.feed_url, taken)
        options: dict[str, object] = {}
        if args.interval:
            options["interval"] = args.interval
        if args.trust_feed_content:
            options["trust_feed_content"] = True
        name = display_form(args.name or found.feed.title or "") or slug
        source = Source(slug=slug, name=name, feed_url=found.feed_url, site_url=found.site_url)
        store.upsert_source(source, options or None)
    finally:
        store.close()
    print(f"{slug}: {name} <{found.feed_url}> ({len(found.feed.entries)} entries now)")
    return 0


async def _discover(options: FetchOptions, url: str):  # type: ignore[no-untyped-def]
    """Discover a feed with a fetcher of its own."""
    async with Fetcher(options) as fetcher:
        return await discover(fetcher, url)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every source with its health."""
    store = open_store(settings.db_url)
    try:
        rows = [health_row(s) for s in store.list_sources()]
    finally:
        store.close()
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    print(f"{'slug':<14} {'articles':>8} {'errors':>6}  {'last fetch':<19}  last status")
    for row in rows:
        when = (row["last_fetch_at"] or "never")[:19]
        follow = "" if row["feed_url"] else " (not followed)"
        print(
            f"{row['slug']:<14} {row['articles']:>8} {row['consecutive_errors']:>6}  "
            f"{when:<19}  {row['last_status'] or '-'}{follow}"
        )
    return 0


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Stop following a source."""
    store = open_store(settings.db_url)
    try:
        removed = store.remove_source(args.slug)
    finally:
        store.close()
    print(f"removed {args.slug}" if removed else f"no source {args.slug}")
    return 0 if removed else 1


def run_import_opml(args: argparse.Namespace, settings: Settings) -> int:
    """Follow every feed listed in an OPML file or URL."""
    try:
        feeds = asyncio.run(_read_opml(fetch_options(args, settings), args.location))
    except (FetchError, OSError) as error:
        print(f"cannot read {args.location}: {error}", file=sys.stderr)
        return 1
    store = open_store(settings.db_url)
    try:
        _add_feeds(store, feeds)
    finally:
        store.close()
    return 0


async def _read_opml(options: FetchOptions, location: str) -> list[OpmlFeed]:
    """The feeds of an OPML document at a URL or a path."""
    if location.startswith(("http://", "https://")):
        async with Fetcher(options) as fetcher:
            result = await fetcher.fetch(location)
        return parse_opml(result.body, result.final_url)
    return parse_opml(Path(location).read_bytes())


def _add_feeds(store: Storage, feeds: list[OpmlFeed]) -> None:
    """Follow each feed under a fresh slug (a feed already followed keeps its own)."""
    existing = {s.feed_url: s.slug for s in store.list_sources() if s.feed_url}
    taken = {s.slug for s in store.list_sources()}
    followed = 0
    for feed in feeds:
        # The rule `sources add` applies: only an http(s) URL that parses is followed.
        xml_url = web_url(feed.xml_url)
        if xml_url is None:
            print(f"refused {feed.xml_url[:200]!r}: not an http(s) URL", file=sys.stderr)
            continue
        slug = existing.get(xml_url) or slug_for(xml_url, taken)
        taken.add(slug)
        title = display_form(feed.title) or slug
        store.upsert_source(Source(slug, title, xml_url, web_url(feed.html_url)))
        print(f"{slug}: {title} <{xml_url}>")
        followed += 1
    print(
        f"{followed} feeds followed"
        + (f", {len(feeds) - followed} refused" if followed < len(feeds) else "")
    )


def run_export_opml(args: argparse.Namespace, settings: Settings) -> int:
    """Print the followed feeds as OPML."""
    store = open_store(settings.db_url)
    try:
        feeds = [
            OpmlFeed(s.feed_url, s.name, s.site_url) for s in store.list_sources() if s.feed_url
        ]
    finally:
        store.close()
    sys.stdout.write(write_opml(feeds))
    return 0


def follow_options(args: argparse.Namespace, settings: Settings) -> FollowOptions:
    """Follow options from the settings and the command line."""
    interval = getattr(args, "interval", None) or 900.0
    return FollowOptions(interval=interval, max_new_entries=settings.limits.max_new_entries)


def run_fetch(args: argparse.Namespace, settings: Settings) -> int:
    """Fetch every source once and print what each did."""
    from marsad.cli.library import build_enricher

    store = open_store(settings.db_url)
    try:
        enricher = None if args.no_enrich else build_enricher(store)
        printer = None if args.quiet else (lambda r: print(describe(r), flush=True))
        reports = asyncio.run(
            _fetch_once(
                store,
                fetch_options(args, settings),
                follow_options(args, settings),
                enricher,
                args.source,
                printer,
            )
        )
    finally:
        store.close()
    stored = sum(r.stored for r in reports)
    failed = sum(not r.ok for r in reports)
    print(f"{len(reports)} sources, {stored} new articles, {failed} sources failed")
    return 0


def run_follow(args: argparse.Namespace, settings: Settings) -> int:
    """Follow every source on its schedule until SIGINT or SIGTERM."""
    from marsad.cli.library import build_enricher

    store = open_store(settings.db_url)
    try:
        enricher = None if args.no_enrich else build_enricher(store)
        printer = None if args.quiet else (lambda r: print(describe(r), flush=True))
        fetching = fetch_options(args, settings)
        asyncio.run(_follow(store, fetching, follow_options(args, settings), enricher, printer))
    finally:
        store.close()
    print("stopped")
    return 0


async def _fetch_once(
    store: Storage,
    fetching: FetchOptions,
    options: FollowOptions,
    enricher: EnrichStage | None,
    slugs: Sequence[str] | None,
    printer: Callable[[SourceReport], None] | None,
) -> list[SourceReport]:
    """fetch_once with a fetcher of these options."""
    async with Fetcher(fetching) as fetcher:
        return await fetch_once(store, fetcher, options, enricher, slugs, printer)


async def _follow(
    store: Storage,
    fetching: FetchOptions,
    options: FollowOptions,
    enricher: EnrichStage | None,
    printer: Callable[[SourceReport], None] | None,
) -> None:
    """run_forever with SIGINT and SIGTERM setting the stop event."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Fetcher(fetching) as fetcher:
        await run_forever(store, fetcher, options, stop, enricher, printer)


def run_extract(args: argparse.Namespace, settings: Settings) -> int:
    """Extract one saved page and print the article."""
    from marsad.ingest.charset import decode
    from marsad.ingest.extract import extract
    from marsad.ingest.rules import rules_for

    url = args.url or args.file.resolve().as_uri()
    try:
        html = decode(args.file.read_bytes()).text
        found = extract(html, url, rules_for(url))
    except (OSError, FetchError, ValueError) as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 1
    cleaned = _cleaned(found, args.source, settings)
    if args.json:
        data = found.as_json()
        data["cleaning"] = cleaned
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(found.title)
    when = found.published_at.isoformat() if found.published_at else "-"
    byline = " / ".join(str(cleaned[k]) for k in ("author", "dateline", "credit") if cleaned[k])
    print(f"{byline or '-'} | {when} | {found.url}")
    print()
    print(cleaned["reading_text"])
    for removal in cleaned["removed"]:
        print(f"\n[removed at the {removal['where']}: {removal['reason']}]\n{removal['text']}")
    return 0


def _cleaned(found: Extracted, source: str | None, settings: Settings) -> dict[str, Any]:
    """What the cleaning stage makes of an extracted page: the reading text, the byline, and
    what was removed and why (with the source's learned furniture when one is named)."""
    from marsad.ingest.cleaning import clean_article
    from marsad.ingest.learned_furniture import SourceFurniture
    from marsad.models import Article, RawArticle
    from marsad.pipeline import Cleaner, normalize

    raw = RawArticle(
        url=found.url,
        source=source or "page",
        title=found.title,
        text=found.text,
        author=found.author,
        image=found.image,
    )
    article = normalize(raw)
    if not isinstance(article, Article):
        return {
            "reading_text": "",
            "removed": [],
            "author": None,
            "dateline": None,
            "credit": None,
            "brief": True,
            "learned_from": 0,
        }
    state = SourceFurniture()
    if source:
        store = open_store(settings.db_url)
        try:
            cleaner = Cleaner.load(store)
            state = cleaner.state(source)
            name = next((s.name for s in store.list_sources() if s.slug == source), None)
            article = replace(article, source_name=name)
        finally:
            store.close()
    article = clean_article(article, state)
    return {
        "reading_text": article.text,
        "removed": [
            {"text": r.text, "where": r.where, "reason": r.reason} for r in article.removed
        ],
        "author": article.author,
        "dateline": article.dateline,
        "credit": article.credit,
        "brief": article.brief,
        "learned_from": state.seen,
    }


def run_replay(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the corpus files as news sites until interrupted."""
    from marsad.replay.server import (
        Catalogue,
        ReplayConfig,
        ReplayServer,
        load_articles,
        parse_misbehaviour,
    )

    try:
        misbehave = parse_misbehaviour(args.misbehave)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    config = ReplayConfig(
        speed=args.speed,
        misbehave=misbehave,
        slow_seconds=args.slow_seconds,
        feed_limit=args.feed_limit,
    )
    records = load_articles(args.paths)
    server = ReplayServer((args.host, args.port), Catalogue(records, config))
    sites = len(server.catalogue.sites)
    print(f"serving {len(records)} articles as {sites} sites at {server.base_url}/", flush=True)
    print(f"feeds: {server.base_url}/sources.opml", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the publisher the way Ctrl-C does."""
    raise KeyboardInterrupt
