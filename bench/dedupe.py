"""Duplicates on shared-corpus days: marsad's MinHash LSH beside datasketch's, against exact pairs.

    .venv/bin/python bench/dedupe.py [--days 3] [--shared ../shared]

Reference: every pair of articles whose word-3-shingle Jaccard (matching form) is >= 0.5,
computed exactly. Targets: recall >= 0.95 on pairs >= 0.8 (both articles in one duplicate
group), and >= 0.95 of flagged duplicates (article, duplicate_of) with Jaccard >= 0.5.
The peer is what a user would assemble: datasketch MinHash (bulk) + MinHashLSH at the same
threshold, keeping the earliest match.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

from datasketch import MinHash, MinHashLSH
from shingle_pairs import Pair, exact_jaccard, load_days, published, shingle_set, similar_pairs

from marsad.enrich.dedupe import THRESHOLD, DuplicateIndex, dedupe_item
from marsad.models import Article


def marsad_roots(articles: list[Article]) -> list[int]:
    """Group root (an index) of every article, via marsad's DuplicateIndex in publish order."""
    index = DuplicateIndex(window=timedelta(days=3))
    items = [
        dedupe_item(i, published(a), a.match_title, a.match_text, a.content_hash)
        for i, a in enumerate(articles)
    ]
    roots: list[int] = []
    for start in range(0, len(items), 200):
        found = index.check(items[start : start + 200])
        roots.extend(r if r is not None else i for i, r in enumerate(found, start))
    return roots


def peer_roots(sets: list[frozenset[str]]) -> list[int]:
    """Group root of every article with datasketch: MinHash.bulk and MinHashLSH."""
    docs = [[s.encode("utf-8") for s in shingles] or [b""] for shingles in sets]
    hashes = MinHash.bulk(docs, num_perm=128)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    roots: list[int] = []
    for i, mh in enumerate(hashes):
        found = [int(k) for k in lsh.query(mh)]
        roots.append(min(roots[k] for k in found) if found else i)
        lsh.insert(str(i), mh)
    return roots


def score(
    roots: list[int], pairs: list[Pair], sets: list[frozenset[str]]
) -> tuple[float, float, int]:
    """Recall on pairs >= 0.8, share of flagged duplicates >= 0.5, and how many were flagged."""
    strong = [p for p in pairs if p.jaccard >= 0.8]
    recall = sum(roots[p.a] == roots[p.b] for p in strong) / max(1, len(strong))
    flagged = [(i, r) for i, r in enumerate(roots) if r != i]
    good = sum(exact_jaccard(sets[i], sets[r]) >= 0.5 for i, r in flagged)
    return recall, good / max(1, len(flagged)), len(flagged)


def main() -> int:
    """Print recall and precision figures for marsad and the peer, with timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--first", type=int, default=0, help="index of the first daily file")
    args = parser.parse_args()
    articles = [a for day in load_days(args.shared, args.days, args.first) for a in day]
    articles.sort(key=lambda a: (published(a), a.url))
    sets = [shingle_set(a.match_text) for a in articles]
    start = time.perf_counter()
    pairs = similar_pairs(sets, 0.5)
    ref_s = time.perf_counter() - start
    strong = sum(p.jaccard >= 0.8 for p in pairs)
    print(
        f"articles: {len(articles)}  days: {args.days}  reference pairs >= 0.5: {len(pairs)}"
        f"  >= 0.8: {strong}  (exact, {ref_s:.1f} s)"
    )
    for name, run in (
        ("marsad", lambda: marsad_roots(articles)),
        ("datasketch", lambda: peer_roots(sets)),
    ):
        start = time.perf_counter()
        roots = run()
        took = time.perf_counter() - start
        recall, precision, flagged = score(roots, pairs, sets)
        print(
            f"{name:10s} recall(J>=0.8) {recall:.3f} (target >= 0.95)  "
            f"flagged with J>=0.5 {precision:.3f} (target >= 0.95)  flagged {flagged}  "
            f"time {took:.2f} s ({1000 * took / len(articles):.2f} ms/article)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
