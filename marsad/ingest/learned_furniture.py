"""Furniture each source repeats around its articles, learned online from its own articles.

No hand list per paper. For every article of a source, the stage looks at one candidate at
each end of the body:
  - start: the first line when it is short (a byline line, «عين اليوم – متابعات»), else the
    words up to the first colon within the first few words («سبق- الرياض:»);
  - end: the last line when it is short, else the words after the last sentence end
    («رابط الخبر بصحيفة الوئام: <title>», «سمات <tags>»).
A candidate becomes a template: the article's own title is the slot {T}; a word the source's
recent candidates rarely share becomes the slot {*} (places, names, tags). A template that a
share of the source's recent articles carry at that end is furniture, and the candidate is cut.
A short start naming the paper itself (or repeating the author field) is a byline whatever was
learned, so that a new source is cleaned from its first article.

Only the candidate at an end is ever cut: a sentence the article quotes in its middle, or a
sentence two articles happen to share, stays. The state is a ring of recent candidates per
source; the store keeps it across restarts.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from marsad.arabic.normalize import matching_form
from marsad.arabic.stopwords import is_stopword
from marsad.ingest.furniture import fold
from marsad.models import Removal

Shapes = tuple[tuple[str, ...], ...]  # one article's candidates at one end, as tokens
TITLE_SLOT = "{T}"
ANY_SLOT = "{*}"
_WORD_CHARS = 40  # a word and its space, generously: how far into a long line to read
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?؟…]+[\"'»”)]*$")
_COLON = re.compile(r":$|^:$")


@dataclass(frozen=True)
class FurnitureParams:
    """How much evidence makes furniture: ring size, shares and candidate sizes."""

    ring: int = 200  # recent articles remembered per source
    share: float = 0.1  # of the ring's articles carrying a template (and a literal word)
    min_count: int = 5  # articles, at the least, whatever the share
    head_words: int = 12  # a start candidate is at most this long
    tail_words: int = 40  # an end candidate is at most this long
    byline_words: int = 8  # a start naming the paper is a byline up to this length
    depth: int = 6  # candidates peeled at each end (a columnist's contact block has five lines)


@dataclass(frozen=True)
class Cleaned:
    """A body without its furniture, and what was removed."""

    text: str
    removed: tuple[Removal, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One end of a body that may be furniture: its span in the text and its tokens."""

    where: str
    start: int
    end: int
    tokens: tuple[str, ...]


@dataclass
class Learned:
    """The templates judged furniture at each end, with the share of articles carrying them."""

    literals: dict[str, frozenset[str]]
    templates: dict[str, dict[tuple[str, ...], float]]


@dataclass
class SourceFurniture:
    """One source's recent candidates (the learning state) and what they teach."""

    params: FurnitureParams = field(default_factory=FurnitureParams)
    head: deque[Shapes] = field(default_factory=deque)
    tail: deque[Shapes] = field(default_factory=deque)
    seen: int = 0
    _learned: Learned | None = None

    def observe(self, text: str, title: str) -> None:
        """Remember this article's candidates (an article with none counts too)."""
        for where, ring in (("start", self.head), ("end", self.tail)):
            ring.append(tuple(c.tokens for c in peel(text, title, where, self.params)))
            while len(ring) > self.params.ring:
                ring.popleft()
        self.seen += 1
        # Relearn often while the source is new, then every few articles.
        if self.seen in (5, 10, 20, 40, 80) or self.seen % 50 == 0:
            self._learned = None

    def learned(self) -> Learned:
        """The furniture templates the recent candidates support."""
        if self._learned is None:
            self._learned = learn(self.head, self.tail, self.params)
        return self._learned

    def to_json(self) -> dict[str, Any]:
        """The state as JSON-ready data, for the store: with what was learned last, so that a
        state loaded again cleans as the one kept in memory would (it relearns at the same
        articles, not at the load)."""
        return {
            "seen": self.seen,
            "head": [[list(t) for t in shapes] for shapes in self.head],
            "tail": [[list(t) for t in shapes] for shapes in self.tail],
            "learned": None if self._learned is None else _learned_to_json(self._learned),
        }

    @classmethod
    def from_json(
        cls, data: dict[str, Any], params: FurnitureParams | None = None
    ) -> SourceFurniture:
        """A state the store kept (unknown shapes start empty)."""
        params = params or FurnitureParams()
        state = cls(params)
        try:
            state.seen = int(data.get("seen", 0))
            state.head = deque(map(_shapes, data.get("head", [])), params.ring)
            state.tail = deque(map(_shapes, data.get("tail", [])), params.ring)
            learned = data.get("learned")
            state._learned = None if learned is None else _learned_from_json(learned)
        except (TypeError, ValueError, AttributeError, KeyError):
            return cls(params)
        return state


