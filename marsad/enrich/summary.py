"""Extractive summaries: 2-3 of the publisher's own sentences, never rewritten.

Both kinds open with a lead: the first sentence of the article (of the story's lead article)
that does not open in mid-thought (not «وأكد…», «وأضاف…», «وهو…», «من جهته…»: those lean on a
sentence before them). The rest is chosen by maximal marginal relevance: each next sentence
is the one that best covers what the text is about minus how much it repeats a sentence
already chosen (cosine of content-word vectors), and one too close to a chosen sentence is
never taken. An article's relevance is its recurring content words and its title, with a bias
to the lead; a story's is the words many of its articles share. A story's summary keeps to
the event: a sentence that shares no content word with the story's titles or its lead
sentence, or that announces another subject («وفي سياق آخر…»), is left out. Sentences come
out verbatim (display form): the lead first, the others in reading order.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from marsad.arabic.normalize import matching_form
from marsad.arabic.sentences import split_sentences
from marsad.arabic.stopwords import is_stopword
from marsad.arabic.tokenize import plain_words

_MIN_WORDS = 6
_MAX_WORDS = 80
_REPEAT = 0.5  # cosine at which a sentence says what a chosen one said
_LAMBDA = 0.7  # MMR: relevance against redundancy


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

    return _join(_choose(sentences, score, max_sentences, _opener(sentences, 0)))


def summarize_story(
    articles: Sequence[tuple[str, str]], max_sentences: int = 3, lead: int = 0
) -> str:
    """A story's summary from the sentences of all its (title, text) articles, opening with
    the lead article's (index `lead`) first sentence and keeping to the event."""
    sentences = [s for i, (_, text) in enumerate(articles) for s in _sentences(text, i)]
    if not sentences:
        return ""
    opener = _opener(sentences, lead) or _opener(sentences, None)
    event = frozenset(w for title, _ in articles for w in _content_words(title))
    if opener is not None:
        event |= opener.words
    sentences = [
        s for s in sentences if s is opener or (s.words & event and not _other_subject(s.text))
    ]
    vocabularies: list[set[str]] = [set(_content_words(title)) for title, _ in articles]
    for sentence in sentences:
        vocabularies[sentence.article] |= sentence.words
    spread = Counter(w for vocabulary in vocabularies for w in vocabulary)
    titles = Counter(w for title, _ in articles for w in _content_words(title))

    def score(sentence: _Sentence) -> float:
        shared = sum(math.log1p(spread[w] - 1) + 0.5 * titles[w] for w in sentence.words)
        return shared / math.sqrt(len(sentence.words) + 1) * _lead(sentence.position)

    return _join(_choose(sentences, score, max_sentences, opener))


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
    sentences = split_sentences(text)
    for position, sentence in enumerate(sentences):
        size = len(sentence.split())
        if _MIN_WORDS <= size <= _MAX_WORDS:
            found.append((sentence, position, _content_words(sentence)))
    if not found:
        # One long unpunctuated paragraph: its first statement, however long, rather than none.
        first = next(
            ((p, s) for p, s in enumerate(sentences) if len(s.split()) >= _MIN_WORDS), None
        )
        if first is not None:
            found.append((first[1], first[0], _content_words(first[1])))
    elif all(_continues(sentence) for sentence, _, _ in found):
        # Every sentence of a fit size leans on another («وقد…», «كما…»): the first that does
        # not, however long, rather than a summary opening on a connective.
        lead = next(
            (
                (p, s)
                for p, s in enumerate(sentences)
                if len(s.split()) >= _MIN_WORDS and not _continues(s)
            ),
            None,
        )
        if lead is not None:
            found.append((lead[1], lead[0], _content_words(lead[1])))
            found.sort(key=lambda item: item[1])
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
    sentences: list[_Sentence],
    score: Callable[[_Sentence], float],
    limit: int,
    opener: _Sentence | None = None,
) -> list[_Sentence]:
    """The opener, then sentences by maximal marginal relevance (never a near-repeat of a
    chosen one, never a mid-thought sentence where it would open); the opener first, the rest
    in reading order."""
    relevance = {id(s): score(s) for s in sentences}
    top = max(relevance.values(), default=0.0) or 1.0
    chosen: list[_Sentence] = [opener] if opener is not None else []
    pool = [s for s in sentences if s is not opener]
    while len(chosen) < limit and pool:
        best, best_value = None, -math.inf
        for sentence in pool:
            repeat = max((_cosine(sentence, other) for other in chosen), default=0.0)
            if repeat >= _REPEAT:
                continue
            value = _LAMBDA * relevance[id(sentence)] / top - (1 - _LAMBDA) * repeat
            if value > best_value:
                best, best_value = sentence, value
        if best is None:
            break
        chosen.append(best)
        pool.remove(best)
    head, rest = chosen[:1], sorted(chosen[1:], key=lambda s: (s.article, s.position))
    if opener is None:
        # No clean opener: reading order, but never opening in mid-thought if it can be helped.
        ordered = sorted(chosen, key=lambda s: (s.article, s.position))
        clean = [s for s in ordered if not _continues(s.text)]
        return clean[:1] + [s for s in ordered if s is not (clean[0] if clean else None)]
    return head + rest


def _opener(sentences: Sequence[_Sentence], article: int | None) -> _Sentence | None:
    """The first sentence of an article (of any, for None) that does not open in mid-thought."""
    for sentence in sentences:
        if (article is None or sentence.article == article) and not _continues(sentence.text):
            return sentence
    return None


@dataclass(frozen=True)
class _Openings:
    """How sentences open (data/summary_openings.json)."""

    continuation_words: frozenset[str]
    continuation_phrases: tuple[str, ...]
    other_subject: tuple[str, ...]


@cache
def _openings() -> _Openings:
    """Read data/summary_openings.json once."""
    raw = resources.files("marsad.enrich").joinpath("data/summary_openings.json")
    data = json.loads(raw.read_text("utf-8"))
    return _Openings(
        frozenset(data["continuation_words"]),
        tuple(data["continuation_phrases"]),
        tuple(data["other_subject"]),
    )


def _continues(text: str) -> bool:
    """Whether a sentence leans on the one before it («وأكد…», «وهو…», «من جهته…»)."""
    openings = _openings()
    first = text.split(maxsplit=1)[0].strip('«»"“”()-–:،,.') if text.split() else ""
    return (
        first in openings.continuation_words
        or text.startswith(openings.continuation_phrases)
        or _other_subject(text)
    )


def _other_subject(text: str) -> bool:
    """Whether a sentence announces another subject («وفي سياق آخر…»)."""
    return text.lstrip('«"“(- ').startswith(_openings().other_subject)


def _cosine(a: _Sentence, b: _Sentence) -> float:
    """Cosine of two sentences' content-word vectors (binary)."""
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / math.sqrt(len(a.words) * len(b.words))


def _join(chosen: list[_Sentence]) -> str:
    """The chosen sentences as one paragraph."""
    return " ".join(s.text for s in chosen)
