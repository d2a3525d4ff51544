"""Keyphrase extraction's fast paths (issue 13, part 5) give what their rules say, on real
articles: a word written only as the first of a pair is judged from one table of the pairs, built
once per article (no scan of every candidate per word), and a word's weight is the log of its
own uses. The whole output before and after is compared by bench/keyphrases_same.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import marsad.enrich.keyphrases as keyphrases
from marsad.models import Article


class _CountingDict(dict[tuple[str, ...], Any]):
    """A candidates dict that counts the full scans made of it."""

    scans = 0

    def items(self) -> Any:
        self.scans += 1
        return super().items()


def _candidates_of(articles: list[Article], monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """The scored candidates of each article, as `_pick` receives them."""
    seen: list[dict] = []
    pick: Callable[..., Any] = keyphrases._pick

    def spy(candidates: dict, *args: Any) -> Any:
        seen.append(candidates)
        return pick(candidates, *args)

    monkeypatch.setattr(keyphrases, "_pick", spy)
    for article in articles:
        keyphrases.extract_tags(article.title, article.text, source=article.source_name)
    monkeypatch.undo()
    return seen


@pytest.fixture(scope="module")
def day_candidates(load_day: Callable[[str], list[Article]]) -> list[dict]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _candidates_of(load_day("2015-08-03")[:150], monkeypatch)


def test_always_inside_scans_the_candidates_once(day_candidates: list[dict]) -> None:
    judged = 0
    for found in day_candidates:
        candidates = _CountingDict(found)
        junk = keyphrases._Junk(None, candidates)
        for words, candidate in found.items():
            if len(words) != 1:
                continue
            # The rule: a repeated word, no known place, that some pair opening on it is
            # used as often as the word itself ("تل" of "تل أبيض").
            rule = (
                candidate.count >= 2
                and words not in keyphrases.place_names()
                and any(
                    len(key) == 2 and key[0] == words[0] and other.count >= candidate.count
                    for key, other in found.items()
                )
            )
            assert junk._always_inside(candidate) == rule, words
            judged += 1
        assert candidates.scans <= 1  # one table per article, not a scan per word
    assert judged > 1000


def test_word_weights_are_the_log_of_own_uses(day_candidates: list[dict]) -> None:
    for found in day_candidates:
        weights, rarities = keyphrases._word_values(found, None)
        words = {word for key in found for word in key}
        assert weights.keys() == words == rarities.keys()
        for word in words:
            own = found.get((word,))
            assert weights[word] == math.log1p(own.count if own is not None else 1)
