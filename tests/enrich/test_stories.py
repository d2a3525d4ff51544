"""Story assignment: copies join their original's story, arrivals join the story most of whose
members they are linked to, far or unlinked arrivals start stories, fragments merge."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import numpy as np

from marsad.enrich.stories import StoryClusterer, StoryItem, StoryParams
from marsad.enrich.vectors import SentenceEncoder

T0 = datetime(2015, 7, 21, 8, tzinfo=UTC)


def unit(*values: float) -> np.ndarray:
    """A unit vector in the sentence space with the given leading components."""
    v = np.zeros(512, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def row(*tids: int) -> dict[int, float]:
    """A unit TF-IDF row over these term ids."""
    return {t: 1 / len(tids) ** 0.5 for t in tids}


def item(i: int, hours: float, title: str = "t", names: frozenset[str] = frozenset()) -> StoryItem:
    """A story item published `hours` after T0, its title row the same as its text row."""
    return StoryItem(i, T0 + timedelta(hours=hours), title, names)


def test_duplicate_joins_its_original_story_even_without_links() -> None:
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    first = clusterer.assign(item(1, 0), unit(1), row(1, 2), [], lambda i: next(ids))
    copy = StoryItem(2, T0 + timedelta(hours=1), "a", frozenset(), duplicate_of=1)
    assert clusterer.assign(copy, unit(0, 1), row(9), [], lambda i: next(ids)) == first


def test_linked_arrivals_join_weak_far_or_unlinked_ones_start_stories() -> None:
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    s1 = clusterer.assign(item(1, 0), unit(1), row(1, 2, 3), [], lambda i: next(ids))
    near = item(2, 2)
    assert clusterer.assign(near, unit(1), row(1, 2, 3), [(1, 0.9)], lambda i: next(ids)) == s1
    # Below the link cosine: no link, a story of its own.
    weak = item(3, 3)
    assert clusterer.assign(weak, unit(1), row(1, 7), [(1, 0.29)], lambda i: next(ids)) != s1
    late = item(4, 2 + StoryParams().gap.total_seconds() / 3600 + 1)
    assert clusterer.assign(late, unit(1), row(1, 2, 3), [(2, 0.99)], lambda i: next(ids)) != s1
    assert sorted(clusterer.stories[s1].members) == [1, 2]


def test_an_arrival_linked_to_one_member_of_three_starts_a_story() -> None:
    """Single links chain one happening to the next: a majority of the members must agree."""
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    s1 = clusterer.assign(item(1, 0), unit(1), row(1, 2), [], lambda i: next(ids))
    clusterer.assign(item(2, 1), unit(1), row(1, 2), [(1, 0.8)], lambda i: next(ids))
    clusterer.assign(item(3, 1), unit(1), row(1, 2), [(1, 0.8), (2, 0.8)], lambda i: next(ids))
    assert len(clusterer.stories[s1].members) == 3
    chained = clusterer.assign(item(4, 2), unit(1), row(2, 5), [(3, 0.5)], lambda i: next(ids))
    assert chained != s1
    both = clusterer.assign(
        item(5, 2), unit(1), row(1, 2), [(2, 0.5), (3, 0.5)], lambda i: next(ids)
    )
    assert both == s1


def test_merge_pass_joins_fragments_half_linked_and_follows_merges() -> None:
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    a = clusterer.assign(item(1, 0), unit(1), row(1, 2), [], lambda i: next(ids))
    b = clusterer.assign(item(2, 0), unit(1), row(3, 4), [], lambda i: next(ids))
    # Linked to both stories' only member: it joins one, the older; the pass weighs the other.
    c = clusterer.assign(item(3, 1), unit(1), row(1, 3), [(1, 0.6), (2, 0.4)], lambda i: next(ids))
    assert c == a
    merges = clusterer.merge_pass()
    assert merges == [(b, a)], "2 of the 2 pairs across (1-2, 3-2): half are linked"
    assert clusterer.final_story(b) == a
    assert {clusterer.story_of[i] for i in (1, 2, 3)} == {a}
    assert clusterer.merge_pass() == []


def test_merge_pass_keeps_apart_stories_with_one_link_across() -> None:
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    a = clusterer.assign(item(1, 0), unit(1), row(1, 2), [], lambda i: next(ids))
    clusterer.assign(item(2, 0), unit(1), row(1, 2), [(1, 0.9)], lambda i: next(ids))
    clusterer.assign(item(3, 0), unit(1), row(1, 2), [(1, 0.9), (2, 0.9)], lambda i: next(ids))
    d = clusterer.assign(item(4, 1), unit(1), row(2, 7), [(3, 0.35)], lambda i: next(ids))
    assert d != a
    assert clusterer.merge_pass() == [], "1 of the 3 pairs across is linked"


def test_headline_is_the_most_central_title() -> None:
    encoder = SentenceEncoder()
    titles = [
        "الصحة: تسجيل ثلاث إصابات جديدة بفيروس كورونا في الرياض",
        "كورونا في الرياض: ثلاث إصابات جديدة بينها ممرضة",
        "وزارة الصحة تعلن إصابات جديدة بكورونا",
        "الهلال يتعاقد مع مدرب روماني",
    ]
    rows = [row(1, 2, 3), row(1, 2, 4), row(1, 3, 5), row(8, 9)]
    vectors = encoder.encode(titles)
    clusterer = StoryClusterer()
    for i, (title, vector) in enumerate(zip(titles, vectors, strict=True)):
        clusterer.join(StoryItem(i, T0, title, frozenset()), vector, rows[i], 7)
    assert clusterer.stories[7].headline() != 3
    clusterer.forget([0, 1, 2, 3])
    assert 7 not in clusterer.stories
