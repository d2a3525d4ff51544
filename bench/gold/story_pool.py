"""Candidate pools for the story gold: seeds drawn at random, each with what to judge beside it.

    .venv/bin/python bench/gold/story_pool.py --day 2015-08-07 [--seeds 80] [--seed 11]
        [--sheets /tmp/storygold]

For one corpus day: 80 random seed articles of 60+ words (random.Random(seed)), and for each
seed every same-day candidate from three sources, merged:
  - the TF-IDF nearest 30 (sublinear TF-IDF over Snowball stems of title + lead, cosine);
  - articles sharing two or more of the seed's rare words (day document frequency <= 3, from
    its title and first 60 words, stopwords and numbers left out), up to 15 of them;
  - the members of the seed's current marsad story (enrichment over the day in publish order),
    up to 20 of them.
Writes `bench/gold/stories_<day>_pool.json` (URLs only, no text) and, outside the repository,
reading sheets (seed and candidates with title and lead) for the people who label them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from shingle_pairs import load_days  # noqa: E402

from marsad.arabic.stem import stems  # noqa: E402
from marsad.arabic.stopwords import is_stopword  # noqa: E402
from marsad.models import Article  # noqa: E402

NEAREST = 30
RARE_DF = 3
RARE_MAX = 15
STORY_MAX = 20
MIN_WORDS = 60
LEAD = 120


def content_words(article: Article, limit: int = LEAD) -> list[str]:
    """Matching-form content words of the title and the lead."""
    words = (article.match_title + " " + " ".join(article.match_text.split()[:limit])).split()
    return [w for w in words if len(w) > 2 and not w.isdigit() and not is_stopword(w)]


def tfidf_rows(day: list[Article]) -> np.ndarray:
    """Unit TF-IDF rows (dense) of the day's articles over stems of title + lead."""
    docs = [" ".join(stems(content_words(a))) for a in day]
    vectorizer = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+", min_df=1)
    return vectorizer.fit_transform(docs)


def current_stories(day: list[Article]) -> list[int]:
    """marsad's story of each article when the day is enriched in publish order."""
    from marsad.enrich.enricher import Enricher
    from marsad.enrich.stories import StoryItem

    enricher = Enricher()
    counter = iter(range(1, 10**9))

    def new_story(item: StoryItem) -> int:
        return next(counter)

    found: dict[int, int] = {}
    for first in range(0, len(day), 200):
        batch = list(enumerate(day[first : first + 200], first))
        for article_id, enrichment in enricher.process(batch, new_story).enrichments:
            found[article_id] = enrichment.story_id or -article_id - 1
    return [found[i] for i in range(len(day))]


def pools(day: list[Article], seeds: list[int], story: list[int]) -> dict[int, list[int]]:
    """Candidate indexes of each seed: nearest, rare-word sharers and story members, merged."""
    rows = tfidf_rows(day)
    words = [set(content_words(a, 60)) for a in day]
    df: Counter[str] = Counter(w for s in words for w in s)
    holders: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(words):
        for w in s:
            if df[w] <= RARE_DF:
                holders[w].append(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i, sid in enumerate(story):
        members[sid].append(i)
    out: dict[int, list[int]] = {}
    for s in seeds:
        cos = (rows[s] @ rows.T).toarray()[0]
        cos[s] = -1
        nearest = [int(i) for i in np.argsort(-cos, kind="stable")[:NEAREST]]
        shared: Counter[int] = Counter(
            i for w in words[s] if df[w] <= RARE_DF for i in holders[w] if i != s
        )
        rare = [i for i, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 2]
        mates = [i for i in members[story[s]] if i != s][:STORY_MAX]
        merged = list(dict.fromkeys(nearest + rare[:RARE_MAX] + mates))
        out[s] = merged
    return out


def lead(article: Article, words: int) -> str:
    """The first words of an article's display text."""
    return " ".join(article.text.split()[:words])


def main() -> int:
    """Write the pool file and the reading sheets of one day."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--day", required=True, help="corpus day, e.g. 2015-08-07")
    parser.add_argument("--seeds", type=int, default=80)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--sheets", type=Path, default=Path("/tmp/storygold"))
    args = parser.parse_args()
    names = sorted(p.stem for p in (args.shared / "corpus" / "saudinewsnet").glob("*.zip"))
    day = load_days(args.shared, 1, names.index(args.day))[0]
    eligible = [i for i, a in enumerate(day) if len(a.text.split()) >= MIN_WORDS]
    seeds = sorted(random.Random(args.seed).sample(eligible, args.seeds))
    story = current_stories(day)
    found = pools(day, seeds, story)
    pool = {
        "day": args.day,
        "made_by": f"bench/gold/story_pool.py --day {args.day} --seeds {args.seeds} "
        f"--seed {args.seed}",
        "seeds": [
            {"seed": day[s].url, "candidates": [day[c].url for c in found[s]]} for s in seeds
        ],
    }
    out = HERE / f"stories_{args.day}_pool.json"
    out.write_text(json.dumps(pool, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    args.sheets.mkdir(parents=True, exist_ok=True)
    sheet = args.sheets / f"{args.day}.txt"
    with sheet.open("w", encoding="utf-8") as fh:
        for n, s in enumerate(seeds, 1):
            a = day[s]
            fh.write(f"\n######## SEED {n}  [{a.source}]  {a.url}\n")
            fh.write(f"TITLE: {a.title}\nLEAD: {lead(a, 70)}\n")
            for k, c in enumerate(found[s], 1):
                b = day[c]
                fh.write(f"  {n}.{k} [{b.source}] {b.title} || {lead(b, 40)}\n")
    total = sum(len(v) for v in found.values())
    print(f"{args.day}: {len(day)} articles, {len(seeds)} seeds, {total} candidates -> {out}")
    print(f"sheet: {sheet}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
