"""Moderation: editors' decisions about articles and stories, and how the pipeline keeps them.

A hidden article leaves every public list: its story, its tags, related lists and the search
index; a hidden story leaves the story lists. An article an editor moved is held in the story
chosen; a story merged into another names the survivor from then on. `Decisions` is what the
enrichment's saving reads, in the same transaction as its writes, so whatever process enriches
(one pipeline, any number of workers, a re-enrichment) the decisions win over what it computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, text, update

from marsad.desk.refusal import Refused
from marsad.models import Enrichment, StoryChange
from marsad.store import dialect
from marsad.store.desk_audit import latest_entry, mark_undone, record
from marsad.store.desk_schema import article_rules, audit_log, story_merges, story_rules
from marsad.store.desk_tags import restore_links, take_links
from marsad.store.schema import articles, related_articles, stories
from marsad.store.search import index_parts
from marsad.store.stories import refresh_counts
from marsad.store.times import as_utc, utc_naive
from marsad.store.writer import Writes


@dataclass(frozen=True)
class Decisions:
    """Every standing decision (few rows: editors' choices), read once per saved batch."""

    hidden: frozenset[int] = frozenset()
    held: dict[int, int] = field(default_factory=dict)  # article → the story it is held in
    merged: dict[int, int] = field(default_factory=dict)  # absorbed story → survivor
    titles: dict[int, str] = field(default_factory=dict)  # story → the editor's title

    def story(self, story_id: int | None) -> int | None:
        """Where a story id leads once editors' merges are followed."""
        seen = 0
        while story_id in self.merged and seen < 100:
            story_id = self.merged[story_id]
            seen += 1
        return story_id

    def article_story(self, article_id: int, story_id: int | None) -> int | None:
        """The story an article belongs in: none when hidden, else the held one, else its own."""
        if article_id in self.hidden:
            return None
        if article_id in self.held:
            return self.held[article_id]
        return self.story(story_id)

    def enrichment(self, article_id: int, found: Enrichment) -> Enrichment:
        """An article's enrichment with the decisions applied."""
        if article_id in self.hidden:
            return replace(found, keyphrases=[], kinds=[], story_id=None, related=[])
        return replace(
            found,
            story_id=self.article_story(article_id, found.story_id),
            related=self.related(found.related),
        )

    def related(self, ids: Sequence[int]) -> list[int]:
        """A related list without hidden articles."""
        return [i for i in ids if i not in self.hidden]

    def misplaced(self, article_id: int | None, story_id: int) -> bool:
        """Whether an article may not lead this story (hidden, or held in another)."""
        if article_id is None:
            return False
        return article_id in self.hidden or self.held.get(article_id, story_id) != story_id


def load_decisions(conn: Connection) -> Decisions:
    """The standing decisions, from their tables."""
    hidden: set[int] = set()
    held: dict[int, int] = {}
    for article_id, is_hidden, story_id in conn.execute(select(article_rules)):
        if is_hidden:
            hidden.add(int(article_id))
        if story_id is not None:
            held[int(article_id)] = int(story_id)
    merged = {int(a): int(s) for a, s in conn.execute(select(story_merges))}
    titles = {
        int(s): t
        for s, t in conn.execute(
            select(story_rules.c.story_id, story_rules.c.title).where(
                story_rules.c.title.is_not(None)
            )
        )
    }
    return Decisions(frozenset(hidden), held, merged, titles)


def keep_changes(
    conn: Connection, decisions: Decisions, changes: Sequence[tuple[int, StoryChange]]
) -> list[tuple[int, StoryChange]]:
    """Stories' changes with the decisions applied: none for a story merged away, the editor's
    title kept, and a lead that is hidden or held elsewhere not taken (the stored one stays)."""
    kept = []
    bad = [s for s, c in changes if decisions.misplaced(c.lead_article_id, s)]
    stored = {}
    if bad:
        stmt = select(stories.c.id, stories.c.title, stories.c.lead_article_id).where(
            stories.c.id.in_(bad)
        )
        stored = {int(i): (t, lead) for i, t, lead in conn.execute(stmt)}
    for story_id, change in changes:
        if story_id in decisions.merged:
            continue
        if story_id in stored:
            title, lead = stored[story_id]
            change = replace(change, title=title, lead_article_id=lead)
        if story_id in decisions.titles:
            change = replace(change, title=decisions.titles[story_id])
        kept.append((story_id, change))
    return kept


def hold_articles(conn: Connection, decisions: Decisions) -> list[int]:
    """Put held articles back in their stories (after a merge of the enricher's moved them);
    the stories they are held in (to recount)."""
    if not decisions.held:
        return []
    rule = (
        select(article_rules.c.story_id)
        .where(article_rules.c.article_id == articles.c.id)
        .scalar_subquery()
    )
    held = select(article_rules.c.article_id).where(
        article_rules.c.story_id.is_not(None), article_rules.c.hidden.is_(False)
    )
    conn.execute(update(articles).where(articles.c.id.in_(held)).values(story_id=rule))
    return sorted(set(decisions.held.values()))


def hidden_among(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Which of these articles editors hid."""
    if not ids:
        return set()
    stmt = select(article_rules.c.article_id).where(
        article_rules.c.article_id.in_(list(ids)), article_rules.c.hidden.is_(True)
    )
    return {int(i) for i in conn.execute(stmt).scalars()}


def kept_stories() -> Any:
    """Ids of the stories editors' decisions name (kept when enrichment starts over)."""
    return (
        select(article_rules.c.story_id)
        .where(article_rules.c.story_id.is_not(None))
        .union(select(story_rules.c.story_id))
    )


@dataclass(frozen=True)
class Pin:
    """A story pinned on the home page until a time."""

    story_id: int
    until: datetime


class ModerationVerbs(Writes):
    """The store's verbs about editors' decisions on articles and stories."""

    # -- reading -----------------------------------------------------------------------------

    def hidden_articles(self, ids: Sequence[int]) -> set[int]:
        """Which of these articles are hidden."""
        with self.engine.connect() as conn:
            return hidden_among(conn, ids)

    def hidden_stories(self, ids: Sequence[int] | None = None) -> set[int]:
        """Which of these stories (all, without ids) are hidden."""
        stmt = select(story_rules.c.story_id).where(story_rules.c.hidden.is_(True))
        if ids is not None:
            if not ids:
                return set()
            stmt = stmt.where(story_rules.c.story_id.in_(list(ids)))
        with self.engine.connect() as conn:
            return {int(i) for i in conn.execute(stmt).scalars()}

    def pinned_stories(self, now: datetime) -> list[Pin]:
        """Stories pinned past `now`, the latest pinned until first."""
        stmt = (
            select(story_rules.c.story_id, story_rules.c.pinned_until)
            .where(story_rules.c.pinned_until > utc_naive(now), story_rules.c.hidden.is_(False))
            .order_by(story_rules.c.pinned_until.desc(), story_rules.c.story_id)
        )
        with self.engine.connect() as conn:
            return [Pin(int(s), as_utc(u) or now) for s, u in conn.execute(stmt)]

    def story_decisions(self, story_id: int) -> dict[str, Any]:
        """A story's standing decisions, as the desk shows them."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(story_rules).where(story_rules.c.story_id == story_id)
            ).first()
        if row is None:
            return {"hidden": False, "title": None, "pinned_until": None}
        return {
            "hidden": bool(row.hidden),
            "title": row.title,
            "pinned_until": as_utc(row.pinned_until),
        }

    # -- articles ----------------------------------------------------------------------------

    def hide_article(self, actor: str, article_id: int, now: datetime) -> int:
        """Hide an article from readers from now on; the audit entry's id."""
        with self.writing() as conn:
            row = _article(conn, article_id)
            if _rule(conn, article_id).get("hidden"):
                raise Refused("المقال مخفي أصلًا")
            links = take_links(conn, [article_id])
            conn.execute(
                delete(related_articles).where(
                    or_(
                        related_articles.c.article_id == article_id,
                        related_articles.c.related_id == article_id,
                    )
                )
            )
            conn.execute(text("DELETE FROM article_search WHERE rowid = :i"), {"i": article_id})
            conn.execute(update(articles).where(articles.c.id == article_id).values(story_id=None))
            _set_rule(conn, article_id, hidden=True)
            if row.story_id is not None:
                _fix_lead(conn, [row.story_id])
            before = {"hidden": False, "story_id": row.story_id, "links": links}
            return record(
                conn, actor, "hide_article", f"article:{article_id}", before, {"hidden": True}, now
            )

    def restore_article(self, actor: str, article_id: int, now: datetime) -> int:
        """Show a hidden article again, in its story and with its tags as before it was hidden."""
        with self.writing() as conn:
            row = _article(conn, article_id)
            if not _rule(conn, article_id).get("hidden"):
                raise Refused("المقال ليس مخفيًا")
            hidden = latest_entry(conn, "hide_article", f"article:{article_id}")
            before = (hidden.before if hidden else None) or {}
            _set_rule(conn, article_id, hidden=False)
            decisions = load_decisions(conn)
            story_id = decisions.article_story(article_id, before.get("story_id"))
            if story_id is not None and not _story_exists(conn, story_id):
                story_id = None
            conn.execute(
                update(articles).where(articles.c.id == article_id).values(story_id=story_id)
            )
            restore_links(conn, before.get("links") or [])
            dialect.reindex_for_search(
                conn, [(article_id, index_parts(row.match_title, row.match_text))]
            )
            if story_id is not None:
                refresh_counts(conn, [story_id])
                _fix_lead(conn, [story_id])
            entry = record(
                conn,
                actor,
                "restore_article",
                f"article:{article_id}",
                {"hidden": True},
                {"hidden": False, "story_id": story_id},
                now,
            )
            if hidden is not None:
                mark_undone(conn, hidden.id, entry)
            return entry

    def move_article(
        self, actor: str, article_id: int, story_id: int | None, now: datetime
    ) -> tuple[int, int]:
        """Move an article out of its story (into a new one of its own when `story_id` is
        None) or into another story; it stays there whatever enrichment finds later.
        The audit entry's id and the story it is in now."""
        with self.writing() as conn:
            row = _article(conn, article_id)
            if _rule(conn, article_id).get("hidden"):
                raise Refused("المقال مخفي: أظهره قبل نقله")
            if story_id is None:
                story_id = _new_story(conn, row.title, row.published_at or row.fetched_at)
            elif not _story_exists(conn, story_id):
                raise Refused(f"لا توجد قصة برقم {story_id}", 404)
            if row.story_id == story_id:
                raise Refused("المقال في هذه القصة أصلًا")
            previous = _rule(conn, article_id).get("story_id")
            conn.execute(
                update(articles).where(articles.c.id == article_id).values(story_id=story_id)
            )
            _set_rule(conn, article_id, story_id=story_id)
            touched = [s for s in (row.story_id, story_id) if s is not None]
            refresh_counts(conn, touched)
            _fix_lead(conn, touched)
            entry = record(
                conn,
                actor,
                "move_article",
                f"article:{article_id}",
                {"story_id": row.story_id, "held": previous},
                {"story_id": story_id},
                now,
            )
            return entry, story_id

    # -- stories -----------------------------------------------------------------------------

    def set_story_hidden(self, actor: str, story_id: int, hidden: bool, now: datetime) -> int:
        """Hide a story from the story lists, or show it again."""
        with self.writing() as conn:
            _story(conn, story_id)
            was = bool(_story_rule(conn, story_id).get("hidden"))
            if was == hidden:
                raise Refused("القصة مخفية أصلًا" if hidden else "القصة ليست مخفية")
            _set_story_rule(conn, story_id, hidden=hidden)
            if hidden:
                # Its articles stay in it, hidden with it, whatever enrichment finds later.
                _hold_members(conn, story_id)
            action = "hide_story" if hidden else "restore_story"
            return record(
                conn, actor, action, f"story:{story_id}", {"hidden": was}, {"hidden": hidden}, now
            )

    def retitle_story(self, actor: str, story_id: int, title: str, now: datetime) -> int:
        """Give a story the editor's title (kept whatever enrichment finds later); an empty
        title hands the headline back to enrichment."""
        title = " ".join(title.split())
        if len(title) > 500:
            raise Refused("العنوان أطول من 500 حرف")
        with self.writing() as conn:
            row = _story(conn, story_id)
            rule = _story_rule(conn, story_id)
            _set_story_rule(conn, story_id, title=title or None)
            if title:
                conn.execute(update(stories).where(stories.c.id == story_id).values(title=title))
            return record(
                conn,
                actor,
                "retitle_story",
                f"story:{story_id}",
                {"title": row.title, "editor_title": rule.get("title")},
                {"title": title or row.title, "editor_title": title or None},
                now,
            )

    def pin_story(self, actor: str, story_id: int, until: datetime | None, now: datetime) -> int:
        """Pin a story to the top of the home page until a time (None: unpin)."""
        if until is not None and until <= now:
            raise Refused("وقت انتهاء التثبيت مضى")
        with self.writing() as conn:
            _story(conn, story_id)
            rule = _story_rule(conn, story_id)
            _set_story_rule(conn, story_id, pinned_until=utc_naive(until))
            was = as_utc(rule.get("pinned_until"))
            return record(
                conn,
                actor,
                "pin_story",
                f"story:{story_id}",
                {"pinned_until": was.isoformat() if was else None},
                {"pinned_until": until.isoformat() if until else None},
                now,
            )

    def merge_stories(self, actor: str, absorbed: int, survivor: int, now: datetime) -> int:
        """Merge one story into another: its articles join the survivor and stay there, and
        whatever enrichment puts in the absorbed story later goes to the survivor."""
        if absorbed == survivor:
            raise Refused("لا تُدمج قصة في نفسها")
        with self.writing() as conn:
            gone = _story(conn, absorbed)
            _story(conn, survivor)
            members = _member_ids(conn, absorbed)
            holds = _holds(conn, members + _member_ids(conn, survivor))
            conn.execute(
                update(articles).where(articles.c.story_id == absorbed).values(story_id=survivor)
            )
            conn.execute(
                update(article_rules)
                .where(article_rules.c.story_id == absorbed)
                .values(story_id=survivor)
            )
            conn.execute(
                update(story_merges)
                .where(story_merges.c.survivor_id == absorbed)
                .values(survivor_id=survivor)
            )
            conn.execute(story_merges.insert().values(absorbed_id=absorbed, survivor_id=survivor))
            # Every article of both stays in the survivor, also when enrichment starts over.
            _hold_members(conn, survivor)
            rule = _story_rule(conn, absorbed)
            conn.execute(delete(story_rules).where(story_rules.c.story_id == absorbed))
            conn.execute(delete(stories).where(stories.c.id == absorbed))
            refresh_counts(conn, [survivor])
            before = {
                "story": {
                    "id": absorbed,
                    "title": gone.title,
                    "summary": gone.summary,
                    "created_at": as_utc(gone.created_at).isoformat(),  # type: ignore[union-attr]
                    "updated_at": as_utc(gone.updated_at).isoformat(),  # type: ignore[union-attr]
                    "lead_article_id": gone.lead_article_id,
                },
                "articles": members,
                "holds": {str(a): h for a, h in holds.items()},
                "rule": {
                    k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in rule.items()
                },
            }
            return record(
                conn,
                actor,
                "merge_stories",
                f"story:{absorbed}",
                before,
                {"merged_into": survivor},
                now,
            )

    def unmerge_stories(self, actor: str, entry: int, now: datetime) -> int:
        """Undo a merge from its audit entry: the absorbed story comes back with the articles
        it had that are still in the survivor."""
        with self.writing() as conn:
            row = conn.execute(select(audit_log).where(audit_log.c.id == entry)).first()
            if row is None or row.action != "merge_stories" or row.undone_by is not None:
                raise Refused("لا دمج قائم بهذا الرقم")
            story = row.before["story"]
            survivor = int(row.after["merged_into"])
            absorbed = int(story["id"])
            if _story_exists(conn, absorbed):
                raise Refused("القصة المدموجة موجودة من جديد")
            conn.execute(
                stories.insert().values(
                    id=absorbed,
                    title=story["title"],
                    summary=story["summary"],
                    created_at=utc_naive(datetime.fromisoformat(story["created_at"])),
                    updated_at=utc_naive(datetime.fromisoformat(story["updated_at"])),
                    lead_article_id=story["lead_article_id"],
                    article_count=0,
                    source_count=0,
                )
            )
            back = [int(i) for i in row.before["articles"]]
            if back:
                conn.execute(
                    update(articles)
                    .where(articles.c.id.in_(back), articles.c.story_id == survivor)
                    .values(story_id=absorbed)
                )
            for article_id, held in (row.before.get("holds") or {}).items():
                _set_rule(conn, int(article_id), story_id=held)
            conn.execute(delete(story_merges).where(story_merges.c.absorbed_id == absorbed))
            saved = row.before.get("rule") or {}
            if saved:
                _set_story_rule(
                    conn,
                    absorbed,
                    hidden=bool(saved.get("hidden")),
                    title=saved.get("title"),
                    pinned_until=utc_naive(
                        datetime.fromisoformat(saved["pinned_until"])
                        if saved.get("pinned_until")
                        else None
                    ),
                )
            refresh_counts(conn, [absorbed, survivor])
            _fix_lead(conn, [absorbed, survivor])
            done = record(
                conn,
                actor,
                "unmerge_stories",
                f"story:{absorbed}",
                {"merged_into": survivor},
                {"restored": absorbed},
                now,
            )
            mark_undone(conn, entry, done)
            return done


def _article(conn: Connection, article_id: int) -> Any:
    """An article's row, or a refusal naming the id."""
    row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        raise Refused(f"لا يوجد مقال برقم {article_id}", 404)
    return row


def _story(conn: Connection, story_id: int) -> Any:
    """A story's row, or a refusal naming the id."""
    row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
    if row is None:
        raise Refused(f"لا توجد قصة برقم {story_id}", 404)
    return row


def _story_exists(conn: Connection, story_id: int) -> bool:
    return conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first() is not None


def _new_story(conn: Connection, title: str, moment: datetime) -> int:
    """A new empty story (the article moved into it is counted after)."""
    stmt = stories.insert().values(
        title=title, created_at=moment, updated_at=moment, article_count=0, source_count=0
    )
    return int(conn.execute(stmt.returning(stories.c.id)).scalar_one())


def _rule(conn: Connection, article_id: int) -> dict[str, Any]:
    row = conn.execute(
        select(article_rules).where(article_rules.c.article_id == article_id)
    ).first()
    return {} if row is None else dict(row._mapping)


def _set_rule(conn: Connection, article_id: int, **values: Any) -> None:
    """Write an article's decisions (the others kept)."""
    current = _rule(conn, article_id)
    merged = {"hidden": False, "story_id": None, **current, **values, "article_id": article_id}
    conn.execute(dialect.upsert(article_rules, conn, "article_id", merged))


def _story_rule(conn: Connection, story_id: int) -> dict[str, Any]:
    row = conn.execute(select(story_rules).where(story_rules.c.story_id == story_id)).first()
    return {} if row is None else dict(row._mapping)


def _set_story_rule(conn: Connection, story_id: int, **values: Any) -> None:
    """Write a story's decisions (the others kept)."""
    current = _story_rule(conn, story_id)
    merged = {
        "hidden": False,
        "title": None,
        "pinned_until": None,
        **current,
        **values,
        "story_id": story_id,
    }
    conn.execute(dialect.upsert(story_rules, conn, "story_id", merged))


def _member_ids(conn: Connection, story_id: int) -> list[int]:
    stmt = select(articles.c.id).where(articles.c.story_id == story_id)
    return [int(i) for i in conn.execute(stmt).scalars()]


def _holds(conn: Connection, article_ids: Sequence[int]) -> dict[int, int | None]:
    """The story each of these articles is held in now (None: not held)."""
    found: dict[int, int | None] = dict.fromkeys(article_ids)
    if article_ids:
        stmt = select(article_rules.c.article_id, article_rules.c.story_id).where(
            article_rules.c.article_id.in_(list(article_ids))
        )
        found.update({int(a): s for a, s in conn.execute(stmt)})
    return found


def _hold_members(conn: Connection, story_id: int) -> None:
    """Hold every article of a story in it."""
    for article_id in _member_ids(conn, story_id):
        _set_rule(conn, article_id, story_id=story_id)


def _fix_lead(conn: Connection, story_ids: Sequence[int]) -> None:
    """Give these stories a lead among their own articles when theirs left (and its headline,
    unless the editor titled the story)."""
    for story_id in story_ids:
        row = conn.execute(
            select(stories.c.lead_article_id).where(stories.c.id == story_id)
        ).first()
        if row is None:
            continue
        lead = row.lead_article_id
        if lead is not None:
            home = conn.execute(select(articles.c.story_id).where(articles.c.id == lead)).scalar()
            if home == story_id:
                continue
        first = conn.execute(
            select(articles.c.id, articles.c.title)
            .where(articles.c.story_id == story_id)
            .order_by(func.coalesce(articles.c.published_at, articles.c.fetched_at), articles.c.id)
            .limit(1)
        ).first()
        values: dict[str, Any] = {"lead_article_id": first.id if first else None}
        editor = _story_rule(conn, story_id).get("title")
        if first is not None:
            values["title"] = editor or first.title
        conn.execute(update(stories).where(stories.c.id == story_id).values(values))
