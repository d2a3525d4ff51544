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


def cosine(a: dict[int, float], b: dict[int, float]) -> float:
    """The cosine of two sparse rows."""
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    return dot / (sum(w * w for w in a.values()) * sum(w * w for w in b.values())) ** 0.5


def centroid(*rows: dict[int, float]) -> dict[int, float]:
    """The sum of rows."""
    total: dict[int, float] = {}
    for r in rows:
        for t, w in r.items():
            total[t] = total.get(t, 0.0) + w
    return total


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
    # Below the link cosine and far from the centroid (cosine 0.29): a story of its own.
    weak = item(3, 3)
    assert cosine(row(1, 7, 8, 9), centroid(row(1, 2, 3), row(1, 2, 3))) < 0.3
    assert clusterer.assign(weak, unit(1), row(1, 7, 8, 9), [(1, 0.29)], lambda i: next(ids)) != s1
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
    # Linked to one member, and far from the story's centroid (cosine 0.29).
    far = row(2, 5, 6, 7, 8, 9)
    chained = clusterer.assign(item(4, 2), unit(1), far, [(3, 0.5)], lambda i: next(ids))
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
    far = row(2, 7, 8, 9, 10, 11)
    d = clusterer.assign(item(4, 1), unit(1), far, [(3, 0.35)], lambda i: next(ids))
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


def grow(clusterer: StoryClusterer, rows: list[dict[int, float]], names: frozenset[int]) -> int:
    """A story of copies of one report (each linked to all before it), every member naming
    `names`; its id."""
    ids = itertools.count(500)
    story = -1
    for i, r in enumerate(rows, 1):
        linked = [(j, 0.9) for j in range(1, i)]
        member = StoryItem(i, T0 + timedelta(hours=i), "t", frozenset(), rare=names)
        story = clusterer.assign(member, unit(1), r, linked, lambda x: next(ids))
    return story


def test_a_reaction_near_the_centroid_joins_though_linked_to_no_member() -> None:
    """A condemnation shares a few words with each report (cosine 0.25 < link) but more with
    their sum (0.41): it joins the story by centroid."""
    clusterer = StoryClusterer()
    reports = [row(1, 2, 10, 11), row(3, 4, 12, 13), row(1, 3, 14, 15), row(2, 4, 16, 17)]
    story = grow(clusterer, reports, frozenset())
    reaction = row(1, 2, 3, 4, *range(20, 32))
    assert all(cosine(reaction, r) < 0.3 for r in reports)
    assert cosine(reaction, centroid(*reports)) >= 0.3
    near = [(i, cosine(reaction, r)) for i, r in enumerate(reports, 1)]
    arrival = StoryItem(9, T0 + timedelta(hours=6), "t", frozenset())
    assert clusterer.assign(arrival, unit(1), reaction, near, lambda x: 99) == story


def test_other_names_keep_a_report_of_the_same_kind_apart() -> None:
    """The same condolence for another martyr: near the centroid, but the story's names (the
    martyr's, carried by every member) are not in it and it names another."""
    clusterer = StoryClusterer()
    reports = [row(1, 2, 3, 10), row(1, 2, 4, 11), row(1, 3, 4, 12)]
    story = grow(clusterer, reports, frozenset({50, 51}))
    other = row(1, 2, 3, 4, 20, 21, 22)
    near = [(i, 0.2) for i in range(1, 4)]
    arrival = StoryItem(9, T0 + timedelta(hours=6), "t", frozenset(), rare=frozenset({60}))
    assert clusterer.assign(arrival, unit(1), other, near, lambda x: 99) == 99
    same = StoryItem(10, T0 + timedelta(hours=6), "t", frozenset(), rare=frozenset({50, 60}))
    assert clusterer.assign(same, unit(1), other, near, lambda x: 98) == story


def test_a_bulletin_with_other_numbers_is_another_session() -> None:
    """Linked to every member (the same template), but none of its numbers is the story's."""
    clusterer = StoryClusterer()
    ids = itertools.count(100)
    first = StoryItem(1, T0, "t", frozenset(), numbers=frozenset({"8807", "3.2"}))
    story = clusterer.assign(first, unit(1), row(1, 2), [], lambda i: next(ids))
    copy = StoryItem(2, T0 + timedelta(hours=1), "t", frozenset(), numbers=frozenset({"3.2"}))
    assert clusterer.assign(copy, unit(1), row(1, 2), [(1, 0.9)], lambda i: next(ids)) == story
    month = StoryItem(3, T0 + timedelta(hours=2), "t", frozenset(), numbers=frozenset({"9080"}))
    linked = [(1, 0.9), (2, 0.9)]
    assert clusterer.assign(month, unit(1), row(1, 2, 5), linked, lambda i: next(ids)) != story


def test_merge_pass_joins_fragments_whose_centroids_agree() -> None:
    """Two fragments of one event with no pair across linked (the link is set out of reach),
    their centroids close: an arrival near both joins one, and the pass merges the other."""
    clusterer = StoryClusterer(StoryParams(link=0.95))
    ids = itertools.count(100)
    a = clusterer.assign(item(1, 0), unit(1), row(1, 2, 3, 4), [], lambda i: next(ids))
    c = clusterer.assign(item(2, 1), unit(1), row(1, 2, 3, 5), [], lambda i: next(ids))
    assert c != a and clusterer.merge_pass() == []
    both = [(1, 0.75), (2, 0.75)]
    assert clusterer.assign(item(3, 2), unit(1), row(1, 2, 3, 6), both, lambda i: 7) == a
    assert clusterer.merge_pass() == [(c, a)]
    assert clusterer.final_story(c) == a
