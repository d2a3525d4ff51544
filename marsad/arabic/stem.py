"""Snowball Arabic stems (PyStemmer) of matching-form words."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import Stemmer

# Snowball's Arabic stemmer drops the feminine plural "ات" only after the article; on a bare
# word it keeps "ا" or mistakes the first letter for a prefix ("سياسات" → "ياسا"). Words come
# here without their article, so the plural ending goes first.
_PLURAL = "ات"
_PLURAL_MIN = 5


@cache
def _stemmer() -> Stemmer.Stemmer:
    """One Snowball Arabic stemmer, made on first use (PyStemmer caches stems internally)."""
    return Stemmer.Stemmer("arabic")


def _before_snowball(word: str) -> str:
    """Drop the feminine plural ending that Snowball mishandles on bare words."""
    if len(word) >= _PLURAL_MIN and word.endswith(_PLURAL):
        return word[: -len(_PLURAL)]
    return word


def stem(word: str) -> str:
    """The Snowball Arabic stem of one matching-form word."""
    return str(_stemmer().stemWord(_before_snowball(word)))


def stems(words: Sequence[str]) -> list[str]:
    """Snowball Arabic stems of matching-form words, in order."""
    return list(_stemmer().stemWords([_before_snowball(word) for word in words]))
