"""Arabic keyphrases (كلمات دلالية): names, places and topical phrases, best first.

Stages, in order:
1. tokenize title and text with clitic peeling (marsad.arabic.tokenize);
2. cut the token stream into runs where a phrase may lie: punctuation, numbers, Latin words,
   stopwords and words carrying a conjunction or preposition (و ف ب ك ل) end a run, so
   "مصر وقطر" gives two phrases and "اتفاق لوقف إطلاق النار" gives "وقف إطلاق النار";
3. every n-gram of a run that neither starts nor ends with a function word is a candidate,
   grouped on its matching form without articles ("الرئيس"/"رئيس"/"والرئيس" are one);
4. score: occurrences (minus those inside a longer candidate), position of first mention,
   title, phrase length and, when document frequencies are given, rarity in the corpus;
5. pick greedily, folding a short form into the full form it was introduced with
   ("بايدن" → "جو بايدن") and skipping phrases inside or around one already picked.
Phrases are shown in their most frequent surface form, clitics but the article removed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from marsad.arabic.normalize import display_form
from marsad.arabic.stopwords import read_word_list, stopword_set
from marsad.arabic.tokenize import Token, tokens
from marsad.arabic.verbs import is_verb

_MAX_WORDS = 5
_NAME_STARTS = frozenset({"عبد", "ابو"})
_ADVERBIAL = "\u064b"  # fathatan, the accusative tanween
_ARTICLES = ("ال", "لل")
_MARKS = frozenset(chr(c) for c in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, 0x0640])


@dataclass
class DocumentFrequencies:
    """How many stored articles hold each matching-form word; built and updated by the pipeline."""

    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, title: str, text: str) -> None:
        """Count the distinct words of one more article."""
        self.add_words(
            t.match for t in tokens(f"{title}\n{text}", self.counts) if t.kind != "number"
        )

    def add_words(self, words: Iterable[str]) -> None:
        """Count one more article given its matching-form words."""
        self.documents += 1
        for word in set(words):
            self.counts[word] = self.counts.get(word, 0) + 1

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency of a matching-form word (1.0 with no articles)."""
        if self.documents == 0:
            return 1.0
        return math.log((self.documents + 1) / (self.counts.get(word, 0) + 1)) + 1.0

    @classmethod
    def from_texts(cls, texts: Iterable[tuple[str, str]]) -> DocumentFrequencies:
        """Document frequencies of many (title, text) pairs."""
        frequencies = cls()
        for title, text in texts:
            frequencies.add(title, text)
        return frequencies


_Place = tuple[Sequence[tuple[int, Token]], int, int]


@dataclass(slots=True)
class _Candidate:
    """One phrase (grouped on its key) with the evidence for its score."""

    words: tuple[str, ...]
    count: int = 0
    first: int = 0
    in_title: bool = False
    places: list[_Place] = field(default_factory=list)  # (run, start, end) of each use
    named: bool = False  # introduced by an honorific ("الشيخ تميم"), so a person's name
    score: float = 0.0


@cache
def _connectors() -> frozenset[str]:
    """Words that join the parts of a name ("بن", "آل", "عبد", "أبو") inside a phrase."""
    return read_word_list("name_connectors.txt")


@cache
def _titles() -> frozenset[str]:
    """Honorifics and ranks ("الرئيس", "الشيخ") that introduce a name but are not part of it."""
    return read_word_list("honorifics.txt")


def extract_keyphrases(
    title: str,
    text: str,
    *,
    top: int = 10,
    df: DocumentFrequencies | None = None,
) -> list[str]:
    """Up to `top` keyphrases of an article, best first, in display form."""
    known = df.counts if df is not None else None
    shown_title = display_form(title)
    # One tokenization of title and text together: the title's words count as the text's own
    # vocabulary for clitic peeling, and the fixed cost of a tokens() call is paid once.
    shown = display_form(f"{title}\n{text}")  # the offsets of the tokens point here
    found = tokens(shown, known, displayed=True)
    title_end = len(shown_title) if shown.startswith(shown_title) else 0
    candidates: dict[tuple[str, ...], _Candidate] = {}
    _collect(_runs(shown, found, known), candidates, title_end)
    _score(candidates, len(found), df)
    return _pick(candidates, top)


