"""Story assignment: copies join their original's story, weak links start new stories."""

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


def test_duplicate_joins_its_original_story_even_without_candidates() -> None:
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    first = clusterer.assign(StoryItem(1, T0, "a", frozenset()), unit(1), [], lambda i: next(ids))
    copy = StoryItem(2, T0 + timedelta(hours=1), "a", frozenset(), duplicate_of=1)
    assert clusterer.assign(copy, unit(0, 1), [], lambda i: next(ids)) == first


def test_threshold_gap_and_centroid_decide() -> None:
    params = StoryParams()
    clusterer = StoryClusterer(params)
    ids = itertools.count(100)
    s1 = clusterer.assign(StoryItem(1, T0, "a", frozenset()), unit(1), [], lambda i: next(ids))
    near = StoryItem(2, T0 + timedelta(hours=2), "b", frozenset())
    assert (
        clusterer.assign(near, unit(1, 0.2), [(1, T0, params.threshold + 0.1)], lambda i: next(ids))
        == s1
    )
    weak = StoryItem(3, T0 + timedelta(hours=3), "c", frozenset())
    assert (
        clusterer.assign(weak, unit(1), [(1, T0, params.threshold - 0.1)], lambda i: next(ids))
        != s1
    )
    late = StoryItem(4, T0 + params.gap + timedelta(hours=1), "d", frozenset())
    assert clusterer.assign(late, unit(1), [(1, T0, 0.99)], lambda i: next(ids)) != s1
    # A strong link to one member, but far from what the story is about: no chaining.
    drift = StoryItem(5, T0 + timedelta(hours=4), "e", frozenset())
    assert clusterer.assign(drift, unit(0, 0, 1), [(2, T0, 0.99)], lambda i: next(ids)) != s1
    assert sorted(clusterer.stories[s1].members) == [1, 2]


def test_headline_is_the_most_central_title() -> None:
    encoder = SentenceEncoder()
    titles = [
        "الصحة: تسجيل ثلاث إصابات جديدة بفيروس كورونا في الرياض",
        "كورونا في الرياض: ثلاث إصابات جديدة بينها ممرضة",
        "وزارة الصحة تعلن إصابات جديدة بكورونا",
        "الهلال يتعاقد مع مدرب روماني",
    ]
    vectors = encoder.encode(titles)
    clusterer = StoryClusterer()
    for i, (title, vector) in enumerate(zip(titles, vectors, strict=True)):
        clusterer.join(StoryItem(i, T0, title, frozenset()), vector, 7)
    assert clusterer.stories[7].headline() != 3
    clusterer.forget([0, 1, 2, 3])
    assert 7 not in clusterer.stories
