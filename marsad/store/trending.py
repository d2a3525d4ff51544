"""Trending tags («الأكثر تداولًا»): the day's stories under their best tag, and the tags that
burst across stories, carried by several sources, the biggest stories first.

For each tag of an article published in the window: a = window articles carrying it, N = window
articles with tags; b = the other stored articles carrying it (the phrase's article count that
`store/keyphrases.py` keeps, less a) out of M = the other tagged articles. The burst is
(a / N) / ((b + 1) / (M + 1)): an evergreen phrase ("المملكة", "الرياض", "كرة القدم") has about
the same share every day and a burst near 1. Spelling variants that differ by an article or a
clitic ("كرة القدم", "لكرة القدم") count as one tag.

Entries are of two sorts. A story the pipeline grouped (`articles.story_id`) with enough
articles and sources is one entry, shown under the tag most of its articles carry weighed by
that tag's burst and specificity ("قناة السويس", not "مصر" nor "المشروع"); evergreen tags label
no story. A tag that bursts across several stories ("داعش") is an entry of its own if it is a
name or a phrase, never a single common word. An entry whose story or articles were shown
already is left out: one event is one entry.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from marsad.arabic.normalize import matching_form
from marsad.store.keyphrases import tagged_articles, vote_kind
from marsad.store.schema import article_keyphrases, articles, keyphrases
from marsad.store.times import utc_naive
from marsad.store.writer import Writes

MIN_SOURCES = 3  # a phrase one or two papers repeat is their own, not the day's news
MIN_ARTICLES = 3
MIN_BURST = 3.0  # share in the window at least this many times its share before
MIN_BACKGROUND = 200  # fewer earlier tagged articles than this: no shares to compare yet
MAX_WINDOW_ROWS = 200_000  # tag links read for one window, whatever the store holds
SAME_STORY = 0.5  # a tag whose articles are mostly a shown tag's tells the same news
BURST_CAP = 10.0  # past this a burst adds nothing: a tag rarely chosen before bursts on little
EVERGREEN_BURST = 1.5  # a tag no more common in the window than this times before ...
EVERGREEN_SHARE = 0.01  # ... on at least this share of the articles before is evergreen
GENERIC_WORD = 0.4  # a single common word's weight as a story's label
LABEL_BURST = 0.25  # how much a tag's burst counts, beside its articles, in naming a story
STORY_WEIGHT = 1.5  # a story many papers tell outweighs a tag of the same size across stories


@dataclass(frozen=True)
class Trend:
    """One trending tag: display form, kind, window articles and sources, burst and score."""

    display: str
    kind: str
    articles: int
    sources: int
    burst: float
    score: float

    @property
    def count(self) -> int:
        """The number shown beside the tag: its articles in the window."""
        return self.articles


@dataclass
class _Group:
    """The window's uses of one tag, all its spelling variants together."""

    words: tuple[str, ...]
    displays: Counter[str] = field(default_factory=Counter)
    ids: set[int] = field(default_factory=set)  # keyphrase rows merged here
    articles: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    stories: Counter[int] = field(default_factory=Counter)
    documents: int = 0
    kinds: Counter[int] = field(default_factory=Counter)  # the window articles' votes


def tag_key(phrase: str) -> tuple[str, ...]:
    """Matching-form words without the article (and a clitic before it: "وال", "بال", "لل"):
    spelling variants of one tag share it. A leading و/ب/ل/ف without the article is left on,
    as it may be the word's own letter ("لبنان"); `_merge_clitics` joins those variants."""
    out = []
    # "الطوارىء" and "الطوارئ": a hamza on a dotless yeh folds to ي + ء in the matching form.
    for word in matching_form(phrase).replace("يء", "ئ").split():
        if word.startswith("لل") and len(word) >= 5:
            word = word[2:]
        elif len(word) >= 5 and word[0] in "وبلف" and word[1:3] == "ال":
            word = word[3:]
        elif word.startswith("ال") and len(word) >= 4:
            word = word[2:]
        out.append(word)
    return tuple(out)


def _fold(
    groups: dict[tuple[str, ...], _Group],
    key: tuple[str, ...],
    base: tuple[str, ...],
    *,
    nested: bool = False,
) -> None:
    """Count the tag `key` as the tag `base` from now on. Spelling variants are on different
    articles, so their counts add up; a longer form (`nested`) is mostly on articles that carry
    the shorter one too, so the larger count stands for both."""
    group, into = groups.pop(key), groups[base]
    into.ids |= group.ids
    if nested:
        into.documents = max(into.documents, group.documents)
    else:
        into.documents += group.documents
    into.kinds.update(group.kinds)
    into.displays.update(group.displays)
    into.articles |= group.articles
    into.sources |= group.sources
    into.stories.update(group.stories)


