"""Trending tags («الأكثر تداولًا»): the day's events under the tag that names them, the
biggest first, each told by several sources and bursting over the days before.

For each tag of an article published in the window: a = window articles carrying it, N = window
articles with tags; b = the stored articles before the window carrying it (the article count
`store/keyphrases.py` keeps for each of its spellings, less their window articles) out of M =
the other tagged articles. The burst is (a / N) / ((b + 1) / (M + 1)). A tag carried by 1% or
more of the articles before and about as common in the window (a burst from 0.5 to 2.5:
"الرياض", "مجلس الوزراء") is evergreen and never shown, unless it stands far above its
usual share (half as common again, on ten window articles more than that share gives, which are
about it: "داعش" the day it claims the bombing); yesterday's big story, much less common today
than before (burst under 0.5) yet on 2% of the window, is news still told, and its score
weighs it as a tag just bursting (burst 2): the days it is compared with are its own days.

Spelling variants are one tag: the article and a clitic off ("كرة القدم", "لكرة القدم"), a
foreign name written with either of two letters ("موراليس", "موراليز"), a longer form that
spells a shorter one out ("تنظيم داعش الإرهابي", "داعش"), the ways of naming one thing the
search's synonyms list ("تنظيم الدولة الإسلامية", "داعش"), a family name alone ("العبادي",
"حيدر العبادي") and "عبد العزيز" written apart. A name inside a longer one right after بن is
the father's ("نايف بن عبدالعزيز" in "محمد بن نايف بن عبدالعزيز"): the longer never folds
into it; and a name the tagger cut off its head ("نايف بن عبدالعزيز آل سعود") counts for the
person on the articles whose text writes it after his name each time ("محمد بن نايف").

A tag's event is its articles and the stories (as the pipeline grouped them, `story_id`) it
names. A tag naming no story trends when it bursts, or when it is more common than before and
what its articles are about (the market's fall, told in several small stories). Events are
picked greedily, the best first, each scored on the articles no entry shown tells yet, as an
editor's box shows each story once, then the next: an entry tells the articles it is about (its
tag first or second among theirs, or of a story it names), not those naming it in passing
("داعش" in a piece on Taliban), and a story (of three articles or more) most of whose articles
the entries shown hold is told whole ("كأس السوبر" tells the Hilal's reports before the match,
so "سعود كريري", absent from it, takes no slot for them); only a person's own articles in news
told count, at half, as he is news of his own in it ("فيصل بن خالد" visiting the bombing's
wounded). An entry's score: (their aboutness)^0.75 × (their mean aboutness)^0.5 ×
log(min(max(lift, 1), 10) + e − 1) × √(their sources, up to 10), where the lift is the burst on
its evidence, burst × (a − √a) / a (three new articles burst high on little: a phrase seen once
weighs less than a tag of the day's stories), an article counting less the lower the tag stands
among its tags, so an event its articles name only in passing ("روما" in Barcelona's match
reports) weighs less than its count. A ministry named in every reaction to the day's bombing
("وزارة الخارجية") counts only the articles the bombing's entry has not told. A single common
word ("الهجوم") names only a story nothing more specific names; the tail of a longer name cut
at its preposition ("لشؤون المسجد الحرام") never stands alone; an entry holding a shown entry's
words, or mostly the same articles, repeats it and is left out (or takes its place, if the
shared articles are more about it: "كأس السوبر", not "لندن" where the match was played): one
event is one entry.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import select

from marsad.arabic.normalize import matching_form
from marsad.arabic.stopwords import read_word_list
from marsad.store.keyphrases import tagged_articles, vote_kind
from marsad.store.schema import article_keyphrases, articles, keyphrases
from marsad.store.search import synonym_lines
from marsad.store.times import utc_naive
from marsad.store.writer import Writes

MIN_SOURCES = 3  # a phrase one or two papers repeat is their own, not the day's news
MIN_ARTICLES = 3
MIN_BURST = 2.0  # a tag naming no story: share in the window at least this many times before
RISING_BURST = 1.0  # a tag its articles are about trends once more common than before ...
FOCUSED = 0.5  # ... when on average it stands about second among their tags
MIN_BACKGROUND = 200  # fewer earlier tagged articles than this: no shares to compare yet
MAX_WINDOW_ROWS = 200_000  # tag links read for one window, whatever the store holds
HOSTED = 0.25  # an event on this share of a place's articles, mostly there, is its news
FACET = 0.8  # a shown entry this much inside a bigger one is one side of its event ...
WHOLE = 1.5  # ... when the bigger one has this many times its articles
SAME_STORY = 0.5  # an entry whose articles are mostly a shown entry's tells the same news
TELLS = 0.5  # an entry tells the articles it is this much about: its first or second tag
TOLD = 0.5  # a story this much of whose window articles the entries shown hold is told
PERSON_TOLD = 0.5  # a person's own article in news told already counts this much for him
BURST_CAP = 10.0  # past this a burst adds nothing: a tag rarely chosen before bursts on little
EVERGREEN_BURST = 2.5  # a tag no more common in the window than this times before ...
FADING_BURST = 0.5  # ... and not far less common (yesterday's story, still told) ...
EVERGREEN_SHARE = 0.01  # ... on at least this share of the articles before is evergreen
BASE_BURST = 1.5  # an evergreen tag this many times as common as before ...
MIN_EXCESS = 10  # ... on this many window articles more than its usual share would give ...
BASE_ABOUT = 0.4  # ... which are about it (not a name in every condolence) is news again
STILL_BIG = 0.02  # a story fading since the days before, on this share of the window, is news
BIG_BEFORE = 0.05  # ... when it was on this share of the articles before the window
GENERIC_WORD = 0.4  # a single common word's weight as a story's label
LABEL_BURST = 0.25  # how much a tag's burst counts, beside its articles, in naming a story
LABEL_FOCUS = 1.0  # how much a tag found outside the story counts against it as its name
SOURCE_CAP = 10  # past this many sources, more add nothing to an entry
ABOUT_RANK = 1.5  # an article counts a third for the tag fourth among its tags
WEAK_NAME = 0.5  # an entry whose articles are on average less about it than this names weakly
STORY_ARTICLE = 0.5  # an article of a story the tag names that does not carry the tag
SIZE_POWER = 0.75  # an event twice as big weighs 1.7 times as much
FOCUS_POWER = 0.5  # an event its articles name in passing, a third as much about it, weighs 0.58


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
    ranks: dict[int, int] = field(default_factory=dict)  # article → the tag's place among its tags
    sources: set[int] = field(default_factory=set)
    stories: Counter[int] = field(default_factory=Counter)
    kinds: Counter[int] = field(default_factory=Counter)  # the window articles' votes
    earlier: int = 0  # stored articles before the window carrying it


_ABD_RE = re.compile(r"(?<!\S)([وبلف]?)عبد ال(?=\S)")  # "عبد الله" → "عبدالله"


def tag_key(phrase: str) -> tuple[str, ...]:
    """Matching-form words without the article (and a clitic before it: "وال", "بال", "لل"):
    spelling variants of one tag share it. A leading و/ب/ل/ف without the article is left on,
    as it may be the word's own letter ("لبنان"); `_merge_clitics` joins those variants."""
    out = []
    # "الطوارىء" and "الطوارئ": a hamza on a dotless yeh folds to ي + ء in the matching form;
    # "عبد العزيز" and "عبدالعزيز": a name compound with عبد is written apart or joined.
    for word in _ABD_RE.sub(r"\1عبدال", matching_form(phrase).replace("يء", "ئ")).split():
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
    articles, so their counts before the window add up; a longer form (`nested`) is mostly on
    articles that carry the shorter one too, so the larger count stands for both."""
    group, into = groups.pop(key), groups[base]
    into.ids |= group.ids
    if nested:
        into.earlier = max(into.earlier, group.earlier)
    else:
        into.earlier += group.earlier
    into.kinds.update(group.kinds)
    into.displays.update(group.displays)
    into.articles |= group.articles
    for article, rank in group.ranks.items():
        into.ranks[article] = min(rank, into.ranks.get(article, rank))
    into.sources |= group.sources
    into.stories.update(group.stories)


def _merge_clitics(groups: dict[tuple[str, ...], _Group]) -> None:
    """Fold "لكرة القدم" into "كرة القدم" when the window has both."""
    for key in sorted(groups, key=len):
        first = key[0] if key else ""
        base = (first[1:], *key[1:])
        if len(first) >= 4 and first[0] in "وبلف" and base in groups and key in groups:
            _fold(groups, key, base)


# Letters a foreign name is written with either of ("موراليس", "موراليز"; "طهران", "تهران").
_SPELLING = str.maketrans({"ز": "س", "ط": "ت", "ض": "د", "ق": "ك", "ظ": "ذ"})
_MIN_SPELLING_WORD = 5  # shorter words differ by such a letter as different words do


def _merge_spellings(groups: dict[tuple[str, ...], _Group]) -> None:
    """Fold the spellings of one name that differ only by such letters, in words of five
    letters or more, into the spelling most window articles use."""
    by_skeleton: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in groups:
        if any(len(w) >= _MIN_SPELLING_WORD for w in key):
            skeleton = tuple(
                w.translate(_SPELLING) if len(w) >= _MIN_SPELLING_WORD else w for w in key
            )
            by_skeleton.setdefault(skeleton, []).append(key)
    for keys in by_skeleton.values():
        if len(keys) > 1:
            keys.sort(key=lambda k: (-len(groups[k].articles), k))
            for key in keys[1:]:
                _fold(groups, key, keys[0])


def _merge_synonyms(groups: dict[tuple[str, ...], _Group]) -> None:
    """Fold the ways news names one thing (the search's synonyms: "تنظيم الدولة الإسلامية",
    "داعش") into the way most window articles use."""
    for line in synonym_lines():
        ways = {tag_key(way) for way in line}
        keys = sorted(k for k in groups if any(_spells_out(k, way) for way in ways))
        if len(keys) > 1:
            keys.sort(key=lambda k: (-len(groups[k].articles), k))
            for key in keys[1:]:
                _fold(groups, key, keys[0])


_ARTICLE_RE = re.compile(r"^[وفبل]?(?:ال|لل)")  # a noun with the article: no name

_LINEAGE = frozenset({"بن", "بنت", "ابن"})  # "محمد بن نايف": the name after it is the father's

_BODY_HEADS = frozenset({"تنظيم", "منظمه", "حركه", "جماعه", "ميليشيا", "مليشيا"})


def _named(group: _Group) -> bool:
    """Whether a one-word tag is a name: written without the article ("داعش", "طالبان"), not a
    noun ("الاتفاق", which "الاتفاق النووي" and the club share; "نقطة", a feminine noun)."""
    form = matching_form(_display(group))
    return not (_ARTICLE_RE.match(form) or form.endswith("ه"))


def _display(group: _Group) -> str:
    """The spelling the window uses most ("الإدارة العامة للتعليم", not the cut "الإدارة
    العامة" it was folded into); on a tie the fuller ("حيدر العبادي", not "العبادي"), then
    the form the others were folded into ("كرة القدم", not "لكرة القدم")."""
    return min(
        group.displays,
        key=lambda d: (-group.displays[d], -len(d.split()), tag_key(d) != group.words, d),
    )


def _merge_surnames(groups: dict[tuple[str, ...], _Group]) -> None:
    """Fold a family name alone into the person of the window it ends: "العبادي" → "حيدر
    العبادي", "الجبير" → "عادل الجبير" (not when two people of the day's names share it)."""
    ends: dict[str, list[tuple[str, ...]]] = {}
    for key, group in groups.items():
        if len(key) >= 2 and len(group.articles) >= 2 and vote_kind(group.kinds) == "person":
            ends.setdefault(key[-1], []).append(key)
    for key in list(groups):
        names = ends.get(key[0], []) if len(key) == 1 and len(key[0]) >= 4 else []
        if not names or vote_kind(groups[key].kinds) in ("place", "organisation"):
            continue
        sizes = [len(groups[name].articles) for name in names]
        if 2 * max(sizes) >= sum(sizes):  # most of the names ending with it are one person's
            _fold(groups, key, names[sizes.index(max(sizes))], nested=True)


def _lineage_pairs(
    groups: dict[tuple[str, ...], _Group],
) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Tags that may be a person's name cut off its head, beside a person of the window whose
    name ends with their first word: "نايف بن عبدالعزيز آل سعود" beside "محمد بن نايف".
    Tail → the heads it may belong to."""
    ends: dict[str, list[tuple[str, ...]]] = {}
    for key, group in groups.items():
        if len(key) >= 3 and key[-2] in _LINEAGE and vote_kind(group.kinds) == "person":
            ends.setdefault(key[-1], []).append(key)
    pairs = {}
    for key, group in groups.items():
        heads = [h for h in ends.get(key[0], []) if h != key]
        if len(key) >= 3 and key[1] in _LINEAGE and heads and vote_kind(group.kinds) == "person":
            pairs[key] = heads
    return pairs


def _merge_lineages(
    groups: dict[tuple[str, ...], _Group],
    pairs: dict[tuple[str, ...], list[tuple[str, ...]]],
    texts: dict[int, str],
    article_source: dict[int, int],
    article_story: dict[int, int],
) -> None:
    """Move a name cut off its head to the person its articles' texts write it after: the
    articles tagged "نايف بن عبدالعزيز آل سعود" that read "محمد بن نايف بن عبدالعزيز آل سعود"
    go to "محمد بن نايف" (the tagger cut the name) when the text never writes it alone; those
    naming someone else of the family, or the father himself, stay. Its count before the
    window goes with its articles."""
    for tail, heads in pairs.items():
        if tail not in groups:
            continue
        words = [matching_form(d).split() for d in groups[tail].displays]
        rests = sorted({" ".join(w) for w in words if len(w) >= 3 and w[1] in _LINEAGE})
        chains = {  # the head as written up to the tail's first word, then the tail's rest
            head: _ending(groups[head], tail[0]) for head in heads if head in groups
        }
        for article in sorted(groups[tail].articles):
            text = texts.get(article, "")
            uses = {  # each time the text writes the tail, the head is written before it
                (text.count(f"{form} {rest.split(maxsplit=1)[1]}"), display, head)
                for head, forms in chains.items()
                for form, display in forms.items()
                for rest in rests
                if text.count(f"{form} {rest.split(maxsplit=1)[1]}") >= text.count(rest)
            }
            n, display, head = max(uses, default=(0, "", tail))
            if n:
                _move(groups, tail, head, display, article, article_source, article_story)
                if tail not in groups:
                    break


def _ending(group: _Group, word: str) -> dict[str, str]:
    """The group's spellings of a name ending "بن <word>" (matching form → display): "محمد
    بن نايف", not the "محمد بن نايف بن عبدالعزيز" folded into it nor a word alone."""
    forms = {}
    for display in sorted(group.displays):
        key = tag_key(display)
        if len(key) >= 3 and key[-2] in _LINEAGE and key[-1] == word:
            forms[matching_form(display)] = display
    return forms


def _move(
    groups: dict[tuple[str, ...], _Group],
    key: tuple[str, ...],
    into_key: tuple[str, ...],
    display: str,
    article: int,
    article_source: dict[int, int],
    article_story: dict[int, int],
) -> None:
    """Count one window article of the tag `key` as the tag `into_key`'s, in the spelling
    `display`, with its share of the count before the window, its story and its vote."""
    group, into = groups[key], groups[into_key]
    share = round(group.earlier / max(len(group.articles), 1))
    group.earlier -= share
    into.earlier += share
    group.articles.discard(article)
    rank = group.ranks.pop(article)
    into.ranks[article] = min(rank, into.ranks.get(article, rank))
    into.articles.add(article)
    into.sources.add(article_source[article])
    into.displays[display] += 1
    kind = max(sorted(group.kinds), key=lambda code: group.kinds[code])
    into.kinds[kind] += 1
    story = article_story.get(article)
    if story is not None:
        into.stories[story] += 1
        group.stories[story] -= 1
    if not group.articles:
        del groups[key]
        return
    group.sources = {article_source[a] for a in group.articles}
    group.kinds[kind] = max(group.kinds[kind] - 1, 0)
    shown = _display(group)
    group.displays[shown] = max(group.displays[shown] - 1, 1)
    group.stories = +group.stories


def _spells_out(key: tuple[str, ...], base: tuple[str, ...]) -> bool:
    """Whether a tag is `base` or `base` with a body's head before it or a relative adjective
    after it ("تنظيم الدولة الإسلامية" of "الدولة الإسلامية", "داعش الإرهابي" of "داعش")."""
    n = len(base)
    return any(
        key[i : i + n] == base
        and all(w in _BODY_HEADS or w.endswith(("ي", "يه")) for w in key[:i] + key[i + n :])
        for i in range(len(key) - n + 1)
    )


def _merge_longer(groups: dict[tuple[str, ...], _Group]) -> None:
    """Fold a longer form into the tag it spells out, when the window has both: "تنظيم داعش",
    "تنظيم داعش الإرهابي" → "داعش"; "فيصل بن خالد بن عبدالعزيز" → "فيصل بن خالد"; "الاتفاق
    النووي الإيراني" → "الاتفاق النووي". A single word takes only a body's head before it
    or a relative adjective after it ("داعش الإرهابي"), so "مصر" does not swallow "بنك مصر"."""
    heads = _shared_heads(groups)
    for key in sorted(groups, key=lambda k: -len(k)):
        bases = []
        person = vote_kind(groups[key].kinds) == "person"
        for n in range(1, len(key)):
            for i in range(len(key) - n + 1):
                base, rest = key[i : i + n], key[:i] + key[i + n :]
                if i and key[i - 1] in _LINEAGE:
                    continue  # "نايف بن عبدالعزيز" in "محمد بن نايف بن عبدالعزيز": the father
                if n == 1 and person:
                    continue  # "محمد السهلاوي", "محمد هادي رياني": a first name is no one
                if i == 0 and n in heads.get(key, ()):
                    continue  # "الإدارة العامة لجمع السلاح" is not "الإدارة العامة للتعليم"
                if base in groups and (
                    n >= 2
                    or (
                        _named(groups[base])
                        and all(w in _BODY_HEADS or w.endswith(("ي", "يه")) for w in rest)
                    )
                ):
                    bases.append(base)
        if bases:  # into the form most window articles use ("قوات الطوارئ", not "منسوبي قوات")
            best = max(bases, key=lambda b: (len(groups[b].articles), b))
            _fold(groups, key, best, nested=True)


def _of_at(group: _Group) -> set[int]:
    """Where the tag's words open with the preposition ل ("للتعليم", "لجمع"), in any of its
    spellings (the key has it off "للتعليم")."""
    at = set()
    for display in group.displays:
        words = _spelt_words(display)
        at |= {n for n, w in enumerate(words) if len(w) >= 4 and w[0] == "ل" and n}
    return at


def _spelt_words(phrase: str) -> list[str]:
    """The words of a tag as `tag_key` sees them, before any article or clitic is peeled."""
    return _ABD_RE.sub(r"\1عبدال", matching_form(phrase).replace("يء", "ئ")).split()


def _shared_heads(groups: dict[tuple[str, ...], _Group]) -> dict[tuple[str, ...], set[int]]:
    """Heads of several bodies' names: the words before the preposition ل in two or more
    different names of the window ("الإدارة العامة" of "الإدارة العامة للتعليم" and "الإدارة
    العامة لجمع السلاح"; not "مجلس التعاون", whose one name goes on "لدول الخليج العربية").
    Tag → where the head its ل-word follows ends, for the tags that open with such a head."""
    at = {key: _of_at(group) for key, group in groups.items()}
    after: dict[tuple[str, ...], set[str]] = {}
    for key, ends in at.items():
        for end in ends:
            after.setdefault(key[:end], set()).add(key[end])
    shared = {head for head, words in after.items() if len(words) >= 2}
    return {key: {e for e in ends if key[:e] in shared} for key, ends in at.items() if ends}


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
        return (a / self.window) / ((group.earlier + 1) / (self.before + 1))

    def evergreen(self, group: _Group, burst: float) -> bool:
        """A tag as common before the window as in it, and common there: "الرياض"; not one
        that rose on its high base (`risen`)."""
        if self.before < MIN_BACKGROUND:
            return False
        common = group.earlier >= EVERGREEN_SHARE * self.before
        steady = FADING_BURST <= burst < EVERGREEN_BURST
        return common and steady and not self.risen(group, burst)

    def risen(self, group: _Group, burst: float) -> bool:
        """Whether a tag common on every day stands far above its usual share: half as common
        again as before and on ten window articles or more than that share gives, articles
        about it (on average about its third tag or better): "داعش" on the day it claims the
        bombing, not the king named in every condolence on it."""
        expected = self.window * (group.earlier + 1) / (self.before + 1)
        excess = len(group.articles) - expected
        return burst >= BASE_BURST and excess >= MIN_EXCESS and _mean_about(group) >= BASE_ABOUT

    def fading(self, group: _Group, burst: float) -> bool:
        """Whether a tag is the big story of the days before, still big: less than half as
        common as before, yet on 2% of the window's articles (the bombing four days on); big
        before, on 5% of the articles (not a country the news names every day, less today)."""
        return (
            burst < FADING_BURST
            and len(group.articles) >= STILL_BIG * self.window
            and group.earlier >= BIG_BEFORE * self.before
        )

    def lift(self, group: _Group, burst: float) -> float:
        """The burst an entry's score weighs: its own, but a story still big from the days
        before weighs as a tag just bursting (`MIN_BURST`): the days it is compared with are
        its own days, so its fall measures their size, not whether it is news today."""
        if self.before >= MIN_BACKGROUND and self.fading(group, burst):
            return max(burst, MIN_BURST)
        a = len(group.articles)
        return burst * max(a - math.sqrt(a), 0.0) / max(a, 1)

    def bursting(self, group: _Group, burst: float) -> bool:
        """Whether a tag that names no story is news across stories: far more common than
        before ("داعش" on the day of its attacks); more common than before and what its
        articles are about, on average about their second tag ("الأسهم السعودية" on the day
        the market falls, in reports the pipeline told as several small stories), not a
        passing mention ("الأمم المتحدة" in reactions); or the big story of the days before
        still big (less than half as common as before, yet on 2% of the window's articles:
        the bombing four days on, not "الرياض" on a day the bombing crowds out)."""
        if self.before < MIN_BACKGROUND:
            return True
        focused = burst >= RISING_BURST and _mean_about(group) >= FOCUSED
        fading = self.fading(group, burst)
        return burst >= MIN_BURST or focused or fading or self.risen(group, burst)


@dataclass(frozen=True)
class _Window:
    """The window's tags (spelling variants merged), its stories, each article's source and
    the counts to compare the window with."""

    groups: dict[tuple[str, ...], _Group]
    stories: dict[int, _Story]
    article_source: dict[int, int]
    background: _Background


@dataclass
class _Entry:
    """A candidate line of the trending box: a tag with its event's articles and sources."""

    group: _Group
    burst: float
    weights: dict[int, float]  # article → how much it is about the tag
    sources: dict[int, int]  # article → source
    specific: float
    lift: float  # the burst its score weighs (`_Background.lift`)
    score: float = 0.0
    stories: frozenset[int] = frozenset()  # the stories its articles are in

    @property
    def articles(self) -> set[int]:
        """The event's articles."""
        return set(self.weights)

    def value(self, shown: set[int]) -> tuple[float, int, int]:
        """The score on the articles no entry shown tells yet, and their articles and sources.
        A person's own articles in news told already (`PERSON_TOLD`) count half: he is news
        of his own in the story shown, as readers follow him ("فيصل بن خالد" visiting the
        wounded of the bombing told first), though the story's other reports are not his."""
        fresh = [a for a in self.weights if a not in shown]
        n_sources = len({self.sources[a] for a in fresh})
        about = sum(self.weights[a] for a in fresh)
        n = float(len(fresh))
        if vote_kind(self.group.kinds) == "person":
            his = [a for a in self.group.ranks if a in shown]
            about += PERSON_TOLD * sum(self.weights[a] for a in his)
            n += PERSON_TOLD * len(his)
        score = (
            about**SIZE_POWER
            * (about / max(n, 1)) ** FOCUS_POWER
            * _weight(self.lift)
            * math.sqrt(min(n_sources, SOURCE_CAP))
            * self.specific
        )
        return score, len(fresh), n_sources

    def trend(self) -> Trend:
        """The entry as shown."""
        group = self.group
        return Trend(
            _display(group),
            vote_kind(group.kinds),
            len(self.articles),
            len(set(self.sources.values())),
            round(self.burst, 2),
            round(self.score, 3),
        )


def _about(rank: int) -> float:
    """How much an article is about a tag, by the tag's place among the article's tags: 1 for
    its first, 0.6 for its second, a third for its fourth, 0.14 for its tenth (a credit or a
    passing mention)."""
    return 1.0 / (1.0 + rank / ABOUT_RANK)


def _mean_about(group: _Group) -> float:
    """How much the tag's window articles are about it, on average."""
    return sum(_about(r) for r in group.ranks.values()) / max(len(group.ranks), 1)


def _weight(burst: float) -> float:
    """How much a burst lifts an entry: grows with the burst, capped, since a tag rarely
    chosen before ("عبدالله" alone) bursts on little evidence; a fading story (burst under
    1) weighs as a steady one."""
    return math.log(min(max(burst, 1.0), BURST_CAP) + math.e - 1)


def _specific(group: _Group) -> float:
    """1.0 for a name or a phrase ("داعش", "موراليس", "قناة السويس"), 0 for a single common
    word, a topic written with the article ("الهجوم", "المناطق"), which never trends of its
    own."""
    if len(_display(group).split()) > 1 or vote_kind(group.kinds) != "topic":
        return 1.0
    return 1.0 if _named(group) else 0.0


def _cut(key: tuple[str, ...], words: set[str], tails: set[tuple[str, ...]]) -> bool:
    """Whether a tag opens with the preposition ل and is the end of a longer tag of the window,
    or a word its tags also use without it or the news uses every day: the tail of a longer
    name, cut ("لشؤون المسجد الحرام" of "الرئاسة العامة لشؤون المسجد الحرام", "لشؤون
    الدفاع"), not one of its own; and so is a portfolio ("شؤون الدفاع", "الشؤون الصحية"). A name that opens
    with ل ("لبنان", "لندن") is no tail and leaves no such word without it."""
    first = key[0] if key else ""
    if first in _PORTFOLIOS:
        return True
    tail = key in tails or first[1:] in words or first[1:] in _common_words()
    return len(first) >= 5 and first[0] == "ل" and tail


# A body's portfolio, its name's tail: "الشؤون الصحية" of "مديرية الشؤون الصحية", "شؤون الدفاع"
# of "مساعد وزير الدفاع لشؤون الدفاع" (ل peeled by the tokenizer), never a tag of its own.
_PORTFOLIOS = frozenset(tag_key("الشؤون الشئون"))


@cache
def _common_words() -> frozenset[str]:
    """Words the news uses every day in every paper ("شؤون"): after the preposition ل they
    are the rest of a longer name ("لشؤون الدفاع"), never a name of their own."""
    return read_word_list("common_words.txt")


def _labels(
    stories: dict[int, _Story],
    groups: dict[tuple[str, ...], _Group],
    bursts: dict[tuple[str, ...], float],
    min_sources: int,
) -> dict[tuple[str, ...], list[int]]:
    """For each story of the window told by enough sources, the tag that best names it: the
    most of its articles, the fewest elsewhere, weighed by burst and specificity (so "قناة
    السويس" names its story, not "مصر" nor "المشروع"). Tag → the stories it names."""
    best: dict[int, tuple[float, tuple[str, ...]]] = {}
    big = {
        s.id
        for s in stories.values()
        if len(s.articles) >= MIN_ARTICLES and len(s.sources) >= min_sources
    }
    for key, group in groups.items():
        if len(group.articles) < 2 or key not in bursts:
            continue
        specific = _specific(group) or GENERIC_WORD
        for story_id, n in group.stories.items():
            if story_id in big and n >= 2:
                value = (
                    n
                    * (n / len(group.articles)) ** LABEL_FOCUS
                    * min(max(bursts[key], 0.25), BURST_CAP) ** LABEL_BURST
                    * specific
                )
                if story_id not in best or (value, key) > best[story_id]:
                    best[story_id] = (value, key)
    named: dict[tuple[str, ...], list[int]] = {}
    for story_id, (_, key) in best.items():
        named.setdefault(key, []).append(story_id)
    return named


def _entries(window: _Window, min_sources: int) -> list[_Entry]:
    """Every tag that may trend, with the articles of its event: its own and those of the
    stories it names. Evergreen tags, first names alone and single common words that name
    no story are left out. In the order of their words, so ties break the same on every run."""
    stories, groups, background = window.stories, window.groups, window.background
    article_source = window.article_source
    article_story = {a: s.id for s in stories.values() for a in s.articles}
    bursts = {}
    for key, group in groups.items():
        burst = background.burst(group)
        if not background.evergreen(group, burst):
            bursts[key] = burst
    named = _labels(stories, groups, bursts, min_sources)
    first_names = {key[0] for key in groups if len(key) > 1}
    words = {word for key in groups for word in key}
    spelt = {tag_key(d) for group in groups.values() for d in group.displays}  # before folds
    tails = {key[i:] for key in spelt for i in range(1, len(key))}
    entries = []
    for key, burst in bursts.items():
        group = groups[key]
        specific = _specific(group)
        if key in named:
            specific = specific or GENERIC_WORD
        elif len(_display(group).split()) == 1 and key[0] in first_names:
            continue  # "عبدالله", "محمد": the first word of the day's names, no one's name
        if not specific or _cut(key, words, tails):
            continue
        if key not in named and not background.bursting(group, burst):
            continue
        event = {a: _about(rank) for a, rank in group.ranks.items()}
        for story_id in named.get(key, ()):
            for article in stories[story_id].articles:
                event.setdefault(article, STORY_ARTICLE)
        if len(event) < MIN_ARTICLES:
            continue
        sources = {a: article_source[a] for a in event}
        if len(set(sources.values())) < min_sources:
            continue
        in_stories = frozenset(article_story[a] for a in event if a in article_story)
        entries.append(
            _Entry(
                group,
                burst,
                event,
                sources,
                specific,
                background.lift(group, burst),
                stories=in_stories,
            )
        )
    return sorted(entries, key=lambda e: e.group.words)


def _nested(entry: _Entry, shown: _Entry) -> bool:
    """Whether one tag holds the other's words ("قوات الطوارئ" and "مسجد قوات الطوارئ"; a
    single word never hides a longer name)."""
    short, long = sorted((entry.group.words, shown.group.words), key=len)
    n = len(short)
    return n >= 2 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _same_news(entry: _Entry, shown: _Entry) -> bool:
    """Whether an entry repeats one shown already: one tag holding the other's words, or
    most of its articles (or most of the shown entry's) among the shown entry's."""
    if _nested(entry, shown):
        return True
    common = len(entry.articles & shown.articles)
    people = [e for e in (entry, shown) if vote_kind(e.group.kinds) == "person"]
    if len(people) == 1:  # a person in an event, with news of his own besides (a third of his)
        return common >= FACET * min(len(entry.articles), len(shown.articles))
    return common >= SAME_STORY * min(len(entry.articles), len(shown.articles))


def _whole_of(whole: _Entry, part: _Entry, common: set[int]) -> bool:
    """Whether `part` is one side of the event `whole` names: most of its articles among the
    whole's, which has half as many again, its other articles about it too (on average about
    their third tag), not a name in passing on scattered news ("الشرق الأوسط" beside a death);
    a place is never such a whole (the news it hosts is not one event)."""
    if vote_kind(whole.group.kinds) == "place" or len(common) < FACET * len(part.weights):
        return False
    if len(whole.weights) < WHOLE * len(part.weights):
        return False
    rest = [w for a, w in whole.weights.items() if a not in common]
    return sum(rest) >= BASE_ABOUT * len(rest)


def _names_better(entry: _Entry, shown: _Entry, *, whole: bool = False) -> bool:
    """Whether an entry repeating a shown one is the better name of their event: the shown tag
    is a passing name in its articles (on average less than second among their tags), the
    shared articles are more about this one, and this one is at least half as big ("كأس
    السوبر" for the match, not "لندن" where it was played)."""
    if _nested(entry, shown):
        return False
    common = entry.weights.keys() & shown.weights.keys()
    mine = sum(entry.weights[a] for a in common)
    more_about = mine > sum(shown.weights[a] for a in common)
    kind, shown_kind = vote_kind(entry.group.kinds), vote_kind(shown.group.kinds)
    hosted = 2 * len(common) >= len(entry.weights)  # the event mostly told there ...
    if (
        shown_kind == "place"
        and kind != "place"
        and hosted
        and len(common) >= HOSTED * len(shown.weights)
    ):  # ... and a good part of the place's news
        return more_about  # the event where it happened: "كأس السوبر", not "لندن" that hosted it
    if _whole_of(shown, entry, common):
        return False  # a side of the event shown: "موقف المملكة" for "عادل الجبير"
    if _whole_of(entry, shown, common):
        return True  # "عادل الجبير", not "موقف المملكة" he stated
    if whole:
        return False  # only an event's whole, or the event a place hosted, is looked for
    theirs = sum(shown.weights.values())
    if theirs >= WEAK_NAME * len(shown.weights):
        return False  # the shown tag is what its articles are about ("تفجير عسير")
    bigger = 2 * sum(entry.weights.values()) >= theirs
    return bigger and more_about


def _better_name(
    entry: _Entry, entries: list[_Entry], shown: list[_Entry], told: set[int], min_sources: int
) -> _Entry:
    """The entry to show for the event of `entry`: the candidate repeating it that names it
    better and repeats no entry shown, the biggest if several; else `entry` itself. Looked for
    when the entry is picked, as the better name may score less on the articles left to it
    ("عادل الجبير" of 19 articles for "موقف المملكة" he stated, whose 10 are among his); it
    must still hold news not told yet, as any entry must (enough articles and sources left
    once the stories shown are taken out: not "السديس", whose condolences on the bombing are
    the bombing's story, for the Haram's works he named beside them)."""
    better = [
        other
        for other in entries
        if other is not entry
        and _same_news(other, entry)
        and _names_better(other, entry, whole=True)
        and not any(_same_news(other, e) for e in shown)
        and _left(other, told, min_sources)
    ]
    return max(better, key=lambda e: (len(e.weights), e.group.words), default=entry)


def _left(entry: _Entry, told: set[int], min_sources: int) -> bool:
    """Whether an entry holds enough articles and sources no entry shown tells yet."""
    _, articles_left, sources_left = entry.value(told)
    return articles_left >= MIN_ARTICLES and sources_left >= min_sources


def _told(shown: list[_Entry], stories: dict[int, frozenset[int]]) -> set[int]:
    """The articles the entries shown tell: those about one of them (its tag first or second
    among the article's tags, or of a story it names), not those naming it in passing («داعش»
    in a piece on Taliban after Mullah Omar); and every article of a story of three or more
    most of whose window articles they hold, even in passing: the story is told, and an
    editor shows a story once (the Hilal's reports before the super cup, under «سعود كريري»,
    once «كأس السوبر» told that story)."""
    told = {a for e in shown for a, weight in e.weights.items() if weight >= TELLS}
    held: set[int] = set().union(*(e.articles for e in shown))
    for story_id in {story_id for e in shown for story_id in e.stories}:
        members = stories[story_id]
        common = len(members & held)
        if common >= MIN_ARTICLES and common >= TOLD * len(members):
            told |= members
    return told


def _pick(
    entries: list[_Entry], limit: int, min_sources: int, stories: dict[int, frozenset[int]]
) -> list[_Entry]:
    """The best entries, greedily: each scored on the articles the entries shown before it do
    not tell (`_told`; a score only falls as entries are shown, so a heap re-scores lazily).
    An entry repeating a shown one that names its event better takes its place."""
    shown: list[_Entry] = []
    covered: set[int] = set()
    heap = [(-e.value(covered)[0], n) for n, e in enumerate(entries)]
    heapq.heapify(heap)
    changes = 0  # how often `covered` changed
    fresh_at = [0] * len(entries)  # `changes` when each entry was last scored
    while heap and len(shown) < limit:
        neg, n = heapq.heappop(heap)
        entry = entries[n]
        same = [i for i, other in enumerate(shown) if _same_news(entry, other)]
        others = shown[: same[0]] + shown[same[0] + 1 :] if len(same) == 1 else shown
        if (
            len(same) == 1
            and _names_better(entry, shown[same[0]])
            and _left(entry, _told(others, stories), min_sources)
        ):
            entry.score = shown[same[0]].score
            shown[same[0]] = entry
            covered = _told(shown, stories)
            changes += 1
            continue
        if same:
            continue
        if fresh_at[n] < changes:
            score, articles_left, sources_left = entry.value(covered)
            fresh_at[n] = changes
            if articles_left >= MIN_ARTICLES and sources_left >= min_sources:
                heapq.heappush(heap, (-score, n))
            continue
        score = min(-neg, shown[-1].score) if shown else -neg  # never above one shown
        entry = _better_name(entry, entries, shown, covered, min_sources)
        entry.score = score
        shown.append(entry)
        covered = _told(shown, stories)
        changes += 1
    return shown


class TrendingVerbs(Writes):
    """What is trending: keyphrases and stories bursting in the last hours."""

    if TYPE_CHECKING:
        # A verb of another group Store composes, which this one builds on.
        def reference_time(self) -> datetime: ...

    def trending_tags(
        self, hours: int = 24, limit: int = 20, min_sources: int = MIN_SOURCES
    ) -> list[Trend]:
        """The tags that burst in the last `hours` before the reference time, best first."""
        window = self._trending_window(hours)
        entries = _entries(window, min_sources)
        stories = {s.id: frozenset(s.articles) for s in window.stories.values()}
        return [entry.trend() for entry in _pick(entries, limit, min_sources, stories)]

    def _trending_window(self, hours: int = 24) -> _Window:
        """The tags of the last `hours` before the reference time, their spelling variants
        merged, with their stories and the counts before the window."""
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
                article_keyphrases.c.rank,
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
        article_source: dict[int, int] = {}
        stories: dict[int, _Story] = {}
        documents: dict[int, int] = {}
        in_window: Counter[int] = Counter()  # keyphrase id → window articles carrying it
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            total = tagged_articles(conn)
        for kp_id, display, kind, n_documents, article_id, source_id, story_id, rank in rows:
            article_source[article_id] = source_id
            documents[kp_id] = int(n_documents)
            in_window[kp_id] += 1
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
            group.ids.add(kp_id)
            group.displays[display] += 1
            group.kinds[int(kind)] += 1
            group.articles.add(article_id)
            group.ranks[article_id] = min(int(rank), group.ranks.get(article_id, int(rank)))
            group.sources.add(source_id)
            if story_id is not None:
                group.stories[story_id] += 1
        for group in groups.values():
            group.earlier = sum(max(documents[i] - in_window[i], 0) for i in group.ids)
        _merge_clitics(groups)
        _merge_spellings(groups)
        _merge_longer(groups)
        _merge_synonyms(groups)
        _merge_surnames(groups)
        pairs = _lineage_pairs(groups)
        if pairs:  # the texts of the articles of names that may be cut off their heads
            wanted = sorted(set().union(*(groups[tail].articles for tail in pairs)))
            with self.engine.connect() as conn:
                texts = dict(
                    conn.execute(
                        select(articles.c.id, articles.c.match_text).where(
                            articles.c.id.in_(wanted)
                        )
                    ).all()
                )
            article_story = {a: s.id for s in stories.values() for a in s.articles}
            _merge_lineages(groups, pairs, texts, article_source, article_story)
        n_window = len(article_source)
        background = _Background(n_window, max(total - n_window, 0))
        return _Window(groups, stories, article_source, background)
