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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from marsad.arabic.normalize import display_form
from marsad.arabic.stopwords import is_stopword, read_word_list
from marsad.arabic.tokenize import Token, tokens

_MAX_WORDS = 5
_NAME_STARTS = frozenset({"عبد", "ابو"})
_FUTURE = ("سي", "ست", "سن")
_PRONOUNS = ("ها", "هم", "هما", "هن", "كم")
_AFFIXED_MIN = 5
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


@dataclass
class _Candidate:
    """One phrase (grouped on its key) with the evidence for its score."""

    words: tuple[str, ...]
    count: int = 0
    first: int = 0
    in_title: bool = False
    places: list[Sequence[tuple[int, Token]]] = field(default_factory=list)
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
    candidates: dict[tuple[str, ...], _Candidate] = {}
    offset = 0
    for part, is_title in ((title, True), (text, False)):
        shown = display_form(part)
        found = tokens(shown, known)
        for run in _runs(shown, found):
            _collect(run, candidates, offset, is_title)
        offset += len(found)
    _score(candidates, offset, df)
    return _pick(candidates, top)


def _runs(shown: str, found: Sequence[Token]) -> list[list[tuple[int, Token]]]:
    """Stretches of Arabic words with no punctuation, stopword or clitic break inside."""
    connectors = _connectors()
    titles = _titles()
    runs: list[list[tuple[int, Token]]] = []
    current: list[tuple[int, Token]] = []
    previous_end = 0
    for index, token in enumerate(found):
        gap = shown[previous_end : token.start]
        previous_end = token.end
        joined = not gap.strip() and "\n" not in gap
        clitic = token.prefix not in ("", "ال")
        if not joined or clitic or token.kind != "arabic":
            _close(current, runs)
            current = []
        if token.kind != "arabic":
            continue
        if (is_stopword(token.match) and token.match not in connectors) or _verb_like(token):
            _close(current, runs)
            current = []
            continue
        if current and (
            token.match in titles or (token.match in _NAME_STARTS and current[-1][1].prefix)
        ):
            # "أمير قطر الشيخ تميم": an honorific opens a new name, it never continues one;
            # nor does "عبد" after a definite word ("الرئيس المصري عبد الفتاح السيسي").
            _close(current, runs)
            current = []
        current.append((index, token))
    _close(current, runs)
    return runs


def _verb_like(token: Token) -> bool:
    """A future-tense verb ("سيقود") or a word carrying an object/possessive pronoun ("تبذلها")."""
    word = token.match
    if len(word) < _AFFIXED_MIN or token.prefix.endswith(_ARTICLES):
        return False
    return word.startswith(_FUTURE) or word.endswith(_PRONOUNS)


def _close(run: list[tuple[int, Token]], runs: list[list[tuple[int, Token]]]) -> None:
    """Keep a finished run if it holds a word."""
    if run:
        runs.append(run)


def _collect(
    run: list[tuple[int, Token]],
    candidates: dict[tuple[str, ...], _Candidate],
    offset: int,
    is_title: bool,
) -> None:
    """Add every well-formed n-gram of one run to the candidates."""
    for i in range(len(run)):
        if not _may_start(run, i):
            continue
        for j in range(i, min(i + _MAX_WORDS, len(run))):
            if not _may_end(run[j][1]):
                continue
            words = tuple(token.match for _, token in run[i : j + 1])
            candidate = candidates.get(words)
            if candidate is None:
                candidate = candidates[words] = _Candidate(words, first=offset + run[i][0])
            candidate.count += 1
            candidate.in_title |= is_title
            candidate.named |= i > 0 and run[i - 1][1].match in _titles()
            candidate.places.append(run[i : j + 1])


def _may_start(run: list[tuple[int, Token]], i: int) -> bool:
    """A phrase starts on a content word; a title only before a definite word ("الرئيس المصري")."""
    word = run[i][1].match
    if word in _connectors() and word not in ("عبد", "ابو"):
        return False
    if len(word) < 2:
        return False
    if word in _titles():
        return i + 1 < len(run) and run[i + 1][1].prefix == "ال"
    return True


def _may_end(token: Token) -> bool:
    """A phrase ends on a content word: not a name connector, not a one-letter word."""
    return token.match not in _connectors() and len(token.match) >= 2


def _surface(run: Sequence[tuple[int, Token]]) -> str:
    """Display form of a phrase: surfaces joined, conjunctions and prepositions removed."""
    first = run[0][1]
    words = [_drop_clitics(first), *(token.surface for _, token in run[1:])]
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
    weights = _word_weights(candidates)
    connectors = _connectors()
    for words, candidate in candidates.items():
        own = max(candidate.count - inside.get(words, 0), 0)
        content = [w for w in words if w not in connectors] or list(words)
        repeated = candidate.count >= 2 or len(content) < len(words) or candidate.named
        if len(content) >= 3 and not repeated:
            candidate.score = 0.0
            continue
        frequency = math.log1p(own + 0.3 * (candidate.count - own))
        cohesion = sum(weights[w] for w in content) / len(content)
        rarity = sum(_rarity(w, df) for w in content) / len(content)
        position = 1.0 + 1.0 / (1.0 + candidate.first / max(total, 1) * 10)
        length = 1.0 + (0.6 if repeated else 0.1) * (len(content) - 1)
        title = 1.5 if candidate.in_title else 1.0
        name = 1.3 if candidate.named and len(words) > 1 else 1.0
        candidate.score = (frequency + cohesion) * rarity * position * length * title * name


def _word_weights(
    candidates: dict[tuple[str, ...], _Candidate],
) -> dict[str, float]:
    """Weight of each word: how often the article uses it."""
    counts: Counter[str] = Counter()
    for words, candidate in candidates.items():
        if len(words) == 1:
            counts[words[0]] += candidate.count
    weights = {}
    for word in {w for words in candidates for w in words}:
        weights[word] = math.log1p(counts.get(word, 1))
    return weights


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


def _rarity(word: str, df: DocumentFrequencies | None) -> float:
    """How specific a word is: its IDF over the corpus, scaled to at most 1 (1 with no corpus)."""
    if df is None or df.documents == 0:
        return 1.0
    return math.sqrt(df.idf(word) / (math.log(df.documents + 1) + 1.0))


def _pick(candidates: dict[tuple[str, ...], _Candidate], top: int) -> list[str]:
    """The best candidates, none inside or around another, shown in their commonest form."""
    ranked = sorted(candidates.values(), key=lambda c: (-c.score, c.first))
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
