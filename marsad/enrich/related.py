"""Related articles: one "read also" and up to 10 "similar" per article, kept fresh.

A related article is one a reader of the article would want next: the same happening told in
other words, its developments, the same issue with the same actors. What shows that is the
TF-IDF cosine of the two texts (names, places and the event's own words weigh most); sentence
vectors and shared keyphrases measured "the same kind of item" (another battle, another
friendly, another opinion column) and weigh nothing by default. Recency orders candidates (the
gap between the two publish times damps the score) but the floors are on the cosine itself:
an article outside the article's own story must reach `min_score`, one of its story
`story_min`, and none may fall under `relative` times the best one's cosine; fewer links
rather than weak ones (bench/related_gold.py, bench/gold/RELATED.md).

Each article keeps its best candidates in memory while it is in the window; a new article is
offered to the older articles it scores best with, and enters their lists when it beats what
they hold. An article's list never holds itself or its copies (its duplicate group, or a text
that is half the other's word 3-shingles: a wire copy the duplicate check left apart), nor a
sibling of one mould (neither writes a name of the other's title), and holds one article per
duplicate group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from marsad.enrich.vectors import discount

Floats = npt.NDArray[np.float32]
Item = TypeVar("Item")
Doubles = npt.NDArray[np.float64]
Shingles = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class RelatedParams:
    """Weights of the related score and the sizes of the lists."""

    text_weight: float = 1.0
    sentence_weight: float = 0.0
    keyphrase_weight: float = 0.0
    # Days apart at which an equally similar article counts half as much.
    half_life: timedelta = timedelta(days=2)
    # Content floors: outside the article's story, inside it, and relative to the best.
    min_score: float = 0.3
    story_min: float = 0.2
    relative: float = 0.5
    # Share of the shorter text's word 3-shingles found in the other: a copy, never listed.
    copy_share: float = 0.5
    # How many of a title's rarest words (over the window) are its names (`siblings`).
    names: int = 2
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


def copy_share(one: Shingles, two: Shingles) -> float:
    """Share of the shorter text's distinct word 3-shingles (sorted hashes) found in the other."""
    if len(one) == 0 or len(two) == 0:
        return 0.0
    return len(np.intersect1d(one, two, assume_unique=True)) / min(len(one), len(two))


@dataclass(frozen=True)
class Traits:
    """What telling a related article from a copy or a sibling needs of one article: its word
    3-shingle hashes (sorted, distinct), its title's rarest words (its names, mostly) and the
    words of its title and text (matching form)."""

    shingles: Shingles
    names: frozenset[str]
    title: frozenset[str]
    words: frozenset[str]

    def writes(self, word: str) -> bool:
        """Whether the article's title or text has this word."""
        return word in self.words or word in self.title


def siblings(one: Traits, two: Traits) -> bool:
    """Two items of one mould about different names: neither article writes one of the
    other's title names (the funeral of one martyr beside another's, one region's election
    committee beside another's); the same happening retold, or its development, shares one."""
    if not one.names or not two.names:
        return False
    return not any(two.writes(w) for w in one.names) and not any(one.writes(w) for w in two.names)


@dataclass
class RelatedIndex:
    """Each window article's best candidates (score, id, content cosine), best first, its
    traits (to keep copies and siblings out) and how many window articles write each word."""

    params: RelatedParams = field(default_factory=RelatedParams)
    lists: dict[int, list[tuple[float, int, float]]] = field(default_factory=dict)
    traits: dict[int, Traits] = field(default_factory=dict)
    word_df: Counter[str] = field(default_factory=Counter)

    def remember(
        self, article_id: int, shingles: Shingles, title: frozenset[str], words: frozenset[str]
    ) -> None:
        """Count an article's words and keep its traits while it is in the window; its names
        are the title words (not numbers) the fewest window articles write."""
        if article_id in self.traits:
            return
        self.word_df.update(words | title)
        named = sorted((w for w in title if not w.isdigit()), key=lambda w: (self.word_df[w], w))
        self.traits[article_id] = Traits(
            shingles, frozenset(named[: self.params.names]), title, words
        )

    def pair(self, article_id: int, other: int, score: float, content: float) -> bool:
        """Offer two articles to each other's lists unless one copies the other or they are
        siblings of one mould; return whether the other's list changed."""
        if content < self.params.story_min:
            return False
        one, two = self.traits.get(article_id), self.traits.get(other)
        if one is not None and two is not None:
            if copy_share(one.shingles, two.shingles) >= self.params.copy_share:
                return False
            if siblings(one, two):
                return False
        self.offer(article_id, other, score, content)
        return self.offer(other, article_id, score, content)

    def offer(self, article_id: int, other: int, score: float, content: float) -> bool:
        """Offer a candidate to an article's list; return whether the list changed."""
        held = self.lists.setdefault(article_id, [])
        if content < self.params.story_min or any(o == other for _, o, _ in held):
            return False
        if len(held) >= self.params.keep and score <= held[-1][0]:
            return False
        held.append((score, other, content))
        held.sort(key=lambda entry: (-entry[0], entry[1]))
        del held[self.params.keep :]
        return True

    def ranked(
        self,
        article_id: int,
        root_of: Callable[[int], int],
        story_of: Callable[[int], int | None],
    ) -> list[int]:
        """The related list: the read-also (best outside the article's story) first, then
        similar; each above its floor (lower inside the article's story) and not far under
        the best one."""
        params = self.params
        own_root, own_story = root_of(article_id), story_of(article_id)
        seen = {own_root}
        passing: list[tuple[int, float]] = []
        for _, other, content in self.lists.get(article_id, []):
            root = root_of(other)
            if other == article_id or root in seen:
                continue
            inside = own_story is not None and story_of(other) == own_story
            if content < (params.story_min if inside else params.min_score):
                continue
            seen.add(root)
            passing.append((other, content))
        best = max((content for _, content in passing), default=0.0)
        usable = [other for other, content in passing if content >= params.relative * best]
        read_also, similar = read_also_first(usable, own_story, story_of, params.similar)
        return ([read_also] if read_also is not None else []) + similar

    def forget(self, article_ids: Sequence[int]) -> None:
        """Drop the lists and traits of articles that left the window."""
        for article_id in article_ids:
            self.lists.pop(article_id, None)
            traits = self.traits.pop(article_id, None)
            if traits is not None:
                discount(self.word_df, traits.words | traits.title)
