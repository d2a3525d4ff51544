"""Related articles on shared-corpus days: how many articles get a useful list.

    .venv/bin/python bench/related.py [--days 2] [--shared ../shared]

Runs marsad's enrichment (no store) in publish order, applying the updates of older
articles' lists as new articles arrive, and prints the share of articles with 50+ words that
end with at least one related and with at least 5. Lists are fewer rather than weak (judged by
reading in bench/related_gold.py): most articles of a day have no other report of their own
happening, so the old target (>= 0.95 with 5+) is withdrawn; a share with one or more far
under 0.2 would mean the floors empty lists. For reference, the overlap of marsad's lists with
the 10 nearest neighbours of a scikit-learn TF-IDF (the peer's related articles) is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shingle_pairs import load_days
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from marsad.enrich.enricher import Enricher


def main() -> int:
    """Print the share of long articles with 5+ related, and the overlap with the peer's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--days", type=int, default=2)
    args = parser.parse_args()
    articles = [a for day in load_days(args.shared, args.days) for a in day]
    start = time.perf_counter()
    lists = Enricher().related_lists(articles)
    took = time.perf_counter() - start
    long = [i for i, a in enumerate(articles) if len(a.text.split()) >= 50]
    enough = sum(len(lists[i]) >= 5 for i in long)
    some = sum(len(lists[i]) >= 1 for i in long)
    print(f"articles {len(articles)}, with 50+ words {len(long)}; enrichment {took:.1f} s")
    print(
        f"50+ word articles with >= 1 related: {some / len(long):.3f}, with >= 5: "
        f"{enough / len(long):.3f}; mean list length {sum(len(lists[i]) for i in long) / len(long):.1f}"
    )
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(
        [f"{a.match_title} {a.match_text}" for a in articles]
    )
    _, neighbours = NearestNeighbors(n_neighbors=11, metric="cosine").fit(matrix).kneighbors(matrix)
    overlap = [
        len(set(lists[i]) & set(neighbours[i].tolist())) / max(1, len(lists[i])) for i in long
    ]
    print(
        f"share of marsad's related also among the peer's 10 TF-IDF neighbours: "
        f"{sum(overlap) / len(overlap):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
