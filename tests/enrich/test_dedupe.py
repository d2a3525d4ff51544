"""Duplicates on real corpus articles: wire copies are caught, rewordings are not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from copies import long_articles, template_sibling, wire_copy

from marsad.enrich.dedupe import (
    DedupeItem,
    DuplicateIndex,
    Permutations,
    dedupe_item,
    jaccard,
    signatures,
)
from marsad.models import Article


def item(article_id: int, article: Article) -> DedupeItem:
    """The dedupe view of an article."""
    return dedupe_item(
        article_id,
        article.published_at or article.fetched_at,  # type: ignore[arg-type]
        article.match_title,
        article.match_text,
        article.content_hash,
    )


def test_a_template_with_another_name_is_not_a_copy(corpus_day: list[Article]) -> None:
    """The cable to the President of Colombia, and the same cable to Bolivia's: one mould, two
    cables; a wire copy of the first stays its copy."""
    cable = next(a for a in corpus_day if "تهنئ رئيس كولومبيا" in a.title)
    sibling = template_sibling(
        cable, {"كولومبيا": "بوليفيا", "الكولومبي": "البوليفي"}, "https://a.test/bolivia"
    )
    copy = wire_copy(cable, "https://a.test/copy", "okaz")
    assert jaccard(item(1, cable).shingles, item(2, sibling).shingles) >= 0.6
    assert DuplicateIndex().check([item(1, cable), item(2, sibling), item(3, copy)]) == [
        None,
        None,
        1,
    ]


def test_wire_copy_with_small_edits_points_to_the_earliest(corpus_day: list[Article]) -> None:
    original, other = long_articles(corpus_day, 2)
    first = wire_copy(original, "https://a.test/1", "okaz")
    second = wire_copy(first, "https://a.test/2", "alyaum")
    assert jaccard(item(0, original).shingles, item(1, first).shingles) < 1.0
    index = DuplicateIndex()
    found = index.check([item(1, original), item(2, other), item(3, first), item(4, second)])
    assert found == [None, None, 1, 1]


def test_differently_worded_reports_of_one_event_are_not_duplicates(
    event_reports: list[Article],
) -> None:
    a, b, _ = event_reports
    assert jaccard(item(0, a).shingles, item(1, b).shingles) < 0.2
    assert DuplicateIndex().check([item(1, a), item(2, b)]) == [None, None]


def test_exact_copy_and_short_texts(corpus_day: list[Article]) -> None:
    original = long_articles(corpus_day, 1)[0]
    copy = Article(**{**original.__dict__, "url": "https://copy.test/1", "title": "عنوان آخر"})
    short = Article(**{**original.__dict__, "text": "شاهد الفيديو", "match_text": "شاهد الفيديو"})
    other_short = Article(**{**short.__dict__, "title": "خبر مختلف", "match_title": "خبر مختلف"})
    found = DuplicateIndex().check(
        [item(1, original), item(2, copy), item(3, short), item(4, other_short)]
    )
    # The same long body is a copy whatever the title; a two-word body alone proves nothing.
    assert found == [None, 1, None, None]


def test_copies_outside_the_window_are_originals(corpus_day: list[Article]) -> None:
    original = long_articles(corpus_day, 1)[0]
    late = Article(
        **{
            **original.__dict__,
            "url": "https://late.test/1",
            "published_at": original.published_at + timedelta(days=10),  # type: ignore[operator]
        }
    )
    index = DuplicateIndex(window=timedelta(days=3))
    assert index.check([item(1, original)]) == [None]
    assert index.check([item(2, late)]) == [None]
    assert len(index) == 1


def test_minhash_estimates_jaccard(corpus_day: list[Article]) -> None:
    sets = [item(i, a).shingles for i, a in enumerate(long_articles(corpus_day, 40))]
    sets.append(
        item(99, wire_copy(long_articles(corpus_day, 1)[0], "https://w.test", "x")).shingles
    )
    sigs = signatures(sets, Permutations.make())
    pairs = [(0, len(sets) - 1)] + [(i, i + 1) for i in range(len(sets) - 2)]
    for a, b in pairs:
        estimate = float((sigs[a] == sigs[b]).mean())
        assert estimate == pytest.approx(jaccard(sets[a], sets[b]), abs=0.15)
    assert (signatures(sets[:3], Permutations.make()) == sigs[:3]).all()
