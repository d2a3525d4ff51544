"""Extraction on real and saved pages: the CNN page, aggregator furniture, per-source rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import trafilatura

from marsad.ingest.extract import extract
from marsad.ingest.failures import FetchError
from marsad.ingest.quality import token_f1
from marsad.ingest.rules import Rules, SelectorError, css_to_xpath, rules_for, rules_from_data
from marsad.urls import canonical_url

PAGES = Path(__file__).parent.parent / "fixtures" / "ingest" / "pages"


@pytest.fixture(scope="module")
def cnn(shared_dir: Path) -> tuple[str, str, dict[str, object]]:
    folder = shared_dir / "pages" / "cnn_arabic_2013"
    html = (folder / "page.html").read_text("utf-8")
    expected = (folder / "expected_text.txt").read_text("utf-8")
    return html, expected, json.loads((folder / "expected_metadata.json").read_text("utf-8"))


def test_cnn_page_text_title_and_date(cnn: tuple[str, str, dict[str, object]]) -> None:
    html, expected, meta = cnn
    url = str(meta["url"])
    found = extract(html, url, rules_for(url))
    assert token_f1(found.text, expected) >= 0.97
    assert found.title == meta["title"]
    assert canonical_url(found.url) == canonical_url(str(meta["canonical_link"]))
    assert found.language == "ar"
    # The page says "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)".
    assert found.published_at is not None
    assert found.published_at.isoformat() == "2013-08-28T14:00:00+04:00"
    assert found.image == meta["meta_img"]


def test_cnn_page_without_site_rules_still_drops_the_comment_rules(
    cnn: tuple[str, str, dict[str, object]],
) -> None:
    html, expected, meta = cnn
    found = extract(html, str(meta["url"]), Rules())
    assert token_f1(found.text, expected) >= 0.97
    assert "ترحب شبكة CNN بالنقاش" not in found.text


def test_plain_trafilatura_dates_the_cnn_page_wrong(
    cnn: tuple[str, str, dict[str, object]],
) -> None:
    # Why dates.py exists: trafilatura's date finder reads only the year from this page.
    html, _, meta = cnn
    plain = trafilatura.bare_extraction(html, url=str(meta["url"]), with_metadata=True)
    assert plain is not None
    assert plain.as_dict()["date"] != "2013-08-28"
    found = extract(html, str(meta["url"]))
    assert found.published_at is not None and found.published_at.date() == date(2013, 8, 28)


def test_aggregator_furniture_is_not_article_text() -> None:
    expect = json.loads((PAGES / "aggregator.furniture.json").read_text("utf-8"))
    html = (PAGES / "aggregator.furniture.html").read_text("utf-8")
    found = extract(html, "https://agg.example.com/page")
    assert canonical_url(found.url) == expect["url"]
    assert found.title == expect["title"]
    assert found.author == expect["author"]
    assert found.image == expect["image"]
    assert found.published_at is not None
    assert found.published_at.isoformat() == expect["published_at"]
    for text in expect["must"]:
        assert text in found.text, text
    for text in expect["must_not"]:
        assert text not in found.text, text
    assert found.text.startswith(expect["first_paragraph_starts"])  # byline repeat dropped
    assert found.text.count("\n\n") == len(expect["must"]) - 1  # one paragraph per block


def test_body_selector_rule_rescues_a_page_the_generic_extractor_gets_wrong() -> None:
    html = (PAGES / "rules.body.html").read_text("utf-8")
    wanted = "قررت وزارة التعليم تمديد فترة التسجيل"
    generic = extract(html, "https://odd.example.com/a/1")
    assert wanted not in generic.text  # the promo block wins without rules
    rules = rules_from_data({"body": "div.xq-7", "drop": [".ad"]})
    found = extract(html, "https://odd.example.com/a/1", rules)
    assert wanted in found.text and "إعلان ممول" not in found.text
    assert "عرض خاص" not in found.text


def test_page_without_article_text_is_refused() -> None:
    html = "<html><body><nav><a href='/'>الرئيسية</a></nav><footer>جميع الحقوق محفوظة</footer></body></html>"
    with pytest.raises(FetchError) as caught:
        extract(html, "https://x.example/empty")
    assert caught.value.reason == "no article text"


@pytest.mark.parametrize(
    ("selector", "xpath"),
    [
        ("div.body", ".//div[contains(concat(' ', normalize-space(@class), ' '), ' body ')]"),
        ("#main > p", ".//*[@id='main']/p"),
        ("article [itemprop=articleBody]", ".//article//*[@itemprop='articleBody']"),
        ("a, b", ".//a | .//b"),
    ],
)
def test_css_subset_translates_to_xpath(selector: str, xpath: str) -> None:
    assert css_to_xpath(selector) == xpath


def test_unsupported_selector_fails_at_configuration_time() -> None:
    with pytest.raises(SelectorError):
        rules_from_data({"body": "div:nth-child(2)"})


def test_site_rules_are_data_by_host() -> None:
    assert rules_for("http://arabic.cnn.com/2013/x.html").drop
    assert rules_for("https://unknown.example/x").empty
    own = rules_for("https://arabic.cnn.com/x", {"rules": {"body": "#x"}})
    assert own.body == "#x"
