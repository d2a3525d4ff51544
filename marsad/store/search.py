"""What goes into the full-text index and what a query becomes: words as written, and stems.

Every word of an article is indexed twice, in its part (title, lead or body): as written
(matching form, article peeled) and as its Snowball stem. A query word matches an article
holding its stem, so every spelling that folds and stems alike is found (with or without the
article and و/ف/ب/ك/ل before it, hamza and ta marbuta forms, diacritics); ranking then scores
the word as written apart from its stem, so a name matched as written («طالبان») ranks far
above a common word its stem shares («طالب», student). The article is peeled before Snowball,
which otherwise stems "السعودية" and "سعودية" differently.

The query language: «a phrase» or "a phrase" (its words in that order), -word or -«phrase»
to exclude, source:slug and from:/to: dates (YYYY-MM-DD) as filters; any other character is
plain text. Synonyms (synonyms.tsv) let one way of naming a thing find the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from marsad.arabic.normalize import matching_form
from marsad.arabic.stem import stems
from marsad.arabic.tokenize import peel_article

_WORD_RE = re.compile(r"[^\W_]+")
# Searches count their hits up to this many: a total equal to it means "at least this many"
# (show "more than 1,000 results"), since counting every hit of a common word is what made
# searches slow at 1M articles.
TOTAL_CAP = 1000
# The lead: the text's first words, weighted between the title and the rest of the body.
LEAD_WORDS = 40
# Parts of an article in the index, in column order.
TITLE, LEAD, BODY = 0, 1, 2
# What a query may hold: words searched (the rest is ignored), exclusions and sources.
MAX_GROUPS = 12
MAX_EXCLUDED = 6
MAX_SOURCES = 5
MAX_WORD_CHARS = 100
_SYNONYMS = Path(__file__).parent / "data" / "synonyms.tsv"
# A phrase: «...», "..." or “...”; a filter: name:value; an excluded word or phrase: a leading -.
_TOKEN_RE = re.compile(
    r'(?P<neg>-)?(?:«(?P<g>[^»]*)»?|"(?P<q>[^"]*)"?|“(?P<c>[^”]*)”?'
    r"|(?P<key>source|from|to):(?P<value>\S+)|(?P<plain>[^\s«\"“]+))"
)
_SLUG_RE = re.compile(r"[\w.-]{1,200}")


def search_words(match_text: str) -> list[str]:
    """Words of a matching-form text as the index holds them: tatweel dropped, articles peeled.

    Runs of letters longer than any word (encoded data, a keyboard held down) are left out.
    """
    return [
        peel_article(word.replace("\u0640", ""))
        for word in _WORD_RE.findall(match_text)
        if len(word) <= MAX_WORD_CHARS
    ]


def search_stems(match_text: str) -> list[str]:
    """Stems of every word of a matching-form text, articles peeled first."""
    return stems(search_words(match_text))


@dataclass(frozen=True)
class IndexedPart:
    """One part of an article (title, lead or body): its words as written and their stems."""

    words: list[str]
    stems: list[str]


def index_parts(match_title: str, match_text: str) -> list[IndexedPart]:
    """The title, the lead and the rest of the body, as the full-text index holds them."""
    title = [w for w in search_words(match_title) if w]
    text = [w for w in search_words(match_text) if w]
    parts = (title, text[:LEAD_WORDS], text[LEAD_WORDS:])
    return [IndexedPart(words, stems(words)) for words in parts]


def index_terms(match_title: str, match_text: str) -> str:
    """The space-joined stems of an article (title and text, matching form)."""
    return " ".join(search_stems(f"{match_title} {match_text}"))


def query_terms(query: str) -> list[str]:
    """Turn whatever a user typed into distinct stems; operators and quotes become plain text."""
    return list(dict.fromkeys(term for term in search_stems(matching_form(query)) if term))


@dataclass(frozen=True)
class Phrase:
    """One way of saying what a query asks for: words as written and their stems, in order.

    A synonym the reader did not type is `exact`: only its words as written match, since the
    stems of a multi-word name often spell something common (the stems of «الدولة الإسلامية»
    are those of «الدول الإسلامية», Islamic countries).
    """

    words: tuple[str, ...]
    stems: tuple[str, ...]
    exact: bool = False


@dataclass(frozen=True)
class Group:
    """A word or quoted phrase of a query, with the synonyms that may stand for it."""

    ways: tuple[Phrase, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """What a reader asked: groups to find, groups to exclude, and filters."""

    groups: tuple[Group, ...] = ()
    excluded: tuple[Group, ...] = ()
    sources: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    refused: tuple[str, ...] = field(default=(), compare=False)

    def stems(self) -> list[str]:
        """Every stem the query looks for (synonyms included), for marking matches."""
        return list(dict.fromkeys(s for g in self.groups for w in g.ways for s in w.stems))


def phrase(text: str) -> Phrase | None:
    """A phrase of plain text (matching form, articles peeled, stemmed), None if no word."""
    words = tuple(w for w in search_words(matching_form(text)) if w)
    return Phrase(words, tuple(stems(list(words)))) if words else None


@cache
def synonyms() -> dict[tuple[str, ...], tuple[Phrase, ...]]:
    """The synonym table: each way of naming a thing (its words) to every way in its line."""
    table: dict[tuple[str, ...], tuple[Phrase, ...]] = {}
    for line in synonym_lines():
        ways = tuple(p for p in map(phrase, line) if p is not None)
        for way in ways:
            table[way.words] = ways
    return table


@cache
def synonym_lines() -> tuple[tuple[str, ...], ...]:
    """The lines of synonyms.tsv as written: the ways news names one thing, one line each."""
    lines = _SYNONYMS.read_text(encoding="utf-8").splitlines()
    return tuple(tuple(line.split("\t")) for line in lines if line.strip() and line[0] != "#")


def parse_query(query: str) -> ParsedQuery:
    """What a typed query asks for; nothing in it is ever more than text, a filter or a sign."""
    groups: list[Group] = []
    excluded: list[Group] = []
    sources: list[str] = []
    dates: dict[str, date] = {}
    refused: list[str] = []
    plain: list[str] = []  # words between phrases and filters, grouped with their synonyms
    for token in _TOKEN_RE.finditer(query):
        key = token["key"]
        quoted = token["g"] if token["g"] is not None else token["q"] or token["c"]
        if key is not None:
            _add_filter(key, token["value"], sources, dates, refused)
        elif token["neg"] and (quoted or token["plain"]):
            found = phrase(quoted or token["plain"] or "")
            if found is not None and len(excluded) < MAX_EXCLUDED:
                excluded.append(Group((found,)))
        elif quoted is not None:
            groups += _groups(plain)
            plain = []
            found = phrase(quoted)
            if found is not None:
                groups.append(Group(_with_synonyms(found)))
        elif token["plain"]:
            plain.append(token["plain"])
    groups += _groups(plain)
    return ParsedQuery(
        tuple(dict.fromkeys(groups))[:MAX_GROUPS],
        tuple(excluded),
        tuple(dict.fromkeys(sources))[:MAX_SOURCES],
        dates.get("from"),
        dates.get("to"),
        tuple(refused),
    )


def definite_words(query: str) -> frozenset[str]:
    """The words a reader typed with the article («الدولار»), as the index holds them (peeled):
    the definite form names the thing itself, where the bare word after a number is a unit
    («430 مليار دولار»). Excluded words and filters are left out."""
    found: set[str] = set()
    for token in _TOKEN_RE.finditer(query):
        typed = token["g"] if token["g"] is not None else token["q"] or token["c"] or token["plain"]
        if token["neg"] or token["key"] is not None or not typed:
            continue
        for word in _WORD_RE.findall(matching_form(typed)):
            word = word.replace("\u0640", "")
            peeled = peel_article(word)
            if peeled != word:
                found.add(peeled)
    return frozenset(found)


def bare_in_title(match_title: str, definite: frozenset[str]) -> int:
    """How many of the query's definite words (`definite_words`) a title (matching form) holds
    only without the article."""
    bare: set[str] = set()
    with_article: set[str] = set()
    for word in _WORD_RE.findall(match_title):
        peeled = peel_article(word.replace("\u0640", ""))
        if peeled in definite:
            (bare if peeled == word else with_article).add(peeled)
    return len(bare - with_article)


def _add_filter(
    key: str, value: str, sources: list[str], dates: dict[str, date], refused: list[str]
) -> None:
    """Record a source: or from:/to: filter, or why it was refused."""
    if key == "source":
        if _SLUG_RE.fullmatch(value):
            sources.append(value.lower())
        else:
            refused.append(f"source:{value[:40]} is not a source name")
        return
    try:
        dates[key] = date.fromisoformat(value)
    except ValueError:
        refused.append(f"{key}:{value[:40]} is not a date (YYYY-MM-DD)")


def _groups(texts: Sequence[str]) -> Iterator[Group]:
    """Groups of plain query words: the longest run that the synonym table names is one group."""
    words = [w for text in texts for w in search_words(matching_form(text)) if w]
    table = synonyms()
    longest = max((len(k) for k in table), default=1)
    at = 0
    while at < len(words):
        for size in range(min(longest, len(words) - at), 0, -1):
            run = tuple(words[at : at + size])
            if size == 1 or run in table:
                found = Phrase(run, tuple(stems(list(run))))
                yield Group(_with_synonyms(found))
                at += size
                break


def _with_synonyms(found: Phrase) -> tuple[Phrase, ...]:
    """A phrase and the other ways the synonym table gives for it (the phrase first)."""
    others = synonyms().get(found.words, ())
    return (found, *(replace(w, exact=True) for w in others if w.words != found.words))
