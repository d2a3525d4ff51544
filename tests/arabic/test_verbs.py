"""Verb detection on real headlines: news verbs are told from the nouns beside them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from marsad.arabic import tokens
from marsad.arabic.verbs import is_verb
from marsad.enrich.keyphrases import DocumentFrequencies


@pytest.fixture(scope="module")
def counts(shared_dir: Path) -> dict[str, int]:
    path = sorted((shared_dir / "corpus" / "saudinewsnet").glob("*.zip"))[1]
    with zipfile.ZipFile(path) as archive:
        items = json.loads(archive.read(archive.namelist()[0]))
    return DocumentFrequencies.from_texts((a["title"], a["content"]) for a in items[:800]).counts


def test_word_list_verbs_without_corpus() -> None:
    for word in ("يبدا", "يرتفع", "تكرم", "شيع", "نفذت", "سيقود"):
        assert is_verb(word), word
    for word in ("هلال", "نمسا", "ينبع", "يوسف", "تونس", "وزاره"):
        assert not is_verb(word), word


def test_corpus_counts_find_unlisted_verbs(counts: dict[str, int]) -> None:
    # Words absent from the lists: the corpus shows their other person forms or imperfects.
    for word in ("يشيد", "يناقش", "دشنت", "افتتحت", "كرمت", "يتسلم"):
        assert not is_verb(word), word
        assert is_verb(word, counts), word
    assert not is_verb("يوم", counts)
    assert not is_verb("تعليم", counts)
    assert not is_verb("تقرير", counts)


def test_headline_verbs(shared_dir: Path, counts: dict[str, int]) -> None:
    headline = "الهند تنجح في إطلاق خمسة أقمار صناعية بريطانية الى الفضاء"
    flagged = [t.match for t in tokens(headline) if is_verb(t.match, counts)]
    assert flagged == ["تنجح"]


def test_waw_initial_nouns_keep_their_waw() -> None:
    for word in ("والدة", "وادي", "وكالة", "وزارة"):
        found = tokens(f"{word} الفقيد")[0]
        assert found.prefix == "", (word, found)
    assert tokens("وكأس العالم")[0].match == "كاس"
