"""Paragraph, sentence and clause splitting that knows Arabic punctuation and quotes.

Sentences end at . ! ? ؟ (and runs of them, and an ellipsis …), or at a line break. A closing
quote or bracket right after the end mark stays with its sentence. A full stop does not end a
sentence inside a number (3.5), after a one-letter abbreviation (د. for doctor, م. for the
Gregorian year, أ. for professor), after a Latin abbreviation (U.S., Dr.), or inside quotes
«...» when the quote goes on. Clauses are finer: they also end at ، ؛ ; : and closing quotes.
"""

from __future__ import annotations

import re

from marsad.arabic.normalize import display_form

_END_MARKS = ".!?؟…"
_CLOSERS = "»”\"')]﴿"
_OPENERS = "«“(["
# An end mark (or a run of them) with any closing quotes after it, then space.
_CANDIDATE_RE = re.compile(rf"[{re.escape(_END_MARKS)}]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
_ABBREVIATION_RE = re.compile(
    r"(?:^|[\s(«“])(?:[\u0621-\u064a]|هـ|ق\.م|[A-Za-z]{1,2}|[A-Z]\.[A-Z])$"
)
_CLAUSE_RE = re.compile(r"[،؛;:,]\s+|[«»“”\"()\[\]]|\s[-–—]\s")


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at line breaks, dropping empty ones (display form)."""
    return [line.strip() for line in display_form(text).split("\n") if line.strip()]


def split_sentences(text: str) -> list[str]:
    """Split text into sentences in display form, paragraph by paragraph."""
    sentences: list[str] = []
    for paragraph in paragraphs(text):
        sentences.extend(_paragraph_sentences(paragraph))
    return sentences


def _paragraph_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph."""
    result = []
    start = 0
    for match in _CANDIDATE_RE.finditer(paragraph):
        end = match.end()
        if _is_abbreviation(paragraph, match.start(), match.group()):
            continue
        if _inside_quote(paragraph, start, end) and not _closes_quote(match.group()):
            continue
        piece = paragraph[start:end].strip()
        if piece:
            result.append(piece)
        start = end
    rest = paragraph[start:].strip()
    if rest:
        result.append(rest)
    return result


def _is_abbreviation(paragraph: str, position: int, mark: str) -> bool:
    """Whether a lone full stop at position ends an abbreviation rather than a sentence."""
    if mark != ".":
        return False
    return _ABBREVIATION_RE.search(paragraph[max(0, position - 8) : position]) is not None


def _inside_quote(paragraph: str, start: int, end: int) -> bool:
    """Whether more quotes open than close between start and end, and one closes later."""
    if "»" not in paragraph[end:] and "”" not in paragraph[end:]:
        return False  # an unclosed quote must not swallow the rest of the paragraph
    piece = paragraph[start:end]
    opened = piece.count("«") + piece.count("“")
    closed = piece.count("»") + piece.count("”")
    return opened > closed


def _closes_quote(mark: str) -> bool:
    """Whether the end mark carries a closing quote with it (the quote ends with the sentence)."""
    return any(closer in mark for closer in "»”")


def split_clauses(text: str) -> list[str]:
    """Split text into clauses: sentences further cut at ، ؛ : , quotes and brackets."""
    clauses: list[str] = []
    for sentence in split_sentences(text):
        clauses.extend(part.strip() for part in _CLAUSE_RE.split(sentence) if part.strip())
    return clauses
