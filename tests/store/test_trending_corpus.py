"""Trending on real corpus text, enriched by the whole pipeline: a slice of 2015-08-04 imported
first, then a slice of 2015-08-07 holding every article on the Asir mosque bombing. The box
must lead with the bombing, show no evergreen phrase (the gold's never-list, and none the
store's own counts call evergreen) and no tag twice under two spellings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.arabic.normalize import matching_form
from marsad.enrichment_runner import EnrichmentRunner
from marsad.ingest.importers import read_records, source_names
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import Store, open_store
from marsad.store.trending import Trend, tag_key

GOLD = Path(__file__).resolve().parents[2] / "bench" / "gold" / "trending.json"
BOMBING = ("الطوارئ", "عسير", "أبها")  # title words of the day's biggest story


def _day(shared_dir: Path, day: str) -> list[RawArticle]:
    path = shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip"
    return [r for r in read_records(path, source_names()) if isinstance(r, RawArticle)]


def _bare(phrase: str) -> str:
    """The comparison form: matching form, each word without its article or clitic."""
    return " ".join(tag_key(phrase))


@pytest.fixture(scope="module")
def day_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Every fourth article of 2015-08-04, then the bombing's articles of 2015-08-07 and every
    fourth other article of that day, through `marsad.pipeline.ingest`."""
    before = _day(shared_dir, "2015-08-04")[::4]
    day = _day(shared_dir, "2015-08-07")
    bombing = [r for r in day if any(w in r.title for w in BOMBING)]
    others = [r for r in day if not any(w in r.title for w in BOMBING)][::4]
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('trend') / 'trend.db'}")
    enricher = EnrichmentRunner()
    enricher.warm(store)
    for records in (before, [*bombing, *others]):
        ingest(store, records, enricher)
    yield store
    store.close()


@pytest.fixture(scope="module")
def trends(day_store: Store) -> list[Trend]:
    return day_store.trending_tags(24, 20)


def test_the_days_biggest_story_leads(trends: list[Trend]) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    bombing = gold["days"]["2015-08-07"]["topics"][0]
    forms = {_bare(f) for f in [bombing["topic"], *bombing["forms"]]}
    leading = [_bare(t.display) for t in trends[:3]]
    assert any(f" {form} " in f" {entry} " for entry in leading for form in forms), leading
    top = trends[0]
    assert top.articles >= 30 and top.sources >= 5 and top.burst > 3


def test_no_evergreen_phrase_trends(day_store: Store, trends: list[Trend]) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    never = {_bare(p) for p in gold["never"]}
    shown = [t.display for t in trends]
    assert len(trends) >= 10, shown
    assert not [d for d in shown if _bare(d) in never], shown
    # A single common word (a noun with the article) never stands for the day's news alone.
    for t in trends:
        if len(t.display.split()) == 1 and t.kind == "topic":
            assert not matching_form(t.display).startswith("ال"), t.display


def test_no_tag_shows_twice_under_two_spellings(trends: list[Trend]) -> None:
    keys = [tag_key(t.display) for t in trends]
    assert len(set(keys)) == len(keys), [t.display for t in trends]
    # "لكرة القدم" beside "كرة القدم": a clitic before the first word is no second tag.
    bare = {(k[0][1:], *k[1:]) for k in keys if k and k[0][:1] in "وبلف"}
    assert not bare & set(keys), [t.display for t in trends]


def test_fewer_sources_than_the_floor_do_not_trend(day_store: Store) -> None:
    for t in day_store.trending_tags(24, 20, min_sources=4):
        assert t.sources >= 4, t


def test_the_list_is_best_first_and_the_same_on_every_ask(
    day_store: Store, trends: list[Trend]
) -> None:
    scores = [t.score for t in trends]
    assert scores == sorted(scores, reverse=True)
    assert [t.display for t in day_store.trending_tags(24, 20)] == [t.display for t in trends]
