"""Arabic keyphrases (كلمات دلالية): names, places and topical phrases, best first.

Stages, in order:
1. tokenize title and text with clitic peeling (marsad.arabic.tokenize);
2. cut the token stream into runs where a phrase may lie: punctuation, numbers, Latin words,
   stopwords and words carrying a conjunction or preposition (و ف ب ك ل) end a run, so
   "مصر وقطر" gives two phrases and "اتفاق لوقف إطلاق النار" gives "وقف إطلاق النار";
3. every n-gram of a run that neither starts nor ends with a function word is a candidate,
   grouped on its matching form without articles ("الرئيس"/"رئيس"/"والرئيس" are one);
4. score: occurrences (minus those inside a longer candidate), position of first mention,
   title, phrase length and, when document frequencies are given, rarity in the corpus; a
   single word the news uses every day in every paper (common_words.txt) scores half;
5. pick greedily, folding a short form into the full form it was introduced with
   ("بايدن" → "جو بايدن") and skipping phrases inside or around one already picked.
Phrases are shown in their most frequent surface form, clitics but the article removed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import chain, pairwise
from operator import attrgetter, itemgetter

from marsad.arabic.normalize import display_form, strip_diacritics
from marsad.arabic.stopwords import read_word_list, stopword_set
from marsad.arabic.tokenize import Token, tokens
from marsad.arabic.verbs import is_verb, news_verbs, not_verbs, verbs_among

_MAX_WORDS = 5
_COMMON_ALONE = 0.5  # the score of a single common word (common_words.txt), relative
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
    organisation: bool = False  # opened by an organisation's head ("وزارة", "هيئة") and whole
    in_text: bool = False  # used in the text, not only in the title
    person: bool = False  # repeated, and its last word stands alone too, as surnames do
    surname: int = 0  # uses of its last word alone as a speaker's surname ("وقال شميتز")
    score: float = 0.0


KINDS = ("person", "place", "organisation", "topic")


@dataclass(frozen=True, slots=True)
class Keyphrase:
    """One tag of an article: display form, kind (person, place, organisation or topic) and the
    score it was picked with (comparable within one article only)."""

    display: str
    kind: str
    score: float


@cache
def _connectors() -> frozenset[str]:
    """Words that join the parts of a name ("بن", "آل", "عبد", "أبو") inside a phrase."""
    return read_word_list("name_connectors.txt")


@cache
def _titles() -> frozenset[str]:
    """Honorifics and ranks ("الرئيس", "الشيخ") that introduce a name but are not part of it."""
    return read_word_list("honorifics.txt")


@cache
def _org_heads() -> frozenset[str]:
    """Words that open an organisation's name ("وزارة", "هيئة", "صندوق"), clitics peeled."""
    return frozenset(_key(word)[0] for word in read_word_list("org_heads.txt"))


@cache
def _place_heads() -> frozenset[str]:
    """Words that open a place's name ("محافظة", "منطقة", "مدينة"), clitics peeled."""
    return frozenset(_key(word)[0] for word in read_word_list("place_heads.txt"))


# Buildings named after a person ("مسجد الإمام الشافعي", "مطار الملك خالد"): the name alone
# is the person, so the head stays on.
_BUILDINGS = frozenset({"مطار", "ميناء", "ساحه", "مسجد", "جامع"})


@cache
def _area_heads() -> frozenset[str]:
    """The place heads of areas ("محافظة", "مدينة"): what follows is a place of its own."""
    return _place_heads() - _BUILDINGS


@cache
def _never() -> frozenset[str]:
    """Formulas, pronoun-suffixed honorifics and generic nouns: never a tag, nor its edge."""
    return frozenset(k[0] for k in map(_key, read_word_list("never_tags.txt")) if len(k) == 1)


@cache
def _never_phrases() -> frozenset[tuple[str, ...]]:
    """Whole phrases that are never a tag ("خادم الحرمين الشريفين", "ولي العهد")."""
    return frozenset(k for k in map(_key, read_word_list("never_tags.txt")) if len(k) > 1)


@cache
def _first_names() -> frozenset[str]:
    """Given names the corpus writes before "بن" ("سعيد", "راشد"), common words as they are."""
    return read_word_list("first_names.txt")


@cache
def _speech_verbs() -> frozenset[str]:
    """Reporting verbs a speaker's surname follows ("وقال شميتز", "وأوضح النفيعي")."""
    return read_word_list("speech_verbs.txt")


@cache
def _common_words() -> frozenset[str]:
    """Words common on every day and in every paper (bench/common_words.py), CLDR places
    left out: alone, such a word is seldom an editor's tag."""
    places = {key[0] for key in place_names() if len(key) == 1}
    return read_word_list("common_words.txt") - places


@cache
def _title_words() -> frozenset[str]:
    """The honorifics and ranks with clitics peeled, as candidate words are."""
    return frozenset(_key(word)[0] for word in _titles())


@lru_cache(maxsize=4096)
def _key(phrase: str) -> tuple[str, ...]:
    """A phrase as candidates are keyed: matching-form words, clitics and article peeled."""
    return tuple(t.match for t in tokens(phrase) if t.kind == "arabic") or ("",)


_BODIES = frozenset({"UN", "EU", "EZ"})  # CLDR territory codes of organisations, no places


@cache
def _cldr_bodies() -> frozenset[tuple[str, ...]]:
    """The organisations CLDR lists among territories, keyed as candidates are."""
    from babel import Locale

    territories = Locale("ar").territories
    return frozenset(_key(territories[code]) for code in _BODIES if code in territories)


@cache
def _cldr_names() -> frozenset[str]:
    """Arabic names of countries and time-zone cities in the Unicode CLDR (babel)."""
    from babel import Locale

    locale = Locale("ar")
    # Not the bodies CLDR lists among territories ("الأمم المتحدة", "الاتحاد الأوروبي").
    names = {name for code, name in locale.territories.items() if code not in _BODIES}
    names.update(str(zone["city"]) for zone in locale.time_zones.values() if zone.get("city"))
    return frozenset(names)


@cache
def place_names() -> frozenset[tuple[str, ...]]:
    """Countries and cities in Arabic from the Unicode CLDR (the babel package): territory names
    and the time-zone cities, keyed as candidates are ("الهند" → ("هند",)); and the cities the
    corpus names after a head (corpus_places.txt)."""
    names = _cldr_names()
    keys = {_key(name) for name in names if not any(c.isdigit() for c in name)}
    # Cities and provinces CLDR lacks ("جدة", "الخرج", "حلب"), as the corpus writes them after a
    # city's or province's head ("محافظة الخرج"): bench/corpus_places.py.
    keys.update((word,) for word in read_word_list("corpus_places.txt"))
    return frozenset(k for k in keys if k != ("",))


@cache
def _bare_places() -> frozenset[tuple[str, ...]]:
    """One-word CLDR places never written with the article ("مالي", "تشاد"): with it, the
    word is an adjective ("المالي", financial)."""
    names = _cldr_names()
    bare = {_key(name) for name in names if " " not in name and not name.startswith("ال")}
    definite = {_key(name) for name in names if name.startswith("ال")}
    corpus = {(word,) for word in read_word_list("corpus_places.txt")}
    return frozenset(bare - definite - corpus)


def _adjective_not_place(candidate: _Candidate) -> bool:
    """Whether a one-word place name is written with the article in every use although the
    place never takes it: "المالي" is financial, not Mali."""
    return candidate.words in _bare_places() and all(
        run[start][1].prefix.endswith(_ARTICLES) for run, start, _ in candidate.places
    )


@cache
def _place_words() -> frozenset[str]:
    """Known words for clitic peeling: the words of CLDR place names ("بحلب" is ب + حلب), the
    heads of organisations' and places' names and the titles ("وهيئة" is و + هيئة)."""
    # Not the particles of long names ("دا" of "تريستان دا كونا"): "بدأ" is no ب + "دا".
    words = {word for key in place_names() for word in key if len(key) == 1 or len(word) > 2}
    # Everyday news words and given names too: "لرعاية" is ل + رعاية, "وباسم" is و + باسم, so
    # a clitic never glues a word into the phrase before it ("باسمه وباسم أعضاء").
    common, given = _common_words(), _first_names()
    places = set(words)
    # A three-letter rest is too often a word's own letters ("وحدة" is no و + "حدة").
    words |= {word for word in common if len(word) >= 4}
    words |= given | _org_heads() | _place_heads() | _title_words()
    # But a given name is never a clitic and a rest: "فيصل" is no ف + "يصل".
    words -= {name[1:] for name in given if name[:1] in "وفبلك"} - places
    return frozenset(words)


def extract_keyphrases(
    title: str,
    text: str,
    *,
    top: int = 10,
    df: DocumentFrequencies | None = None,
    source: str | None = None,
) -> list[str]:
    """Up to `top` keyphrases of an article, best first, in display form (`source`: the
    publisher's name, never a tag of its own articles)."""
    return [k.display for k in extract_tags(title, text, top=top, df=df, source=source)]


def extract_tags(
    title: str,
    text: str,
    *,
    top: int = 10,
    df: DocumentFrequencies | None = None,
    source: str | None = None,
) -> list[Keyphrase]:
    """Up to `top` tags of an article with their kinds, best first."""
    known = df.counts if df is not None else None
    shown_title = display_form(title)
    # One tokenization of title and text together: the title's words count as the text's own
    # vocabulary for clitic peeling, and the fixed cost of a tokens() call is paid once.
    shown = display_form(f"{title}\n{text}")  # the offsets of the tokens point here
    found = tokens(shown, known if known is not None else _place_words(), displayed=True)
    if known is None:
        found = _peel_short(found)
    title_end = len(shown_title) if shown.startswith(shown_title) else 0
    candidates: dict[tuple[str, ...], _Candidate] = {}
    breaks = _breaks(found, known)
    matches = [token.match for token in found]  # once, for the stages that scan the words
    surnames = _surnames(shown, found, matches, breaks)
    runs, named_runs = _runs(shown, found, breaks, surnames)
    _collect(runs, named_runs, candidates, title_end, surnames)
    _collect_organisations(shown, found, matches, breaks, candidates, title_end)
    places = _text_places(candidates)  # "أبوظبي" of "إمارة أبوظبي", which CLDR lacks
    _score(candidates, len(found), df, surnames, places)
    _lower_formula_names(candidates, found, matches, title_end)
    return [
        Keyphrase(display, _kind(c, places), round(c.score, 4))
        for c, display in _pick(candidates, top, _Junk(source, candidates, found), places)
    ]


_FORMULA = ("خادم", "حرمين", "شريفين")
_HEIRS = (("ولي", "عهد"), ("ولي", "ولي", "عهد"))  # the offices written after the name
_FORMULA_NAMED = 0.3  # the score of a name the ritual formula alone gives, relative
# What the formula's titles hold besides the honorifics ("صاحب السمو الملكي الأمير").
_ROYAL_STYLE = frozenset({"سمو", "ملكي"})
_FORMULA_STARTS = frozenset({"خادم", "ولي"})


def _positions(words: list[str], wanted: frozenset[str]) -> list[int]:
    """The indexes of the words that are in `wanted`, in order: a set intersection and
    list.index find the few a text holds at C speed, with no Python loop over every word."""
    found: list[int] = []
    for word in wanted.intersection(words):
        k = words.index(word)
        while True:
            found.append(k)
            try:
                k = words.index(word, k + 1)
            except ValueError:
                break
    found.sort()
    return found


def _lower_formula_names(
    candidates: dict[tuple[str, ...], _Candidate],
    found: Sequence[Token],
    matches: list[str],
    title_end: int,
) -> None:
    """Lower the names the ritual formula alone gives ("بقيادة خادم الحرمين الشريفين الملك
    سلمان بن عبدالعزيز آل سعود", "ونائب خادم الحرمين الشريفين ... الأمير محمد بن نايف",
    "الأمير محمد بن سلمان ولي ولي العهد") in a story about someone else: the gold's rule 3
    makes them neither must nor junk, and they took the first five from the story's own
    people. A headline that names the formula, the office or the person makes the story his
    ("أبناء الملك الراحل عبدالله بن عبدالعزيز يدشنون", "ولي العهد يستقبل")."""
    starts: set[int] = set()  # where a name after the formula and its titles starts
    ends: set[int] = set()  # where a name before the heir's office ends
    for k in _positions(matches, _FORMULA_STARTS):  # most texts: none, found at C speed
        formula = tuple(matches[k : k + 3]) == _FORMULA
        office = any(tuple(matches[k : k + len(heir)]) == heir for heir in _HEIRS)
        if (formula or office) and found[k].start < title_end:
            return  # the headline's subject is the king or an heir
        if formula:
            after = k + 3
            while after < len(found) and (
                matches[after] in _title_words() or matches[after] in _ROYAL_STYLE
            ):
                after += 1
            starts.add(after)
        elif office and (k == 0 or matches[k - 1] != "ولي"):
            ends.add(k)
    if not (starts or ends):
        return
    formula_names = [
        words
        for words, candidate in candidates.items()
        if len(words) > 1
        and candidate.named
        and not candidate.in_title
        and all(
            run[start][0] in starts or run[end - 1][0] + 1 in ends
            for run, start, end in candidate.places
        )
    ]
    for words, candidate in candidates.items():
        if (
            len(words) > 1
            and not candidate.in_title
            and any(_contains(name, words) for name in formula_names)
        ):
            candidate.score *= _FORMULA_NAMED


