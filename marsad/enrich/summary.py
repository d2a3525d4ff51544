"""Extractive summaries: 2-3 of the publisher's own sentences, never rewritten.

An article's summary takes the sentences that best cover the article's recurring content
words and its title, with a bias to the lead (news puts the essentials first). A story's
summary pools the sentences of all its articles and prefers those whose words many articles
share, so it states what the sources agree on; near-repeats of a chosen sentence are skipped.
Sentences come out in reading order, verbatim (display form).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from marsad.arabic.normalize import matching_form
from marsad.arabic.sentences import split_sentences
from marsad.arabic.stopwords import is_stopword
from marsad.arabic.tokenize import plain_words

_MIN_WORDS = 6
_MAX_WORDS = 80
_REPEAT = 0.5


@dataclass(frozen=True)
class _Sentence:
    """One sentence with where it came from and its content words."""

    text: str
    article: int
    position: int
    words: frozenset[str]


def summarize(text: str, title: str = "", max_sentences: int = 3) -> str:
    """The article's best `max_sentences` sentences, verbatim and in reading order."""
    sentences = _sentences(text, 0)
    if not sentences:
        return ""
    counts = Counter(w for s in sentences for w in s.words)
    title_words = _content_words(title)

    def score(sentence: _Sentence) -> float:
        cover = sum(math.log1p(counts[w] - 1) for w in sentence.words)
        cover /= math.sqrt(len(sentence.words) + 1)
        topical = len(sentence.words & title_words)
        return (cover + topical) * _lead(sentence.position)

    return _join(_choose(sentences, score, max_sentences))


def summarize_story(articles: Sequence[tuple[str, str]], max_sentences: int = 3) -> str:
    """A story's summary from the sentences of all its (title, text) articles."""
    sentences = [s for i, (_, text) in enumerate(articles) for s in _sentences(text, i)]
    if not sentences:
        return ""
    vocabularies: list[set[str]] = [set(_content_words(title)) for title, _ in articles]
    for sentence in sentences:
        vocabularies[sentence.article] |= sentence.words
    spread = Counter(w for vocabulary in vocabularies for w in vocabulary)
    titles = Counter(w for title, _ in articles for w in _content_words(title))

    def score(sentence: _Sentence) -> float:
        shared = sum(math.log1p(spread[w] - 1) + 0.5 * titles[w] for w in sentence.words)
        return shared / math.sqrt(len(sentence.words) + 1) * _lead(sentence.position)

    return _join(_choose(sentences, score, max_sentences))


def _sentences(text: str, article: int) -> list[_Sentence]:
    """Summary-worthy sentences of one text: whole statements, neither stubs nor walls."""
    return [
        _Sentence(sentence, article, position, words) for sentence, position, words in _split(text)
    ]


@lru_cache(maxsize=2048)
def _split(text: str) -> tuple[tuple[str, int, frozenset[str]], ...]:
    """The summary-worthy sentences of a text with their positions and content words; cached,
    since a story's summary is redone from its first reports each time they change."""
    found = []
    for position, sentence in enumerate(split_sentences(text)):
        size = len(sentence.split())
        if _MIN_WORDS <= size <= _MAX_WORDS:
            found.append((sentence, position, _content_words(sentence)))
    return tuple(found)


def _content_words(text: str) -> frozenset[str]:
    """Matching-form content words of a text."""
    # Context-free words (article peeled, no guessing at one-letter clitics): summaries score
    # every sentence of every article, so this runs far more often than full tokenization.
    return frozenset(
        w for w in plain_words(matching_form(text)) if len(w) > 2 and not is_stopword(w)
    )


def _lead(position: int) -> float:
    """Lead bias: the first sentences of a news text carry its essentials."""
    return 1.0 + 1.0 / (1.0 + position)


def _choose(
    sentences: list[_Sentence], score: Callable[[_Sentence], float], limit: int
) -> list[_Sentence]:
    """The best-scoring sentences, skipping near-repeats, back in reading order."""
    chosen: list[_Sentence] = []
    for sentence in sorted(sentences, key=lambda s: -score(s)):
        if len(chosen) >= limit:
            break
        if any(_similar(sentence, other) for other in chosen):
            continue
        chosen.append(sentence)
    return sorted(chosen, key=lambda s: (s.article, s.position))


def _similar(a: _Sentence, b: _Sentence) -> bool:
    """Whether two sentences say much the same (Jaccard of content words)."""
    union = a.words | b.words
    return bool(union) and len(a.words & b.words) / len(union) >= _REPEAT


def _join(chosen: list[_Sentence]) -> str:
    """The chosen sentences as one paragraph."""
    return " ".join(s.text for s in chosen)
