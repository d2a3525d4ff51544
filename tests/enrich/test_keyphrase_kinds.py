"""Wrong kinds and repeats issue 13 (tags and kinds, round 3) found in the tags of 2015-07-27
(a random day outside the gold, Random(2412)) and of the 2015-08-09 reading, each pinned on
the real article it was seen on (text read from the shared corpus): a body whose name ends on
«الله», one tag shown twice, a surname alone beside the person the text names in full, clubs
and armed bodies shown as topics."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_tags import Records, day_records, record_tags
from corpus_tags import shown as shown_tags

DAYS = ("2015-07-27", "2015-08-09")


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> Records:
    return day_records(shared_dir, *DAYS)


def test_a_body_named_after_god_is_a_tag(records: Records) -> None:
    # «سقوط 5 قتلى من حزب الله في الزبداني»: «الله» closes a party's name, no formula.
    url = "http://www.alwatan.com.sa/Politics/News_Detail.aspx?ArticleID=230149&CategoryID=1"
    assert shown_tags(records, url).get("حزب الله") == "organisation"


def test_a_tag_is_shown_once(records: Records) -> None:
    # «روما» alone, then again as the name of «نادي روما الإيطالي».
    url = "http://www.al-madina.com/node/621326/فيورنتينا-يهدد-اتفاق-صلاح-مع-روما.html?weekly"
    shown = [tag.display for tag in record_tags(records[url])]
    assert len(shown) == len(set(shown)), shown


@pytest.mark.parametrize(
    ("url", "person", "surname"),
    [
        # «النجم المصري محمد صلاح» once, then «صلاح» alone seven times.
        (
            "http://www.al-madina.com/node/621326/فيورنتينا-يهدد-اتفاق-صلاح-مع-روما.html?weekly",
            "محمد صلاح",
            "صلاح",
        ),
        # The headline «ابن معمر: ...», the text «الأستاذ فيصل بن معمر».
        ("http://www.al-jazirah.com/2015/20150727/ln7.htm", "فيصل بن معمر", "معمر"),
    ],
)
def test_a_lone_surname_folds_into_the_person(
    records: Records, url: str, person: str, surname: str
) -> None:
    shown = shown_tags(records, url)
    assert shown.get(person) == "person", shown
    assert surname not in shown, shown


@pytest.mark.parametrize(
    ("url", "body"),
    [
        # «لفريقي النصر والهلال», «ناديا النصر والهلال»: a club, though «النصر» is a word.
        (
            "http://aawsat.com/home/article/415561/"
            "مسؤول-في-الاحتراف-لا-استثناءات-للنصر-والهلال-في-الحوالات-البنكية",
            "النصر",
        ),
        # «فريق الزمالك», «بعثة الزمالك».
        (
            "http://aawsat.com/home/article/425226/"
            "الزمالك-يسعى-لتأكيد-صدارته-على-حساب-ليوبار-بالكونفدرالية-اليوم",
            "الزمالك",
        ),
        # «الحرس الثوري»: an armed body's head and its adjective.
        (
            "http://aawsat.com/home/article/425566/"
            "مستشار-روحاني-ينتقد-السياسة-الإعلامية-للحرس-الثوري",
            "الحرس الثوري",
        ),
    ],
)
def test_clubs_and_armed_bodies_are_organisations(records: Records, url: str, body: str) -> None:
    shown = shown_tags(records, url)
    assert shown.get(body) == "organisation", shown
