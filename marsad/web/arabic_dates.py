"""Publish times as Arabic readers expect them: weekday, day, month name, year, 12-hour clock."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

# Month names as Gulf and Egyptian outlets write them (the SaudiNewsNet sources among them).
MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
# Monday first, as datetime.weekday() counts.
WEEKDAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


def arabic_date(moment: datetime, zone: tzinfo = UTC) -> str:
    """A date such as 'الثلاثاء 21 يوليو 2015' in the given time zone."""
    local = _local(moment, zone)
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"


def arabic_time(moment: datetime, zone: tzinfo = UTC) -> str:
    """A 12-hour clock time such as '10:05 ص' or '3:40 م' in the given time zone."""
    local = _local(moment, zone)
    hour = local.hour % 12 or 12
    half = "ص" if local.hour < 12 else "م"
    return f"{hour}:{local.minute:02d} {half}"


def arabic_datetime(moment: datetime, zone: tzinfo = UTC) -> str:
    """Date and time together: 'الثلاثاء 21 يوليو 2015، 10:05 ص'."""
    return f"{arabic_date(moment, zone)}، {arabic_time(moment, zone)}"


def _local(moment: datetime, zone: tzinfo) -> datetime:
    """The moment in the reader's zone; naive times are stored UTC.

    A moment at the edge of the calendar (year 1 or 9999) may have no local time: it is shown
    as stored rather than taking the page down.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError):
        return moment