def _runs(
    shown: str, found: Sequence[Token], known: Mapping[str, int] | None
) -> list[list[tuple[int, Token]]]:
    """Stretches of Arabic words with no punctuation, stopword, verb or clitic break inside."""
    titles = _titles()
    breaks = _breaks(found, known)
    runs: list[list[tuple[int, Token]]] = []
    current: list[tuple[int, Token]] = []
    previous_end = 0
    for index, token in enumerate(found):
        if token.start == previous_end + 1 and shown[previous_end] == " ":
            split = False  # the common case: one space between two words
        else:
            gap = shown[previous_end : token.start]
            split = bool(gap.strip()) or "\n" in gap
        previous_end = token.end
        if (split or token.prefix not in ("", "ال")) and current:
            runs.append(current)
            current = []
        if token.kind != "arabic" or token.match in breaks or _ADVERBIAL in token.surface:
            # An accusative tanween marks an adverbial ("استعداداً", "تاريخيًا"): no topic.
            if current:
                runs.append(current)
                current = []
            continue
        if current and (
            token.match in titles
            or (token.match in _NAME_STARTS and current[-1][1].prefix)
            or _after_definite(current[-1][1], token, titles)
        ):
            # "أمير قطر الشيخ تميم": an honorific opens a new name, it never continues one;
            # nor does "عبد" after a definite word ("الرئيس المصري عبد الفتاح السيسي").
            runs.append(current)
            current = []
        current.append((index, token))
    if current:
        runs.append(current)
    return runs


def _after_definite(previous: Token, token: Token, titles: frozenset[str]) -> bool:
    """An indefinite word after a definite one starts a new noun phrase.

    Adjectives agree with their noun in definiteness and a construct's head never takes the
    article, so "الخارجية محمد جواد ظريف" and "الإيراني حسن روحاني" are two phrases each. Name
    connectors ("عبد الله آل سعود") and honorifics before a name ("مطار الملك خالد") continue it.
    """
    return (
        previous.prefix == "ال"
        and token.prefix == ""
        and previous.match not in titles
        and token.match not in _connectors()
    )


def _breaks(found: Sequence[Token], known: Mapping[str, int] | None) -> set[str]:
    """The text's words that end a run: stopwords (but name connectors) and verbs."""
    definite = {t.match for t in found if t.prefix.endswith(_ARTICLES)}
    plain = {t.match for t in found if t.kind == "arabic"} - definite
    breaks = (plain | definite) & stopword_set()
    breaks -= _connectors()
    # A word the text also writes with the article is a noun here ("التقدم").
    breaks.update(word for word in plain - breaks if is_verb(word, known))
    return breaks


def _collect(
    runs: list[list[tuple[int, Token]]],
    candidates: dict[tuple[str, ...], _Candidate],
    title_end: int,
) -> None:
    """Add every well-formed n-gram of the runs to the candidates."""
    connectors = _connectors()
    titles = _titles()
    texts = [[token.match for _, token in run] for run in runs]
    pairs = Counter(pair for matches in texts for pair in pairwise(matches))
    for run, matches in zip(runs, texts, strict=True):
        is_title = run[0][1].start < title_end
        size = len(matches)
        ends = [len(word) >= 2 and word not in connectors for word in matches]
        # A phrase of three words or more scores only if it is repeated (then every pair of
        # its words is), named, or joined by a connector: the others are not worth building.
        repeated = [pairs[pair] >= 2 for pair in pairwise(matches)]
        for i, word in enumerate(matches):
            if len(word) < 2 or (word in connectors and word not in _NAME_STARTS):
                continue
            if word in titles and not (i + 1 < size and run[i + 1][1].prefix == "ال"):
                continue  # a title starts a phrase only before a definite word ("الرئيس المصري")
            named = i > 0 and matches[i - 1] in titles
            joined = named or word in connectors
            chained = True
            for j in range(i, min(i + _MAX_WORDS, size)):
                if j > i:
                    chained = chained and repeated[j - 1]
                    joined = joined or matches[j] in connectors
                if not ends[j] or (j - i >= 2 and not (chained or joined)):
                    continue
                _add(candidates, tuple(matches[i : j + 1]), (run, i, j + 1), is_title, named)


def _add(
    candidates: dict[tuple[str, ...], _Candidate],
    words: tuple[str, ...],
    place: _Place,
    is_title: bool,
    named: bool,
) -> None:
    """Count one use of a phrase."""
    candidate = candidates.get(words)
    if candidate is None:
        candidate = candidates[words] = _Candidate(words, first=place[0][place[1]][0])
    candidate.count += 1
    candidate.in_title |= is_title
    candidate.named |= named
    candidate.places.append(place)


def _surface(place: _Place) -> str:
    """Display form of one use of a phrase: surfaces joined, conjunctions/prepositions removed."""
    run, start, end = place
    words = [_drop_clitics(run[start][1]), *(token.surface for _, token in run[start + 1 : end])]
    return " ".join(words)


def _drop_clitics(token: Token) -> str:
    """The surface without its conjunction or preposition letters; the article stays."""
    keep_article = token.prefix.endswith(_ARTICLES)
    letters = len(token.prefix) - (2 if keep_article else 0)
    if token.prefix.endswith("لل"):
        # لل is ل + ال with the article's alef dropped: show it as ال.
        letters = len(token.prefix) - 1
        return "ا" + _skip_letters(token.surface, letters)
    return _skip_letters(token.surface, letters)