def learn(head: Iterable[Shapes], tail: Iterable[Shapes], params: FurnitureParams) -> Learned:
    """Templates carried by a share of a source's recent articles at each end."""
    literals: dict[str, frozenset[str]] = {}
    templates: dict[str, dict[tuple[str, ...], float]] = {}
    for where, ring in (("start", list(head)), ("end", list(tail))):
        total = len(ring)
        floor = max(params.min_count, params.share * total)
        df = Counter(w for shapes in ring for w in {w for t in shapes for w in t} if _is_word(w))
        common = frozenset(w for w, n in df.items() if n >= floor)
        counts = Counter(s for shapes in ring for s in {template(t, common) for t in shapes})
        literals[where] = common
        templates[where] = {
            shape: n / total
            for shape, n in counts.items()
            if n >= floor and _has_content_literal(shape)
        }
    return Learned(literals, templates)


def clean(
    text: str,
    title: str,
    state: SourceFurniture,
    paper: str | None = None,
    author: str | None = None,
) -> Cleaned:
    """The body without the learned furniture at its ends (and a byline naming the paper)."""
    learned = state.learned()
    params = state.params
    removed: list[Removal] = []
    for _ in range(params.depth):  # a byline line, then a dateline; a tag list, a link line
        cut = False
        for where in ("start", "end"):
            found = candidate(text, title, where, params)
            reason = found and _furniture_reason(found, learned, params, paper, author)
            if not reason and where == "end":
                # «… العند الجوية سمات الحوثيون اليمن»: no sentence end before the tag list.
                found = _anchored(text, title, learned, params)
                reason = found and _furniture_reason(found, learned, params, paper, author)
            if not found or not reason:
                continue
            removed.append(Removal(text[found.start : found.end].strip(), where, reason))
            text = (text[: found.start] + text[found.end :]).strip()
            cut = True
        if not cut:
            break
    return Cleaned(text, tuple(removed))


def candidate(text: str, title: str, where: str, params: FurnitureParams) -> Candidate | None:
    """The start or end candidate of a body, or None."""
    found = _edge_line(text, where)
    if found is None:
        return None
    base, line, alone = found
    # Only the words near that end can be furniture: long lines are read from their end only.
    reach = _WORD_CHARS * (params.head_words if where == "start" else params.tail_words * 3)
    cut = 0 if len(line) <= reach else (0 if where == "start" else len(line) - reach)
    if where == "start":
        line = line[:reach]
    elif cut:
        full = line
        line = line[cut:]
        line = line[len(line.split(maxsplit=1)[0]) :]  # a word cut in two is not a word
        base += len(full) - len(line)
    words = list(re.finditer(r"\S+", line))
    if alone and len(words) <= params.byline_words:
        return None  # the whole body: a brief, not furniture around an article
    if where == "start":
        colon = next(
            (i for i, w in enumerate(words[: params.head_words]) if _COLON.search(w.group())),
            None,
        )
        if colon is not None:
            chosen = words[: colon + 1]
        elif len(words) <= params.head_words:
            chosen = words
        else:
            return None
    else:
        chosen = _tail_words(words, title, params, whole=not cut)
        if not chosen:
            return None
    start, end = base + chosen[0].start(), base + chosen[-1].end()
    if not text[:start].strip() and not text[end:].strip():
        return None  # the whole body: never furniture around itself
    span = text[start:end]
    tokens = _tokens(span, title)
    if not tokens:
        return None
    return Candidate(where, start, end, tokens)


