"""The replay publisher's request handler: routes, conditional GETs, compression, misbehaviour."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import time
import zlib
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from marsad.replay.images import article_png
from marsad.replay.pages import (
    article_page,
    challenge_page,
    home_page,
    rss_feed,
)

if TYPE_CHECKING:
    from marsad.replay.server import Catalogue, ReplayServer

_ARTICLE = re.compile(r"^/([\w\-]+)/(\d+)\.html$")
_PICTURE = re.compile(r"^/([\w\-]+)/(\d+)\.png$")
_OVERSIZE = 6 * 1024 * 1024


class ReplayHandler(BaseHTTPRequestHandler):
    """Serves the catalogue's sites; one instance per request."""

    server: ReplayServer
    protocol_version = "HTTP/1.1"
    server_version = "marsad-replay/0.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the publisher is a test fixture and a demo, not a web server to monitor."""

    @property
    def catalogue(self) -> Catalogue:
        """The articles being served."""
        return self.server.catalogue

    def do_GET(self) -> None:
        """Route a GET to the robots file, the OPML list, a home page, a feed or an article."""
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self._robots()
        if path in ("/", "/sources.opml"):
            if path == "/":
                return self._send(200, _index(self.catalogue), "text/html; charset=utf-8")
            return self._send(200, self.catalogue.opml(self._base()), "text/x-opml; charset=utf-8")
        source = path.strip("/").split("/")[0]
        if source not in self.catalogue.sites:
            return self._send(404, "not found", "text/plain; charset=utf-8")
        if self._misbehave_first(source, path):
            return None
        if path == f"/{source}/":
            return self._home(source)
        if path == f"/{source}/feed.xml":
            return self._feed(source)
        found = _ARTICLE.match(path)
        if found:
            return self._article(source, int(found.group(2)))
        picture = _PICTURE.match(path)
        if picture and self.catalogue.article(source, int(picture.group(2))) is not None:
            png = article_png(source, int(picture.group(2)))
            return self._send(200, png, "image/png")
        return self._send(404, "not found", "text/plain; charset=utf-8")

    def _misbehave_first(self, source: str, path: str) -> bool:
        """Misbehaviours that apply to every URL of a source; True when the answer is sent."""
        cat = self.catalogue
        if cat.misbehaves(source, "slow"):
            time.sleep(cat.config.slow_seconds)
        if cat.misbehaves(source, "challenge"):
            self._send(403, challenge_page(), "text/html; charset=utf-8")
            return True
        if cat.misbehaves(source, "ratelimit"):
            self._send(429, "slow down", "text/plain", {"Retry-After": "120"})
            return True
        if cat.misbehaves(source, "5xx"):
            self._send(503, "unavailable", "text/plain", {"Retry-After": "1"})
            return True
        if cat.misbehaves(source, "flaky"):
            with self.server.seen_lock:
                first = path not in self.server.seen_paths
                self.server.seen_paths.add(path)
            if first:
                self._send(503, "unavailable", "text/plain")
                return True
        return False

    def _robots(self) -> None:
        """robots.txt: everything allowed but the sources asked to disallow."""
        lines = ["User-agent: *"]
        for source in self.catalogue.sites:
            if self.catalogue.misbehaves(source, "robots"):
                lines.append(f"Disallow: /{source}/")
        lines.append("Allow: /")
        self._send(200, "\n".join(lines) + "\n", "text/plain; charset=utf-8")

    def _home(self, source: str) -> None:
        """A source's home page, advertising its feed."""
        latest = list(reversed(self.catalogue.published(source)))
        page = home_page(source, self.catalogue.names[source], latest)
        self._send(200, page, "text/html; charset=utf-8")

    def _feed(self, source: str) -> None:
        """The source's RSS feed, with ETag and Last-Modified for conditional GETs."""
        cat = self.catalogue
        if cat.misbehaves(source, "not-a-feed"):
            return self._home(source)
        if cat.misbehaves(source, "hostile-feed") and source in cat.config.hostile_feeds:
            template, kind = cat.config.hostile_feeds[source]
            site = f"{self._base()}/{source}".encode()
            return self._send(200, template.replace(b"{site}", site), kind)
        items = list(reversed(cat.published(source)))
        if cat.config.feed_limit:
            items = items[: cat.config.feed_limit]
        full = cat.misbehaves(source, "full-content")
        body = rss_feed(source, cat.names[source], self._base(), items, full=full)
        if cat.misbehaves(source, "malformed"):
            body = _malform(body)
        etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
        newest = items[0].raw.published_at if items and items[0].raw.published_at else None
        headers = {"ETag": etag}
        if newest is not None:
            headers["Last-Modified"] = format_datetime(newest, usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", None, headers)
        self._send(200, body, "application/rss+xml; charset=utf-8", headers)

    def _article(self, source: str, number: int) -> None:
        """One article page, misbehaving as the source was asked to."""
        cat = self.catalogue
        article = cat.article(source, number)
        if article is None:
            return self._send(404, "not found", "text/plain; charset=utf-8")
        if cat.misbehaves(source, "redirect-loop"):
            target = f"/{source}/{number}.html?hop={int(self.path.endswith('hop=0'))}"
            return self._send(302, b"", None, {"Location": target})
        if cat.misbehaves(source, "binary"):
            return self._send(200, os.urandom(20000), "text/html")
        published = cat.published(source)
        index = number - 1
        others = [a for a in published[max(0, index - 9) : index + 10] if a.number != number]
        name = cat.names[source]
        empty = cat.misbehaves(source, "empty")
        if cat.misbehaves(source, "wrong-charset"):
            page = article_page(article, name, others, charset="utf-8", empty=empty)
            data = page.encode("windows-1256", "xmlcharrefreplace")
            return self._send(200, data, "text/html; charset=utf-8")
        if cat.misbehaves(source, "iso-8859-6"):
            page = article_page(article, name, others, charset="iso-8859-6", empty=empty)
            return self._send(200, page.encode("iso-8859-6", "xmlcharrefreplace"), "text/html")
        page = article_page(article, name, others, empty=empty)
        if cat.misbehaves(source, "oversized"):
            page = page.replace("</body>", _padding() + "</body>")
        if cat.misbehaves(source, "truncated"):
            return self._send_truncated(page.encode("utf-8"))
        self._send(200, page, "text/html; charset=utf-8")

    def _send(
        self,
        status: int,
        body: str | bytes,
        content_type: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send a complete response, gzip-compressed when the client accepts it."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        accepts = self.headers.get("Accept-Encoding", "")
        if self.catalogue.config.gzip and len(data) > 512 and "gzip" in accepts:
            data = gzip.compress(data, compresslevel=5)
            self.send_header("Content-Encoding", "gzip")
        elif len(data) > 512 and "deflate" in accepts and "gzip" not in accepts:
            data = zlib.compress(data)
            self.send_header("Content-Encoding", "deflate")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_truncated(self, data: bytes) -> None:
        """Declare the whole page, send half of it and drop the connection."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True

    def _base(self) -> str:
        """http://host:port as the client addressed the server."""
        return f"http://{self.headers.get('Host') or self.server.base_url.split('//')[1]}"


def _malform(feed: str) -> str:
    """Break a feed the ways broken CMSs do: a raw ampersand, an unclosed tag, a cut end."""
    broken = feed.replace("<channel>", "<channel><copyright>R&D © 2015</copyright>", 1)
    broken = broken.replace("</description>", "<br></description>", 3)
    return broken[: int(len(broken) * 0.9)]


def _padding() -> str:
    """6 MB of hidden filler, as pages with inlined images and scripts weigh."""
    return '<div style="display:none">' + ("x" * 1023 + "\n") * (_OVERSIZE // 1024) + "</div>"


def _index(catalogue: Catalogue) -> str:
    """The publisher's front page: a link to each site."""
    items = "".join(
        f'<li><a href="/{s}/">{catalogue.names[s]}</a> (<a href="/{s}/feed.xml">RSS</a>)</li>'
        for s in catalogue.sites
    )
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>marsad replay</title></head><body><ul>{items}</ul>"
        '<p><a href="/sources.opml">OPML</a></p></body></html>'
    )
