"""An article's related list as the pages and the API show it: the read-also and the similar."""

from __future__ import annotations

from marsad.enrich.related import RelatedParams, read_also_first
from marsad.store import ArticleCard, StoredArticle

SIMILAR = RelatedParams().similar


def split_related(
    article: StoredArticle, cards: list[ArticleCard]
) -> tuple[ArticleCard | None, list[ArticleCard]]:
    """The featured read-also (best related outside the article's story) and the similar list,
    never the article itself or a copy of it."""
    enrichment = article.enrichment
    copies = (
        {article.id} if enrichment.duplicate_of is None else {article.id, enrichment.duplicate_of}
    )
    usable = [c for c in cards if c.id not in copies and (c.duplicate_of or c.id) not in copies]
    return read_also_first(usable, enrichment.story_id, lambda c: c.story_id, SIMILAR)
