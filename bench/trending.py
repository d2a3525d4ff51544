"""Trending («الأكثر تداولًا») on two corpus days against the editor's topics, beside raw counts.

    .venv/bin/python bench/trending.py [--shared ../shared] [--before 3]

For each day of bench/gold/trending.json, the `--before` corpus days before it and then the day
are imported into a fresh SQLite store with the whole pipeline (`marsad.pipeline.ingest`, as
`marsad import` runs it); the trending list is then asked for at the end of the day. Printed:
how many of the editor's ten topics are in the first 20, and how many never-phrases are shown,
for marsad's burst ranking and, as the plain baseline, the most frequent tags of the last 24
hours (what marsad showed before). A topic counts when an entry equals one of its forms or
holds one (both in the gold's tag form: see bench/gold/README.md). For each topic missed: how
many window articles carry one of its forms (none: the keyphrases lack it), in how many
stories (many small ones: the stories are fragmented), its rank in the first 100, and its most
carried tag's burst and whether the store's counts call that tag evergreen.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import column, func, select, table

from marsad.arabic.normalize import matching_form
from marsad.enrichment_runner import EnrichmentRunner
from marsad.ingest.importers import read_records, source_names
from marsad.pipeline import ingest
from marsad.store import Store, open_store, utc_naive

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "bench" / "gold" / "trending.json"
_PUNCTUATION_RE = re.compile(r"[^\w\s]")
_CLITICS_RE = re.compile(r"^(?:[وفبل]?ال|لل|[وف]?[بل](?=\w{3}))")


def tag_form(phrase: str) -> str:
    """The gold's comparison form: matching form, punctuation gone, article and clitic off."""
    words = _PUNCTUATION_RE.sub(" ", matching_form(phrase)).split()
    return " ".join(_CLITICS_RE.sub("", w) if len(w) > 3 else w for w in words)


def holds(entry: str, form: str) -> bool:
    """Whether the entry is the form or holds it as whole words."""
    return f" {form} " in f" {entry} "


