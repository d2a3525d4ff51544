"""Furniture, bylines and briefs on corpus days: the publisher's text before, the reading text after.

    .venv/bin/python bench/furniture.py [--days 2015-07-25 2015-08-09] [--stories] [--shared ../shared]

For each day, every article goes through normalize (the publisher's text: "before"), through
the baseline (the data-file furniture of `marsad.ingest.furniture.clean_paragraphs`, the rules
marsad had), and through the cleaning stage learning online from an empty state ("online":
what a first run stores), then cleaned again with what the day taught ("reclean": what
`marsad reclean` stores). Furniture is counted by fixed detectors written for this measure,
not by the learned templates: the link line «رابط الخبر», a closing «سمات» tag list, the
columnists' SMS block, and a start byline naming the paper («سبق- الرياض:»). Article
summaries (`summarize`) are checked for a link line or a «سبق-» byline. Briefs are counted.
With --stories each day is also imported whole (cleaning learning online, enrichment) and its
multi-source story summaries are checked the same way, and no brief may lead a story.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from marsad.enrich.summary import summarize
from marsad.ingest.cleaning import clean_article
from marsad.ingest.furniture import clean_paragraphs, fold
from marsad.ingest.importers import read_records
from marsad.models import Article
from marsad.pipeline import Cleaner, normalize

DETECTORS = ("link line", "tag list", "sms block", "start byline")
_LINK = re.compile(r"رابط الخبر")
_SMS = re.compile(r"للتواصل مع الكاتب")
_SABQ = re.compile(r"سبق\s*[-–ـ]")


def furniture_found(text: str, paper: str) -> set[str]:
    """Which furniture the fixed detectors see in a text."""
    found = set()
    tail = text[-400:]
    if _LINK.search(tail):
        found.add("link line")
    last = re.split(r"[.!?؟\n]", text.rstrip())[-1]
    if fold(last).strip().startswith("سمات"):
        found.add("tag list")
    if _SMS.search(tail):
        found.add("sms block")
    head = fold(" ".join(text.split()[:12]))
    name = re.escape(fold(paper))
    if paper and re.search(rf"(^|[-–ـ:]\s*){name}\s*([-–ـ:]|$)|[-–ـ]\s*{name}\b", head):
        found.add("start byline")
    return found


def summary_furniture(text: str, title: str) -> set[str]:
    """A link line or a «سبق-» byline in an article's summary."""
    summary = summarize(text, title)
    found = set()
    if _LINK.search(summary):
        found.add("link line")
    if _SABQ.search(summary):
        found.add("byline")
    return found


def baseline(article: Article) -> str:
    """The text after the data-file furniture rules alone."""
    return "\n\n".join(clean_paragraphs(article.text.split("\n"), article.author, article.title))


