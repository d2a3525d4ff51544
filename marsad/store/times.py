"""How the store keeps time: naive UTC in the database, timezone-aware UTC in Python."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_naive(moment: datetime | None) -> datetime | None:
    """Store times as naive UTC so that SQLite and PostgreSQL compare them alike."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def as_utc(moment: datetime | None) -> datetime | None:
    """Times read back from the store, made timezone-aware (UTC)."""
    return None if moment is None else moment.replace(tzinfo=UTC)


def now_utc() -> datetime:
    """The current time, naive UTC, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)
