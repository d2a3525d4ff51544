"""`marsad reclean`: clean stored articles again with what each source's furniture taught."""

from __future__ import annotations

import argparse
import sys

from marsad.enrichment_runner import start_enrichment
from marsad.ingest.cleaning import clean_article
from marsad.models import Article
from marsad.pipeline import Cleaner
from marsad.settings import Settings
from marsad.store import Storage, open_store

BATCH = 500


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the reclean subcommand."""
    p = subparsers.add_parser(
        "reclean",
        help="clean stored articles again with the learned furniture, then enrich them again",
    )
    p.add_argument("--source", default=None, help="only this source's articles (slug)")
    p.add_argument("--no-enrich", action="store_true", help="clean only, do not enrich again")
    p.set_defaults(func=run_reclean)


def run_reclean(args: argparse.Namespace, settings: Settings) -> int:
    """Re-clean the stored articles and, when any changed, enrich every article again."""
    store = open_store(settings.db_url)
    try:
        changed, seen = reclean(store, args.source)
        print(f"articles read: {seen}\narticles cleaned again: {changed}")
        if changed and not args.no_enrich:
            store.reset_enrichment()
            start_enrichment(store)
            print("enrichment: done again over every article")
    finally:
        store.close()
    return 0


def reclean(store: Storage, source: str | None = None) -> tuple[int, int]:
    """Clean every stored article (of one source) again from the publisher's text; store those
    whose reading text, byline or brief mark changed. Return (changed, read)."""
    cleaner = Cleaner.load(store)
    # A source with nothing learned yet (articles stored before cleaning existed) learns from
    # its stored articles, the publisher's text, first.
    fresh = {slug for slug, state in cleaner.states.items() if state.seen == 0}
    for article in (stored.article for stored in store.iter_articles()):
        if (source is None or article.source == source) and (
            article.source in fresh or article.source not in cleaner.states
        ):
            fresh.add(article.source)
            cleaner.state(article.source).observe(article.publisher_text, article.title)
            cleaner.changed.add(article.source)
    cleaner.save(store)
    batch: list[tuple[int, Article]] = []
    changed = seen = 0
    for stored in store.iter_articles():
        before = stored.article
        if source is not None and before.source != source:
            continue
        seen += 1
        again = clean_article(before, cleaner.state(before.source), cleaner.settings)
        if _differs(before, again):
            batch.append((stored.id, again))
        if len(batch) >= BATCH:
            store.update_cleaning(batch)
            changed += len(batch)
            batch = []
    store.update_cleaning(batch)
    changed += len(batch)
    if seen == 0:
        print("no stored articles to clean", file=sys.stderr)
    return changed, seen


def _differs(before: Article, again: Article) -> bool:
    """Whether cleaning again changed what readers and the stages see."""
    return (before.text, before.author, before.dateline, before.credit, before.brief) != (
        again.text,
        again.author,
        again.dateline,
        again.credit,
        again.brief,
    )