def raw_counts(store: Store, limit: int) -> list[str]:
    """The baseline: tags carried by the most articles of the last 24 hours."""
    since = utc_naive(store.reference_time() - timedelta(hours=24))
    # The columns this count reads, named here (the store's schema module is the store's own).
    articles = table("articles", column("id"), column("published_at"))
    keyphrases = table("keyphrases", column("id"), column("display"))
    article_keyphrases = table("article_keyphrases", column("article_id"), column("keyphrase_id"))
    n = func.count(func.distinct(articles.c.id)).label("n")
    stmt = (
        select(keyphrases.c.display, n)
        .select_from(articles)
        .join(article_keyphrases, article_keyphrases.c.article_id == articles.c.id)
        .join(keyphrases, keyphrases.c.id == article_keyphrases.c.keyphrase_id)
        .where(articles.c.published_at >= since)
        .group_by(keyphrases.c.id, keyphrases.c.display)
        .order_by(n.desc(), keyphrases.c.display)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [display for display, _ in conn.execute(stmt)]


def window_tags(store: Store) -> list[tuple[str, int, int | None]]:
    """The last 24 hours' tag links: (tag, article, story), copies and briefs left out."""
    since = utc_naive(store.reference_time() - timedelta(hours=24))
    articles = table(
        "articles",
        column("id"),
        column("published_at"),
        column("story_id"),
        column("duplicate_of"),
        column("brief"),
    )
    keyphrases = table("keyphrases", column("id"), column("display"))
    article_keyphrases = table("article_keyphrases", column("article_id"), column("keyphrase_id"))
    stmt = (
        select(keyphrases.c.display, articles.c.id, articles.c.story_id)
        .select_from(articles)
        .join(article_keyphrases, article_keyphrases.c.article_id == articles.c.id)
        .join(keyphrases, keyphrases.c.id == article_keyphrases.c.keyphrase_id)
        .where(
            articles.c.published_at >= since,
            articles.c.duplicate_of.is_(None),
            articles.c.brief.is_(False),
        )
    )
    with store.engine.connect() as conn:
        return [(d, a, s) for d, a, s in conn.execute(stmt)]


def stored_counts(store: Store) -> tuple[dict[str, int], int]:
    """The store's document frequency: articles carrying each tag (by display form), and how
    many stored articles have tags (`keyphrase_totals`)."""
    keyphrases = table("keyphrases", column("display"), column("documents"))
    totals = table("keyphrase_totals", column("articles"))
    with store.engine.connect() as conn:
        documents = {
            d: int(n) for d, n in conn.execute(select(keyphrases.c.display, keyphrases.c.documents))
        }
        total = int(conn.execute(select(totals.c.articles)).scalar() or 0)
    return documents, total


def burst_line(
    hits: list[tuple[str, int]],
    tagged: list[tuple[str, int, int | None]],
    counts: tuple[dict[str, int], int],
) -> str:
    """The burst of the topic's most carried tag, as trending reckons it for one spelling (its
    window articles' share over its share of the articles before), and whether the store's
    counts call it evergreen (on 1% or more of the articles before, a burst from 0.5 to 2.5)."""
    if not hits:
        return ""
    by_tag: dict[str, set[int]] = {}
    for d, a in hits:
        by_tag.setdefault(d, set()).add(a)
    tag = max(sorted(by_tag), key=lambda d: len(by_tag[d]))
    documents, total = counts
    window = len({a for _, a, _ in tagged})
    before = max(total - window, 1)
    earlier = max(documents.get(tag, 0) - len(by_tag[tag]), 0)
    burst = (len(by_tag[tag]) / window) / ((earlier + 1) / (before + 1))
    evergreen = earlier >= 0.01 * before and 0.5 <= burst < 2.5
    verdict = ", evergreen by the store's counts" if evergreen else ""
    return (
        f"; its most carried tag «{tag}»: {len(by_tag[tag])} window articles, on "
        f"{100 * earlier / before:.1f}% of those before, burst {burst:.2f}{verdict}"
    )


def why_missed(
    topic: dict,
    deeper: list[str],
    tagged: list[tuple[str, int, int | None]],
    counts: tuple[dict[str, int], int],
) -> str:
    """Why an editor's topic is not in the first 20: no article tagged with one of its forms
    (keyphrases), its articles spread over many stories (stories), its tag evergreen by the
    store's counts or not bursting, or ranked below 20."""
    forms = [tag_form(f) for f in [topic["topic"], *topic["forms"]]]
    hits = [(a, s) for d, a, s in tagged if any(holds(tag_form(d), f) for f in forms)]
    carried = [(d, a) for d, a, _ in tagged if any(holds(tag_form(d), f) for f in forms)]
    n_articles = len({a for a, _ in hits})
    by_story: dict[int | None, set[int]] = {}
    for a, s in hits:
        by_story.setdefault(s, set()).add(a)
    biggest = max((len(v) for k, v in by_story.items() if k is not None), default=0)
    rank = next(
        (i + 1 for i, e in enumerate(deeper) if any(holds(tag_form(e), f) for f in forms)), None
    )
    where = f"ranked {rank}" if rank else "not in the first 100"
    return (
        f"{topic['topic']}: {n_articles} window articles carry a form, in "
        f"{len(by_story)} stories (biggest {biggest}); {where}"
        + burst_line(carried, tagged, counts)
    )


def judge(shown: list[str], topics: list[dict], never: set[str]) -> tuple[int, list[str], list]:
    """Editor's topics found among the entries, the never-phrases shown, and which matched."""
    entries = [tag_form(e) for e in shown]
    found = []
    for topic in topics:
        forms = [tag_form(f) for f in [topic["topic"], *topic["forms"]]]
        if any(holds(e, f) for e in entries for f in forms):
            found.append(topic["topic"])
    bad = [e for e, f in zip(shown, entries, strict=True) if f in never]
    return len(found), bad, found


def run_day(
    shared: Path, day: str, before: int, spec: dict, never: set[str], keep: Path | None
) -> None:
    """Import the days before and the day (or reuse a kept store), then judge both lists."""
    corpus = shared / "corpus" / "saudinewsnet"
    days = sorted(p.stem for p in corpus.glob("*.zip"))
    index = days.index(day)
    files = [corpus / f"{d}.zip" for d in days[max(0, index - before) : index + 1]]
    names = source_names()
    with tempfile.TemporaryDirectory() as tmp:
        db = keep / f"trend-{day}.db" if keep else Path(tmp) / "trend.db"
        reuse = db.exists()
        store = open_store(f"sqlite:///{db}")
        start = time.perf_counter()
        imported = 0
        if not reuse:
            enricher = EnrichmentRunner()
            enricher.warm(store)
            for path in files:
                imported += ingest(store, read_records(path, names), enricher).imported
        else:
            imported = store.counts()["articles"]
        took = time.perf_counter() - start
        start = time.perf_counter()
        trends = store.trending_tags(24, 20)
        trend_ms = 1000 * (time.perf_counter() - start)
        baseline = raw_counts(store, 20)
        deeper = [t.display for t in store.trending_tags(24, 100)]
        tagged = window_tags(store)
        counts = stored_counts(store)
        store.close()
    label = "held out" if spec.get("held_out") else "tuning"
    print(
        f"\n{day} ({label}): {imported} articles of {', '.join(p.stem for p in files)} "
        f"imported in {took:.0f} s; trending in {trend_ms:.0f} ms"
    )
    for name, shown in (("marsad burst", [t.display for t in trends]), ("raw counts", baseline)):
        hits, bad, found = judge(shown, spec["topics"], never)
        print(f"  {name:12} topics in first 20: {hits}/10   never-phrases shown: {len(bad)} {bad}")
        print("    " + " · ".join(shown))
        print("    found: " + ", ".join(found))
    for t in trends[:20]:
        print(
            f"    {t.display} [{t.kind}] articles={t.articles} sources={t.sources} burst={t.burst}"
        )
    _, _, found = judge([t.display for t in trends], spec["topics"], never)
    for topic in spec["topics"]:
        if topic["topic"] not in found:
            print("  missed " + why_missed(topic, deeper, tagged, counts))


def main() -> None:
    """Judge both gold days."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--before", type=int, default=3, help="corpus days imported before")
    parser.add_argument("--day", action="append", help="only this gold day (repeatable)")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the day's store in this folder")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    never = {tag_form(p) for p in gold["never"]}
    for day, spec in gold["days"].items():
        if args.day and day not in args.day:
            continue
        run_day(args.shared, day, args.before, spec, never, args.keep)


if __name__ == "__main__":
    main()
