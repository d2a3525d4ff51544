"""Store verbs for article features computed ahead of the ordered story step (workers)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from marsad.models import ArticleFeatures
from marsad.store.dialect import insert_ignoring
from marsad.store.schema import article_features
from marsad.store.writer import Writes


class FeatureVerbs(Writes):
    """Article features computed ahead of the ordered story step (workers)."""

    def save_features(self, found: Sequence[tuple[int, ArticleFeatures]]) -> None:
        """Keep the features of these stored articles until the ordered step uses them (which
        saves their keyphrases, kinds and counts: not here, where a brief's would be counted).
        Features already kept stay as they are (the same article always gives the same features,
        so two workers racing write the same)."""
        if not found:
            return
        with self.writing() as conn:
            conn.execute(
                insert_ignoring(article_features, conn, "article_id"),
                [
                    {
                        "article_id": article_id,
                        "keyphrases": list(features.keyphrases),
                        "kinds": list(features.kinds),
                        "summary": features.summary,
                        "stems": dict(features.stems),
                        "vector": features.vector,
                    }
                    for article_id, features in found
                ],
            )

    def load_features(self, ids: Sequence[int]) -> dict[int, ArticleFeatures]:
        """The kept features of those of these articles that have them, by article id."""
        if not ids:
            return {}
        stmt = select(article_features).where(article_features.c.article_id.in_(list(ids)))
        with self.engine.connect() as conn:
            return {
                int(row.article_id): ArticleFeatures(
                    keyphrases=list(row.keyphrases),
                    summary=row.summary,
                    stems={str(k): int(v) for k, v in row.stems.items()},
                    vector=bytes(row.vector),
                    kinds=[str(k) for k in row.kinds or ()],
                )
                for row in conn.execute(stmt)
            }

    def featured_ids(self, ids: Sequence[int]) -> set[int]:
        """Those of these articles whose features are kept."""
        if not ids:
            return set()
        stmt = select(article_features.c.article_id).where(
            article_features.c.article_id.in_(list(ids))
        )
        with self.engine.connect() as conn:
            return {int(i) for i in conn.execute(stmt).scalars()}
