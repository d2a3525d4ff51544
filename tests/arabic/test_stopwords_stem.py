"""Stopwords (package list plus news function words) and Snowball stems."""

from __future__ import annotations

from marsad.arabic import is_stopword, stem, stems, words


def test_function_words_are_stopwords() -> None:
    for word in ("في", "الي", "التي", "ان", "قال", "اضاف", "اليوم", "خلال", "هو", "بشكل"):
        assert is_stopword(word), word


def test_content_words_are_not() -> None:
    # "امن" (security) and "اوبك" fold onto package entries; places and topics must survive.
    for word in ("رئيس", "غزه", "قطر", "امن", "اوبك", "شمال", "نار", "وقف", "بايدن"):
        assert not is_stopword(word), word


def test_peeled_seed_words(seed_article: str) -> None:
    found = words(seed_article)
    share = sum(map(is_stopword, found)) / len(found)
    assert 0.2 < share < 0.5


def test_stems_group_inflections() -> None:
    assert stem("مفاوضات") == stem("مفاوضه")
    assert stems(["محادثات", "رهائن"]) == [stem("محادثات"), stem("رهائن")]
    assert stem("سياسات") == stem("سياسيه")
    assert stem("اتفاقات") == stem("اتفاق")
