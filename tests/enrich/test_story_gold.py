"""Stories on pairs the story gold judged by reading (bench/gold/stories_<day>_*.json, the
development days 2015-08-02 and 2015-08-07; the held-back day is never used here).

The enrichment runs, in publish order, over the real articles of a few judged seeds' pools
(every candidate of each, read from the shared corpus). Each test names a seed by its number
in the pool file and asserts what the reader decided: which candidates report the seed's
happening (one story) and which are another happening of the same kind (another story)."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from marsad.enrich.enricher import Enricher
from marsad.ingest.importers import read_records, source_names
from marsad.models import Article, Rejection
from marsad.pipeline import normalize

GOLD = Path(__file__).resolve().parents[2] / "bench" / "gold"
DAY = "2015-08-02"
# Seeds (1-based, in the pool file's order) whose pools the enrichment runs over.
SEEDS = (2, 3, 14, 23, 28)
# The Asir mosque bombing (2015-08-07): reports, condemnations, the funeral, the wounded.
# The whole day runs (a story of 90+ articles gathers only among all of them).
BOMBING_DAY = "2015-08-07"


def _pool(day: str = DAY) -> list[dict[str, list[str] | str]]:
    data = json.loads((GOLD / f"stories_{day}_pool.json").read_text(encoding="utf-8"))
    return list(data["seeds"])


def _labels(day: str = DAY) -> dict[str, list[str]]:
    data = json.loads((GOLD / f"stories_{day}_labels.json").read_text(encoding="utf-8"))
    return dict(data["labels"])


def _stories(
    shared_dir: Path, day: str, seeds: tuple[int, ...] | None, batch_size: int = 50
) -> dict[str, int]:
    """The story of every article of the chosen pools of a day (of the whole day when `seeds`
    is None), by URL, enriched in publish order."""
    wanted: set[str] | None = None
    if seeds is not None:
        pool = _pool(day)
        wanted = set()
        for n in seeds:
            entry = pool[n - 1]
            wanted.add(str(entry["seed"]))
            wanted.update(entry["candidates"])
    found: dict[str, Article] = {}
    path = shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip"
    for record in read_records(path, source_names()):
        article = record if isinstance(record, Rejection) else normalize(record)
        if isinstance(article, Article) and (wanted is None or article.url in wanted):
            found.setdefault(article.url, article)
    assert wanted is None or len(found) == len(wanted)
    ordered = sorted(found.values(), key=lambda a: (a.published_at or a.fetched_at, a.url))
    enricher = Enricher()
    ids = itertools.count(1)
    story_of: dict[int, int] = {}
    batch = list(enumerate(ordered))
    for first in range(0, len(batch), batch_size):
        result = enricher.process(batch[first : first + batch_size], lambda item: next(ids))
        for article_id, enrichment in result.enrichments:
            story_of[article_id] = enrichment.story_id or -article_id - 1
    final = enricher.clusterer.final_story
    return {a.url: final(story_of[i]) for i, a in enumerate(ordered)}


@pytest.fixture(scope="module")
def stories(shared_dir: Path) -> dict[str, int]:
    """The story of every article of the chosen 2015-08-02 pools, by URL."""
    return _stories(shared_dir, DAY, SEEDS)


@pytest.fixture(scope="module")
def bombing(shared_dir: Path) -> dict[str, int]:
    """The story of every article of 2015-08-07 (the whole day, as the pipeline's batches)."""
    return _stories(shared_dir, BOMBING_DAY, None, batch_size=200)


def _seed(n: int, day: str = DAY) -> tuple[str, list[str], set[str]]:
    """A seed's URL, its candidates in pool order and those judged the same story."""
    entry = _pool(day)[n - 1]
    seed = str(entry["seed"])
    return seed, list(entry["candidates"]), set(_labels(day)[seed])


def _together(stories: dict[str, int], n: int, candidates: list[int], day: str = DAY) -> list[bool]:
    seed, pool, _ = _seed(n, day)
    return [stories[pool[k - 1]] == stories[seed] for k in candidates]


def test_labels_are_the_ones_these_tests_read() -> None:
    """The candidates named below are judged as the tests say (a relabel shows up here)."""
    _, pool, same = _seed(3)
    assert {pool[k - 1] for k in range(1, 7)} <= same
    _, pool, same = _seed(14)
    assert {pool[0], pool[1], pool[6], pool[8], pool[9], pool[13]} <= same
    _, pool, same = _seed(2)
    assert {pool[k - 1] for k in range(1, 7)} <= same
    assert not {pool[k - 1] for k in range(7, 11)} & same
    _, pool, same = _seed(28)
    assert not {pool[k - 1] for k in range(9, 13)} & same


def test_one_announcement_in_several_papers_is_one_story(stories: dict[str, int]) -> None:
    # The Misk leaders' programme at Harvard, reported by six papers in their own words.
    assert all(_together(stories, 3, [1, 2, 3, 4, 6]))
    # The Yemenis' residence corrections: the passports office's figure in six papers.
    assert sum(_together(stories, 23, [1, 2, 3, 4, 5, 6])) >= 5


def test_one_shellings_soldiers_condolences_are_its_story(stories: dict[str, int]) -> None:
    # The border guard chief's condolences to the families of the three soldiers killed in one
    # shelling at Dhahran al-Janub (Bishiri's: 7 and 9), the Asir emir's calls to the three
    # families (10) and Al-Omari's funeral (14): one happening's story (corrected gold, seed 14).
    assert all(_together(stories, 14, [7, 9, 10, 14]))


def test_condolences_bundling_two_martyrs_join_each(stories: dict[str, int]) -> None:
    # The chief's condolences to the families of Al-Majayshi and Al-Omari (1, 2), judged the
    # seed's story, stay below the link cosine with the seed's report.
    assert all(_together(stories, 14, [1, 2]))


def test_a_funeral_is_not_another_martyrs_funeral(stories: dict[str, int]) -> None:
    # Hamdi's funeral in Al-Tuwal (its reports together) against the funeral of another martyr
    # in Sahel Hali and a civilian killed in Najran.
    assert sum(_together(stories, 2, [1, 2, 3, 4, 5, 6])) >= 5
    assert not any(_together(stories, 2, [7, 8, 9, 10]))


@pytest.fixture(scope="module")
def whole_day(shared_dir: Path) -> dict[str, int]:
    """The story of every article of 2015-08-02 (the whole day, as the pipeline's batches)."""
    return _stories(shared_dir, DAY, None, batch_size=200)


def test_a_visits_reports_join_it_whatever_else_they_name(whole_day: dict[str, int]) -> None:
    # Bahah's visit to Aden (seed 1): his tour, his statements and the ministers with him, in
    # papers that name different forces and bodies deep in their texts; only their titles
    # weigh people and bodies against each other.
    assert all(_together(whole_day, 1, [1, 2, 3, 4, 5, 6, 7, 8]))


def test_the_martyr_a_title_names_keeps_his_funeral_apart(whole_day: dict[str, int]) -> None:
    # Hamdi's funeral (seed 2) and the other martyrs' funerals and condolences of the day
    # (7-10): each title names its martyr in full, a person by his given name.
    assert all(_together(whole_day, 2, [1, 2, 3, 4, 5, 6]))
    assert not any(_together(whole_day, 2, [7, 8, 9, 10]))


def test_a_rare_word_both_titles_hold_names_one_event(whole_day: dict[str, int]) -> None:
    # The flight MH370 debris arriving in Paris (seed 77) and Malaysia's statements that the
    # debris found on Reunion is the plane's: the leads share few of their rare words (serials,
    # officials), the titles share the island. The burned infant of Duma (seed 4): the
    # condemnations, the marches and the inquiry request join the report.
    assert all(_together(whole_day, 77, [1, 2, 3, 4, 5]))
    assert sum(_together(whole_day, 4, [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12])) >= 10


def test_one_weather_word_in_two_titles_joins_no_bulletins(whole_day: dict[str, int]) -> None:
    # The day's cloudy-sky bulletin (seed 30) and the region's rains and the civil defence's
    # warnings (8, 9, 11, 14, 18, 21): other reports of the weather, which share «التقلبات»
    # in one title of each, no naming word of their titles.
    _, pool, same = _seed(30)
    others = [8, 9, 11, 14, 18, 21]
    assert not {pool[k - 1] for k in others} & same
    assert not any(_together(whole_day, 30, others))


def test_a_session_is_not_the_month(stories: dict[str, int]) -> None:
    # The day's sharp fall of the Saudi index against the July monthly close (9-12).
    assert not any(_together(stories, 28, [9, 10, 11, 12]))


def test_bombing_labels_are_the_ones_these_tests_read() -> None:
    """The candidates named below are judged as the tests say (a relabel shows up here)."""
    for n in (6, 45, 47, 64):
        _, pool, same = _seed(n, BOMBING_DAY)
        assert len(same) >= 28
    _, pool, same = _seed(18, BOMBING_DAY)
    assert {pool[0], pool[1]} <= same and not {pool[k - 1] for k in range(4, 10)} & same
    _, pool, same = _seed(55, BOMBING_DAY)
    assert {pool[k - 1] for k in range(1, 7)} <= same
    assert not {pool[k - 1] for k in (7, 9, 10)} & same


def test_condemnations_and_follow_ups_join_the_bombing(bombing: dict[str, int]) -> None:
    # Al-Azhar's condemnation, Asir health's emergency, Al-Sudais's statement and a council
    # member's: each seed in the bombing's story with (nearly) every article judged its story.
    seeds = [_seed(n, BOMBING_DAY)[0] for n in (6, 45, 47, 64)]
    assert len({bombing[s] for s in seeds}) == 1
    for n in (6, 45, 47, 64):
        seed, _, same = _seed(n, BOMBING_DAY)
        joined = sum(bombing[c] == bombing[seed] for c in same)
        assert joined >= 0.9 * len(same), (n, joined, len(same))


def test_another_oil_session_is_another_story(bombing: dict[str, int]) -> None:
    # Brent below 50 dollars (its copies together) against the other sessions' oil reports.
    assert all(_together(bombing, 18, [1, 2], BOMBING_DAY))
    assert not any(_together(bombing, 18, [4, 5, 6, 7, 8, 9], BOMBING_DAY))


@pytest.mark.xfail(strict=True, reason="known merge: the aviation authority's news chain")
def test_an_airports_first_flight_is_not_the_traffic_figures(bombing: dict[str, int]) -> None:
    # Al-Jouf's first international flight (its reports together) against the civil aviation
    # authority's half-year traffic figures and its president's statement (7, 9, 10).
    assert sum(_together(bombing, 55, [1, 2, 3, 4, 5, 6], BOMBING_DAY)) >= 5
    assert not any(_together(bombing, 55, [7, 9, 10], BOMBING_DAY))


# A day no gold was drawn from, read for runaway stories (bench/stories.py --read 2015-07-25):
# before big stories needed evidence, the Aden airport's relief flights gathered 62 articles of
# the whole Yemen war (Shabwa, Lahj, the truce, Bahah's thanks) and the King's private leave
# with the Crown Prince deputised (a 9-article story merged in at centroid cosine 0.24).
RUNAWAY_DAY = "2015-07-25"
ADEN_RELIEF_FLIGHT = (
    "http://www.3alyoum.com/news/pol/a/%D9%87%D8%A8%D9%88%D8%B7-%D8%B7%D8%A7%D8%A6%D8%B1%D8%A9-"
    "%D8%B9%D8%B3%D9%83%D8%B1%D9%8A%D8%A9-%D8%A5%D9%85%D8%A7%D8%B1%D8%A7%D8%AA%D9%8A%D8%A9-"
    "%D8%AA%D8%AD%D9%85%D9%84-%D9%85%D8%B3%D8%A7%D8%B9%D8%AF/",
    "http://www.aleqt.com/2015/07/24/article_975937.html",
)
KINGS_LEAVE = (
    "http://www.alyaum.com/article/4080113",
    "http://www.alriyadh.com/1067780",
    "http://www.alweeam.com.sa/349200/%D8%A3%D9%85%D8%B1-%D9%85%D9%84%D9%83%D9%8A-%D8%A8%D8%A5"
    "%D9%86%D8%A7%D8%A8%D8%A9-%D8%B3%D9%85%D9%88-%D9%88%D9%84%D9%8A-%D8%A7%D9%84%D8%B9%D9%87"
    "%D8%AF-%D9%81%D9%8A-%D8%A5%D8%AF%D8%A7%D8%B1%D8%A9-%D8%B4/",
)
TRUCE = (
    "http://www.alriyadh.com/1067782",
    "http://www.aleqt.com/2015/07/25/article_976076.html",
)


@pytest.fixture(scope="module")
def runaway(shared_dir: Path) -> dict[str, int]:
    """The story of every article of 2015-07-25 (the whole day, as the pipeline's batches)."""
    return _stories(shared_dir, RUNAWAY_DAY, None, batch_size=200)


def test_a_big_story_does_not_run_away_with_other_happenings(runaway: dict[str, int]) -> None:
    # The relief flights' story keeps its copies; the King's leave (its reports together) and
    # the coalition's truce are other happenings of the day, each its own story.
    aden = runaway[ADEN_RELIEF_FLIGHT[0]]
    assert runaway[ADEN_RELIEF_FLIGHT[1]] == aden
    assert len({runaway[u] for u in KINGS_LEAVE}) == 1
    assert runaway[KINGS_LEAVE[0]] != aden
    assert not any(runaway[u] == aden for u in TRUCE)
    assert sum(s == aden for s in runaway.values()) < 40


# Another day no gold was drawn from (bench/stories.py --read 2015-07-23), the first working
# day after Eid: some seventy reports of each ministry's, authority's and company's Eid party
# for its staff («... تعايد منسوبيها»), one mould, one kind of news, each body its own
# happening. Before stories weighed the bodies their tags name, 99 of them and the housing
# minister's first day gathered in one story.
EID_DAY = "2015-07-23"
INTERIOR_EID = (
    "http://www.al-jazirah.com/2015/20150723/ln4.htm",
    "http://www.okaz.com.sa/new/Issues/20150723/Con20150723785198.htm",
)
HEALTH_EID = "http://www.al-jazirah.com/2015/20150723/ln5.htm"
GRIEVANCES_EID = "http://www.al-jazirah.com/2015/20150723/ln14.htm"
EID_WORDS = ("تعايد", "يعايد", "معايدة")


@pytest.fixture(scope="module")
def eid(shared_dir: Path) -> tuple[dict[str, int], list[str]]:
    """The story of every article of 2015-07-23 by URL, and the URLs of its Eid parties."""
    stories = _stories(shared_dir, EID_DAY, None, batch_size=200)
    path = shared_dir / "corpus" / "saudinewsnet" / f"{EID_DAY}.zip"
    parties = {
        r.url
        for r in read_records(path, source_names())
        if not isinstance(r, Rejection) and any(w in r.title for w in EID_WORDS)
    }
    return stories, sorted(parties & set(stories))


def test_each_bodys_eid_party_is_its_own_story(eid: tuple[dict[str, int], list[str]]) -> None:
    stories, parties = eid
    assert len(parties) >= 50
    # The Interior Ministry's party in two papers is one story; the Health Ministry's and
    # the Board of Grievances' are others.
    interior = {stories[u] for u in INTERIOR_EID}
    assert len(interior) == 1
    assert len(interior | {stories[HEALTH_EID], stories[GRIEVANCES_EID]}) == 3
    # No story gathers the parties of many bodies (a body's party is in a few papers).
    largest = max(Counter(stories[u] for u in parties).values())
    assert largest <= 8, largest


# Two royal audiences of 2015-07-23 (read, outside the gold): the King's and the deputy crown
# prince's with the US defence secretary, and the crown prince's with Egypt's foreign minister,
# reported in the same papers in the same words an hour apart.
CARTER_AUDIENCE = (
    "http://www.al-jazirah.com/2015/20150723/ln36.htm",
    "http://www.al-jazirah.com/2015/20150723/ln37.htm",
    "http://www.okaz.com.sa/new/Issues/20150723/Con20150723785082.htm",
)
EGYPT_AUDIENCE = (
    "http://www.al-jazirah.com/2015/20150723/fe29.htm",
    "http://www.okaz.com.sa/new/Issues/20150723/Con20150723785229.htm",
    "http://www.alyaum.com/article/4079844",
)


def test_two_audiences_with_two_guests_are_two_stories(
    eid: tuple[dict[str, int], list[str]],
) -> None:
    stories, _ = eid
    carter = {stories[u] for u in CARTER_AUDIENCE}
    egypt = {stories[u] for u in EGYPT_AUDIENCE}
    assert not carter & egypt, (carter, egypt)
    # Each audience's reports stay together.
    assert len(carter) == 1 and len(egypt) == 1, (carter, egypt)