_LIL_HAMZA = ("للأ", "للإ", "للآ")


def _peel_short(found: list[Token]) -> list[Token]:
    """Peel a conjunction or preposition off before a short everyday word the tokenizer kept
    whole ("بمكة" is ب + مكة, "بشحن" ب + شحن), unless the whole is an everyday word or a
    given name itself ("وحدة", "بدر")."""
    common = _common_words()
    given = _first_names()
    out = found
    definite: set[str] | None = None  # the words the text writes with the article
    for k, token in enumerate(found):
        word = token.match
        peeled: Token | None = None
        if token.prefix == "ل" and word[:1] == "ل" and token.surface.startswith(_LIL_HAMZA):
            # "للأزمة" is لل + "أزمة" (a hamza opens no word after "ل"), not ل + "لازمة".
            peeled = token._replace(match=word[1:], prefix="لل")
        elif token.prefix == "ل" and word[:1] == "ل" and word not in common and len(word) >= 4:
            # "للمتر" is لل + "متر" when the text writes "المتر" too, not ل + "لمتر".
            if definite is None:
                definite = {t.match for t in found if t.prefix == "ال"}
            if word[1:] in definite and strip_diacritics(token.surface).startswith("لل"):
                peeled = token._replace(match=word[1:], prefix="لل")
        if peeled is None and not (
            token.prefix
            or token.kind != "arabic"
            or not 4 <= len(word) <= 7
            or word[0] not in "وفبل"
            or word[1:] not in common
            or word in common
            or word in given
        ):
            peeled = token._replace(match=word[1:], prefix=word[0])
        if peeled is not None:
            if out is found:
                out = list(found)
            out[k] = peeled
    return out


def _runs(
    shown: str, found: Sequence[Token], breaks: set[str], surnames: Mapping[str, int]
) -> tuple[list[list[tuple[int, Token]]], set[int]]:
    """Stretches of Arabic words with no punctuation, stopword, verb or clitic break inside,
    and the token indexes that open a name: a run that starts with an indefinite word right
    after a definite phrase opened by a title ("وزير النفط الإيراني بيجن زنغنه")."""
    titles = _titles()
    title_words = _title_words()
    given = _first_names()
    places = place_names()
    areas = _area_heads()
    runs: list[list[tuple[int, Token]]] = []
    current: list[tuple[int, Token]] = []
    named_runs: set[int] = set()
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
        if (
            token.kind != "arabic"
            or token.match in breaks
            or _ADVERBIAL in token.surface
            or (token.match == "ام" and current and current[-1][1].prefix.endswith(_ARTICLES))
        ):
            # "أم" after a definite word is "or" ("الاقتصاد أم السلاح"), not "أم كلثوم".
            # An accusative tanween marks an adverbial ("استعداداً", "تاريخيًا"): no topic.
            if current:
                runs.append(current)
                current = []
            continue
        if current and (
            (token.match in titles and current[-1][1].match != "ال")  # but "آل الشيخ"
            or (token.prefix == "ال" and _nisba_after(current[-1][1], token))  # "التركي الهجوم"
            or (token.match in _NAME_STARTS and current[-1][1].prefix)
            or (
                _after_definite(current[-1][1], token, titles)
                # "عبد الناصر باطوق": a speaker's surname after a given name of two words
                and not (
                    token.match in surnames
                    and len(current) >= 2
                    and current[-2][1].match in _NAME_STARTS
                )
            )
            or (
                token.match in given
                and not token.prefix
                and (
                    (current[-1][1].match,) in places
                    or (len(current) >= 2 and current[-2][1].match in areas)
                )
            )
        ):
            # "أمير منطقة عسير فيصل بن خالد": a given name after a place opens the person's.
            # "أمير قطر الشيخ تميم": an honorific opens a new name, it never continues one;
            # nor does "عبد" after a definite word ("الرئيس المصري عبد الفتاح السيسي").
            if current[0][1].match in title_words and token.prefix == "" and not split:
                named_runs.add(index)
            elif (
                not split
                and _nationality_before_name(current[-1][1], token)
                and any(t.match == token.match for t in found[index + 1 :])
            ):
                named_runs.add(index)  # "البرتغالي جوميز" ... "جوميز": a name used again
            runs.append(current)
            current = []
        current.append((index, token))
    if current:
        runs.append(current)
    return runs, named_runs


def _nationality_before_name(previous: Token, token: Token) -> bool:
    """Whether a bare word follows a definite masculine nationality, as a player's or a
    stranger's name does ("البرتغالي جوميز", "الغاني مونتاري"); no clitic and an everyday
    word, no verb. The caller asks that the text use the name again, as it does a person's,
    not "الصينية ببطاقة دعوة"."""
    word = token.match
    return (
        token.prefix == ""
        and previous.prefix == "ال"
        and previous.match in _place_adjectives()
        # A feminine one is a noun's adjective before its verb ("القوات العراقية تغزو").
        and previous.match.endswith("ي")
        and not (word[:1] in "وفبلك" and word[1:] in _common_words())
        and not _verb_like(word)  # "القوات العراقية تغزو الكويت"
        and not is_verb(word)
    )


def _after_definite(previous: Token, token: Token, titles: frozenset[str]) -> bool:
    """An indefinite word after a definite one starts a new noun phrase.

    Adjectives agree with their noun in definiteness and a construct's head never takes the
    article, so "الخارجية محمد جواد ظريف" and "الإيراني حسن روحاني" are two phrases each. Name
    connectors ("عبد الله آل سعود") and honorifics before a name ("مطار الملك خالد") continue it.
    """
    return (
        previous.prefix.endswith(_ARTICLES)
        and token.prefix == ""
        and previous.match not in titles
        and token.match not in _connectors()
    )


def _surnames(
    shown: str, found: Sequence[Token], matches: list[str], breaks: set[str]
) -> Counter[str]:
    """Words news writes right after a reporting verb as a speaker's surname ("وقال شميتز:",
    "وأضاف اليتيم"), with how often: no common word ("البيان"), title, stopword or verb."""
    common = _common_words()
    titles = _title_words()
    found_names: Counter[str] = Counter()
    # Most words are no reporting verb ("وأهاب" keeps its و at times): only the words after
    # one are looked at.
    for k in (v + 1 for v in _positions(matches, _speech_forms()) if v + 1 < len(found)):
        previous, token = found[k - 1], found[k]
        following = found[k + 1] if k + 1 < len(found) else None
        if (
            (  # the name ends there: "وقال الملحق الثقافي" is no speaker's surname
                following is None
                or shown[token.end : following.start] != " "
                or following.match in breaks
                or following.prefix not in ("", "ال")
            )
            and token.kind == "arabic"
            and token.prefix in ("", "ال")
            and shown[previous.end : token.start] == " "
            and len(token.match) >= 3
            and token.match not in common
            and token.match not in titles
            and token.match not in breaks
            and (token.prefix == "ال" or not _verb_like(token.match))  # "اليتيم" is no verb
        ):
            found_names[token.match] += 1
    return found_names


@cache
def _speech_forms() -> frozenset[str]:
    """The reporting verbs and the verbs with the conjunction left on ("وأهاب", "فقال"): what
    `_speech_verb` accepts, as one set."""
    speech = _speech_verbs()
    return speech | {letter + verb for verb in speech for letter in "وف"}


def _speech_verb(word: str) -> bool:
    """Whether a word is a reporting verb, with the conjunction the tokenizer may leave on
    ("وأهاب", "ونوه")."""
    speech = _speech_verbs()
    return word in speech or (word[:1] in "وف" and word[1:] in speech)


def _breaks(found: Sequence[Token], known: Mapping[str, int] | None) -> set[str]:
    """The text's words that end a run: stopwords (but name connectors) and verbs."""
    definite = {t.match for t in found if t.prefix.endswith(_ARTICLES)}
    plain = {t.match for t in found if t.kind == "arabic"} - definite
    breaks = (plain | definite) & stopword_set()
    breaks.update(filter(_accusative, plain))  # "مدربا", "راكبا"
    breaks -= _connectors()
    # A word the text also writes with the article is a noun here ("التقدم").
    breaks |= verbs_among(plain - breaks, known)
    return breaks


@lru_cache(maxsize=1 << 13)  # pure, and asked of the same words in every article
def _accusative(word: str) -> bool:
    """An indefinite accusative written with its alif and no tanween ("مدربا", "ردا",
    "قائلا", "راكبا", "إنذارا"): an adverbial or a count's noun ("315 راكبا"), never a part of
    a name nor a topic alone. Given names and places ending in alif ("روسيا", "رضا") aside."""
    if len(word) < 3 or word[-1] != "ا" or word in _first_names() or (word,) in place_names():
        return False
    if word[:-1] in _common_words():
        return True
    # فاعلا, مفعلا, إفعالا ("قائلا", "مؤكدا", "إنذارا"); not a name ending in يا ("ماريا").
    return word[-2] != "ي" and (
        (len(word) == 5 and (word[1] == "ا" or word[0] == "م"))
        or (len(word) == 6 and word[0] == "ا" and word[3] == "ا")
    )


def _collect(
    runs: list[list[tuple[int, Token]]],
    named_runs: set[int],
    candidates: dict[tuple[str, ...], _Candidate],
    title_end: int,
    surnames: Mapping[str, int],
) -> None:
    """Add every well-formed n-gram of the runs to the candidates. A speaker's surname
    (`surnames`) ends a name: "سعيد بن سعد النفيعي" of "النفيعي اللجان" is the person, and a
    two- or three-word phrase of bare words ending on one is named ("وقال يورغن شميتز")."""
    connectors = _connectors()
    titles = _titles()
    common = _common_words()
    given = _first_names()
    places = place_names()
    # Tuples: a phrase is a slice of its run's words, with no list copied into a tuple.
    texts = [tuple([token.match for _, token in run]) for run in runs]
    first_uses = _first_uses(runs, texts, surnames)
    introduced: set[int] = set()
    pairs = Counter(chain.from_iterable(map(pairwise, texts)))  # no Python-level loop
    for run, matches in zip(runs, texts, strict=True):
        is_title = run[0][1].start < title_end
        size = len(matches)
        if size == 1:  # most runs: a break on either side of one word
            _collect_word(candidates, run, matches[0], is_title, run[0][0] in named_runs)
            continue
        ends = [len(word) >= 2 and word not in connectors for word in matches]
        # A phrase of three words or more scores only if it is repeated (then every pair of
        # its words is), named, or joined by a connector: the others are not worth building.
        repeated = [pairs[pair] >= 2 for pair in pairwise(matches)]
        # Most runs hold no connector nor surname: there a longer phrase needs its pairs repeated.
        special = not (connectors.isdisjoint(matches) and surnames.keys().isdisjoint(matches))
        for i, word in enumerate(matches):
            if len(word) < 2 or (word in connectors and word not in _NAME_STARTS):
                continue
            if word in titles and not (i + 1 < size and run[i + 1][1].prefix == "ال"):
                continue  # a title starts a phrase only before a definite word ("الرئيس المصري")
            named = (i > 0 and matches[i - 1] in titles) or (i == 0 and run[0][0] in named_runs)
            # After an office, an everyday word is its domain ("مدير شؤون المعلمين"), a name
            # is a given name ("مدير التعليم سعيد بن سعد") or no common word ("الرئيس بايدن").
            named = named and (word not in common or word in given)
            if not (special or named or word in given):
                _collect_plain(candidates, run, matches, i, ends, repeated, is_title)
                continue
            joined = named or word in connectors
            chained = True
            for j in range(i, min(i + _MAX_WORDS, size)):
                if j > i:
                    if matches[j - 1] in surnames:
                        break  # a name ends on its surname
                    chained = chained and repeated[j - 1]
                    joined = joined or matches[j] in connectors
                    if j - i >= 2 and not (chained or joined or special or word in given):
                        break  # nothing longer can be built from here
                speaker = (
                    j > i
                    and matches[j] in surnames
                    and run[j][0] in first_uses
                    and run[j][0] not in introduced
                    and _bare_name(run, i, j)
                )
                # A given name and a family name with the article, no everyday word nor place:
                # "محمد المالكي", "سعيد صالح الكناني"; not "عيد الرياض", "عمر أفناه".
                family = (
                    j > i
                    and word in given
                    and run[j][1].prefix == "ال"
                    and (matches[j] not in common or _family_nisba(matches[j]))
                    and (matches[j],) not in places
                    and all(w in given or w in connectors for w in matches[i + 1 : j])
                    and _bare_name(run, i, j)
                )
                if not ends[j] or (j - i >= 2 and not (chained or joined or speaker or family)):
                    continue
                words = matches[i : j + 1]
                found = _add(
                    candidates, words, (run, i, j + 1), is_title, named or speaker or family
                )
                if speaker:
                    found.surname = surnames[matches[j]]
                    introduced.add(run[j][0])  # the longest name only: not "صالح الراوي"


