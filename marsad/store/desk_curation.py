"""Tag curation as links are saved and tag addresses read: banned phrases dropped, merged
spellings led to their tag, editors' kinds and display forms kept (store/desk_tags.py decides
them). Only the desk's own small tables are read here."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select, update

from marsad.arabic.normalize import matching_form
from marsad.store.desk_schema import tag_aliases, tag_bans, tag_overrides
from marsad.store.schema import keyphrases

# What save_keyphrases holds per article: matching form → (display form, kind code).
Links = dict[int, dict[str, tuple[str, int]]]


def curate(conn: Connection, ranked: Links) -> Links:
    """Articles' new links with the curation applied: banned phrases dropped, merged spellings
    led to their tag, editors' kinds given (display forms are kept by `keep_displays`)."""
    bans = set(conn.execute(select(tag_bans.c.match)).scalars())
    aliases = dict(conn.execute(select(tag_aliases.c.match, tag_aliases.c.target)).all())
    kinds = {
        m: int(k)
        for m, k in conn.execute(
            select(tag_overrides.c.match, tag_overrides.c.kind).where(
                tag_overrides.c.kind.is_not(None)
            )
        )
    }
    if not bans and not aliases and not kinds:
        return ranked
    curated: Links = {}
    for article_id, mine in ranked.items():
        out: dict[str, tuple[str, int]] = {}
        for match, (display, kind) in mine.items():
            match = aliases.get(match, match)
            if match in bans:
                continue
            out.setdefault(match, (display, kinds.get(match, kind)))
        curated[article_id] = out
    return curated


def keep_displays(conn: Connection, matches: Sequence[str]) -> None:
    """Give these phrases back the editors' display forms that saving may have replaced."""
    if not matches:
        return
    stmt = select(tag_overrides.c.match, tag_overrides.c.display).where(
        tag_overrides.c.display.is_not(None), tag_overrides.c.match.in_(list(matches))
    )
    for match, display in conn.execute(stmt).all():
        conn.execute(update(keyphrases).where(keyphrases.c.match == match).values(display=display))


def resolve_match(conn: Connection, phrase: str) -> str:
    """The matching form a tag address leads to (a merged spelling leads to its tag)."""
    match = matching_form(phrase)
    target = conn.execute(select(tag_aliases.c.target).where(tag_aliases.c.match == match)).scalar()
    return str(target) if target is not None else match
