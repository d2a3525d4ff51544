"""Search quality on the gold set, marsad against a BM25 baseline, and search latency.

    .venv/bin/python bench/search.py [--shared ../shared]
    .venv/bin/python bench/search.py pool --out /tmp/pool.txt   # results still to judge
    .venv/bin/python bench/search.py --pg postgresql+psycopg://postgres@127.0.0.1:5432

For every query of bench/gold/search.json (see bench/gold/README.md for how it was made) the
first ten results of marsad's search (`Store.search`, default sort) and of bm25s over the same
stored articles are scored against the graded judgments: nDCG@10 (gain 2^grade - 1, ideal from
every judged result of the query, unjudged results count 0) and the share of queries whose first
result is graded 2 ("about it"). Tuning and held-out queries are reported apart. Latency: the
median and p95 of marsad's search over the gold queries (each run 5 times) next to bm25s's.

`pool` lists, for each query, the results of both systems in their first ten that have no grade
yet, with the start of their text, to be judged by reading (never committed: corpus text).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from search_data import Baseline, baseline, gold, split_store, urls_by_id
from sqlalchemy import text

from marsad.store import Store

REPO = Path(__file__).resolve().parent.parent
DEPTH = 10
RUNS = 5
HEAD_WORDS = 30  # of each pooled article's text, shown to the judge


def dcg(gains: Sequence[int]) -> float:
    """Discounted cumulative gain of grades in rank order (gain 2^g - 1)."""
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg(ranked: Sequence[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """nDCG@depth of ranked URLs against graded judgments (unjudged = 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:depth])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(u, 0) for u in ranked[:depth]]) / ideal


def timed(run: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def p95(samples: list[float]) -> float:
    """The 95th percentile of samples."""
    return sorted(samples)[max(0, math.ceil(0.95 * len(samples)) - 1)]


def systems(store: Store, bm25: Baseline) -> dict[str, Callable[[str], list[int]]]:
    """The ranked article ids each compared system gives for a query."""
    return {
        "marsad": lambda q: store.search(q, limit=DEPTH)[0],
        "bm25s": lambda q: bm25.search(q, DEPTH),
    }


def evaluate(
    shared: Path, only: str | None = None, verbose: bool = False, pg: str | None = None
) -> None:
    """Print nDCG@10, first-result-right and latency per split and system."""
    data = gold()
    for split, days in data["splits"].items():
        if only is not None and split != only:
            continue
        store = split_store(shared, days, pg_server=pg)
        bm25 = baseline(store)
        urls = urls_by_id(store)
        asked = [q for q in data["queries"] if q["split"] == split]
        backend = store.engine.dialect.name
        print(
            f"{split}: {len(asked)} queries over {', '.join(days)} "
            f"({len(urls)} articles, {backend})"
        )
        for name, run in systems(store, bm25).items():
            scores, right, partly, times = [], 0, 0, []
            for q in asked:
                ranked = [urls[i] for i in run(q["query"])]
                scores.append(ndcg(ranked, q["grades"]))
                first = q["grades"].get(ranked[0], 0) if ranked else 0
                if verbose:
                    grades = "".join(str(q["grades"].get(u, "?")) for u in ranked)
                    print(f"    {name} {scores[-1]:.2f} {grades:<10} {q['query']}")
                right += first == 2
                partly += first >= 1
                times += [timed(lambda q=q, run=run: run(q["query"])) for _ in range(RUNS)]
            print(
                f"  {name:<7} nDCG@10 {statistics.mean(scores):.3f}  "
                f"first right {right}/{len(asked)} ({right / len(asked):.0%}, "
                f"at least partly {partly})  "
                f"latency median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms"
            )
        store.close()


def pool(shared: Path, out: Path, only: str | None = None, pg: str | None = None) -> None:
    """Write the unjudged results of both systems' first ten, with their text's start (marsad
    on PostgreSQL with `pg`)."""
    data = gold()
    lines = []
    for split, days in data["splits"].items():
        if only is not None and split != only:
            continue
        store = split_store(shared, days, pg_server=pg)
        bm25 = baseline(store)
        urls = urls_by_id(store)
        for q in (q for q in data["queries"] if q["split"] == split):
            found: dict[int, list[str]] = {}
            for name, run in systems(store, bm25).items():
                for rank, i in enumerate(run(q["query"]), 1):
                    found.setdefault(i, []).append(f"{name}#{rank}")
            todo = [i for i in found if urls[i] not in q["grades"]]
            if not todo:
                continue
            lines.append(f"\n### {q['query']}  [{split}]")
            with store.engine.connect() as conn:
                for i in todo:
                    title, body = conn.execute(
                        text("SELECT title, text FROM articles WHERE id = :i"), {"i": i}
                    ).one()
                    head = " ".join(body.split()[:HEAD_WORDS])
                    lines.append(f"{urls[i]}\t{' '.join(found[i])}\n  {title} || {head}")
        store.close()
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"{sum(1 for line in lines if line.startswith('http'))} results to judge in {out}")


def main() -> int:
    """Evaluate, or list what is left to judge."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", choices=["eval", "pool"], default="eval")
    parser.add_argument("--out", type=Path, default=Path("/tmp/marsad-search-pool.txt"))
    parser.add_argument("--split", help="only this split (tune while tuning: held stays out)")
    parser.add_argument("--verbose", action="store_true", help="per query: nDCG and grades")
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
    )
    parser.add_argument(
        "--pg",
        metavar="URL",
        help="run marsad on PostgreSQL: a server URL (postgresql+psycopg://user@host:port); "
        "the stores are databases marsad_bench_search_<day> there, kept for the next run",
    )
    args = parser.parse_args()
    if args.part == "pool":
        pool(args.shared, args.out, args.split, args.pg)
    else:
        evaluate(args.shared, args.split, args.verbose, args.pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
