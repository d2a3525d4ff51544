"""Extractive summaries: the article's own sentences, verbatim, for articles and stories."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from marsad.arabic import display_form, split_sentences
from marsad.enrich.summary import summarize, summarize_story

HEADLINE = "وليم بيرنز سيقود الجانب الأميركي في محادثات التهدئة بغزة"


@pytest.fixture(scope="module")
def seed_parts(shared_dir: Path) -> tuple[str, str]:
    page = (shared_dir / "seed" / "000_5d2495303a5d3d26.txt").read_text(encoding="utf-8")
    first, second = page.split("المصدر:")[0].split(HEADLINE)
    return first, second


def _verbatim(summary: str, *texts: str) -> list[str]:
    sentences = split_sentences(summary)
    originals = {s for text in texts for s in split_sentences(text)}
    assert sentences and all(s in originals for s in sentences), sentences
    return sentences


def test_article_summary_is_two_or_three_own_sentences(seed_parts: tuple[str, str]) -> None:
    text = seed_parts[0]
    summary = summarize(text, "بايدن يبحث مع أمير قطر والسيسي ملف الرهائن في غزة")
    sentences = _verbatim(summary, text)
    assert 2 <= len(sentences) <= 3
    order = [display_form(text).index(s) for s in sentences]
    assert order == sorted(order)
    assert "بايدن" in summary and "الرهائن" in summary


def test_story_summary_draws_on_every_article(seed_parts: tuple[str, str]) -> None:
    first, second = seed_parts
    summary = summarize_story([("", first), (HEADLINE, second)])
    sentences = _verbatim(summary, first, second)
    assert len(sentences) == 3
    assert any(s in display_form(first) for s in sentences)
    assert any(s in display_form(second) for s in sentences)


def test_story_summary_skips_repeated_wire_copy(seed_parts: tuple[str, str]) -> None:
    first, _ = seed_parts
    summary = summarize_story([("", first), ("", first), ("", first)])
    sentences = _verbatim(summary, first)
    assert len(sentences) == len(set(sentences)) == 3


def test_corpus_summaries(shared_dir: Path) -> None:
    path = sorted((shared_dir / "corpus" / "saudinewsnet").glob("*.zip"))[1]
    with zipfile.ZipFile(path) as archive:
        items = json.loads(archive.read(archive.namelist()[0]))
    long = [a for a in items if len(split_sentences(a["content"])) >= 6][:60]
    assert len(long) == 60
    for article in long:
        summary = summarize(article["content"], article["title"])
        assert 1 <= len(split_sentences(summary)) <= 3
        assert len(summary) < len(display_form(article["content"]))
    assert summarize("", "") == "" and summarize_story([]) == ""


def _day(shared_dir: Path, name: str = "2015-07-25.zip") -> list[dict[str, str]]:
    with zipfile.ZipFile(shared_dir / "corpus" / "saudinewsnet" / name) as archive:
        items: list[dict[str, str]] = json.loads(archive.read(archive.namelist()[0]))
    return [a for a in items if a.get("content") and len(split_sentences(a["content"])) >= 6]


def test_article_summary_opens_with_the_lead_never_mid_thought(shared_dir: Path) -> None:
    from marsad.enrich.summary import _continues

    articles = _day(shared_dir)[:200]
    opened_with_lead = 0
    for article in articles:
        summary = summarize(article["content"], article["title"])
        sentences = split_sentences(summary)
        assert sentences
        assert not _continues(sentences[0]), sentences[0]
        firsts = [s for s in split_sentences(article["content"]) if 6 <= len(s.split()) <= 80]
        lead = next((s for s in firsts if not _continues(s)), None)
        if lead is None:  # every sentence of a fit size leans on another: the lead, however long
            fit = (s for s in split_sentences(article["content"]) if len(s.split()) >= 6)
            lead = next((s for s in fit if not _continues(s)), None)
        opened_with_lead += lead is not None and summary.startswith(lead)
    assert opened_with_lead == len(articles)


def test_mid_thought_sentences_are_recognised() -> None:
    from marsad.enrich.summary import _continues

    assert _continues("وأكد آل مهنا أن اللجنة ستعلن النتائج قريبا بعد اكتمال المراجعة.")
    assert _continues("وأضاف: إن الحكومة ماضية في خطتها.")
    assert _continues("وهو ما أكده المتحدث الرسمي باسم الوزارة في بيان لاحق.")
    assert _continues("من جهته، قال الوزير إن الخطة ستنفذ على مراحل.")
    assert not _continues("أعلنت وزارة الصحة تسجيل حالتين جديدتين بفيروس كورونا في الرياض.")


def test_story_summary_has_no_repeat_and_no_other_event(seed_parts: tuple[str, str]) -> None:
    first, second = seed_parts
    other = "وفي سياق آخر، افتتح أمير المنطقة مهرجان الصيف بحضور عدد كبير من الزوار والمسؤولين."
    summary = summarize_story([(HEADLINE, second + "\n" + other), ("", first), ("", first)], lead=0)
    sentences = split_sentences(summary)
    assert other not in summary
    assert len(sentences) == len(set(sentences))
    # The lead article's first sentence opens the story's summary.
    assert sentences[0] == split_sentences(second)[0] or sentences[0] in display_form(second)


# Connectives that tie a sentence to the one before it (issue 12): never a summary's first word.
CONNECTIVES = ("وقد", "فقد", "ولقد", "أما", "وأما", "ثم", "كذلك", "وكذلك", "لذلك", "ولذلك")


def test_summaries_never_open_on_a_connective(shared_dir: Path) -> None:
    exposed = 0
    for name in ("2015-07-25.zip", "2015-08-02.zip"):
        with zipfile.ZipFile(shared_dir / "corpus" / "saudinewsnet" / name) as archive:
            items = json.loads(archive.read(archive.namelist()[0]))[:400]
        for article in items:
            sentences = split_sentences(article.get("content", ""))
            exposed += any(s.split()[0] in CONNECTIVES for s in sentences if s.split())
            summary = summarize(article.get("content", ""), article.get("title", ""))
            if summary:
                assert summary.split()[0] not in CONNECTIVES, summary[:120]
    assert exposed > 100  # articles holding such a sentence: the risk is real on these days
