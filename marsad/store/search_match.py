"""A parsed query as the full-text index reads it: FTS5 expressions and PostgreSQL tsqueries.

A group matches an article holding the stems of any of its ways (in order for a phrase); with
`written`, the ways' words as written are alternatives too, so that ranking scores them apart
(an article holding the written form holds its stem as well, so the hits are the same). Every
token is quoted: nothing a reader types acts as an operator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.store.search import Group, ParsedQuery, Phrase

# The mark before a word as written in the index (FTS5's written columns, PostgreSQL's `terms`):
# a tatweel, which matching forms never hold, so stems and written words never collide.
WRITTEN_MARK = "\u0640"
PG_MAX_LEXEME_BYTES = 2047


@dataclass(frozen=True)
class Filters:
    """What a search keeps besides the words: some sources, a publish-time range."""

    source_ids: tuple[int, ...] | None = None  # None: any source; (): none matched the names
    since: datetime | None = None
    before: datetime | None = None

    def sql(self, alias: str = "a") -> tuple[str, dict[str, Any]]:
        """Conditions on the articles table (as `alias`) and their parameters."""
        where, params = [], {}
        if self.source_ids is not None:
            ids = ", ".join(str(int(i)) for i in self.source_ids) or "NULL"
            where.append(f"{alias}.source_id IN ({ids})")
        if self.since is not None:
            where.append(f"{alias}.published_at >= :since")
            params["since"] = self.since
        if self.before is not None:
            where.append(f"{alias}.published_at < :before")
            params["before"] = self.before
        return "".join(f" AND {w}" for w in where), params

    def any(self) -> bool:
        """Whether anything besides the words narrows the search."""
        return self.source_ids is not None or self.since is not None or self.before is not None


def fts_query(parsed: ParsedQuery, *, every: bool = True, written: bool = False) -> str | None:
    """The FTS5 expression: every group (or any, if not `every`), none of the excluded."""
    if not parsed.groups:
        return None
    joined = (" AND " if every else " OR ").join(_fts_group(g, written) for g in parsed.groups)
    if parsed.excluded:
        excluded = " OR ".join(_fts_group(g, False) for g in parsed.excluded)
        return f"({joined}) NOT ({excluded})"
    return joined


def fts_stems(terms: Sequence[str]) -> str:
    """An FTS5 expression requiring every stem."""
    return " AND ".join(_fts_string([t]) for t in terms)


def fts_written(group: Group) -> str:
    """An FTS5 expression finding a group by its ways' words as written only."""
    return (
        "("
        + " OR ".join(_fts_string([WRITTEN_MARK + w for w in way.words]) for way in group.ways)
        + ")"
    )


def fts_title(group: Group) -> tuple[str, str | None]:
    """FTS5 expressions finding a group in the title: by its ways' words as written, and by
    their stems (None if every way is exact)."""
    stems = " OR ".join(_fts_string(way.stems) for way in group.ways if not way.exact)
    return f"title_w : {fts_written(group)}", (f"title : ({stems})" if stems else None)


def _fts_group(group: Group, written: bool) -> str:
    """One group as FTS5 alternatives (an exact way by its words as written only)."""
    alternatives = []
    for way in group.ways:
        if not way.exact:
            alternatives.append(_fts_string(way.stems))
        if written or way.exact:
            alternatives.append(_fts_string([WRITTEN_MARK + w for w in way.words]))
    return "(" + " OR ".join(alternatives) + ")"


def _fts_string(tokens: Sequence[str]) -> str:
    """Tokens as one FTS5 string (a phrase when several), quotes doubled."""
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def pg_query(parsed: ParsedQuery, *, every: bool = True) -> str | None:
    """The tsquery of the stems: every group (or any, if not `every`), none of the excluded."""
    groups = [_pg_group(g) for g in parsed.groups]
    if not groups or any(g is None for g in groups):
        return None
    joined = (" & " if every else " | ").join(g for g in groups if g is not None)
    excluded = [g for g in (_pg_group(e) for e in parsed.excluded) if g is not None]
    if excluded:
        return f"({joined}) & !({' | '.join(excluded)})"
    return joined


def pg_scored_groups(parsed: ParsedQuery) -> list[str]:
    """Each group as one tsquery for ts_rank: its ways' stems and words as written, any of them."""
    found = []
    for group in parsed.groups:
        phrases = [
            q
            for way in group.ways
            for written in ((True,) if way.exact else (False, True))
            if (q := _pg_phrase(way, written)) is not None
        ]
        found.append(" | ".join(phrases) or "''")
    return found


def pg_written(group: Group, weight: str = "") -> str:
    """A group's ways by their words as written only, as a tsquery ("''" if none is usable);
    with a `weight` ("A": the title), only in the part of that weight."""
    ways = (_pg_phrase(way, True, weight) for way in group.ways)
    return " | ".join(q for q in ways if q is not None) or "''"


def pg_title_stems(group: Group) -> str:
    """A group's ways (but the exact ones) by their stems in the title, as a tsquery."""
    ways = (_pg_phrase(way, False, "A") for way in group.ways if not way.exact)
    return " | ".join(q for q in ways if q is not None) or "''"


def _pg_group(group: Group) -> str | None:
    """One group's stems as tsquery alternatives, None if a way has no usable token."""
    ways = [_pg_phrase(w, w.exact) for w in group.ways]
    if any(w is None for w in ways):
        return None
    return "(" + " | ".join(w for w in ways if w is not None) + ")"


def _pg_phrase(way: Phrase, written: bool, weight: str = "") -> str | None:
    """A way's stems (or marked written words) in order, as a tsquery phrase (in the part of
    `weight` only, if given)."""
    tokens = [
        (WRITTEN_MARK + t if written else t).lower() for t in (way.words if written else way.stems)
    ]
    if not tokens or any(len(t.encode("utf-8")) > PG_MAX_LEXEME_BYTES for t in tokens):
        return None
    quoted = [
        "'" + t.replace("\\", "\\\\").replace("'", "''") + "'" + (f":{weight}" if weight else "")
        for t in tokens
    ]
    return "(" + " <-> ".join(quoted) + ")"
