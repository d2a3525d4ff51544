"""The `marsad` command: a thin argparse front over the package, one module per command group."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module exposes register(subparsers); its subcommands set `func(args, settings) -> int`.
MODULES: tuple[str, ...] = (
    "library",
    "migrate",
    "workers",
    "web",
    "keyphrases",
    "ingest",
    "clean",
    "users",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every command group registered."""
    parser = argparse.ArgumentParser(prog="marsad", description="Arabic-first news aggregator.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in MODULES:
        module = importlib.import_module(f"marsad.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the marsad command line and return its exit status."""
    from marsad.settings import Settings

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:  # a bad MARSAD_* value, named in the message
        print(f"marsad: {error}", file=sys.stderr)
        return 2
    try:
        status: int = args.func(args, settings)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
