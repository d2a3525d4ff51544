"""Tag curation on top of whatever tags enrichment computes: banned phrases, merged spellings,
the editor's display form and kind. Applied where links are saved (`curate`, `keep_displays`),
where a tag address is read (`resolve_match`), and at once on the stored links when decided,
so tag pages and trending (which read the links) follow without a step of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from marsad.arabic.normalize import matching_form
from marsad.desk.refusal import Refused
from marsad.store import dialect
from marsad.store.desk_audit import latest_entry, mark_undone, record
from marsad.store.desk_curation import resolve_match
from marsad.store.desk_schema import audit_log, tag_aliases, tag_bans, tag_overrides
from marsad.store.keyphrases import KINDS, kind_code, phrase_kind
from marsad.store.schema import article_keyphrases, keyphrase_totals, keyphrases
from marsad.store.writer import Writes


def take_links(conn: Connection, article_ids: Sequence[int]) -> list[list[Any]]:
    """Remove these articles' keyphrase links, keeping the counts exact; the links taken as
    [article, match, display, rank, kind] (what `restore_links` puts back)."""
    stmt = (
        select(
            article_keyphrases.c.article_id,
            keyphrases.c.match,
            keyphrases.c.display,
            article_keyphrases.c.rank,
            article_keyphrases.c.kind,
            keyphrases.c.id,
        )
        .join(keyphrases, keyphrases.c.id == article_keyphrases.c.keyphrase_id)
        .where(article_keyphrases.c.article_id.in_(list(article_ids)))
    )
    rows = conn.execute(stmt).all()
    _drop_links(conn, [(int(r[0]), int(r[5])) for r in rows])
    return [[int(a), m, d, int(rank), int(k)] for a, m, d, rank, k, _ in rows]


def _drop_links(conn: Connection, pairs: Sequence[tuple[int, int]]) -> None:
    """Delete (article, keyphrase) links, taking them off the phrases' counts and the total."""
    if not pairs:
        return
    per_phrase: dict[int, int] = {}
    for _, kp in pairs:
        per_phrase[kp] = per_phrase.get(kp, 0) + 1
    for article_id, kp in pairs:
        conn.execute(
            delete(article_keyphrases).where(
                article_keyphrases.c.article_id == article_id,
                article_keyphrases.c.keyphrase_id == kp,
            )
        )
    for kp, n in sorted(per_phrase.items()):
        conn.execute(
            update(keyphrases)
            .where(keyphrases.c.id == kp)
            .values(documents=keyphrases.c.documents - n)
        )
    touched = sorted({a for a, _ in pairs})
    still = set(
        conn.execute(
            select(article_keyphrases.c.article_id)
            .where(article_keyphrases.c.article_id.in_(touched))
            .distinct()
        ).scalars()
    )
    _add_total(conn, -len([a for a in touched if a not in still]))


def _add_total(conn: Connection, change: int) -> None:
    if change:
        conn.execute(
            update(keyphrase_totals)
            .where(keyphrase_totals.c.id == 1)
            .values(articles=keyphrase_totals.c.articles + change)
        )


def restore_links(conn: Connection, links: Sequence[Sequence[Any]]) -> None:
    """Put back links `take_links` took (articles gone since, or linked again, are skipped)."""
    if not links:
        return
    articles_before = set(
        conn.execute(
            select(article_keyphrases.c.article_id)
            .where(article_keyphrases.c.article_id.in_(sorted({int(x[0]) for x in links})))
            .distinct()
        ).scalars()
    )
    added: set[int] = set()
    for article_id, match, display, rank, kind in links:
        kp = conn.execute(select(keyphrases.c.id).where(keyphrases.c.match == match)).scalar()
        if kp is None:
            kp = conn.execute(
                keyphrases.insert()
                .values(match=match, display=display, documents=0)
                .returning(keyphrases.c.id)
            ).scalar_one()
        exists = conn.execute(
            select(article_keyphrases.c.article_id).where(
                article_keyphrases.c.article_id == article_id,
                article_keyphrases.c.keyphrase_id == kp,
            )
        ).first()
        if exists:
            continue
        conn.execute(
            article_keyphrases.insert().values(
                article_id=article_id, keyphrase_id=kp, rank=rank, kind=kind
            )
        )
        conn.execute(
            update(keyphrases)
            .where(keyphrases.c.id == kp)
            .values(documents=keyphrases.c.documents + 1)
        )
        added.add(int(article_id))
    _add_total(conn, len(added - articles_before))


