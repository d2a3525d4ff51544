"""Tag curation on top of computed tags: a ban, a merge, a display form and a kind take effect
at once on tag pages, articles and trending, and hold for links saved afterwards."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from desk_client import EDITOR, act, log_in
from fastapi.testclient import TestClient
from store_writes import save_enrichments

from marsad.ingest.importers import read_records
from marsad.models import Enrichment, RawArticle
from marsad.pipeline import ingest
from marsad.store import Store

DAY = "2015-07-21.zip"
PER_SOURCE = 25
# Phrases the day's articles talk about; an article is tagged with those its text holds.
PHRASES = ("اليمن", "إيران", "مكة المكرمة", "الرياض", "جدة", "داعش", "النفط", "وزارة الصحة")


def _fill(store: Store, shared_dir: Path) -> dict[str, list[int]]:
    """A slice of a real day, each article tagged with the phrases its text holds; the ids
    carrying each phrase."""
    taken: Counter[str] = Counter()
    kept = []
    for record in read_records(shared_dir / "corpus" / "saudinewsnet" / DAY):
        if isinstance(record, RawArticle) and taken[record.source] < PER_SOURCE:
            taken[record.source] += 1
            kept.append(record)
    ingest(store, kept)
    carrying: dict[str, list[int]] = {}
    batch = []
    for article in store.iter_articles():
        mine = [p for p in PHRASES if p in article.article.text]
        for p in mine:
            carrying.setdefault(p, []).append(article.id)
        batch.append((article.id, Enrichment(mine)))
    save_enrichments(store, batch)
    return carrying


def _trending(store: Store) -> dict[str, int]:
    return {t.display: t.articles for t in store.trending_tags(24 * 7, 50, min_sources=1)}


def test_ban_merge_rename_and_kind_show_at_once_and_hold(
    store: Store, shared_dir: Path, desk_app: Any
) -> None:
    carrying = _fill(store, shared_dir)
    assert len(carrying["اليمن"]) >= 3 and len(carrying["جدة"]) >= 3, carrying
    public = TestClient(desk_app)
    editor = TestClient(desk_app)
    log_in(editor, EDITOR)
    public.get("/")  # the home page's trending list is remembered from here on
    holy = "مكة المكرمة"  # the phrase that bursts in this slice
    assert holy in _trending(store)

    shown = "<b>مكة</b> المكرمة"
    assert act(editor, "rename_tag", tag=holy, display=shown).status_code == 200
    assert _trending(store).get(shown) == len(carrying[holy])
    escaped = "&lt;b&gt;مكة&lt;/b&gt; المكرمة"
    home = public.get("/")
    assert escaped in home.text and "<b>مكة" not in home.text  # at once, and as text
    page = public.get("/tag/" + holy)
    assert escaped in page.text and "<b>مكة" not in page.text
    first = carrying[holy][0]
    save_enrichments(store, [(first, Enrichment([holy]))])  # enrichment saves the phrase again
    assert store.get_article(first).enrichment.keyphrases == [shown]  # type: ignore[union-attr]

    assert act(editor, "ban_tag", tag=holy).status_code == 200
    assert public.get("/tag/" + holy).status_code == 404
    assert not {holy, shown} & set(_trending(store))  # others may trend in its place
    assert escaped not in public.get("/").text
    assert all(shown not in a.enrichment.keyphrases for a in store.iter_articles())
    save_enrichments(store, [(first, Enrichment([holy, "جدة"]))])  # enrichment brings it back
    assert store.get_article(first).enrichment.keyphrases == ["جدة"]  # type: ignore[union-attr]

    jeddah, riyadh = set(carrying["جدة"]) | {first}, set(carrying["الرياض"])
    assert act(editor, "merge_tags", tag="جدة", into_tag="الرياض").status_code == 200
    merged = store.find_tag("جدة")
    assert merged is not None and merged.display == "الرياض"
    assert merged.count == len(jeddah | riyadh)
    assert public.get("/tag/جدة").status_code == 200
    assert "جدة" not in _trending(store)
    save_enrichments(store, [(first, Enrichment(["جدة"]))])
    assert store.get_article(first).enrichment.keyphrases == ["الرياض"]  # type: ignore[union-attr]

    assert act(editor, "set_tag_kind", tag="داعش", kind="organisation").status_code == 200
    found = store.find_tag("داعش")
    assert found is not None and found.kind == "organisation"
    later = carrying["داعش"][0]
    save_enrichments(store, [(later, Enrichment(["داعش"], kinds=["person"]))])
    found = store.find_tag("داعش")
    assert found is not None and found.kind == "organisation"

    entries, _ = store.audit_entries()
    assert [e.action for e in entries][:4] == [
        "set_tag_kind",
        "merge_tags",
        "ban_tag",
        "rename_tag",
    ]
    ban = entries[2]
    assert ban.actor == EDITOR and ban.before["links"]
    assert act(editor, "undo", entry_id=ban.id).status_code == 200
    back = store.find_tag(holy)
    assert back is not None and back.count == len(carrying[holy])
