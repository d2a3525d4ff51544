"""Arabic stopwords in the matching form: the arabic-stopwords package plus news function words.

The word lists are data (marsad/arabic/data/*.txt); this module only loads and folds them.
Every check takes a matching-form word without clitic prefixes (Token.match).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from marsad.arabic.normalize import matching_form


def read_word_list(name: str) -> frozenset[str]:
    """Matching forms of the words in one data file of marsad/arabic/data (# starts a comment)."""
    text = resources.files("marsad.arabic").joinpath(f"data/{name}").read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(matching_form(word) for word in words if word)


@cache
def stopword_set() -> frozenset[str]:
    """All stopwords in the matching form, built on first use."""
    import arabicstopwords.arabicstopwords as package

    # The package lists every clitic form too ("وبأنه"); folding them all keeps a check on
    # an unpeeled word right as well.
    words = {matching_form(word) for word in package.stopwords_list()}
    words |= read_word_list("stopwords_news.txt")
    words -= read_word_list("not_stopwords.txt")
    # Single letters left over from clitic peeling or abbreviations carry no meaning.
    words |= set("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
    return frozenset(words)


@cache
def base_stopword_set() -> frozenset[str]:
    """Stopwords as lemmas (no clitic forms): words that tokenization never peels further."""
    import arabicstopwords.arabicstopwords as package

    words = {matching_form(word) for word in package.classed_stopwords_list()}
    words |= read_word_list("stopwords_news.txt")
    words -= read_word_list("not_stopwords.txt")
    return frozenset(words)


def is_stopword(match_word: str) -> bool:
    """Whether a matching-form word (clitics peeled) is a function word."""
    return match_word in stopword_set()