def _family_nisba(word: str) -> bool:
    """Whether an everyday word is shaped as a tribe's or a family's relative name, as "الغامدي",
    "القحطاني", "العتيبي" are, which news prints every day: after a given name, a surname. No
    nationality ("المصري"), no ordinal nor time ("الثاني", "الماضي")."""
    return (
        len(word) >= 5
        and word.endswith("ي")
        and word not in _place_adjectives()
        and word not in _RANKS
        and word not in _TIMES
    )


def _first_uses(
    runs: list[list[tuple[int, Token]]],
    texts: list[tuple[str, ...]],
    surnames: Mapping[str, int],
) -> set[int]:
    """The token indexes where the text first writes each speaker's surname: a speaker is
    introduced there ("يورغن شميتز" at the first mention, never "أموال ميلنر" later on)."""
    first_use: dict[str, int] = {}
    if surnames:  # most texts have no speaker's surname: nothing to look for
        for run, matches in zip(runs, texts, strict=True):
            for (index, _), word in zip(run, matches, strict=True):
                if word in surnames:
                    first_use.setdefault(word, index)
    return set(first_use.values())


def _collect_word(
    candidates: dict[tuple[str, ...], _Candidate],
    run: list[tuple[int, Token]],
    word: str,
    is_title: bool,
    opens_name: bool,
) -> None:
    """`_collect`'s loops for a run of one word, which add just the word unless it is too
    short, a connector or a title (no definite word follows it here)."""
    if len(word) < 2 or word in _connectors() or word in _titles():
        return
    named = opens_name and (word not in _common_words() or word in _first_names())
    _add(candidates, (word,), (run, 0, 1), is_title, named)


def _collect_plain(
    candidates: dict[tuple[str, ...], _Candidate],
    run: list[tuple[int, Token]],
    matches: tuple[str, ...],
    i: int,
    ends: list[bool],
    repeated: list[bool],
    is_title: bool,
) -> None:
    """`_collect`'s loop for the common case, a word no name can start in a run with no
    connector nor surname: the word, the pair, and longer phrases while their pairs repeat."""
    chained = True
    for j in range(i, min(i + _MAX_WORDS, len(matches))):
        if j > i:
            chained = chained and repeated[j - 1]
            if j - i >= 2 and not chained:
                break
        if ends[j]:
            _add(candidates, matches[i : j + 1], (run, i, j + 1), is_title, False)


def _bare_name(run: Sequence[tuple[int, Token]], start: int, last: int) -> bool:
    """Whether run[start:last] may open a person's name: two words at most before the surname
    (connectors aside), none with the article or a clitic (but "و" on the first), no title
    and no verb."""
    titles = _title_words()
    connectors = _connectors()
    head = run[start][1]
    if head.match in _NAME_STARTS and start + 1 < last and run[start + 1][1].prefix == "ال":
        # "عبد الناصر باطوق": a given name of two words written apart, one given name.
        start += 1
    elif head.match in connectors:
        return False
    words = [token for _, token in run[start:last] if token.match not in connectors]
    return (
        1 <= len(words) <= 2
        and head.prefix in ("", "و", "ف")  # "وحمزة صالح الراوي"
        and all(t.prefix == "" for t in words[1:])
        and all(
            t.match not in titles
            and not _speech_verb(t.match)
            and not _verb_like(t.match)
            and not is_verb(t.match)
            for t in words
        )
    )


def _add(
    candidates: dict[tuple[str, ...], _Candidate],
    words: tuple[str, ...],
    place: _Place,
    is_title: bool,
    named: bool,
) -> _Candidate:
    """Count one use of a phrase."""
    candidate = candidates.get(words)
    if candidate is None:
        # Positional: a keyword argument makes the dataclass's __init__ call half as slow again.
        candidate = candidates[words] = _Candidate(words, 0, place[0][place[1]][0])
    candidate.count += 1
    # One flag written per use, not three read and rewritten: _add runs for every n-gram.
    if is_title:
        candidate.in_title = True
    else:
        candidate.in_text = True
    if named:
        candidate.named = True
    candidate.places.append(place)
    return candidate


_ORG_MAX = 8
# Titles a body is named after, right after its head ("جامعة الإمام محمد بن سعود").
_FOUNDERS = frozenset({"ملك", "امير", "اميره", "ملكه", "امام", "شيخ"})
_ORG_PREFIXES = frozenset({"", "ال", "لل", "وال", "ل"})


def _collect_organisations(
    shown: str,
    found: Sequence[Token],
    matches: list[str],
    breaks: set[str],
    candidates: dict[tuple[str, ...], _Candidate],
    title_end: int,
) -> None:
    """Organisations' names taken whole, "و ال" and "لل" parts included: "وزارة الشؤون البلدية
    والقروية", "الرئاسة العامة لرعاية الشباب", "مركز محمد بن نايف للمناصحة والرعاية"."""
    heads = _org_heads()
    connectors = _connectors()
    titles = _titles()
    name_words = connectors | titles  # once, not per stopword met
    for i in _positions(matches, heads):  # the few heads a text holds, found at C speed
        head = found[i]
        if head.kind != "arabic":
            continue
        run = [(i, head)]
        for j in range(i + 1, min(i + _ORG_MAX, len(found))):
            token, previous = found[j], found[j - 1]
            gap = shown[previous.end : token.start]
            if token.kind != "arabic" or gap != " " or token.prefix not in _ORG_PREFIXES:
                break
            if token.match in breaks and token.match not in name_words:
                break  # a stopword ends the name, but a title after the head ("مطار الأمير")
            definite = previous.prefix.endswith(_ARTICLES)
            if token.prefix in ("ل", "وال") and not definite:
                break  # "ل" and "و ال" join a name only after a definite word ("العامة لرعاية")
            if (token.prefix == "وال" and j == i + 1) or _org_name_ends(
                head, previous, token, j > i + 1
            ):
                # Nor "و ال" right after the head: "الاتحاد والأهلي" are two bodies; nor
                # "الوزارة لشؤون", "مستشفى العريش لتلقي", "مدينة حائل المرحلة".
                break
            if _after_definite(previous, token, titles) or token.match in heads:
                break
            if j > i + 1 and token.prefix == "ال" and _nisba_after(previous, token):
                break  # "هيئة أركان الجيش التركي" ends before "الهجوم"
            if (
                definite
                and token.prefix == ""
                and previous.match not in titles
                and token.match not in connectors
            ):
                break  # a bare word after "لل": "شركة النيل للطيران" ends before "ترخيصا"
            if (token.match in titles and (j > i + 1 or token.match not in _FOUNDERS)) or (
                _verb_like(token.match)
            ):
                break  # "اللجنة المهندس محمد": a title inside opens a person's name; but
                # "جامعة الملك سعود", "مطار الأمير سلطان": a body named after a royal
            if (
                j > i + 1
                and token.prefix == ""
                and not definite
                and previous.match not in connectors
                and token.match not in connectors
                and previous.match not in titles
            ):
                break  # two bare words after the head's name: "جامعة كارينجي خلص"
            run.append((j, token))
        while len(run) > 1 and (
            run[-1][1].match in connectors or run[-1][1].match in titles or run[-1][1].prefix == "ل"
        ):
            run.pop()  # nor does a name end on "ل" + a bare word ("شؤون المعلمين لإنهاء")
        if len(run) < 2 or _cut_before_place(shown, found, run):
            continue
        words = tuple(token.match for _, token in run)
        candidate = _add(candidates, words, (run, 0, len(run)), head.start < title_end, False)
        # "لجنة ممثلة" is a head and an adjective; a name is longer, definite or repeated.
        if len(run) > 2 or run[1][1].prefix.endswith(_ARTICLES) or candidate.count > 1:
            candidate.organisation = True


def _cut_before_place(shown: str, found: Sequence[Token], run: list[tuple[int, Token]]) -> bool:
    """Whether a body's name stopped on a bare word right before a bare place's name: the
    place is its genitive, so the name is cut ("إدارة تعليم" of "إدارة تعليم عفيف")."""
    last = run[-1][1]
    following = run[-1][0] + 1
    if last.prefix or following >= len(found):
        return False
    token = found[following]
    return (
        not token.prefix
        and (token.match,) in place_names()
        and shown[last.end : token.start] == " "
    )


def _org_name_ends(head: Token, previous: Token, token: Token, inside: bool) -> bool:
    """Whether a body's name ends before `token` (`inside`: `previous` is not the head)."""
    if token.prefix in ("ل", "لل") and (
        (not inside and head.prefix.endswith(_ARTICLES))
        or (
            token.prefix == "ل"
            and not _adjective_end(previous.match)
            and not previous.match.endswith("ه")  # "العامة لرعاية"
            and (previous.prefix == "وال" or previous.match not in _common_words())
        )
    ):
        # "الوزارة لشؤون الأبحاث", "الجمعية للموسم": the body the text spoke of, no name;
        # "مستشفى العريش لتلقي العلاج": ل after a name is a purpose (but "الرئاسة العامة
        # لرعاية الشباب", "مجلس التعاون لدول الخليج").
        return True
    # After "لل" + a noun, or after a place, a definite word is an adjective or the next
    # phrase: "اللجنة العليا للانتخابات الجدول الزمني", "مدينة حائل المرحلة الثانية"; but
    # "للتخصصات الصحية", "حركة أحرار الشام" (a construct). An elative is a
    # comparison, never a part of a name: "الاتحاد الأقرب" (but "الهلال الأحمر").
    return (
        token.prefix == "ال"
        and not _adjective_end(token.match)
        and (
            _elative(token.match)
            # "للصليب الأحمر"; "للسفر القابضة": an active participle describes the name
            or (
                previous.prefix == "لل"
                and token.match not in _COLOURS
                and not _feminine_participle(token.match)
            )
            or (inside and not previous.prefix and (previous.match,) in place_names())
        )
    )


def _feminine_participle(word: str) -> bool:
    """The shape فاعلة in matching form ("قابضه", "دائمه"): an active participle, an adjective."""
    return len(word) == 5 and word[1] == "ا" and word[-1] == "ه"


# Colours and "أوسط" are elatives' shape in names ("الهلال الأحمر", "الشرق الأوسط").
_COLOURS = frozenset({"احمر", "اسود", "ابيض", "اخضر", "اصفر", "ازرق"})


def _elative(word: str) -> bool:
    """The shape أفعل ("أقرب", "أكبر", "أفضل") in matching form: a comparison after a noun."""
    return (
        len(word) == 4
        and word[0] == "ا"
        and word[1] not in "اوي"
        and word[-1] not in "اهي"
        and word not in _COLOURS
    )


def _adjective_end(word: str) -> bool:
    """Whether a word ends as a relative adjective or a sound plural does ("الصحية",
    "الدولي", "المحترفين"), as a definite word after a name must to describe it."""
    return word.endswith(("ي", "يه", "ين", "ون"))


def _nisba_after(previous: Token, token: Token) -> bool:
    """Whether a definite relative adjective ("التركي", "الإسلامية") comes before a definite
    word that cannot be its adjective, so that the word opens a new phrase: after a feminine
    one, a masculine singular ("الإسلامية المشرف"; "العربية المتحدة" agrees); after a
    masculine one, a verbal noun ("التركي الهجوم", "السعودي التعاقد", "العربي الاجتماع")."""
    before, word = previous.match, token.match
    if (
        not previous.prefix.endswith(_ARTICLES)
        or len(before) < 4
        or not before.endswith(("ي", "يه"))
        or word.endswith(("ي", "يه"))
        or len(word) < 4
    ):
        return False
    # A passive participle starts a relative phrase ("السعودي المعمول به", "المقاومة الشعبية
    # المدعومة من التحالف"), never a part of the name before it.
    passive = word[0] == "م" and word[3:4] == "و" and (len(word) == 5 or word == word[:5] + "ه")
    if before.endswith("يه"):
        return passive or not word.endswith(("ه", "ات", "ين", "ون"))
    return _verbal_noun(word) or (len(word) == 5 and passive)


@lru_cache(maxsize=1 << 13)  # pure, and asked of the same words in every article
def _verbal_noun(word: str) -> bool:
    """A verbal noun's shape, never an adjective's: فعول ("هجوم"), تفعيل ("تدريب"), تفاعل
    ("تعاقد") and the derived forms ("اجتماع", "استقبال")."""
    return (
        (len(word) == 4 and word[2] == "و")
        or (len(word) == 5 and word[0] == "ت" and (word[3] == "ي" or word[2] == "ا"))
        or bool(_DERIVED_NOUN.match(word))
    )


# Persian and Kurdish letters some papers keep ("قوات الپيشمرگة"): a tag is shown in Arabic letters.
_PERSIAN = str.maketrans("پچژگڤکی", "بجزكفكي")


