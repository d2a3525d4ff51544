"""Text shaping for pages: paragraphs, excerpts, and search snippets with the matches marked."""

from __future__ import annotations

import html
import re

import nh3

from marsad.arabic.normalize import matching_form
from marsad.arabic.stem import stems

# Words with their diacritics: harakat are not \w, and must not split a word in two.
_WORD_RE = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670]+")
# Enough words to find a match in any news article without stemming a whole book.
MAX_WORDS = 2000
_PARAGRAPH_RE = re.compile(r"\n+")
# The only markup pages carry from text processing: <mark> around search matches.
SNIPPET_TAGS = {"mark"}


def paragraphs(text: str) -> list[str]:
    """The publisher's paragraphs (display form keeps one per line), blank ones dropped."""
    return [p.strip() for p in _PARAGRAPH_RE.split(text) if p.strip()]


def excerpt(text: str, limit: int = 220) -> str:
    """The start of a text, cut at a word boundary, marked as cut when it is."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def highlight(text: str, query_stems: set[str], width: int = 240) -> str:
    """An escaped window of text around the first match, matches wrapped in <mark>.

    Words are compared by the stem of their matching form, so a query finds and marks its
    variants (with or without ال, hamza forms, ta marbuta, diacritics). The result is escaped
    first and then passed through nh3 allowing only <mark>, so no publisher markup survives.
    """
    flat = " ".join(text.split())
    hits = matching_words(flat, query_stems)
    start = 0
    if hits and hits[0].start() > width // 3:
        start = flat.rfind(" ", 0, hits[0].start() - width // 3) + 1
    end = min(len(flat), start + width)
    if end < len(flat):
        end = max(flat.rfind(" ", start, end), start + width // 2)
    out: list[str] = ["…" if start else ""]
    pos = start
    for m in hits:
        if m.start() < start or m.end() > end:
            continue
        out += [html.escape(flat[pos : m.start()]), f"<mark>{html.escape(m.group())}</mark>"]
        pos = m.end()
    out.append(html.escape(flat[pos:end]))
    out.append("…" if end < len(flat) else "")
    return nh3.clean("".join(out), tags=SNIPPET_TAGS, attributes={})


def matching_words(flat: str, query_stems: set[str]) -> list[re.Match[str]]:
    """The words of a text whose stem is one of the query's stems, in order."""
    if not query_stems:
        return []
    words = list(_WORD_RE.finditer(flat))[:MAX_WORDS]
    folded = fold_words([m.group() for m in words])
    # A Snowball stem is what is left of the word once affixes are cut, so only words that
    # contain a query stem can match: stemming just those keeps long articles cheap.
    joined = " ".join(folded)
    pattern = re.compile("|".join(re.escape(s) for s in query_stems))
    # Folded words hold no spaces, so the spaces before a match number the word it is in.
    candidates = sorted({joined.count(" ", 0, m.start()) for m in pattern.finditer(joined)})
    keys = stems([folded[i] for i in candidates])
    return [words[i] for i, key in zip(candidates, keys, strict=True) if key in query_stems]


def fold_words(words: list[str]) -> list[str]:
    """The matching form of each word, one per word."""
    folded = matching_form(" ".join(words)).split(" ")
    if len(folded) != len(words):
        # Compatibility forms (ligatures such as ﷺ) expanded into several words: go one by one.
        folded = [matching_form(word).replace(" ", "") or word for word in words]
    return folded
