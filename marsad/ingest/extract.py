"""One article page into an article: title, paragraphs, author, publish time, image, URL.

The stages, in order:
  1. parse the HTML once (lxml) and read what the markup states: canonical URL, language,
     publish time (meta tags first, then the visible date line, through dates.py)
  2. apply the source's rules (rules.py): drop selectors, then cut to the body selector
  3. remove aggregator furniture blocks from the page (furniture.py)
  4. run trafilatura on what is left, for the main text and title, author and image
  5. split into paragraphs and drop furniture that survived (comment rules, bylines, ...)
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import lxml.html
import trafilatura
from lxml.html import HtmlElement

from marsad.ingest.dates import parse_date, parse_iso, plausible
from marsad.ingest.failures import FetchError, Reason
from marsad.ingest.furniture import (
    clean_paragraphs,
    is_furniture,
    share_words,
    strip_page_furniture,
)
from marsad.ingest.images import lead_image
from marsad.ingest.quality import text_tokens
from marsad.ingest.rules import Rules, css_to_xpath
from marsad.urls import web_url

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "DC.date.issued",
    "dcterms.created",
    "sailthru.date",
)
_DATE_HINT = re.compile(r"date|time|tmstmp|publish|posted|تاريخ", re.I)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_ARABIC = re.compile("[\u0621-\u064a]")
_MAX_DATE_LINE = 200
_SHORT_TEXT = 400
_MIN_OWN_WORDS = 5
_OUTSIDE_ARTICLE = {"nav", "header", "footer", "aside", "form", "noscript", "script", "style"}


@dataclass(frozen=True)
class Extracted:
    """What one page says: the article and its metadata."""

    url: str
    title: str
    text: str
    author: str | None = None
    published_at: datetime | None = None
    image: str | None = None
    language: str | None = None

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO 8601)."""
        data = asdict(self)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data


def extract(html: str, url: str, rules: Rules | None = None) -> Extracted:
    """Extract the article from a page; raise FetchError(no article text) when there is none."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise FetchError(Reason.NO_TEXT, "unparseable HTML") from exc
    canonical = canonical_link(tree, url)
    image = lead_image(tree, url)  # before the body is cut down; relative to where it was fetched
    published = published_time(tree)
    language = page_language(tree)
    rules = rules or Rules()
    ruled_title = _selected_text(tree, rules.title) if rules.title else None
    body = _apply_rules(tree, rules)
    strip_page_furniture(body)
    baseline = paragraph_baseline(body)  # before trafilatura, which prunes the tree it reads
    links = {" ".join(a.text_content().split()) for a in body.iter("a")}
    page_words = _furniture_words(body, links)
    found = trafilatura.bare_extraction(
        body,
        url=canonical,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
        # Dates come from dates.py; htmldate's extensive search (dateparser over every
        # text node) would cost most of the extraction time and date Arabic pages wrong.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    data: dict[str, Any] = {}
    if found is not None:
        data = found if isinstance(found, dict) else found.as_dict()
    author = meta_author(tree) or _clean(data.get("author"))
    title = ruled_title or _clean(data.get("title")) or _first_heading(tree) or ""
    paragraphs = [p for p in (data.get("text") or "").split("\n") if p.strip()]
    if sum(len(p) for p in paragraphs) < _SHORT_TEXT:
        # On short articles trafilatura falls back to whole-page text; the page's own
        # paragraphs, in the container that holds most of them, are closer to the article.
        if not baseline and not _beyond_page_furniture(paragraphs, page_words, title, author):
            raise FetchError(Reason.NO_TEXT, "only headline, byline and buttons")
        paragraphs = baseline or paragraphs
    # A paragraph that is nothing but a link's text is navigation, not the article.
    paragraphs = [p for p in paragraphs if " ".join(p.split()) not in links]
    paragraphs = clean_paragraphs(paragraphs, author, title)
    if not paragraphs:
        raise FetchError(Reason.NO_TEXT)
    text = "\n\n".join(p.strip() for p in paragraphs)
    return Extracted(
        url=canonical,
        title=title,
        text=text,
        author=author,
        published_at=published,
        image=image or web_url(_clean(data.get("image")), url),
        language=language or ("ar" if _mostly_arabic(text) else None),
    )


def _selected_text(tree: HtmlElement, selector: str) -> str | None:
    """The text of the first element a selector finds, spaces collapsed."""
    for element in tree.xpath(css_to_xpath(selector)):
        if isinstance(element, HtmlElement):
            return _clean(element.text_content())
    return None


def _apply_rules(tree: HtmlElement, rules: Rules) -> HtmlElement:
    """The tree with the rules' drop selectors removed, cut down to the body selector if any."""
    for selector in rules.drop:
        for element in tree.xpath(css_to_xpath(selector)):
            if isinstance(element, HtmlElement) and element.getparent() is not None:
                element.drop_tree()
    if rules.body:
        matches = [e for e in tree.xpath(css_to_xpath(rules.body)) if isinstance(e, HtmlElement)]
        if matches:
            # Keep the page's head (title, meta) around the body so metadata still reads.
            wrapper = lxml.html.fromstring("<html><body></body></html>")
            head = tree.find("head")
            if head is not None:
                wrapper.insert(0, head)
            body = wrapper.find("body")
            for match in matches:
                body.append(match)
            return wrapper
    return tree