def _surface(place: _Place) -> str:
    """Display form of one use of a phrase: surfaces joined, conjunctions/prepositions removed."""
    run, start, end = place
    words = [_drop_clitics(run[start][1]), *(token.surface for _, token in run[start + 1 : end])]
    return " ".join(words).translate(_PERSIAN)


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
    candidates: dict[tuple[str, ...], _Candidate],
    total: int,
    df: DocumentFrequencies | None,
    surnames: Mapping[str, int],
    text_places: set[tuple[str, ...]],
) -> None:
    """Score every candidate in place (`text_places`: what `_text_places` finds)."""
    inside = _counts_inside_longer(candidates)
    weights, rarities = _word_values(candidates, df)
    connectors = _connectors()
    places = place_names()
    common = _common_words()
    bodies = _cldr_bodies()
    # How often each word ends a two-word phrase: "السريعة" of "الوجبات السريعة" is an
    # adjective left over when it stands alone no more often than in the phrase.
    endings: dict[str, int] = {}
    for words, candidate in candidates.items():
        if len(words) == 2:
            endings[words[1]] = max(endings.get(words[1], 0), candidate.count)
    scale = 10 / max(total, 1)
    # The headline's single words: a country it names by its adjective ("الإيراني", "سوري")
    # is the headline's place too.
    headline = {w[0] for w, c in candidates.items() if len(w) == 1 and c.in_title}
    titled = bool(headline)  # a text with a headline (AKEC's documents have none)
    for words, candidate in candidates.items():
        if (
            len(words) == 2
            and candidate.count == 1
            and not (candidate.named or candidate.organisation or candidate.surname)
            and words[0] not in connectors
            and words[1] not in connectors
        ):
            candidate.score = _pair_once(candidate, weights, rarities, scale)
            continue
        content = words
        if not connectors.isdisjoint(words):
            content = tuple(w for w in words if w not in connectors) or words
        repeated = (
            candidate.count >= 2
            or len(content) < len(words)
            or candidate.named
            or candidate.organisation
        )
        if len(content) >= 3 and not repeated:
            continue  # score stays 0: a one-off long phrase is a chunk of a sentence
        own = max(candidate.count - inside.get(words, 0), 0) + candidate.surname
        place = words in places  # asked once: the place rules below all start from it
        # "إيران" of "النفط الإيراني"
        adjectives = _nisba_uses(words, candidates) if place else 0.0
        frequency = math.log1p(own + 0.3 * (candidate.count - own) + adjectives)
        if len(content) == 1:  # most candidates: skip the generator machinery
            cohesion, rarity = weights[content[0]], rarities[content[0]]
        else:
            cohesion = sum(weights[w] for w in content) / len(content)
            rarity = sum(rarities[w] for w in content) / len(content)
        position = 1.0 + 1.0 / (1.0 + candidate.first * scale)
        length = 1.0 + (0.6 if repeated else 0.1) * (len(content) - 1)
        title = (
            1.5 if candidate.in_title or (place and _named_by_adjective(words, headline)) else 1.0
        )
        name = 1.3 if len(words) > 1 and (candidate.named or candidate.organisation) else 1.0
        if name > 1.0 and candidate.named and not candidate.organisation:
            name = 1.6  # a person the text names after a title or as a speaker: a must-have
        if (
            name == 1.0
            and candidate.count > 1
            and (words[0] not in common or words[-1] in surnames)  # "مراكز القوى" is none
            and (words[-1] not in common or words[-1] in surnames)  # nor "بئر نفط"
            and _surname_alone(candidate, candidates)
        ):
            candidate.person = True  # "وليم بيرنز" ... "بيرنز": named, then by surname
            name = 1.2
        if len(content) < len(words) and len(words) > 2:
            # Joined by بن/آل/عبد: a person's full name ("حمد بن سعد العمر"), surer still
            # after a title ("الشيخ تميم بن حمد آل ثاني").
            name = 1.6 if candidate.named else 1.3
        # A headline's word the text never repeats ("شابان", "تستثمر") is rarely the topic.
        alone = 0.4 if not candidate.in_text and len(words) == 1 and not place else 1.0
        if len(words) == 1:
            alone *= _single_factor(candidate, endings, text_places)
        elif place or (words[0] in _COUNTRY_HEADS and words[1:] in places):
            alone *= 1.4  # "مملكة البحرين", "جنوب السودان": a place, as one word is
        if len(words) > 1 and name == 1.0 and _indefinite(candidate):
            alone *= 0.8  # "دور محوري", "قصاص أثر": a description, seldom the tag
        elif len(words) == 2 and _of_the_body(candidate):
            alone *= 0.5  # "الشركة الأمريكية", "منسوبي المجموعة": the body named before
        # "الباصات", "الأمثال": a single word the headline lacks is seldom the tag; "الأمم
        # المتحدة", a body CLDR knows as it knows places, weighs as a place does.
        untitled = len(words) == 1 and titled and not candidate.in_title and words not in places
        alone *= (_UNTITLED_WORD if untitled else 1.0) * (1.4 if words in bodies else 1.0)
        candidate.score = (frequency + cohesion) * rarity * position * length * title * name * alone


_ONCE = math.log1p(1)
# A single word, no place, that the headline does not use, relative: seldom the tag.
_UNTITLED_WORD = 0.85


# The plurals of bodies' and places' heads: with the article, the bodies or places the text
# spoke of ("عمل المراكز", "جمع المؤسسات", "حماية الدول").
_HEAD_PLURALS = frozenset(
    {"مراكز", "مؤسسات", "شركات", "جمعيات", "هيئات", "وزارات", "منظمات", "لجان", "جامعات"}
    | {"مجالس", "بنوك", "مستشفيات", "كليات", "معاهد", "ادارات", "اندية", "دول", "مناطق"}
    | {"محافظات", "مدن"}
)


def _of_the_body(candidate: _Candidate) -> bool:
    """Whether a pair is about the body or place named before, in passing: a company's head
    and a relative adjective ("الشركة الأمريكية"), or a pair ending on a body's or a place's
    head with the article in every use ("أعمال المجموعة", "دول المجلس", "أهالي المنطقة").
    "نادي الاتحاد" names a club."""
    first, last = candidate.words
    if first in _COMPANY_HEADS and last.endswith(("ي", "يه")):
        return True
    if last == "اتحاد" or (
        last not in _org_heads() and last not in _place_heads() and last not in _HEAD_PLURALS
    ):
        return False
    return all(run[end - 1][1].prefix.endswith(_ARTICLES) for run, _, end in candidate.places)


def _named_by_adjective(words: tuple[str, ...], headline: set[str]) -> bool:
    """Whether a one-word place the text names is in the headline as its relative adjective:
    "إيران" of "«ماش دونالدز» الإيراني", "سوريا" of "ناشط إعلامي سوري"."""
    if len(words) != 1 or words not in place_names() or len(words[0]) < 3:
        return False
    return not _nisba_forms(words[0]).isdisjoint(headline)


@lru_cache(maxsize=1024)
def _nisba_forms(word: str) -> frozenset[str]:
    """A place's relative adjectives in matching form: "ايراني", "ايرانيه" of "ايران"."""
    forms = {word + "ي", word + "يه"}
    if word.endswith("يا"):  # "سوريا": "سوري", "سوريه"
        forms |= {word[:-1], word[:-1] + "ه"}
    elif word.endswith("ا"):  # "أمريكا": "أمريكي"
        forms |= {word[:-1] + "ي", word[:-1] + "يه"}
    return frozenset(forms)


_NISBA_USE = 0.5  # a use of a place's relative adjective, counted as a part of a use of it


def _nisba_uses(words: tuple[str, ...], candidates: dict[tuple[str, ...], _Candidate]) -> float:
    """How much a one-word place's relative adjectives in the text add to its uses: "وزير
    النفط الإيراني" names Iran as much as "إيران" does, and more than in passing."""
    if len(words) != 1 or words not in place_names() or len(words[0]) < 3:
        return 0.0
    found = (candidates.get((form,)) for form in _nisba_forms(words[0]))
    return _NISBA_USE * sum(c.count for c in found if c is not None)


def _pair_once(
    candidate: _Candidate, weights: dict[str, float], rarities: dict[str, float], scale: float
) -> float:
    """The score of a pair of words used once, no name (most candidates): `_score`'s general
    formula with what is known of such a pair folded in."""
    first, second = candidate.words
    run, start, _ = candidate.places[0]
    score = (_ONCE + (weights[first] + weights[second]) / 2) * (
        (rarities[first] + rarities[second]) / 2
    )
    score *= (1.0 + 1.0 / (1.0 + candidate.first * scale)) * 1.1
    if candidate.in_title:
        score *= 1.5
    if not (
        run[start][1].prefix.endswith(_ARTICLES) or run[start + 1][1].prefix.endswith(_ARTICLES)
    ):
        score *= 0.8  # indefinite: a description ("دور محوري")
    return score


def _single_factor(
    candidate: _Candidate, endings: Mapping[str, int], text_places: set[tuple[str, ...]]
) -> float:
    """What a single word's evidence does to its score: a place raises it; an adjective left
    over, a nisba or an everyday word lowers it."""
    words = candidate.words
    places = place_names()
    common = _common_words()
    factor = 1.0
    if (words in places and not _adjective_not_place(candidate)) or words in text_places:
        factor *= 1.4  # a country or city CLDR knows: what the story is about
    elif 2 * endings.get(words[0], 0) >= candidate.count or _nisba(candidate):
        factor *= 0.6
    if (
        candidate.places[0][0][candidate.places[0][1]][1].prefix.endswith(_ARTICLES)
        and words not in places
        and _adjective_uses(candidate)
    ):
        factor *= 0.5  # "العتيق" of "المسجد العتيق": an adjective
    if words[0] in common or (_dual_of_common(words[0], common) and words not in places):
        factor *= _COMMON_ALONE  # "الشباب", "المقابلة": words the news uses everywhere
    elif _verbal_noun(words[0]) and _indefinite(candidate):
        factor *= _COMMON_ALONE  # "تخريج" of "تخريج 63 مستفيداً": what is done, bare
    return factor


def _word_values(
    candidates: dict[tuple[str, ...], _Candidate], df: DocumentFrequencies | None
) -> tuple[dict[str, float], dict[str, float]]:
    """Per word: its weight (how often the article uses it) and its rarity in the corpus."""
    # One candidate per key, so a single word's count is its candidate's (a plain dict: a
    # Counter's += calls its Python-level __missing__ on every new word).
    vocabulary = set().union(*candidates)  # the keys' words, gathered at C speed
    # A word is used once unless its own candidate says more (log1p(1) is _ONCE).
    weights = dict.fromkeys(vocabulary, _ONCE)
    weights.update(
        {words[0]: math.log1p(c.count) for words, c in candidates.items() if len(words) == 1}
    )
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


# Formula words that no tag opens or closes with ("ورحمة الله وبركاته", "صاحب السمو ... سموه");
# the generic nouns of never_tags.txt are refused only as a tag alone ("الشركة", "العالم"),
# since a phrase may carry one ("شركة أرامكو", "كأس العالم").
_FORMULA_WORDS = frozenset(
    {"الله", "سموه", "معاليه", "سماحته", "فضيلته", "جلالته", "سعادته", "رحمه", "حفظه"}
    | {"وبركاته", "تعالي", "سبحانه", "له"}
    | {"صلي", "رضي"}  # "محمد بن عبد الله صلى الله عليه وسلم", "أسامة بن زيد رضي الله عنه"
)


# Amounts, currencies and units: "مليار ريال", "ملايين يورو", "متر مربع" are numbers' units,
# not topics.
_MEASURES = frozenset({"ريال", "ريالا", "درهم", "دولار", "يورو", "مليون", "مليار", "ملايين"}) | {
    "الف",
    "الاف",
    "مئات",
    "عشرات",
    "متر",
    "كيلومتر",
    "طن",
    "برميل",
}


# Quantity heads: "حجم الاتفاقات", "معدل النمو", "إجمالي الإيرادات" measure a topic, they are none.
_QUANTITY_HEADS = frozenset(
    {"حجم", "معدل", "اجمالي", "نسبه", "قيمه", "مجال", "مجموع", "بقيه", "معظم", "غالبيه"}
    | {"اغلب", "كافه", "سائر", "نصف", "ربع", "ثلث", "ارقام", "مستوي", "مستويات", "كميه"}
)
# Ordinals and times after a noun ("الربع الثاني", "المركز الرابع", "مجلس النواب السابق"):
# a rank or a date, no topic.
_RANKS = frozenset(
    {"اول", "اولي", "ثاني", "ثانيه", "ثالث", "ثالثه", "رابع", "رابعه", "خامس", "خامسه"}
    | {"سادس", "سادسه", "سابع", "ثامن", "تاسع", "عاشر", "اخير", "اخيره", "سابق", "سابقه"}
    | {"ماضي", "ماضيه", "مقبل", "مقبله", "قادم", "قادمه", "حالي", "حاليه", "منصرم", "جاري"}
)


