"""Sentence, clause and paragraph splitting on real Arabic text."""

from __future__ import annotations

from marsad.arabic import paragraphs, split_clauses, split_sentences


def test_seed_sentences(seed_article: str) -> None:
    sentences = split_sentences(seed_article)
    assert len(sentences) == 16
    assert sentences[0].startswith("أفاد مسؤول أميركي")
    assert sentences[0].endswith("في غزة.")
    # The second article's headline has no full stop: its line break ends it.
    assert "وليم بيرنز سيقود الجانب الأميركي في محادثات التهدئة بغزة" in sentences
    assert all(s == s.strip() and s for s in sentences)


def test_abbreviations_decimals_and_quotes() -> None:
    text = (
        "قال د. محمد إن النمو بلغ 3.5 في المئة عام 2023 م. وأضاف: «هذا جيد. بل ممتاز!» "
        "ثم غادر؟ نعم، U.S. officials came. انتهى"
    )
    assert split_sentences(text) == [
        "قال د. محمد إن النمو بلغ 3.5 في المئة عام 2023 م. وأضاف: «هذا جيد. بل ممتاز!»",
        "ثم غادر؟",
        "نعم، U.S. officials came.",
        "انتهى",
    ]


def test_unclosed_quote_does_not_swallow_the_paragraph() -> None:
    text = "قال «إن الأمر انتهى. ثم مضى. وغادر."
    assert len(split_sentences(text)) == 3


def test_clauses_cut_at_arabic_commas_and_quotes() -> None:
    text = "قال المسؤول، في بيان، إن «الوضع صعب»؛ وأضاف أن الحل قريب."
    assert split_clauses(text) == [
        "قال المسؤول",
        "في بيان",
        "إن",
        "الوضع صعب",
        "وأضاف أن الحل قريب.",
    ]


def test_paragraphs_drop_blank_lines(seed_article: str) -> None:
    found = paragraphs(seed_article)
    assert len(found) == 9
    assert found[4] == "وليم بيرنز سيقود الجانب الأميركي في محادثات التهدئة بغزة"


def test_corpus_sentences_cover_the_text(corpus_articles: list[dict[str, str]]) -> None:
    for article in corpus_articles[:100]:
        text = article["content"]
        sentences = split_sentences(text)
        joined = "".join("".join(s.split()) for s in sentences)
        assert len(joined) >= 0.98 * len("".join(paragraphs(text)).replace(" ", ""))
