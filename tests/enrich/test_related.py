"""Related lists: best first, read-also outside the story, never the article or its copies."""

from __future__ import annotations

from marsad.enrich.related import RelatedIndex, RelatedParams


def test_ranked_list_excludes_self_and_copies_and_leads_with_read_also() -> None:
    index = RelatedIndex(RelatedParams(similar=3, keep=6, min_score=0.1))
    roots = {1: 1, 2: 1, 3: 3, 4: 4, 5: 5, 6: 6, 7: 6}  # 2 copies 1; 7 copies 6
    stories = {1: 10, 2: 10, 3: 10, 4: 11, 5: 12, 6: 13, 7: 13}
    for other, score in ((2, 0.99), (3, 0.9), (6, 0.8), (7, 0.79), (4, 0.5), (5, 0.3), (8, 0.05)):
        index.offer(1, other, score)
    ranked = index.ranked(1, lambda i: roots.get(i, i), stories.get)
    # 2 is a copy of 1; 7 is a copy of 6 (kept once); 8 scores under the minimum.
    assert ranked[0] == 6  # the best outside story 10
    assert ranked[1:] == [3, 4, 5]


def test_offer_keeps_the_best_and_says_when_the_list_changed() -> None:
    index = RelatedIndex(RelatedParams(keep=2, min_score=0.1))
    assert index.offer(1, 2, 0.5)
    assert index.offer(1, 3, 0.4)
    assert not index.offer(1, 4, 0.3)  # full, and worse than the last
    assert index.offer(1, 5, 0.6)
    assert not index.offer(1, 5, 0.6)  # already held
    assert [o for _, o in index.lists[1]] == [5, 2]
    index.forget([1])
    assert 1 not in index.lists