def _merge_clitics(groups: dict[tuple[str, ...], _Group]) -> None:
    """Fold "لكرة القدم" into "كرة القدم" when the window has both."""
    for key in sorted(groups, key=len):
        first = key[0] if key else ""
        base = (first[1:], *key[1:])
        if len(first) >= 4 and first[0] in "وبلف" and base in groups and key in groups:
            _fold(groups, key, base)


_BODY_HEADS = frozenset({"تنظيم", "حركه", "جماعه", "ميليشيا", "مليشيا"})


def _merge_longer(groups: dict[tuple[str, ...], _Group]) -> None:
    """Fold a longer form into the tag it spells out, when the window has both: "تنظيم داعش",
    "تنظيم داعش الإرهابي" → "داعش"; "فيصل بن خالد بن عبدالعزيز" → "فيصل بن خالد"; "الاتفاق
    النووي الإيراني" → "الاتفاق النووي". A single word takes only a body's head before it
    or a relative adjective after it ("داعش الإرهابي"), so "مصر" does not swallow "بنك مصر"."""
    for key in sorted(groups, key=lambda k: -len(k)):
        bases = []
        for n in range(1, len(key)):
            for i in range(len(key) - n + 1):
                base, rest = key[i : i + n], key[:i] + key[i + n :]
                if base in groups and (
                    n >= 2 or all(w in _BODY_HEADS or w.endswith(("ي", "يه")) for w in rest)
                ):
                    bases.append(base)
        if bases:  # into the form most window articles use ("قوات الطوارئ", not "منسوبي قوات")
            best = max(bases, key=lambda b: (len(groups[b].articles), b))
            _fold(groups, key, best, nested=True)


@dataclass
class _Story:
    """The window's articles of one story (as the pipeline grouped them) and their sources."""

    id: int
    articles: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Background:
    """How many tagged articles the window holds, and how many were stored before it."""

    window: int
    before: int

    def burst(self, group: _Group) -> float:
        """The tag's share of the window over its share of the articles before (smoothed);
        1.0 while too little is stored before the window to compare."""
        if self.before < MIN_BACKGROUND:
            return 1.0
        a = len(group.articles)
        b = max(group.documents - a, 0)
        return (a / self.window) / ((b + 1) / (self.before + 1))

    def evergreen(self, group: _Group, burst: float) -> bool:
        """A tag as common before the window as in it, and common there: "الرياض", "المملكة"."""
        if self.before < MIN_BACKGROUND:
            return False
        b = max(group.documents - len(group.articles), 0)
        return burst < EVERGREEN_BURST and b >= EVERGREEN_SHARE * self.before


@dataclass
class _Entry:
    """One line of the trending box: a story under its best tag, or a tag across stories."""

    score: float
    burst: float
    group: _Group
    articles: set[int]
    sources: set[int]
    story: int | None = None

    def trend(self) -> Trend:
        """The entry as shown."""
        group = self.group
        display = min(group.displays, key=lambda d: (-group.displays[d], d))
        return Trend(
            display,
            vote_kind(group.kinds),
            len(self.articles),
            len(self.sources),
            round(self.burst, 2),
            round(self.score, 3),
        )


def _weight(burst: float) -> float:
    """How much a burst lifts an entry: grows with the burst, capped, since a tag rarely
    chosen before ("عبدالله" alone) bursts on little evidence."""
    return math.log(min(burst, BURST_CAP) + math.e - 1)


def _story_entries(
    stories: dict[int, _Story],
    groups: dict[tuple[str, ...], _Group],
    background: _Background,
    min_sources: int,
) -> list[_Entry]:
    """Each story of the window told by enough sources, under the tag most of its articles
    carry, weighed by that tag's burst (so "قناة السويس" labels its story, not "مصر");
    evergreen tags label no story."""
    labels: dict[int, list[tuple[float, float, _Group]]] = {}
    big = {
        s.id
        for s in stories.values()
        if len(s.articles) >= MIN_ARTICLES and len(s.sources) >= min_sources
    }
    for group in groups.values():
        if len(group.articles) < 2:
            continue
        burst = background.burst(group)
        if background.evergreen(group, burst):
            continue
        for story_id, n in group.stories.items():
            if story_id in big and n >= 2:
                value = n * min(max(burst, 0.25), BURST_CAP) ** LABEL_BURST * _specific(group)
                labels.setdefault(story_id, []).append((value, burst, group))
    entries = []
    for story_id, options in labels.items():
        _, burst, group = max(options, key=lambda o: (o[0], o[2].words))
        story = stories[story_id]
        articles_of = story.articles | group.articles
        sources = story.sources | group.sources
        score = STORY_WEIGHT * len(articles_of) ** 0.75 * _weight(burst)
        entries.append(_Entry(score, burst, group, articles_of, sources, story_id))
    return entries


