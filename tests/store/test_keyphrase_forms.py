"""A keyphrase written several ways shows one form, whatever order articles brought them in."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_writes import save_enrichment, save_enrichments

from marsad.ingest.importers import read_records
from marsad.models import Enrichment
from marsad.pipeline import ingest
from marsad.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "library"

# (forms as publishers write them, the form shown): the standard spelling wins.
FORMS = [
    (["عزام بن محمد الدخيّل", "عزام بن محمد الدخيل"], "عزام بن محمد الدخيل"),
    (["الولايات المتحدة الامريكية", "الولايات المتحدة الأمريكية"], "الولايات المتحدة الأمريكية"),
]


def _two_articles(store: Store) -> list[int]:
    """Ids of two stored articles (from the library fixture)."""
    ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    ids = sorted(a.id for a in store.iter_articles() if not a.article.brief)
    assert len(ids) == 2
    return ids


@pytest.mark.parametrize(("forms", "shown"), FORMS)
def test_one_form_whatever_the_order(store: Store, forms: list[str], shown: str) -> None:
    first, second = _two_articles(store)
    # One article at a time, in one order, then the other order.
    save_enrichment(store, first, Enrichment([forms[0]]))
    save_enrichment(store, second, Enrichment([forms[1]]))
    assert [store.get_article(i).enrichment.keyphrases for i in (first, second)] == [
        [shown],
        [shown],
    ]  # type: ignore[union-attr]
    save_enrichment(store, second, Enrichment([forms[0]]))
    save_enrichment(store, first, Enrichment([forms[1]]))
    assert store.get_article(first).enrichment.keyphrases == [shown]  # type: ignore[union-attr]
    # Both forms in one batch, either way round.
    for pair in (forms, forms[::-1]):
        save_enrichments(store, [(first, Enrichment([pair[0]])), (second, Enrichment([pair[1]]))])
        assert store.get_article(second).enrichment.keyphrases == [shown]  # type: ignore[union-attr]
