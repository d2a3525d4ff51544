"""Stories: online clustering of articles about one event, in publish order.

Two articles are *linked* when the TF-IDF cosine of their titles and leads is at least
`StoryParams.link` (0.3: the neighbourhood the story gold's baseline uses). An arriving
article is weighed against whole stories, not single members (single links chain one event
to the next), in three steps:
1. a near-duplicate joins the story of its original;
2. it joins the story in which it is linked to at least `share` (a majority) of the members
   still in the window, the one with the most of them linked (a story of fewer than
   `own_from` members only when their names agree, or a naming word of the titles is one of
   them: a single link is one mould of text as often as one event, the day's royal audiences);
3. else it joins the story whose *centroid* (the sum of its members' TF-IDF rows) is nearest,
   when near enough and when their names agree (see below); else it starts a story.
Never a story whose numbers (those half or more of its members give) all differ from the
arrival's: the same bulletin of another session.
Reactions, funerals and follow-ups of one happening share few words with each report but many
with the sum of them: the centroid finds them where single links do not.

How near is near enough depends on how diverse the story is: its *cohesion* is the mean cosine
of its members with its centroid (1 for one member). An arrival joins from
`min(centroid, spread * sqrt(cohesion))`, never below `floor`: a one-member story asks for the
link cosine, a large story of many voices (an attack with its condemnations) for less.

Names decide what words cannot: a story's *names* are the rare terms (in at most `rare` of the
documents seen: people, places) that half or more of its members carry. An arrival (or another
story) that has names of its own but shares at most `names` of the story's is another happening
of the same kind (the condolences to another martyr's family, the same course in another region)
and does not join by centroid, unless a title of each names one of them: most rare words of a
lead are the paper's own (an aircraft's serial, a diver's name), while a rare word both titles
hold is what the event is named by (ريونيون for the debris of flight MH370, دوابشة for the
burned infant).

Tags decide what rare words cannot: each article's tags that name a person, a place or a body
(organisation) are its *named* tags. A story of four or more whose members name such things but
share none (no name carried by a third of them and by two; no place unless the story holds half
the window's articles naming it: the capital, where every ministry is, belongs to no story) is
the same kind of news at many bodies (each ministry's Eid party for its staff), not one
happening: no centroid joins it and it merges with nothing. An arrival whose title names people
or bodies joins no story whose titles name others, when neither side names the other's anywhere,
and two such stories merge on no majority of links (one mould of text, two ministries). Only
titles weigh here: the forces, airports and companies deep in a report's text differ from
paper to paper about one happening.

A lowered bar lets a big story absorb what only shares its topic (the war, the region): a story
of `own_from` members or more is joined by centroid only with evidence, a link to one of its
members or `own_need` of its *own words* (terms two or more members carry, with at least `own`
of the window's articles carrying them in the story).

After each batch a second pass weighs each story a batch arrival came near with the arrival's
own story: they merge (the smaller into the larger, the absorbed id recorded as merged into the
survivor) when, with the same evidence, the centroids' cosine times the root of the smaller's
cohesion reaches the larger's bar and their names agree, or when a majority of the pairs across
them are linked and their numbers do not all differ.
Nothing here is fitted: the rule is the same on every day (fitted weights learned one gold day
and lost to the baseline on the others). Same order in, same stories out: nothing depends on
anything but the arrivals and their order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

import numpy as np

from marsad.enrich.vectors import SENTENCE_DIM, Floats, discount

Terms = Mapping[int, float]
T = TypeVar("T")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
NUMBER_WORDS = 80


def story_numbers(match_title: str, match_text: str) -> frozenset[str]:
    """The numbers of a title and lead (counts, scores, prices: what one report repeats and
    another of its kind does not), years left out."""
    lead = " ".join(match_text.split()[:NUMBER_WORDS])
    found = NUMBER_RE.findall(f"{match_title} {lead}")
    return frozenset(
        _plain_number(n) for n in found if not (len(n) == 4 and n[:2] in ("19", "20")) and n != "0"
    )


def _plain_number(number: str) -> str:
    """One spelling of a number: a decimal comma as a point, no trailing zeros (3.20 is 3.2)."""
    number = number.replace(",", ".")
    return number.rstrip("0").rstrip(".") if "." in number else number


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
    # Stories of earlier articles at least this TF-IDF cosine away are weighed by centroid.
    near: float = 0.1
    # The centroid cosine an arrival joins (and two stories merge) from, at most...
    centroid: float = 0.3
    # ... lowered to this times the root of the cohesion (product) for diverse stories ...
    spread: float = 0.4
    # ... but never below this.
    floor: float = 0.2
    # A term in at most this share of the documents seen is a name (TermSpace.rare).
    rare: float = 0.01
    # Names agree when more than this share of a story's names are shared.
    names: float = 0.34
    # From `own_from` members, a story is joined (or merged into) by centroid only with
    # evidence: an arrival linked to one of its members, or sharing `own_need` of the story's
    # own words: terms two or more of its members carry that are in at least `own` of the
    # window's articles carrying them (counting the arrival). Words of a large story's many
    # voices (the war, the region, the ministry) are everywhere; its event's are its own.
    own: float = 0.5
    own_need: int = 2
    own_from: int = 3
    # From `named_from` members, a story whose tags name people, places or bodies but has no
    # *named core* (a name carried by `core` of its members and by two; a place only if the
    # story owns it, as with its own words) is the same kind of news at many bodies (each
    # ministry's Eid party): it is joined and merged into by no centroid, nor merged in.
    named_from: int = 4
    core: float = 0.34
    # A naming word of the titles is a story's when this share of its titles hold it.
    titled: float = 0.2
    # Arrivals and stories that name people or bodies, none the other's, stay apart.
    bodies: bool = True


@dataclass(frozen=True)
class StoryItem:
    """What clustering needs of one article besides its vectors."""

    id: int
    published: datetime
    title: str
    keyphrases: frozenset[str]
    duplicate_of: int | None = None
    rare: frozenset[int] = frozenset()  # rare term ids (TermSpace.rare)
    titled: frozenset[int] = frozenset()  # those of them its title holds
    numbers: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()  # matching forms of its person, place and body tags
    places: frozenset[str] = frozenset()  # those of them that name a place
    headlined: frozenset[str] = frozenset()  # its person and body tags its title names
    offices: frozenset[tuple[str, ...]] = frozenset()  # office holders its title names


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
    counts: Counter[int] = field(default_factory=Counter)  # members carrying each term
    named: Counter[str] = field(default_factory=Counter)  # members naming each tag
    placed: Counter[str] = field(default_factory=Counter)  # ... as a place
    headlined: Counter[str] = field(default_factory=Counter)  # members' titles naming each
    titled: Counter[int] = field(default_factory=Counter)  # members' titles holding each name
    offices: Counter[tuple[str, ...]] = field(default_factory=Counter)  # ... each office holder
    norm2: float = 0.0  # squared norm of `terms`
    last: datetime | None = None
    # `names()` and `numbers()` until a member comes or goes (the merge pass asks often).
    _names: set[int] | None = field(default=None, repr=False)
    _numbers: set[str] | None = field(default=None, repr=False)

    def add(self, item: StoryItem, vector: Floats, row: Terms) -> None:
        """Add one member."""
        self._names = self._numbers = None
        self.members.append(item.id)
        self.titles[item.id] = item.title
        self.vectors[item.id] = vector
        self.rows[item.id] = row
        self.items[item.id] = item
        self.total = self.total + vector
        self.counts.update(row.keys())
        self.named.update(item.named)
        self.placed.update(item.places)
        self.headlined.update(item.headlined)
        self.titled.update(item.titled)
        self.offices.update(item.offices)
        for tid, w in row.items():
            old = self.terms.get(tid, 0.0)
            self.terms[tid] = old + w
            self.norm2 += (old + w) ** 2 - old * old
        self.last = item.published if self.last is None else max(self.last, item.published)

    def remove(self, article_id: int) -> None:
        """Drop one member (it left the window)."""
        self._names = self._numbers = None
        self.members.remove(article_id)
        self.titles.pop(article_id, None)
        item = self.items.pop(article_id, None)
        if item is not None:
            discount(self.named, item.named)
            discount(self.placed, item.places)
            discount(self.headlined, item.headlined)
            discount(self.titled, item.titled)
            discount(self.offices, item.offices)
        self.total = self.total - self.vectors.pop(article_id)
        row = self.rows.pop(article_id)
        discount(self.counts, row.keys())
        _subtract(self.terms, row)
        self.norm2 = sum(w * w for w in self.terms.values())

    def text_cosine(self, row: Terms) -> float:
        """TF-IDF cosine of a row with the story's centroid."""
        if self.norm2 <= 0:
            return 0.0
        return sum(w * self.terms.get(t, 0.0) for t, w in row.items()) / math.sqrt(self.norm2)

    def cohesion(self) -> float:
        """The mean TF-IDF cosine of the members with the centroid (1 for one member): the
        members' rows summed against their sum is the centroid's squared norm."""
        return math.sqrt(max(self.norm2, 0.0)) / len(self.members) if self.members else 0.0

    def names(self) -> set[int]:
        """Rare terms that at least half of the members carry (its people and places)."""
        if self._names is None:
            self._names = _core((self.items[m].rare for m in self.members), len(self.members))
        return self._names

    def named_core(self, share: float, placing: Mapping[str, int], own: float) -> set[str]:
        """The tags naming people, places and bodies that `share` of the members carry (and
        two at least); a place only when the story owns it: `own` of the window's articles
        `placing` it are its members (the capital, where every ministry's news is, is no
        story's own place)."""
        need = max(2.0, share * len(self.members))
        return {
            tag
            for tag, n in self.named.items()
            if n >= need and (2 * self.placed[tag] <= n or n >= own * placing.get(tag, n))
        }

    def bodies(self, need: int) -> set[str]:
        """The tags naming people and bodies (not places) that `need` members carry."""
        return {t for t, n in self.named.items() if n >= need and 2 * self.placed[t] <= n}

    def numbers(self) -> set[str]:
        """Numbers that at least half of the members give."""
        if self._numbers is None:
            self._numbers = _core((self.items[m].numbers for m in self.members), len(self.members))
        return self._numbers

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
    # Window articles carrying each term (the share a story's own words are weighed by).
    carrying: Counter[int] = field(default_factory=Counter)
    # Window articles naming each place (how much of a place a story owns).
    placing: Counter[str] = field(default_factory=Counter)
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
            story_id = self._nearest(item, row, candidates)
        if story_id is None:
            story_id = new_story(item)
        for other, cosine in candidates:
            # Remembered for the merge pass: the article's story against each it came near.
            near = self.story_of.get(other)
            if near is not None and cosine >= self.params.near:
                self._compared.add((near, item.id))
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
        self.carrying.update(row.keys())
        self.placing.update(item.places)
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
            if numbers_differ(item.numbers, story.numbers()):
                continue
            if self.bodies_differ(item, story):
                continue
            if len(story.members) < self.params.own_from and self.names_clash(
                item.rare, item.titled, story
            ):
                continue
            share = counts[story_id] / len(story.members)
            key = (share, counts[story_id], -story_id)
            if share >= self.params.share and (best is None or key > best):
                best = key
        for story_id in seen:
            # Remembered for the merge pass: the article's story against each it was linked to.
            self._compared.add((story_id, item.id))
        return -best[2] if best is not None else None

    def _nearest(
        self, item: StoryItem, row: Terms, candidates: Sequence[tuple[int, float]]
    ) -> int | None:
        """The story whose centroid is nearest the arrival, when near enough and when their
        names agree (the stories of its near candidates are weighed)."""
        seen: set[int] = set()
        best: tuple[float, int] | None = None
        for other, cosine in candidates:
            story_id = self.story_of.get(other)
            if story_id is None or story_id in seen or cosine < self.params.near:
                continue
            seen.add(story_id)
            story = self.stories[story_id]
            if story.last is not None and item.published - story.last > self.params.gap:
                continue
            score = story.text_cosine(row)
            if score < self.threshold(story.cohesion()):
                continue
            if best is not None and (score, -story_id) <= best:
                continue
            if numbers_differ(item.numbers, story.numbers()):
                continue
            linked = any(m in self.links.get(item.id, ()) for m in story.members)
            if not linked and not self.owns(story, Counter(row.keys()), arriving=True):
                continue
            if self.many_bodies(story) or self.bodies_differ(item, story):
                continue
            if not self.names_clash(item.rare, item.titled, story):
                best = (score, -story_id)
        return -best[1] if best is not None else None

    def threshold(self, cohesion: float) -> float:
        """The centroid cosine that joins (or merges into) a story of this cohesion."""
        spread = self.params.spread * math.sqrt(cohesion)
        return max(self.params.floor, min(self.params.centroid, spread))

    def owns(self, story: Story, counts: Counter[int], arriving: bool) -> bool:
        """Whether terms of an arrival (or of a smaller story: `counts`, members carrying each)
        include enough of a story's own words (always, for a story too small to tell)."""
        if len(story.members) < self.params.own_from:
            return True
        extra = 1 if arriving else 0  # an arrival is not yet among the window's articles
        owned = 0
        for tid, n in counts.items():
            held = story.counts.get(tid, 0)
            if held >= 2 and held + n >= self.params.own * (self.carrying.get(tid, 0) + extra):
                owned += 1
                if owned >= self.params.own_need:
                    return True
        return False

    def many_bodies(self, story: Story) -> bool:
        """Whether a story of `named_from` members or more names people, places or bodies but
        has no named core: the same kind of news at many bodies, not one happening."""
        if len(story.members) < self.params.named_from or not story.named:
            return False
        return not self.core_of(story)

    def bodies_differ(self, item: StoryItem, story: Story) -> bool:
        """Whether an arrival's title names people or bodies and the story's titles others,
        neither side naming the other's anywhere (one mould of text, two ministries)."""
        if not self.params.bodies:
            return False
        return _headlines_apart(item.headlined, item.named - item.places, story)

    def bodies_apart(self, one: Story, two: Story) -> bool:
        """Whether the titles of two stories name people or bodies, and neither story names
        the other's anywhere."""
        if not self.params.bodies:
            return False
        return _headlines_apart(set(one.headlined), one.bodies(1), two)

    def core_of(self, story: Story) -> set[str]:
        """A story's named core in this window (`Story.named_core`)."""
        return story.named_core(self.params.core, self.placing, self.params.own)

    def names_differ(self, names: Iterable[int], story_names: set[int]) -> bool:
        """Whether names of an article (or story) and a story's share too few of the story's:
        another happening of the same kind."""
        mine = set(names)
        shared = len(mine & story_names)
        return bool(mine) and bool(story_names) and shared <= self.params.names * len(story_names)

    def names_clash(self, names: Iterable[int], titled: Iterable[int], story: Story) -> bool:
        """Whether an article's (or story's) names make it another happening than a story's:
        too few of the story's names shared, and no naming word of their titles in common."""
        if not self.names_differ(names, story.names()):
            return False
        return not self.titled_core(story) & set(titled)

    def titled_core(self, story: Story) -> set[int]:
        """The naming words a story's titles hold: in `titled` of its members' titles (one
        title's word of the weather names no day's story of seven)."""
        need = max(1.0, self.params.titled * len(story.members))
        return {t for t, n in story.titled.items() if n >= need}

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
        """Whether two close-in-time stories report one happening: with evidence, centroids
        near enough for their cohesions with names that agree; or a majority of the pairs
        across linked with numbers that do not all differ."""
        if one.last is None or two.last is None or abs(one.last - two.last) > self.params.gap:
            return False
        cosine = centroid_cosine(one, two)
        larger, smaller = _survivor(one, two)
        others = set(larger.members)
        across = sum(len(self.links.get(m, set()) & others) for m in smaller.members)
        if self.many_bodies(smaller):
            return False
        evidence = across > 0 or self.owns(larger, smaller.counts, arriving=False)
        # The smaller's members, on average, as near the larger's centroid as an arrival must
        # be (the mean of their cosines with it is the centroids' cosine times its cohesion).
        near = cosine * math.sqrt(smaller.cohesion()) >= self.threshold(larger.cohesion())
        apart = self.names_clash(one.names(), self.titled_core(one), two)
        apart = apart and self.names_clash(two.names(), self.titled_core(two), one)
        if evidence and near and not self.many_bodies(larger) and not apart:
            return True
        if numbers_differ(one.numbers(), two.numbers()) or self.bodies_apart(one, two):
            return False
        if apart and _offices_apart(one, two):
            return False  # two audiences: the guests the titles name differ
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
            row = story.rows[article_id]
            discount(self.placing, story.items[article_id].places)
            discount(self.carrying, row.keys())
            story.remove(article_id)
            if not story.members:
                del self.stories[story.id]
                for absorbed in [a for a, s in self.merged.items() if s == story.id]:
                    del self.merged[absorbed]


