"""Publish times as Arabic sites write them: an ordered chain of small parsers, each may fail.

The chain, first answer wins:
  1. ISO 8601 (`2015-07-21T02:51:32+03:00`, `2015-07-21 02:51`)
  2. RFC 822 (`Tue, 21 Jul 2015 02:51:32 GMT`, as RSS writes it)
  3. day + Gregorian month name + year, in any of the Arabic naming traditions
     (`28 آب/اغسطس 2013`, `١٥ كانون الثاني ٢٠١٤`, `21 يوليو 2015`), with a time and a GMT offset
     when the text has them
  4. numeric day/month/year (`21/07/2015`, `2015-07-21`); years before 1600 are Hijri
  5. day + Hijri month name + year (`5 شوال 1436 هـ`), converted with the tabular calendar
  6. dateparser, for what is left (short strings only)

Text is folded first (Eastern Arabic digits to ASCII, alef and yeh variants, diacritics), so the
month names in data/months.json need one spelling per variant family.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from importlib import resources

from marsad.arabic.normalize import fold_letters, strip_diacritics

_ARABIC_LETTER = "\u0621-\u064a"
_EARLIEST_YEAR = 1990
# Day numbers of the Julian Day at 0001-01-01 and at 1 Muharram 1 AH (civil epoch).
_ORDINAL_TO_JDN = 1721425
_HIJRI_EPOCH_JDN = 1948440
_DATEPARSER_MAX_CHARS = 80


@dataclass(frozen=True)
class _Patterns:
    """Compiled month-name patterns and their month numbers, built once from the data file."""

    gregorian: re.Pattern[str]
    hijri: re.Pattern[str]
    gregorian_months: dict[str, int]
    hijri_months: dict[str, int]
    clock: re.Pattern[str]
    pm_words: frozenset[str]


def fold(text: str) -> str:
    """The form dates are parsed in: ASCII digits, folded letters, no diacritics."""
    return fold_letters(strip_diacritics(text))


def _alternation(names: dict[str, int]) -> str:
    """A regex alternation of names, longest first so that `مايو` wins over `ماي`."""
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in ordered)


@cache
def _patterns() -> _Patterns:
    """Read data/months.json once and compile the month patterns."""
    raw = resources.files("marsad.ingest").joinpath("data/months.json").read_text("utf-8")
    data = json.loads(raw)
    greg = {fold(n).lower(): int(m) for m, names in data["gregorian"].items() for n in names}
    hijri = {fold(n): int(m) for m, names in data["hijri"].items() for n in names}
    end = rf"(?![{_ARABIC_LETTER}A-Za-z])"
    g_alt, h_alt = _alternation(greg), _alternation(hijri)
    gregorian = re.compile(
        rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?({g_alt}){end}"
        rf"(?:\s*[/\-(]\s*(?:{g_alt}){end}\s*\)?)?\s*[،,\-]?\s*(\d{{4}})(?!\d)",
        re.IGNORECASE,
    )
    hijri_re = re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({h_alt}){end}\s*[،,]?\s*(\d{{4}})")
    ampm = sorted({fold(w) for w in data["am"] + data["pm"]}, key=len, reverse=True)
    clock = re.compile(
        r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?"
        rf"(?:\s*({'|'.join(map(re.escape, ampm))}){end})?"
        r"(?:.{0,20}?(?:GMT|UTC|غرينتش|جرينتش)\s*([+-])\s*(\d{1,2}):?(\d{2})?)?",
        re.IGNORECASE,
    )
    return _Patterns(
        gregorian, hijri_re, greg, hijri, clock, frozenset(fold(w) for w in data["pm"])
    )


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 date or date-time at the start of the text."""
    found = re.match(r"\s*(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)", text)
    if not found:
        return None
    rest = text[found.end() : found.end() + 6]
    zone = re.match(r"Z|[+-]\d{2}:?\d{2}", rest)
    stamp = found.group(1) + (zone.group(0).replace("Z", "+00:00") if zone else "")
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


