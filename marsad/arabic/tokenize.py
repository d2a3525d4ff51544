"""Clitic-aware tokenization: surface words with their matching form and peeled prefixes.

Arabic writes the conjunctions و ف, the prepositions ب ك ل and the article ال (and لل, for
ل + ال) as prefixes of the next word. A token keeps what the publisher wrote (surface, in
display form) and gives the matching form of the word without those prefixes (match), so that
"وبالرئيس" and "الرئيس" match on "رئيس".

A one-letter prefix is ambiguous ("بغزة" is ب + غزة, "بايدن" is a name), so it is peeled only
when the rest is a known word: a stopword, a word starting with the article, or a word that
also stands alone in the same text (or in a `known` vocabulary the caller passes).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cache
from typing import NamedTuple

from marsad.arabic.normalize import display_form, matching_form, strip_diacritics
from marsad.arabic.stopwords import base_stopword_set, read_word_list

_ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_LATIN = "A-Za-z\u00c0-\u024f"
_TOKEN_RE = re.compile(
    rf"(?P<arabic>[{_ARABIC_LETTERS}][{_ARABIC_LETTERS}{_ARABIC_MARKS}]*)"
    rf"|(?P<latin>[{_LATIN}][{_LATIN}0-9]*(?:['’\-][{_LATIN}0-9]+)*)"
    r"|(?P<number>\d+(?:[.,٫٬]\d+)*)"
)
_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بكل"
_MIN_STEM = 2
# Derived nouns and imperfect verbs after و or ل/ب begin with these letters (تحقيق, مواجهة,
# يقول); words that start with the same letter pairs are rare enough to peel on the pattern.
_PATTERN_PEEL = {"و": "تمين", "ل": "تم", "ب": "تم"}
_PATTERN_MIN = 4
_CORPUS_MIN = 2


class Token(NamedTuple):
    """One word: surface as written, matching form without clitic prefixes, and the prefix."""

    surface: str
    match: str
    prefix: str
    kind: str  # "arabic", "latin" or "number"
    start: int  # offsets into display_form(text)
    end: int


@cache
def intrinsic_words() -> frozenset[str]:
    """Words whose first letters look like clitics but belong to the word, built on first use."""
    return read_word_list("clitic_intrinsic.txt") | base_stopword_set() | common_words()


@cache
def common_words() -> frozenset[str]:
    """Common news words that may follow a clitic, known even when a text has them only once."""
    return read_word_list("known_words.txt")


def tokens(
    text: str, known: Collection[str] | None = None, *, displayed: bool = False
) -> list[Token]:
    """Tokenize text into Arabic, Latin and number tokens, peeling Arabic clitics.

    `known` adds words (matching form) to the text's own standalone words when deciding
    whether a one-letter clitic comes off; given as corpus counts (word → documents), a rest
    must be much commoner than the whole word: "لقيادة" → "قيادة" but "وليم" stays whole.
    `displayed=True` says text is already in display form (offsets then point into it as is).
    """
    if not displayed:
        text = display_form(text)
    found = [(m[0], m.lastgroup or "arabic", m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    # A surface's kind follows from its first letter, so each distinct surface is folded and
    # peeled once, in the order of its first use.
    kinds = {surface: kind for surface, kind, _, _ in found}
    folded = dict(zip(kinds, _match_forms(list(kinds)), strict=True))
    own = _standalone_words(folded)
    vocabulary: Collection[str] = own
    if isinstance(known, Mapping):
        vocabulary = _Corpus(own, known)
    elif known is not None:
        vocabulary = _Union(own, known)
    intrinsic = intrinsic_words()
    parts: dict[str, tuple[str, str]] = {}  # surface -> (match, prefix)
    for surface, match in folded.items():
        if kinds[surface] == "arabic":
            prefix, match = peel(match, surface, vocabulary, intrinsic)
            parts[surface] = (match, prefix)
        else:
            parts[surface] = (match, "")
    # tuple.__new__ builds the named tuple in C; Token(...) runs namedtuple's Python-level
    # __new__, a measurable share of tokenizing an article's few hundred words.
    make = tuple.__new__
    return [
        make(Token, (surface, *parts[surface], kind, start, end))
        for surface, kind, start, end in found
    ]


class _Union(Collection[str]):
    """Membership in either of two collections, without copying a large vocabulary."""

    def __init__(self, first: Collection[str], second: Collection[str]) -> None:
        self._first = first
        self._second = second

    def __contains__(self, item: object) -> bool:
        return item in self._first or item in self._second

    def __iter__(self) -> Iterator[str]:
        yield from self._first
        yield from (item for item in self._second if item not in self._first)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Corpus(_Union):
    """A text's own words plus corpus words clearly commoner bare than with the clitic."""

    def __init__(self, own: Collection[str], counts: Mapping[str, int]) -> None:
        super().__init__(own, counts)
        self._counts = counts

    def peels(self, rest: str, word: str) -> bool:
        """Whether the corpus has rest alone much more often than word ("وقف" vs "لوقف")."""
        if rest in self._first:
            return True
        return self._counts.get(rest, 0) > 2 * self._counts.get(word, 0) + _CORPUS_MIN


