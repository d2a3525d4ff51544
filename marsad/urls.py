"""Canonical article URLs: the key under which an article is stored once.

Every URL marsad stores or serves comes from a publisher, a reader or an editor, so it is
checked here first: `web_url` answers an absolute http(s) URL that parses (a host, a port in
range, no control characters), or None; `canonical_url` raises `BadURL` for anything else.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that track readers rather than identify an article.
_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "ref_src", "_ga")
_WEB_SCHEMES = ("http", "https")
# C0 and C1 controls, DEL, lone surrogates and whitespace other than the plain space: none
# belongs in a URL, and NUL or a surrogate cannot even be stored on PostgreSQL.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_URL_CHARS = 4096


class BadURL(ValueError):
    """A URL that is not an absolute http(s) URL marsad can store and serve."""


def web_url(url: str | None, base: str | None = None) -> str | None:
    """The absolute http(s) URL `url` names (relative to `base`), or None when it is unsafe."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_URL_CHARS or _CONTROL_RE.search(url):
        return None
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
        port = parts.port  # raises ValueError past 65535 or when not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not parts.hostname:
        return None
    if port == 0 or _CONTROL_RE.search(absolute):
        return None
    return absolute


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragments, default ports and tracking parameters.

    Raises BadURL for a URL that is not absolute http(s) or does not parse.
    """
    checked = web_url(url)
    if checked is None:
        raise BadURL(f"not an http(s) URL: {url[:200]!r}")
    parts = urlsplit(checked)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if parts.port and not (
        (scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    # One spelling for percent-encoded and raw Arabic paths; a percent-encoded control
    # character stays encoded, so the canonical form is as safe as the URL checked above.
    path = _path(parts.path or "/")
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _path(path: str) -> str:
    """One spelling of a path: escapes decoded and re-encoded, unless one decodes to a control."""
    safe = "/:@!$&'()*+,;=-._~"
    decoded = unquote(path)
    if _CONTROL_RE.search(decoded):
        return quote(path, safe=safe + "%")
    return quote(decoded, safe=safe)