# Adjectives of an office's rank or scope: after a body's head alone ("الإدارة العامة",
# "المديرية العامة", "الإدارة العليا", "المجلس التنفيذي") they name no body, only the part
# of one whose name follows ("الإدارة العامة لهيئة الهلال الأحمر").
_OFFICE_ADJECTIVES = frozenset(
    {"عام", "عامه", "عليا", "اعلي", "تنفيذي", "تنفيذيه", "رئيسي", "رئيسيه", "فرعي", "فرعيه"}
    | {"مختص", "مختصه", "معني", "معنيه", "مسؤوله", "اقليمي", "اقليميه"}
)

_TIMES = frozenset({"سابق", "سابقه", "ماضي", "ماضيه", "مقبل", "مقبله", "منصرم", "جاري"})

# The people of a body or a place ("جماهير الأهلي", "أعضاء البرلمان", "سكان المدن", "منسوبي
# الحرس الوطني", "رجال الأوليغارشية"): the tag is the body or the place, the crowd is none.
_MEMBERS = frozenset(
    {"جماهير", "جمهور", "انصار", "اعضاء", "عضو", "سكان", "اهالي", "منسوبي", "منسوبو"}
    | {"منتسبي", "رجال", "افراد", "عناصر", "مقاتلي", "موظفي", "طلاب"}
)


class _Junk:
    """What is never a tag: a title alone or leading ("وزير الصحة", "النائب الثاني"), formulas
    and generic words at either end ("ورحمة الله وبركاته", "الشركة"), a verb-led fragment
    ("يقصف مواقع"), and the publisher's own name on its own articles. A word only the headline
    uses ("شابان") scores less (`_score`). Judged only for the candidates a pick reaches."""

    def __init__(
        self,
        source: str | None,
        candidates: Mapping[tuple[str, ...], _Candidate],
        found: Sequence[Token] = (),
    ) -> None:
        self.own = _key(source) if source else None
        self.candidates = candidates
        self.found = found  # the text's tokens, for what comes before a phrase
        self.judged: dict[tuple[str, ...], bool] = {}
        self.pair_counts: dict[str, int] | None = None  # first word -> most uses of a pair

    def _verb_before_name(self, candidate: _Candidate) -> bool:
        """Whether a phrase opens on a three-letter perfect after و or ف ("ووصل", "ولعب") and
        a person's name follows: the clause's verb and its subject, not a longer name. Given
        names and the heads of bodies, places and titles after و aside ("وسعد", "وحزب")."""
        words = candidate.words
        if len(words) < 3:
            return False
        first = words[0]
        # The tokenizer keeps the conjunction on a word it does not know ("ووصل" is و + وصل).
        kept = all(run[start][1].prefix == "" for run, start, _ in candidate.places)
        if kept and len(first) == 4 and first[0] in "وف" and first not in _first_names():
            first = first[1:]
            if not (first in _common_words() or is_verb(first)):
                return False
        elif not all(run[start][1].prefix in ("و", "ف") for run, start, _ in candidate.places):
            return False
        if (
            len(first) != 3
            or first in _first_names()
            or first in _org_heads()
            or first in _place_heads()
            or first in _title_words()
        ):
            return False
        rest = self.candidates.get(words[1:])
        alone = self.candidates.get(words[-1:])  # a surname the text also writes alone
        return rest is not None and (
            rest.named
            or rest.person
            or rest.surname > 0
            or words[1] in _first_names()
            or (alone is not None and alone.count > candidate.count)
        )

    def _always_inside(self, candidate: _Candidate) -> bool:
        """Whether a word is written only as the first of a two-word phrase ("تل" of "تل أبيض"):
        the word alone (or after a place's head) is a cut name, the phrase is the tag. Places
        CLDR or the corpus knows aside ("الرياض" of "أمانة الرياض")."""
        words = candidate.words
        if len(words) == 2 and words[0] in _area_heads():
            alone = self.candidates.get(words[1:])
            return alone is not None and self._always_inside(alone)
        word, count = words[0], candidate.count
        if len(words) > 1 or count < 2 or words in place_names():
            return False
        if self.pair_counts is None:  # once per article, not one scan per word judged
            self.pair_counts = {}
            for key, other in self.candidates.items():
                if len(key) == 2 and other.count > self.pair_counts.get(key[0], 0):
                    self.pair_counts[key[0]] = other.count
        return self.pair_counts.get(word, 0) >= count

    def _head_glued(self, candidate: _Candidate) -> bool:
        """Whether a word of the sentence is glued before a body's whole name: the rest opens
        on an organisation's head and is a name of its own the text uses more ("رأس حركة
        طالبان" of "على رأس حركة طالبان", while "حركة طالبان" stands alone too)."""
        words = candidate.words
        if len(words) < 3 or words[1] not in _org_heads() or candidate.organisation:
            return False
        rest = self.candidates.get(words[1:])
        return rest is not None and rest.organisation and rest.count > candidate.count

    def __call__(self, candidate: _Candidate) -> bool:
        """Whether the candidate is junk (its score is lowered if it is headline-only)."""
        found = self.judged.get(candidate.words)
        if found is None:
            found = self.judged[candidate.words] = self._judge(candidate)
        return found

    def _judge(self, candidate: _Candidate) -> bool:
        never = _never()
        titles = _title_words()
        heads = _org_heads()
        own = self.own
        places = place_names()
        words = candidate.words
        first, last = words[0], words[-1]
        return (
            first in titles
            or (len(words) == 1 and first in never and not _headline_currency(candidate))
            or first in _FORMULA_WORDS
            or (len(words) > 1 and not _MEASURES.isdisjoint((first, last)))  # "مليار ريال"
            or (last in _FORMULA_WORDS and not _named_after_god(candidate))
            or words in _never_phrases()
            or (last in titles and not (len(words) > 1 and words[-2] == "ال"))
            or words == own
            or (own is not None and len(own) > 1 and len(words) == 1 and words[0] in own)
            or (_verb_edge(candidate) and words not in places)
            or (len(words) == 1 and first[0] in "لبو" and first[1:] in never)  # "لمنطقة"
            or (len(words) > 1 and first in heads and words[1] in heads and _bare_second(candidate))
            or (len(words) == 1 and (first in heads or first in _place_heads()))  # "محافظة"
            or _ends_with_pronoun(candidate)
            or (len(words) > 1 and _cut_construct(candidate))
            or first in _QUANTITY_HEADS
            or first in _MEMBERS
            or (len(words) == 1 and _plural_participle(candidate))  # "عازمون", "مغردون"
            or _adjective_led(candidate)  # "الأفغانية" of "العاصمة الأفغانية", "الكشفي العالمي"
            or self._verb_before_name(candidate)  # "وصل بيتر ماور" of "ووصل بيتر ماور"
            or self._head_glued(candidate)
            or self._always_inside(
                candidate
            )  # "تل", "مدينة تل" of "مدينة تل أبيض"  # "رأس حركة طالبان" of "على رأس حركة طالبان"
            or _a_group_of(candidate)  # "مجموعة مقاتلين", "مجموعة مساجد"
            or _speech_verb(first)  # "ونوه المنيف"
            or _verb_with_conjunction(candidate)  # "وافتتح مشروع"
            or (len(words) == 2 and (last in _RANKS or last in _NUMBER_WORDS))  # "العقد الحادي"
            or (len(words) == 2 and first in heads and last in _OFFICE_ADJECTIVES)
            or (first in heads and _body_described(candidate))  # "لجنة فنية", "جامعة سعودية"
            # "قيادة الحزب", "أعمال المجموعة", "عمل المراكز": the body named before, in passing
            or (len(words) == 2 and first not in heads and _of_the_body(candidate))
            or last in _TIMES  # "مجلس النواب السابق"
            or any(_verb_like(word) for word in words[1:-1])  # "سوري يفوز بجائزة تصوير"
            or _purpose(candidate)  # "لاستقبال المرشحين"
            or (len(words) == 1 and first in _MEASURES and not _headline_currency(candidate))
            or (len(words) == 1 and first in _NUMBER_WORDS)  # "آلاف"
            or (len(words) == 1 and first in _RANKS)  # "العاشرة"
            or (len(words) == 1 and _pronoun_alone(candidate))  # "فوزه", "بزواجه"
            or (len(words) == 1 and _everyday_once(candidate))  # "كامل", "مذهل", "رقم"
            or _glued(candidate)  # "الكاتببناء": a byline glued to the headline
            or (len(words) > 1 and last in heads and _bare_last(candidate))  # "فرع وزارة"
            or _disagreeing(candidate)  # "الخارجية الماليزي" of "وزير الخارجية الماليزي"
            or (len(words) == 1 and _afal(candidate))  # "أثقل", "أطيب", "أنهت"
            or _name_misjoined(candidate)  # "ضم محمد بن حسين", "خالد بحاح الأوضاع"
            or _name_and_everyday(candidate)  # "خالد وجهة نظر" of "لجامعة الملك خالد وجهة نظر"
            or _place_and_noun(candidate)  # "السودان العضو"
            or self._clitic_left_on(candidate)  # "ونبذ الإساءة", "لمتر المربع"
            or self._of_the_person(candidate)  # "اتفاق صلاح" beside "محمد صلاح"
        )

    def _clitic_left_on(self, candidate: _Candidate) -> bool:
        """Whether the tokenizer left a conjunction or preposition on a word it does not know:
        "ولإزالة" anywhere (two clitics and a hamza, which opens no word after them); a first word
        whose rest opens the same phrase the text uses bare ("لمتر المربع", "المتر المربع");
        or "و" or "ف" on an unknown first word before a definite one, after a clause's end or a
        definite word, the word used nowhere else: a conjunction ("ونبذ الإساءة", "وشمل العقد",
        "فسبى القلوب"). Known words ("وزارة", "وليد") aside."""
        words = candidate.words
        if len(words) < 2:
            return False
        run, start, end = candidate.places[0]
        if any(
            strip_diacritics(token.surface).startswith(_CLITICS_HAMZA)
            for _, token in run[start:end]
        ):
            return True
        first = words[0]
        if (
            len(first) < 3
            or first[0] not in "وفبل"
            or any(run[k][1].prefix for run, k, _ in candidate.places)
            or first in _no_surnames()
            or first in _first_names()
            or first in _place_words()
            or words[:1] in place_names()
        ):
            return False
        if len(first) > 3 and (first[1:], *words[1:]) in self.candidates:
            return True
        alone = self.candidates.get(words[:1])
        return (
            first[0] in "وف"
            and run[start + 1][1].prefix.endswith(_ARTICLES)
            and (alone is None or alone.count <= candidate.count)  # a name recurs ("فيهورست")
            and all(self._after_clause(run[k][0]) for run, k, _ in candidate.places)
        )

    def _of_the_person(self, candidate: _Candidate) -> bool:
        """Whether a pair is an everyday noun and the surname of a person the text names in
        full: "اتفاق صلاح" beside "محمد صلاح", "زيارة ماور" beside "بيتر ماور". The person is
        the tag, the pair says what was his."""
        words = candidate.words
        if len(words) != 2 or words[0] not in _common_words() or words[0] in _first_names():
            return False
        if candidate.organisation or words[0] in _org_heads():
            return False  # "جامعة هارفارد": a body's name
        if any(run[start][1].prefix.endswith(_ARTICLES) for run, start, _ in candidate.places):
            return False  # a construct's head is bare: "النمو السكاني" is a noun and adjective
        if words[0] in _place_heads() or (
            (words[1] in _common_words() or not _family_nisba(words[1]))
            and any(run[start + 1][1].prefix for run, start, _ in candidate.places)
        ):
            return False  # with the article, a family's name only ("رحيل الزيلعي"), no thing
        surname = words[1]
        person = False
        for key, other in self.candidates.items():
            if key[-1] != surname or len(key) < 2 or words[0] in key:
                continue
            if other.organisation:
                return False  # a body's name ("مكتب طالبان" beside "حركة طالبان")
            person = person or other.named or other.person or key[0] in _first_names()
        return person

    def _after_clause(self, index: int) -> bool:
        """Whether the token at `index` opens a clause or a conjoined phrase: the text's
        start, punctuation before it, or a definite word (which no genitive follows: "العنف
        ونبذ"). After a bare noun or a preposition the word is a genitive ("برامج وقاية")."""
        found = self.found
        if index == 0 or index >= len(found):
            return index == 0
        previous, token = found[index - 1], found[index]
        return previous.end + 1 != token.start or previous.prefix.endswith(_ARTICLES)


# A conjunction, a preposition and a hamza: the start of no word ("ولإزالة", "وبأن").
_CLITICS_HAMZA = tuple(c + p + h for c in "وف" for p in "لب" for h in "أإآ")


def _body_described(candidate: _Candidate) -> bool:
    """Whether a body's head and a relative adjective, both bare in every use, describe a body
    and name none: "لجنة فنية", "منظمة إرهابية", "جامعة سعودية", "شركة أميركية" (a technical
    committee, a Saudi university). The adjective is an everyday word or a nationality; a
    name's bare last word is neither ("شركة إنفينيتي")."""
    words = candidate.words
    last = words[-1]
    if not 2 <= len(words) <= 3 or not _adjective_end(last):
        return False
    if last not in _common_words() and last not in _place_adjectives():
        return False
    return all(
        not token.prefix for run, start, end in candidate.places for _, token in run[start:end]
    )


