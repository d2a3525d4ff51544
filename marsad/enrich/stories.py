"""Stories: online clustering of articles about one event, in publish order.

Each new article is compared with the recent articles of the window (`VectorWindow`):
a pair score mixes TF-IDF cosine over stems, sentence-vector cosine (multilingual USE) and
shared keyphrases, between articles published at most `gap` apart. The article joins the
story of its best-scoring earlier article when that score passes `threshold` and its sentence
vector is close enough to the story's centroid (which stops a story from chaining topic to
topic into a catch-all); otherwise it starts a story. A near-duplicate always joins the story
of its original. Thresholds come from bench/calibrate_stories.py on the shared corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from marsad.enrich.vectors import SENTENCE_DIM, Floats


@dataclass(frozen=True)
class StoryParams:
    """Weights and thresholds of the pair score (calibrated by bench/calibrate_stories.py)."""

    text_weight: float = 0.7
    sentence_weight: float = 0.3
    keyphrase_weight: float = 0.15
    threshold: float = 0.45
    centroid: float = 0.4
    gap: timedelta = timedelta(hours=36)


@dataclass(frozen=True)
class StoryItem:
    """What clustering needs of one article besides its vectors."""

    id: int
    published: datetime
    title: str
    keyphrases: frozenset[str]
    duplicate_of: int | None = None


@dataclass
class Story:
    """A story's members within the window and the running sum of their sentence vectors."""

    id: int
    members: list[int] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)
    vectors: dict[int, Floats] = field(default_factory=dict)
    total: Floats = field(default_factory=lambda: np.zeros(SENTENCE_DIM, dtype=np.float32))
    last: datetime | None = None

    def add(self, item: StoryItem, vector: Floats) -> None:
        """Add one member."""
        self.members.append(item.id)
        self.titles[item.id] = item.title
        self.vectors[item.id] = vector
        self.total = self.total + vector
        self.last = item.published if self.last is None else max(self.last, item.published)

    def closeness(self, vector: Floats) -> float:
        """Cosine of a sentence vector with the story's centroid."""
        norm = float(np.linalg.norm(self.total))
        return float(vector @ self.total) / norm if norm else 0.0

    def headline(self) -> int:
        """The member whose title vector is nearest the centroid: the most representative."""
        return max(self.members, key=lambda m: (float(self.vectors[m] @ self.total), -m))


def story_content(params: StoryParams, text: Floats, sentences: Floats) -> Floats:
    """The content part of one article's pair scores with many: weighted cosines."""
    return params.text_weight * text + params.sentence_weight * sentences


def story_reachable(params: StoryParams, content: Floats) -> npt.NDArray[np.intp]:
    """Columns whose pair score can pass the threshold once shared keyphrases are added."""
    return np.nonzero(content >= params.threshold - params.keyphrase_weight)[0]


def story_pair_score(params: StoryParams, content: float, shared: int) -> float:
    """The pair score: content similarity plus up to three shared keyphrases."""
    return content + params.keyphrase_weight * min(shared, 3) / 3


@dataclass
class StoryClusterer:
    """Online story assignment over a window of articles; story ids come from `new_story`."""

    params: StoryParams = field(default_factory=StoryParams)
    stories: dict[int, Story] = field(default_factory=dict)
    story_of: dict[int, int] = field(default_factory=dict)

    def assign(
        self,
        item: StoryItem,
        vector: Floats,
        candidates: Sequence[tuple[int, datetime, float]],
        new_story: Callable[[StoryItem], int],
    ) -> int:
        """The story of a new article given (earlier article, published, pair score) candidates."""
        story_id = self._choose(item, vector, candidates)
        if story_id is None:
            story_id = new_story(item)
        self.join(item, vector, story_id)
        return story_id

    def join(self, item: StoryItem, vector: Floats, story_id: int) -> None:
        """Record an article as a member of a story (also used when warming from the store)."""
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id)
        story.add(item, vector)
        self.story_of[item.id] = story_id

    def _choose(
        self,
        item: StoryItem,
        vector: Floats,
        candidates: Sequence[tuple[int, datetime, float]],
    ) -> int | None:
        """The story to join, or None for a new one."""
        if item.duplicate_of is not None and item.duplicate_of in self.story_of:
            return self.story_of[item.duplicate_of]
        best: dict[int, float] = {}
        for other, published, score in candidates:
            story_id = self.story_of.get(other)
            if story_id is None or abs(item.published - published) > self.params.gap:
                continue
            if score >= self.params.threshold and score > best.get(story_id, -1.0):
                best[story_id] = score
        for story_id, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0])):
            if self.stories[story_id].closeness(vector) >= self.params.centroid:
                return story_id
        return None

    def forget(self, article_ids: Sequence[int]) -> None:
        """Drop articles that left the window, and stories left with no member."""
        for article_id in article_ids:
            story_id = self.story_of.pop(article_id, None)
            story = self.stories.get(story_id) if story_id is not None else None
            if story is None:
                continue
            story.members.remove(article_id)
            story.titles.pop(article_id, None)
            vector = story.vectors.pop(article_id)
            story.total = story.total - vector
            if not story.members:
                del self.stories[story.id]
