"""Articles for the enrichment tests: real corpus articles and the reports written for them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from marsad.ingest.importers import read_records, source_names
from marsad.models import Article, RawArticle, Rejection
from marsad.pipeline import normalize

FIXTURES = Path(__file__).parent.parent / "fixtures" / "enrich"


@pytest.fixture(scope="session")
def load_day(shared_dir: Path) -> Callable[[str], list[Article]]:
    """A shared-corpus day by name, normalized, in publish order, URLs unique."""

    def load(day: str) -> list[Article]:
        path = shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip"
        seen: set[str] = set()
        found: list[Article] = []
        for record in read_records(path, source_names()):
            article = record if isinstance(record, Rejection) else normalize(record)
            if isinstance(article, Article) and article.url not in seen:
                seen.add(article.url)
                found.append(article)
        return sorted(found, key=lambda a: (a.published_at or a.fetched_at, a.url))

    return load


@pytest.fixture(scope="session")
def corpus_day(load_day: Callable[[str], list[Article]]) -> list[Article]:
    """The first shared-corpus day, normalized, in publish order, URLs unique."""
    return load_day("2015-07-21")


@pytest.fixture(scope="session")
def event_reports() -> list[Article]:
    """Two differently worded reports of one event, then an unrelated report."""
    data = json.loads((FIXTURES / "same_event.json").read_text(encoding="utf-8"))
    out = []
    for item in data["reports"]:
        raw = RawArticle(
            url=item["url"],
            source=item["source"],
            title=item["title"],
            text=item["text"],
            published_at=datetime.fromisoformat(item["published_at"]),
            fetched_at=datetime(2015, 7, 22, tzinfo=UTC),
        )
        article = normalize(raw)
        assert isinstance(article, Article)
        out.append(article)
    return out