def _named_after_god(candidate: _Candidate) -> bool:
    """Whether a phrase ending on "الله" is a name that holds it, no formula: a body's head and
    the word ("حزب الله", "أنصار الله"), or a given name of two words ("بن عبد الله")."""
    words = candidate.words
    if len(words) < 2 or words[-1] != "الله":
        return False
    return (
        words[-2] in _org_heads() or words[-2] == "انصار" or (len(words) > 2 and words[-2] == "عبد")
    )


def _place_and_noun(candidate: _Candidate) -> bool:
    """Whether a place is followed by a definite word that cannot describe it: a noun
    ("السودان العضو" of "جنوب السودان العضو الجديد"), the next phrase. A relative adjective
    or a participle describes it ("أمريكا الشمالية", "مكة المكرمة")."""
    words = candidate.words
    if len(words) != 2 or words[:1] not in place_names():
        return False
    run, start, _ = candidate.places[0]
    second = run[start + 1][1]
    return (
        second.prefix == "ال"
        and not _adjective_end(second.match)
        and second.match[:1] != "م"
        and words[1:] not in place_names()
    )


def _name_and_everyday(candidate: _Candidate) -> bool:
    """Whether a given name after a title runs on into bare everyday words ("الملك خالد وجهة
    نظر", "خالد وجهة"): the name is the given name alone ("جامعة الملك خالد"). A family name
    is seldom an everyday bare word, and then one and masculine ("محمد نور")."""
    words = candidate.words
    if not candidate.named or len(words) < 2 or words[0] not in _first_names():
        return False
    common, given = _common_words(), _first_names()
    run, start, end = candidate.places[0]
    rest = [token for _, token in run[start + 1 : end]]
    # One everyday word may be a family name ("محمد نور"), but no feminine noun is one.
    return (len(rest) >= 2 or rest[0].match.endswith("ه")) and all(
        token.match in common and token.match not in given and not token.prefix for token in rest
    )


def _name_misjoined(candidate: _Candidate) -> bool:
    """Whether a person's name has an everyday word glued on: before its given name ("ضم
    محمد بن حسين", "كأس عبدالعزيز بن سعود") or after its family name ("خالد بحاح الأوضاع",
    "عبدالعزيز آل سعود الجلسة"): a verb or the next phrase, no part of the name. A word after
    a connector ("آل الشيخ", "عبد العزيز") belongs to it."""
    words = candidate.words
    if len(words) < 3 or candidate.organisation:
        return False
    connectors = _connectors()
    given = _first_names()
    if not (candidate.named or words[0] in given or not connectors.isdisjoint(words)):
        return False
    common = _common_words()

    def everyday(word: str) -> bool:
        return word in common and word not in given and word not in connectors

    if everyday(words[0]) and (words[1] in given or words[1] in ("ابو", "ابي", "عبد")):
        return True  # "قول أبي العلاء المعري"
    if any(word in _CLUB_MARKS and everyday(word) for word in words[1:]):
        return True  # "لويس سواريز نجم برشلونة": the player, then his club
    last = words[-1]
    if (
        last[:1] == "و"
        and last not in given
        and (len(last) >= 5 or last[1:] in common or last[1:] in given)
    ):
        return True  # "قس بن ساعدة وأكرم": a conjunction the tokenizer left on
    run, start, _ = candidate.places[0]
    if any(  # a bare everyday word and its genitive after the name: "محلب قرار التمديد"
        everyday(words[k])
        and words[k - 1] not in connectors
        and words[k - 1] not in given
        and run[start + k + 1][1].prefix == "ال"
        for k in range(1, len(words) - 1)
    ):
        return True
    # After the name, a verbal noun, a feminine noun, a plural of أفعال or a فعال ("الأوضاع",
    # "الجلسة", "التمديد", "اللقاء"), or an everyday noun with a pronoun ("برنامجه"); an
    # everyday family name ("الجبير") is no such shape.
    return any(
        (
            everyday(word)
            and (
                _verbal_noun(word)
                or word.endswith("ه")
                or (len(word) == 5 and word[::3] == "اا")
                or (len(word) == 4 and word[2] == "ا")
            )
            and not word.endswith("يه")
            and words[k - 1] not in connectors
        )
        or (len(word) >= 5 and word[-1] == "ه" and everyday(word[:-1]))
        for k, word in enumerate(words[2:], 2)
    )


_NUMBER_WORDS = frozenset({"الف", "الاف", "حاديه", "حادي", "عشره", "عشر", "مئه", "مائه"}) | {
    "عشرين",
    "ثلاثين",
    "اربعين",
    "خمسين",
    "ستين",
    "سبعين",
    "ثمانين",
    "تسعين",
    "سابعه",
    "ثامنه",
    "تاسعه",
    "عاشره",
}


_CURRENCIES = frozenset({"ريال", "درهم", "دولار", "يورو", "جنيه", "ين", "يوان"})


def _headline_currency(candidate: _Candidate) -> bool:
    """Whether a currency is the headline's subject, written with the article there and
    used again in the text ("قوة الدولار تخفض أسعار النفط"): the currency itself, no
    amount's unit ("100 مليون دولار")."""
    if candidate.words[0] not in _CURRENCIES or not candidate.in_title or candidate.count < 2:
        return False
    run, start, _ = candidate.places[0]  # the title comes first
    return run[start][1].prefix.endswith(_ARTICLES)


def _afal(candidate: _Candidate) -> bool:
    """Whether a single word has the shape أفعل and never the article: an elative ("أثقل من
    رضوى", "أطيب", "أرخص") or a verb ("أنهت", "أجرت", "أشكر", "أتذكر"), no topic; a given name ("أحمد")
    or a place ("أبها") aside. In matching form: four letters from ا, no long vowel after it."""
    word = candidate.words[0]
    if word[:1] != "ا":
        return False
    # Or a verb in the first person, whose third person the news uses ("أتذكر", "أرى").
    first_person = len(word) >= 3 and "ي" + word[1:] in _verb_forms()
    if not first_person and (len(word) != 4 or word[1] in "اوي" or word[-1] in "اه"):
        return False
    return (
        word not in _first_names()
        and (word,) not in place_names()
        and not any(run[start][1].prefix.endswith(_ARTICLES) for run, start, _ in candidate.places)
    )


def _everyday_once(candidate: _Candidate) -> bool:
    """Whether a single everyday word is used once, bare: a passing word ("كامل", "مذهل"),
    not what the article is about."""
    if candidate.count > 1 or candidate.words[0] not in _common_words():
        return False
    run, start, _ = candidate.places[0]
    return not run[start][1].prefix.endswith(_ARTICLES)


def _pronoun_alone(candidate: _Candidate) -> bool:
    """Whether a single word is a noun with the pronoun "ه" ("فوزه", "وجمهوره", "بزواجه"): its
    stem, a conjunction or preposition off, is an everyday word. "المياه", "فقيه" are none."""
    token = candidate.places[0][0][candidate.places[0][1]][1]
    surface = strip_diacritics(token.surface)
    word = token.match
    if token.prefix.endswith(_ARTICLES) or not surface.endswith("ه") or len(word) < 4:
        return False
    common = _common_words()
    stem = word[:-1]
    if stem in common or (stem.endswith("ت") and stem[:-1] + "ه" in common):
        return True
    return stem[:1] in "وفب" and (stem[1:] in common or stem[2:] in common)


def _verb_with_conjunction(candidate: _Candidate) -> bool:
    """Whether the phrase opens on و or ف and a verb the tokenizer kept together ("وافتتح
    مشروع", "فأكملت"): the start of a clause, not a name."""
    token = candidate.places[0][0][candidate.places[0][1]][1]
    word = token.match
    if token.prefix or word[:1] not in "وف" or len(word) < 4:
        return False
    rest = word[1:]
    return rest not in _common_words() and (is_verb(rest) or _feminine_perfect(rest))


def _bare_last(candidate: _Candidate) -> bool:
    """Whether the phrase ends on a bare word in every use: an organisation's head so ending
    has lost its name ("فرع وزارة", "أعضاء مجلس")."""
    return all(not run[end - 1][1].prefix.endswith(_ARTICLES) for run, _, end in candidate.places)


def _disagreeing(candidate: _Candidate) -> bool:
    """Whether a definite feminine noun is followed by a masculine relative adjective, which
    cannot describe it: the adjective belongs to a title cut off before ("الخارجية الماليزي"
    of "وزير الخارجية الماليزي")."""
    if len(candidate.words) != 2:
        return False
    run, start, _ = candidate.places[0]
    first, second = run[start][1], run[start + 1][1]
    return (
        first.prefix.endswith(_ARTICLES)
        and second.prefix.endswith(_ARTICLES)
        and first.surface.endswith("ة")
        and strip_diacritics(second.surface).endswith("ي")
        and len(second.match) >= 4
    )