def numbers_differ(numbers: Iterable[str], story_numbers: set[str]) -> bool:
    """Whether an article's (or a story's) numbers and a story's are all different: the same
    kind of bulletin for another session, count or place."""
    mine = set(numbers)
    return bool(mine) and bool(story_numbers) and not (mine & story_numbers)


def names_meet(named: Iterable[str], core: Iterable[str]) -> bool:
    """Whether two sets of name tags (matching forms) share one: the same tag, or a name of
    two words or more inside the other (عبدالفتاح السيسي in الرئيس عبدالفتاح السيسي)."""
    theirs = set(core)
    for tag in named:
        if tag in theirs:
            return True
        for other in theirs:
            short, long = (tag, other) if len(tag) <= len(other) else (other, tag)
            if " " in short and f" {short} " in f" {long} ":
                return True
    return False


def _headlines_apart(headlined: Iterable[str], named: Iterable[str], story: Story) -> bool:
    """Whether an article's (or story's) title bodies and a story's title bodies are both
    there and neither side names any of the other's."""
    mine, theirs = set(headlined), set(story.headlined)
    if not mine or not theirs:
        return False
    return not names_meet(mine, story.bodies(1)) and not names_meet(theirs, named)


def _offices_apart(one: Story, two: Story) -> bool:
    """Whether the titles of two stories name office holders ("وزير الدفاع الأمريكي",
    "وزير الخارجية المصري") and none of one's is the other's, whole or shortened ("نائب
    الرئيس" is "نائب الرئيس اليمني"): two audiences, two guests."""
    if not one.offices or not two.offices:
        return False
    return not any(a[: len(b)] == b or b[: len(a)] == a for a in one.offices for b in two.offices)


def centroid_cosine(one: Story, two: Story) -> float:
    """TF-IDF cosine of two stories' centroids."""
    if one.norm2 <= 0 or two.norm2 <= 0:
        return 0.0
    small, large = (one, two) if len(one.terms) <= len(two.terms) else (two, one)
    dot = sum(w * large.terms.get(t, 0.0) for t, w in small.terms.items())
    return dot / math.sqrt(one.norm2 * two.norm2)


def _core(sets: Iterable[frozenset[T]], members: int) -> set[T]:
    """What at least half of the members' sets hold."""
    counts: Counter[T] = Counter()
    for found in sets:
        counts.update(found)
    need = max(1.0, members / 2)
    return {key for key, n in counts.items() if n >= need}


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
