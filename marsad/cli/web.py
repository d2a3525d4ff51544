"""`marsad serve` and `marsad demo`: the web site, alone or with the replay publisher and fetcher."""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
from pathlib import Path

from marsad.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the serve and demo subcommands."""
    p = subparsers.add_parser("serve", help="serve the web site, JSON API and feeds")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--timezone", default="Asia/Riyadh", help="time zone of shown times")
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes, each with its own store connections (default 1; one per core)",
    )
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
    from uvicorn.supervisors import Multiprocess

    from marsad.store import open_store
    from marsad.web import create_app
    from marsad.web.app import ZONE_ENV

    options = {"host": args.host, "port": args.port, "log_level": "info"}
    if args.workers <= 1:
        app = create_app(settings, zone=args.timezone)
        uvicorn.run(app, access_log=args.access_log, **options)
        return 0
    # Migrate once here, so the worker processes do not race each other to do it; each worker
    # then builds its own app (settings and zone from the environment it inherits).
    open_store(settings.db_url).close()
    os.environ[ZONE_ENV] = args.timezone
    config = uvicorn.Config(
        "marsad.web.app:app_from_env",
        factory=True,
        workers=args.workers,
        access_log=args.access_log,
        **options,
    )
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[tcp_socket(args.host, args.port)]).run()
    return 0


def tcp_socket(host: str, port: int) -> socket.socket:
    """The listening socket the worker processes share.

    Made with IPPROTO_TCP (uvicorn's own has protocol 0), so that asyncio sets TCP_NODELAY on
    the connections it accepts: without it small responses wait ~40 ms for delayed ACKs.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Start the replay publisher (or live feeds), the fetch loop and the site; stop them on ^C."""
    from marsad.cli.demo import LIVE_OPML, DemoPlan, run

    plan = DemoPlan(
        corpus=list(args.paths) or [settings.shared_dir / "corpus" / "saudinewsnet"],
        opml=str(LIVE_OPML) if args.live else args.opml,
        speed=args.speed,
        web_port=args.port,
        replay_port=args.replay_port,
    )
    return run(plan, settings)
