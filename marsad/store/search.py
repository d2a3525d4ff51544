"""What goes into the full-text index and what a query becomes: stems of the matching form."""

from __future__ import annotations

import re

from marsad.arabic.normalize import matching_form
from marsad.arabic.stem import stems

_WORD_RE = re.compile(r"\w+")


def index_terms(match_title: str, match_text: str) -> str:
    """The space-joined stems indexed for an article (title and text, matching form)."""
    words = _WORD_RE.findall(f"{match_title} {match_text}")
    return " ".join(stems(words))


def query_terms(query: str) -> list[str]:
    """Turn whatever a user typed into distinct stems; operators and quotes become plain text."""
    words = _WORD_RE.findall(matching_form(query))
    seen: dict[str, None] = {}
    for term in stems(words):
        if term and term != "_":
            seen.setdefault(term, None)
    return list(seen)