class TagVerbs(Writes):
    """The store's verbs about tag curation."""

    def curated_tags(self) -> dict[str, list[dict[str, Any]]]:
        """Banned phrases, merged spellings and overridden forms, as the desk lists them."""
        with self.engine.connect() as conn:
            bans = [
                dict(r._mapping) for r in conn.execute(select(tag_bans).order_by(tag_bans.c.match))
            ]
            aliases = [
                dict(r._mapping)
                for r in conn.execute(select(tag_aliases).order_by(tag_aliases.c.match))
            ]
            overrides = [
                {**dict(r._mapping), "kind": KINDS[r.kind] if r.kind is not None else None}
                for r in conn.execute(select(tag_overrides).order_by(tag_overrides.c.match))
            ]
        return {"bans": bans, "aliases": aliases, "overrides": overrides}

    def ban_tag(self, actor: str, phrase: str, now: datetime) -> int:
        """Ban a phrase: never a tag again, and taken off every article now."""
        with self.writing() as conn:
            match = resolve_match(conn, phrase)
            if not match:
                raise Refused("العبارة فارغة")
            if conn.execute(select(tag_bans.c.match).where(tag_bans.c.match == match)).first():
                raise Refused("العبارة محظورة أصلًا")
            row = conn.execute(select(keyphrases).where(keyphrases.c.match == match)).first()
            display = row.display if row is not None else " ".join(phrase.split())
            links: list[list[Any]] = []
            if row is not None:
                ids = list(
                    conn.execute(
                        select(article_keyphrases.c.article_id).where(
                            article_keyphrases.c.keyphrase_id == row.id
                        )
                    ).scalars()
                )
                links = [
                    [a, match, display, rank, kind]
                    for a, rank, kind in conn.execute(
                        select(
                            article_keyphrases.c.article_id,
                            article_keyphrases.c.rank,
                            article_keyphrases.c.kind,
                        ).where(article_keyphrases.c.keyphrase_id == row.id)
                    )
                ]
                _drop_links(conn, [(int(a), int(row.id)) for a in ids])
                conn.execute(delete(keyphrases).where(keyphrases.c.id == row.id))
            conn.execute(tag_bans.insert().values(match=match, display=display))
            return record(
                conn,
                actor,
                "ban_tag",
                f"tag:{match}",
                {"display": display, "links": links},
                {"banned": True},
                now,
            )

    def unban_tag(self, actor: str, phrase: str, now: datetime) -> int:
        """Lift a ban; the articles it was taken off get it back."""
        with self.writing() as conn:
            match = matching_form(phrase)
            if not conn.execute(select(tag_bans.c.match).where(tag_bans.c.match == match)).first():
                raise Refused("العبارة ليست محظورة")
            conn.execute(delete(tag_bans).where(tag_bans.c.match == match))
            banned = latest_entry(conn, "ban_tag", f"tag:{match}")
            if banned is not None:
                restore_links(conn, banned.before.get("links") or [])
            entry = record(
                conn, actor, "unban_tag", f"tag:{match}", {"banned": True}, {"banned": False}, now
            )
            if banned is not None:
                mark_undone(conn, banned.id, entry)
            return entry

    def merge_tags(self, actor: str, phrase: str, into: str, now: datetime) -> int:
        """Merge a tag into another: one display form, and either spelling finds it."""
        with self.writing() as conn:
            gone, kept = resolve_match(conn, phrase), resolve_match(conn, into)
            if gone == kept:
                raise Refused("الوسمان واحد")
            target = conn.execute(select(keyphrases).where(keyphrases.c.match == kept)).first()
            if target is None:
                raise Refused(f"لا يوجد وسم «{into}»", 404)
            source = conn.execute(select(keyphrases).where(keyphrases.c.match == gone)).first()
            moved = 0
            if source is not None:
                both = set(
                    conn.execute(
                        select(article_keyphrases.c.article_id).where(
                            article_keyphrases.c.keyphrase_id == target.id
                        )
                    ).scalars()
                )
                links = (
                    conn.execute(
                        select(article_keyphrases.c.article_id).where(
                            article_keyphrases.c.keyphrase_id == source.id
                        )
                    )
                    .scalars()
                    .all()
                )
                doubled = [int(a) for a in links if a in both]
                _drop_links(conn, [(a, int(source.id)) for a in doubled])
                conn.execute(
                    update(article_keyphrases)
                    .where(article_keyphrases.c.keyphrase_id == source.id)
                    .values(keyphrase_id=target.id)
                )
                moved = len(links) - len(doubled)
                conn.execute(
                    update(keyphrases)
                    .where(keyphrases.c.id == target.id)
                    .values(documents=keyphrases.c.documents + moved)
                )
                conn.execute(delete(keyphrases).where(keyphrases.c.id == source.id))
            conn.execute(
                update(tag_aliases).where(tag_aliases.c.target == gone).values(target=kept)
            )
            conn.execute(
                dialect.upsert(tag_aliases, conn, "match", {"match": gone, "target": kept})
            )
            _override(conn, kept, display=_display_of(conn, kept) or target.display)
            return record(
                conn,
                actor,
                "merge_tags",
                f"tag:{gone}",
                {"display": source.display if source is not None else phrase},
                {"merged_into": kept, "display": target.display, "moved": moved},
                now,
            )

    def rename_tag(self, actor: str, phrase: str, display: str, now: datetime) -> int:
        """Give a tag another display form (kept whatever enrichment brings later)."""
        display = " ".join(display.split())
        if not display or len(display) > 200:
            raise Refused("الصيغة الجديدة فارغة أو أطول من 200 حرف")
        with self.writing() as conn:
            match = resolve_match(conn, phrase)
            row = conn.execute(select(keyphrases).where(keyphrases.c.match == match)).first()
            if row is None:
                raise Refused(f"لا يوجد وسم «{phrase}»", 404)
            new_match = matching_form(display)
            if new_match != match:
                other = conn.execute(
                    select(keyphrases.c.id).where(keyphrases.c.match == new_match)
                ).first()
                if other is not None:
                    raise Refused("هذه الصيغة وسم آخر: ادمج الوسمين بدل إعادة التسمية")
                conn.execute(
                    dialect.upsert(
                        tag_aliases, conn, "match", {"match": new_match, "target": match}
                    )
                )
            previous = _display_of(conn, match)
            _override(conn, match, display=display)
            conn.execute(
                update(keyphrases).where(keyphrases.c.id == row.id).values(display=display)
            )
            return record(
                conn,
                actor,
                "rename_tag",
                f"tag:{match}",
                {
                    "display": row.display,
                    "editor_display": previous,
                    "alias": new_match if new_match != match else None,
                },
                {"display": display},
                now,
            )

    def undo_rename_tag(self, actor: str, entry_id: int, now: datetime) -> int:
        """Give a renamed tag its display form back."""
        with self.writing() as conn:
            row = conn.execute(select(audit_log).where(audit_log.c.id == entry_id)).first()
            if row is None or row.action != "rename_tag" or row.undone_by is not None:
                raise Refused("لا إعادة تسمية قائمة بهذا الرقم")
            match = row.target.removeprefix("tag:")
            _override(conn, match, display=row.before.get("editor_display"))
            conn.execute(
                update(keyphrases)
                .where(keyphrases.c.match == match)
                .values(display=row.before["display"])
            )
            alias = row.before.get("alias")
            if alias:
                conn.execute(delete(tag_aliases).where(tag_aliases.c.match == alias))
            done = record(
                conn,
                actor,
                "undo_rename_tag",
                row.target,
                row.after,
                {"display": row.before["display"]},
                now,
            )
            mark_undone(conn, entry_id, done)
            return done

    def set_tag_kind(self, actor: str, phrase: str, kind: str, now: datetime) -> int:
        """Set a tag's kind (person, place, organisation or topic) for its articles now and later."""
        if kind not in KINDS:
            raise Refused("النوع غير معروف")
        with self.writing() as conn:
            match = resolve_match(conn, phrase)
            row = conn.execute(select(keyphrases).where(keyphrases.c.match == match)).first()
            if row is None:
                raise Refused(f"لا يوجد وسم «{phrase}»", 404)
            was = phrase_kind(conn, int(row.id))
            _override(conn, match, kind=kind_code(kind))
            conn.execute(
                update(article_keyphrases)
                .where(article_keyphrases.c.keyphrase_id == row.id)
                .values(kind=kind_code(kind))
            )
            return record(
                conn, actor, "set_tag_kind", f"tag:{match}", {"kind": was}, {"kind": kind}, now
            )

    def tag_counts(self, matches: Sequence[str]) -> Mapping[str, int]:
        """Articles carrying each of these phrases (by matching form)."""
        stmt = (
            select(keyphrases.c.match, func.count(article_keyphrases.c.article_id))
            .join(article_keyphrases, article_keyphrases.c.keyphrase_id == keyphrases.c.id)
            .where(keyphrases.c.match.in_(list(matches)))
            .group_by(keyphrases.c.match)
        )
        with self.engine.connect() as conn:
            return {m: int(n) for m, n in conn.execute(stmt)}


def _display_of(conn: Connection, match: str) -> str | None:
    stmt = select(tag_overrides.c.display).where(tag_overrides.c.match == match)
    return conn.execute(stmt).scalar()


def _override(conn: Connection, match: str, **values: Any) -> None:
    """Write a phrase's overrides (the others kept)."""
    row = conn.execute(select(tag_overrides).where(tag_overrides.c.match == match)).first()
    current = {} if row is None else dict(row._mapping)
    merged = {"display": None, "kind": None, **current, **values, "match": match}
    conn.execute(dialect.upsert(tag_overrides, conn, "match", merged))
