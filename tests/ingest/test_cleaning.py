"""Cleaning on real corpus records: learned furniture, bylines, briefs, the publisher's text kept."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from marsad.ingest.bylines import read_byline
from marsad.ingest.cleaning import clean_article, is_brief
from marsad.ingest.importers import read_records, source_names
from marsad.ingest.learned_furniture import SourceFurniture
from marsad.models import Article
from marsad.pipeline import Cleaner, normalize
from marsad.store import Store


@pytest.fixture(scope="module")
def day(shared_dir: Path) -> list[Article]:
    """One corpus day, normalized (the publisher's text)."""
    path = shared_dir / "corpus" / "saudinewsnet" / "2015-07-25.zip"
    found = [normalize(r) for r in read_records(path) if not hasattr(r, "reason")]
    return [a for a in found if isinstance(a, Article)]


def _learned(day: list[Article], source: str) -> tuple[SourceFurniture, list[Article]]:
    """A source's state after learning from its articles of the day, and those articles."""
    state = SourceFurniture()
    own = [a for a in day if a.source == source]
    for article in own:
        state.observe(article.text, article.title)
    return state, own


def test_link_line_templated_on_the_title_is_cut(day: list[Article]) -> None:
    state, own = _learned(day, "alweeam")
    assert len(own) > 50
    cleaned = [clean_article(a, state) for a in own]
    assert all("رابط الخبر" not in c.text for c in cleaned)
    first = cleaned[0]
    assert first.original_text == own[0].text  # the publisher's text, untouched
    (cut,) = [r for r in first.removed if r.where == "end"]
    assert cut.text.startswith("رابط الخبر بصحيفة الوئام") and own[0].title in cut.text
    assert "{T}" in cut.reason and "%" in cut.reason


def test_dateline_byline_varying_by_place_is_cut(day: list[Article]) -> None:
    state, own = _learned(day, "sabq")
    with_byline = [a for a in own if "سبق" in a.text.split(":")[0]]
    assert len(with_byline) > 30
    for article in with_byline:
        cleaned = clean_article(article, state)
        assert re.match(r"^[^:]{0,40}سبق\s*[-–]", cleaned.text) is None, cleaned.text[:60]
        assert cleaned.removed[0].where == "start"


def test_tag_list_and_columnist_block_are_cut(day: list[Article]) -> None:
    state, own = _learned(day, "3alyoum")
    tagged = [a for a in own if "سمات" in a.text[-200:]]
    assert tagged
    assert sum("سمات" in clean_article(a, state).text[-200:] for a in tagged) <= 1
    state, own = _learned(day, "almadina")
    sms = [a for a in own if "للتواصل مع الكاتب" in a.text]
    assert sms
    for article in sms:
        assert "للتواصل مع الكاتب" not in clean_article(article, state).text


def test_a_quoted_sentence_is_the_articles_own(day: list[Article]) -> None:
    state, own = _learned(day, "alweeam")
    article = own[0]
    # The link sentence quoted once in the middle of a body stays; only the end is cut.
    quote = "رابط الخبر بصحيفة الوئام: " + own[1].title
    lines = article.text.split("\n")
    body = "\n".join([lines[0], quote + " قال المتحدث.", *lines[1:]])
    cleaned = clean_article(replace(article, text=body), state)
    assert quote in cleaned.text
    # A sentence two articles share at their end is not furniture.
    fresh = SourceFurniture()
    shared = "وختم المتحدث بأن اللجنة ستعلن النتائج الأسبوع المقبل في مؤتمر صحفي."
    others = [a for a in day if a.source == "okaz"][:40]
    texts = [a.text + ("\n" + shared if i < 2 else "") for i, a in enumerate(others)]
    for a, text in zip(others, texts, strict=True):
        fresh.observe(text, a.title)
    for a, text in zip(others[:2], texts[:2], strict=True):
        assert clean_article(replace(a, text=text), fresh).text == text


def test_cleaning_never_compounds(day: list[Article]) -> None:
    state, own = _learned(day, "sabq")
    once = clean_article(own[0], state)
    twice = clean_article(once, state)
    assert twice.text == once.text and twice.original_text == own[0].text


@pytest.mark.parametrize(
    ("source", "field", "author", "dateline", "credit"),
    [
        (
            "okaz",
            "عبدالله الغامدي (الرياض)، عبدالرحمن شار (صبيا)",
            "عبدالله الغامدي، عبدالرحمن شار",
            "الرياض، صبيا",
            None,
        ),
        ("okaz", "واس (جدة)", None, "جدة", "واس"),
        ("alweeam", "الرياض-الوئام:", None, "الرياض", "الوئام"),
        ("alweeam", "الوئام - رويترز:", None, None, "الوئام، رويترز"),
        ("aleqtisadiya", "«الاقتصادية» من الرياض", None, "الرياض", "الاقتصادية"),
        ("aleqtisadiya", "لندن : (رويترز)", None, "لندن", "رويترز"),
        ("aawsat", "لندن: رنيم حنوش", "رنيم حنوش", "لندن", None),
        ("aawsat", "القاهرة: «الشرق الأوسط أونلاين»", None, "القاهرة", "الشرق الأوسط أونلاين"),
        ("sabq", "أحمد علي- سبق- القاهرة:", "أحمد علي", "القاهرة", "سبق"),
        ("aljazirah", "أبها - عبدالله الهاجري:", "عبدالله الهاجري", "أبها", None),
        ("almadina", "محمد عليان - ينبع", "محمد عليان", "ينبع", None),
        ("alriyadh", "الرياض - واس", None, "الرياض", "واس"),
        ("alweeam", "الوئام - ا ف ب:", None, None, "الوئام، ا ف ب"),
        ("alwatan", "سطام المقرن", "سطام المقرن", None, None),
    ],
)
def test_byline_patterns_from_corpus_records(
    day: list[Article],
    source: str,
    field: str,
    author: str | None,
    dateline: str | None,
    credit: str | None,
) -> None:
    got = read_byline(field, source_names()[source])
    assert (got.author, got.dateline, got.credit) == (author, dateline, credit)


def test_every_author_of_a_day_is_a_name_or_nothing(day: list[Article]) -> None:
    cleaner = Cleaner()
    cleaned = [cleaner.learn_and_clean(a) for a in day]
    authors = [a.author for a in cleaned if a.author]
    assert authors
    assert not any(a[-1] in ":-–،." for a in authors)
    papers = set(source_names().values())
    assert not any(a in papers for a in authors)
    assert not any("رويترز" in a or a == "واس" for a in authors)
    assert sum(a.dateline is not None for a in cleaned) > len(cleaned) / 3


def test_briefs_are_captions_and_headlines_alone(day: list[Article]) -> None:
    cleaner = Cleaner()
    cleaned = [cleaner.learn_and_clean(a) for a in day]
    briefs = [a for a in cleaned if a.brief]
    assert 5 <= len(briefs) <= 60
    assert all(is_brief(a.text) for a in briefs)
    assert not any(is_brief(a.text) for a in cleaned if not a.brief)


def test_learning_is_kept_across_restarts(store: Store, day: list[Article]) -> None:
    own = [a for a in day if a.source == "alweeam"][:30]
    store.ensure_sources({"alweeam": "الوئام"})
    first = Cleaner.load(store)
    for article in own:
        first.learn_and_clean(article)
    first.save(store)
    again = Cleaner.load(store)
    assert again.state("alweeam").seen == 30
    assert clean_article(own[0], again.state("alweeam")).removed


def test_a_body_is_never_furniture_around_itself(day: list[Article]) -> None:
    state, own = _learned(day, "sabq")
    # A one-line article that is byline and statement: the byline goes, the statement stays.
    one_line = [a for a in own if "\n" not in a.text and len(a.text.split()) <= 40]
    for article in one_line:
        cleaned = clean_article(article, state)
        assert cleaned.text and len(cleaned.text.split()) >= len(article.text.split()) - 8
