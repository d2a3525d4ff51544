"""Bytes to text for Arabic pages: declared charsets are checked, not trusted.

Arabic sites still serve windows-1256 and ISO-8859-6, and often declare the wrong one (or
UTF-8 for a windows-1256 page). Every plausible encoding is tried strictly and the decoded text
is scored: Arabic letters count for it, Latin accented letters (what Arabic bytes become in the
wrong single-byte code page) and control characters count against it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Arabic single-byte code pages, tried after UTF-8 whatever the page declares.
ARABIC_FALLBACKS = ("utf-8", "windows-1256", "iso-8859-6")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_ARABIC = re.compile("[\u0621-\u064a]")
_LATIN_ACCENTED = re.compile("[\u00c0-\u00ff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_SNIFF_BYTES = 4096
# More control characters than this share of the text means binary data, not a page.
_MAX_CONTROL_SHARE = 0.01


class UndecodableError(ValueError):
    """No encoding turns these bytes into readable text."""


@dataclass(frozen=True)
class Decoded:
    """Text with the encoding it was read in and the one the publisher declared."""

    text: str
    encoding: str
    declared: str | None


def declared_charset(content_type: str | None, head: bytes) -> str | None:
    """The charset named by the Content-Type header, else by a meta tag or XML declaration."""
    if content_type:
        found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", content_type, re.I)
        if found:
            return _known(found.group(1))
    sniff = head[:_SNIFF_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(sniff)
        if match:
            return _known(match.group(1).decode("ascii", "ignore"))
    return None


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page or feed, choosing among the declared charset and the Arabic fallbacks."""
    declared = declared_charset(content_type, body)
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM starts it
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, name in boms:
        if body.startswith(bom):
            return Decoded(body.decode(name, "replace"), name, declared)
    if b"\x00" in body[:_SNIFF_BYTES]:
        raise UndecodableError("binary data (NUL bytes)")
    try:
        # Valid UTF-8 with non-ASCII bytes is almost never anything else; single-byte code
        # pages decode UTF-8 Arabic into letter soup that would outscore it below.
        return Decoded(body.decode("utf-8"), "utf-8", declared)
    except UnicodeDecodeError:
        pass
    candidates = [c for c in dict.fromkeys([declared, *ARABIC_FALLBACKS]) if c]
    best: tuple[float, str, str] | None = None
    for name in candidates:
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _score(text)
        if best is None or score > best[0]:
            best = (score, name, text)
    if best is None or _control_share(best[2]) > _MAX_CONTROL_SHARE:
        raise UndecodableError("no charset decodes this body")
    return Decoded(best[2], best[1], declared)


def _score(text: str) -> float:
    """How much the text looks like real (Arabic or plain) text rather than mojibake."""
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN_ACCENTED.findall(text))
    control = len(_CONTROL.findall(text))
    return arabic - 2.0 * latin - 10.0 * control


def _control_share(text: str) -> float:
    """The share of control characters in a text."""
    return len(_CONTROL.findall(text)) / max(1, len(text))


def _known(name: str) -> str | None:
    """A charset name Python knows, in its canonical spelling, or None."""
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
