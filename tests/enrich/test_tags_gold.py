"""Tags on the gold made by reading (bench/gold/keyphrases.json): must-haves found, junk kinds
never back, kinds from the text's evidence. The article text is read from the shared corpus."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from marsad.arabic.normalize import matching_form
from marsad.arabic.verbs import is_verb
from marsad.enrich.keyphrases import extract_tags
from marsad.ingest.importers import source_names

GOLD = Path(__file__).resolve().parents[2] / "bench" / "gold" / "keyphrases.json"
_PUNCTUATION_RE = re.compile(r"[^\w\s]")
_CLITICS_RE = re.compile(r"^(?:[وفبل]?ال|لل|[وف]?[بل](?=\w{3}))")
# Titles and formulas that are never a tag nor open one (honorifics.txt and never_tags.txt
# hold more; these are the kinds issue 13 found on readers' pages).
TITLES = {"وزير", "الوزير", "أمير", "الأمير", "الشيخ", "الرئيس", "رئيس", "معالي", "النائب"}
TITLES |= {"نائب", "سمو", "صاحب", "ولي", "خادم", "المحافظ", "الملك"}
FORMULAS = ("ورحمة الله وبركاته", "رحمه الله", "حفظه الله", "الله")
# Kinds the third round (issue 13) stopped, in the gold's comparison form: a rank or a time
# after a noun ("الربع الثاني", "المركز الرابع"), a quantity head ("حجم الاتفاقات", "معدل
# النمو"), a reporting verb opening the tag ("ونوه المنيف").
RANKS = {"اول", "ثاني", "ثالث", "رابع", "خامس", "اخير", "سابق", "ماضي", "مقبل", "قادم"}
RANKS |= {"اولي", "ثانيه", "ثالثه", "رابعه", "خامسه", "اخيره", "سابقه", "ماضيه", "مقبله"}
QUANTITIES = {"حجم", "معدل", "اجمالي", "نسبه", "قيمه", "مجموع", "بقيه", "معظم", "الف", "الاف"}
REPORTING = {"قال", "اضاف", "اوضح", "اشار", "اكد", "نوه", "اهاب", "ونوه", "واهاب", "وقال"}


def tag_form(phrase: str) -> str:
    """The gold's comparison form (bench/gold/README.md, rule 7)."""
    words = _PUNCTUATION_RE.sub(" ", matching_form(phrase)).split()
    return " ".join(_CLITICS_RE.sub("", w) if len(w) > 3 else w for w in words)


@pytest.fixture(scope="module")
def gold(shared_dir: Path) -> list[dict[str, Any]]:
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    never = {tag_form(p) for p in data["never_tags"]}
    days: dict[str, dict[str, dict[str, str]]] = {}
    names = source_names()
    out = []
    for item in data["articles"]:
        day = item["day"]
        if day not in days:
            path = shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip"
            with zipfile.ZipFile(path) as archive:
                records = json.loads(archive.read(archive.namelist()[0]))
            days[day] = {r["url"]: r for r in records}
        record = days[day][item["url"]]
        source = names.get(record["source"], record["source"])
        tags = extract_tags(record["title"], record["content"], source=source)
        out.append({**item, "tags": tags, "source_name": source, "never": never})
    return out


def _found(item: dict[str, Any]) -> list[bool]:
    shown = {tag_form(t.display) for t in item["tags"]}
    return [bool(shown & {tag_form(m["tag"]), *map(tag_form, m["forms"])}) for m in item["must"]]


