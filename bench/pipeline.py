"""The whole import (normalize, store, search index, enrichment) beside a peer's enrichment alone.

    .venv/bin/python bench/pipeline.py [--days 5] [--full] [--shared ../shared]

marsad: `marsad.pipeline.ingest` of each daily file into a fresh SQLite store with the
Enricher (keyphrases, duplicates, stories, related, summaries), as `marsad import` runs it.
Peer, on the first day's articles, enrichment only: YAKE keyphrases (lan="ar", n=3, top 10,
the arabic-stopwords list), datasketch MinHash.bulk + MinHashLSH for duplicates, and
scikit-learn TfidfVectorizer + NearestNeighbors (cosine, 11 neighbours) for related.
Target: marsad's whole import of a day takes at most half the peer's enrichment of that day.
Also printed: time per article of the 1st, 5th (and with --full the 15th) day, which must stay
flat as the store grows, and the process's peak memory after each.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from marsad.enrichment_runner import EnrichmentRunner
from marsad.ingest.importers import expand_paths, read_records, source_names
from marsad.models import Article, Rejection
from marsad.pipeline import ingest, normalize
from marsad.store import open_store


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def marsad_days(files: list[Path], db_url: str, marks: set[int]) -> list[tuple[int, int, float]]:
    """Import the files one by one; (day, articles, seconds) of each."""
    store = open_store(db_url)
    names = source_names()
    enricher = EnrichmentRunner()
    enricher.warm(store)
    out = []
    try:
        for day, path in enumerate(files, 1):
            start = time.perf_counter()
            report = ingest(store, read_records(path, names), enricher)
            took = time.perf_counter() - start
            out.append((day, report.imported, took))
            if day in marks:
                print(
                    f"marsad day {day:2d}: {report.imported} articles in {took:6.1f} s = "
                    f"{1000 * took / max(1, report.imported):5.1f} ms/article  "
                    f"(store holds {store.counts()['articles']}; peak memory {peak_mb():.0f} MB)",
                    flush=True,
                )
    finally:
        store.close()
    return out


def peer_enrichment(articles: list[Article]) -> float:
    """Seconds the peer takes: YAKE, datasketch MinHash LSH, TF-IDF + nearest neighbours."""
    import arabicstopwords.arabicstopwords as stopwords
    import yake
    from datasketch import MinHash, MinHashLSH
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    start = time.perf_counter()
    extractor = yake.KeywordExtractor(
        lan="ar", n=3, top=10, stopwords=set(stopwords.stopwords_list())
    )
    for a in articles:
        extractor.extract_keywords(f"{a.title}\n{a.text}")
    docs = []
    for a in articles:
        words = a.match_text.split()
        docs.append(
            [" ".join(words[i : i + 3]).encode("utf-8") for i in range(max(1, len(words) - 2))]
        )
    hashes = MinHash.bulk(docs, num_perm=128)
    lsh = MinHashLSH(threshold=0.6, num_perm=128)
    for i, mh in enumerate(hashes):
        lsh.query(mh)
        lsh.insert(str(i), mh)
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(
        [f"{a.match_title} {a.match_text}" for a in articles]
    )
    NearestNeighbors(n_neighbors=11, metric="cosine").fit(matrix).kneighbors(matrix)
    return time.perf_counter() - start


def main() -> int:
    """Run marsad's import over the days, the peer over the first, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="all 15 days (slow)")
    args = parser.parse_args()
    days = 15 if args.full else args.days
    files = expand_paths([args.shared / "corpus" / "saudinewsnet"])[:days]
    marks = {1, 5, 15} | {days}
    with tempfile.TemporaryDirectory() as tmp:
        runs = marsad_days(files, f"sqlite:///{tmp}/marsad.db", marks)
    names = source_names()
    first = [
        found
        for record in read_records(files[0], names)
        if not isinstance(record, Rejection) and isinstance(found := normalize(record), Article)
    ]
    peer_s = peer_enrichment(first)
    marsad_s = runs[0][2]
    print(
        f"peer enrichment of day 1: {len(first)} articles in {peer_s:6.1f} s = "
        f"{1000 * peer_s / len(first):5.1f} ms/article  (peak memory {peak_mb():.0f} MB)"
    )
    print(
        f"marsad whole import / peer enrichment alone, day 1: {marsad_s / peer_s:.2f} "
        f"(target <= 0.50)"
    )
    per = [1000 * s / max(1, n) for _, n, s in runs]
    print(
        f"ms/article by day: {' '.join(f'{p:.1f}' for p in per)}  "
        f"(last/first {per[-1] / per[0]:.2f}; flat means near 1)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