def parse_rfc822(text: str) -> datetime | None:
    """An RFC 822 date as RSS feeds and HTTP headers write it."""
    if not re.search(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", text):
        return None
    try:
        return email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None


def parse_gregorian_names(text: str) -> datetime | None:
    """Day, Gregorian month name (any Arabic tradition, or two joined by `/`) and year."""
    p = _patterns()
    found = p.gregorian.search(text)
    if not found:
        return None
    month = p.gregorian_months.get(re.sub(r"\s+", " ", found.group(2).lower()))
    return _at(int(found.group(3)), month, int(found.group(1)), text, found.end())


def parse_numeric(text: str) -> datetime | None:
    """Day/month/year or year/month/day in digits; a year before 1600 is a Hijri year."""
    found = re.search(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)", text)
    if found:
        day, month, year = (int(g) for g in found.groups())
    else:
        found = re.search(r"(?<!\d)(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)", text)
        if not found:
            return None
        year, month, day = (int(g) for g in found.groups())
    if year < 1600:
        return _from_hijri(year, month, day)
    return _at(year, month, day, text, found.end())


def parse_hijri_names(text: str) -> datetime | None:
    """Day, Hijri month name and year, converted with the tabular Islamic calendar (±1 day)."""
    p = _patterns()
    found = p.hijri.search(text)
    if not found:
        return None
    month = p.hijri_months.get(re.sub(r"\s+", " ", found.group(2)))
    return _from_hijri(int(found.group(3)), month, int(found.group(1)))


def parse_with_dateparser(text: str) -> datetime | None:
    """Whatever dateparser understands in a short string, needing day, month and year."""
    if len(text) > _DATEPARSER_MAX_CHARS:
        return None
    import dateparser  # Imported late: it loads its language data on import.

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    try:
        return dateparser.parse(text, languages=["ar", "en"], settings=settings)
    except (ValueError, OverflowError):
        return None


PARSERS: tuple[Callable[[str], datetime | None], ...] = (
    parse_iso,
    parse_rfc822,
    parse_gregorian_names,
    parse_numeric,
    parse_hijri_names,
    parse_with_dateparser,
)


def parse_date(text: str, default_zone: timezone = UTC) -> datetime | None:
    """The first date the parser chain reads in the text; naive times get default_zone."""
    folded = fold(text)
    for parser in PARSERS:
        found = parser(folded)
        if found is not None and found.year >= _EARLIEST_YEAR:
            return found if found.tzinfo else found.replace(tzinfo=default_zone)
    return None


def plausible(moment: datetime, now: datetime | None = None) -> bool:
    """Whether a publish time could be real: not before 1990, not more than a day ahead."""
    now = now or datetime.now(UTC)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.year >= _EARLIEST_YEAR and aware <= now + timedelta(days=1)


def _at(year: int, month: int | None, day: int, text: str, after: int) -> datetime | None:
    """The date with the clock time and GMT offset written after it, if any."""
    if month is None:
        return None
    try:
        base = datetime(year, month, day)
    except ValueError:
        return None
    clock = _patterns().clock.search(text, after) or _patterns().clock.search(text)
    if clock is None:
        return base
    hour, minute = int(clock.group(1)), int(clock.group(2))
    second = int(clock.group(3) or 0)
    if clock.group(4) and fold(clock.group(4)) in _patterns().pm_words and hour < 12:
        hour += 12
    if hour > 23 or minute > 59 or second > 59:
        return base
    moment = base.replace(hour=hour, minute=minute, second=second)
    if clock.group(5):
        offset = timedelta(hours=int(clock.group(6)), minutes=int(clock.group(7) or 0))
        moment = moment.replace(tzinfo=timezone(offset if clock.group(5) == "+" else -offset))
    return moment


def _from_hijri(year: int, month: int | None, day: int) -> datetime | None:
    """A Hijri date in the Gregorian calendar (tabular arithmetic, so within a day or two)."""
    if month is None or not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    jdn = (
        day
        + (59 * (month - 1) + 1) // 2  # ceil(29.5 * (month - 1))
        + (year - 1) * 354
        + (3 + 11 * year) // 30
        + _HIJRI_EPOCH_JDN
        - 1
    )
    moment = date.fromordinal(jdn - _ORDINAL_TO_JDN)
    return datetime(moment.year, moment.month, moment.day)
