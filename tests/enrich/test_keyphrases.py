"""Keyphrases on the seed article and corpus articles: names and topics, no junk at the edges."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from marsad.arabic import is_stopword, matching_form, tokens
from marsad.enrich.keyphrases import DocumentFrequencies, extract_keyphrases, extract_tags

HEADLINE = "وليم بيرنز سيقود الجانب الأميركي في محادثات التهدئة بغزة"
PERSIAN = set("یکۀەہھگ")
NAME_OPENERS = {"ابو", "عبد"}


@pytest.fixture(scope="module")
def seed_text(shared_dir: Path) -> str:
    page = (shared_dir / "seed" / "000_5d2495303a5d3d26.txt").read_text(encoding="utf-8")
    return page.split("المصدر:")[0]


@pytest.fixture(scope="module")
def day(shared_dir: Path) -> list[dict[str, str]]:
    path = sorted((shared_dir / "corpus" / "saudinewsnet").glob("*.zip"))[0]
    with zipfile.ZipFile(path) as archive:
        items: list[dict[str, str]] = json.loads(archive.read(archive.namelist()[0]))
    return items


@pytest.fixture(scope="module")
def frequencies(day: list[dict[str, str]]) -> DocumentFrequencies:
    return DocumentFrequencies.from_texts((a["title"], a["content"]) for a in day[:800])


def _clean_edges(phrase: str) -> bool:
    found = tokens(phrase)
    # A name may open with its connector ("أبو شقير", "عبد الله"), never close with one.
    opens = found[0].match in NAME_OPENERS or not is_stopword(found[0].match)
    return opens and not is_stopword(found[-1].match)


def _check_form(phrases: list[str]) -> None:
    assert len(phrases) == len(set(map(matching_form, phrases))), phrases
    for phrase in phrases:
        assert not PERSIAN & set(phrase), phrase
        assert _clean_edges(phrase), phrase
        assert phrase == phrase.strip() and "  " not in phrase


@pytest.mark.parametrize("with_corpus", [False, True])
def test_seed_names_people_and_topics(
    seed_text: str, frequencies: DocumentFrequencies, with_corpus: bool
) -> None:
    phrases = extract_keyphrases("", seed_text, df=frequencies if with_corpus else None)
    assert len(phrases) == 10
    _check_form(phrases)
    for expected in ("تميم بن حمد آل ثاني", "وقف إطلاق النار", "قطر", "غزة"):
        assert expected in phrases, (expected, phrases)
    assert "جو بايدن" in phrases or "بايدن" in phrases
    assert HEADLINE not in phrases
    assert not any(len(p.split()) > 5 for p in phrases)
    # The seed's own tag list had stopword-led fragments; none of them comes back.
    assert not {"أن المحادثات", "فی المنطقة", "في المنطقة"} & set(phrases)


def test_seed_with_corpus_frequencies_finds_the_second_name(
    seed_text: str, frequencies: DocumentFrequencies
) -> None:
    phrases = extract_keyphrases("", seed_text, df=frequencies)
    assert "وليم بيرنز" in phrases
    assert "الولايات المتحدة" in phrases or "وكالة الاستخبارات المركزية الأميركية" in phrases


def test_clitic_variants_group_on_the_commonest_form() -> None:
    text = (
        "أعلنت الحكومة دعمها لوقف إطلاق النار. ودعت إلى وقف إطلاق النار فورا. "
        "وطالب الوسطاء بوقف إطلاق النار في غزة، وقالت حماس إن غزة تحت الحصار. "
        "وفي غزة يعيش الناس بلا كهرباء."
    )
    phrases = extract_keyphrases("", text)
    assert "وقف إطلاق النار" in phrases
    assert "غزة" in phrases
    assert not any(p.startswith(("لوقف", "بوقف", "وفي")) for p in phrases)


def test_title_counts_and_top_limits(day: list[dict[str, str]]) -> None:
    article = next(a for a in day if len(a["content"].split()) > 200)
    phrases = extract_keyphrases(article["title"], article["content"], top=3)
    assert 1 <= len(phrases) <= 3
    assert extract_keyphrases("", "") == []
    assert extract_keyphrases("", "في من على إلى") == []


def test_corpus_articles_give_clean_phrases(
    day: list[dict[str, str]], frequencies: DocumentFrequencies
) -> None:
    articles = [a for a in day[800:1000] if len(a["content"].split()) > 80]
    assert len(articles) > 100
    for article in articles:
        phrases = extract_keyphrases(article["title"], article["content"], df=frequencies)
        assert 3 <= len(phrases) <= 10, article["title"]
        _check_form(phrases)
        if len(article["title"].split()) >= 4:  # a one-word title may well be the topic
            assert article["title"].strip() not in phrases


def test_document_frequencies_count_documents(day: list[dict[str, str]]) -> None:
    df = DocumentFrequencies()
    df.add("غزة", "قطاع غزة غزة")
    df.add("", "غزة والقاهرة")
    assert df.documents == 2
    assert df.counts["غزه"] == 2
    assert df.counts["قاهره"] == 1
    assert df.idf("غزه") < df.idf("قاهره") < df.idf("كلمة لم تر")


def test_cli_prints_one_phrase_a_line(seed_text: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    entry = "import sys; from marsad.cli import main; sys.exit(main())"
    run = [sys.executable, "-c", entry, "keyphrases", "--top", "4"]
    from_file = subprocess.run([*run, str(path)], capture_output=True, text=True, check=True)
    from_stdin = subprocess.run(
        [*run, "-"], input=seed_text, capture_output=True, text=True, check=True
    )
    lines = from_file.stdout.splitlines()
    assert len(lines) == 4 and lines == from_stdin.stdout.splitlines()
    assert lines == extract_keyphrases("", seed_text, top=4)


# Headlines of the first corpus day whose verbs the extractor used to keep in a phrase, with
# the verb forms those articles use (matching form): no keyphrase may hold one of them.
VERB_HEADLINES = {
    "طيران ناس تكرم": ("تكرم", "عاد"),
    "الهلال يبدأ معسكره": ("يبدا",),
    "النفط يرتفع": ("يرتفع", "تظل"),
    "الهند تنجح": ("تنجح", "يحمل"),
    "أهالي القنفذة يشيعون": ("يشيعون", "شيع", "تعرضت"),
    "بلدية الدوادمي": ("ترصد", "نفذت", "رصدت"),
}


def _article(day: list[dict[str, str]], opening: str) -> dict[str, str]:
    return next(a for a in day if opening in a["title"])


@pytest.mark.parametrize("opening", sorted(VERB_HEADLINES))
def test_headline_verbs_stay_out_of_phrases(
    day: list[dict[str, str]], frequencies: DocumentFrequencies, opening: str
) -> None:
    article = _article(day, opening)
    phrases = extract_keyphrases(article["title"], article["content"], df=frequencies)
    assert len(phrases) >= 5, phrases
    verbs = set(VERB_HEADLINES[opening])
    for phrase in phrases:
        assert not verbs & {t.match for t in tokens(phrase)}, (phrase, phrases)
    # The headline's subject comes back on its own, never as a chunk with its verb.
    subject = matching_form(opening).split()[:2]
    assert not any(" ".join(subject) + " " in matching_form(p) for p in phrases), phrases


def test_waw_initial_nouns_are_not_cut(
    day: list[dict[str, str]], frequencies: DocumentFrequencies
) -> None:
    article = _article(day, "أهالي القنفذة يشيعون")
    phrases = extract_keyphrases(article["title"], article["content"], df=frequencies)
    assert "الدة" not in {w for p in phrases for w in p.split()}, phrases
    assert "القنفذة" in " ".join(phrases)
    assert any("القوزي" in p for p in phrases)


def test_adverbial_accusatives_are_not_phrases(
    day: list[dict[str, str]], frequencies: DocumentFrequencies
) -> None:
    article = _article(day, "الهلال يبدأ معسكره")
    phrases = extract_keyphrases(article["title"], article["content"], df=frequencies)
    assert "استعداداً" not in " ".join(phrases)
    assert {"الهلال", "النمسا", "كأس السوبر"} <= set(phrases), phrases


def _corpus_article(shared_dir: Path, day: str, url: str) -> dict[str, str]:
    path = shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip"
    with zipfile.ZipFile(path) as archive:
        records = json.loads(archive.read(archive.namelist()[0]))
    return next(r for r in records if r["url"] == url)


def test_names_end_where_the_name_ends(shared_dir: Path) -> None:
    # "منحت الهيئة ... شركة النيل للطيران ترخيصا": the name ends at «للطيران».
    record = _corpus_article(
        shared_dir, "2015-08-07", "http://www.aleqt.com/2015/08/07/article_979635.html"
    )
    shown = extract_keyphrases(record["title"], record["content"])
    assert "شركة النيل للطيران" in shown
    assert not any("ترخيص" in phrase for phrase in shown), shown


def test_a_conjunction_before_a_head_ends_the_name(shared_dir: Path) -> None:
    # "دارة الملك عبدالعزيز وهيئة وكالة الأنباء السعودية": two bodies, «وهيئة» is و + هيئة.
    record = _corpus_article(
        shared_dir, "2015-08-07", "http://www.al-jazirah.com/2015/20150807/fe1.htm"
    )
    shown = extract_keyphrases(record["title"], record["content"])
    assert not any("وهيئة" in phrase for phrase in shown), shown


@pytest.mark.parametrize(
    "url",
    [
        "http://www.3alyoum.com/news/local/a/وزير-العدل-القضاء-سيقف-في-وجه-المفسدين/",
        "http://www.3alyoum.com/news/a/وزير-الخارجية-يجري-مباحثات-مع-نظيره-ال/",
    ],
)
def test_the_agency_credited_is_no_tag(shared_dir: Path, url: str) -> None:
    # Wire stories credit «وكالة الأنباء السعودية» (واس): the credit, not the subject.
    record = _corpus_article(shared_dir, "2015-08-07", url)
    text = f"{record['title']}\n{record['content']}"
    assert "الأنباء السعودية" in text or "الأنباء الألمانية" in text
    shown = extract_keyphrases(record["title"], record["content"])
    assert not any("الأنباء" in phrase or phrase == "واس" for phrase in shown), shown


def _tags(shared_dir: Path, day: str, url: str) -> dict[str, str]:
    record = _corpus_article(shared_dir, day, url)
    return {t.display: t.kind for t in extract_tags(record["title"], record["content"])}


@pytest.mark.parametrize(
    ("day", "url", "name", "cut"),
    [
        # "وقال يورغن شميتز، المدير التنفيذي ... وأضاف شميتز": named once, quoted by surname.
        ("2015-08-08", "http://www.alriyadh.com/1071388", "يورغن شميتز", "شميتز"),
        # "إميل خنيصر بجهد ... وقال خنيصر": the first name alone («إميل») was the tag.
        ("2015-08-09", "http://www.al-jazirah.com/2015/20150809/ec20.htm", "إميل خنيصر", "إميل"),
        # "سعيد بن سعد النفيعي اللجان ... وأوضح النفيعي": the name ends on the surname.
        (
            "2015-07-21",
            "http://www.alweeam.com.sa/348527/تعليم-عفيف-ينهي-استعداداته-لاستقبال-م/",
            "سعيد بن سعد النفيعي",
            "سعيد بن سعد النفيعي اللجان",
        ),
    ],
)
def test_a_speaker_quoted_by_surname_is_named_whole(
    shared_dir: Path, day: str, url: str, name: str, cut: str
) -> None:
    shown = _tags(shared_dir, day, url)
    assert shown.get(name) == "person", shown
    assert cut not in shown, shown


def test_cut_constructs_ranks_and_quantities_are_no_tags(shared_dir: Path) -> None:
    # "يعزز قوة دول الخليج", "بتعزيز قوة دول مجلس التعاون": «قوة دول» lacks its genitive.
    shown = _tags(shared_dir, "2015-08-04", "http://www.alriyadh.com/1070229")
    assert "قوة دول" not in shown and "خليفة بن سلمان" in shown, shown
    # "خلال الربع الثاني", "حجم الاتفاقات": a date and a measure, no topics.
    shown = _tags(shared_dir, "2015-07-23", "http://www.alriyadh.com/1067163")
    assert not {"الربع الثاني", "حجم الاتفاقات"} & set(shown), shown
    assert {"الاندماج", "الاستحواذ"} <= set(shown), shown
    # "سوري يفوز بجائزة تصوير بريطانية": a headline with its verb inside is no tag.
    url = "http://aawsat.com/home/article/411086/ناشط-إعلامي-سوري-يفوز-بجائزة-تصوير-بريطانية"
    shown = _tags(shared_dir, "2015-07-21", url)
    assert not any("يفوز" in tag for tag in shown), shown
    assert shown.get("حلب") == "place", shown  # a city CLDR lacks, named after «مدينة»


def test_a_group_of_things_is_no_body(shared_dir: Path) -> None:
    # "لفرش مجموعة مساجد في الإمارات", "ألف متر مربع": a quantity and a unit, while
    # «مجموعة السريّع» is the company.
    shown = _tags(shared_dir, "2015-08-01", "http://www.alriyadh.com/1069563")
    assert shown.get("مجموعة السريّع") == "organisation", shown
    assert not {"مجموعة مساجد", "متر مربع", "ألف متر مربع"} & set(shown), shown


def test_cities_the_corpus_names_are_places(shared_dir: Path) -> None:
    # "بمركزي محمد بن نايف للمناصحة والرعاية بالرياض وجدة": «جدة» is no "وجد" + ة.
    shown = _tags(shared_dir, "2015-07-22", "http://www.alyaum.com/article/4079728")
    assert shown.get("جدة") == "place" and shown.get("الرياض") == "place", shown
