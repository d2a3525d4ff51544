"""Stories: online clustering of articles about one event, in publish order.

An arriving article is compared with whole stories, not with single members (single links
chain one event to the next): with each candidate story's TF-IDF centroid (the sum of its
members' rows) and sentence-vector centroid, with the names (keyphrases) its members share,
and with how long ago the story last grew. A small logistic model learned from read pairs
(`story_model.json`, fitted by bench/fit_stories.py on the development gold day) turns those
features into the probability that the article reports the same happening; it joins the most
probable story when that probability is at least one half, else it starts a story. A
near-duplicate always joins the story of its original.

After each batch a second pass compares the stories the batch touched with the stories their
arrivals were compared with, centroid against centroid, under the same model: fragments of one
event that agree are merged (the smaller into the larger), and the absorbed story's id is
recorded as merged into the survivor. Same order in, same stories out: nothing depends on
anything but the arrivals and their order.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import numpy as np

from marsad.enrich.vectors import SENTENCE_DIM, Floats

Terms = Mapping[int, float]
FEATURES = ("text", "sentence", "title", "names", "rare", "numbers", "hours", "text_sentence")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
NUMBER_WORDS = 80


@dataclass(frozen=True)
class StoryModel:
    """Logistic regression over `FEATURES`: P(same story) = sigmoid(bias + w . f)."""

    weights: tuple[float, ...]
    bias: float
    # The probability from which the model says "same story", chosen with the weights.
    decision: float = 0.5

    @classmethod
    def load(cls, part: str = "join") -> StoryModel:
        """A model shipped with the package (fitted by bench/fit_stories.py): "join" weighs an
        arrival against a story, "merge" a story against another."""
        text = resources.files("marsad.enrich").joinpath("story_model.json").read_text("utf-8")
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"story model features {data['features']} are not {FEATURES}")
        found = data[part]
        return cls(
            tuple(float(w) for w in found["weights"]),
            float(found["bias"]),
            float(found.get("decision", 0.5)),
        )

    def probability(self, values: Sequence[float]) -> float:
        """P(same story) of one feature vector."""
        z = self.bias + sum(w * v for w, v in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def features(
    text: float, sentence: float, title: float, names: int, rare: int, numbers: int, hours: float
) -> tuple[float, ...]:
    """The model's inputs from an article-story (or story-story, or pair) comparison: cosines,
    shared keyphrases, shared rare terms, shared numbers, and the hours between them."""
    return (
        text,
        sentence,
        title,
        min(names, 4) / 4,
        min(rare, 4) / 4,
        min(numbers, 3) / 3,
        math.log1p(abs(hours)),
        text * sentence,
    )


def story_numbers(match_title: str, match_text: str) -> frozenset[str]:
    """The numbers of a title and lead (counts, scores, prices: what one report repeats and
    another of its kind does not), years left out."""
    lead = " ".join(match_text.split()[:NUMBER_WORDS])
    found = NUMBER_RE.findall(f"{match_title} {lead}")
    return frozenset(n for n in found if not (len(n) == 4 and n[:2] in ("19", "20")) and n != "0")


@dataclass(frozen=True)
class StoryParams:
    """How far to look: candidate stories per arrival, the time gap, the merge pass."""

    gap: timedelta = timedelta(hours=36)
    # Window articles whose TF-IDF or sentence cosine passes these floors lead to candidate
    # stories; the best `probe` of them are compared.
    text_floor: float = 0.08
    sentence_floor: float = 0.55
    probe: int = 12
    # A story's names: keyphrases at least this share of its members carry (and 1 for pairs).
    name_share: float = 0.25
    merge: bool = True


@dataclass(frozen=True)
class StoryItem:
    """What clustering needs of one article besides its vectors."""

    id: int
    published: datetime
    title: str
    keyphrases: frozenset[str]
    duplicate_of: int | None = None
    rare: frozenset[int] = frozenset()  # rare term ids (TermSpace.rare)
    numbers: frozenset[str] = frozenset()
    title_terms: Terms = field(default_factory=dict)  # TF-IDF row of the title alone


@dataclass
class Story:
    """A story's members within the window, its centroids (sums) and the names they carry."""

    id: int
    members: list[int] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)
    vectors: dict[int, Floats] = field(default_factory=dict)
    rows: dict[int, Terms] = field(default_factory=dict)
    phrases: dict[int, frozenset[str]] = field(default_factory=dict)
    times: dict[int, datetime] = field(default_factory=dict)
    total: Floats = field(default_factory=lambda: np.zeros(SENTENCE_DIM, dtype=np.float32))
    terms: dict[int, float] = field(default_factory=dict)
    title_terms: dict[int, float] = field(default_factory=dict)
    names: Counter[str] = field(default_factory=Counter)
    rares: Counter[int] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    items: dict[int, StoryItem] = field(default_factory=dict)
    last: datetime | None = None

    def add(self, item: StoryItem, vector: Floats, row: Terms) -> None:
        """Add one member."""
        self.members.append(item.id)
        self.titles[item.id] = item.title
        self.vectors[item.id] = vector
        self.rows[item.id] = row
        self.phrases[item.id] = item.keyphrases
        self.times[item.id] = item.published
        self.total = self.total + vector
        for tid, w in row.items():
            self.terms[tid] = self.terms.get(tid, 0.0) + w
        self.names.update(item.keyphrases)
        self.rares.update(item.rare)
        self.numbers.update(item.numbers)
        self.items[item.id] = item
        for tid, w in item.title_terms.items():
            self.title_terms[tid] = self.title_terms.get(tid, 0.0) + w
        self.last = item.published if self.last is None else max(self.last, item.published)

    def remove(self, article_id: int) -> None:
        """Drop one member (it left the window)."""
        self.members.remove(article_id)
        self.titles.pop(article_id, None)
        self.total = self.total - self.vectors.pop(article_id)
        _subtract(self.terms, self.rows.pop(article_id))
        self.names.subtract(self.phrases.pop(article_id))
        self.names = +self.names
        item = self.items.pop(article_id)
        _subtract(self.title_terms, item.title_terms)
        self.rares.subtract(item.rare)
        self.rares = +self.rares
        self.numbers.subtract(item.numbers)
        self.numbers = +self.numbers
        self.times.pop(article_id, None)

    def absorb(self, other: Story) -> None:
        """Take every member of another story."""
        for member in other.members:
            self.add(other.items[member], other.vectors[member], other.rows[member])

    def text_norm(self) -> float:
        """Length of the TF-IDF centroid (sum of member rows)."""
        return math.sqrt(sum(w * w for w in self.terms.values()))

    def text_cosine(self, row: Terms) -> float:
        """TF-IDF cosine of a row with the story's centroid."""
        norm = self.text_norm()
        if not norm:
            return 0.0
        return sum(w * self.terms.get(tid, 0.0) for tid, w in row.items()) / norm

    def title_cosine(self, row: Terms) -> float:
        """TF-IDF cosine of a title row with the centroid of the story's titles."""
        return _cosine(row, self.title_terms)

    def closeness(self, vector: Floats) -> float:
        """Cosine of a sentence vector with the story's centroid."""
        norm = float(np.linalg.norm(self.total))
        return float(vector @ self.total) / norm if norm else 0.0

    def name_set(self, share: float) -> set[str]:
        """The keyphrases enough of its members carry to call them the story's names."""
        return _common(self.names, share * len(self.members))

    def rare_set(self, share: float) -> set[int]:
        """The rare terms enough of its members carry."""
        return _common(self.rares, share * len(self.members))

    def number_set(self, share: float) -> set[str]:
        """The numbers enough of its members carry."""
        return _common(self.numbers, share * len(self.members))

    def headline(self) -> int:
        """The most central member: nearest both centroids (words and title meaning)."""
        norm = self.text_norm() or 1.0
        total = float(np.linalg.norm(self.total)) or 1.0

        def centrality(m: int) -> tuple[float, int]:
            words = sum(w * self.terms.get(t, 0.0) for t, w in self.rows[m].items()) / norm
            meaning = float(self.vectors[m] @ self.total) / total
            return (words + meaning, -m)

        return max(self.members, key=centrality)


