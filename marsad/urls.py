"""Canonical article URLs: the key under which an article is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Query parameters that track readers rather than identify an article.
_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "ref_src", "_ga")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragments, default ports and tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    # One spelling for percent-encoded and raw Arabic paths.
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~")
    return urlunsplit((scheme, host, path, urlencode(query), ""))