def paragraph_baseline(tree: HtmlElement) -> list[str]:
    """The `<p>` texts of the container that holds the most paragraph text on the page."""
    by_parent: dict[HtmlElement, list[str]] = {}
    for p in tree.iter("p"):
        if any(a.tag in _OUTSIDE_ARTICLE for a in p.iterancestors()):
            continue
        text = " ".join(p.text_content().split())
        parent = p.getparent()
        if text and parent is not None and not is_furniture(text):
            by_parent.setdefault(parent, []).append(text)
    if not by_parent:
        return []
    return max(by_parent.values(), key=lambda texts: sum(len(t) for t in texts))


def _furniture_words(tree: HtmlElement, links: set[str]) -> set[str]:
    """Words of the page's links, headings and date lines: what a non-article is made of."""
    known = {t for link in links for t in text_tokens(link)}
    known.update(t for line in _visible_dates(tree) for t in text_tokens(line))
    known.update(t for h in tree.iter("h1", "h2") for t in text_tokens(h.text_content()))
    return known


def _beyond_page_furniture(
    paragraphs: list[str], page_words: set[str], title: str, author: str | None
) -> bool:
    """Whether a short text has words beyond the headline, byline, date lines and buttons."""
    known = page_words | set(text_tokens(f"{title} {author or ''}")) | share_words()
    rest = [t for p in paragraphs for t in text_tokens(p) if t not in known]
    return len(rest) >= _MIN_OWN_WORDS


def canonical_link(tree: HtmlElement, url: str) -> str:
    """The page's canonical URL (`<link rel=canonical>`, else og:url), else the URL fetched."""
    for href in tree.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
        " | //meta[@property='og:url']/@content"
    ):
        href = str(href).strip()
        found = web_url(href, url) if href and not href.startswith("#") else None
        if found is not None:  # a javascript: or unparseable canonical is no canonical
            return found
    return url


def meta_author(tree: HtmlElement) -> str | None:
    """The author the page's meta tags name (`<meta name="author">`, article:author)."""
    for value in tree.xpath(
        "//meta[@name='author']/@content | //meta[@property='article:author']/@content"
    ):
        name = _clean(html.unescape(str(value)))
        if name and not name.startswith("http"):
            return name
    return None


def page_language(tree: HtmlElement) -> str | None:
    """The language the page declares (`<html lang>` or content-language), as `ar`, `en`, ..."""
    declared = tree.get("lang") or tree.get("xml:lang")
    if not declared:
        metas = tree.xpath("//meta[@http-equiv='content-language']/@content")
        declared = str(metas[0]) if metas else None
    return declared.split("-")[0].strip().lower() or None if declared else None


def published_time(tree: HtmlElement) -> datetime | None:
    """The publish time: meta tags and JSON-LD first, then the page's visible date line."""
    for candidate in _machine_dates(tree):
        found = parse_date(candidate)
        if found is not None and plausible(found):
            return found
    for candidate in _visible_dates(tree):
        found = parse_date(candidate)
        if found is not None and plausible(found):
            return found
    return None


def _machine_dates(tree: HtmlElement) -> list[str]:
    """Dates written for machines: meta tags, `<time datetime>`, itemprop, JSON-LD."""
    found: list[str] = []
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if key in _DATE_META and meta.get("content"):
            found.append(str(meta.get("content")))
    found += [str(v) for v in tree.xpath("//*[@itemprop='datePublished']/@content")]
    found += [str(v) for v in tree.xpath("//time/@datetime")]
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        found += _JSONLD_DATE.findall(str(script))
    return [f for f in found if parse_iso(f) is not None or len(f) < _MAX_DATE_LINE]


def _visible_dates(tree: HtmlElement) -> list[str]:
    """Short visible texts in elements whose class or id says they hold a date."""
    found: list[str] = []
    for element in tree.iter("time", "span", "div", "p", "li", "abbr", "small", "em"):
        hint = f"{element.get('class', '')} {element.get('id', '')}"
        if element.tag == "time" or _DATE_HINT.search(hint):
            text = " ".join(element.text_content().split())
            if 6 <= len(text) <= _MAX_DATE_LINE:
                found.append(text)
    return found


def _first_heading(tree: HtmlElement) -> str | None:
    """The page's first h1, for pages trafilatura finds no title in."""
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        if text:
            return text
    return None


def _clean(value: Any) -> str | None:
    """A metadata string with its whitespace tidied, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _mostly_arabic(text: str) -> bool:
    """Whether most letters of a text are Arabic."""
    letters = sum(ch.isalpha() for ch in text[:2000])
    return letters > 0 and len(_ARABIC.findall(text[:2000])) / letters > 0.5
