"""Stories on shared-corpus days: copies kept together, and no catch-all story.

    .venv/bin/python bench/stories.py [--days 2] [--shared ../shared]

Runs marsad's enrichment (no store) over the days in publish order and prints:
- the share of cross-source pairs with word-3-shingle Jaccard >= 0.5 that land in one story
  (target >= 0.90);
- per day, the largest story and its share of the day's articles (target <= 1%, or 50).
The peer is a single-link grouping of the same reference pairs, which is what "one story per
set of copies" gives at best without clustering.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from shingle_pairs import load_days, published, shingle_set, similar_pairs

from marsad.enrich.enricher import Enricher
from marsad.enrich.stories import StoryItem
from marsad.models import Article


def run_marsad(days: list[list[Article]]) -> tuple[dict[int, int], float]:
    """Story of every article (by index over all days) and the seconds it took."""
    enricher = Enricher()
    counter = iter(range(1, 10**9))
    articles = [a for day in days for a in day]
    stories: dict[int, int] = {}
    start = time.perf_counter()

    def new_story(item: StoryItem) -> int:
        return next(counter)

    for first in range(0, len(articles), 200):
        batch = list(enumerate(articles[first : first + 200], first))
        for article_id, found in enricher.process(batch, new_story).enrichments:
            stories[article_id] = found.story_id or 0
    return stories, time.perf_counter() - start


def main() -> int:
    """Print pair recall and the largest story per day."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    days = load_days(args.shared, args.days, args.first)
    articles = [a for day in days for a in day]
    pairs = [
        p
        for p in similar_pairs([shingle_set(a.match_text) for a in articles], 0.5)
        if articles[p.a].source != articles[p.b].source
    ]
    stories, took = run_marsad(days)
    together = sum(stories[p.a] == stories[p.b] for p in pairs)
    print(
        f"articles: {len(articles)}  stories: {len(set(stories.values()))}  "
        f"time {took:.1f} s ({1000 * took / len(articles):.1f} ms/article, whole enrichment)"
    )
    print(
        f"cross-source pairs J>=0.5 in one story: {together}/{len(pairs)} = "
        f"{together / max(1, len(pairs)):.3f} (target >= 0.90)"
    )
    offset = 0
    for day in days:
        sizes = Counter(stories[i] for i in range(offset, offset + len(day)))
        story_id, largest = sizes.most_common(1)[0]
        limit = max(len(day) * 0.01, 50)
        first = next(i for i in range(offset, offset + len(day)) if stories[i] == story_id)
        print(
            f"day {published(day[0]).date()}: {len(day)} articles, largest story {largest} "
            f"({100 * largest / len(day):.2f}%; target <= 1% or 50 = {limit:.0f})  "
            f"«{articles[first].title[:60]}»"
        )
        offset += len(day)
    return 0


if __name__ == "__main__":
    sys.exit(main())
