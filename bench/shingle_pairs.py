"""Shared corpus days as normalized articles, and their exact word-3-shingle Jaccard pairs.

Used by bench/dedupe.py and bench/stories.py. The reference pairs
are computed exactly (prefix-filtered all-pairs over Python sets of shingle strings, every
candidate verified), independently of marsad's hashed MinHash path.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from marsad.ingest.importers import expand_paths, read_records, source_names
from marsad.models import Article, Rejection
from marsad.pipeline import normalize

WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Pair:
    """Two articles (indexes into the day list, a < b) and their exact shingle Jaccard."""

    a: int
    b: int
    jaccard: float


def load_days(shared: Path, days: int, first: int = 0) -> list[list[Article]]:
    """Normalized articles of consecutive daily files, each day in publish order, URLs unique."""
    files = expand_paths([shared / "corpus" / "saudinewsnet"])[first : first + days]
    names = source_names()
    seen: set[str] = set()
    out: list[list[Article]] = []
    for path in files:
        day: list[Article] = []
        for record in read_records(path, names):
            found = record if isinstance(record, Rejection) else normalize(record)
            if isinstance(found, Article) and found.url not in seen:
                seen.add(found.url)
                day.append(found)
        day.sort(key=lambda a: (published(a), a.url))
        out.append(day)
    return out


def published(article: Article) -> datetime:
    """Publish time, else fetch time (as the store orders articles)."""
    return article.published_at or article.fetched_at or datetime(1970, 1, 1, tzinfo=UTC)


def shingle_set(match_text: str, size: int = 3) -> frozenset[str]:
    """Word n-gram strings of the matching form (the whole text when shorter)."""
    words = WORD_RE.findall(match_text)
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def exact_jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    """Jaccard of two sets (0 when either is empty)."""
    if not x or not y:
        return 0.0
    common = len(x & y)
    return common / (len(x) + len(y) - common)


def similar_pairs(sets: Sequence[frozenset[str]], threshold: float) -> list[Pair]:
    """Every pair with Jaccard >= threshold, exactly (All-Pairs prefix filtering)."""
    freq = Counter(token for s in sets for token in s)
    rank = {t: i for i, (t, _) in enumerate(sorted(freq.items(), key=lambda kv: (kv[1], kv[0])))}
    ordered = [sorted(rank[t] for t in s) for s in sets]
    index: dict[int, list[int]] = defaultdict(list)
    pairs: list[Pair] = []
    for x in sorted(range(len(sets)), key=lambda i: (len(ordered[i]), i)):
        size = len(ordered[x])
        if size == 0:
            continue
        prefix = size - math.ceil(threshold * size) + 1
        candidates: set[int] = set()
        for token in ordered[x][:prefix]:
            candidates.update(index[token])
        for y in candidates:
            if len(ordered[y]) >= threshold * size:
                j = exact_jaccard(sets[x], sets[y])
                if j >= threshold:
                    pairs.append(Pair(min(x, y), max(x, y), j))
        for token in ordered[x][:prefix]:
            index[token].append(x)
    return sorted(pairs, key=lambda p: (p.a, p.b))