@dataclass
class StoryClusterer:
    """Online story assignment over a window of articles; story ids come from `new_story`."""

    params: StoryParams = field(default_factory=StoryParams)
    model: StoryModel = field(default_factory=StoryModel.load)
    merge_model: StoryModel = field(default_factory=lambda: StoryModel.load("merge"))
    stories: dict[int, Story] = field(default_factory=dict)
    story_of: dict[int, int] = field(default_factory=dict)
    merged: dict[int, int] = field(default_factory=dict)  # absorbed story -> survivor
    _compared: set[tuple[int, int]] = field(default_factory=set)

    def assign(
        self,
        item: StoryItem,
        vector: Floats,
        row: Terms,
        candidates: Sequence[tuple[int, float]],
        new_story: Callable[[StoryItem], int],
    ) -> int:
        """The story of a new article given its (earlier article, link strength) candidates."""
        story_id = self._choose(item, vector, row, candidates)
        if story_id is None:
            story_id = new_story(item)
        self.join(item, vector, row, story_id)
        return story_id

    def join(self, item: StoryItem, vector: Floats, row: Terms, story_id: int) -> None:
        """Record an article as a member of a story (also used when warming from the store)."""
        story_id = self.final_story(story_id)
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id)
        story.add(item, vector, row)
        self.story_of[item.id] = story_id

    def final_story(self, story_id: int) -> int:
        """The story a story id ended in after merges (itself when never merged)."""
        while story_id in self.merged:
            story_id = self.merged[story_id]
        return story_id

    def join_features(
        self, item: StoryItem, vector: Floats, row: Terms, story: Story
    ) -> tuple[float, ...]:
        """The join model's inputs for an arrival against a story."""
        share = self.params.name_share
        hours = (item.published - (story.last or item.published)).total_seconds() / 3600
        return features(
            story.text_cosine(row),
            story.closeness(vector),
            story.title_cosine(item.title_terms),
            len(item.keyphrases & story.name_set(share)),
            len(item.rare & story.rare_set(share)),
            len(item.numbers & story.number_set(share)),
            hours,
        )

    def probability(self, item: StoryItem, vector: Floats, row: Terms, story: Story) -> float:
        """P(the article reports the story's happening) under the join model."""
        return self.model.probability(self.join_features(item, vector, row, story))

    def _choose(
        self,
        item: StoryItem,
        vector: Floats,
        row: Terms,
        candidates: Sequence[tuple[int, float]],
    ) -> int | None:
        """The story to join, or None for a new one."""
        if item.duplicate_of is not None and item.duplicate_of in self.story_of:
            return self.story_of[item.duplicate_of]
        seen: list[int] = []
        for other, _ in sorted(candidates, key=lambda c: (-c[1], c[0])):
            story_id = self.story_of.get(other)
            if story_id is None or story_id in seen:
                continue
            story = self.stories[story_id]
            if story.last is not None and item.published - story.last > self.params.gap:
                continue
            seen.append(story_id)
            if len(seen) >= self.params.probe:
                break
        best: tuple[float, int] | None = None
        for story_id in seen:
            p = self.probability(item, vector, row, self.stories[story_id])
            if p >= self.model.decision and (best is None or p > best[0]):
                best = (p, story_id)
        for story_id in seen:
            # Remembered for the merge pass: the article's story against each it was weighed with.
            self._compared.add((story_id, item.id))
        return best[1] if best is not None else None

    def merge_pass(self) -> list[tuple[int, int]]:
        """Merge story fragments whose centroids agree; (absorbed, survivor) of each merge."""
        if not self.params.merge:
            self._compared.clear()
            return []
        pairs: set[tuple[int, int]] = set()
        for story_id, article_id in self._compared:
            own = self.story_of.get(article_id)
            other = self.final_story(story_id)
            if own is None or other == own or other not in self.stories:
                continue
            pairs.add((min(own, other), max(own, other)))
        self._compared.clear()
        merges: list[tuple[int, int]] = []
        for a, b in sorted(pairs):
            a, b = self.final_story(a), self.final_story(b)
            if a == b or a not in self.stories or b not in self.stories:
                continue
            if self._agree(self.stories[a], self.stories[b]):
                survivor, absorbed = _survivor(self.stories[a], self.stories[b])
                self._merge(absorbed, survivor)
                merges.append((absorbed.id, survivor.id))
        return merges

    def merge_features(self, one: Story, two: Story) -> tuple[float, ...] | None:
        """The merge model's inputs for two stories (None when too far apart in time)."""
        n1, n2 = one.text_norm(), two.text_norm()
        if not n1 or not n2 or one.last is None or two.last is None:
            return None
        hours = abs((one.last - two.last).total_seconds()) / 3600
        if hours * 3600 > self.params.gap.total_seconds():
            return None
        small, large = (one, two) if len(one.terms) <= len(two.terms) else (two, one)
        text = sum(w * large.terms.get(t, 0.0) for t, w in small.terms.items()) / (n1 * n2)
        t1, t2 = float(np.linalg.norm(one.total)), float(np.linalg.norm(two.total))
        sentence = float(one.total @ two.total) / (t1 * t2) if t1 and t2 else 0.0
        share = self.params.name_share
        return features(
            text,
            sentence,
            _cosine(one.title_terms, two.title_terms),
            len(one.name_set(share) & two.name_set(share)),
            len(one.rare_set(share) & two.rare_set(share)),
            len(one.number_set(share) & two.number_set(share)),
            hours,
        )

    def _agree(self, one: Story, two: Story) -> bool:
        """Whether two stories' centroids say one happening under the merge model."""
        values = self.merge_features(one, two)
        if values is None:
            return False
        return self.merge_model.probability(values) >= self.merge_model.decision

    def _merge(self, absorbed: Story, survivor: Story) -> None:
        """Move every member of a story into another and remember where it went."""
        survivor.absorb(absorbed)
        for member in absorbed.members:
            self.story_of[member] = survivor.id
        del self.stories[absorbed.id]
        for earlier in [a for a, s in self.merged.items() if s == absorbed.id]:
            self.merged[earlier] = survivor.id
        self.merged[absorbed.id] = survivor.id

    def forget(self, article_ids: Sequence[int]) -> None:
        """Drop articles that left the window, and stories left with no member."""
        for article_id in article_ids:
            story_id = self.story_of.pop(article_id, None)
            story = self.stories.get(story_id) if story_id is not None else None
            if story is None:
                continue
            story.remove(article_id)
            if not story.members:
                del self.stories[story.id]
                for absorbed in [a for a, s in self.merged.items() if s == story.id]:
                    del self.merged[absorbed]


def _subtract(total: dict[int, float], row: Terms) -> None:
    """Take a row out of a sum of rows (dropping what falls to nothing)."""
    for tid, w in row.items():
        left = total.get(tid, 0.0) - w
        if left > 1e-6:
            total[tid] = left
        else:
            total.pop(tid, None)


def _cosine(one: Terms, two: Terms) -> float:
    """Cosine of two sparse rows (or sums of rows)."""
    n1 = math.sqrt(sum(w * w for w in one.values()))
    n2 = math.sqrt(sum(w * w for w in two.values()))
    if not n1 or not n2:
        return 0.0
    small, large = (one, two) if len(one) <= len(two) else (two, one)
    return sum(w * large.get(t, 0.0) for t, w in small.items()) / (n1 * n2)


def _common(counts: Counter[Any], least: float) -> set[Any]:
    """The keys counted at least `least` times (and at least once)."""
    floor = max(1.0, least)
    return {key for key, n in counts.items() if n >= floor}


def _survivor(one: Story, two: Story) -> tuple[Story, Story]:
    """(survivor, absorbed) of two stories: the larger survives, else the older id."""
    if (len(one.members), -one.id) >= (len(two.members), -two.id):
        return one, two
    return two, one
