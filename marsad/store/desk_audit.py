"""The desk's audit log: who did what, when, to what, with the state before and after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from marsad.store.desk_schema import audit_log
from marsad.store.times import as_utc, utc_naive
from marsad.store.writer import Writes

# Actions whose entry can be undone from the log (the rest are undone by another action).
UNDOABLE = frozenset(
    {
        "hide_article",
        "restore_article",
        "move_article",
        "hide_story",
        "restore_story",
        "retitle_story",
        "pin_story",
        "merge_stories",
        "ban_tag",
        "rename_tag",
        "pause_source",
        "resume_source",
    }
)


@dataclass(frozen=True)
class AuditEntry:
    """One desk action as logged."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    before: Any
    after: Any
    undone_by: int | None

    @property
    def undoable(self) -> bool:
        """Whether the entry can still be undone from the log."""
        return self.action in UNDOABLE and self.undone_by is None

    def as_json(self) -> dict[str, Any]:
        """The entry as one JSONL record."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "before": self.before,
            "after": self.after,
            "undone_by": self.undone_by,
        }


def record(
    conn: Connection,
    actor: str,
    action: str,
    target: str,
    before: Any,
    after: Any,
    now: datetime,
) -> int:
    """Log one action inside the caller's transaction; the entry's id."""
    stmt = audit_log.insert().values(
        at=utc_naive(now), actor=actor, action=action, target=target, before=before, after=after
    )
    return int(conn.execute(stmt.returning(audit_log.c.id)).scalar_one())


def mark_undone(conn: Connection, entry_id: int, by: int) -> None:
    """Note that an entry was undone by another."""
    conn.execute(update(audit_log).where(audit_log.c.id == entry_id).values(undone_by=by))


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        int(row.id),
        as_utc(row.at) or row.at,
        row.actor,
        row.action,
        row.target,
        row.before,
        row.after,
        row.undone_by,
    )


def latest_entry(conn: Connection, action: str, target: str) -> AuditEntry | None:
    """The newest entry of an action on a target that is not undone."""
    stmt = (
        select(audit_log)
        .where(
            audit_log.c.action == action,
            audit_log.c.target == target,
            audit_log.c.undone_by.is_(None),
        )
        .order_by(audit_log.c.id.desc())
        .limit(1)
    )
    row = conn.execute(stmt).first()
    return None if row is None else _entry(row)


class AuditVerbs(Writes):
    """The store's verbs about the audit log."""

    def log_desk_action(
        self, actor: str, action: str, target: str, before: Any, after: Any, now: datetime
    ) -> int:
        """Log an action done outside the store's own verbs (accounts, tokens)."""
        with self.writing() as conn:
            return record(conn, actor, action, target, before, after, now)

    def mark_audit_undone(self, entry_id: int, by: int) -> None:
        """Note that an entry was undone by another."""
        with self.writing() as conn:
            mark_undone(conn, entry_id, by)

    def audit_entries(self, limit: int = 50, offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Entries newest first, and how many there are."""
        stmt = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = [_entry(r) for r in conn.execute(stmt)]
            total = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
        return rows, int(total)

    def audit_entry(self, entry_id: int) -> AuditEntry | None:
        """One entry."""
        with self.engine.connect() as conn:
            row = conn.execute(select(audit_log).where(audit_log.c.id == entry_id)).first()
        return None if row is None else _entry(row)

    def audit_jsonl(self, batch: int = 500) -> Iterator[str]:
        """Every entry, oldest first, one JSON line each (keyset paging)."""
        last = 0
        while True:
            stmt = (
                select(audit_log).where(audit_log.c.id > last).order_by(audit_log.c.id).limit(batch)
            )
            with self.engine.connect() as conn:
                rows = [_entry(r) for r in conn.execute(stmt)]
            if not rows:
                return
            for entry in rows:
                yield json.dumps(entry.as_json(), ensure_ascii=False) + "\n"
            last = rows[-1].id
