"""An article page's lead image: og:image, twitter:image or the main figure, made absolute.

Only http(s) URLs are kept (a publisher's `javascript:` or `data:` image never reaches a
page), and none longer than a URL should be.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

MAX_URL_CHARS = 2000
_META_KEYS = (
    ("property", "og:image:secure_url"),
    ("property", "og:image"),
    ("name", "og:image"),
    ("name", "twitter:image"),
    ("property", "twitter:image"),
    ("name", "twitter:image:src"),
)
_FIGURES = (
    "//article//figure//img",
    "//main//figure//img",
    "//figure//img",
    "//article//img",
)


def lead_image(tree: HtmlElement, page_url: str) -> str | None:
    """The page's lead image as an absolute http(s) URL, or None."""
    for attribute, key in _META_KEYS:
        for meta in tree.iter("meta"):
            if (meta.get(attribute) or "").strip().lower() == key:
                found = web_url(meta.get("content"), page_url)
                if found:
                    return found
    for path in _FIGURES:
        for img in tree.xpath(path):
            if not isinstance(img, HtmlElement):
                continue
            source = img.get("src") or img.get("data-src")
            found = web_url(source, page_url)
            if found:
                return found
    return None


def web_url(value: str | None, base: str | None = None) -> str | None:
    """An http(s) URL (relative ones resolved against `base`), or None."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > MAX_URL_CHARS:
        return None
    absolute = urljoin(base, value) if base else value
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return absolute
