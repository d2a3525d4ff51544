"""Trending (issue 13, item 4): an editor's box shows each story once, then the next story.
Fixtures of my own: window articles by number, each entry with how much each of its articles
is about it (1.0 its first tag, 0.6 its second, 0.5 an article of a story it names, less a
passing mention), the stories as the pipeline grouped them, and four papers. Each test is the
case that kept one of the gold days' topics out of the box:
- a story most of whose articles an entry shown holds is told whole: a person it names, whose
  tag its other reports do not carry, takes no second slot for it («سعود كريري» beside «كأس
  السوبر», 2015-08-11);
- a person's own articles in a story told count half for him: he is news of his own in it
  («فيصل بن خالد» visiting the wounded of the bombing, 2015-08-07);
- an entry shown tells only the articles it is about: one naming it in passing still tells
  another tag's news («داعش» named in a piece on Taliban after Mullah Omar, 2015-08-07);
- an entry shown in place of the one picked (its better name) must hold news not told yet."""

from __future__ import annotations

from collections import Counter

from marsad.store.keyphrases import kind_code
from marsad.store.trending import (
    STORY_ARTICLE,
    _Entry,
    _Group,
    _pick,
    _told,
    tag_key,
)

PAPERS = 4


def _entry(
    display: str,
    kind: str,
    weights: dict[int, float],
    story_of: dict[int, int],
    *,
    tagged: set[int] | None = None,
    burst: float = 4.0,
) -> _Entry:
    """An entry of the tag `display`: its event's articles with how much each is about it; the
    tag is on `tagged` (all of them if not given; the others are of a story it names)."""
    on = set(weights) if tagged is None else tagged
    group = _Group(tag_key(display))
    group.displays[display] = len(on)
    group.articles = set(on)
    group.ranks = {a: 0 if weights[a] >= 1 else 1 for a in on}
    group.sources = {a % PAPERS for a in on}
    group.stories = Counter(story_of[a] for a in on if a in story_of)
    group.kinds[kind_code(kind)] = len(on)
    return _Entry(
        group,
        burst,
        dict(weights),
        {a: a % PAPERS for a in weights},
        1.0,
        burst,
        stories=frozenset(story_of[a] for a in weights if a in story_of),
    )


def _stories(story_of: dict[int, int]) -> dict[int, frozenset[int]]:
    members: dict[int, set[int]] = {}
    for article, story in story_of.items():
        members.setdefault(story, set()).add(article)
    return {story: frozenset(m) for story, m in members.items()}


def _box(entries: list[_Entry], story_of: dict[int, int], limit: int) -> list[str]:
    picked = _pick(sorted(entries, key=lambda e: e.group.words), limit, 3, _stories(story_of))
    return [e.trend().display for e in picked]


def test_a_story_told_takes_one_slot() -> None:
    # The super cup story: 12 reports (1-12); the match's tag is on 7 of them and on 6 more
    # reports of other stories. The Hilal's player, whose absence from it the story tells,
    # names the story (its other reports at 0.5) though his tag is on four of them only.
    story_of = {a: 1 for a in range(1, 13)}
    story_of |= {a: 100 + a for a in range(101, 107)} | {a: 2 for a in range(201, 205)}
    cup = _entry(
        "كأس السوبر", "topic", {a: 1.0 for a in [*range(1, 8), *range(101, 107)]}, story_of
    )
    player = {a: STORY_ARTICLE for a in range(1, 13)} | {8: 1.0, 9: 1.0, 1: 0.43, 2: 0.43}
    kariri = _entry("سعود كريري", "person", player, story_of, tagged={1, 2, 8, 9})
    fair = _entry("سوق عكاظ", "topic", {a: 0.6 for a in range(201, 205)}, story_of, burst=2.0)
    assert _box([cup, kariri, fair], story_of, 2) == ["كأس السوبر", "سوق عكاظ"]
    # Most of the story shown: all of it is told, the reports the match's tag is not on too.
    assert set(range(1, 13)) <= _told([cup], _stories(story_of))
    # Its reports of other stories, which it is about, are told too.
    assert not set(range(101, 107)) - _told([cup], _stories(story_of))


