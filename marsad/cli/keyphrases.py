"""`marsad keyphrases`: print the keyphrases of a text file, one a line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from marsad.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the keyphrases subcommand."""
    p = subparsers.add_parser("keyphrases", help="print the keyphrases of a text file")
    p.add_argument("file", metavar="FILE", help="a UTF-8 text file, or - for stdin")
    p.add_argument("--top", type=int, default=10, help="how many keyphrases (default 10)")
    p.add_argument("--title", default="", help="the article's headline, if not in the file")
    p.add_argument(
        "--store-df",
        action="store_true",
        help="weigh words by their document frequencies over the stored articles (slower)",
    )
    p.set_defaults(func=run_keyphrases)


def run_keyphrases(args: argparse.Namespace, settings: Settings) -> int:
    """Read the file (or stdin), extract keyphrases and print them."""
    from marsad.enrich.keyphrases import DocumentFrequencies, extract_keyphrases

    if args.top < 1:
        print("--top must be at least 1", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    df: DocumentFrequencies | None = None
    if args.store_df:
        from marsad.store import open_store

        store = open_store(settings.db_url)
        try:
            df = DocumentFrequencies.from_texts(
                (a.article.title, a.article.text) for a in store.iter_articles()
            )
        finally:
            store.close()
    for phrase in extract_keyphrases(args.title, text, top=args.top, df=df):
        print(phrase)
    return 0
