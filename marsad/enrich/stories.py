"""Stories: online clustering of articles about one event, in publish order.

Two articles are *linked* when the TF-IDF cosine of their titles and leads is at least
`StoryParams.link` (0.3: the neighbourhood the story gold's baseline uses). An arriving
article is weighed against whole stories, not single members (single links chain one event
to the next): it joins the story in which it is linked to at least `share` (a majority) of
the members still in the window, the one with the most of them linked; else it starts a story.
A near-duplicate always joins the story of its original. Nothing here is fitted: the rule
is the same on every day (fitted weights learned one gold day and lost to the baseline on the
others; see docs and bench/stories.py).

After each batch a second pass compares each story a batch arrival was linked into but did
not join with the arrival's own story: when a majority of the pairs across the two are
linked, the smaller is merged into the larger, and the absorbed story's id is recorded as
merged into the survivor. Same order in, same stories out: nothing depends on anything but
the arrivals and their order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from marsad.enrich.vectors import SENTENCE_DIM, Floats

Terms = Mapping[int, float]
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
NUMBER_WORDS = 80


def story_numbers(match_title: str, match_text: str) -> frozenset[str]:
    """The numbers of a title and lead (counts, scores, prices: what one report repeats and
    another of its kind does not), years left out."""
    lead = " ".join(match_text.split()[:NUMBER_WORDS])
    found = NUMBER_RE.findall(f"{match_title} {lead}")
    return frozenset(n for n in found if not (len(n) == 4 and n[:2] in ("19", "20")) and n != "0")


@dataclass(frozen=True)
class StoryParams:
    """The link, the majority, how far to look and the merge pass."""

    gap: timedelta = timedelta(hours=36)
    # Two articles are linked from this TF-IDF cosine; the window's links lead to stories.
    link: float = 0.3
    # The share of a story's members an arrival must be linked to (and of the pairs across
    # two stories for them to merge).
    share: float = 0.5
    probe: int = 12
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
    """A story's members within the window and its centroids (sums of rows and vectors)."""

    id: int
    members: list[int] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)
    vectors: dict[int, Floats] = field(default_factory=dict)
    rows: dict[int, Terms] = field(default_factory=dict)
    items: dict[int, StoryItem] = field(default_factory=dict)
    total: Floats = field(default_factory=lambda: np.zeros(SENTENCE_DIM, dtype=np.float32))
    terms: dict[int, float] = field(default_factory=dict)
    last: datetime | None = None

    def add(self, item: StoryItem, vector: Floats, row: Terms) -> None:
        """Add one member."""
        self.members.append(item.id)
        self.titles[item.id] = item.title
        self.vectors[item.id] = vector
        self.rows[item.id] = row
        self.items[item.id] = item
        self.total = self.total + vector
        for tid, w in row.items():
            self.terms[tid] = self.terms.get(tid, 0.0) + w
        self.last = item.published if self.last is None else max(self.last, item.published)

    def remove(self, article_id: int) -> None:
        """Drop one member (it left the window)."""
        self.members.remove(article_id)
        self.titles.pop(article_id, None)
        self.items.pop(article_id, None)
        self.total = self.total - self.vectors.pop(article_id)
        _subtract(self.terms, self.rows.pop(article_id))

    def absorb(self, other: Story) -> None:
        """Take every member of another story."""
        for member in other.members:
            self.add(other.items[member], other.vectors[member], other.rows[member])

    def headline(self) -> int:
        """The most central member: nearest both centroids (words and title meaning), so the
        story is named after what most of its articles report, not after one of a minority."""
        norm = math.sqrt(sum(w * w for w in self.terms.values())) or 1.0
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
    stories: dict[int, Story] = field(default_factory=dict)
    story_of: dict[int, int] = field(default_factory=dict)
    merged: dict[int, int] = field(default_factory=dict)  # absorbed story -> survivor
    # Window articles each article is linked to (both ways).
    links: dict[int, set[int]] = field(default_factory=dict)
    _compared: set[tuple[int, int]] = field(default_factory=set)

    def assign(
        self,
        item: StoryItem,
        vector: Floats,
        row: Terms,
        candidates: Sequence[tuple[int, float]],
        new_story: Callable[[StoryItem], int],
    ) -> int:
        """The story of a new article given its (earlier article, TF-IDF cosine) candidates."""
        self.link(item, candidates)
        story_id = self._choose(item)
        if story_id is None:
            story_id = new_story(item)
        self.join(item, vector, row, story_id)
        return story_id

    def link(self, item: StoryItem, candidates: Sequence[tuple[int, float]]) -> None:
        """Record an article's links to earlier window articles (also used when warming)."""
        mine = self.links.setdefault(item.id, set())
        for other, cosine in candidates:
            if cosine >= self.params.link and other in self.links and other != item.id:
                mine.add(other)
                self.links[other].add(item.id)

    def join(self, item: StoryItem, vector: Floats, row: Terms, story_id: int) -> None:
        """Record an article as a member of a story (also used when warming from the store)."""
        story_id = self.final_story(story_id)
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id)
        story.add(item, vector, row)
        self.story_of[item.id] = story_id
        self.links.setdefault(item.id, set())

    def final_story(self, story_id: int) -> int:
        """The story a story id ended in after merges (itself when never merged)."""
        while story_id in self.merged:
            story_id = self.merged[story_id]
        return story_id

    def linked_share(self, article_id: int, story: Story) -> float:
        """The share of a story's members an article is linked to."""
        if not story.members:
            return 0.0
        mine = self.links.get(article_id, set())
        return sum(m in mine for m in story.members) / len(story.members)

    def _choose(self, item: StoryItem) -> int | None:
        """The story to join, or None for a new one."""
        if item.duplicate_of is not None and item.duplicate_of in self.story_of:
            return self.story_of[item.duplicate_of]
        counts: dict[int, int] = {}
        for other in self.links.get(item.id, ()):
            story_id = self.story_of.get(other)
            if story_id is not None:
                counts[story_id] = counts.get(story_id, 0) + 1
        best: tuple[float, int, int] | None = None
        seen = sorted(counts, key=lambda s: (-counts[s], s))[: self.params.probe]
        for story_id in seen:
            story = self.stories[story_id]
            if story.last is not None and item.published - story.last > self.params.gap:
                continue
            share = counts[story_id] / len(story.members)
            key = (share, counts[story_id], -story_id)
            if share >= self.params.share and (best is None or key > best):
                best = key
        for story_id in seen:
            # Remembered for the merge pass: the article's story against each it was linked to.
            self._compared.add((story_id, item.id))
        return -best[2] if best is not None else None

    def merge_pass(self) -> list[tuple[int, int]]:
        """Merge story fragments mostly linked to each other; (absorbed, survivor) of each."""
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

    def _agree(self, one: Story, two: Story) -> bool:
        """Whether a majority of the pairs across two close-in-time stories are linked."""
        if one.last is None or two.last is None or abs(one.last - two.last) > self.params.gap:
            return False
        others = set(two.members)
        across = sum(len(self.links.get(m, set()) & others) for m in one.members)
        return across >= self.params.share * len(one.members) * len(two.members)

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
            for other in self.links.pop(article_id, set()):
                self.links.get(other, set()).discard(article_id)
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


def _survivor(one: Story, two: Story) -> tuple[Story, Story]:
    """(survivor, absorbed) of two stories: the larger survives, else the older id."""
    if (len(one.members), -one.id) >= (len(two.members), -two.id):
        return one, two
    return two, one
