"""The Jinja2 environment: autoescaping on, filters for Arabic dates, paragraphs and safe links."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from marsad.web.arabic_dates import arabic_date, arabic_datetime
from marsad.web.snippets import excerpt, paragraphs

TEMPLATES = Path(__file__).parent / "templates"


def build_environment(zone: tzinfo, image_proxy: bool = False) -> Environment:
    """A Jinja2 environment over marsad/web/templates with every filter the pages use;
    pictures come through marsad's own /image/<id> when `image_proxy` is on."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["ar_datetime"] = lambda m: arabic_datetime(m, zone) if m else ""
    env.filters["ar_date"] = lambda m: arabic_date(m, zone) if m else ""
    env.filters["iso"] = iso_time
    env.filters["paragraphs"] = paragraphs
    env.filters["excerpt"] = excerpt
    env.filters["safe_url"] = safe_url
    env.filters["tag_url"] = tag_url
    env.filters["count_ar"] = count_ar
    env.filters["picture_src"] = lambda a: picture_src(a, image_proxy)
    return env


def picture_src(article: Any, proxy: bool) -> str:
    """Where a page loads an article's picture from: marsad's proxy, or the publisher's https
    address (the CSP lets images come only from https); empty when there is none to show."""
    url = getattr(article, "image", None)
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return ""
    if proxy:
        return f"/image/{int(article.id)}"
    return url.strip() if urlsplit(url.strip()).scheme.lower() == "https" else ""


def iso_time(moment: datetime | None) -> str:
    """ISO 8601 for <time datetime>, empty when unknown."""
    return moment.isoformat() if moment else ""


def safe_url(url: str | None) -> str:
    """The URL if it is http(s), else '#': a publisher's javascript: link never becomes an href."""
    if not url:
        return "#"
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else "#"


def tag_url(phrase: str) -> str:
    """The path of a keyphrase's tag page, every reserved character escaped."""
    return "/tag/" + quote(phrase, safe="")


def count_ar(n: int, one: str, two: str, few: str, many: str) -> str:
    """A count with the Arabic noun form it takes: 1 مصدر, 2 مصدران, 3-10 مصادر, 11+ مصدرًا."""
    if n == 1:
        return one
    if n == 2:
        return two
    if 3 <= n % 100 <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def render(env: Environment, name: str, **context: Any) -> str:
    """Render a template by name."""
    return env.get_template(name).render(**context)