def _anchored(text: str, title: str, learned: Learned, params: FurnitureParams) -> Candidate | None:
    """An end candidate opening at a learned end template's first word, in the last line's
    closing words (for furniture glued to the last sentence)."""
    firsts = {shape[0] for shape in learned.templates.get("end", {}) if _is_word(shape[0])}
    if not firsts:
        return None
    found = _edge_line(text, "end")
    if found is None:
        return None
    base, line, _ = found
    words = list(re.finditer(r"\S+", line))[-params.tail_words :]
    for word in reversed(words[1:]):  # the closest to the end: cut as little as can be
        if fold(word.group()) in firsts:
            start, end = base + word.start(), base + len(line)
            tokens = _tokens(text[start:end], title)
            return Candidate("end", start, end, tokens) if tokens else None
    return None


def peel(text: str, title: str, where: str, params: FurnitureParams) -> list[Candidate]:
    """Successive candidates at one end, each as if the ones before it were cut."""
    found: list[Candidate] = []
    for _ in range(params.depth):
        one = candidate(text, title, where, params)
        if one is None:
            break
        found.append(one)
        text = (text[: one.start] + text[one.end :]).strip()
    return found


def _edge_line(text: str, where: str) -> tuple[int, str, bool] | None:
    """The first or last non-blank line of a text: its offset, itself, and whether it is the
    only one (found from that end only: bodies are long and this runs several times each)."""
    stripped = text.strip()
    if not stripped:
        return None
    alone = "\n" not in stripped
    if where == "start":
        start = len(text) - len(text.lstrip())
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
    else:
        end = len(text.rstrip())
        start = text.rfind("\n", 0, end) + 1
    line = text[start:end]
    shift = len(line) - len(line.lstrip())
    return start + shift, line.strip(), alone


def template(tokens: Sequence[str], common: frozenset[str]) -> tuple[str, ...]:
    """A candidate's shape: words the source rarely repeats there become one slot."""
    shape: list[str] = []
    for token in tokens:
        # A function word stays only beside literals: «سمات <tags with عن in them>» is one shape.
        keep = (
            token == TITLE_SLOT or not _is_word(token) or (token in common and not _function(token))
        )
        piece = token if keep else ANY_SLOT
        if piece == ANY_SLOT and shape and shape[-1] == ANY_SLOT:
            continue
        if piece == ANY_SLOT and len(shape) >= 2 and shape[-2] == ANY_SLOT and shape[-1] != ":":
            shape.pop()  # «سمات طريق تربة - الباحة»: a mark between slots is part of the slot
            continue
        shape.append(piece)
    return tuple(shape)


def describe(shape: Sequence[str]) -> str:
    """A template as a person reads it."""
    return " ".join(shape)


def _tail_words(
    words: list[re.Match[str]], title: str, params: FurnitureParams, whole: bool = True
) -> list[re.Match[str]]:
    """The words after the last sentence end of the last line (a title at the end kept whole);
    the whole line when it has no sentence end and is short."""
    limit = len(words) - 1  # the line's own last word ends the last sentence
    title_words = _plain(title)
    n = len(title_words)
    if n >= 3:
        first = max(0, len(words) - 2 * n)  # a title's words are at most split in two
        flat = [(p, i) for i, w in enumerate(words[first:], first) for p in _plain(w.group())]
        if len(flat) >= n and [p for p, _ in flat[-n:]] == title_words:
            limit = flat[-n][1]  # a sentence end inside the title does not count
    for i in range(limit - 1, -1, -1):
        if _SENTENCE_END.search(words[i].group()):
            chosen = words[i + 1 :]
            return chosen if len(chosen) <= params.tail_words else []
    return words if whole and len(words) <= params.tail_words else []


def _tokens(span: str, title: str) -> tuple[str, ...]:
    """Folded tokens of a candidate, with the article's title as one slot."""
    tokens = _TOKEN.findall(fold(span))
    title_words = _plain(title)
    if len(title_words) < 3:
        return tuple(tokens)
    n = len(title_words)
    for i in range(len(tokens)):
        matched, j = 0, i
        while j < len(tokens) and matched < n:
            if _is_word(tokens[j]):
                if tokens[j] != title_words[matched]:
                    break
                matched += 1
            elif matched == 0:
                break
            j += 1
        if matched == n:
            # The title's own quotes and marks around its words belong to the slot.
            title_tokens = _TOKEN.findall(fold(title))
            lead = next((k for k, t in enumerate(title_tokens) if _is_word(t)), 0)
            trail = next((k for k, t in enumerate(reversed(title_tokens)) if _is_word(t)), 0)
            while lead and i > 0 and not _is_word(tokens[i - 1]) and tokens[i - 1] != ":":
                i, lead = i - 1, lead - 1
            while trail and j < len(tokens) and not _is_word(tokens[j]):
                j, trail = j + 1, trail - 1
            return (*tokens[:i], TITLE_SLOT, *tokens[j:])
    return tuple(tokens)


