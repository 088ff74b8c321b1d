"""--since and --until: ISO and plain words, periods, zones, relative to a fixed now."""

from __future__ import annotations

import datetime as dt

import pytest

from retainer.errors import UsageError
from retainer.search.dates import parse_date

NOW = dt.datetime(2026, 12, 15, 18, 30, tzinfo=dt.UTC)
LA = "America/Los_Angeles"


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2019-03-01", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),
    ("March 2019", utc(2019, 3, 1, 8), utc(2019, 4, 1, 7)),  # DST began on 10 March
    ("since March 2019", utc(2019, 3, 1, 8), utc(2019, 4, 1, 7)),
    ("2019", utc(2019, 1, 1, 8), utc(2020, 1, 1, 8)),
    ("1 March 2019", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),
    ("2019-03-01T10:00", utc(2019, 3, 1, 18), utc(2019, 3, 1, 18)),
    ("2019-03-01T10:00Z", utc(2019, 3, 1, 10), utc(2019, 3, 1, 10)),
    ("yesterday", utc(2026, 12, 14, 8), utc(2026, 12, 15, 8)),
    ("2 weeks ago", utc(2026, 12, 1, 8), utc(2026, 12, 2, 8)),
    ("3 hours ago", utc(2026, 12, 15, 15, 30), utc(2026, 12, 15, 15, 30)),
])
def test_dates(text, start, end):
    assert parse_date(text, end=False, now=NOW, zone=LA) == start
    assert parse_date(text, end=True, now=NOW, zone=LA) == end


@pytest.mark.parametrize("text", ["", "banana", "the 45th of Smarch"])
def test_not_a_date(text):
    with pytest.raises(UsageError):
        parse_date(text, end=False, now=NOW)
