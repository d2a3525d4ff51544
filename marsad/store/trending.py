"""Trending tags («الأكثر تداولًا»): phrases whose share of the last hours stands far above their
share of everything stored before, carried by several sources, the tags of the day's biggest
stories first.

For each tag of an article published in the window: a = window articles carrying it, N = window
articles with tags; b = the other stored articles carrying it (the phrase's article count that
`store/keyphrases.py` keeps, less a) out of M = the other tagged articles. The burst is
(a / N) / ((b + 1) / (M + 1)): an evergreen phrase ("المملكة", "الرياض", "كرة القدم") has about
the same share every day and a burst near 1, so it is never shown. Spelling variants that differ
by an article or a clitic ("كرة القدم", "لكرة القدم") count as one tag.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from marsad.arabic.normalize import matching_form
from marsad.store.keyphrases import tagged_articles, vote_kind
from marsad.store.queries import reference_time
from marsad.store.schema import article_keyphrases, articles, keyphrases
from marsad.store.store import Store
from marsad.store.times import utc_naive

MIN_SOURCES = 3  # a phrase one or two papers repeat is their own, not the day's news
MIN_ARTICLES = 3
MIN_BURST = 3.0  # share in the window at least this many times its share before
MIN_BACKGROUND = 200  # fewer earlier tagged articles than this: no shares to compare yet
MAX_WINDOW_ROWS = 200_000  # tag links read for one window, whatever the store holds
SAME_STORY = 0.5  # a tag whose articles are mostly a shown tag's tells the same news


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


def trending_tags(
    store: Store, hours: int = 24, limit: int = 20, min_sources: int = MIN_SOURCES
) -> list[Trend]:
    """The tags that burst in the last `hours` before the reference time, best first."""
    now = reference_time(store)
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
    story_sizes: Counter[int] = Counter()
    seen_in_story: set[tuple[int, int]] = set()
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
        total = tagged_articles(conn)
    for kp_id, display, kind, documents, article_id, source_id, story_id in rows:
        window.add(article_id)
        if story_id is not None and (story_id, article_id) not in seen_in_story:
            seen_in_story.add((story_id, article_id))
            story_sizes[story_id] += 1
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
    n_window = len(window)
    n_before = max(total - n_window, 0)
    scored = []
    for group in groups.values():
        a = len(group.articles)
        if a < MIN_ARTICLES or len(group.sources) < min_sources:
            continue
        if n_before >= MIN_BACKGROUND:
            b = max(group.documents - a, 0)
            burst = (a / n_window) / ((b + 1) / (n_before + 1))
            if burst < MIN_BURST:
                continue
        else:
            burst = 1.0  # nothing stored before the window: only counts to go by
        biggest = max((story_sizes[s] for s in group.stories), default=1)
        score = a**0.75 * math.log(burst + math.e - 1) * (1 + math.log1p(biggest) / 4)
        scored.append((score, burst, group))
    scored.sort(key=lambda item: (-item[0], item[2].words))
    shown: list[tuple[Trend, _Group]] = []
    for score, burst, group in scored:
        if len(shown) >= limit:
            break
        if any(_same_news(group, other) for _, other in shown):
            continue
        display = min(group.displays, key=lambda d: (-group.displays[d], d))
        kind = vote_kind(group.kinds)
        trend = Trend(
            display, kind, len(group.articles), len(group.sources), round(burst, 2), round(score, 3)
        )
        shown.append((trend, group))
    return [trend for trend, _ in shown]


def _same_news(group: _Group, shown: _Group) -> bool:
    """Whether a tag repeats one shown already: one holds the other's words ("قوات الطوارئ" and
    "مسجد قوات الطوارئ"; a single word never hides a longer name), most of its articles are the shown tag's, or its main story is."""
    if group.stories and shown.stories:
        mine, theirs = group.stories.most_common(1)[0], shown.stories.most_common(1)[0]
        if mine[0] == theirs[0] and mine[1] >= SAME_STORY * len(group.articles):
            return True
    short, long = sorted((group.words, shown.words), key=len)
    n = len(short)
    if n >= 2 and any(long[i : i + n] == short for i in range(len(long) - n + 1)):
        return True
    common = len(group.articles & shown.articles)
    return common >= SAME_STORY * min(len(group.articles), len(shown.articles))