def _learned_to_json(learned: Learned) -> dict[str, Any]:
    """Learned templates as JSON-ready data (sorted: the same state gives the same data)."""
    return {
        "literals": {where: sorted(words) for where, words in learned.literals.items()},
        "templates": {
            where: [[list(shape), share] for shape, share in sorted(shapes.items())]
            for where, shapes in learned.templates.items()
        },
    }


def _learned_from_json(data: Any) -> Learned:
    """Learned templates the store kept."""
    return Learned(
        {str(where): frozenset(map(str, words)) for where, words in data["literals"].items()},
        {
            str(where): {tuple(map(str, shape)): float(share) for shape, share in shapes}
            for where, shapes in data["templates"].items()
        },
    )


def _shapes(data: Any) -> Shapes:
    """One article's stored candidates."""
    return tuple(tuple(map(str, tokens)) for tokens in data)


def _plain(text: str) -> list[str]:
    """Folded words of a text, punctuation dropped."""
    return list(_plain_cached(text))


@lru_cache(maxsize=8192)
def _plain_cached(text: str) -> tuple[str, ...]:
    """Folded words of a text (cached: a title is matched at every candidate)."""
    return tuple(t for t in _TOKEN.findall(fold(text)) if _is_word(t))


def _is_word(token: str) -> bool:
    """Whether a token is a word (not punctuation, not a slot): tokens are a run of word
    characters or one other character, and slots open with a brace."""
    return token[:1].isalnum() or token[:1] == "_"


@lru_cache(maxsize=8192)
def _function(word: str) -> bool:
    """Whether a folded word is a function word or a number."""
    return word.isdigit() or is_stopword(matching_form(word))


def _has_content_literal(shape: Sequence[str]) -> bool:
    """Whether a template keeps a word that is not a function word (a bare slot is no template)."""
    return any(_is_word(t) and not _function(t) for t in shape)


def _furniture_reason(
    found: Candidate,
    learned: Learned,
    params: FurnitureParams,
    paper: str | None,
    author: str | None,
) -> str | None:
    """Why a candidate is furniture, or None when it is the article's own."""
    shape = template(found.tokens, learned.literals.get(found.where, frozenset()))
    share = learned.templates.get(found.where, {}).get(shape)
    if share is not None:
        place = "start" if found.where == "start" else "end"
        return (
            f"recurs at the {place} of {share:.0%} of the source's recent articles "
            f"as «{describe(shape)}»"
        )
    words = [t for t in found.tokens if _is_word(t)]
    if found.where != "start":
        # «رابط الخبر بصحيفة الوئام: <title>»: the paper and the article's own title at the end.
        repeats = TITLE_SLOT in found.tokens and len(words) <= params.byline_words
        if repeats and paper and _contains(words, _plain(paper)):
            return "line naming the paper and repeating the title"
        return None
    if not words or len(words) > params.byline_words:
        return None
    if paper and _names_paper(found.tokens, _plain(paper)):
        return "byline naming the paper"
    if author and _plain(author) and _contains(_plain(author), words):
        return "byline repeating the author field"
    return None


def _names_paper(tokens: Sequence[str], paper: Sequence[str]) -> bool:
    """Whether the paper's name stands as a byline part: beside a dash or colon, or at an edge
    («سبق- الرياض:», «لجين الأحمدي – عين اليوم»; not «صدر اليوم أمر ملكي»)."""
    n = len(paper)
    for i in range(len(tokens) - n + 1):
        if list(tokens[i : i + n]) != list(paper):
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + n] if i + n < len(tokens) else None
        if any(t is None or not _is_word(t) for t in (before, after)):
            return True
    return False


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    """Whether `part` occurs as a run of `words`."""
    n = len(part)
    return n > 0 and any(list(words[i : i + n]) == list(part) for i in range(len(words) - n + 1))
