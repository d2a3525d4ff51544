"""The desk's pages: right-to-left, every action confirmed and its result said in words,
errors in words, editors' typing shown as text; the audit log with its JSONL export and undo;
the sources desk."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from desk_client import ADMIN, EDITOR, act, log_in, session_csrf
from fastapi.testclient import TestClient
from store_writes import create_story, refresh_story_counts, save_enrichments

from marsad.models import Source
from marsad.store import Store


def test_a_story_retitled_with_markup_shows_as_text_and_pins_lead(
    desk_app: Any, store: Store
) -> None:
    first = create_story(store, "قصة أولى", datetime(2015, 7, 21, tzinfo=UTC))
    editor = TestClient(desk_app)
    log_in(editor, EDITOR)
    page = editor.get(f"/desk/story/{first}")
    assert 'dir="rtl"' in page.text and 'lang="ar"' in page.text
    assert 'name="viewport"' in page.text  # usable on a phone
    typed = '<script>alert("x")</script> عنوان <b>المحرر</b>'
    done = act(editor, "retitle_story", story_id=first, title=typed)
    assert done.status_code == 200 and "تغيّر عنوان القصة" in done.text
    shown = editor.get(f"/desk/story/{first}").text
    assert "<script>alert" not in shown and "&lt;script&gt;" in shown
    assert store.get_story(first).title == typed  # type: ignore[union-attr]
    pinned = act(editor, "pin_story", story_id=first, hours=3)
    assert pinned.status_code == 200
    assert [c.story.id for c in store.top_stories(limit=3)][:1] == [first]


def test_errors_are_said_in_words(desk_app: Any, store: Store) -> None:
    editor = TestClient(desk_app)
    log_in(editor, EDITOR)
    token = session_csrf(editor)
    missing = editor.post(
        "/desk/do/hide_article", data={"csrf": token, "article_id": "999", "confirm": "yes"}
    )
    assert missing.status_code == 404 and "لا يوجد مقال برقم 999" in missing.text
    bad = editor.post("/desk/do/pin_story", data={"csrf": token, "story_id": "x", "hours": "1"})
    assert bad.status_code == 422 and "رقم صحيح موجب" in bad.text
    story = create_story(store, "قصة")
    self_merge = editor.post(
        "/desk/do/merge_stories",
        data={"csrf": token, "story_id": str(story), "into_story_id": str(story), "confirm": "yes"},
    )
    assert self_merge.status_code == 400 and "لا تُدمج قصة في نفسها" in self_merge.text


def test_audit_log_says_who_when_what_exports_jsonl_and_undoes(desk_app: Any, store: Store) -> None:
    story = create_story(store, "قصة")
    editor = TestClient(desk_app)
    log_in(editor, EDITOR)
    act(editor, "hide_story", story_id=story)
    assert store.hidden_stories([story]) == {story}
    page = editor.get("/desk/audit")
    assert "hide_story story:" in page.text and EDITOR in page.text
    lines = editor.get("/desk/audit.jsonl").text.splitlines()
    (entry,) = [json.loads(line) for line in lines]
    assert entry["actor"] == EDITOR and entry["action"] == "hide_story"
    assert entry["before"] == {"hidden": False} and entry["after"] == {"hidden": True}
    assert datetime.fromisoformat(entry["at"])
    undone = act(editor, "undo", entry_id=entry["id"])
    assert undone.status_code == 200
    assert not store.hidden_stories([story])
    again = act(editor, "undo", entry_id=entry["id"])
    assert again.status_code == 400 and "لا يمكن التراجع" in again.text
    entries, total = store.audit_entries()
    assert total == 2 and entries[1].undone_by == entries[0].id


def test_the_sources_desk(desk_app: Any, store: Store) -> None:
    store.upsert_source(
        Source("okaz", "عكاظ", "https://www.okaz.com.sa/rss", "https://www.okaz.com.sa")
    )
    editor, admin = TestClient(desk_app), TestClient(desk_app)
    log_in(editor, EDITOR)
    log_in(admin, ADMIN)
    listing = editor.get("/desk/sources")
    assert "عكاظ" in listing.text and "أخطاء متتالية" in listing.text and "جارية" in listing.text
    assert act(editor, "pause_source", slug="okaz").status_code == 200
    assert store.get_source("okaz").options["paused"] is True  # type: ignore[union-attr]
    assert "موقوفة" in editor.get("/desk/sources").text
    assert act(editor, "resume_source", slug="okaz").status_code == 200
    assert act(editor, "fetch_source", slug="okaz").status_code == 200
    assert store.get_source("okaz").next_check_at is not None  # type: ignore[union-attr]
    assert act(admin, "remove_source", slug="okaz").status_code == 200
    assert store.get_source("okaz") is None


def test_undoing_a_hide_and_a_merge_puts_things_back(
    desk_app: Any, store: Store, shared_dir: Any
) -> None:
    from marsad.ingest.importers import read_records
    from marsad.models import Enrichment, RawArticle
    from marsad.pipeline import ingest

    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    raws = [r for r in read_records(day) if isinstance(r, RawArticle)][:6]
    ingest(store, raws)
    ids = [a.id for a in store.iter_articles()][:6]
    one, two = create_story(store, "الأولى"), create_story(store, "الثانية")
    texts = {a.id: a.article.text for a in store.get_articles(ids)}
    phrases = {i: [w for w in texts[i].split() if len(w) > 5][:3] for i in ids}
    save_enrichments(
        store,
        [(i, Enrichment(phrases[i], story_id=one if n < 3 else two)) for n, i in enumerate(ids)],
    )
    refresh_story_counts(store, [one, two])
    editor = TestClient(desk_app)
    log_in(editor, EDITOR)
    target = ids[1]
    before = store.get_article(target)
    assert before is not None and before.enrichment.keyphrases
    act(editor, "hide_article", article_id=target)
    assert store.get_article(target).enrichment.keyphrases == []  # type: ignore[union-attr]
    hide = store.audit_entries()[0][0]
    assert act(editor, "undo", entry_id=hide.id).status_code == 200
    back = store.get_article(target)
    assert back is not None and back.enrichment.story_id == one
    assert sorted(back.enrichment.keyphrases) == sorted(before.enrichment.keyphrases)
    assert editor.get(f"/article/{target}").status_code == 200

    act(editor, "merge_stories", story_id=two, into_story_id=one)
    assert store.get_story(two) is None and store.get_story(one).article_count == 6  # type: ignore[union-attr]
    merge = store.audit_entries()[0][0]
    assert act(editor, "undo", entry_id=merge.id).status_code == 200
    assert store.story_article_ids(two) == ids[3:]
    assert store.get_story(one).article_count == 3  # type: ignore[union-attr]
