"""Text shaping for pages: paragraphs, excerpts, and search snippets with the matches marked."""

from __future__ import annotations

import html
import re
from itertools import islice

import nh3

from marsad.arabic.normalize import matching_form
from marsad.arabic.stem import stems

# Words with their diacritics: harakat are not \w, and must not split a word in two.
_WORD_RE = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670]+")
# Enough words to find a match in any news article without stemming a whole book.
MAX_WORDS = 2000
# Words folded first while looking for the first match (then twice as many, and so on).
FIRST_CHUNK_WORDS = 100
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


def highlight(
    text: str, query_stems: set[str], width: int = 240, match_text: str | None = None
) -> str:
    """An escaped window of text around the first match, matches wrapped in <mark>.

    Words are compared by the stem of their matching form, so a query finds and marks its
    variants (with or without ال, hamza forms, ta marbuta, diacritics). The result is escaped
    first and then passed through nh3 allowing only <mark>, so no publisher markup survives.
    """
    flat = " ".join(text.split())
    first = first_match(flat, query_stems, match_text)
    start = 0
    if first is not None and first > width // 3:
        start = flat.rfind(" ", 0, first - width // 3) + 1
    end = min(len(flat), start + width)
    if end < len(flat):
        end = max(flat.rfind(" ", start, end), start + width // 2)
    # Only the window's words are marked: stem them alone, through the end of the word the
    # window cuts (a word cut in two is not marked, as it is not shown whole).
    stop = flat.find(" ", end)
    hits = matching_words(flat[start : len(flat) if stop < 0 else stop], query_stems)
    out: list[str] = ["…" if start else ""]
    pos = start
    for m in hits:
        if start + m.end() > end:
            continue
        out += [
            html.escape(flat[pos : start + m.start()]),
            f"<mark>{html.escape(m.group())}</mark>",
        ]
        pos = start + m.end()
    out.append(html.escape(flat[pos:end]))
    out.append("…" if end < len(flat) else "")
    return nh3.clean("".join(out), tags=SNIPPET_TAGS, attributes={})


def first_match(flat: str, query_stems: set[str], match_text: str | None = None) -> int | None:
    """Where the first word whose stem is one of the query's begins (in the first MAX_WORDS).

    `match_text`, the text's matching form when the caller has it stored, saves folding it.
    """
    if not query_stems:
        return None
    pattern = _stems_pattern(query_stems)
    # A text whose folded form holds no query stem anywhere has no matching word (results that
    # match in the title only): this skips folding their texts word by word.
    if pattern.search(matching_form(flat) if match_text is None else match_text) is None:
        return None
    words = _WORD_RE.finditer(flat)
    seen, size = 0, FIRST_CHUNK_WORDS
    while seen < MAX_WORDS:
        # The first match is usually in the first paragraph: fold a little, then more.
        chunk = list(islice(words, min(size, MAX_WORDS - seen)))
        hits = _matching(chunk, pattern, query_stems)
        if hits:
            return hits[0].start()
        if len(chunk) < size:
            break
        seen, size = seen + size, size * 2
    return None


def matching_words(flat: str, query_stems: set[str]) -> list[re.Match[str]]:
    """The words of a text whose stem is one of the query's stems, in order."""
    if not query_stems:
        return []
    words = list(_WORD_RE.finditer(flat))[:MAX_WORDS]
    return _matching(words, _stems_pattern(query_stems), query_stems)


def _stems_pattern(query_stems: set[str]) -> re.Pattern[str]:
    """A pattern finding any of the stems inside a folded text."""
    return re.compile("|".join(re.escape(s) for s in sorted(query_stems)))


def _matching(
    words: list[re.Match[str]], pattern: re.Pattern[str], query_stems: set[str]
) -> list[re.Match[str]]:
    """Those of the words whose stem is one of the query's stems."""
    if not words:
        return []
    folded = fold_words([m.group() for m in words])
    # A Snowball stem is what is left of the word once affixes are cut, so only words that
    # contain a query stem can match: stemming just those keeps long articles cheap.
    joined = " ".join(folded)
    # Folded words hold no spaces, so the spaces before a match number the word it is in.
    candidates = sorted({joined.count(" ", 0, m.start()) for m in pattern.finditer(joined)})
    keys = stems([folded[i] for i in candidates])
    return [words[i] for i, key in zip(candidates, keys, strict=True) if key in query_stems]


def fold_words(words: list[str]) -> list[str]:
    """The matching form of each word, one per word."""
    # Words hold no newline and folding adds none, so a newline keeps them apart even when a
    # compatibility form (a ligature such as ﷺ) expands into several space-separated words.
    joined = matching_form("\n".join(words))
    folded = joined.split("\n")
    if len(folded) != len(words):
        # A first or last word that folds to nothing was stripped away: go one by one.
        folded = [matching_form(word) for word in words]
    elif " " not in joined and "\n\n" not in joined:
        return folded
    return [f.replace(" ", "") or word for f, word in zip(folded, words, strict=True)]
