"""Junk kinds of tag quality round 2 (issue 13), read in the tags of 20 articles of 2015-08-09:
each kind pinned on the real article it was seen on (text read from the shared corpus), and
on a small text written here."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest

from marsad.enrich.keyphrases import extract_tags
from marsad.ingest.importers import source_names
from marsad.models import Article

DAY = "2015-08-09"
PARLIAMENT = (
    "http://aawsat.com/home/article/425656/"
    "البرلمان-الهندي-يشهد-حالة-جمود-والمعارضة-تعرقل-العمل-التشريعي"
)
KABUL = (
    "http://aawsat.com/home/article/425641/"
    "51-قتيلاً-ومئات-الجرحى-في-أعنف-هجمات-تشهدها-كابل-منذ-بداية-العام"
)
RED_CROSS = "http://www.alriyadh.com/1071719"
ALSOMA = "http://www.alriyadh.com/1071571"
WATCH = "http://www.al-jazirah.com/2015/20150809/ec8.htm"
LEADERS = "http://www.okaz.com.sa/new/Issues/20150809/Con20150809788522.htm"
TAL_ABYAD = "http://www.alweeam.com.sa/351639/داعش-يطرد-العشرات-من-قيادييه-بسبب-خسار/"
BAGHDAD = "http://aawsat.com/home/article/425421/خالد-القشطيني/شذرات-بغدادية"
# The heads of a crowd: the tag is the body or the place, never its people.
CROWDS = ("جماهير", "أعضاء", "رجال", "سكان", "منسوبي")


@pytest.fixture(scope="module")
def records(load_day: Callable[[str], list[Article]]) -> dict[str, Article]:
    return {article.url: article for article in load_day(DAY)}


def _shown(records: dict[str, Article], url: str) -> list[str]:
    # The pipeline stores a URL percent-encoded; the corpus writes it in Arabic letters.
    article = records.get(url) or records[quote(url, safe=":/%")]
    source = source_names().get(article.source, article.source)
    return [tag.display for tag in extract_tags(article.title, article.text, source=source)]


@pytest.mark.parametrize("url", [ALSOMA, PARLIAMENT, WATCH, LEADERS])
def test_a_crowd_is_no_tag(records: dict[str, Article], url: str) -> None:
    # «جماهير الأهلي», «أعضاء البرلمان», «رجال الأوليغارشية», «منسوبي الحرس الوطني».
    shown = _shown(records, url)
    assert not any(tag.split()[0] in CROWDS for tag in shown), shown


def test_the_body_comes_without_the_word_before_it(records: dict[str, Article]) -> None:
    # «على رأس حركة طالبان»: the tag is «حركة طالبان»; «الملا» is a title, so «تعيين الملا»
    # and «وفاة الملا» are none; «الأفغانية» of «العاصمة الأفغانية» is an adjective alone.
    shown = _shown(records, KABUL)
    assert "حركة طالبان" in shown, shown
    assert not any(tag.startswith("رأس ") for tag in shown), shown
    assert not any(tag.endswith("الملا") for tag in shown), shown
    assert "الأفغانية" not in shown, shown


def test_a_name_is_whole(records: dict[str, Article]) -> None:
    # «اللجنة الدولية للصليب الأحمر» keeps its colour; «ووصل بيتر ماور» is a verb and a name.
    shown = _shown(records, RED_CROSS)
    assert "اللجنة الدولية للصليب الأحمر" in shown, shown
    assert "اللجنة الدولية للصليب" not in shown, shown
    assert not any(tag.startswith(("وصل ", "ووصل ")) for tag in shown), shown


def test_a_foreign_party_keeps_its_second_word(records: dict[str, Article]) -> None:
    shown = _shown(records, PARLIAMENT)
    assert "حزب بهاراتيا جاناتا" in shown, shown
    assert "حزب بهاراتيا" not in shown, shown


def test_a_rank_after_a_title_is_no_part_of_the_name(records: dict[str, Article]) -> None:
    # «اللواء متقاعد نافل الشلوي»: the person is «نافل الشلوي».
    shown = _shown(records, LEADERS)
    assert not any(tag.startswith("متقاعد") for tag in shown), shown
    assert "نافل الشلوي" in shown or "متعب بن عبدالله العتيبي" in shown, shown


def test_the_first_word_of_a_place_is_no_place(records: dict[str, Article]) -> None:
    # «تل» is written only in «تل أبيض»: no tag alone, nor as «مدينة تل».
    shown = _shown(records, TAL_ABYAD)
    assert "تل أبيض" in shown, shown
    assert "تل" not in shown and "مدينة تل" not in shown, shown


def test_a_headline_participle_is_no_tag(records: dict[str, Article]) -> None:
    # «قادة أمنيون: عازمون على اجتثاث الإرهاب»: who said it, no tag alone.
    shown = _shown(records, LEADERS)
    assert "عازمون" not in shown, shown


def test_an_adverb_is_no_tag(records: dict[str, Article]) -> None:
    shown = _shown(records, BAGHDAD)
    assert "طبعا" not in shown, shown


def test_a_written_text_keeps_crowds_and_verbs_out() -> None:
    text = (
        "ووصل بيتر ماور إلى صنعاء أمس. وقال ماور إن الوضع صعب. وأكد ماور أن الزيارة مهمة. "
        "واحتشد جماهير الهلال في الملعب، وهتف جماهير الهلال للفريق. وفاز الهلال بالمباراة."
    )
    shown = [t.display for t in extract_tags("ماور في صنعاء", text)]
    assert not any(tag.startswith(("وصل", "جماهير")) for tag in shown), shown
    assert "الهلال" in shown, shown


def test_a_relative_phrase_ends_a_body() -> None:
    # «قوات المقاومة الشعبية المدعومة من التحالف»: the participle opens a relative phrase.
    text = (
        "تقدمت قوات المقاومة الشعبية المدعومة من التحالف نحو تعز. "
        "وقالت قوات المقاومة الشعبية إنها سيطرت على الطريق. "
        "وأكدت قوات المقاومة الشعبية المدعومة بالطيران تقدمها."
    )
    shown = [t.display for t in extract_tags("تقدم في تعز", text)]
    assert "قوات المقاومة الشعبية" in shown, shown
    assert not any(tag.endswith("الشعبية المدعومة") for tag in shown), shown
