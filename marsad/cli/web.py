"""`marsad serve` and `marsad demo`: the web site, alone or with the replay publisher and fetcher."""

from __future__ import annotations

import argparse
from pathlib import Path

from marsad.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the serve and demo subcommands."""
    p = subparsers.add_parser("serve", help="serve the web site, JSON API and feeds")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--timezone", default="Asia/Riyadh", help="time zone of shown times")
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.set_defaults(func=run_serve)

    p = subparsers.add_parser(
        "demo", help="replay the shared corpus as live sites, fetch it, and serve the site"
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="corpus files or folders")
    p.add_argument("--opml", help="follow the feeds of this OPML (file or URL) instead")
    p.add_argument(
        "--live", action="store_true", help="follow the bundled OPML of real Arabic news feeds"
    )
    p.add_argument("--speed", type=float, default=600.0, help="replay speed (default 600x)")
    p.add_argument("--port", type=int, default=8000, help="web site port (default 8000)")
    p.add_argument("--replay-port", type=int, default=8765, help="replay publisher port")
    p.set_defaults(func=run_demo)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the site with uvicorn until interrupted."""
    import uvicorn

    from marsad.web import create_app

    app = create_app(settings, zone=args.timezone)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=args.access_log)
    return 0


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Start the replay publisher (or live feeds), the fetch loop and the site; stop them on ^C."""
    from marsad.web.demo import LIVE_OPML, DemoPlan, run

    plan = DemoPlan(
        corpus=list(args.paths) or [settings.shared_dir / "corpus" / "saudinewsnet"],
        opml=str(LIVE_OPML) if args.live else args.opml,
        speed=args.speed,
        web_port=args.port,
        replay_port=args.replay_port,
    )
    return run(plan, settings)
