"""Per-article features: what enrichment computes of each article on its own.

Keyphrases, the extractive summary, the content stems of title and lead, and the title's
sentence vector depend on nothing but the article, so any worker computes them, in any order,
on any machine, and the ordered story step (`Enricher`) gets them ready-made. Together they are
most of enrichment's cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from marsad.arabic.tokenize import words
from marsad.enrich.keyphrases import extract_tags
from marsad.enrich.summary import summarize
from marsad.enrich.vectors import LEAD_WORDS, SENTENCE_DIM, Floats, SentenceEncoder, content_stems
from marsad.models import Article, ArticleFeatures

KEYPHRASES = 10


def article_features(
    articles: Sequence[Article],
    encoder: SentenceEncoder,
    *,
    top: int = KEYPHRASES,
    stored: Sequence[list[str] | None] | None = None,
) -> list[ArticleFeatures]:
    """The features of each article; `stored` gives keyphrases already extracted (no summary
    is made for those: they come from the store, which holds theirs)."""
    known = list(stored) if stored is not None else [None] * len(articles)
    vectors = encoder.encode([a.title for a in articles])
    found = []
    for article, phrases, vector in zip(articles, known, vectors, strict=True):
        summary = None
        kinds: list[str] = []
        if phrases is None:
            tags = extract_tags(article.title, article.text, top=top, source=article.source_name)
            phrases = [tag.display for tag in tags]
            kinds = [tag.kind for tag in tags]
            summary = summarize(article.text, article.title) or None
        found.append(
            ArticleFeatures(
                keyphrases=phrases,
                summary=summary,
                stems=lead_stems(article),
                vector=np.asarray(vector, dtype="<f4").tobytes(),
                kinds=kinds,
            )
        )
    return found


def lead_stems(article: Article) -> dict[str, int]:
    """Stem counts of the title's and the lead's content words (what TF-IDF vectors use)."""
    title_words = words(article.title)
    # Only the lead: it carries the event, and tokenizing whole long texts is costly.
    text_words = words(" ".join(article.text.split(" ", LEAD_WORDS)[:LEAD_WORDS]))
    return dict(content_stems(title_words, text_words))


def vectors_of(features: Sequence[ArticleFeatures]) -> Floats:
    """The sentence vectors of many articles' features, one row each."""
    if not features:
        return np.zeros((0, SENTENCE_DIM), dtype=np.float32)
    return np.vstack([np.frombuffer(f.vector, dtype="<f4") for f in features]).astype(np.float32)
