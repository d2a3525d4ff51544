"""Import, export and stats: the foundation's round trip through the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.export import EXPORT_FIELDS, export_line
from marsad.ingest.importers import read_records
from marsad.models import RawArticle, Rejection
from marsad.pipeline import ingest, normalize
from marsad.store import Store, open_store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "library"


def test_jsonl_import_explains_every_rejection(store: Store) -> None:
    report = ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    # A headline with no text («بلا نص») is kept, as a brief.
    assert report.imported == 3
    # The fragment-only variant of /a/1 is the same canonical URL.
    assert report.already_present == 1
    assert report.rejected == {
        "bad JSON line 3": 1,
        "no URL": 1,
        "not an object": 1,
        "unreadable date": 1,
    }
    assert "mixed.jsonl:3" in report.examples["bad JSON line 3"][0]
    summary = report.summary()
    assert "imported: 3" in summary and "bad JSON line 3: 1" in summary
    briefs = [a for a in store.iter_articles() if a.article.brief]
    assert [a.article.title for a in briefs] == ["بلا نص"]


def test_untitled_article_takes_its_own_first_words(store: Store) -> None:
    ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    ids, _ = store.search("بيرنز")
    article = store.get_article(ids[0])
    assert article is not None
    assert article.article.title.startswith("كشف مصدر مطلع أن مدير")
    assert article.article.title.endswith("…")


def test_reimport_changes_nothing(store: Store) -> None:
    ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    before = store.counts()
    again = ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    assert again.imported == 0 and again.already_present == 4
    assert store.counts() == before


def test_export_has_exactly_the_contract_fields(store: Store) -> None:
    ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    lines = [export_line(a) for a in store.iter_articles()]
    assert len(lines) == 3  # one of them the brief «بلا نص»
    records = [json.loads(line) for line in lines]
    for record in records:
        assert tuple(record) == EXPORT_FIELDS
        assert isinstance(record["keyphrases"], list) and isinstance(record["related"], list)
    first = records[0]
    assert first["url"] == "https://example.org/a/1"
    assert first["published_at"] == "2024-02-01T08:00:00+00:00"
    assert "تميم بن حمد آل ثاني" in first["text"]


def test_normalize_keeps_display_and_folds_matching() -> None:
    raw = RawArticle(
        url="HTTPS://Example.org/خبر?utm_source=x&id=7#top",
        source="s",
        title="الولایات المتحدة",
        text="قالَ الرئيسُ\u200f   إنّ ١٢٣ شخصاً",
    )
    article = normalize(raw)
    assert not isinstance(article, Rejection)
    assert article.url == "https://example.org/%D8%AE%D8%A8%D8%B1?id=7"
    assert article.title == "الولایات المتحدة"  # display form keeps what the publisher wrote
    assert article.match_title == "الولايات المتحده"
    assert article.text == "قالَ الرئيسُ إنّ ١٢٣ شخصاً"
    assert article.match_text == "قال الرئيس ان 123 شخصا"


def test_html_entities_leaked_by_cmss_are_decoded() -> None:
    raw = RawArticle(
        url="https://example.org/film",
        source="s",
        title="فيلم &#8220;جوراسيك وورلد&#8221; يحافظ على &quot;الصدارة&quot;",
        text="نص المقال &amp; تتمته",
        author="&nbsp;",
    )
    article = normalize(raw)
    assert not isinstance(article, Rejection)
    assert article.title == 'فيلم “جوراسيك وورلد” يحافظ على "الصدارة"'
    assert article.text == "نص المقال & تتمته"
    assert article.author is None


def test_search_finds_variants(store: Store) -> None:
    ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    for query in ("الرهائن", "رهائن", "قَطَر", '"قطر" (*', "الاستخبارات المركزية"):
        ids, total = store.search(query)
        assert len(ids) == min(total, 20)
        assert total >= 1, query
    assert store.search("كلمة غير موجودة أبدا")[1] == 0
    assert store.search('"*)(:^') == ([], 0)


def test_corpus_day_imports_cleanly(shared_dir: Path, tmp_path: Path) -> None:
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    url = f"sqlite:///{tmp_path / 'day.db'}"
    store = open_store(url)
    try:
        report = ingest(store, read_records(day))
        counts = store.counts()
        assert report.imported == counts["articles"] > 2000
        assert set(report.rejected) <= {"empty text"}
        assert counts["sources"] >= 10
        again = ingest(store, read_records(day))
        assert again.imported == 0
        assert store.counts() == counts
    finally:
        store.close()


@pytest.mark.parametrize("payload", [b"{not json", b'{"a": 1}', b""])
def test_bad_json_files_are_rejected_not_raised(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(payload)
    records = list(read_records(path))
    assert len(records) == 1 and isinstance(records[0], Rejection)
    assert records[0].reason.startswith("bad JSON")


def test_missing_and_corrupt_zip(tmp_path: Path) -> None:
    (missing,) = read_records(tmp_path / "nope.zip")
    assert isinstance(missing, Rejection) and missing.reason == "file not found"
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK not really")
    (rejection,) = read_records(bad)
    assert isinstance(rejection, Rejection) and "unreadable file" in rejection.reason


def test_store_reopens_with_data(db_url: str) -> None:
    store = open_store(db_url)
    ingest(store, read_records(FIXTURES / "mixed.jsonl"))
    store.close()
    again = open_store(db_url)
    try:
        assert again.counts()["articles"] == 3
    finally:
        again.close()
