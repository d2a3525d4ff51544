"""Related lists: links a reader would click, never copies, fewer rather than weak.

The corpus cases are links judged by reading in bench/gold/related_2015-08-02.json (see
bench/gold/RELATED.md): a slice of that day is enriched in publish order and the lists checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
import pytest

from marsad.enrich.dedupe import article_shingles, shingle_words, slot_words
from marsad.enrich.enricher import Enricher
from marsad.enrich.related import RelatedIndex, RelatedParams, copy_share, siblings
from marsad.ingest.cleaning import is_brief
from marsad.models import Article

DAY = "2015-08-02"
# The slice: every second article of the day, the cases below, and all whose title has these.
TOPICS = ("رسنال", "تشلسي", "تشيلسي", "القريات", "داعش", "الفتح", "ودي", "غرق", "شهيد")

CAUCASUS = "http://www.alriyadh.com/1069893"  # eight IS militants killed in the Caucasus
ANBAR = "http://www.alyaum.com/article/4081451"  # eight IS fighters killed in Anbar
FATEH = "http://www.alyaum.com/article/4081413"  # al-Fateh lose a friendly in Tunisia
WAHDA = "http://www.al-jazirah.com/2015/20150802/sp2.htm"  # al-Wahda lose a friendly in Cairo
DROWNED = "http://www.al-jazirah.com/2015/20150802/ln7.htm"  # a school guard drowns, Qurayyat
CONDOLED = "http://www.okaz.com.sa/new/Issues/20150802/Con20150802787052.htm"  # minister calls
SHIELD = "http://www.okaz.com.sa/new/Issues/20150802/Con20150802786975.htm"  # Arsenal-Chelsea
SHIELD_COPIES = (
    "http://www.okaz.com.sa/new/Issues/20150802/Con20150802787047.htm",
    "http://www.alwatan.com.sa/Sports/News_Detail.aspx?ArticleID=230758&CategoryID=6",
)
SHIELD_WON = (  # Arsenal win the Shield: reported by two papers
    "http://www.alriyadh.com/1069891",
    "http://sabq.org/QoDgde",
)
COLUMN = "http://www.al-jazirah.com/2015/20150802/ln38.htm"  # an opinion column


@pytest.fixture(scope="module")
def related(
    load_day: Callable[[str], list[Article]],
) -> Iterator[tuple[dict[str, list[str]], dict[str, Article]]]:
    """Each sliced article's final related list (URLs), and the articles by URL; briefs marked
    as the import marks them."""
    day = [replace(a, brief=is_brief(a.text)) for a in load_day(DAY)]
    named = {CAUCASUS, ANBAR, FATEH, WAHDA, DROWNED, CONDOLED, SHIELD, *SHIELD_WON, COLUMN}
    named |= set(SHIELD_COPIES)
    picked = [
        a
        for n, a in enumerate(day)
        if n % 2 == 0 or a.url in named or any(t in a.title for t in TOPICS)
    ]
    lists = Enricher().related_lists(picked)
    urls = {a.url: [picked[o].url for o in held] for a, held in zip(picked, lists, strict=True)}
    yield urls, {a.url: a for a in picked}


def test_other_happenings_of_one_kind_are_not_listed(
    related: tuple[dict[str, list[str]], dict[str, Article]],
) -> None:
    lists, _ = related
    assert ANBAR not in lists[CAUCASUS][:5]  # another battle
    assert WAHDA not in lists[FATEH][:5]  # another team's friendly
    assert lists[COLUMN] == []  # columns on other subjects, nothing of its own


def test_the_same_happening_is_listed(
    related: tuple[dict[str, list[str]], dict[str, Article]],
) -> None:
    lists, _ = related
    assert CONDOLED in lists[DROWNED][:5]
    assert set(SHIELD_WON) & set(lists[SHIELD][:5])


def test_copies_are_never_listed(related: tuple[dict[str, list[str]], dict[str, Article]]) -> None:
    lists, articles = related
    assert not set(SHIELD_COPIES) & set(lists[SHIELD])
    for url, held in lists.items():
        own = article_shingles(articles[url].match_title, articles[url].match_text)
        for other in held:
            theirs = article_shingles(articles[other].match_title, articles[other].match_text)
            assert copy_share(own, theirs) < RelatedParams().copy_share, (url, other)
    shown = [len(held) for url, held in lists.items() if len(articles[url].text.split()) >= 60]
    assert 0.2 < np.mean([n > 0 for n in shown]) < 0.8  # fewer rather than weak, not none


def _remember(index: RelatedIndex, article_id: int, title: str, text: str) -> None:
    """Give an index one article's traits from a title and a text (matching forms)."""
    words = frozenset(shingle_words(text))
    index.remember(article_id, article_shingles(title, text), slot_words(title), words)


def test_floors_relative_cut_and_read_also() -> None:
    index = RelatedIndex(RelatedParams(similar=3, keep=8))
    stories = {1: 10, 2: 10, 3: 11, 4: 12, 5: 10, 6: 13}
    for other, content in ((2, 0.45), (3, 0.4), (4, 0.28), (5, 0.25), (6, 0.29)):
        index.offer(1, other, content, content)
    assert not index.offer(1, 7, 0.19, 0.19)  # under every floor: never held
    # 4 and 6 are outside the story and under 0.3; 5 is inside it and over 0.2.
    assert index.ranked(1, lambda i: i, stories.get) == [3, 2, 5]
    index.offer(1, 8, 0.9, 0.9)
    stories[8] = 14
    # 3 and 5 are now under half the best (0.9); the read-also is the best outside story 10.
    assert index.ranked(1, lambda i: i, stories.get) == [8, 2]
    index.forget([1])
    assert 1 not in index.lists


def test_siblings_and_copies_are_refused_in_pairs() -> None:
    index = RelatedIndex()
    for n in range(10, 15):  # other items of the mould: its own words are common
        _remember(index, n, "تعازي لذوي الشهيد", "نقل مدير عام حرس الحدود تعازي القيادة")
    text = "نقل مدير عام حرس الحدود تعازي القيادة لذوي الشهيد {} في محافظة {} اليوم بعد الصلاة"
    _remember(index, 1, "تعازي لذوي الشهيد الحمدي في الطوال", text.format("الحمدي", "الطوال"))
    _remember(index, 2, "تعازي لذوي الشهيد بشيري في بارق", text.format("بشيري", "بارق"))
    _remember(index, 3, "جازان تودع الحمدي", "شيعت جازان الشهيد الحمدي بعد الصلاة عليه امس")
    _remember(index, 4, "تعازي لذوي الشهيد الحمدي في الطوال", text.format("الحمدي", "الطوال"))
    assert siblings(index.traits[1], index.traits[2])
    assert not index.pair(1, 2, 0.6, 0.6)  # one mould, other names
    assert index.pair(1, 3, 0.4, 0.4)  # the same funeral told again
    assert not index.pair(1, 4, 0.9, 0.9)  # a copy
    assert [o for _, o, _ in index.lists[1]] == [3]
    index.forget([1, 2, 3, 4, *range(10, 15)])
    assert not index.traits and not index.word_df
