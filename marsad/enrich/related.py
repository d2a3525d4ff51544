"""Related articles: one "read also" and up to 10 "similar" per article, kept fresh.

Scores mix content similarity (TF-IDF and sentence cosines), shared keyphrases and recency
(the gap between the two publish times). Each article keeps its best candidates in memory
while it is in the window; a new article is offered to the older articles it scores best
with, and enters their lists when it beats what they hold. An article's list never holds
itself or its copies, and holds one article per duplicate group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32]
Item = TypeVar("Item")
Doubles = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RelatedParams:
    """Weights of the related score and the sizes of the lists."""

    text_weight: float = 0.65
    sentence_weight: float = 0.35
    keyphrase_weight: float = 0.1
    # Days apart at which an equally similar article counts half as much.
    half_life: timedelta = timedelta(days=2)
    min_score: float = 0.12
    similar: int = 10
    keep: int = 24
    probe: int = 60


def related_probe(
    params: RelatedParams, text: Floats, sentences: Floats, hours_apart: Doubles
) -> tuple[Floats, list[int]]:
    """One article's content similarity with many, and the `probe` columns that score best
    once damped by the time between the two."""
    content = params.text_weight * text + params.sentence_weight * sentences
    damped = content / (1.0 + np.abs(hours_apart) / _half_life_hours(params))
    if len(damped) > params.probe:
        cols = np.argpartition(-damped, params.probe)[: params.probe]
    else:
        cols = np.arange(len(damped))
    return content, cols.tolist()


def related_score(
    params: RelatedParams, content: np.float32, hours_apart: np.float64, shared: int
) -> float:
    """Content similarity plus shared keyphrases, damped by the time between two articles."""
    bonus = params.keyphrase_weight * min(shared, 3) / 3
    return float((content + bonus) / (1.0 + abs(hours_apart) / _half_life_hours(params)))


def _half_life_hours(params: RelatedParams) -> float:
    """The half-life in hours."""
    return params.half_life.total_seconds() / 3600


def read_also_first(
    usable: Sequence[Item],
    own_story: int | None,
    story_of: Callable[[Item], int | None],
    similar: int,
) -> tuple[Item | None, list[Item]]:
    """The read-also rule: the best related article outside the article's own story is the
    read-also; up to `similar` of the others, best first, are the similar ones."""
    pick = next(
        (n for n, o in enumerate(usable) if own_story is None or story_of(o) != own_story), None
    )
    rest = [o for n, o in enumerate(usable) if n != pick][:similar]
    return (usable[pick] if pick is not None else None), rest


@dataclass
class RelatedIndex:
    """Each window article's best candidates (score, id), best first."""

    params: RelatedParams = field(default_factory=RelatedParams)
    lists: dict[int, list[tuple[float, int]]] = field(default_factory=dict)

    def offer(self, article_id: int, other: int, score: float) -> bool:
        """Offer a candidate to an article's list; return whether the list changed."""
        held = self.lists.setdefault(article_id, [])
        if score < self.params.min_score or any(o == other for _, o in held):
            return False
        if len(held) >= self.params.keep and score <= held[-1][0]:
            return False
        held.append((score, other))
        held.sort(key=lambda pair: (-pair[0], pair[1]))
        del held[self.params.keep :]
        return True

    def ranked(
        self,
        article_id: int,
        root_of: Callable[[int], int],
        story_of: Callable[[int], int | None],
    ) -> list[int]:
        """The related list: the read-also (best outside the article's story) first, then similar."""
        own_root, own_story = root_of(article_id), story_of(article_id)
        seen = {own_root}
        usable: list[int] = []
        for _, other in self.lists.get(article_id, []):
            root = root_of(other)
            if other == article_id or root in seen:
                continue
            seen.add(root)
            usable.append(other)
        read_also, similar = read_also_first(usable, own_story, story_of, self.params.similar)
        return ([read_also] if read_also is not None else []) + similar

    def forget(self, article_ids: Sequence[int]) -> None:
        """Drop the lists of articles that left the window."""
        for article_id in article_ids:
            self.lists.pop(article_id, None)
