"""Per-article features depend on the article alone: any worker, any batch, any order."""

from __future__ import annotations

import numpy as np

from marsad.enrich.enricher import Enricher
from marsad.enrich.features import article_features, vectors_of
from marsad.enrich.stories import StoryItem
from marsad.enrich.vectors import SentenceEncoder
from marsad.models import Article


def test_features_do_not_depend_on_the_batch(corpus_day: list[Article]) -> None:
    articles = corpus_day[:40]
    encoder = SentenceEncoder(threads=1)
    together = article_features(articles, encoder)
    # The same articles in another order and other batches, as two workers would see them.
    apart = article_features(articles[20:][::-1], encoder) + article_features(
        articles[:20], encoder
    )
    reordered = apart[20:] + apart[:20][::-1]
    for one, other in zip(together, reordered, strict=True):
        assert one.keyphrases == other.keyphrases
        assert one.summary == other.summary
        assert one.stems == other.stems
    np.testing.assert_allclose(vectors_of(together), vectors_of(reordered), atol=1e-5)
    # Real features of real articles: Arabic keyphrases, a summary of the article's own text.
    first = together[0]
    assert first.keyphrases and all(
        any("\u0621" <= c <= "\u064a" for c in p) for p in first.keyphrases
    )
    assert first.summary and first.summary[:15] in articles[0].text
    assert abs(float(np.linalg.norm(vectors_of([first])[0])) - 1.0) < 1e-5


def test_features_computed_ahead_give_the_same_enrichment(corpus_day: list[Article]) -> None:
    articles = corpus_day[:120]
    batches = [list(enumerate(articles, 1))[i : i + 40] for i in range(0, len(articles), 40)]

    def run(ahead: bool) -> list[object]:
        enricher = Enricher()
        counter = iter(range(1, 10_000))
        results = []
        for batch in batches:
            ready = None
            if ahead:
                # A worker computed these in another process, batch in reverse order.
                found = article_features([a for _, a in batch][::-1], SentenceEncoder(threads=1))
                ready = {i: f for (i, _), f in zip(batch[::-1], found, strict=True)}

            def new_story(item: StoryItem) -> int:
                return next(counter)

            result = enricher.process(batch, new_story, ready)
            results.append(
                (
                    [
                        (i, e.keyphrases, e.duplicate_of, e.story_id, e.summary)
                        for i, e in result.enrichments
                    ],
                    result.related,
                )
            )
        return results

    assert run(ahead=True) == run(ahead=False)
