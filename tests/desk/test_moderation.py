"""Editors' decisions hold whatever the pipeline does afterwards: more articles through the
same enricher, the whole store enriched again from scratch, and the worker tasks' path.

Real articles of one corpus day go through the real enricher in two halves; between them an
editor hides an article, moves one out of its story, merges two stories and curates tags.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from marsad.enrichment_runner import EnrichmentRunner, start_enrichment
from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.settings import Settings
from marsad.store import Store, StoredArticle
from marsad.workers.context import WorkerContext
from marsad.workers.messages import raw_to_message
from marsad.workers.tasks import enrich_articles, prepare

DAY = "2015-07-22.zip"
PER_SOURCE = 40
EDITOR = "sami"


def _day(shared_dir: Path) -> list[RawArticle]:
    """The first articles of every source of a corpus day, in publish order."""
    taken: Counter[str] = Counter()
    kept = []
    for record in read_records(shared_dir / "corpus" / "saudinewsnet" / DAY):
        if isinstance(record, RawArticle) and taken[record.source] < PER_SOURCE:
            taken[record.source] += 1
            kept.append(record)
    return sorted(kept, key=lambda r: (r.published_at or datetime.min.replace(tzinfo=UTC), r.url))


def _everything(store: Store) -> list[StoredArticle]:
    return list(store.iter_articles())


def _stories(articles: list[StoredArticle]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for a in articles:
        if a.enrichment.story_id is not None:
            found.setdefault(a.enrichment.story_id, []).append(a.id)
    return found


@dataclass(frozen=True)
class Decided:
    """What the editor decided on the first half: the ids `_check` looks at."""

    hidden: int
    moved: int
    held_in: int
    absorbed: int
    merged: set[int]
    survivor: int
    banned: str


def _check(store: Store, decided: Decided) -> None:
    """Every decision still holds in the store and on what readers are shown."""
    hidden, moved, held_in = decided.hidden, decided.moved, decided.held_in
    absorbed, merged, survivor = decided.absorbed, decided.merged, decided.survivor
    banned = decided.banned
    everything = _everything(store)
    by_id = {a.id: a for a in everything}
    assert by_id[hidden].enrichment.story_id is None and by_id[hidden].enrichment.keyphrases == []
    assert all(hidden not in a.enrichment.related for a in everything)
    assert store.visible_article(hidden) is None
    assert hidden not in {c.id for c in store.latest_articles(limit=1000).items}
    assert hidden not in store.search(by_id[hidden].article.title, limit=50)[0]
    assert by_id[moved].enrichment.story_id == held_in
    assert all(by_id[i].enrichment.story_id == survivor for i in merged)
    assert all(a.enrichment.story_id != absorbed for a in everything)
    assert store.get_story(absorbed) is None
    page = store.story_page(survivor)
    assert page is not None and merged <= {a.id for a in page.articles}
    assert all(banned not in a.enrichment.keyphrases for a in everything)
    assert store.find_tag(banned) is None


def _first_half_then_decide(
    store: Store, first: list[RawArticle]
) -> tuple[Decided, EnrichmentRunner]:
    """Enrich the first half through the pipeline, then decide as an editor would."""
    runner = start_enrichment(store)
    ingest(store, first, runner)
    stories = _stories(_everything(store))
    big = sorted((ids for ids in stories.values() if len(ids) >= 3), key=len, reverse=True)
    assert len(big) >= 3, "the day's first half has too few stories of three articles"
    home, other, third = big[0], big[1], big[2]
    now = datetime.now(UTC)
    by_id = {a.id: a for a in _everything(store)}
    hidden, moved = home[1], home[2]
    store.hide_article(EDITOR, hidden, now)
    _, held_in = store.move_article(EDITOR, moved, None, now)
    absorbed, survivor = by_id[other[0]].enrichment.story_id, by_id[third[0]].enrichment.story_id
    assert absorbed is not None and survivor is not None
    store.merge_stories(EDITOR, absorbed, survivor, now)
    tags = Counter(t for a in _everything(store) for t in a.enrichment.keyphrases)
    banned = tags.most_common(1)[0][0]
    store.ban_tag(EDITOR, banned, now)
    decided = Decided(hidden, moved, held_in, absorbed, set(other) | set(third), survivor, banned)
    _check(store, decided)
    return decided, runner


@pytest.mark.slow
def test_decisions_hold_through_more_articles_and_a_fresh_enrichment(
    store: Store, shared_dir: Path
) -> None:
    day = _day(shared_dir)
    first, second = day[: len(day) // 2], day[len(day) // 2 :]
    decided, runner = _first_half_then_decide(store, first)
    ingest(store, second, runner)  # the same enricher, which knows none of the decisions
    _check(store, decided)
    assert len(_everything(store)) > len(first)
    store.reset_enrichment()  # everything enriched again, from a freshly warmed enricher
    start_enrichment(store)
    _check(store, decided)


@pytest.mark.slow
def test_decisions_hold_on_the_workers_path(store: Store, db_url: str, shared_dir: Path) -> None:
    day = _day(shared_dir)
    first, second = day[: len(day) // 2], day[len(day) // 2 :]
    decided, _ = _first_half_then_decide(store, first)
    ctx = WorkerContext(Settings(db_url=db_url))
    try:
        ids = prepare(ctx, [raw_to_message(r) for r in second])
        assert ids
        enrich_articles(ctx, ids)
    finally:
        ctx.store().close()
    _check(store, decided)
