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