def _skip_letters(surface: str, letters: int) -> str:
    """Surface after its first `letters` letters (diacritics on them go too)."""
    position = 0
    while letters > 0 and position < len(surface):
        position += 1
        if surface[position - 1] not in _MARKS:
            letters -= 1
    while position < len(surface) and surface[position] in _MARKS:
        position += 1
    return surface[position:]


def _score(
    candidates: dict[tuple[str, ...], _Candidate], total: int, df: DocumentFrequencies | None
) -> None:
    """Score every candidate in place."""
    inside = _counts_inside_longer(candidates)
    weights, rarities = _word_values(candidates, df)
    connectors = _connectors()
    scale = 10 / max(total, 1)
    for words, candidate in candidates.items():
        content = words
        if not connectors.isdisjoint(words):
            content = tuple(w for w in words if w not in connectors) or words
        repeated = candidate.count >= 2 or len(content) < len(words) or candidate.named
        if len(content) >= 3 and not repeated:
            continue  # score stays 0: a one-off long phrase is a chunk of a sentence
        own = max(candidate.count - inside.get(words, 0), 0)
        frequency = math.log1p(own + 0.3 * (candidate.count - own))
        if len(content) == 1:  # most candidates: skip the generator machinery
            cohesion, rarity = weights[content[0]], rarities[content[0]]
        else:
            cohesion = sum(weights[w] for w in content) / len(content)
            rarity = sum(rarities[w] for w in content) / len(content)
        position = 1.0 + 1.0 / (1.0 + candidate.first * scale)
        length = 1.0 + (0.6 if repeated else 0.1) * (len(content) - 1)
        title = 1.5 if candidate.in_title else 1.0
        name = 1.3 if candidate.named and len(words) > 1 else 1.0
        candidate.score = (frequency + cohesion) * rarity * position * length * title * name


def _word_values(
    candidates: dict[tuple[str, ...], _Candidate], df: DocumentFrequencies | None
) -> tuple[dict[str, float], dict[str, float]]:
    """Per word: its weight (how often the article uses it) and its rarity in the corpus."""
    counts: Counter[str] = Counter()
    for words, candidate in candidates.items():
        if len(words) == 1:
            counts[words[0]] += candidate.count
    vocabulary = {w for words in candidates for w in words}
    weights = {word: math.log1p(counts.get(word, 1)) for word in vocabulary}
    if df is None or df.documents == 0:
        return weights, dict.fromkeys(vocabulary, 1.0)
    # The IDF scaled to at most 1: log((N + 1) / (n + 1)) + 1 over its largest value.
    top = math.log(df.documents + 1) + 1.0
    get = df.counts.get
    rarities = {word: math.sqrt((top - math.log(get(word, 0) + 1)) / top) for word in vocabulary}
    return weights, rarities


def _counts_inside_longer(
    candidates: dict[tuple[str, ...], _Candidate],
) -> dict[tuple[str, ...], int]:
    """For each candidate, the most occurrences any one longer candidate takes from it."""
    inside: dict[tuple[str, ...], int] = {}
    for words, candidate in candidates.items():
        if len(words) < 2 or candidate.count < 2:
            continue
        for n in range(1, len(words)):
            for i in range(len(words) - n + 1):
                part = words[i : i + n]
                if part in candidates:
                    inside[part] = max(inside.get(part, 0), candidate.count)
    return inside


def _pick(candidates: dict[tuple[str, ...], _Candidate], top: int) -> list[str]:
    """The best candidates, none inside or around another, shown in their commonest form."""
    ranked = sorted(
        (c for c in candidates.values() if c.score > 0), key=lambda c: (-c.score, c.first)
    )
    names = [c for c in candidates.values() if _is_name(c)]
    picked: list[_Candidate] = []
    for candidate in ranked:
        if len(picked) >= top or candidate.score <= 0:
            break
        candidate = _full_name(candidate, names)
        if any(_overlaps(candidate.words, other.words) for other in picked):
            continue
        picked.append(candidate)
    return [Counter(map(_surface, c.places)).most_common(1)[0][0] for c in picked]


def _is_name(candidate: _Candidate) -> bool:
    """Whether a candidate reads as a person's full name (after an honorific, or with بن/عبد)."""
    if len(candidate.words) < 2:
        return False
    return candidate.named or any(w in _connectors() for w in candidate.words)


def _full_name(candidate: _Candidate, names: list[_Candidate]) -> _Candidate:
    """The full name a short form was introduced with ("بايدن" → "جو بايدن"), or itself."""
    best = candidate
    for name in names:
        if (
            len(name.words) > len(best.words)
            and name.first <= candidate.first
            and _overlaps(candidate.words, name.words)
            and _contains(name.words, candidate.words)
        ):
            best = name
    return best


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """Whether short is a contiguous part of long."""
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one phrase holds the other, or the two share two words or more."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return _contains(long, short) or len(set(a) & set(b)) >= 2
