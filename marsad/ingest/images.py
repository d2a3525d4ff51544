"""An article page's lead image: og:image, twitter:image or the main figure, made absolute.

Only http(s) URLs are kept (`marsad.urls.web_url`): a publisher's `javascript:` or `data:`
image never reaches a page.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from marsad.urls import web_url

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
