"""Trending on real corpus text, enriched by the whole pipeline: a slice of 2015-08-04 imported
first, then a slice of 2015-08-07 holding every article on the Asir mosque bombing and on the
Saudi market's fall. The box must lead with the bombing and hold the day's biggest story as the
pipeline grouped it, show the market's fall once, show no evergreen phrase (the gold's
never-list, and none the store's own counts call evergreen) and no tag twice under two
spellings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.arabic.normalize import matching_form
from marsad.enrichment_runner import EnrichmentRunner
from marsad.ingest.importers import read_records, source_names
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import Store, open_store
from marsad.store.schema import article_keyphrases, articles, keyphrase_totals, keyphrases
from marsad.store.trending import MIN_SOURCES, Trend, _entries, tag_key

GOLD = Path(__file__).resolve().parents[2] / "bench" / "gold" / "trending.json"
BOMBING = ("الطوارئ", "عسير", "أبها")  # title words of the day's biggest story
MARKET = ("الأسهم",)  # title words of the market's reports


def _day(shared_dir: Path, day: str) -> list[RawArticle]:
    path = shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip"
    return [r for r in read_records(path, source_names()) if isinstance(r, RawArticle)]


def _bare(phrase: str) -> str:
    """The comparison form: matching form, each word without its article or clitic."""
    return " ".join(tag_key(phrase))


@pytest.fixture(scope="module")
def day_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Every fourth article of 2015-08-04, then the bombing's and the market's articles of
    2015-08-07 and every fourth other article of that day, through `marsad.pipeline.ingest`."""
    before = _day(shared_dir, "2015-08-04")[::4]
    day = _day(shared_dir, "2015-08-07")
    bombing = [r for r in day if any(w in r.title for w in (*BOMBING, *MARKET))]
    others = [r for r in day if not any(w in r.title for w in (*BOMBING, *MARKET))][::4]
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


def _window_counts(store: Store) -> tuple[dict[tuple[str, ...], set[int]], int]:
    """The trending window's tags (by `tag_key`) → the window articles carrying them, and how
    many window articles have tags: read from the stored links, copies and briefs left out."""
    day = store.reference_time().replace(tzinfo=None) - timedelta(hours=24)
    stmt = (
        select(keyphrases.c.display, articles.c.id)
        .join(article_keyphrases, article_keyphrases.c.keyphrase_id == keyphrases.c.id)
        .join(articles, articles.c.id == article_keyphrases.c.article_id)
        .where(
            articles.c.published_at >= day,
            articles.c.duplicate_of.is_(None),
            articles.c.brief.is_(False),
        )
    )
    carrying: dict[tuple[str, ...], set[int]] = {}
    tagged: set[int] = set()
    with store.engine.connect() as conn:
        for display, article_id in conn.execute(stmt):
            carrying.setdefault(tag_key(display), set()).add(article_id)
            tagged.add(article_id)
    return carrying, len(tagged)


def test_no_tag_the_stores_counts_call_evergreen_trends(
    day_store: Store, trends: list[Trend]
) -> None:
    """A tag on 1% or more of the articles stored before the window, about as common in it
    (a burst from 0.5 to 2.5), is evergreen by the store's own document frequency (the
    phrases' article counts and `keyphrase_totals`): never in the box, unless it rose far
    above that share (a burst of 1.5 or more on ten articles or more beyond it)."""
    carrying, window = _window_counts(day_store)
    with day_store.engine.connect() as conn:
        total = int(conn.execute(select(keyphrase_totals.c.articles)).scalar_one())
        documents: dict[tuple[str, ...], int] = {}
        for display, n in conn.execute(select(keyphrases.c.display, keyphrases.c.documents)):
            key = tag_key(display)
            documents[key] = documents.get(key, 0) + int(n)
    before = total - window
    assert before >= 200 and window >= 200, (before, window)
    evergreen = set()
    for key, ids in carrying.items():
        earlier = documents[key] - len(ids)
        burst = (len(ids) / window) / ((earlier + 1) / (before + 1))
        risen = burst >= 1.5 and len(ids) - window * (earlier + 1) / (before + 1) >= 10
        if earlier >= 0.01 * before and 0.5 <= burst < 2.5 and not risen:
            evergreen.add(key)
    assert len(evergreen) >= 5, evergreen  # the slice has its everyday tags ("الرياض", "مصر")
    shown = [t.display for t in trends]
    assert not [d for d in shown if tag_key(d) in evergreen], shown


def test_the_days_biggest_story_is_in_the_box(day_store: Store, trends: list[Trend]) -> None:
    """The window's story with the most sources (as the pipeline grouped it) is told by one of
    the first three entries: most of its articles carry that entry's tag."""
    day = day_store.reference_time().replace(tzinfo=None) - timedelta(hours=24)
    stmt = select(articles.c.id, articles.c.story_id, articles.c.source_id).where(
        articles.c.published_at >= day,
        articles.c.story_id.is_not(None),
        articles.c.duplicate_of.is_(None),
        articles.c.brief.is_(False),
    )
    members: dict[int, set[int]] = {}
    sources: dict[int, set[int]] = {}
    with day_store.engine.connect() as conn:
        for article_id, story_id, source_id in conn.execute(stmt):
            members.setdefault(story_id, set()).add(article_id)
            sources.setdefault(story_id, set()).add(source_id)
    biggest = max(members, key=lambda s: (len(sources[s]), len(members[s]), -s))
    assert len(sources[biggest]) >= 3, sources[biggest]
    carrying, _ = _window_counts(day_store)
    told = [
        t.display
        for t in trends[:3]
        if 2 * len(carrying.get(tag_key(t.display), set()) & members[biggest])
        >= len(members[biggest])
    ]
    assert told, ([t.display for t in trends[:3]], len(members[biggest]))


def test_the_markets_fall_is_one_entry_in_the_form_its_reports_use(trends: list[Trend]) -> None:
    """The day's reports on the shares ("الأسهم السعودية", "الأسهم المحلية", "أسهم أوروبا")
    are news beside the bombing: in the box once, under a form with the article."""
    market = [t for t in trends if "اسهم" in tag_key(t.display)]
    assert len(market) == 1, [t.display for t in trends]
    assert market[0].display.startswith("الأسهم") and market[0].sources >= 3, market[0]


def test_the_days_biggest_story_takes_one_slot(day_store: Store, trends: list[Trend]) -> None:
    """An editor's box shows each story once: of the entries shown, only one is mostly the
    articles of the window's story with the most sources (the bombing as the pipeline grouped
    it), among the first three; the next entries are other news."""
    window = day_store._trending_window(24)
    biggest = max(window.stories.values(), key=lambda s: (len(s.sources), len(s.articles), -s.id))
    assert len(biggest.articles) >= 30, len(biggest.articles)
    entries = {e.trend().display: e for e in _entries(window, MIN_SOURCES)}
    inside = []
    for rank, t in enumerate(trends):
        event = entries[t.display].articles
        if 2 * len(event & biggest.articles) >= len(event):
            inside.append((rank, t.display))
    assert len(inside) == 1 and inside[0][0] < 3, inside
