"""Aggregator furniture is not article text: find it in the page and in the extracted text.

Two passes, both driven by data/furniture.json:
  - in the page, before extraction: a block that opens with a marker ("اقرأ أيضا",
    "مقالات مشابهة", "كلمات دلالية", ...) is removed whole, with a link list right after it;
  - in the text, after extraction: marker paragraphs, end-of-article lists, comment rules,
    share-button rows and a byline repeated as the first or last paragraph are dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml.html import HtmlElement

from marsad.arabic.normalize import fold_letters, strip_diacritics

_BLOCK_TAGS = {"aside", "section", "div", "ul", "ol", "p", "li", "dl", "table", "nav", "span"}
_STOP_TAGS = {"body", "html", "article", "main"}
_MARKER_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "div", "li", "dt")
_MAX_MARKER_CHARS = 60
# Prose (non-link text) a furniture block may hold: a marker and a one-paragraph teaser.
_MAX_BLOCK_PROSE = 400
_MAX_NOTICE_WORDS = 80
_MAX_BYLINE_WORDS = 12
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Furniture:
    """The furniture vocabulary, folded for matching."""

    block_markers: tuple[str, ...]
    tail_markers: tuple[str, ...]
    comment_phrases: tuple[str, ...]
    share_words: frozenset[str]


def fold(text: str) -> str:
    """Text as furniture is matched: folded letters, no diacritics, lower case, one space."""
    return " ".join(fold_letters(strip_diacritics(text)).lower().split())


@cache
def furniture() -> Furniture:
    """Read data/furniture.json once."""
    raw = resources.files("marsad.ingest").joinpath("data/furniture.json").read_text("utf-8")
    data = json.loads(raw)

    def folded(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fold(x) for x in data[key]))

    share = frozenset(w for phrase in data["share_words"] for w in fold(phrase).split())
    return Furniture(
        folded("block_markers"), folded("tail_markers"), folded("comment_phrases"), share
    )


def share_words() -> frozenset[str]:
    """Share-button labels, as they appear on pages (folded words)."""
    return furniture().share_words


def strip_page_furniture(tree: HtmlElement) -> None:
    """Remove marker-headed blocks (and the link list after a bare heading) from the page."""
    markers = furniture().block_markers
    doomed: list[HtmlElement] = []
    for element in tree.iter(*_MARKER_TAGS):
        own = fold(element.text_content())
        if not any(own[:_MAX_MARKER_CHARS].startswith(m) for m in markers):
            continue
        if _furniture_like(element):
            doomed.append(_block_of(element, own))
    for element in doomed:
        following = element.getnext()
        if following is not None and following.tag in ("ul", "ol") and _link_dense(following):
            _drop(following)
        _drop(element)


def _block_of(element: HtmlElement, own: str) -> HtmlElement:
    """The widest ancestor that opens with the marker and holds nothing but furniture."""
    block = element
    parent = element.getparent()
    while parent is not None and parent.tag in _BLOCK_TAGS and parent.tag not in _STOP_TAGS:
        if not fold(parent.text_content()).startswith(own[:_MAX_MARKER_CHARS]):
            break
        if not _furniture_like(parent):
            break
        block, parent = parent, parent.getparent()
    return block


def _furniture_like(element: HtmlElement) -> bool:
    """Whether an element has little prose outside its links: a teaser at most, no article."""
    text = len(element.text_content().strip())
    links = sum(len(a.text_content().strip()) for a in element.iter("a"))
    return text - links <= _MAX_BLOCK_PROSE


def _link_dense(element: HtmlElement) -> bool:
    """Whether most of an element's text is link text."""
    text = len(element.text_content().strip())
    links = sum(len(a.text_content().strip()) for a in element.iter("a"))
    return text > 0 and links / text > 0.5


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    if element.getparent() is not None:
        element.drop_tree()


def clean_paragraphs(
    paragraphs: Iterable[str], author: str | None = None, title: str | None = None
) -> list[str]:
    """The article's paragraphs without furniture that survived extraction."""
    f = furniture()
    kept: list[str] = []
    for paragraph in paragraphs:
        folded = fold(paragraph)
        if not folded:
            continue
        if any(folded.startswith(m) for m in f.tail_markers) and kept:
            break
        if _is_furniture(folded, f):
            continue
        kept.append(paragraph)
    if kept and title and _words(kept[0]) == _words(title):
        kept = kept[1:]  # the headline, repeated as the first line of the body
    return _without_bylines(kept, author)


def _words(text: str) -> list[str]:
    """Folded words without punctuation."""
    return _PUNCT.sub(" ", fold(text)).split()


def is_furniture(text: str) -> bool:
    """Whether one paragraph is a marker line, comment rules or a share-button row."""
    return _is_furniture(fold(text), furniture())


def _is_furniture(folded: str, f: Furniture) -> bool:
    """Whether one folded paragraph is a marker line, comment rules or a share-button row."""
    if any(folded.startswith(m) for m in f.block_markers):
        return True
    words = _PUNCT.sub(" ", folded).split()
    if len(words) <= _MAX_NOTICE_WORDS and any(p in folded for p in f.comment_phrases):
        return True
    return bool(words) and sum(w in f.share_words for w in words) / len(words) >= 0.5


def _without_bylines(paragraphs: list[str], author: str | None) -> list[str]:
    """Drop a first or last paragraph that only repeats the byline."""
    name = _words(author) if author else []
    if not name or not paragraphs:
        return paragraphs

    def is_byline(paragraph: str) -> bool:
        words = _words(paragraph)
        if len(words) > _MAX_BYLINE_WORDS:
            return False
        return any(words[i : i + len(name)] == name for i in range(len(words) - len(name) + 1))

    while paragraphs and is_byline(paragraphs[0]):
        paragraphs = paragraphs[1:]
    while paragraphs and is_byline(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    return paragraphs