def _glued(candidate: _Candidate) -> bool:
    """Whether a word of the phrase is two everyday words run together with no space, as a
    byline's furniture is glued to a headline ("الكاتببناء" is "الكاتب" + "بناء")."""
    common = _common_words()
    for word in candidate.words:
        if len(word) < 8:
            continue
        for cut in range(3, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if (
                (head in common or (head.startswith("ال") and head[2:] in common))
                and tail in common
                and not tail.startswith("ال")
            ):
                return True
    return False


def _bare_second(candidate: _Candidate) -> bool:
    """Whether the phrase's second word is bare: "إدارة نادي ..." is a part of a body, but
    "نادي الاتحاد" is a club, its second head the name."""
    run, start, _ = candidate.places[0]
    return not run[start + 1][1].prefix.endswith(_ARTICLES)


# Verbal nouns of the derived forms VII, VIII and X ("انضمام", "اجتماع", "انتخاب", "استقبال"),
# with a possessive at times ("انضمامه"): after ل, a purpose ("تمهيدا لانضمامه").
_DERIVED_NOUN = re.compile(r"^ا(?:ست\w\w|ن\w\w|\wت\w)ا\w(?:ه|ها|هم|هما)?$")


def _purpose(candidate: _Candidate) -> bool:
    """Whether the phrase opens on a verbal noun of purpose after ل ("لاستقبال المرشحين",
    "لانتخاب الأعضاء", "لانضمامه"): what the news says is done, no topic of its own."""
    run, start, end = candidate.places[0]
    token = run[start][1]
    first = token.match
    if token.prefix in ("ل", "ول", "فل") and first.startswith(("است", "انت")) and len(first) >= 6:
        return True
    if first.startswith(("لاست", "لانت")) and len(first) >= 7:
        return True  # the clitic left on
    if token.prefix == "ل" and _DERIVED_NOUN.match(first):
        return True
    # The clitic left on, at any word: "تمهيدا لانضمامه" is no phrase either.
    return any(
        not t.prefix and t.match.startswith("ل") and _DERIVED_NOUN.match(t.match[1:])
        for _, t in run[start:end]
    )


def _a_group_of(candidate: _Candidate) -> bool:
    """Whether "مجموعة" is a quantity here: before a bare everyday noun in every use
    ("مجموعة مقاتلين"), not a body's name ("مجموعة السريع")."""
    if candidate.words[0] != "مجموعه" or len(candidate.words) < 2:
        return False
    common = _common_words()
    return all(
        not run[start + 1][1].prefix and run[start + 1][1].match in common
        for run, start, _ in candidate.places
    )


def _verb_edge(candidate: _Candidate) -> bool:
    """Whether the phrase opens or closes on a verb-shaped word the text does not write with
    the article ("يقصف مواقع"; but "سعيد راشد اليتيم" ends on a noun, "اليتيم")."""
    run, start, end = candidate.places[0]
    edges = {run[start][1], run[end - 1][1]}
    return any(
        (_verb_like(t.match) or _feminine_perfect(t.match)) and not t.prefix.endswith(_ARTICLES)
        for t in edges
    )


@cache
def _verb_forms() -> frozenset[str]:
    """Imperfect verbs the news uses: the news verbs and the everyday words ("يضم", "تضم")."""
    return news_verbs() | _common_words()


@lru_cache(maxsize=1 << 13)  # pure, and asked of the same words in every article
def _feminine_perfect(word: str) -> bool:
    """A feminine perfect verb ("ضمت", "أمرت", "أكملت"): a word ending in ت whose imperfect
    ("يضم", "يأمر", "يكمل") is a verb the news uses; no given name ("رفعت") nor place."""
    if len(word) < 3 or word[-1] != "ت" or word.endswith(("ات", "يت", "وت")):
        return False
    stem = word[:-1]
    verbs = _verb_forms()
    imperfects: tuple[str, ...] = ("ي" + stem, "ت" + stem)
    if stem[0] == "ا":
        imperfects += ("ي" + stem[1:], "ت" + stem[1:])
    return (
        any(form in verbs for form in imperfects)
        and word not in _first_names()
        and (word,) not in place_names()
        and word not in not_verbs()
    )


def _cut_construct(candidate: _Candidate) -> bool:
    """Whether every use of the phrase ends on a bare noun the run goes on with a definite
    word: that noun is a construct's head and its genitive is cut off ("قوة دول" of "قوة دول
    الخليج", "إيرادات منظومة" of "إيرادات منظومة الدرهم", "وداعا سعود" of "سعود الفيصل").
    An indefinite noun takes no definite adjective, so the definite word is always its genitive."""
    connectors = _connectors()
    for run, _, end in candidate.places:
        if run[end - 1][1].prefix or run[end - 1][1].match in connectors:
            return False
        if end < len(run) and not run[end][1].prefix and (run[end][1].match,) in place_names():
            continue  # a place is a genitive too: "إدارة تعليم" of "إدارة تعليم عفيف"
        if (
            end < len(run)
            and not run[end][1].prefix
            and run[end][1].match not in connectors
            and not run[end][1].match.endswith(("ي", "يه"))  # "سفينة إغاثية سعودية"
            and not (candidate.named or candidate.surname)
            and connectors.isdisjoint(candidate.words)
        ):
            continue  # a chain of bare nouns goes on: "سعر خام" of "سعر خام مزيج برنت"
        # Bare nouns chain constructs until the definite genitive: "قوة دول مجلس التعاون".
        after = end
        while after < len(run) and not run[after][1].prefix and after - end < 2:
            after += 1
        if after >= len(run) or not run[after][1].prefix.endswith(_ARTICLES):
            return False
    return True


_IMPERFECT = ("ي", "يست", "تست")
_PRONOUN_ENDS = ("ته", "ها", "هم", "هما")


def _ends_with_pronoun(candidate: _Candidate) -> bool:
    """Whether the phrase ends in a word carrying a possessive ("قبول عضويته"), or opens with
    one before another word: a noun with a pronoun is no construct's head, so "حققته الأجهزة"
    is a verb and its subject. Either is a fragment."""
    run, start, end = candidate.places[0]
    last = strip_diacritics(run[end - 1][1].surface)
    if len(last) >= 5 and last.endswith(_PRONOUN_ENDS):
        return True
    if len(last) >= 4 and last.endswith("ته"):
        return True  # "فئته": ة before the pronoun "ه" is written ت
    if len(last) >= 4 and last.endswith("ه") and run[end - 1][1].match[:-1] in _common_words():
        return True  # "مواقفه": "مواقف" and "his"; "جروس اسمه"
    first = run[start][1]
    return (
        end - start > 1
        and first.prefix == ""
        and len(first.surface) >= 5
        and strip_diacritics(first.surface).endswith(_PRONOUN_ENDS)
    )


def _surname_alone(candidate: _Candidate, candidates: dict[tuple[str, ...], _Candidate]) -> bool:
    """Whether a two- or three-word phrase of bare words reads as a person's name: the text
    also uses its last word alone, as it does a surname ("وليم بيرنز" ... "بيرنز")."""
    words = candidate.words
    if not 2 <= len(words) <= 3 or candidate.organisation or words in place_names():
        return False
    run, start, end = candidate.places[0]
    if any(token.prefix for _, token in run[start : end - 1]):
        return False
    if run[end - 1][1].prefix and words[0] not in _first_names():
        return False  # "سرطان الجلد" ... "الجلد": a noun's genitive, used alone as a noun
    last = candidates.get(words[-1:])
    return last is not None and last.count > candidate.count and not _verb_like(words[0])


def _indefinite(candidate: _Candidate) -> bool:
    """Whether no use of the phrase has the article: a description ("دور محوري")."""
    return not any(
        token.prefix.endswith(_ARTICLES)
        for run, start, end in candidate.places
        for _, token in run[start:end]
    )


def _dual_of_common(word: str, common: frozenset[str]) -> bool:
    """Whether a word is the dual or sound plural of a common word ("شابان" of "شاب",
    "تأكيدات" of "تأكيد", "مشاركات" of "مشاركة")."""
    if len(word) < 5:
        return False
    if word.endswith("ات"):
        return word[:-2] in common or word[:-2] + "ه" in common
    return word.endswith(("ان", "ين", "ون")) and word[:-2] in common


def _adjective_uses(candidate: _Candidate) -> bool:
    """Whether a definite word mostly follows another definite word ("المسجد العتيق", "الجامع
    العتيق"): an adjective in agreement, no topic alone."""
    after = sum(
        1
        for run, start, _ in candidate.places
        if start > 0
        and run[start][1].prefix.endswith(_ARTICLES)
        and run[start - 1][1].prefix.endswith(_ARTICLES)
    )
    return 2 * after >= len(candidate.places)


def _plural_participle(candidate: _Candidate) -> bool:
    """Whether a word is a bare masculine plural participle in every use ("عازمون", "مغردون",
    "مشاركون"): who said or did something, a headline's subject, never a tag alone. Given
    names and places aside."""
    word = candidate.words[0]
    if not word.endswith("ون") or word in _first_names() or (word,) in place_names():
        return False
    shaped = (word[0] == "م" and len(word) >= 6) or (len(word) == 6 and word[1] == "ا")
    return shaped and all(not run[start][1].prefix for run, start, _ in candidate.places)


def _adjective_led(candidate: _Candidate) -> bool:
    """Whether a phrase opens on a definite relative adjective that follows a definite noun in
    every use ("الأفغانية" of "العاصمة الأفغانية", "الذكية" of "الساعات الذكية", "الكشفي
    العالمي" of "المشروع الكشفي العالمي"): the adjective describes a noun left out, it is
    neither a tag alone nor a name's first word (a headline may drop the noun: "ساعة «بوتين»
    الذكية"; most uses decide). Places aside ("السعودية")."""
    first = candidate.words[0]
    if len(first) < 5 or not first.endswith(("ي", "يه")) or (first,) in place_names():
        return False
    after = sum(
        1
        for run, start, _ in candidate.places
        if start > 0
        and run[start][1].prefix.endswith(_ARTICLES)
        and run[start - 1][1].prefix.endswith(_ARTICLES)
        and run[start - 1][1].match not in _title_words()
    )
    return 2 * after > len(candidate.places)


def _nisba(candidate: _Candidate) -> bool:
    """A bare relative adjective standing alone ("أميركي", "سعودية"): a description, no tag."""
    run, start, _ = candidate.places[0]
    token = run[start][1]
    return token.prefix == "" and len(token.match) >= 5 and token.match.endswith(("ي", "يه"))


@lru_cache(maxsize=1 << 13)  # pure, and asked of the same words in every article
def _verb_like(word: str) -> bool:
    """A word shaped like an imperfect or plural verb ("يؤسسان", "تستثمر", "أحبوا")."""
    if word.startswith(("وسي", "وست", "فسي")) and len(word) >= 6:
        return True  # "وسيشارك": a future verb the tokenizer left whole
    if word in not_verbs() or len(word) < 4:
        return False
    if word.startswith(_IMPERFECT) and not word.startswith(("يون", "يور")):
        return True
    if word[0] in "يت" and word.endswith(("ان", "ون")) and len(word) >= 5:
        return True
    return word.endswith("وا") and len(word) >= 5


def _text_places(candidates: dict[tuple[str, ...], _Candidate]) -> set[tuple[str, ...]]:
    """Names the text itself shows as places: what follows a place head ("محافظة المندق")."""
    heads = _area_heads()
    # "محافظات المنطقة": no place of its own; nor an adjective ("منطقة منزوعة السلاح").
    generic = _never() | _place_heads()
    return {
        words[1:]
        for words, candidate in candidates.items()
        if len(words) >= 2
        and words[0] in heads
        and words[1] not in generic
        and not (_adjective_shape(words[1]) and not _definite_after_head(candidate))
        and _construct_use(candidate)
    }


def _adjective_shape(word: str) -> bool:
    """A feminine participle or relative adjective ("منزوعة", "صناعية"), not a name ("مكة")."""
    return word.endswith("يه") or (len(word) >= 5 and word[0] == "م" and word[-1] == "ه")


def _definite_after_head(candidate: _Candidate) -> bool:
    """Whether the word after the phrase's head has the article in its first use."""
    run, start, _ = candidate.places[0]
    return run[start + 1][1].prefix.endswith(_ARTICLES)


def _construct_use(candidate: _Candidate) -> bool:
    """Whether the phrase's head is used bare, as a construct's ("مسجد الشافعي"), at least once:
    after a definite head ("المسجد العتيق") the next word is an adjective, no name."""
    return any(not run[start][1].prefix.endswith(_ARTICLES) for run, start, _ in candidate.places)


_ROYAL = frozenset({"ملك", "امير"})
# A company or a club is named without its head when the text also writes the name alone
# ("شركة أرامكو السعودية" is "أرامكو السعودية", "نادي بيشكتاش التركي" is "بيشكتاش التركي";
# but "نادي الاتحاد", whose name is an everyday word, keeps its head).
_COMPANY_HEADS = frozenset({"شركه", "نادي"})
_COUNTRY_HEADS = frozenset({"دوله", "مملكه", "جمهوريه", "سلطنه", "اماره"})


def _kind(candidate: _Candidate, text_places: set[tuple[str, ...]]) -> str:
    """Person, place, organisation or topic, from the evidence the text and CLDR give."""
    words = candidate.words
    if candidate.organisation:
        if words[0] in _place_heads() and _ROYAL.isdisjoint(words):
            return "place"  # "مدينة جدة"; but "مدينة الملك عبدالله الطبية" is a body
        if words[0] == "مديريه" and words[1] not in _OFFICE_ADJECTIVES | _common_words():
            return "place"  # a district, "مديرية الزهر"; "المديرية العامة للجوازات" is a body
        return "organisation"
    if words in text_places or words[0] in _place_heads():
        return "place"
    if words in place_names() and not _adjective_not_place(candidate):
        return "place"
    if words[0] in _COUNTRY_HEADS and words[1:] in place_names():
        return "place"  # "دولة الإمارات العربية المتحدة", "مملكة البحرين"
    if (words[0] in _org_heads() and len(words) > 1) or words in _cldr_bodies():
        return "organisation"
    if len(words) > 1 and _club_genitive(candidate):
        return "organisation"  # "لاعب بايرن ميونيخ", "صفوف برشلونة": a club
    if len(words) == 1 and _club_word(candidate):
        return "organisation"  # "فريق الزمالك", "مدرب النصر": a club named alone
    if (
        len(words) == 2
        and words[0] in _SECTORS
        and (words[1:] in place_names() or words[1:] in text_places)
    ):
        return "organisation"  # "تعليم الخرج": the place's office of education
    if len(words) > 1 and words[0] in _FORCES and _definite_after_head(candidate):
        return "organisation"  # "الحرس الثوري", "الجيش الحر": an armed body
    if len(words) > 1 and (words[-1] in _place_adjectives() or _no_persons_start(candidate)):
        # "فيهورست الهولندية": a name and its nationality, no person's name; "باريس سان
        # جيرمان" opens on a place, "ملكة الأغنية الرومانسية" on a title's definite domain.
        return "topic"
    if len(words) > 1 and (
        candidate.named
        or (candidate.person and not words[0].endswith("ات"))  # "إشارات لاسلكية": a plural
        or not _connectors().isdisjoint(words)
        or _given_then_names(words)
    ):
        return "person"
    return "topic"


# Bare nouns a club's name follows as their genitive ("لاعب برشلونة", "مهاجم بايرن ميونيخ");
# a player follows them with the article, in apposition ("اللاعب ميسي").
_CLUB_MARKS = frozenset(
    {"لاعب", "لاعبي", "مدرب", "نجم", "نجوم", "مهاجم", "حارس", "مدافع", "فريق", "نادي"}
    | {"جماهير", "جمهور", "قميص", "صفوف", "ناشئي", "انصار", "شباك", "مرمي", "ملعب"}
)


# The heads of armed and security bodies, named by their adjective ("الحرس الثوري", "الحرس
# الوطني", "الجيش الحر", "الشرطة الدينية"): the pair is the body.
_FORCES = frozenset({"حرس", "جيش", "شرطه", "مخابرات", "استخبارات", "بحريه"})
# A club's nouns that an everyday word follows only as the club's name ("فريق الهلال",
# "ناديا النصر والهلال", "لفريقي النصر"), their duals with them.
_CLUB_HEADS = frozenset({"نادي", "ناديا", "ناديي", "فريق", "فريقا", "فريقي"})
_CLUB_NOUNS = _CLUB_HEADS | {"بعثه"}


# Government sectors whose office in a place is named by the sector and the place ("تعليم
# الخرج", "صحة جدة", "شرطة مكة", "مرور الرياض", "جوازات جازان").
_SECTORS = frozenset({"تعليم", "صحه", "شرطه", "مرور", "جوازات", "زراعه", "بلديه", "اوقاف"})


def _club_word(candidate: _Candidate) -> bool:
    """Whether a single definite word follows a club's noun in some use ("فريق الزمالك",
    "بعثة الزمالك", "مدرب الزمالك", "لفريقي النصر"): the club. For an everyday word ("النصر")
    only a club's head ("فريق", "نادي") will do, as "لاعب الوسط" and "حارس المرمى" name no
    club."""
    word = candidate.words[0]
    marks = _CLUB_HEADS if word in _common_words() else _CLUB_MARKS | _CLUB_NOUNS
    found = False
    for run, start, _ in candidate.places:
        token = run[start][1]
        if not token.prefix.endswith(_ARTICLES):
            return False  # a club is named with its article in every use
        if start > 0 and run[start - 1][1].match in marks:
            found = found or not run[start - 1][1].prefix.endswith(_ARTICLES)
    return found


def _club_genitive(candidate: _Candidate) -> bool:
    """Whether the phrase follows a bare player's, coach's or team's noun in some use: the
    genitive of "لاعب", "صفوف", a club's name, no person's."""
    return any(
        start > 0 and not run[start - 1][1].prefix and run[start - 1][1].match in _CLUB_MARKS
        for run, start, _ in candidate.places
    )


def _no_persons_start(candidate: _Candidate) -> bool:
    """Whether a phrase opens as no person's name does: on a place that is no given name, or
    on a definite word with no connector after it (a name after a title is bare: "الأمير
    سعود", but "ملكة الأغنية الرومانسية" names a field)."""
    words = candidate.words
    if words[:1] in place_names() and words[0] not in _first_names():
        return True
    run, start, _ = candidate.places[0]
    return run[start][1].prefix.endswith(_ARTICLES) and _connectors().isdisjoint(words)


@cache
def _place_adjectives() -> frozenset[str]:
    """The relative adjectives of one-word places ("هولنديه", "تركي", "كونغولي"): a
    nationality, never the last word of a person's name."""
    return frozenset(
        form
        for key in place_names()
        if len(key) == 1 and len(key[0]) >= 3
        for form in _nisba_forms(key[0])
    )


def _given_then_names(words: tuple[str, ...]) -> bool:
    """Whether a phrase of three words is a given name and two names after it, as a person's
    name is written in full ("خالد مساوي حمدي", "أحمد جعفر المجايشي"): none of the two an
    everyday word, a place, a title or a body's head."""
    if len(words) != 3 or words[0] not in _first_names():
        return False
    others = _no_surnames()
    return all(w not in others and (w,) not in place_names() for w in words[1:])


@cache
def _no_surnames() -> frozenset[str]:
    """Words that never follow a given name as the rest of it: everyday words, titles and the
    heads of bodies' and places' names (one set, not four joined on every call)."""
    return _common_words() | _title_words() | _org_heads() | _place_heads()


def _pick(
    candidates: dict[tuple[str, ...], _Candidate],
    top: int,
    junk: _Junk,
    text_places: set[tuple[str, ...]],
) -> list[tuple[_Candidate, str]]:
    """The best candidates, none junk, inside or around another, shown in their commonest form."""
    # Best score first, the earlier mention on a tie (two stable C-speed sorts, no key tuples).
    ranked = sorted((c for c in candidates.values() if c.score > 0), key=attrgetter("first"))
    ranked.sort(key=attrgetter("score"), reverse=True)
    connectors = _connectors()
    for c in ranked:
        if _given_and_surname(c, candidates):
            c.person = True  # "محمد صلاح" ... "صلاح": the surname alone folds into the person
    names = [
        c
        for c in ranked
        if len(c.words) > 1
        and (c.named or c.organisation or c.person or not connectors.isdisjoint(c.words))
    ]
    never = _never_phrases()
    # The parts of a never-tag the text uses ("الأنباء الألمانية" of a wire credit) are none.
    refused = [c.words for c in candidates.values() if len(c.words) > 2 and c.words in never]
    picked: list[_Candidate] = []
    for candidate in ranked:
        if len(picked) >= top:
            break
        if junk(candidate) or (refused and any(_contains(w, candidate.words) for w in refused)):
            continue
        full = _full_name(_longer_name(candidate, candidates, junk), names)
        if full is not candidate and junk(full):
            # "مصير جوارديولا" is junk: the next full name, "جوسيب جوارديولا", or the word.
            full = _full_name(candidate, [name for name in names if name is not full])
            full = candidate if full is not candidate and junk(full) else full
        bare = candidates.get(full.words[1:]) if full.words[0] in _area_heads() else None
        if bare is not None and bare.score > 0 and not full.organisation and not junk(bare):
            full = bare  # "مدينة حلب" is the place "حلب", the name the text also uses alone
        elif (
            full.organisation
            and full.words[0] in _COMPANY_HEADS
            and full.words[1] not in _common_words()  # "شركة تنمية", "الشركة العربية"
            and _construct_use(full)
        ):
            name = candidates.get(full.words[1:])
            if (
                name is not None
                and name.score > 0
                and (  # no adjective nor plain plural ("شركة بارزة", "شركة إعلانات")
                    not name.words[0].endswith(("ه", "ات"))
                    or any(start == 0 for _, start, _ in name.places)
                )
                and not junk(name)
            ):
                name.organisation = True  # "شركة أرامكو السعودية" is "أرامكو السعودية"
                full = name
        described = _described_name(full, candidates)
        if described is not None and not junk(described):
            described.organisation |= full.organisation
            full = described  # "ماكدونالدز الأميركية" is "ماكدونالدز", its name alone
        _take(full, picked, text_places)
    return [(c, _commonest_surface(c)) for c in picked]


def _longer_name(
    candidate: _Candidate, candidates: dict[tuple[str, ...], _Candidate], junk: _Junk
) -> _Candidate:
    """A body's name with the bare word the text writes after it in half its uses or more,
    at least twice ("حزب بهاراتيا" → "حزب بهاراتيا جاناتا"): a foreign name of two bare
    words, which the head's name rules end after the first. No everyday word nor verb."""
    if not candidate.organisation or candidate.count < 2:
        return candidate
    common = _common_words()
    best = candidate
    for words, other in candidates.items():
        if (
            len(words) == len(candidate.words) + 1
            and words[:-1] == candidate.words
            and 2 * other.count >= candidate.count
            and other.count >= 2
            and words[-1] not in common
            and not _verb_like(words[-1])
            and all(not run[end - 1][1].prefix for run, _, end in other.places)
            and not junk(other)
        ):
            best = other
    if best is not candidate:
        best.organisation = True
    return best


_DESCRIBED = 3  # how many times more often a name is written alone than with its adjective


def _described_name(
    candidate: _Candidate, candidates: dict[tuple[str, ...], _Candidate]
) -> _Candidate | None:
    """The name alone of a bare name and a relative adjective ("ماكدونالدز الأميركية",
    "ماكدونالدز الحقيقي"), when the text writes the name alone far more often: the adjective
    describes it, the tag is the name. None for other phrases, and for a name that is an
    everyday word ("الجيش السوري", "وزارة المالية الإماراتية" keep theirs)."""
    words = candidate.words
    if len(words) != 2 or words[0] in _common_words() or not words[1].endswith(("ي", "يه")):
        return None
    if not all(
        run[start][1].prefix == "" and run[start + 1][1].prefix.endswith(_ARTICLES)
        for run, start, _ in candidate.places
    ):
        return None
    name = candidates.get(words[:1])
    if name is None or name.score <= 0 or name.count < _DESCRIBED * candidate.count:
        return None
    return name


def _commonest_surface(candidate: _Candidate) -> str:
    """The display form of the candidate's commonest spelling: uses are counted on their
    words as shown, and only the winner is joined into display form."""
    if len(candidate.places) == 1:  # most tags' uses: one spelling, nothing to count
        return _surface(candidate.places[0])
    # A plain dict and max(): the first commonest spelling, as Counter.most_common(1) gives.
    uses: dict[tuple[str, ...], int] = {}
    first: dict[tuple[str, ...], _Place] = {}
    for place in candidate.places:
        run, start, end = place
        spelling = (
            _drop_clitics(run[start][1]),
            *(token.surface for _, token in run[start + 1 : end]),
        )
        uses[spelling] = uses.get(spelling, 0) + 1
        first.setdefault(spelling, place)
    return _surface(first[max(uses.items(), key=itemgetter(1))[0]])


def _take(
    candidate: _Candidate, picked: list[_Candidate], text_places: set[tuple[str, ...]]
) -> None:
    """Pick the candidate unless it lies inside, around or across one picked already; but a
    place is a tag of its own inside a body's or a topic's name ("الخرج" of "تعليم الخرج")."""
    words = candidate.words
    place = _named_place(candidate, text_places)
    for other in picked:
        if other.words == words or _same_person(words, other.words):
            return  # one tag once: "روما" alone, then again as the name of "نادي روما الإيطالي"
        if not _overlaps(words, other.words):
            continue
        if not (place and _contains(other.words, words) and not _is_place(other, text_places)):
            return  # but "الخرج" after "تعليم الخرج"
    picked.append(candidate)


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names are one person's or one body's, the last word spelt with a long vowel
    more ("عبدالله بن ناصر الداوود", "عبد الله الداود"; "جامعة هارفارد", "جامعة هارفرد"): the
    same given name or head ("عبد الله" and "عبدالله" alike), and a last word that is the
    other's with a و or ي doubled, or with an ا added in a long foreign name. No other vowel:
    "محمود" is not "محمد", nor "سعود" "سعد"."""
    if len(a) < 2 or len(b) < 2 or a[-1] == b[-1] or _given_of(a) != _given_of(b):
        return False
    short, long = sorted((a[-1], b[-1]), key=len)
    if len(long) != len(short) + 1:
        return False
    for k, letter in enumerate(long):
        if long[:k] + long[k + 1 :] == short:
            doubled = letter in "وي" and (
                long[k - 1 : k] == letter or long[k + 1 : k + 2] == letter
            )
            return doubled or (letter == "ا" and len(short) >= 6)
    return False


def _given_of(words: tuple[str, ...]) -> str:
    """A name's given name, "عبد الله" and "عبدالله" alike."""
    if words[0] in _NAME_STARTS and len(words) > 2:
        return words[0] + words[1]
    return words[0]


def _named_place(candidate: _Candidate, text_places: set[tuple[str, ...]]) -> bool:
    """Whether the candidate is a place's name as CLDR, the corpus or the text give it."""
    words = candidate.words
    return (words in place_names() and not _adjective_not_place(candidate)) or (
        words in text_places
    )


def _is_place(candidate: _Candidate, text_places: set[tuple[str, ...]]) -> bool:
    """Whether a candidate is shown as a place."""
    return _kind(candidate, text_places) == "place"


def _is_name(candidate: _Candidate) -> bool:
    """Whether a candidate reads as a full name: a person's (after an honorific, or with بن/عبد)
    or an organisation's, so that its short forms fold into it."""
    if len(candidate.words) < 2 or candidate.score <= 0:
        return False
    return (
        candidate.named
        or candidate.organisation
        or any(w in _connectors() for w in candidate.words)
    )


def _full_name(candidate: _Candidate, names: list[_Candidate]) -> _Candidate:
    """The full name a short form was introduced with ("بايدن" → "جو بايدن"), or itself."""
    best = candidate
    for name in names:
        if (
            len(name.words) > len(best.words)
            and (name.first <= candidate.first or _headline_surname(candidate, name))
            and _overlaps(candidate.words, name.words)
            and _contains(name.words, candidate.words)
        ):
            best = name
    return best


def _headline_surname(candidate: _Candidate, name: _Candidate) -> bool:
    """Whether a headline's single word is the surname of a person the text names in full
    later ("ابن معمر" ... "فيصل بن معمر"): no place, no body's name."""
    return (
        len(candidate.words) == 1
        and candidate.in_title
        and not name.in_title
        and not name.organisation
        and candidate.words[0] == name.words[-1]
        and candidate.words not in place_names()
    )


def _given_and_surname(
    candidate: _Candidate, candidates: dict[tuple[str, ...], _Candidate]
) -> bool:
    """Whether a pair opens on a given name and the text writes its last word alone more often,
    a surname ("محمد صلاح" ... "صلاح"): a person, even named once in full. No everyday word
    nor place last ("محمد الأمن"), nor a verb."""
    words = candidate.words
    return (
        len(words) == 2
        and not candidate.person
        and candidate.score > 0
        and words[0] in _first_names()
        and words[1] not in _common_words()
        and words[1:] not in place_names()
        and not _verb_like(words[1])
        # "جندي تركي وجرح 24": "و" and a perfect of three letters, no surname ("واكاسو")
        and not (words[1][:1] == "و" and len(words[1]) == 4 and words[1] not in _first_names())
        and _surname_alone(candidate, candidates)
    )


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """Whether short is a contiguous part of long."""
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one phrase holds the other, or the two share two words or more."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == 1:  # most candidates: one word shares no two words with anything
        return short[0] in long
    # Connectors are shared by any two names ("عبدالله بن عبدالعزيز", "سلطان بن سلمان بن
    # عبدالعزيز"): only other words count.
    return _contains(long, short) or len((set(a) & set(b)) - _connectors()) >= 2
