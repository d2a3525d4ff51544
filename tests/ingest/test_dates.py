"""Dates as Arabic sites write them: every case in dates.tsv through the parser chain."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from marsad.ingest.dates import parse_date, plausible

TABLE = Path(__file__).parent.parent / "fixtures" / "ingest" / "dates.tsv"
CASES = [
    tuple(line.split("\t"))
    for line in TABLE.read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_date_case(text: str, expected: str) -> None:
    found = parse_date(text)
    assert found is not None, text
    assert found.isoformat() == expected


@pytest.mark.parametrize("text", ["", "لا يوجد تاريخ هنا", "32 يوليو 2015", "31/02/2015"])
def test_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_hijri_beside_gregorian_takes_the_gregorian_date() -> None:
    # The tabular Hijri date alone would say the 22nd; the Gregorian date beside it wins.
    assert parse_date("5 شوال 1436 هـ الموافق 21 يوليو 2015 م") == datetime(2015, 7, 21, tzinfo=UTC)


def test_plausible_rejects_the_future_and_the_distant_past() -> None:
    now = datetime(2020, 1, 1, tzinfo=UTC)
    assert plausible(datetime(2019, 12, 31, tzinfo=UTC), now)
    assert not plausible(datetime(2020, 3, 1, tzinfo=UTC), now)
    assert not plausible(datetime(1970, 1, 1, tzinfo=UTC), now)
