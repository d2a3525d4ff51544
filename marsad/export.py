"""The export format other tools rely on: one JSON object per article, fixed fields."""

from __future__ import annotations

import json
from typing import Any

from marsad.store import StoredArticle
from marsad.urls import web_url

EXPORT_FIELDS = (
    "id",
    "url",
    "source",
    "title",
    "author",
    "text",
    "published_at",
    "keyphrases",
    "story_id",
    "duplicate_of",
    "related",
    "summary",
)


def export_record(article: StoredArticle) -> dict[str, Any]:
    """The export object of one stored article (empty list or null where a stage has not run)."""
    return {
        "id": article.id,
        # Null where the stored address is not http(s) (stored before the URL checks existed).
        "url": web_url(article.url),
        "source": article.source,
        "title": article.title,
        "author": article.author,
        "text": article.text,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "keyphrases": list(article.keyphrases),
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
        "related": list(article.related),
        "summary": article.summary,
    }


def export_line(article: StoredArticle) -> str:
    """One JSONL line (UTF-8 text, Arabic kept readable)."""
    return json.dumps(export_record(article), ensure_ascii=False)
