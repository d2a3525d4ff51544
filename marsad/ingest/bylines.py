"""A publisher's author field read as a byline: people's names, the dateline, the credit.

Papers put many things in the author field: «لندن: رنيم حنوش», «سبق- الرياض:», «واس (جدة)»,
««الاقتصادية» من الرياض», «عبدالله الغامدي (الرياض)، عبدالرحمن شار (صبيا)». The author is a
person's name or nothing; a place becomes the dateline; a wire agency or the paper's own name
is the credit. The vocabulary (agencies, role words, common places) is data in
data/bylines.json; an unlisted place is found by where it stands (before a colon, in brackets,
after «من», a lone word beside a name).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from marsad.ingest.furniture import fold

_MAX_NAME_WORDS = 5
_BRACKETED = re.compile(r"\(([^()]*)\)")
_FROM = re.compile(r"\s+من\s+")
_QUOTES = re.compile(r"[«»\"“”'‘’()\[\]]")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)


@dataclass(frozen=True)
class Byline:
    """What an author field says: people, place, credit (each None when absent)."""

    author: str | None = None
    dateline: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class _Vocabulary:
    agencies: frozenset[str]
    roles: frozenset[str]
    photo_roles: frozenset[str]
    places: frozenset[str]


@cache
def _vocabulary() -> _Vocabulary:
    """Read data/bylines.json once (folded for matching)."""
    raw = resources.files("marsad.ingest").joinpath("data/bylines.json").read_text("utf-8")
    data = json.loads(raw)

    def folded(key: str) -> frozenset[str]:
        return frozenset(_key(x) for x in data[key])

    return _Vocabulary(folded("agencies"), folded("roles"), folded("photo_roles"), folded("places"))


def _key(text: str) -> str:
    """A segment as matched: folded, punctuation and quotes dropped."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def read_byline(field: str | None, paper: str | None = None) -> Byline:
    """The byline an author field holds, given the paper's own name."""
    if not field:
        return Byline()
    paper_key = _key(paper) if paper else ""
    names: list[str] = []
    places: list[str] = []
    credits: list[str] = []
    for group in _groups(field):
        classified = [(segment, _classify(segment, kind, paper_key)) for segment, kind in group]
        for i, (segment, cls) in enumerate(classified):
            if cls != "name":
                continue
            before = [c for _, c in classified[:i]]
            after = [c for _, c in classified[i + 1 :]]
            if before[-1:] == ["credit"] and "name" in before:
                classified[i] = (segment, "place")  # «فهد كاملي- سبق- جزيرة فرسان:»
            elif not before and after == ["credit"]:
                classified[i] = (segment, "place")  # «بوينوس ايرس - أ ف ب»
        for segment, cls in classified:
            {"name": names, "place": places, "credit": credits}.get(cls, []).append(segment)
    if len(names) > 1 and not places:
        # «أبها - عبدالله» / «محمد عليان - ينبع»: a lone word beside a name is the place.
        lone = [n for n in names if len(n.split()) == 1]
        if len(lone) == 1:
            names.remove(lone[0])
            places.append(lone[0])
    return Byline(_join(names), _join(places), _join(credits))


def _classify(segment: str, kind: str, paper_key: str) -> str:
    """One part as "name", "place", "credit" or "" (a role word, a photographer, noise)."""
    vocabulary = _vocabulary()
    key = _key(segment)
    if not key or kind == "photo" or key in vocabulary.roles:
        return ""
    if key in vocabulary.agencies:
        return "credit"
    if kind == "place" and paper_key and _is_paper(key, paper_key):
        return "credit"  # «لندن: «الشرق الأوسط»» names the paper after the colon
    if kind == "place" or key in vocabulary.places:
        return "place"  # «الرياض - واس» in الرياض is the city
    if paper_key and _is_paper(key, paper_key):
        return "credit"
    if len(key.split()) <= _MAX_NAME_WORDS and not any(c.isdigit() for c in key):
        return "name"
    return ""


def _groups(field: str) -> list[list[tuple[str, str]]]:
    """The field's people (split at commas), each as parts with what their position says
    ("place", "photo" for a photographer's name, or "")."""
    text = " ".join(field.replace("\xa0", " ").split())
    groups: list[list[tuple[str, str]]] = []
    photo = False
    # «عبدالله الغامدي (الرياض)، عبدالرحمن شار (صبيا)»: brackets hold the place.
    for person in re.split(r"\s*[،,]\s*", text):
        bracketed = [m.group(1) for m in _BRACKETED.finditer(person)]
        person = _BRACKETED.sub(" ", person)
        parts = _FROM.split(person, maxsplit=1)
        if len(parts) == 2 and len(parts[1].split()) <= 3:
            person, bracketed = parts[0], [*bracketed, parts[1]]  # «الاقتصادية» من الرياض
        group: list[tuple[str, str]] = []
        for segment, kind in [*_dash_parts(person), *((_clean(b), "place") for b in bracketed)]:
            if photo:
                group.append((segment, "photo"))
                photo = False
            elif _key(segment) in _vocabulary().photo_roles:
                photo = True
            else:
                group.append((segment, kind))
        groups.append(group)
    return groups


def _dash_parts(person: str) -> list[tuple[str, str]]:
    """Parts split at dashes and colons; a part before a colon is a place when more follows."""
    pieces = re.split(r"(\s*[-–—ـ:/|]\s*)", person)
    parts: list[tuple[str, str]] = []
    for i in range(0, len(pieces), 2):
        segment = _clean(pieces[i])
        if not segment:
            continue
        after = pieces[i + 1].strip() if i + 1 < len(pieces) else ""
        rest = "".join(pieces[i + 2 :]).strip(" -–—ـ:/|")
        kind = "place" if after == ":" and rest else ""
        parts.append((segment, kind))
    return parts


def _clean(segment: str) -> str:
    """A segment without quotes, brackets or punctuation at its edges."""
    return _EDGE_PUNCT.sub("", _QUOTES.sub(" ", segment)).strip()


def _is_paper(key: str, paper_key: str) -> bool:
    """Whether a segment is the paper's own name («الشرق الأوسط أونلاين», «الرياض الإلكتروني»)."""
    if key == paper_key:
        return True
    return key.startswith(paper_key + " ") and key.split()[-1] in {"اونلاين", "الالكتروني"}


def _join(parts: list[str]) -> str | None:
    """Distinct parts joined as Arabic lists are, or None."""
    distinct = list(dict.fromkeys(parts))
    return "، ".join(distinct) if distinct else None
