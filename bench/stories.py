"""Stories on the read gold days: B-cubed and pairwise scores beside a TF-IDF baseline.

    .venv/bin/python bench/stories.py [--shared ../shared] [--day DAY ...] [--big 10]
    .venv/bin/python bench/stories.py --read DAY [--big 20]   # a non-gold day, for reading

For each gold day (bench/gold/stories_<day>_labels.json; 2015-08-07 and 2015-08-02 are
development days, 2015-07-24 is held back from tuning and reported on its own), marsad's
enrichment (no store)
runs over that day's articles in publish order, and prints:
- B-cubed precision/recall/F1 and pairwise precision/recall/F1 over the judged seeds (how they
  are computed over seed-centred judgments: see bench/story_gold.py);
- the baseline on the same seeds in the same run: a seed's cluster is its judged candidates
  whose TF-IDF cosine with it is >= 0.3 (sublinear TF-IDF over stems of title and lead, the
  vectors the pools were drawn with);
- the share of cross-source pairs with word-3-shingle Jaccard >= 0.5 in one story (copies
  kept together, target >= 0.90), and the day's largest story with its share of the day;
- with --big N, every story of N+ articles with its titles, for reading whether it mixes events.
With --read DAY (any corpus day, gold or not) it scores nothing: the same enrichment runs over
that day and prints its largest story and every story of --big N+ articles (20 by default), the
way runaway stories are looked for on days nobody tuned on.
Targets (issue 11): B-cubed F1 >= 0.92 with precision >= 0.93, pairwise F1 >= 0.60, and
B-cubed F1 at least 0.05 above the baseline.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from shingle_pairs import load_days, published, shingle_set, similar_pairs
from story_gold import gold_days, load_gold, score

from marsad.enrich.enricher import Enricher
from marsad.models import Article

HELD_BACK = "2015-07-24"
BASELINE_COSINE = 0.3


def run_marsad(articles: list[Article]) -> tuple[list[int], float]:
    """Story of every article (by index) when enriched in publish order, and the seconds."""
    enricher = Enricher()
    counter = itertools.count(1)
    stories: dict[int, int] = {}
    start = time.perf_counter()
    for first in range(0, len(articles), 200):
        batch = list(enumerate(articles[first : first + 200], first))
        for article_id, found in enricher.process(batch, lambda item: next(counter)).enrichments:
            stories[article_id] = found.story_id or -article_id - 1
    # Stories merged in a later pass: every article ends in the surviving story.
    final_of = getattr(enricher.clusterer, "final_story", lambda s: s)
    final = [final_of(stories[i]) for i in range(len(articles))]
    return final, time.perf_counter() - start


def day_articles(shared: Path, day: str) -> list[Article]:
    """One corpus day's normalized articles in publish order."""
    names = sorted(p.stem for p in (shared / "corpus" / "saudinewsnet").glob("*.zip"))
    return load_days(shared, 1, names.index(day))[0]


def baseline(articles: list[Article]):  # type: ignore[no-untyped-def]
    """The TF-IDF >= 0.3 neighbourhood: whether two URLs are together."""
    sys.path.insert(0, str(Path(__file__).resolve().parent / "gold"))
    from story_pool import tfidf_rows

    rows = tfidf_rows(articles)
    index = {a.url: i for i, a in enumerate(articles)}

    def together(a: str, b: str) -> bool:
        return float(rows[index[a]].multiply(rows[index[b]]).sum()) >= BASELINE_COSINE

    return together


def read_day(shared: Path, day: str, big: int) -> None:
    """The big stories of any corpus day, for reading (nothing is scored)."""
    articles = day_articles(shared, day)
    stories, took = run_marsad(articles)
    sizes = Counter(stories)
    largest = sizes.most_common(1)[0][1]
    print(
        f"\n== {day} (read, not scored): {len(articles)} articles, {len(sizes)} stories, "
        f"largest {largest} ({100 * largest / len(articles):.2f}%), stories of {big}+: "
        f"{sum(n >= big for n in sizes.values())}, of 10+: {sum(n >= 10 for n in sizes.values())};"
        f" {took:.1f} s"
    )
    print_big(articles, stories, big)


def print_big(articles: list[Article], stories: list[int], big: int) -> None:
    """Every story of `big`+ articles with its members' times, sources and titles."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(stories):
        members[s].append(i)
    for s, ids in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(ids) < big:
            break
        print(f"\n-- story {s}: {len(ids)} articles")
        for i in ids:
            a = articles[i]
            print(f"   {published(a):%H:%M} [{a.source}] {a.title[:110]}")


def report_day(shared: Path, day: str, big: int) -> None:
    """Every figure of one gold day."""
    articles = day_articles(shared, day)
    gold = load_gold(day)
    stories, took = run_marsad(articles)
    index = {a.url: i for i, a in enumerate(articles)}
    tag = "HELD BACK (not tuned on)" if day == HELD_BACK else "development"
    print(
        f"\n== {day} ({tag}): {len(articles)} articles, {len(gold)} judged seeds, "
        f"{sum(len(j.candidates) for j in gold)} judged pairs "
        f"({sum(len(j.same) for j in gold)} same story)"
    )
    mine = score(gold, lambda a, b: stories[index[a]] == stories[index[b]])
    base = score(gold, baseline(articles))
    print(mine.row("marsad"))
    print(base.row(f"TF-IDF cos >= {BASELINE_COSINE}"))
    print(
        f"{'':22s} B3 F1 marsad - baseline {mine.b3_f1 - base.b3_f1:+.3f} (target >= +0.05); "
        f"targets B3 F1 >= 0.92, B3 P >= 0.93, pairwise F1 >= 0.60"
    )
    pairs = [
        p
        for p in similar_pairs([shingle_set(a.match_text) for a in articles], 0.5)
        if articles[p.a].source != articles[p.b].source
    ]
    kept = sum(stories[p.a] == stories[p.b] for p in pairs)
    sizes = Counter(stories)
    story_id, largest = sizes.most_common(1)[0]
    first = next(i for i in range(len(articles)) if stories[i] == story_id)
    print(
        f"stories {len(sizes)}; cross-source copies (J >= 0.5) in one story {kept}/{len(pairs)}"
        f" = {kept / max(1, len(pairs)):.3f} (target >= 0.90); largest story {largest} "
        f"({100 * largest / len(articles):.2f}% of the day) «{articles[first].title[:60]}»; "
        f"stories of 10+: {sum(n >= 10 for n in sizes.values())}; "
        f"{took:.1f} s ({1000 * took / len(articles):.1f} ms/article, whole enrichment)"
    )
    if big:
        print_big(articles, stories, big)


def main() -> int:
    """Print the gold-day tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--day", action="append", help="gold day (default: every gold day)")
    parser.add_argument("--big", type=int, default=0, help="print stories of N+ articles")
    parser.add_argument("--read", action="append", help="any corpus day: print big stories only")
    args = parser.parse_args()
    for day in args.read or ():
        read_day(args.shared, day, args.big or 20)
    if args.read:
        return 0
    days = args.day or sorted(gold_days(), key=lambda d: (d == HELD_BACK, d))
    for day in days:
        report_day(args.shared, day, args.big)
    return 0


if __name__ == "__main__":
    sys.exit(main())
