"""Article variants the enrichment tests build from real corpus articles."""

from __future__ import annotations

from datetime import timedelta

from marsad.models import Article, RawArticle
from marsad.pipeline import normalize


def wire_copy(article: Article, url: str, source: str) -> Article:
    """A syndicated copy with small edits: a dateline, one word changed, the last sentence cut."""
    words = article.text.split(" ")
    words = words[: len(words) - len(words) // 12]
    words[len(words) // 2] = "أيضا"
    raw = RawArticle(
        url=url,
        source=source,
        title=article.title + " (واس)",
        text="الرياض - واس: " + " ".join(words),
        published_at=(article.published_at or article.fetched_at) + timedelta(hours=2),
        fetched_at=article.fetched_at,
    )
    found = normalize(raw)
    assert isinstance(found, Article)
    return found


def long_articles(articles: list[Article], count: int, min_words: int = 150) -> list[Article]:
    """The first `count` articles with at least `min_words` words."""
    return [a for a in articles if len(a.text.split()) >= min_words][:count]


def template_sibling(article: Article, names: dict[str, str], url: str) -> Article:
    """The same mould filled with other names: every occurrence of each key replaced, in title
    and text (the King's cable to another president, one bulletin for another city)."""
    title, text = article.title, article.text
    for old, new in names.items():
        title, text = title.replace(old, new), text.replace(old, new)
    raw = RawArticle(
        url=url,
        source=article.source,
        title=title,
        text=text,
        published_at=(article.published_at or article.fetched_at) + timedelta(hours=1),
        fetched_at=article.fetched_at,
    )
    found = normalize(raw)
    assert isinstance(found, Article)
    return found
