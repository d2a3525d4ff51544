"""Story assignment: copies join their original's story, arrivals are weighed against whole
stories by the shipped model, far or unrelated arrivals start stories, fragments merge."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import numpy as np

from marsad.enrich.stories import StoryClusterer, StoryItem, StoryModel, StoryParams
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


def test_duplicate_joins_its_original_story_even_without_candidates() -> None:
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    first = clusterer.assign(item(1, 0), unit(1), row(1, 2), [], lambda i: next(ids))
    copy = StoryItem(2, T0 + timedelta(hours=1), "a", frozenset(), duplicate_of=1)
    assert clusterer.assign(copy, unit(0, 1), row(9), [], lambda i: next(ids)) == first


def test_close_arrivals_join_far_or_unrelated_ones_start_stories() -> None:
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    names = frozenset({"مسجد الطوارئ", "عسير"})
    s1 = clusterer.assign(item(1, 0, names=names), unit(1), row(1, 2, 3), [], lambda i: next(ids))
    near = item(2, 2, names=names)
    assert clusterer.assign(near, unit(1, 0.1), row(1, 2, 3), [(1, 0.9)], lambda i: next(ids)) == s1
    other = item(3, 3)
    assert clusterer.assign(other, unit(0, 0, 1), row(7, 8), [(1, 0.1)], lambda i: next(ids)) != s1
    late = item(4, 2 + StoryParams().gap.total_seconds() / 3600 + 1, names=names)
    assert clusterer.assign(late, unit(1), row(1, 2, 3), [(1, 0.99)], lambda i: next(ids)) != s1
    assert sorted(clusterer.stories[s1].members) == [1, 2]


def test_probability_grows_with_similarity() -> None:
    clusterer = StoryClusterer()
    clusterer.join(item(1, 0), unit(1), row(1, 2, 3, 4), 7)
    story = clusterer.stories[7]
    close = clusterer.probability(item(2, 1), unit(1), row(1, 2, 3, 4), story)
    part = clusterer.probability(item(3, 1), unit(1, 1), row(1, 2, 8, 9), story)
    far = clusterer.probability(item(4, 1), unit(0, 1), row(8, 9), story)
    assert close > part > far


def test_merge_pass_joins_fragments_that_agree_and_follows_merges() -> None:
    always = StoryModel((0.0,) * 8, 30.0)
    never = StoryModel((0.0,) * 8, -30.0)
    clusterer = StoryClusterer(model=never, merge_model=always)
    ids = itertools.count(100)
    a = clusterer.assign(item(1, 0), unit(1), row(1, 2), [], lambda i: next(ids))
    b = clusterer.assign(item(2, 1), unit(1), row(1, 2), [(1, 0.9)], lambda i: next(ids))
    assert a != b
    merges = clusterer.merge_pass()
    assert len(merges) == 1
    absorbed, survivor = merges[0]
    assert {absorbed, survivor} == {a, b}
    assert clusterer.final_story(absorbed) == survivor
    assert clusterer.story_of[1] == clusterer.story_of[2] == survivor
    assert clusterer.merge_pass() == []


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
