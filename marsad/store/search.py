"""What goes into the full-text index and what a query becomes: stems of the matching form.

Both sides go through `search_stems`, so a query finds every spelling that folds and stems
alike: with or without the article (and و/ف/ب/ك/ل before it), hamza and ta marbuta forms,
diacritics. The article is peeled before Snowball, which otherwise stems "السعودية" and
"سعودية" differently.
"""

from __future__ import annotations

import re

from marsad.arabic.normalize import matching_form
from marsad.arabic.stem import stems
from marsad.arabic.tokenize import peel_article

_WORD_RE = re.compile(r"[^\W_]+")
# Searches count their hits up to this many: a total equal to it means "at least this many"
# (show "more than 1,000 results"), since counting every hit of a common word is what made
# searches slow at 1M articles.
TOTAL_CAP = 1000


def search_stems(match_text: str) -> list[str]:
    """Stems of every word of a matching-form text, articles peeled first."""
    return stems([peel_article(word) for word in _WORD_RE.findall(match_text)])


def index_terms(match_title: str, match_text: str) -> str:
    """The space-joined stems indexed for an article (title and text, matching form)."""
    return " ".join(search_stems(f"{match_title} {match_text}"))


def query_terms(query: str) -> list[str]:
    """Turn whatever a user typed into distinct stems; operators and quotes become plain text."""
    return list(dict.fromkeys(term for term in search_stems(matching_form(query)) if term))
