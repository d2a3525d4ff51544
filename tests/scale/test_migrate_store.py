"""`marsad migrate-store`: an enriched SQLite store moves into PostgreSQL whole, and back."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from store_writes import create_story, fetch_log_entries, save_enrichment, update_story

from marsad.cli import main
from marsad.export import export_line
from marsad.ingest.importers import read_records
from marsad.models import Article, Enrichment, RawArticle, StoryChange
from marsad.pipeline import ingest, normalize
from marsad.store import Store, open_store
from marsad.store.transfer import copy_store

DAY = "2015-07-22.zip"
QUERIES = ("الرياض", "وزير الخارجية", "السعودية", "مجلس الشورى")


def _enriched_store(url: str, day: Path) -> Store:
    """300 articles of a corpus day with stories, duplicates, keyphrases, related and a log."""
    store = open_store(url)
    ingest(store, itertools.islice(read_records(day), 300))
    ids = [a.id for a in store.iter_articles()]
    first = create_story(store, "قصة أولى")
    second = create_story(store, "قصة ثانية")
    for n, article_id in enumerate(ids):
        save_enrichment(
            store,
            article_id,
            Enrichment(
                keyphrases=["المملكة العربية السعودية", f"عبارة {n % 7}"],
                # The last article is a duplicate of the first, the first of a later one.
                duplicate_of=ids[-1] if n == 0 else (ids[0] if n == len(ids) - 1 else None),
                story_id=first if n % 3 == 0 else (second if n % 3 == 1 else None),
                related=[ids[(n + 1) % len(ids)], ids[(n + 5) % len(ids)]],
                summary=f"ملخص {n}",
            ),
        )
    story = store.get_story(first)
    assert story is not None
    update_story(
        store,
        first,
        StoryChange(story.title, ids[0], story.updated_at, "ملخص القصة", new_summary=True),
    )
    store.record_source_fetch("aawsat", ok=False, status="HTTP 503")
    store.log_fetch("https://example.org/x", source="aawsat", status="error", http_status=503)
    return store


def _picture(store: Store) -> tuple[object, ...]:
    """Everything a reader or a tool can see of a store."""
    return (
        [export_line(a) for a in store.iter_articles()],
        store.counts(),
        store.list_sources(),
        [store.get_story(i) for i in range(1, 4)],
        # Newest first: the hits and their order are the same on both backends (relevance
        # scores differ: FTS5's bm25 against ts_rank times idf).
        [store.search(q, sort="newest") for q in QUERIES],
        [sorted(store.search(q, limit=100)[0]) for q in QUERIES],
        [{k: v for k, v in e.items() if k != "id"} for e in fetch_log_entries(store)],
    )


def test_sqlite_store_moves_to_postgresql_and_back(
    shared_dir: Path, tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lite_url = f"sqlite:///{tmp_path / 'lite.db'}"
    lite = _enriched_store(lite_url, shared_dir / "corpus" / "saudinewsnet" / DAY)
    expected = _picture(lite)
    n = lite.counts()["articles"]
    lite.close()

    assert main(["migrate-store", "--from", lite_url, "--to", pg_url, "--quiet"]) == 0
    assert f"articles: {n} in source, {n} in target" in capsys.readouterr().out
    pg = open_store(pg_url)
    assert _picture(pg) == expected
    # Running it again changes nothing.
    assert main(["migrate-store", "--from", lite_url, "--to", pg_url, "--quiet"]) == 0
    assert _picture(pg) == expected

    back_url = f"sqlite:///{tmp_path / 'back.db'}"
    assert main(["migrate-store", "--from", pg_url, "--to", back_url, "--quiet"]) == 0
    back = open_store(back_url)
    assert _picture(back) == expected
    back.close()

    # New rows after the move get fresh ids (PostgreSQL's sequences follow the copied ids).
    fresh = normalize(RawArticle(url="https://example.org/new", source="s", title="t", text="نص"))
    assert isinstance(fresh, Article)
    assert pg.add_articles([fresh]) == [n + 1]
    assert create_story(pg, "قصة جديدة") == 3
    pg.close()


def test_interrupted_copy_is_finished_by_running_again(
    shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    lite = _enriched_store(
        f"sqlite:///{tmp_path / 'lite.db'}", shared_dir / "corpus" / "saudinewsnet" / DAY
    )
    pg = open_store(pg_url)

    def cut_power(table: str, rows: int) -> None:
        if table == "articles":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        copy_store(lite, pg, batch_size=50, progress=cut_power)
    assert pg.counts()["articles"] == 50 < lite.counts()["articles"]
    report = copy_store(lite, pg, batch_size=50)
    assert report.complete, report.summary()
    assert _picture(pg) == _picture(lite)
    lite.close()
    pg.close()


def test_target_with_other_articles_is_refused(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def one(url: str, link: str) -> None:
        store = open_store(url)
        article = normalize(RawArticle(url=link, source="s", title="t", text="نص"))
        assert isinstance(article, Article)
        store.add_articles([article])
        store.close()

    lite_url = f"sqlite:///{tmp_path / 'lite.db'}"
    one(lite_url, "https://example.org/mine")
    one(pg_url, "https://example.org/theirs")
    assert main(["migrate-store", "--from", lite_url, "--to", pg_url, "--quiet"]) == 2
    assert "already holds other articles" in capsys.readouterr().err
