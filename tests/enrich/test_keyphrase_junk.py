"""Junk kinds issue 13 found in the tags of 2015-07-23 and of the gold, each pinned on the real
article it was seen on (text read from the shared corpus) and on a small text written here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus_tags import Records, day_records
from corpus_tags import shown as shown_tags

from marsad.arabic.normalize import matching_form
from marsad.enrich.keyphrases import extract_tags

DAY = "2015-07-23"
PERSIAN = set("پچژگڤکی")
# Words no tag is made of alone: numbers, ordinals, greetings (issue 13, read on 2015-07-23).
LONE = {"ألف", "آلاف", "الحادية", "العاشرة", "التبريكات", "التهاني", "تهانينا", "المهنئين"}
LONE |= {"حضور", "الشركة", "ريال", "الدراسة", "العالم", "قائمة", "مجموعة", "الله"}


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> Records:
    return day_records(shared_dir, DAY)


def test_persian_letters_are_shown_in_arabic(records: Records) -> None:
    # The paper writes «قوات الپيشمرگة»: the tag reads «قوات البيشمركة».
    shown = shown_tags(records, "http://www.al-jazirah.com/2015/20150723/du9.htm")
    assert not any(PERSIAN & set(tag) for tag in shown), shown
    assert "قوات البيشمركة" in shown, shown


def test_persian_letters_in_a_written_text() -> None:
    text = "قالت قوات الپيشمرگة إن قوات الپيشمرگة تقدمت نحو الموصل. وأكدت قوات الپيشمرگة ذلك."
    shown = [t.display for t in extract_tags("", text)]
    assert "قوات البيشمركة" in shown and not any(PERSIAN & set(t) for t in shown), shown


@pytest.mark.parametrize(
    ("url", "glued"),
    [
        ("http://www.al-jazirah.com/2015/20150723/ec5.htm", "الكاتببناء"),
        ("http://www.al-jazirah.com/2015/20150723/ln29.htm", "التهانينفذت"),
    ],
)
def test_a_byline_glued_to_the_headline_is_no_tag(records: Records, url: str, glued: str) -> None:
    shown = shown_tags(records, url)
    assert not any(glued in tag for tag in shown), shown


def test_or_after_a_definite_word_is_no_name() -> None:
    # «أم» after a definite word is "or": «الاقتصاد أم السلاح النووي» is no person.
    text = "هل الأولوية للاقتصاد؟ يسأل الكاتب: الاقتصاد أم السلاح النووي أولا؟ " * 2
    tags = extract_tags("الاقتصاد أم السلاح النووي", text)
    assert not any(" أم " in f" {t.display} " for t in tags), tags
    assert all(t.kind != "person" for t in tags), tags


@pytest.mark.parametrize(
    "url",
    [
        "http://www.al-jazirah.com/2015/20150723/fe8.htm",
        "http://www.aleqt.com/2015/07/23/article_975516.html",
    ],
)
def test_in_his_name_is_no_person(records: Records, url: str) -> None:
    # «باسمه وباسم أعضاء مجلس الإدارة»: "in his name and in the name of the board", no person.
    shown = shown_tags(records, url)
    assert not any(tag.startswith("باسمه") or " وباسم" in tag for tag in shown), shown


@pytest.mark.parametrize(
    "url",
    [
        "http://sabq.org/U9Cgde",
        "http://www.al-madina.com/node/620568/أمير-عسير-يستقبل-المهنئين-بالعيد.html",
    ],
)
def test_a_given_name_keeps_its_first_letter(records: Records, url: str) -> None:
    # Known everyday words peel clitics, but «فيصل» is no ف + «يصل».
    shown = shown_tags(records, url)
    assert any(tag.startswith("فيصل بن خالد") for tag in shown), shown
    assert not any(tag.startswith("يصل ") for tag in shown), shown


def test_financial_is_not_mali(records: Records) -> None:
    # «المالي» (financial) is never the country «مالي», which takes no article.
    for url in (
        "http://www.aleqt.com/2015/07/23/article_975466.html",
        "http://www.aleqt.com/2015/07/23/article_975486.html",
        "http://aawsat.com/home/article/412501/«مايكروسوفت»-تسجل-خسائر-قياسية-بـ32-مليار-دولار",
    ):
        shown = shown_tags(records, url)
        assert shown.get("المالي") != "place", (url, shown)
    text = "زار الرئيس مالي أمس. وقال رئيس مالي إن مالي تواجه تحديات في الشمال. وتقع مالي في غرب أفريقيا."
    assert {t.display: t.kind for t in extract_tags("مالي", text)}.get("مالي") == "place"


@pytest.mark.parametrize(
    "url",
    [
        "http://www.al-jazirah.com/2015/20150723/sp7.htm",
        "http://www.al-madina.com/node/620606/البيشي-يحتفي-بزواجه-مع-الأهل-والأصدقاء.html",
        "http://www.alriyadh.com/1067148",
        "http://www.al-madina.com/node/620714/ألف-قتيل-و-9-آلاف-جريح-منذ-دخول-الحوثيين-عدن.html?live",
        "http://www.aleqt.com/2015/07/23/article_975636.html",
    ],
)
def test_no_lone_pronoun_nouns_nor_numbers(records: Records, url: str) -> None:
    # «فوزه» (his win), «بزواجه» (on his wedding), «آلاف» (thousands): never a tag alone.
    shown = shown_tags(records, url)
    assert not {"فوزه", "بزواجه", "آلاف", "ألف"} & set(shown), shown


def test_a_written_text_gives_no_lone_generic_words() -> None:
    text = (
        "وتلقى المحافظ التبريكات والتهاني بحضور المهنئين. وبلغ عدد الحضور آلاف المواطنين. "
        "واحتفل اللاعب بفوزه، وقال إن فوزه جاء بعد جهد. وفي الساعة العاشرة بدأ الحفل، "
        "وحضر الحفل ألف شخص. وتقدم الجميع بالتبريكات لأمير منطقة عسير فيصل بن خالد بن "
        "عبدالعزيز بمناسبة عيد الفطر، وقدم فيصل بن خالد شكره للمهنئين."
    )
    tags = extract_tags("أمير عسير يتلقى التبريكات بعيد الفطر", text)
    shown = {t.display for t in tags}
    assert not shown & LONE and "فوزه" not in shown, shown
    assert "فيصل بن خالد بن عبدالعزيز" in shown, shown


def test_a_place_inside_a_body_is_a_tag_of_its_own() -> None:
    # «تعليم الخرج» is the education office; the place «الخرج» is a tag beside it. But
    # «دولة الإمارات العربية المتحدة» is the place itself, never shown twice.
    text = (
        "أعلن تعليم الخرج عن مواعيد المقابلات. وقال مدير تعليم الخرج إن المرشحين من الخرج "
        "ومن خارجها سيستقبلون في مقر تعليم الخرج. وتضم الخرج عشرات المدارس."
    )
    tags = extract_tags("تعليم الخرج يستقبل المرشحين", text)
    kinds = {t.display: t.kind for t in tags}
    assert "تعليم الخرج" in kinds and kinds.get("الخرج") == "place", kinds
    text = (
        "وصل ولي عهد أبوظبي إلى دولة الإمارات العربية المتحدة. وأكدت دولة الإمارات العربية "
        "المتحدة أن العلاقات مع المملكة متينة، وقالت الإمارات العربية المتحدة إنها مستمرة."
    )
    shown = [t for t in extract_tags("", text) if "الإمارات" in t.display]
    assert len(shown) == 1 and shown[0].kind == "place", shown


def test_a_club_named_after_a_body_and_a_mosque_keep_their_heads() -> None:
    text = (
        "أعلن نادي الاتحاد التعاقد مع لاعب جديد. وقالت إدارة نادي الاتحاد إن اللاعب سيصل "
        "الأسبوع المقبل، وإن نادي الاتحاد دفع مبلغ الصفقة كاملا."
    )
    kinds = {t.display: t.kind for t in extract_tags("نادي الاتحاد يتعاقد", text)}
    assert kinds.get("نادي الاتحاد") == "organisation", kinds
    text = (
        "دشن أبناء الملك مسجد الإمام الشافعي بعد ترميمه. ويعد مسجد الشافعي من أقدم مساجد "
        "جدة، وقد رمم مسجد الشافعي على نفقة الأسرة."
    )
    shown = {t.display for t in extract_tags("تدشين مسجد الشافعي", text)}
    assert "مسجد الشافعي" in shown and "الشافعي" not in shown, shown


def test_purpose_nouns_after_li_are_no_tags() -> None:
    text = (
        "أنهت إدارة التعليم استعداداتها لاستقبال المرشحين، وخصصت لجانا لاستقبال المرشحين في "
        "مقرها. ويأتي ذلك لاستقبال المرشحين للوظائف التعليمية."
    )
    shown = {matching_form(t.display) for t in extract_tags("", text)}
    assert not any(re.match(r"^(ل)?استقبال", tag) for tag in shown), shown


def test_a_derived_verbal_noun_after_li_is_no_tag() -> None:
    # «تمهيدا لانضمامه» (a 2015-07-27 headline): a form VII verbal noun with its pronoun, the
    # ل left on by the tokenizer; nor does «لاجتماع» (form VIII) open a tag.
    title = "مونتاري يخضع للفحص الطبي تمهيدا لانضمامه إلى صفوف الاتحاد"
    text = (
        "خضع اللاعب مونتاري للفحص الطبي تمهيدا لانضمامه إلى نادي الاتحاد. وقال مونتاري إن "
        "الفحص الطبي تمهيدا لانضمامه تم بنجاح، وحضر لاجتماع الإدارة، وسيحضر لاجتماع الإدارة غدا."
    )
    shown = [matching_form(t.display) for t in extract_tags(title, text)]
    assert "مونتاري" in shown, shown
    assert not [tag for tag in shown if "انضمام" in tag or "اجتماع" in tag], shown


def test_cut_names_are_no_tags() -> None:
    # «فرع وزارة» has lost the ministry's name; «الخارجية الماليزي» is cut from «وزير الخارجية
    # الماليزي» (a masculine adjective cannot describe «الخارجية»).
    text = (
        "وصل وزير الخارجية الماليزي إلى الرياض. والتقى وزير الخارجية الماليزي بمسؤولين في فرع "
        "وزارة التجارة، وقال مدير فرع وزارة التجارة إن الزيارة مثمرة. وأكد وزير الخارجية "
        "الماليزي أهمية التعاون."
    )
    shown = {t.display for t in extract_tags("وزير الخارجية الماليزي في الرياض", text)}
    assert not {"الخارجية الماليزي", "فرع وزارة"} & shown, shown
    assert "وزارة التجارة" in shown, shown


def test_a_feminine_perfect_verb_opens_no_tag() -> None:
    # «مجموعة ضمت», «أمرت المحكمة»: a verb is no edge of a tag; the noun «صوت» is no verb.
    text = (
        "ضمت المجموعة خبراء من عدة دول. وأمرت المحكمة بإغلاق القضية، ثم أمرت المحكمة بالإفراج "
        "عن المتهم. وقالت إذاعة صوت العرب إن المحكمة أمرت بذلك، وأكدت إذاعة صوت العرب الخبر."
    )
    shown = {t.display for t in extract_tags("المحكمة تأمر بالإفراج", text)}
    assert not any({"ضمت", "أمرت"} & set(tag.split()) for tag in shown), shown
    assert any("صوت العرب" in tag for tag in shown), shown


def test_a_company_is_named_without_its_head() -> None:
    # «شركة إنفينيتي» is tagged «إنفينيتي» when the text also writes the name alone; «الشركة
    # العربية» (the Arab company) keeps its head, «العربية» is no name.
    text = (
        "أعلنت شركة إنفينيتي نتائجها. وقالت إنفينيتي إن المبيعات ارتفعت، وأكدت إنفينيتي أن "
        "الشركة العربية للأنابيب شريك. ووقعت الشركة العربية للأنابيب عقدا مع شركة إنفينيتي."
    )
    shown = {t.display: t.kind for t in extract_tags("إنفينيتي ترفع المبيعات", text)}
    assert shown.get("إنفينيتي") == "organisation", shown
    assert "شركة إنفينيتي" not in shown and "العربية" not in shown, shown
    # «شركة بارزة» (a prominent company) is no company called «بارزة».
    text = "وقعت الوزارة عقدا مع شركة بارزة في القطاع. وقالت الوزارة إن شركة بارزة ستنفذ المشروع."
    shown = {t.display: t.kind for t in extract_tags("", text)}
    assert "بارزة" not in shown, shown


def test_a_club_is_named_without_its_head() -> None:
    # «نادي بيشكتاش التركي ... ناديي بيشكتاش التركي»: the club is «بيشكتاش التركي», as the
    # gold writes it; «نادي الاتحاد» keeps its head, «الاتحاد» alone being an everyday word.
    text = (
        "قدم نادي الاتحاد عرضا للاعب وسط منافسة من نادي بيشكتاش التركي الذي يرغب في ضمه. "
        "وتلقى اللاعب عرضين آخرين بجانب نادي الاتحاد من ناديي بيشكتاش التركي وشنجهاي الصيني."
    )
    shown = {t.display: t.kind for t in extract_tags("الاتحاد يقترب من اللاعب", text)}
    assert shown.get("بيشكتاش التركي") == "organisation", shown
    assert "نادي بيشكتاش التركي" not in shown, shown
    assert "نادي الاتحاد" in shown, shown


def test_an_adjective_after_an_area_head_is_no_place() -> None:
    # «منطقة منزوعة السلاح» is a demilitarised zone, «منزوعة السلاح» no place; «مكة» after
    # «مدينة» is one.
    text = (
        "أعلنت كييف منطقة منزوعة السلاح في الشرق. وقالت إن منطقة منزوعة السلاح ستقام قرب "
        "الحدود، وإن منطقة منزوعة السلاح تحمي المدنيين. وزار الوفد مدينة مكة المكرمة، "
        "وأقام في مدينة مكة المكرمة يومين."
    )
    kinds = {t.display: t.kind for t in extract_tags("منطقة منزوعة السلاح", text)}
    assert kinds.get("منزوعة السلاح", "topic") == "topic", kinds
    assert "place" in {kind for tag, kind in kinds.items() if "مكة المكرمة" in tag}, kinds


def test_an_everyday_word_used_once_is_no_tag() -> None:
    # «كامل» of «بشكل كامل» (completely): a word in passing, used once and bare.
    text = (
        "أنجزت الوزارة مشروع الطريق الدائري بشكل كامل. وافتتح مشروع الطريق الدائري أمس، وقال "
        "المسؤولون إن مشروع الطريق الدائري يخدم السكان."
    )
    shown = {t.display for t in extract_tags("مشروع الطريق الدائري", text)}
    assert "كامل" not in shown, shown
    # «وافتتح مشروع»: و and a perfect verb the tokenizer kept together open a clause.
    assert not any(tag.startswith("وافتتح") for tag in shown), shown


@pytest.fixture(scope="module")
def later(shared_dir: Path) -> Records:
    """The records of 2015-07-27, a day outside the gold whose tags were read for issue 13."""
    return day_records(shared_dir, "2015-07-27")


def test_a_plural_of_an_everyday_word_alone_is_seldom_a_tag(
    later: Records,
) -> None:
    # «تأكيدات» (of «تأكيد») on 2015-07-27; «وزارات», «أبيات», «العبارات» on the gold (junk_seen):
    # a sound plural in -ات of an everyday word weighs as the word does, alone.
    shown = shown_tags(later, "http://www.alyaum.com/article/4080462")
    assert "الجنسية اللبنانية" in shown and "تأكيدات" not in shown, shown
    # But a country is no plural: «الإمارات» is not «إمارة» and «ات».
    text = (
        "أعلنت الإمارات نتائج المنظومة. وقالت وزارة المالية إن الإمارات حققت إيرادات كبيرة، "
        "وإن الإمارات ستوسع المنظومة العام المقبل."
    )
    shown = {t.display: t.kind for t in extract_tags("الإمارات: 4 مليارات درهم إيرادات", text)}
    assert shown.get("الإمارات") == "place", shown


def test_a_body_ends_at_its_adjectives(later: Records) -> None:
    # Seen on 2015-07-27: «هيئة أركان الجيش التركي الهجوم» (the body glued to the verbal noun
    # after it: «وتبنى ... هيئة أركان الجيش التركي الهجوم»); only adjectives follow an adjective.
    shown = shown_tags(later, "http://www.alyaum.com/article/4080308")
    assert not [tag for tag in shown if tag.endswith(" الهجوم")], shown
    text = (
        "وقالت هيئة أركان الجيش التركي الهجوم وقع فجر اليوم. وأكد مركز الملك فيصل للبحوث "
        "والدراسات الإسلامية المشرف على المعرض أن مركز الملك فيصل للبحوث والدراسات الإسلامية "
        "نظم المعرض. وقال بيان هيئة أركان الجيش التركي إن الجنود قتلوا."
    )
    shown = {t.display: t.kind for t in extract_tags("", text)}
    assert shown.get("هيئة أركان الجيش التركي") == "organisation", shown
    assert "مركز الملك فيصل للبحوث والدراسات الإسلامية" in shown, shown
    assert not [tag for tag in shown if tag.endswith((" الهجوم", " المشرف"))], shown


def test_a_head_and_another_definite_word_are_two_bodies() -> None:
    # Seen on 2015-07-27: «الاتحاد والأهلي», «الاتحاد والتعاقد» shown as one organisation.
    text = (
        "تأهل الاتحاد والأهلي إلى الدور الثاني، وقال الاتحاد والأهلي في بيان إن المباراة "
        "ستقام في جدة. وأعلن الاتحاد والتعاقد مع المدرب تم."
    )
    shown = [t.display for t in extract_tags("الاتحاد والأهلي في الدور الثاني", text)]
    assert not [tag for tag in shown if "الاتحاد والأهلي" in tag or "والتعاقد" in tag], shown


def test_elatives_and_first_person_verbs_are_no_tags() -> None:
    # «أثقل من رضوى» (heavier than Radwa) and «أطيب», «أتذكر» of the gold's opinion columns.
    title = "أثقل من رضوى"
    text = (
        "جبل رضوى من جبال السروات، وقالت العرب: أثقل من رضوى. وأنا أتذكر أن الناس كانت "
        "أطيب، وأتذكر قول الشاعر في رضوى. وهو أثقل من رضوى كما قيل، وزار أحمد جبل رضوى."
    )
    shown = {t.display for t in extract_tags(title, text)}
    assert "رضوى" in shown, shown
    assert not {"أثقل", "أطيب", "أتذكر"} & shown, shown
