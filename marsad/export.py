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


def export_record(stored: StoredArticle) -> dict[str, Any]:
    """The export object of one stored article (empty list or null where a stage has not run)."""
    article, enrichment = stored.article, stored.enrichment
    return {
        "id": stored.id,
        # Null where the stored address is not http(s) (stored before the URL checks existed).
        "url": web_url(article.url),
        "source": article.source,
        "title": article.title,
        "author": article.author,
        "text": article.text,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "keyphrases": list(enrichment.keyphrases),
        "story_id": enrichment.story_id,
        "duplicate_of": enrichment.duplicate_of,
        "related": list(enrichment.related),
        "summary": enrichment.summary,
    }


def export_line(stored: StoredArticle) -> str:
    """One JSONL line (UTF-8 text, Arabic kept readable)."""
    return json.dumps(export_record(stored), ensure_ascii=False)
