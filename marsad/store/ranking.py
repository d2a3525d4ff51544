"""Search ranking after the index has scored the text: title, story and freshness blended in,
stories folded.

A hit's text score (BM25-like, from the backend) is divided by the best text score among the
candidates; then are added TITLE_COVER times the share of the query's groups its title holds
(as written, or by stems only at TITLE_STEM), STORY times the support of its story (the other
candidates of the same story, by their relative text scores, saturating: news that several
papers carry under the query's words is what it is about, more surely than a lone article
naming them), and FRESHNESS times its freshness (1 for the newest article in the store, halving
every HALF_LIFE_HOURS). So the text decides between hits that differ clearly and a fresher
article wins between hits about as relevant. Folding keeps the best-ranked hit of each story
(copies share their original's story) and counts the others under it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from marsad.store.search import ParsedQuery

FRESHNESS = 0.1
# What a title holding every group of the query adds, in proportion to the groups it holds (a
# headline naming all that was asked is about it more surely than a body that does).
TITLE_COVER = 0.3
# A group that the title holds by its stems only counts this much of one held as written (a
# stem match that turns a name into a common word counts for little).
TITLE_STEM = 0.7
# What the other candidates of a hit's story add, at most: a story that several hits of the
# query belong to is about it more surely than a lone article that names it (other candidates
# as relevant as the best add half of it).
STORY = 0.1
# A word the reader typed with the article that a title holds only bare («الدولار» in «430
# مليار دولار», a unit, not the currency's news) counts this much of one held as typed; it is
# checked on the first RECHECK ranked hits only (their titles are read).
TITLE_BARE = 0.7
RECHECK = 30
HALF_LIFE_HOURS = 72.0
# Hits of a long query that lack some of its words: their text score is multiplied by this.
PARTIAL = 0.7
# A hit of a short query (fewer than LONG_QUERY groups) that holds a folded group by stems
# only, not as written, ranks behind the others, and the text score of a hit of a longer one
# is multiplied by STEM_ONLY for each such group: a group is folded when its stems find more than FOLDED
# times the candidates that its words as written find, as when the stemmer turns a name into a
# common word («طالبان» → «طالب», student; «الأهلي» → «أهل», family). Names and rare words so
# match as written before any stem does; a word whose stem finds its own forms (هبوط, يهبط)
# is not folded.
STEM_ONLY = 0.5
FOLDED = 3.0
# Queries of at least this many groups rank hits lacking some words too, and so do queries of
# several groups that fewer than RELAX_BELOW articles match in full: those come first, then
# the articles lacking a word (by their rarer words).
LONG_QUERY = 3
# A relaxed query's groups that fewer articles than this hold are its rare ones, on both
# backends alike (not their rank caps, which differ): the same query finds the same hits.
RARE_BELOW = 300
RELAX_BELOW = 10


class Scored(NamedTuple):
    """A candidate as a backend scored it: its text score, whether it ranks behind the others,
    and its title cover (`title_cover`)."""

    id: int
    score: float
    behind: bool = False
    title: float = 0.0


def title_cover(held: Sequence[tuple[bool, bool]]) -> float:
    """The share of a query's groups that a title holds, from whether it holds each as written
    and by stems (a group held by stems only counts TITLE_STEM)."""
    if not held:
        return 0.0
    return sum(1.0 if written else TITLE_STEM if stem else 0.0 for written, stem in held) / len(
        held
    )


@dataclass(frozen=True)
class Hit:
    """A candidate article with what ranking needs."""

    id: int
    text_score: float
    published_at: datetime | None
    story_id: int | None
    duplicate_of: int | None
    behind: bool = False  # lacks a word of a short query: ranks after every complete hit
    title: float = 0.0  # the share of the query's groups that its title holds


@dataclass(frozen=True)
class Ranked:
    """A hit in result order, with the hits of its story folded under it (when grouping)."""

    id: int
    score: float
    story_id: int | None
    folded: int = 0


def without_article(hits: Sequence[Hit], bare: dict[int, int], groups: int) -> list[Hit]:
    """The hits with the title cover of those whose titles hold `bare[id]` of the query's
    definite words only without the article lowered: such a group counts TITLE_BARE."""
    if not groups:
        return list(hits)
    return [
        replace(h, title=max(0.0, h.title - (1 - TITLE_BARE) * bare.get(h.id, 0) / groups))
        for h in hits
    ]


def blend(hits: Sequence[Hit], newest: datetime | None) -> list[Ranked]:
    """Hits ordered by text score blended with title cover, story support and freshness (the
    higher id first on a tie); hits marked `behind` come after all others."""
    best = max((h.text_score for h in hits), default=0.0)
    relative = {h.id: h.text_score / best if best > 0 else 0.0 for h in hits}
    by_id = {h.id: h for h in hits}
    keys = {h.id: _story_key(h, by_id) for h in hits}
    story: dict[tuple[str, int], float] = {}
    for h in hits:
        story[keys[h.id]] = story.get(keys[h.id], 0.0) + relative[h.id]
    ordered = sorted(hits, key=lambda h: -h.id)
    scores = [
        _blended(h, relative[h.id], story[keys[h.id]] - relative[h.id], newest) for h in ordered
    ]
    ranked = sorted(zip(ordered, scores, strict=True), key=lambda hs: (hs[0].behind, -hs[1]))
    return [Ranked(h.id, score, h.story_id) for h, score in ranked]


def _blended(hit: Hit, text: float, support: float, newest: datetime | None) -> float:
    """One hit's score: relative text score, title cover, story support (the relative text
    scores of the other candidates of its story, saturating) and weighted freshness."""
    score = text + TITLE_COVER * hit.title + STORY * (1 - 0.5**support)
    if newest is None or hit.published_at is None:
        return score
    hours = max((newest - hit.published_at).total_seconds() / 3600, 0.0)
    return score + FRESHNESS * 0.5 ** (hours / HALF_LIFE_HOURS)


def newest_first(hits: Sequence[Hit]) -> list[Ranked]:
    """Hits by publish time, newest first, undated last, the higher id first on a tie."""
    dated = sorted(hits, key=lambda h: (h.published_at is not None, h.published_at or 0, h.id))
    return [Ranked(h.id, 0.0, h.story_id) for h in reversed(dated)]


def fold(ranked: Sequence[Ranked], hits: Sequence[Hit]) -> list[Ranked]:
    """One result per story (or per original and its copies), the others counted under it."""
    by_id = {h.id: h for h in hits}
    kept: dict[tuple[str, int], Ranked] = {}
    counts: dict[tuple[str, int], int] = {}
    for r in ranked:
        key = _story_key(by_id[r.id], by_id)
        counts[key] = counts.get(key, 0) + 1
        kept.setdefault(key, r)
    # Dicts keep insertion order: each story's first hit in rank order.
    return [Ranked(r.id, r.score, r.story_id, counts[key] - 1) for key, r in kept.items()]


def _story_key(hit: Hit, by_id: dict[int, Hit]) -> tuple[str, int]:
    """What a hit folds by: its story, else its original's story, else its original."""
    if hit.story_id is not None:
        return ("story", hit.story_id)
    original = by_id.get(hit.duplicate_of) if hit.duplicate_of is not None else None
    if original is not None and original.story_id is not None:
        return ("story", original.story_id)
    return ("article", hit.duplicate_of or hit.id)


def folded(held: int, written: int) -> bool:
    """Whether a group whose stems `held` candidates hold, `written` of them as written, is
    folded (see STEM_ONLY)."""
    return held > FOLDED * max(written, 1)


def behind(groups: int, lacking: bool, stem_only: int) -> bool:
    """Whether a hit of a query of `groups` groups ranks after every complete hit: the query
    is short and the hit lacks one of its words, or holds a folded one by stems only."""
    return groups < LONG_QUERY and (lacking or stem_only > 0)


def rare_groups(parsed: ParsedQuery, counts: Sequence[int]) -> ParsedQuery:
    """A relaxed query keeps the groups that fewer than RARE_BELOW articles hold (the rarest one
    if none): an article holding only a common word («بن», «في») of a long query is no
    candidate, and the newest of a common word's hits would crowd out the relevant ones.
    """
    rare = tuple(g for g, n in zip(parsed.groups, counts, strict=True) if n < RARE_BELOW)
    if not rare:
        rare = (min(zip(counts, range(len(counts)), parsed.groups, strict=False))[2],)
    return replace(parsed, groups=rare)