def words(text: str) -> list[str]:
    """Matching-form words of text, clitic prefixes peeled (Latin lowercased, digits ASCII)."""
    return [token.match for token in tokens(text)]


def _match_forms(surfaces: list[str]) -> list[str]:
    """Matching forms of many words with one pass of matching_form over all of them."""
    # One call over the joined words is much faster than one call per word; a newline
    # survives every step of matching_form, so the split gives back one form per word.
    forms = matching_form("\n".join(surfaces)).split("\n") if surfaces else []
    if len(forms) != len(surfaces):  # pragma: no cover - defensive, NFKC never adds newlines
        return [matching_form(surface) for surface in surfaces]
    return [form.strip() for form in forms]


def _standalone_words(folded: dict[str, str]) -> set[str]:
    """Words of a text that stand alone: every form, and every form without its article."""
    vocabulary = set(folded.values())
    for surface, form in folded.items():
        if form.startswith("ال") and len(form) > 3 and _plain_alef(surface, 0):
            vocabulary.add(form[2:])
    return vocabulary


def _plain_alef(surface: str, position: int) -> bool:
    """Whether the letter at position of the undiacritized surface is a bare alef (not أ إ آ)."""
    if surface.isalpha() and "\u0640" not in surface:  # the common case: no marks at all
        return len(surface) > position and surface[position] == "ا"
    plain = strip_diacritics(surface).replace("\u0640", "")
    return len(plain) > position and plain[position] == "ا"


def peel(
    match: str, surface: str, known: Collection[str], intrinsic: Collection[str]
) -> tuple[str, str]:
    """Split a matching-form word into (clitic prefix, rest): و/ف, then ب/ك/ل, then ال or لل."""
    prefix, rest = "", match
    if len(rest) < 1 + _MIN_STEM or rest in intrinsic:
        return prefix, rest
    if rest[0] in _CONJUNCTIONS and _peelable(rest, known, intrinsic):
        prefix, rest = rest[0], rest[1:]
    if rest in intrinsic:
        return prefix, rest
    if (
        rest.startswith("لل")
        and len(rest) >= 2 + _MIN_STEM
        and not _is_known(rest[1:], rest, known)
    ):
        return prefix + "لل", rest[2:]
    if rest[0] in _PREPOSITIONS and _peelable(rest, known, intrinsic):
        prefix, rest = prefix + rest[0], rest[1:]
    if (
        rest.startswith("ال")
        and len(rest) >= 2 + _MIN_STEM
        and rest not in intrinsic
        and "ال" + rest not in known
        and _plain_alef(surface, len(prefix))
    ):
        prefix, rest = prefix + "ال", rest[2:]
    return prefix, rest


def _peelable(word: str, known: Collection[str], intrinsic: Collection[str]) -> bool:
    """Whether the first letter of word is a clitic: the rest is a word in its own right."""
    rest = word[1:]
    if len(rest) < _MIN_STEM:
        return False
    if rest.startswith("ال") and len(rest) >= 2 + _MIN_STEM:
        return True
    if rest in intrinsic or _is_known(rest, word, known):
        return True
    letters = _PATTERN_PEEL.get(word[0], "")
    return len(rest) >= _PATTERN_MIN and rest[0] in letters


def _is_known(rest: str, word: str, known: Collection[str]) -> bool:
    """Whether rest (word without its first letter) is a word of its own in the vocabulary."""
    if isinstance(known, _Corpus):
        return known.peels(rest, word)
    return rest in known


# Article prefixes, longest first: a conjunction or preposition may stand before ال, and
# ل + ال is written لل. Unlike one-letter clitics these are unambiguous enough to peel blind.
_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
_ARTICLE_REST = 2
_PLAIN_WORD_RE = re.compile(r"[^\W\d_]+")


def peel_article(word: str) -> str:
    """A matching-form word without a leading article (and a clitic before it), if enough stays."""
    for prefix in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _ARTICLE_REST:
            return word[len(prefix) :]
    return word


def plain_words(match_text: str) -> list[str]:
    """Letter-only words of a matching-form text with articles peeled: fast, context-free."""
    return [peel_article(word) for word in _PLAIN_WORD_RE.findall(match_text)]


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Standalone matching-form words of many texts, for `tokens(text, known=...)`."""
    found: dict[str, str] = {}
    for text in texts:
        surfaces = list(dict.fromkeys(m.group() for m in _TOKEN_RE.finditer(display_form(text))))
        found.update(zip(surfaces, _match_forms(surfaces), strict=True))
    return _standalone_words(found)
