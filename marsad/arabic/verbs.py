"""Verb-like words in the matching form: news verbs are not keyphrase material.

An editor tags noun phrases (names, places, organisations, topics), so a verb ends a phrase
("الهلال يبدأ معسكره" gives "الهلال", never "الهلال يبدأ"). Arabic writes no capitals and
many verb forms look like nouns, so the evidence is data, not one rule:
- `news_verbs.txt`: frequent news verb forms gathered from the SaudiNewsNet corpus (words the
  rules below flag and the corpus never writes with the article ال);
- `not_verbs.txt`: words those rules would flag that are mostly nouns ("تقدم", "يمني", "ينبع");
- with corpus document counts: an imperfect (ي ت ن + stem, "يرتفع", "يشيعون") whose stem the
  corpus also shows with another person prefix ("ترتفع"), and a feminine perfect ("رصدت",
  "تعرضت") whose imperfect the corpus shows ("يرصد", "يتعرض");
- the future prefix ("سيقود") and an attached object pronoun ("تبذلها").
A word the same text writes with the article is a noun there ("التقدم"), whatever the rules say.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from functools import cache

from marsad.arabic.stopwords import read_word_list

_FUTURE = ("سي", "ست", "سن")
_PRONOUNS = ("ها", "هم", "هما", "هن", "كم")
_AFFIXED_MIN = 5
_IMPERFECT_MIN = 4
_PLURAL = ("ون", "ان")
_MIN_EVIDENCE = 2
# How common the other-person form must be, relative to the word itself: a noun such as
# "يوم" has no "توم" beside it, a verb such as "يرتفع" has "ترتفع" nearly as often.
_OTHER_PERSON_SHARE = {"ي": 1 / 8, "ت": 1 / 3, "ن": 1 / 2}


@cache
def news_verbs() -> frozenset[str]:
    """Frequent news verb forms (matching form), built on first use."""
    return read_word_list("news_verbs.txt")


@cache
def not_verbs() -> frozenset[str]:
    """Words shaped like verbs that are mostly nouns or names, built on first use."""
    return read_word_list("not_verbs.txt")


def is_verb(word: str, counts: Mapping[str, int] | None = None) -> bool:
    """Whether a matching-form word without clitics reads as a verb (counts: corpus DF)."""
    if word in not_verbs():
        return False
    if word in news_verbs() or _affixed(word):
        return True
    if counts is None:
        return False
    return _imperfect(word, counts) or _feminine_perfect(word, counts)


def verbs_among(words: Set[str], counts: Mapping[str, int] | None = None) -> set[str]:
    """The words of a set that `is_verb` calls verbs, the word lists applied as set operations
    (one call for a text's vocabulary, not one per word)."""
    rest = set(words) - not_verbs()
    found = rest & news_verbs()
    rest -= found
    found.update(
        word
        for word in rest
        if (len(word) >= _AFFIXED_MIN and (word.startswith(_FUTURE) or word.endswith(_PRONOUNS)))
        or (counts is not None and (_imperfect(word, counts) or _feminine_perfect(word, counts)))
    )
    return found


def _affixed(word: str) -> bool:
    """A future-tense verb ("سيقود") or a word carrying an object pronoun ("تبذلها")."""
    return len(word) >= _AFFIXED_MIN and (word.startswith(_FUTURE) or word.endswith(_PRONOUNS))


def _imperfect(word: str, counts: Mapping[str, int]) -> bool:
    """An imperfect verb: the corpus has its stem with another person prefix too."""
    if len(word) < _IMPERFECT_MIN or word[0] not in _OTHER_PERSON_SHARE:
        return False
    core = word
    if word.endswith(_PLURAL) and not word.endswith("يون") and len(word) >= 6:
        core = word[:-2]  # "يشيعون" → "يشيع"; "يمنيون" is a nisba plural, not a verb
    stem = core[1:]
    if word[0] == "ي":
        other = max(counts.get("ت" + stem, 0), counts.get("ن" + stem, 0))
    else:
        other = counts.get("ي" + stem, 0)
    own = counts.get(word, 0)
    return other >= _MIN_EVIDENCE and other >= own * _OTHER_PERSON_SHARE[word[0]]


def _feminine_perfect(word: str, counts: Mapping[str, int]) -> bool:
    """A perfect verb with the feminine ت ("رصدت"): the corpus has its imperfect ("يرصد")."""
    if len(word) < _IMPERFECT_MIN or not word.endswith("ت") or word.endswith("ات"):
        return False
    core = word[:-1]
    evidence = counts.get("ي" + core, 0)
    if core[0] == "ا":  # "اطلقت" → "يطلق"
        evidence = max(evidence, counts.get("ي" + core[1:], 0))
    return evidence >= _MIN_EVIDENCE