def test_must_have_tags_are_found(gold: list[dict[str, Any]]) -> None:
    # Measured when these tests were written: 0.656 on the tuning days and 0.582 on the day
    # held out; 0.688 and 0.645 after the second round, 0.777 and 0.690 (129/166, 29/42) after
    # the third (issue 13: speakers, given names, corpus places), 0.802 on the tuning days after
    # the fourth (a place inside a body's name, clubs, mosques), 0.855 (142/166) after the
    # fifth (capitals, clubs without «نادي», a place's adjectives), 0.861 (143/166) after the
    # tag quality round (elatives end a body's name). Losing two must-haves of the tuning
    # days fails here.
    tuning = [x for item in gold if not item["held_out"] for x in _found(item)]
    held = [x for item in gold if item["held_out"] for x in _found(item)]
    assert sum(tuning) / len(tuning) >= 0.85, sum(tuning) / len(tuning)
    assert sum(held) / len(held) >= 0.66, sum(held) / len(held)


def test_the_first_five_are_mostly_must_haves(gold: list[dict[str, Any]]) -> None:
    # Must-haves among the first five tags, over what the article can fill (min(5, its
    # must-haves)): 0.680 on the tuning days after the third round of issue 13, 0.693 after
    # the fourth, 0.735 after the fifth (the ritual formula's names, a name's adjective),
    # 0.758 after the tag quality round (persons named after a title, junk fragments gone).
    shares = []
    for item in gold:
        if item["held_out"]:
            continue
        first = {tag_form(t.display) for t in item["tags"][:5]}
        forms = [{tag_form(m["tag"]), *map(tag_form, m["forms"])} for m in item["must"]]
        shares.append(sum(1 for f in forms if f & first) / min(5, len(forms)))
    assert sum(shares) / len(shares) >= 0.745, sum(shares) / len(shares)


@pytest.mark.parametrize(
    "tag",
    [
        "وزارة الشؤون البلدية والقروية",
        "مركزي محمد بن نايف للمناصحة والرعاية",
        "الهيئة العامة للشؤون الإسلامية والأوقاف",
        "مدينة الملك عبدالله الطبية",
        "محمد بن زايد آل نهيان",
        "المنتدى الأكاديمي الدولي للمصورين المحترفين",
    ],
)
def test_names_come_whole(gold: list[dict[str, Any]], tag: str) -> None:
    assert tag in {t.display for item in gold for t in item["tags"]}


def test_no_junk_kind_returns(gold: list[dict[str, Any]]) -> None:
    for item in gold:
        own = tag_form(item["source_name"])
        for tag in item["tags"]:
            form = tag_form(tag.display)
            words = tag.display.split()
            assert form not in item["never"], (item["url"], tag.display)
            assert form != own, (item["url"], tag.display)  # the paper's own name
            assert words[0] not in TITLES, (item["url"], tag.display)  # a title alone or leading
            assert tag.display not in FORMULAS and not tag.display.endswith("الله وبركاته")
            assert not re.match(r"^[يت]\w*(?:ان|ون)$", words[0]), tag.display  # "يختتمان"
            # A verb opening or closing a tag ("هبط سعر خام", "أظهر مسح", "أثر اكتشف").
            # (A word the text writes with the article is a noun: "السيارات" is no "سي" future.)
            edges = {tag_form(w) for w in (words[0], words[-1]) if not w.startswith("ال")}
            assert not any(is_verb(w) for w in edges), (item["url"], tag.display)
            parts = form.split()
            assert not (len(parts) == 2 and parts[1] in RANKS), (item["url"], tag.display)
            assert parts[0] not in REPORTING, (item["url"], tag.display)
            assert len(parts) == 1 or parts[0] not in QUANTITIES, (item["url"], tag.display)


def test_junk_seen_stays_rare(gold: list[dict[str, Any]]) -> None:
    # The share of shown tags that readers rejected before this work (junk_seen: generic words
    # such as «الشباب», «المقابلة», fragments) or that are never tags: 0.263 on the tuning days
    # before, 0.15 after common words alone scored half, 0.107 after the third round (cut
    # constructs, ranks, quantity heads), 0.0875 after the fifth (plurals of everyday words,
    # elatives), 0.073 after the tag quality round (cut names before a place and from a
    # chain of bare nouns, names with words glued on); a return of those fragments fails.
    shown = junk = 0
    for item in gold:
        if item["held_out"]:
            continue
        rejected = item["never"] | {tag_form(p) for p in item["junk_seen"]}
        for tag in item["tags"]:
            shown += 1
            junk += tag_form(tag.display) in rejected
    assert junk / shown <= 0.08, junk / shown


