"""Clitic-aware tokenization on real text."""

from __future__ import annotations

from marsad.arabic import matching_form, tokens, words


def _by_surface(text: str) -> dict[str, tuple[str, str]]:
    return {t.surface: (t.prefix, t.match) for t in tokens(text)}


def test_seed_clitics_peel(seed_article: str) -> None:
    split = _by_surface(seed_article)
    assert split["والرئيس"] == ("وال", "رئيس")
    assert split["بغزة"] == ("ب", "غزه")  # غزة stands alone elsewhere in the text
    assert split["وقطر"] == ("و", "قطر")
    assert split["للتوصل"] == ("لل", "توصل")
    assert split["لوقف"] == ("ل", "وقف")
    assert split["بالتهدئة"] == ("بال", "تهدئه")
    assert split["الأميركية"] == ("ال", "اميركيه")


def test_seed_names_keep_their_first_letters(seed_article: str) -> None:
    split = _by_surface(seed_article)
    for name in ("بايدن", "بيرنز", "وليم", "واشنطن", "وكالة", "بين"):
        assert split[name][0] == "", name
    assert split["آل"] == ("", "ال")  # the family word is not the article
    assert split["الذي"] == ("", "الذي")


def test_surface_is_display_form_and_offsets_point_into_it() -> None:
    text = "قال المسؤولُ\u200f إن الولایات المتحدة ستدعم مصر."
    found = tokens(text)
    assert [t.surface for t in found][:2] == ["قال", "المسؤولُ"]
    assert found[1].match == "مسؤول"
    assert found[3].match == "ولايات" and found[3].surface == "الولایات"
    shown = "قال المسؤولُ إن الولایات المتحدة ستدعم مصر."
    assert all(shown[t.start : t.end] == t.surface for t in found)


def test_latin_words_and_digits_are_tokens() -> None:
    found = tokens("كشف مصدر لـCNN أن وكالة CIA دفعت ٣٫٥ مليون دولار عام 2023")
    kinds = {t.surface: (t.kind, t.match) for t in found}
    assert kinds["CNN"] == ("latin", "cnn")
    assert kinds["CIA"] == ("latin", "cia")
    assert kinds["٣٫٥"][0] == "number"
    assert kinds["2023"] == ("number", "2023")
    assert words("عام ٢٠٢٣") == ["عام", "2023"]


def test_diacritized_words_match_bare_words() -> None:
    assert words("وَلِلْمُسْلِمِينَ فِي غَزَّةَ") == words("وللمسلمين في غزة")
    assert words("بالمدرسة") == ["مدرسه"]


def test_known_vocabulary_lets_one_letter_clitics_peel() -> None:
    assert tokens("ببذل")[0].match == "ببذل"
    assert tokens("ببذل", known={"بذل"})[0].match == "بذل"
    assert tokens("غزة بغزة", known={"بذل"})[1].match == "غزه"


def test_corpus_matches_are_matching_forms(corpus_articles: list[dict[str, str]]) -> None:
    total = 0
    for article in corpus_articles[:50]:
        for token in tokens(article["content"]):
            total += 1
            assert token.match, token
            assert matching_form(token.match) == token.match
            assert matching_form(token.surface).endswith(token.match)
            assert token.prefix + token.match == matching_form(token.surface)
    assert total > 5000
