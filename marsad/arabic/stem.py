"""Snowball Arabic stems (PyStemmer) of matching-form words."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import Stemmer


@cache
def _stemmer() -> Stemmer.Stemmer:
    """One Snowball Arabic stemmer, made on first use (PyStemmer caches stems internally)."""
    return Stemmer.Stemmer("arabic")


def stem(word: str) -> str:
    """The Snowball Arabic stem of one matching-form word."""
    return str(_stemmer().stemWord(word))


def stems(words: Sequence[str]) -> list[str]:
    """Snowball Arabic stems of matching-form words, in order."""
    return list(_stemmer().stemWords(list(words)))
