"""OPML subscription lists in and out: the way feed readers trade their sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree import ElementTree

from marsad.ingest.failures import FetchError, Reason
from marsad.urls import web_url


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription: a feed URL with its title and site."""

    xml_url: str
    title: str
    html_url: str | None = None


def parse_opml(data: bytes, base_url: str | None = None) -> list[OpmlFeed]:
    """Every feed outline in an OPML document, nested folders included."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FetchError(Reason.NOT_A_FEED, f"not OPML ({exc})") from exc
    if root.tag.lower() != "opml":
        raise FetchError(Reason.NOT_A_FEED, f"not OPML (root element <{root.tag}>)")
    feeds: list[OpmlFeed] = []
    for outline in root.iter("outline"):
        xml_url = outline.get("xmlUrl") or outline.get("xmlurl")
        if not xml_url:
            continue
        # Relative to the list's own URL; one that does not parse is kept as written, for the
        # caller to refuse in words.
        xml_url = (web_url(xml_url, base_url) if base_url else None) or xml_url
        title = outline.get("title") or outline.get("text") or xml_url
        html_url = outline.get("htmlUrl") or outline.get("htmlurl")
        feeds.append(OpmlFeed(xml_url.strip(), title.strip(), html_url))
    return feeds


def write_opml(feeds: Iterable[OpmlFeed], title: str = "marsad sources") -> str:
    """An OPML 2.0 document listing the feeds."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        attributes = {
            "type": "rss",
            "text": feed.title,
            "title": feed.title,
            "xmlUrl": feed.xml_url,
        }
        if feed.html_url:
            attributes["htmlUrl"] = feed.html_url
        ElementTree.SubElement(body, "outline", attributes)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, "unicode") + "\n"