def run_day(path: Path) -> None:
    """Measure one day and print its table."""
    articles = [a for r in read_records(path) if not hasattr(r, "reason") for a in [normalize(r)]]
    articles = [a for a in articles if isinstance(a, Article)]
    started = time.perf_counter()
    cleaner = Cleaner()
    online = [cleaner.learn_and_clean(a) for a in articles]
    clean_s = time.perf_counter() - started
    started = time.perf_counter()
    base = [baseline(a) for a in articles]
    base_s = time.perf_counter() - started
    reclean = [cleaner_state_clean(cleaner, a) for a in articles]  # what the whole day taught
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for a, b, o, r in zip(articles, base, online, reclean, strict=True):
        paper = a.source_name or ""
        rows[a.source]["articles"] += 1
        for stage, text in (
            ("before", a.text),
            ("baseline", b),
            ("online", o.text),
            ("reclean", r.text),
        ):
            if furniture_found(text, paper):
                rows[a.source][stage] += 1
                totals[stage] += 1
        rows[a.source]["briefs"] += r.brief
        totals["briefs"] += r.brief
    totals["articles"] = len(articles)
    print(f"\n== {path.name}: {len(articles)} articles")
    print(
        f"{'source':14} {'articles':>8} {'before':>7} {'baseline':>8} {'online':>7} {'reclean':>7} {'briefs':>6}"
    )
    for source, row in sorted(rows.items()):
        print(
            f"{source:14} {row['articles']:8} {row['before']:7} {row['baseline']:8} "
            f"{row['online']:7} {row['reclean']:7} {row['briefs']:6}"
        )
    print(
        f"{'all':14} {totals['articles']:8} {totals['before']:7} {totals['baseline']:8} "
        f"{totals['online']:7} {totals['reclean']:7} {totals['briefs']:6}"
    )
    kinds: dict[str, Counter[str]] = {"before": Counter(), "reclean": Counter()}
    for a, r in zip(articles, reclean, strict=True):
        for kind in furniture_found(a.text, a.source_name or ""):
            kinds["before"][kind] += 1
        for kind in furniture_found(r.text, a.source_name or ""):
            kinds["reclean"][kind] += 1
    for kind in DETECTORS:
        print(
            f"  {kind:13} before {kinds['before'][kind]:5}  after reclean {kinds['reclean'][kind]:5}"
        )
    sums_before: Counter[str] = Counter()
    sums_after: Counter[str] = Counter()
    for a, r in zip(articles, reclean, strict=True):
        if a.source not in ("alweeam", "sabq"):
            continue  # the two papers whose furniture reaches summaries
        sums_before.update(summary_furniture(a.text, a.title))
        if not r.brief:
            sums_after.update(summary_furniture(r.text, r.title))
    print(
        f"  article summaries (alweeam+sabq) with a link line: {sums_before['link line']} -> "
        f"{sums_after['link line']}; with a «سبق-» byline: {sums_before['byline']} -> "
        f"{sums_after['byline']}"
    )
    authors = Counter()
    for r in reclean:
        authors["author"] += r.author is not None
        authors["dateline"] += r.dateline is not None
        authors["credit"] += r.credit is not None
        authors["trailing punctuation"] += bool(r.author and not r.author[-1].isalnum())
    print(f"  bylines read: {dict(authors)}")
    print(
        f"  time: cleaning (learning online) {clean_s:.2f} s, baseline data-file rules "
        f"{base_s:.2f} s, ratio {clean_s / max(base_s, 1e-9):.2f}x"
    )
    for source, state in sorted(cleaner.states.items()):
        learned = state.learned()
        for where, shapes in learned.templates.items():
            for shape, share in sorted(shapes.items(), key=lambda x: -x[1])[:4]:
                print(f"  learned {source:12} {where:5} {share:4.0%}  {' '.join(shape)}")


def cleaner_state_clean(cleaner: Cleaner, article: Article) -> Article:
    """Clean an article again with its source's state as the whole day left it."""
    return clean_article(article, cleaner.state(article.source), cleaner.settings)


def stories_of_day(path: Path) -> None:
    """Import one day through the whole pipeline (cleaning, enrichment) into a fresh store and
    check its multi-source story summaries and leads."""
    import tempfile

    from sqlalchemy import column, select, table

    from marsad.enrichment_runner import start_enrichment
    from marsad.pipeline import ingest
    from marsad.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/day.db")
        ingest(store, read_records(path), start_enrichment(store))
        stories = table(
            "stories", column("source_count"), column("summary"), column("lead_article_id")
        )
        with store.engine.connect() as conn:
            rows = conn.execute(select(stories).where(stories.c.source_count >= 2)).all()
        briefs = {a.id for a in store.iter_articles() if a.article.brief}
        link = sum(bool(_LINK.search(r.summary or "")) for r in rows)
        byline = sum(bool(_SABQ.search(r.summary or "")) for r in rows)
        leads = sum(r.lead_article_id in briefs for r in rows)
        print(
            f"  {path.name}: {len(rows)} multi-source stories; summaries with a link line "
            f"{link}, with a «سبق-» byline {byline}; briefs leading a story {leads}"
            f" (briefs stored: {len(briefs)})"
        )
        store.close()


def main() -> None:
    """Parse arguments and measure each day."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--days", nargs="+", default=["2015-07-25", "2015-08-09"])
    parser.add_argument(
        "--stories", action="store_true", help="also import each day whole and check stories"
    )
    args = parser.parse_args()
    for day in args.days:
        run_day(args.shared / "corpus" / "saudinewsnet" / f"{day}.zip")
    if args.stories:
        print("\n== stories after the whole pipeline (cleaning learning online)")
        for day in args.days:
            stories_of_day(args.shared / "corpus" / "saudinewsnet" / f"{day}.zip")


if __name__ == "__main__":
    main()
