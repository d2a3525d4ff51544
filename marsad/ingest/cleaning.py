"""The cleaning stage: an article's reading text and byline, the publisher's own kept.

    Article (publisher's text) ──observe──▶ source's furniture state
                               ──clean────▶ Article (reading text, author/dateline/credit,
                                            brief mark, what was cut and why)

Cleaning is a pure function of the article and its source's learned furniture
(`marsad.ingest.learned_furniture`); the store keeps the states. Cleaning an article again
(`marsad reclean`) starts from the publisher's text, so it never compounds.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from marsad.arabic.normalize import matching_form
from marsad.ingest.bylines import read_byline
from marsad.ingest.learned_furniture import FurnitureParams, SourceFurniture, clean
from marsad.models import Article

# Fewer words than this in the reading text is a caption or a headline alone, not an article.
BRIEF_WORDS = 10
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class CleanSettings:
    """How cleaning decides: the furniture evidence and the brief size."""

    furniture: FurnitureParams = field(default_factory=FurnitureParams)
    brief_words: int = BRIEF_WORDS


def content_hash(match_text: str) -> str:
    """A hash of the matching form's words: equal for exact copies, whatever the spacing."""
    return hashlib.sha256(" ".join(match_text.split()).encode("utf-8")).hexdigest()


def is_brief(text: str, brief_words: int = BRIEF_WORDS) -> bool:
    """Whether a reading text is too short to be an article (a caption, a headline alone)."""
    return len(_WORD.findall(text)) < brief_words


def clean_article(
    article: Article, state: SourceFurniture, settings: CleanSettings | None = None
) -> Article:
    """The article with its reading text and byline (from the publisher's own, never compounded)."""
    settings = settings or CleanSettings()
    publisher_text = article.original_text if article.original_text is not None else article.text
    publisher_author = (
        article.original_author if article.original_author is not None else article.author
    )
    byline = read_byline(publisher_author, article.source_name)
    cleaned = clean(publisher_text, article.title, state, article.source_name, publisher_author)
    text = cleaned.text
    changed = text != publisher_text
    # The article's matching text is of its current text (cleaned before, when stored).
    same = text == article.text
    match_text = article.match_text if same else matching_form(text)
    return replace(
        article,
        text=text,
        match_text=match_text,
        content_hash=article.content_hash if same else content_hash(match_text),
        author=byline.author,
        dateline=byline.dateline,
        credit=byline.credit,
        brief=is_brief(text, settings.brief_words),
        original_text=publisher_text if changed else None,
        original_author=publisher_author if byline.author != publisher_author else None,
        removed=cleaned.removed,
    )
