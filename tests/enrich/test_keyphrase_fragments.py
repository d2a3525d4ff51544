"""Fragments and wrong kinds issue 13 (tag quality round) found in the tags of 2015-07-27 and
2015-08-03, days outside the gold, each pinned on the real article it was seen on (text read
from the shared corpus): accusatives written with alif, «للأ» read as ل + «لازمة», bodies'
names running into the next phrase, everyday words glued onto a person's name, a genitive or
a nationality taken for a surname."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_tags import Records, day_records
from corpus_tags import shown as shown_tags

from marsad.enrich.keyphrases import extract_tags

DAYS = ("2015-07-27", "2015-08-03")


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> Records:
    return day_records(shared_dir, *DAYS)


@pytest.mark.parametrize(
    ("url", "word"),
    [
        # «علوان مدربا للعراق», «جاء «ردا» على», «أبو راشد قائلا»: adverbials and counts.
        (
            "http://www.alwatan.com.sa/Sports/News_Detail.aspx?ArticleID=230852&CategoryID=6",
            "مدربا",
        ),
        ("http://www.alriyadh.com/1070156", "ردا"),
        ("http://www.okaz.com.sa/new/Issues/20150727/Con20150727785897.htm", "قائلا"),
    ],
)
def test_an_accusative_written_with_alif_is_in_no_tag(
    records: Records, url: str, word: str
) -> None:
    shown = shown_tags(records, url)
    assert not any(word in tag.split() for tag in shown), shown


def test_lil_before_a_hamza_is_the_article(records: Records) -> None:
    # «حل سياسي للأزمة أجوف»: «للأزمة» is لل + «أزمة»; it gave «لأزمة أجوف وعديم المعنى».
    shown = shown_tags(
        records,
        "http://aawsat.com/home/article/415891/الأسد-في-خطابه-أمس-الحديث-عن-حل-سياسي-للأزمة-أجوف-وعديم-المعنى",
    )
    assert not any(tag.startswith("لأزمة") for tag in shown), shown
    assert "حل سياسي" in shown, shown


@pytest.mark.parametrize(
    ("url", "whole", "cut"),
    [
        # «مستشفى العريش لتلقي العلاج»: ل after a name is a purpose.
        ("http://www.alyaum.com/article/4080311", "مستشفى العريش", "لتلقي"),
        # «اللجنة العليا للانتخابات الجدول الزمني للانتخابات»: after لل, a noun is no adjective.
        ("http://www.alyaum.com/article/4081660", "اللجنة العليا للانتخابات", "الجدول"),
        # «اتحاد الكرة السعودي المعمول به»: a passive participle opens a relative phrase.
        (
            "http://www.okaz.com.sa/new/Issues/20150727/Con20150727785972.htm",
            "اتحاد الكرة السعودي",
            "المعمول",
        ),
        # «مدينة حائل المرحلة الثانية»: after a place, a noun is the next phrase.
        (
            "http://www.alweeam.com.sa/349524/توقيع-45-عقداً-لتنفيذ-مشروعات-للمياه-و/",
            "مدينة حائل",
            "المرحلة",
        ),
    ],
)
def test_a_body_ends_before_the_next_phrase(
    records: Records, url: str, whole: str, cut: str
) -> None:
    shown = shown_tags(records, url)
    assert whole in shown, shown
    assert not any(cut in tag.split() for tag in shown), shown


def test_the_body_the_text_spoke_of_is_no_name(records: Records) -> None:
    # «وكيل الوزارة لشؤون الأبحاث»: «الوزارة» with the article is the ministry named before.
    for url in ("http://www.alriyadh.com/1070130", "http://sabq.org/6sDgde"):
        shown = shown_tags(records, url)
        assert not any(tag.startswith("الوزارة ل") for tag in shown), shown
    # A construct and ل after a noun stay whole.
    assert "مجلس التعاون لدول الخليج العربية" in shown_tags(
        records, "http://www.alriyadh.com/1070130"
    )
    assert (
        shown_tags(
            records,
            "http://aawsat.com/home/article/415881/المعارضة-تشعل-4-جبهات-متزامنة-لتخفيف-الضغط-عن-الزبداني",
        ).get("حركة أحرار الشام")
        == "organisation"
    )


@pytest.mark.parametrize(
    ("url", "person", "glued"),
    [
        ("http://www.alriyadh.com/1070034", "خالد بحاح", "خالد بحاح الأوضاع"),
        (
            "http://www.aleqt.com/2015/08/03/article_978683.html",
            "خالد بن محمد العطية",
            "خالد بن محمد العطية الانتباه",
        ),
        ("http://www.alyaum.com/article/4080313", "محمد بن حسين", "ضم محمد بن حسين"),
    ],
)
def test_no_everyday_word_is_glued_onto_a_name(
    records: Records, url: str, person: str, glued: str
) -> None:
    shown = shown_tags(records, url)
    assert shown.get(person) == "person", shown
    assert glued not in shown, shown


def test_a_genitive_used_alone_is_no_surname(records: Records) -> None:
    # «سرطان الجلد» ... «الجلد»: a noun and its genitive, not a given name and a family name.
    shown = shown_tags(records, "http://www.aleqt.com/2015/07/27/article_976545.html")
    assert shown.get("سرطان الجلد") == "topic", shown


def test_a_perfect_verb_opens_no_tag(records: Records) -> None:
    # «انتقم الحوثيون», «يجد الحوثيون»: bare perfects and imperfects the lists now hold.
    shown = shown_tags(
        records, "http://www.3alyoum.com/news/pol/a/الجريمة-والإرهاب-حيلة-الحوثيين-كلما-أ/"
    )
    assert not any(tag.split()[0] in ("انتقم", "يجد") for tag in shown), shown


@pytest.mark.parametrize(
    ("url", "passing"),
    [
        ("http://www.alriyadh.com/1068216", "منسوبي المجموعة"),
        ("http://www.al-jazirah.com/2015/20150727/du5.htm", "ساحات المسجد"),
    ],
)
def test_a_pair_of_the_body_named_before_is_no_tag(
    records: Records, url: str, passing: str
) -> None:
    # «منسوبي المجموعة», «ساحات المسجد»: the body or place the text named, by its kind alone.
    shown = shown_tags(records, url)
    assert passing not in shown, shown


def test_the_united_nations_is_a_body(records: Records) -> None:
    # CLDR lists «الأمم المتحدة» among its territories; it is an organisation, still a tag.
    shown = shown_tags(records, "http://www.al-jazirah.com/2015/20150803/du13.htm")
    assert shown.get("الأمم المتحدة") == "organisation", shown


def test_a_club_after_a_players_noun_is_no_person(shared_dir: Path) -> None:
    # «لاعب بوروسيا دورتموند»: a club's name is the genitive of «لاعب», «صفوف», «مهاجم»;
    # and «لويس سواريز نجم برشلونة» is the player, then his club (read on 2015-07-21/22).
    record = day_records(shared_dir, "2015-07-21")[
        "http://www.alweeam.com.sa/340491/بالصور-في-ليلة-الكؤوس-الأوروبية-برشل/"
    ]
    kinds = {t.display: t.kind for t in extract_tags(record["title"], record["content"])}
    assert kinds.get("بوروسيا دورتموند") == "organisation", kinds
    record = day_records(shared_dir, "2015-07-22")[
        "http://aawsat.com/home/article/411756/المحكمة-العليا-مع-هبوط-التشي-لدوري-الدرجة-الثانية-الإسباني"
    ]
    kinds = {t.display: t.kind for t in extract_tags(record["title"], record["content"])}
    assert kinds.get("لويس سواريز") == "person", kinds
    assert not any(tag.endswith("نجم") or " نجم " in tag for tag in kinds), kinds


def test_a_religious_formula_ends_no_name(records: Records) -> None:
    # «محمد بن عبد الله صلى الله عليه وسلم»: «صلى» and «رضي» open the formula, no name's part.
    shown = shown_tags(records, "http://www.al-jazirah.com/2015/20150803/rj3.htm")
    assert not any(tag.split()[-1] in ("صلى", "رضي") for tag in shown), shown