def test_kinds_follow_the_text(gold: list[dict[str, Any]]) -> None:
    right = wrong = 0
    for item in gold:
        shown = {tag_form(t.display): t.kind for t in item["tags"]}
        for must in item["must"]:
            for form in (must["tag"], *must["forms"]):
                kind = shown.get(tag_form(form))
                if kind is not None:
                    if must["kind"] == "topic" or kind == must["kind"]:
                        right += 1
                    elif kind != "topic":
                        wrong += 1  # a wrong kind, not merely none found
                    break
    # 127 right and 1 wrong before the tag quality round (issue 13), 128 and 0 after it.
    assert right >= 4 * wrong and wrong <= 1, (right, wrong)


def test_places_and_organisations_have_their_kinds(gold: list[dict[str, Any]]) -> None:
    kinds = {t.display: t.kind for item in gold for t in item["tags"]}
    assert kinds.get("الهند") == "place"  # a CLDR country
    assert kinds.get("الطائف") == "place"  # after "محافظة" in the text
    assert kinds.get("وزارة الداخلية") == "organisation"
    assert kinds.get("عبدالرحمن بن عبدالله العبدالجبار") == "person"
    # An everyday last word the text also writes alone is no surname (issue 13, fourth round).
    assert kinds.get("تباطؤ النمو") == "topic"
    assert kinds.get("بئر نفط") == "topic"


@pytest.mark.parametrize(
    ("url", "junk"),
    [
        # An elative is no part of a club's name («الاتحاد الأقرب لضم مونتاري»).
        (
            "http://www.al-madina.com/node/620825/الاتحاد-يقترب-من-مونتاري-بـ-5-ملايين-يورو.html",
            "الاتحاد الأقرب",
        ),
        # A place and a definite noun («جنوب السودان العضو الجديد»).
        (
            "http://www.alwatan.com.sa/Sports/News_Detail.aspx?ArticleID=230848&CategoryID=6",
            "السودان العضو",
        ),
        # A body's name cut before the place that is its genitive («إدارة تعليم عفيف»).
        ("http://www.alweeam.com.sa/348527/تعليم-عفيف-ينهي-استعداداته-لاستقبال-م/", "إدارة تعليم"),
        # A conjunction left on a name's last word («قس بن ساعدة وأكرم من حاتم»).
        ("http://www.al-jazirah.com/2015/20150807/rj5.htm", "قس بن ساعدة وأكرم"),
    ],
)
def test_fragments_of_the_tag_quality_round_stay_out(
    gold: list[dict[str, Any]], url: str, junk: str
) -> None:
    (item,) = [item for item in gold if item["url"] == url and not item["held_out"]]
    assert junk not in {t.display for t in item["tags"]}, item["tags"]


def test_a_cut_chain_of_bare_nouns_is_no_tag(gold: list[dict[str, Any]]) -> None:
    # «مطعم ماش دونالدز»: «مطعم ماش» is cut from the chain, and no person.
    (item,) = [i for i in gold if "/421841/" in i["url"]]
    assert "مطعم ماش" not in {t.display for t in item["tags"]}, item["tags"]


def test_a_nationality_after_a_name_makes_no_person(gold: list[dict[str, Any]]) -> None:
    # «فيهورست الهولندية»: a club and its country's adjective, not a given and a family name.
    (item,) = [i for i in gold if i["url"] == "http://www.aleqt.com/2015/07/23/article_975526.html"]
    kinds = {t.display: t.kind for t in item["tags"]}
    assert kinds.get("فيهورست الهولندية", "topic") != "person", kinds