def _specific(group: _Group) -> float:
    """1.0 for a name or a phrase ("داعش", "قناة السويس"), less for a single common word
    ("الهجوم", "المناطق"): such a word labels a story only if nothing more specific does, and
    never trends across stories."""
    if len(group.words) > 1 or vote_kind(group.kinds) != "topic":
        return 1.0
    return GENERIC_WORD


def _phrase_entries(
    groups: dict[tuple[str, ...], _Group], background: _Background, min_sources: int
) -> list[_Entry]:
    """Tags that burst across stories ("داعش" in many of the day's stories)."""
    entries = []
    first_names = {key[0] for key in groups if len(key) > 1}
    for group in groups.values():
        a = len(group.articles)
        if a < MIN_ARTICLES or len(group.sources) < min_sources or _specific(group) < 1:
            continue
        if len(group.words) == 1 and group.words[0] in first_names:
            continue  # "عبدالله", "محمد": the first word of the day's names, no one's name
        burst = background.burst(group)
        if background.before >= MIN_BACKGROUND and burst < MIN_BURST:
            continue
        score = a**0.75 * _weight(burst)
        entries.append(_Entry(score, burst, group, group.articles, group.sources))
    return entries


def _same_news(entry: _Entry, shown: _Entry) -> bool:
    """Whether an entry repeats one shown already: the same story, the same tag, one tag
    holding the other's words ("قوات الطوارئ" and "مسجد قوات الطوارئ"; a single word never
    hides a longer name), or most of its articles among the shown entry's."""
    group, other = entry.group, shown.group
    if group is other or (entry.story is not None and entry.story == shown.story):
        return True
    if group.stories and shown.story is not None:
        main, n = group.stories.most_common(1)[0]
        if main == shown.story and n >= SAME_STORY * len(group.articles):
            return True
    short, long = sorted((group.words, other.words), key=len)
    n = len(short)
    if n >= 2 and any(long[i : i + n] == short for i in range(len(long) - n + 1)):
        return True
    common = len(entry.articles & shown.articles)
    return common >= SAME_STORY * min(len(entry.articles), len(shown.articles))


class TrendingVerbs(Writes):
    """What is trending: keyphrases and stories bursting in the last hours."""

    if TYPE_CHECKING:
        # A verb of another group Store composes, which this one builds on.
        def reference_time(self) -> datetime: ...

    def trending_tags(
        self, hours: int = 24, limit: int = 20, min_sources: int = MIN_SOURCES
    ) -> list[Trend]:
        """The tags that burst in the last `hours` before the reference time, best first."""
        now = self.reference_time()
        since = utc_naive(now - timedelta(hours=hours))
        stmt = (
            select(
                keyphrases.c.id,
                keyphrases.c.display,
                article_keyphrases.c.kind,
                keyphrases.c.documents,
                articles.c.id,
                articles.c.source_id,
                articles.c.story_id,
            )
            .select_from(articles)
            .join(article_keyphrases, article_keyphrases.c.article_id == articles.c.id)
            .join(keyphrases, keyphrases.c.id == article_keyphrases.c.keyphrase_id)
            .where(
                articles.c.published_at >= since,
                articles.c.published_at <= utc_naive(now),
                articles.c.duplicate_of.is_(None),  # a copy is no second article of the news
                articles.c.brief.is_(False),  # a caption or a headline alone is not news volume
            )
            .limit(MAX_WINDOW_ROWS)
        )
        groups: dict[tuple[str, ...], _Group] = {}
        window: set[int] = set()
        stories: dict[int, _Story] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            total = tagged_articles(conn)
        for kp_id, display, kind, documents, article_id, source_id, story_id in rows:
            window.add(article_id)
            if story_id is not None:
                story = stories.get(story_id)
                if story is None:
                    story = stories[story_id] = _Story(story_id)
                story.articles.add(article_id)
                story.sources.add(source_id)
            key = tag_key(display)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(key)
            if kp_id not in group.ids:
                group.ids.add(kp_id)
                group.documents += int(documents)
            group.displays[display] += 1
            group.kinds[int(kind)] += 1
            group.articles.add(article_id)
            group.sources.add(source_id)
            if story_id is not None:
                group.stories[story_id] += 1
        _merge_clitics(groups)
        _merge_longer(groups)
        background = _Background(len(window), max(total - len(window), 0))
        entries = _story_entries(stories, groups, background, min_sources)
        entries += _phrase_entries(groups, background, min_sources)
        entries.sort(key=lambda e: (-e.score, e.group.words))
        shown: list[_Entry] = []
        for entry in entries:
            if len(shown) >= limit:
                break
            if any(_same_news(entry, other) for other in shown):
                continue
            shown.append(entry)
        return [entry.trend() for entry in shown]