def test_a_persons_own_articles_in_a_told_story_count_half() -> None:
    # The bombing: 30 reports (1-30) under its tag. The emir's tag is on 12 of them (he visits
    # the wounded, prays on the martyrs) and on 4 reports of his own other news.
    story_of = {a: 1 for a in range(1, 31)} | {a: a for a in range(301, 305)}
    story_of |= {a: a for a in range(401, 407)}
    bombing = _entry("قوات الطوارئ", "organisation", {a: 1.0 for a in range(1, 31)}, story_of)
    his = {a: 1.0 for a in range(1, 7)} | {a: 0.6 for a in range(7, 13)}
    emir = _entry("فيصل بن خالد", "person", his | {a: 0.6 for a in range(301, 305)}, story_of)
    ministry = _entry(
        "وزارة الخدمة المدنية", "organisation", {a: 0.6 for a in range(401, 407)}, story_of
    )
    assert _box([bombing, emir, ministry], story_of, 2) == ["قوات الطوارئ", "فيصل بن خالد"]
    # Not a person: the same articles are the bombing's, and the ministry comes next.
    body = _entry("إمارة عسير", "organisation", emir.weights, story_of)
    assert _box([bombing, body, ministry], story_of, 2) == ["قوات الطوارئ", "وزارة الخدمة المدنية"]


def test_an_entry_named_in_passing_does_not_tell_the_article() -> None:
    # «داعش» on 20 reports of its own, and fourth among the tags of a piece on Taliban (501).
    story_of = {a: a for a in [*range(1, 21), *range(501, 506), *range(601, 605)]}
    isis = _entry("داعش", "organisation", {a: 1.0 for a in range(1, 21)} | {501: 0.33}, story_of)
    taliban = _entry(
        "طالبان", "organisation", {501: 1.0} | {a: 0.6 for a in range(502, 506)}, story_of
    )
    honey = _entry("مهرجان العسل", "topic", {a: 0.75 for a in range(601, 605)}, story_of)
    assert _box([isis, taliban, honey], story_of, 2) == ["داعش", "طالبان"]
    assert 501 not in _told([isis], _stories(story_of))
    # Taliban's piece about «داعش» (its second tag) is told by it: then the festival leads.
    isis.weights[501] = 0.6
    assert _box([isis, taliban, honey], story_of, 2) == ["داعش", "مهرجان العسل"]


def test_a_better_name_must_hold_news_not_told_yet() -> None:
    # The imam's condolences on the bombing (1-4, in its story) and two pieces on the Haram's
    # works (701, 702), all under the mosque's name too, with five more of its reports. He
    # names the mosque's event better (the shared articles are more about him), yet only his
    # two pieces on the works are not the bombing's: the mosque stays, and he takes no slot.
    story_of = {a: 1 for a in range(1, 11)} | {a: a for a in range(701, 708)}
    story_of |= {a: 9 for a in range(801, 805)}
    bombing = _entry("قوات الطوارئ", "organisation", {a: 1.0 for a in range(1, 11)}, story_of)
    place = {a: 0.33 for a in range(1, 5)} | {a: 1.0 for a in range(701, 708)}
    mosque = _entry("المسجد النبوي", "place", place, story_of)
    imam = {a: 1.0 for a in range(1, 5)} | {701: 0.6, 702: 0.6}
    sudais = _entry("عبدالرحمن السديس", "person", imam, story_of)
    other = _entry("رسل السلام", "topic", {a: 0.6 for a in range(801, 805)}, story_of, burst=2.0)
    box = _box([bombing, mosque, sudais, other], story_of, 3)
    assert box == ["قوات الطوارئ", "المسجد النبوي", "رسل السلام"]
