"""Tags in the store: kinds and document frequencies kept whatever the arrival order, readers'
order pushing common phrases down, trending by burst with a source floor, variants merged."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from store_writes import create_story, save_enrichment, save_enrichments

from marsad.ingest.importers import read_records
from marsad.models import Enrichment, RawArticle
from marsad.pipeline import ingest
from marsad.store import Store, open_store
from marsad.store.keyphrases import (
    MIN_ARTICLES,
    load_tags,
    phrase_kind,
    rank_for_readers,
    tagged_articles,
    vote_kind,
)
from marsad.store.schema import keyphrases
from marsad.store.trending import tag_key
from marsad.urls import canonical_url

NOW = datetime(2015, 8, 7, 21, 0, tzinfo=UTC)


def _raws(shared_dir: Path, n: int) -> list[RawArticle]:
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-08-04.zip"
    records = (r for r in read_records(day) if isinstance(r, RawArticle))
    return list(itertools.islice(records, n))


def _window_and_before(
    store: Store, shared_dir: Path, recent_n: int = 20
) -> tuple[list[int], list[int]]:
    """Real articles stored: `recent_n` in the last hours from four papers, three hundred on
    the days before; their ids, newest first, in the window and before it."""
    raws = _raws(shared_dir, recent_n + 300)
    dated = [
        replace(r, source=f"src{i % 4}", published_at=NOW - timedelta(minutes=i * 1200 // recent_n))
        for i, r in enumerate(raws[:recent_n])
    ] + [
        replace(r, source=f"src{i % 4}", published_at=NOW - timedelta(days=2 + i % 5))
        for i, r in enumerate(raws[recent_n:])
    ]
    ingest(store, dated)
    ids = {a.article.url: a.id for a in store.iter_articles()}
    recent = {ids[u] for u in (canonical_url(r.url) for r in dated[:recent_n]) if u in ids}
    stored = [ids[u] for u in (canonical_url(r.url) for r in dated) if u in ids]
    return [i for i in stored if i in recent], [i for i in stored if i not in recent]


def _phrase_rows(store: Store) -> dict[str, tuple[str, str, int]]:
    stmt = select(keyphrases.c.id, keyphrases.c.display, keyphrases.c.documents)
    with store.engine.connect() as conn:
        return {d: (d, phrase_kind(conn, i), int(n)) for i, d, n in conn.execute(stmt)}


def _tag_all(store: Store, order: list[int], tags: dict[int, Enrichment]) -> None:
    for article_id in order:
        save_enrichment(store, article_id, tags[article_id])


def test_kinds_and_counts_do_not_depend_on_arrival_order(shared_dir: Path, tmp_path: Path) -> None:
    raws = _raws(shared_dir, 4)
    tags = [
        Enrichment(["جدة", "الأسهم السعودية"], kinds=["topic", "person"]),
        Enrichment(["جدة", "وزارة الداخلية"], kinds=["place", "organisation"]),
        Enrichment(["وزارة الداخلية"], kinds=["topic"]),
        Enrichment(["الأسهم السعودية", "جدة"], kinds=["topic", "place"]),
    ]
    seen = []
    for n, order in enumerate(([0, 1, 2, 3], [3, 2, 1, 0])):
        store = open_store(f"sqlite:///{tmp_path / f'o{n}.db'}")
        try:
            ingest(store, raws)
            ids = {a.article.url: a.id for a in store.iter_articles()}
            by_index = [ids[canonical_url(r.url)] for r in raws]
            _tag_all(store, [by_index[i] for i in order], {by_index[i]: tags[i] for i in order})
            # Re-tagging an article replaces its links and its counts.
            save_enrichment(store, by_index[2], Enrichment(["وزارة الداخلية"], kinds=["topic"]))
            with store.engine.connect() as conn:
                seen.append((_phrase_rows(store), tagged_articles(conn)))
        finally:
            store.close()
    assert seen[0] == seen[1]
    rows, total = seen[0]
    assert total == 4
    assert rows["جدة"] == ("جدة", "place", 3)  # two of its three articles read a place
    assert rows["وزارة الداخلية"] == ("وزارة الداخلية", "organisation", 2)
    # Half of its articles read a name: a name (one vote in three would not be, see below).
    assert rows["الأسهم السعودية"] == ("الأسهم السعودية", "person", 2)


def test_one_stray_vote_does_not_name_a_phrase() -> None:
    assert vote_kind({0: 3, 2: 1}) == "topic"  # "مكة المكرمة" once after a title
    assert vote_kind({0: 2, 1: 1}) == "place"
    assert vote_kind({1: 2, 2: 2, 0: 1}) == "place"  # a tie goes to the lower code
    assert vote_kind({}) == "topic"


def test_store_tags_carry_kinds(store: Store, shared_dir: Path) -> None:
    raws = _raws(shared_dir, 1)
    ingest(store, raws)
    (article,) = list(store.iter_articles())
    save_enrichment(
        store, article.id, Enrichment(["فيصل بن خالد", "عسير"], kinds=["person", "place"])
    )
    with store.engine.connect() as conn:
        assert load_tags(conn, [article.id]) == {
            article.id: [("فيصل بن خالد", "person"), ("عسير", "place")]
        }


def test_common_phrases_go_last_for_readers() -> None:
    documents = {"المملكه": 500, "عسير": 20, "قوات الطوارئ": 30}
    phrases = ["المملكة", "قوات الطوارئ", "عسير"]
    assert rank_for_readers(phrases, documents, 1000) == ["قوات الطوارئ", "عسير", "المملكة"]
    # Too few articles to tell what is common: the article's own order.
    assert rank_for_readers(phrases, documents, MIN_ARTICLES - 1) == phrases


def test_variants_share_a_key() -> None:
    assert tag_key("للانتخابات البلدية") == tag_key("الانتخابات البلدية")
    assert tag_key("بالانتخابات البلدية") == tag_key("الانتخابات البلدية")
    assert tag_key("لبنان") == ("لبنان",)  # its first letter is its own


def test_trending_is_a_burst_over_the_days_before(store: Store, shared_dir: Path) -> None:
    recent, before = _window_and_before(store, shared_dir)
    window, stored = recent[:12], [*recent, *before]
    assert len(window) == 12 and len(before) >= 240
    plan: dict[int, tuple[list[str], list[str]]] = {}
    for n, article_id in enumerate(window):
        if n < 8:
            plan[article_id] = (["مسجد قوات الطوارئ", "قوات الطوارئ"], ["place", "organisation"])
        else:  # two of the four write the variant with the clitic
            plan[article_id] = (["لكرة القدم" if n < 10 else "كرة القدم"], ["topic"])
    for n, article_id in enumerate(before):
        plan[article_id] = (["قوات الطوارئ"], ["organisation"]) if n % 40 == 0 else ([], [])
    for article_id in stored:
        phrases, kinds = plan.get(article_id, ([], []))
        # «المملكة» is on every day: evergreen, never trending.
        save_enrichment(
            store, article_id, Enrichment(["المملكة", *phrases], kinds=["topic", *kinds])
        )
    trends = store.trending_tags(hours=24)
    shown = [t.display for t in trends]
    assert "المملكة" not in shown
    # The bombing's tags are one entry (one spells the other out), the first; the variants of
    # «كرة القدم» count together (four articles from four sources).
    assert shown[0] in ("مسجد قوات الطوارئ", "قوات الطوارئ")
    assert len([s for s in shown if "قوات الطوارئ" in s]) == 1
    football = [t for t in trends if t.display.endswith("كرة القدم")]
    assert len(football) == 1 and football[0].articles == 4
    assert trends[0].burst > 10
    # One source alone does not make a trend.
    assert store.trending_tags(hours=24, min_sources=5) == []


def test_a_story_trends_once_under_its_news_tag(store: Store, shared_dir: Path) -> None:
    window, before = _window_and_before(store, shared_dir)
    assert len(window) >= 14 and len(before) >= 240
    story = create_story(store, "افتتاح قناة السويس الجديدة", NOW)
    plan: dict[int, Enrichment] = {}
    for n, article_id in enumerate(window[:14]):
        if n < 6:  # one story; «مصر» is on every day, «قناة السويس» is the day's news
            plan[article_id] = Enrichment(
                ["المملكة", "مصر", "قناة السويس"], kinds=["topic", "place", "topic"], story_id=story
            )
        elif n < 10:  # a common word across four unrelated articles: no news of its own
            plan[article_id] = Enrichment(["المملكة", "الهجوم"], kinds=["topic", "topic"])
        else:  # a first name alone, which the day's longer names open
            plan[article_id] = Enrichment(["المملكة", "عبدالله"], kinds=["topic", "person"])
    plan[window[-1]] = Enrichment(["عبدالله بن عبدالعزيز"], kinds=["person"])
    for n, article_id in enumerate(before):
        phrases = ["المملكة", "مصر"] if n % 3 == 0 else ["المملكة"]
        plan[article_id] = Enrichment(phrases, kinds=["topic"] * len(phrases))
    save_enrichments(store, list(plan.items()))
    trends = store.trending_tags(hours=24)
    assert [t.display for t in trends] == ["قناة السويس"]
    assert trends[0].articles == 6 and trends[0].sources >= 3
    # Without the story, the common word and the first name still stay off.
    assert "الهجوم" not in {t.display for t in store.trending_tags(hours=24, min_sources=1)}


def test_spellings_and_family_names_trend_as_one_and_a_fading_story_stays(
    store: Store, shared_dir: Path
) -> None:
    window, before = _window_and_before(store, shared_dir)
    assert len(window) >= 16 and len(before) >= 240
    plan: dict[int, Enrichment] = {}
    for n, article_id in enumerate(window[:16]):
        if n < 4:  # two papers write the player's name with س, two with ز
            plan[article_id] = Enrichment(["موراليس" if n < 2 else "موراليز"], kinds=["topic"])
        elif n < 8:  # the full name twice, the family name alone twice
            name = "حيدر العبادي" if n < 6 else "العبادي"
            plan[article_id] = Enrichment([name], kinds=["person"])
        elif n < 12:  # a noun with the article, on no article before: never news alone
            plan[article_id] = Enrichment(["الاجتماعات"], kinds=["topic"])
        else:  # the days before's big story, still told by four papers
            plan[article_id] = Enrichment(["قوات الطوارئ"], kinds=["organisation"])
    for n, article_id in enumerate(before):
        plan[article_id] = Enrichment(
            ["قوات الطوارئ"] if n % 3 else ["الرياض"], kinds=["organisation"]
        )
    save_enrichments(store, list(plan.items()))
    trends = {t.display: t for t in store.trending_tags(hours=24)}
    players = [t for d, t in trends.items() if d in ("موراليس", "موراليز")]
    assert [t.articles for t in players] == [4], list(trends)
    assert trends["حيدر العبادي"].articles == 4 and "العبادي" not in trends
    assert "الاجتماعات" not in trends
    # Far less common than before (a burst under 0.5), yet on a quarter of the window.
    assert trends["قوات الطوارئ"].burst < 0.5 and trends["قوات الطوارئ"].sources == 4
    assert "الرياض" not in trends


def test_the_event_is_shown_under_what_its_articles_are_about(
    store: Store, shared_dir: Path
) -> None:
    # Real articles; the Super Cup's articles name London, where it was played, after it.
    window, before = _window_and_before(store, shared_dir)
    assert len(window) >= 18 and len(before) >= 240
    plan: dict[int, Enrichment] = {}
    evergreen = ["المملكة", "الرياض"]
    for n, article_id in enumerate(window[:18]):
        # The match, London fourth among its tags; then London third in other news.
        tags = ["كأس السوبر", *evergreen, "لندن"] if n < 6 else [*evergreen, "لندن"]
        plan[article_id] = Enrichment(tags, kinds=["topic"] * (len(tags) - 1) + ["place"])
    for article_id in before:
        plan[article_id] = Enrichment(evergreen, kinds=["topic", "place"])
    save_enrichments(store, list(plan.items()))
    # «لندن» weighs more (on three times the articles, each a passing name), but the six it
    # shares are about the match: one entry, under the match's name.
    assert [t.display for t in store.trending_tags(hours=24)] == ["كأس السوبر"]


def test_a_tag_its_articles_are_about_trends_once_more_common_than_before(
    store: Store, shared_dir: Path
) -> None:
    # Real articles, a window of two hundred; tags set by hand. The market's reports, each
    # about the shares, in no story: three of the window (1.5%), two of the three hundred
    # before (0.7%: no evergreen, a burst of 1.5, not twofold). The same counts for a body
    # each article names only fourth among its tags, in passing.
    window, before = _window_and_before(store, shared_dir, recent_n=200)
    assert len(window) >= 190 and len(before) >= 240
    evergreen = ["المملكة", "الرياض", "مصر"]
    plan: dict[int, Enrichment] = {}
    for article_id in window:
        plan[article_id] = Enrichment(evergreen, kinds=["topic", "place", "place"])
    for article_id in window[:3]:
        plan[article_id] = Enrichment(["الأسهم السعودية", *evergreen], kinds=["topic"] * 4)
    for article_id in window[3:6]:
        plan[article_id] = Enrichment([*evergreen, "الأمم المتحدة"], kinds=["topic"] * 4)
    # The tail of a longer name, cut at its preposition, bursting on four papers.
    for article_id in window[6:10]:
        plan[article_id] = Enrichment(["لشؤون المسجد الحرام", *evergreen], kinds=["topic"] * 4)
    plan[window[10]] = Enrichment(["الرئاسة العامة لشؤون المسجد الحرام"], kinds=["organisation"])
    for n, article_id in enumerate(before):
        tags = [*evergreen, "الأسهم السعودية", "الأمم المتحدة"] if n < 2 else evergreen
        plan[article_id] = Enrichment(tags, kinds=["topic"] * len(tags))
    save_enrichments(store, list(plan.items()))
    trends = {t.display: t for t in store.trending_tags(hours=24)}
    assert list(trends) == ["الأسهم السعودية"], list(trends)
    assert 1 < trends["الأسهم السعودية"].burst < 2 and trends["الأسهم السعودية"].sources == 3


def test_a_tag_common_every_day_trends_when_far_above_its_usual_share(
    store: Store, shared_dir: Path
) -> None:
    # Real articles, a window of two hundred; tags set by hand. «داعش» is on 8% of the three
    # hundred before (evergreen by the store's counts) and, the day it claims the bombing, on
    # 15% of the window, written «داعش» or «تنظيم الدولة الإسلامية», each article's first tag.
    # The king is as common before and in the window, but named fourth, in every condolence;
    # «الرياض» is as common as before; «لشؤون الدفاع» and «الشؤون الصحية» are the cut tails
    # of longer names.
    window, before = _window_and_before(store, shared_dir, recent_n=200)
    assert len(window) >= 190 and len(before) >= 240
    evergreen = ["المملكة", "الرياض", "مصر"]
    king = "سلمان بن عبدالعزيز آل سعود"
    plan: dict[int, Enrichment] = {}
    for article_id in window:
        plan[article_id] = Enrichment(evergreen, kinds=["topic", "place", "place"])
    for n, article_id in enumerate(window[:30]):
        body = "تنظيم الدولة الإسلامية" if n < 4 else "داعش"
        tags = [body, *evergreen, king]
        plan[article_id] = Enrichment(tags, kinds=["organisation", *["topic"] * 3, "person"])
    for article_id in window[30:34]:
        plan[article_id] = Enrichment(["لشؤون الدفاع", *evergreen], kinds=["topic"] * 4)
    for article_id in window[34:38]:  # a portfolio, the tail of "مديرية الشؤون الصحية"
        plan[article_id] = Enrichment(["الشؤون الصحية", *evergreen], kinds=["topic"] * 4)
    for n, article_id in enumerate(before):
        tags = [*evergreen, "داعش", king] if n % 12 == 0 else evergreen
        plan[article_id] = Enrichment(tags, kinds=["topic"] * len(tags))
    save_enrichments(store, list(plan.items()))
    trends = {t.display: t for t in store.trending_tags(hours=24)}
    assert list(trends) == ["داعش"], [(t.display, t.articles, t.burst) for t in trends.values()]
    assert trends["داعش"].articles == 30 and trends["داعش"].kind == "organisation"
    assert 1.5 <= trends["داعش"].burst < 2.5 and trends["داعش"].sources == 4
