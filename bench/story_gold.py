"""Scoring story assignments against the read gold (bench/gold/stories_<day>_labels.json).

The gold is seed-centred: for each seed s, every candidate c of its pool (C_s) was judged
same story or not by reading. So the measures are computed per seed, over {s} + C_s only:
  gold cluster      G_s = {s} + {c in C_s judged same story}
  predicted cluster P_s = {s} + {c in C_s that the system puts in s's story}
B-cubed (seed-centred, Bagga & Baldwin with the seed as the only item scored):
  precision_s = |P_s & G_s| / |P_s|,  recall_s = |P_s & G_s| / |G_s|,
  precision and recall are the means over seeds, F1 their harmonic mean.
Pairwise over every judged (seed, candidate) pair: TP = judged same and put together,
  precision = TP / pairs put together, recall = TP / pairs judged same, F1 harmonic.
Unjudged articles (outside every pool) do not count either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold"


@dataclass(frozen=True)
class Judged:
    """One seed, its judged candidates and which of them are the same story."""

    seed: str
    candidates: tuple[str, ...]
    same: frozenset[str]


@dataclass(frozen=True)
class Scores:
    """B-cubed and pairwise precision, recall and F1 over the seeds."""

    seeds: int
    b3_precision: float
    b3_recall: float
    pair_precision: float
    pair_recall: float
    pairs_same: int

    @property
    def b3_f1(self) -> float:
        return _f1(self.b3_precision, self.b3_recall)

    @property
    def pair_f1(self) -> float:
        return _f1(self.pair_precision, self.pair_recall)

    def row(self, name: str) -> str:
        return (
            f"{name:22s} B3 P {self.b3_precision:.3f} R {self.b3_recall:.3f} F1 {self.b3_f1:.3f}"
            f"   pairwise P {self.pair_precision:.3f} R {self.pair_recall:.3f} "
            f"F1 {self.pair_f1:.3f}"
        )


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def gold_days() -> list[str]:
    """Days with a labels file."""
    return sorted(
        p.name[len("stories_") : -len("_labels.json")] for p in GOLD.glob("*_labels.json")
    )


def load_gold(day: str) -> list[Judged]:
    """The judged seeds of a day (seeds with no answer yet are not in the labels file)."""
    pool = json.loads((GOLD / f"stories_{day}_pool.json").read_text(encoding="utf-8"))
    labels = json.loads((GOLD / f"stories_{day}_labels.json").read_text(encoding="utf-8"))
    same = labels["labels"]
    return [
        Judged(e["seed"], tuple(e["candidates"]), frozenset(same[e["seed"]]))
        for e in pool["seeds"]
        if e["seed"] in same
    ]


def score(gold: list[Judged], together: Callable[[str, str], bool]) -> Scores:
    """The measures for a system that says whether two URLs are in one story."""
    precision = recall = 0.0
    tp = put = judged_same = 0
    for j in gold:
        predicted = {c for c in j.candidates if together(j.seed, c)}
        hit = len(predicted & j.same)
        precision += (1 + hit) / (1 + len(predicted))
        recall += (1 + hit) / (1 + len(j.same))
        tp += hit
        put += len(predicted)
        judged_same += len(j.same)
    n = max(1, len(gold))
    return Scores(
        len(gold),
        precision / n,
        recall / n,
        tp / put if put else 1.0,
        tp / judged_same if judged_same else 1.0,
        judged_same,
    )


def judged_pairs(gold: list[Judged]) -> list[tuple[str, str, bool]]:
    """Every judged (seed, candidate, same) pair."""
    return [(j.seed, c, c in j.same) for j in gold for c in j.candidates]


def score_stories(gold: list[Judged], index: dict[str, int], story: Mapping[int, int]) -> Scores:
    """The measures for a story id per article index (`index` maps URLs to indexes)."""
    return score(gold, lambda a, b: story[index[a]] == story[index[b]])
