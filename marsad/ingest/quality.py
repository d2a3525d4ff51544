"""How close extracted text is to a reference: token precision, recall and F1."""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+", re.UNICODE)


def text_tokens(text: str) -> list[str]:
    """Word tokens (letters and digits runs), punctuation and spacing ignored."""
    return _TOKEN.findall(text)


def token_scores(found: str, expected: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of found's tokens against expected's (as multisets)."""
    got, want = Counter(text_tokens(found)), Counter(text_tokens(expected))
    common = sum((got & want).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def token_f1(found: str, expected: str) -> float:
    """Token F1 of found against expected."""
    return token_scores(found, expected)[2]
